//===- LowerBound.h - Certified lower bounds on the optimum -----*- C++ -*-===//
//
// One function per objective; derivations in docs/objectives.md. A bound
// never exceeds the evaluator's value of any feasible solution.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_BOUNDS_LOWERBOUND_H
#define DIVIML_BOUNDS_LOWERBOUND_H

#include "diviml/Model/Problem.h"

namespace diviml {

/// max(critical path at fastest devices with free transfers,
///     LP relaxation of load balancing with each device's load <= T * slots).
double latencyLowerBound(const Problem &problem);

/// LP relaxation of the max-load problem. It is valid for solutions that
/// replicate the model over device groups too (docs/objectives.md), so
/// `dataParallel` changes nothing; it is kept for callers' symmetry.
double throughputLowerBound(const Problem &problem, bool dataParallel = false);

double lowerBound(const Problem &problem, Objective objective,
                  bool dataParallel = false);

} // namespace diviml

#endif // DIVIML_BOUNDS_LOWERBOUND_H
