//===- TwoDeviceBalance.h - Re-split the jobs of two devices ----*- C++ -*-===//
//
// Private to lib/Split. The throughput local search's large move: the jobs on
// two devices are split between them again so that the larger of the two
// loads is as small as possible (unrelated-machine load balancing on two
// machines), by dynamic programming over a Pareto frontier of load pairs.
// Single-node moves cannot balance loads finer than a node's time; this move
// trades many nodes at once. Docs in docs/split.md.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_TWODEVICEBALANCE_H
#define DIVIML_LIB_TWODEVICEBALANCE_H

#include "llvm/ADT/ArrayRef.h"

#include <optional>
#include <vector>

namespace diviml {

/// A job's load on each of the two devices (time / slots).
struct TwoDeviceJob {
  double loadA = 0, loadB = 0;
};

struct TwoDeviceSplit {
  /// Per job: whether it goes to device A.
  std::vector<bool> onA;
  double loadA = 0, loadB = 0;
};

/// Among the splits of `jobs` with both loads (`baseA` / `baseB` plus the
/// jobs') at most `bound`, one with the smallest max(loadA, loadB), then the
/// smallest loadA^2 + loadB^2; std::nullopt if none is found.
///
/// Exact while the frontier of non-dominated (loadA, loadB) pairs after
/// each job stays within `frontierCap` (a dominated pair cannot end better).
/// Beyond the cap the frontier is thinned to one pair (the smallest loadB)
/// per slice of loadA, and the answer is a good split, not a proven best.
/// Partial pairs that cannot finish within `bound` even with the remaining
/// jobs split fractionally are dropped. Time and memory O(jobs x cap).
std::optional<TwoDeviceSplit>
balanceTwoDevices(llvm::ArrayRef<TwoDeviceJob> jobs, double baseA, double baseB,
                  double bound, unsigned frontierCap);

} // namespace diviml

#endif // DIVIML_LIB_TWODEVICEBALANCE_H
