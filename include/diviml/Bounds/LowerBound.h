//===- LowerBound.h - Certified lower bounds on the optimum -----*- C++ -*-===//
//
// One entry point (lowerBound); derivations in docs/objectives.md. A bound
// never exceeds the evaluator's value of any feasible solution.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_BOUNDS_LOWERBOUND_H
#define DIVIML_BOUNDS_LOWERBOUND_H

#include "diviml/Model/Problem.h"

#include <cstdint>

namespace diviml {

/// Work budget of the combinatorial bounds, counted in steps rather than
/// seconds so that a bound is the same on any machine under any load.
struct BoundBudget {
  /// Search nodes of the packing bound, over all its feasibility tests.
  uint64_t packingNodes = 400000;
  /// Cells of the path-segment dynamic programme (latency), and separately
  /// of the residual-block one.
  uint64_t pathCells = 20000000;
};

/// A bound and where it came from.
struct LowerBoundResult {
  double value = 0;
  /// The bound that gave `value`: "load-lp", "critical-path", "host-load",
  /// "packing", "path-segments", "residual-blocks"; "none" for an empty
  /// graph.
  const char *source = "none";
  /// Work the combinatorial bounds did (search nodes and DP cells).
  uint64_t work = 0;
};

/// The maximum of every bound of `objective` (docs/objectives.md): load LP,
/// host load, packing (not with data parallelism) and, for latency, the
/// transfer-aware critical path, the path segments and the residual blocks.
LowerBoundResult computeLowerBound(const Problem &problem, Objective objective,
                                   bool dataParallel = false,
                                   const BoundBudget &budget = {});

/// computeLowerBound(...).value.
double lowerBound(const Problem &problem, Objective objective,
                  bool dataParallel = false, const BoundBudget &budget = {});

/// The same bounds without dropping surplus interchangeable devices first.
double latencyLowerBound(const Problem &problem);

/// The load LP and host bounds are valid for solutions that replicate the
/// model over device groups too (docs/objectives.md); the packing bound is
/// not, so `dataParallel` leaves it out.
double throughputLowerBound(const Problem &problem, bool dataParallel = false);

} // namespace diviml

#endif // DIVIML_BOUNDS_LOWERBOUND_H
