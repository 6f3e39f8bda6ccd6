//===- PlacementState.h - Memory and colocation while placing ---*- C++ -*-===//
//
// Private to lib/Baselines. The baselines place nodes one at a time; this keeps
// track of what each device still holds and where colocation groups went, so
// every placement they return passes verify().
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_PLACEMENTSTATE_H
#define DIVIML_LIB_PLACEMENTSTATE_H

#include "diviml/Model/Problem.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <vector>

namespace diviml {

class PlacementState {
public:
  explicit PlacementState(const Problem &problem);

  /// Whether `node` may go to `device` now. The first member of a colocation
  /// group (a lone node is a group of one) decides for the whole group: the
  /// device must run every member and have room for all of them. Later
  /// members must follow it.
  bool canPlace(unsigned node, unsigned device) const;
  /// Places `node`; canPlace(node, device) must hold.
  void place(unsigned node, unsigned device);
  /// The device `node`'s group is on, if any member has been placed.
  std::optional<unsigned> groupDevice(unsigned node) const;
  /// Summed execution time of `node`'s group on `device` (kInfinity where
  /// some member cannot run).
  double groupTime(unsigned node, unsigned device) const;
  /// The error to return when no device can take `node`.
  llvm::Error noRoomError(unsigned node) const;

  const std::vector<unsigned> &placement() const { return devices; }

private:
  const Problem &problem;
  std::vector<unsigned> groupOf;
  std::vector<double> groupMemory;
  std::vector<unsigned> groupSize;
  /// groupTimes[g * numDevices + d].
  std::vector<double> groupTimes;
  std::vector<std::optional<unsigned>> groupPlacement;
  std::vector<double> memoryUsed;
  std::vector<unsigned> devices;
};

} // namespace diviml

#endif // DIVIML_LIB_PLACEMENTSTATE_H
