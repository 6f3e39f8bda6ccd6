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
  /// Baselines: "makespan" (greedy, latency: its own simulation, which
  /// evaluate() reproduces exactly), "max-load" (greedy, throughput),
  /// "heft-makespan" (HEFT's contention-free estimate), "device"
  /// (fastest-single: the device chosen, or the primary one).
  llvm::StringMap<double> stats;
};

/// Everything on the one device that runs the whole model fastest (by the
/// objective, among devices that run every node and hold all of them). When
/// there is none, the device that runs the most nodes takes all it can and
/// the rest go to their fastest device with room.
llvm::Expected<AlgorithmResult>
scheduleFastestSingle(const Problem &problem, const AlgorithmOptions &options);
/// Nodes in topological order, each to the device with the earliest finish
/// time under the evaluator's own simulation (latency) or the smallest
/// resulting max load (throughput). A colocation group follows its first
/// member, which must find a device with room for the whole group.
llvm::Expected<AlgorithmResult> scheduleGreedy(const Problem &problem,
                                               const AlgorithmOptions &options);
/// HEFT: upward rank with mean costs, insertion-based earliest finish time
/// over slots, contention-free transfers. Both objectives use its placement;
/// `order` is its start order.
llvm::Expected<AlgorithmResult> scheduleHeft(const Problem &problem,
                                             const AlgorithmOptions &options);

/// Names accepted by runAlgorithm(), in the order docs list them.
llvm::ArrayRef<llvm::StringRef> algorithmNames();
/// Runs the algorithm called `name`; an unknown name is an error listing the
/// known ones. The problem must pass check(). A returned solution is
/// verify()'d (an invalid one is an error) unless the status is Infeasible,
/// or Timeout with an empty placement.
llvm::Expected<AlgorithmResult> runAlgorithm(llvm::StringRef name,
                                             const Problem &problem,
                                             const AlgorithmOptions &options);

} // namespace diviml

#endif // DIVIML_CORE_ALGORITHMS_H
