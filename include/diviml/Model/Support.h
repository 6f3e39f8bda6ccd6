//===- Support.h - Helpers shared by every layer of the core ----*- C++ -*-===//
//
// A route table computed once per platform, the finalized-problem guard every
// entry point uses, and the tolerances all layers agree on.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_MODEL_SUPPORT_H
#define DIVIML_MODEL_SUPPORT_H

#include "diviml/Model/Problem.h"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace diviml {

/// Entry points take a const Problem; when the caller has not finalized it,
/// they work on a finalized copy kept in `storage`.
inline const Problem &finalizedProblem(const Problem &problem,
                                       std::optional<Problem> &storage) {
  if (problem.isFinalized())
    return problem;
  storage.emplace(problem);
  storage->finalize();
  return *storage;
}

/// Platform::route() scans the link list; evaluators ask for routes once per
/// edge, so they are tabulated once per device pair.
class RouteTable {
public:
  explicit RouteTable(const Platform &platform)
      : numDevices(platform.numDevices()), routes(numDevices * numDevices) {
    for (unsigned a = 0; a != numDevices; ++a)
      for (unsigned b = 0; b != numDevices; ++b)
        routes[a * numDevices + b] = platform.route(a, b);
  }

  /// The legs from `from` to `to`; nullptr when they cannot reach each other.
  const llvm::SmallVector<Leg, 2> *route(unsigned from, unsigned to) const {
    const std::optional<llvm::SmallVector<Leg, 2>> &legs =
        routes[from * numDevices + to];
    return legs ? &*legs : nullptr;
  }

private:
  unsigned numDevices;
  std::vector<std::optional<llvm::SmallVector<Leg, 2>>> routes;
};

/// Memory fits when the resident bytes exceed the capacity by at most this
/// relative slack, so that sums taken in different orders agree.
constexpr double kMemorySlack = 1e-9;

/// LP-based bounds are scaled down by this relative slack so that rounding
/// in their arithmetic cannot lift them above a solution's evaluated value.
constexpr double kBoundSlack = 1e-9;

inline bool fitsInMemory(double used, double capacity) {
  return used <= capacity * (1 + kMemorySlack);
}

/// A quantity for a message: integers exactly, others to 6 digits.
inline std::string formatQuantity(double value) {
  char buffer[32];
  if (std::isfinite(value) && value == std::floor(value) &&
      std::fabs(value) < 1e18)
    std::snprintf(buffer, sizeof(buffer), "%lld", (long long)value);
  else
    std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

} // namespace diviml

#endif // DIVIML_MODEL_SUPPORT_H
