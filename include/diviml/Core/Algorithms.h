//===- Algorithms.h - Placement algorithms over a Problem -------*- C++ -*-===//
//
// Every algorithm takes the same Problem and returns the same Solution; none
// owns the problem. runAlgorithm() dispatches by name for the passes.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_CORE_ALGORITHMS_H
#define DIVIML_CORE_ALGORITHMS_H

#include "diviml/Core/Solution.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <string>

namespace diviml {

/// Knobs shared by all algorithms; each reads the ones it understands.
struct AlgorithmOptions {
  Objective objective = Objective::Latency;
  /// Wall-clock budget for solver-based algorithms, seconds.
  double timeLimit = 60;
  /// MILP backend: "glpk" or "cbc".
  std::string solver = "glpk";
  /// Split heuristic: the largest module solved exactly.
  unsigned maxModuleSize = 24;
  /// Split heuristic: re-solve windows of modules and run local search.
  bool refine = false;
  /// Throughput: let the algorithm replicate the model over device groups.
  bool dataParallel = false;
};

/// How an algorithm's answer stands.
enum class SolveStatus { Optimal, Feasible, Timeout, Infeasible, Heuristic };
llvm::StringRef stringifySolveStatus(SolveStatus status);

struct AlgorithmResult {
  Solution solution;
  SolveStatus status = SolveStatus::Heuristic;
  /// A proven lower bound on the optimum from the algorithm itself (solver
  /// best bound), or 0 when it has none.
  double bound = 0;
  /// Extra named figures for the report (e.g. modules, modularity, phases).
  llvm::StringMap<double> stats;
};

/// Everything on the one device that runs the whole model fastest.
llvm::Expected<AlgorithmResult>
scheduleFastestSingle(const Problem &problem, const AlgorithmOptions &options);
/// Earliest finish time, nodes in topological order, transfers included.
llvm::Expected<AlgorithmResult> scheduleGreedy(const Problem &problem,
                                               const AlgorithmOptions &options);
/// HEFT: upward rank with mean costs, insertion-based earliest finish time.
llvm::Expected<AlgorithmResult> scheduleHeft(const Problem &problem,
                                             const AlgorithmOptions &options);

/// Names accepted by runAlgorithm(), in the order docs list them.
llvm::ArrayRef<llvm::StringRef> algorithmNames();
/// Runs the algorithm called `name`; an unknown name is an error listing the
/// known ones. The problem must pass check().
llvm::Expected<AlgorithmResult> runAlgorithm(llvm::StringRef name,
                                             const Problem &problem,
                                             const AlgorithmOptions &options);

} // namespace diviml

#endif // DIVIML_CORE_ALGORITHMS_H
