//===- CombinatorialBounds.h - Packing and path-segment bounds --*- C++ -*-===//
//
// Private to the Bounds layer; derivations in docs/objectives.md. Both count
// their work and stop at a budget, so their value depends on the problem and
// the budget only, never on the machine's load.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_BOUNDS_COMBINATORIALBOUNDS_H
#define DIVIML_LIB_BOUNDS_COMBINATORIALBOUNDS_H

#include "diviml/Model/Problem.h"
#include "diviml/Model/Support.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace diviml {

/// `start` plus the legs of route(from, to) moving `bytes`, added one after
/// the other as the simulator adds them (so rounding cannot lift a bound
/// built on it); `start` when from = to, kInfinity when unreachable.
double afterRoute(const Platform &platform, const RouteTable &routes,
                  unsigned from, unsigned to, double start, double bytes);

/// Latency: per node and device (node * numDevices + device), a lower bound
/// on the node's start there and on the time left after its finish; empty
/// when not computed.
struct TimeWindows {
  std::vector<double> head, tail;
};

/// The largest T proven infeasible by the packing relaxation (at T: edges
/// whose tensor cannot cross devices merge their endpoints, the largest
/// items are assigned exactly by a depth-first search, the others enter as
/// weighted area), or `known` when none above it is. `perSlot`: LP
/// multipliers weighing work across devices. `windows` (latency): at T, v
/// may sit on d only if head + occupancy + tail <= T, and d's work fits
/// between its allowed nodes' least head and T less their least tail.
/// Not valid for data-parallel
/// solutions. `work` is increased by the search nodes visited; the search
/// stops at `budget` nodes, after which no T is declared infeasible.
double packingBound(const Problem &problem, Objective objective, double known,
                    llvm::ArrayRef<double> perSlot, const TimeWindows &windows,
                    uint64_t budget, uint64_t &work);

/// Latency: for a few long paths, the cheapest placement of the path's
/// nodes in runs on devices, each run within its device's memory, paying
/// the route between consecutive runs. 0 when the dynamic programme would
/// exceed `budget` cells; `work` is increased by the cells computed.
double pathSegmentBound(const Problem &problem, uint64_t budget,
                        uint64_t &work);

/// Latency, on graphs that are a chain of articulation nodes joined by edges
/// or by two-branch blocks (ResNet): the path-segment programme along the
/// main branches, where a block's join also waits for its skip branch from
/// the fork. 0 for other shapes or past `budget` cells; `work` is increased
/// by the cells computed. docs/objectives.md, "Residual blocks".
double residualBlockBound(const Problem &problem, uint64_t budget,
                          uint64_t &work);

} // namespace diviml

#endif // DIVIML_LIB_BOUNDS_COMBINATORIALBOUNDS_H
