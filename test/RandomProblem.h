//===- RandomProblem.h - Seeded random placement problems -------*- C++ -*-===//
//
// Shared by the unit tests and the benchmarks. Same seed, same problem on
// every platform: the generator uses its own integer arithmetic on top of
// std::mt19937_64 (whose output the standard fixes) instead of the
// implementation-defined std distributions.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TEST_RANDOMPROBLEM_H
#define DIVIML_TEST_RANDOMPROBLEM_H

#include "diviml/Model/Problem.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

namespace diviml::testing {

class Random {
public:
  explicit Random(uint64_t seed) : engine(seed) {}
  /// Uniform in [0, n).
  unsigned below(unsigned n) { return unsigned(engine() % n); }
  /// Uniform in [lo, hi].
  unsigned between(unsigned lo, unsigned hi) { return lo + below(hi - lo + 1); }
  /// Uniform in [0, 1).
  double unit() { return double(engine() >> 11) * 0x1.0p-53; }
  double between(double lo, double hi) { return lo + (hi - lo) * unit(); }
  bool chance(double p) { return unit() < p; }

private:
  std::mt19937_64 engine;
};

struct RandomProblemOptions {
  unsigned minNodes = 1, maxNodes = 30;
  unsigned minDevices = 1, maxDevices = 4;
  /// Each producer feeds up to this many later nodes among the next
  /// `window`, so edges stay O(nodes) on big graphs.
  unsigned maxFanout = 3;
  unsigned window = 12;
  /// Chance that a node cannot run on a given non-host device.
  double unsupported = 0.15;
  /// Chance that a node joins the colocation group of an earlier node.
  double colocation = 0.1;
  /// Non-host devices get between these fractions of the total memory.
  double minMemoryShare = 0.2, maxMemoryShare = 1.0;
  /// Chance of a direct link between two non-host devices, each way.
  double directLink = 0.3;
  /// Chance that the platform has a runtime (Platform::runtime): random
  /// host threads, host ops on the dispatching thread or not, per-device
  /// and per-link dispatch times, synchronous copies. 0 draws nothing, so
  /// the problems of a seed stay what they were before runtimes existed.
  double runtime = 0;
};

/// A random DAG on 1-4 devices: device 0 is a CPU host that runs everything
/// with unlimited memory (so check() always passes and greedy placements
/// always exist); the others are GPUs/accelerators of mixed speeds and slots,
/// with limited memory, unsupported ops and host links of mixed bandwidth;
/// transfers overlap compute or not at random.
inline Problem makeRandomProblem(uint64_t seed,
                                 const RandomProblemOptions &options = {}) {
  Random random(seed);
  Platform platform;
  unsigned numDev = random.between(options.minDevices, options.maxDevices);
  std::vector<double> speed(numDev, 1);
  for (unsigned d = 0; d != numDev; ++d) {
    Device device;
    device.name = d == 0 ? "cpu" : "dev" + std::to_string(d);
    device.kind =
        d == 0 ? DeviceKind::Cpu
               : (random.chance(0.5) ? DeviceKind::Gpu : DeviceKind::Accel);
    device.slots = random.between(1u, 2u);
    platform.devices.push_back(device);
    if (d != 0)
      speed[d] = random.between(0.5, 8.0);
  }
  platform.host = 0;
  platform.transfersOverlapCompute = random.chance(0.5);
  for (unsigned d = 1; d < numDev; ++d) {
    double bandwidth = 100.0 * random.between(1u, 100u);
    double latency = random.between(0u, 4u) * 0.125;
    platform.links.push_back({0, d, bandwidth, latency});
    platform.links.push_back({d, 0, bandwidth, latency});
  }
  for (unsigned a = 1; a < numDev; ++a)
    for (unsigned b = 1; b < numDev; ++b)
      if (a != b && random.chance(options.directLink))
        platform.links.push_back(
            {a, b, 1000.0 * random.between(1u, 100u), 0.0625});

  if (options.runtime > 0 && random.chance(options.runtime)) {
    Runtime runtime;
    runtime.hostThreads = random.between(1u, 2u);
    runtime.hostOpsOnDispatchThread = random.chance(0.7);
    platform.runtime = runtime;
    for (Device &device : platform.devices)
      device.dispatch = random.between(0u, 4u) * 0.125;
    for (Link &link : platform.links) {
      link.dispatch = random.between(0u, 2u) * 0.125;
      link.synchronous = random.chance(0.4);
    }
  }

  Problem problem(std::move(platform));
  unsigned n = random.between(options.minNodes, options.maxNodes);
  double totalMemory = 0;
  int nextGroup = 0;
  for (unsigned v = 0; v != n; ++v) {
    Node node;
    node.name = "n" + std::to_string(v);
    double work = random.chance(0.1) ? 0.0 : random.between(1u, 40u) * 0.25;
    for (unsigned d = 0; d != numDev; ++d)
      node.time.push_back(d != 0 && random.chance(options.unsupported)
                              ? kInfinity
                              : work / speed[d]);
    node.memory = random.between(0u, 100u);
    totalMemory += node.memory;
    if (v > 0 && random.chance(options.colocation)) {
      Node &other = problem.nodes[random.below(v)];
      if (other.colocationGroup < 0)
        other.colocationGroup = nextGroup++;
      node.colocationGroup = other.colocationGroup;
    }
    problem.addNode(std::move(node));
  }
  for (unsigned d = 1; d < numDev; ++d)
    problem.platform.devices[d].memoryCapacity =
        std::floor(totalMemory * random.between(options.minMemoryShare,
                                                options.maxMemoryShare));
  for (unsigned u = 0; u + 1 < n; ++u) {
    double bytes = random.between(0u, 1000u);
    unsigned fanout = random.between(0u, options.maxFanout);
    unsigned last = std::min(n - 1, u + options.window);
    for (unsigned i = 0; i != fanout; ++i)
      problem.addEdge(u, random.between(u + 1, last), bytes);
  }
  problem.finalize();
  return problem;
}

} // namespace diviml::testing

#endif // DIVIML_TEST_RANDOMPROBLEM_H
