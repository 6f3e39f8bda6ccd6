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
  /// Wall-clock safety cap for solver-based algorithms, seconds. Split
  /// budgets its work in counted units (simplex iterations, local-search
  /// trials) and stops by itself; reaching this cap is reported
  /// (stats "stop.time-limit") and makes the answer depend on the load.
  double timeLimit = 60;
  /// Stop once the value is within this relative gap of a lower bound
  /// (0: only at a proven optimum).
  double gap = 0;
  /// Print a line on stderr, at most once a second, with the elapsed
  /// time, best value, bound and gap while a long search runs.
  bool progress = false;
  /// MILP backend: "glpk" or "cbc".
  std::string solver = "glpk";
  /// Split heuristic: the largest module solved exactly.
  unsigned maxModuleSize = 24;
  /// Split heuristic: re-solve windows of modules and run local search
  /// (budgets scaled down on large graphs: SplitOptions).
  bool refine = true;
  /// Throughput: let the algorithm replicate the model over device groups.
  bool dataParallel = false;
  /// Split heuristic, throughput: plan identical layers as a block pipeline
  /// replicated over identical servers (SplitOptions::useSymmetry); false
  /// for comparison with the op-by-op search.
  bool symmetry = true;
};

/// How an algorithm's answer stands.
enum class SolveStatus { Optimal, Feasible, Timeout, Infeasible, Heuristic };
llvm::StringRef stringifySolveStatus(SolveStatus status);

/// Why a search stopped; setStopReason() records it in the stats.
enum class StopReason {
  /// The exact model was solved to optimality.
  Optimal,
  /// No improvement over the search's horizon (docs/split.md).
  Converged,
  /// A fixed pipeline without a search ran to its end (split without
  /// refinement).
  Completed,
  /// The value met the lower bound within AlgorithmOptions::gap.
  Gap,
  /// A counted work budget ran out (deterministic).
  WorkLimit,
  /// The wall-clock cap struck (the answer may vary with the load).
  TimeLimit,
};
llvm::StringRef stringifyStopReason(StopReason reason);

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

/// Sets stats "stop.<reason>" to 1 (and removes any other stop entry).
void setStopReason(AlgorithmResult &result, StopReason reason);

} // namespace diviml

#endif // DIVIML_BASELINES_ALGORITHM_H
