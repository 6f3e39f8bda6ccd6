//===- Support.h - Helpers shared by every layer of the core ----*- C++ -*-===//
//
// A route table computed once per platform, the finalized-problem guard every
// entry point uses, and the tolerances all layers agree on.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_MODEL_SUPPORT_H
#define DIVIML_MODEL_SUPPORT_H

#include "diviml/Model/Problem.h"

#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
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

/// The direct link of each ordered device pair, found in constant time
/// (Platform::findLink() scans the link list).
class LinkIndex {
public:
  explicit LinkIndex(const Platform &platform) {
    for (unsigned l = 0, e = platform.links.size(); l != e; ++l)
      links.try_emplace(key(platform.links[l].from, platform.links[l].to), l);
  }
  /// The first link from -> to, as Platform::findLink().
  std::optional<unsigned> find(unsigned from, unsigned to) const {
    auto found = links.find(key(from, to));
    if (found == links.end())
      return std::nullopt;
    return found->second;
  }

private:
  static uint64_t key(unsigned from, unsigned to) {
    return uint64_t(from) << 32 | to;
  }
  llvm::DenseMap<uint64_t, unsigned> links;
};

/// Platform::route() scans the link list; evaluators ask for routes once per
/// edge, so they come from here. Small platforms tabulate every pair; large
/// ones (a star of thousands of devices has millions of pairs, almost all
/// staged through the host) compute a pair's route when first asked and keep
/// it. Not safe to share between threads.
class RouteTable {
public:
  explicit RouteTable(const Platform &platform)
      : index(platform), host(platform.host),
        numDevices(platform.numDevices()) {
    if (numDevices > kMaxTabulatedDevices)
      return;
    table.resize(size_t(numDevices) * numDevices);
    for (unsigned a = 0; a != numDevices; ++a)
      for (unsigned b = 0; b != numDevices; ++b)
        table[size_t(a) * numDevices + b] = compute(a, b);
  }

  /// The legs from `from` to `to`; nullptr when they cannot reach each other.
  /// The legs stay valid as long as the table.
  const llvm::SmallVector<Leg, 2> *route(unsigned from, unsigned to) const {
    const std::optional<llvm::SmallVector<Leg, 2>> *legs;
    if (!table.empty()) {
      legs = &table[size_t(from) * numDevices + to];
    } else {
      uint64_t key = uint64_t(from) << 32 | to;
      auto found = cache.find(key);
      if (found == cache.end())
        found = cache.emplace(key, compute(from, to)).first;
      legs = &found->second;
    }
    return *legs ? &**legs : nullptr;
  }

  /// Whether `from` reaches `to`, without keeping the route.
  bool reaches(unsigned from, unsigned to) const {
    return compute(from, to).has_value();
  }

private:
  /// Above this many devices routes are computed on demand.
  static constexpr unsigned kMaxTabulatedDevices = 256;

  /// Platform::route() with the index.
  std::optional<llvm::SmallVector<Leg, 2>> compute(unsigned from,
                                                   unsigned to) const {
    llvm::SmallVector<Leg, 2> legs;
    if (from == to)
      return legs;
    if (std::optional<unsigned> direct = index.find(from, to)) {
      legs.push_back({from, to, *direct});
      return legs;
    }
    if (!host || *host == from || *host == to)
      return std::nullopt;
    std::optional<unsigned> up = index.find(from, *host);
    std::optional<unsigned> down = index.find(*host, to);
    if (!up || !down)
      return std::nullopt;
    legs.push_back({from, *host, *up});
    legs.push_back({*host, to, *down});
    return legs;
  }

  LinkIndex index;
  std::optional<unsigned> host;
  unsigned numDevices;
  std::vector<std::optional<llvm::SmallVector<Leg, 2>>> table;
  mutable std::unordered_map<uint64_t, std::optional<llvm::SmallVector<Leg, 2>>>
      cache;
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
