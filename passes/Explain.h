//===- Explain.h - Figures that explain a placement -------------*- C++ -*-===//
//
// What the report says besides the value: how many tensors cross devices,
// and what the latency's critical path is made of (docs/report.md).
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_EXPLAIN_H
#define DIVIML_PASSES_EXPLAIN_H

#include "diviml/Evaluation/Evaluate.h"

namespace diviml {

/// Tensors moved between devices: one per (producer, destination device),
/// as diviml-lower-to-devices inserts `diviml.transfer`s.
struct TransferSummary {
  unsigned count = 0;
  double bytes = 0;
};

TransferSummary countTransfers(const Problem &problem,
                               const std::vector<unsigned> &placement);

/// The latency's critical path, walked back from the last op to finish
/// through the input that arrived last: `compute` sums the ops' times on
/// it, `communication` the time from a producer's finish until its tensor
/// arrived at the consumer's device (transfers and their queueing), and
/// `waiting` the rest of the latency (busy slots, host dispatch).
struct CriticalPath {
  double compute = 0;
  double communication = 0;
  double waiting = 0;
  /// Placed ops on the path (arguments and results excluded).
  unsigned ops = 0;
};

/// Needs a latency evaluation with its events recorded.
CriticalPath criticalPath(const Problem &problem, const Solution &solution,
                          const Evaluation &evaluation);

} // namespace diviml

#endif // DIVIML_PASSES_EXPLAIN_H
