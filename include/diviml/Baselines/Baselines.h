//===- Baselines.h - Fastest single device, greedy, HEFT --------*- C++ -*-===//

#ifndef DIVIML_BASELINES_BASELINES_H
#define DIVIML_BASELINES_BASELINES_H

#include "diviml/Baselines/Algorithm.h"

namespace diviml {

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

} // namespace diviml

#endif // DIVIML_BASELINES_BASELINES_H
