//===- Algorithm.h - What every placement algorithm takes and gives -*- C++
//-*-===//
//
// Every algorithm is a free function over the same Problem and options,
// returning the same AlgorithmResult; none owns the problem. The baselines
// are the lowest algorithm layer, so the shared interface lives with them.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_BASELINES_ALGORITHM_H
#define DIVIML_BASELINES_ALGORITHM_H

#include "diviml/Model/Solution.h"

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

} // namespace diviml

#endif // DIVIML_BASELINES_ALGORITHM_H
