//===- DeviceReduction.h - Dropping surplus identical devices ---*- C++ -*-===//
//
// A problem of k nodes uses at most k devices of any group of
// interchangeable devices, and renaming devices within such a group changes
// no value. On platforms of hundreds or thousands of devices (a star of
// identical accelerators, a cluster of identical servers) every algorithm
// therefore runs on the problem with each group cut to its first k members,
// and the answer is mapped back; the optimum is the same. Lower bounds are
// computed on the reduced problem too (their all-pairs route loops would
// not finish on 10 000 devices).
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_MODEL_DEVICEREDUCTION_H
#define DIVIML_MODEL_DEVICEREDUCTION_H

#include "diviml/Model/Problem.h"

#include <optional>
#include <vector>

namespace diviml {

/// Platforms with at most this many devices are left alone: reducing them
/// saves little and would rename the devices small tests expect.
constexpr unsigned kMinDevicesToReduce = 64;

struct ReducedProblem {
  /// The problem on the kept devices, finalized.
  Problem problem;
  /// kept[d]: the original index of reduced device d, increasing.
  std::vector<unsigned> kept;
};

/// The problem without surplus interchangeable devices, or std::nullopt when
/// none can be dropped or the platform is small. Not for solutions with
/// replicas (`dataParallel`), which may use any number of devices.
std::optional<ReducedProblem> reduceDevices(const Problem &problem);

} // namespace diviml

#endif // DIVIML_MODEL_DEVICEREDUCTION_H
