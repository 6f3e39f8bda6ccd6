//===- RuntimeModelTest.cpp - The runtime's host in the machine model -----===//
//
// Hand-computed schedules with a dispatching host, blocking copies and first
// touch; JSON round trips of the runtime keys; and the property that every
// lower bound stays below every algorithm's value and the enumerated optimum
// on random problems whose platforms have a runtime.
//
//===----------------------------------------------------------------------===//

#include "RandomProblem.h"

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/PlatformIO.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace diviml;
using namespace diviml::testing;

namespace {

TEST(EfficiencyCurveTest, InterpolatesLogLogAndIsFlatOutside) {
  EfficiencyCurve curve{{{10, 0.1}, {1000, 1.0}}};
  EXPECT_DOUBLE_EQ(curve.at(1), 0.1);
  EXPECT_DOUBLE_EQ(curve.at(10), 0.1);
  EXPECT_NEAR(curve.at(100), std::sqrt(0.1), 1e-12);
  EXPECT_DOUBLE_EQ(curve.at(1e6), 1.0);
  EXPECT_DOUBLE_EQ(EfficiencyCurve{}.at(5), 1.0);
}

/// in (host) -> x (gpu, 10 s) -> y (cpu, 5 s) -> out (host). Dispatch: 2 s
/// per gpu op, 1 s per cpu op on top of its time; copies are blocking,
/// 0.5 s to issue, 3 s up and 4 s down.
Problem chainWithRuntime(bool withRuntime) {
  Platform platform;
  platform.devices.push_back({"cpu", DeviceKind::Cpu});
  platform.devices.push_back({"gpu", DeviceKind::Gpu});
  platform.host = 0;
  platform.devices[0].dispatch = 1;
  platform.devices[1].dispatch = 2;
  for (auto [from, to, latency] : {std::tuple(0u, 1u, 3.0), {1u, 0u, 4.0}}) {
    Link link{from, to, kInfinity, latency};
    link.synchronous = true;
    link.dispatch = 0.5;
    platform.links.push_back(link);
  }
  if (withRuntime)
    platform.runtime = Runtime();
  Problem problem(std::move(platform));
  auto node = [&](const char *name, double cpu, double gpu, bool external) {
    Node n;
    n.name = name;
    n.time = {cpu, gpu};
    n.external = external;
    return problem.addNode(std::move(n));
  };
  unsigned in = node("in", 0, kInfinity, true);
  unsigned x = node("x", kInfinity, 10, false);
  unsigned y = node("y", 5, kInfinity, false);
  unsigned out = node("out", 0, kInfinity, true);
  problem.addEdge(in, x, 100);
  problem.addEdge(x, y, 100);
  problem.addEdge(y, out, 100);
  problem.finalize();
  return problem;
}

Solution chainPlacement() { return Solution{{0, 1, 0, 0}, {}, {}}; }

TEST(RuntimeModelTest, HostDispatchesAndBlocksOnCopies) {
  Problem problem = chainWithRuntime(true);
  ASSERT_FALSE(bool(problem.check()));
  Evaluation eval = evaluate(problem, chainPlacement(), Objective::Latency);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  // Copy up: host 0 -> 3.5 (0.5 issue + 3). Dispatch x: host 3.5 -> 5.5; x
  // runs 5.5 -> 15.5. Copy down waits for the gpu: 15.5 -> 20 (0.5 + 4).
  // y runs on the host thread 20 -> 26 (1 + 5).
  EXPECT_DOUBLE_EQ(eval.start[1], 5.5);
  EXPECT_DOUBLE_EQ(eval.finish[1], 15.5);
  EXPECT_DOUBLE_EQ(eval.start[2], 20);
  EXPECT_DOUBLE_EQ(eval.finish[2], 26);
  EXPECT_DOUBLE_EQ(eval.value, 26);
  EXPECT_DOUBLE_EQ(eval.hostBusy, 3.5 + 2 + 4.5 + 6);
  // Without a runtime the same figures cost nothing on the host.
  Problem free = chainWithRuntime(false);
  EXPECT_DOUBLE_EQ(evaluate(free, chainPlacement(), Objective::Latency).value,
                   3 + 10 + 4 + 5);
}

TEST(RuntimeModelTest, HostSetsTheThroughput) {
  Problem problem = chainWithRuntime(true);
  Evaluation eval = evaluate(problem, chainPlacement(), Objective::Throughput);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  // Devices: gpu 10, cpu 5 + 1; links 3 and 4; the host: 2 + 6 + 3.5 + 4.5.
  EXPECT_DOUBLE_EQ(eval.hostBusy, 16);
  EXPECT_DOUBLE_EQ(eval.value, 16);
  problem.platform.runtime->hostThreads = 2;
  EXPECT_DOUBLE_EQ(
      evaluate(problem, chainPlacement(), Objective::Throughput).value, 10);
}

TEST(RuntimeModelTest, LatencyBoundCountsTheHostChain) {
  Problem problem = chainWithRuntime(true);
  // Critical path: x ends at max(arrival 3, dispatch 2) + 10 = 13; y ends at
  // 13 + 4 + (1 + 5) = 23. The host alone needs 2 + 6 = 8.
  EXPECT_DOUBLE_EQ(latencyLowerBound(problem), 23);
  EXPECT_NEAR(throughputLowerBound(problem), 10, 1e-6);
}

TEST(RuntimeModelTest, FirstTouchChargesOutputsThatTakeTime) {
  Problem problem = chainWithRuntime(true);
  problem.platform.devices[0].firstTouchBandwidth = 50; // 100 B: 2 s.
  // The copy down lands 100 B on the cpu (+2 s) and y writes 100 B (+2 s);
  // the external results node writes nothing.
  EXPECT_DOUBLE_EQ(
      evaluate(problem, chainPlacement(), Objective::Latency).value, 30);
}

TEST(RuntimeModelTest, AsyncCopiesOnlyCostTheirIssue) {
  Problem problem = chainWithRuntime(true);
  for (Link &link : problem.platform.links)
    link.synchronous = false;
  // Copy up issued 0 -> 0.5, on the link 0.5 -> 3.5; x issued 0.5 -> 2.5,
  // runs 3.5 -> 13.5; copy down issued 2.5 -> 3, moves 13.5 -> 17.5; y on
  // the host from 17.5 to 23.5.
  EXPECT_DOUBLE_EQ(
      evaluate(problem, chainPlacement(), Objective::Latency).value, 23.5);
}

/// A random problem whose platform has a random runtime.
Problem randomProblemWithRuntime(uint64_t seed,
                                 const RandomProblemOptions &options = {}) {
  Problem problem = makeRandomProblem(seed, options);
  Random random(seed * 7919 + 13);
  Platform &platform = problem.platform;
  Runtime runtime;
  runtime.hostThreads = random.between(1u, 2u);
  runtime.hostOpsOnDispatchThread = random.chance(0.7);
  platform.runtime = runtime;
  for (Device &device : platform.devices) {
    device.dispatch = random.between(0u, 4u) * 0.125;
    if (random.chance(0.3))
      device.firstTouchBandwidth = 100.0 * random.between(1u, 10u);
  }
  for (Link &link : platform.links) {
    link.synchronous = random.chance(0.6);
    link.dispatch = random.between(0u, 2u) * 0.125;
    if (random.chance(0.5)) {
      link.pageableBandwidth = link.bandwidth / 3;
      link.pageableLatency = link.latency + 0.125;
      link.pageable = true;
    }
  }
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v) {
    if (random.chance(0.3)) {
      for (unsigned d = 0, e = problem.numDevices(); d != e; ++d)
        problem.nodes[v].dispatch.push_back(random.between(0u, 8u) * 0.0625);
    }
    problem.nodes[v].external = random.chance(0.05);
  }
  problem.finalize();
  return problem;
}

TEST(RuntimeModelTest, EveryAlgorithmStaysAboveTheBound) {
  for (uint64_t seed = 0; seed != 120; ++seed) {
    Problem problem = randomProblemWithRuntime(seed);
    ASSERT_FALSE(bool(problem.check())) << "seed " << seed;
    for (Objective objective : {Objective::Latency, Objective::Throughput}) {
      double bound = lowerBound(problem, objective);
      for (llvm::StringRef name : algorithmNames()) {
        bool solver = name == "milp" || name == "split";
        if (solver && seed % 10 != 0)
          continue;
        SCOPED_TRACE(::testing::Message()
                     << "seed " << seed << ", " << name.str() << ", "
                     << stringifyObjective(objective).str());
        AlgorithmOptions options;
        options.objective = objective;
        options.timeLimit = 0.2;
        llvm::Expected<AlgorithmResult> result =
            runAlgorithm(name, problem, options);
        ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
        EXPECT_NE(result->status, SolveStatus::Optimal);
        Evaluation eval = evaluate(problem, result->solution, objective);
        ASSERT_TRUE(eval.feasible) << eval.reason;
        EXPECT_LE(bound, eval.value);
        EXPECT_LE(result->bound, eval.value * (1 + 1e-9));
      }
    }
  }
}

TEST(RuntimeModelTest, BoundStaysBelowEnumeratedOptimum) {
  RandomProblemOptions options;
  options.maxNodes = 6;
  unsigned enumerated = 0;
  for (uint64_t seed = 500; seed != 620; ++seed) {
    Problem problem = randomProblemWithRuntime(seed, options);
    unsigned n = problem.numNodes(), numDev = problem.numDevices();
    if (std::pow(numDev, n) > 4000)
      continue;
    ++enumerated;
    double best[2] = {kInfinity, kInfinity};
    Solution solution;
    solution.device.assign(n, 0);
    while (true) {
      if (llvm::Error err = verify(problem, solution))
        llvm::consumeError(std::move(err));
      else
        for (unsigned i = 0; i != 2; ++i)
          best[i] = std::min(
              best[i], evaluate(problem, solution,
                                i ? Objective::Throughput : Objective::Latency)
                           .value);
      unsigned v = 0;
      while (v != n && ++solution.device[v] == numDev)
        solution.device[v++] = 0;
      if (v == n)
        break;
    }
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    EXPECT_LE(lowerBound(problem, Objective::Latency), best[0]);
    EXPECT_LE(lowerBound(problem, Objective::Throughput), best[1]);
  }
  EXPECT_GT(enumerated, 40u);
}

TEST(RuntimePlatformJsonTest, RoundTripsEveryRuntimeKey) {
  const char *text = R"({
    "name": "node", "host": "cpu",
    "runtime": {"flavour": "graph", "host_threads": 2,
                "host_ops_on_dispatch_thread": false},
    "devices": [
      {"name": "cpu", "kind": "cpu", "peak_flops": 1e12, "bandwidth": 1e11,
       "dispatch": 1e-4, "dispatch_by_class": {"view": 2e-5},
       "first_touch_bandwidth": 9e9,
       "efficiency": {"conv": [[1e6, 0.1], [1e9, 0.8]]}},
      {"name": "gpu", "kind": "gpu", "peak_flops": 5e13, "bandwidth": 4e12,
       "dispatch": 2e-5}],
    "links": [{"from": "cpu", "to": "gpu", "bandwidth": 5e10,
               "latency": 1e-5, "pageable_bandwidth": 1.5e10,
               "pageable_latency": 1.5e-5, "host_memory": "pageable",
               "synchronous": true, "dispatch": 1e-5,
               "bidirectional": true}]})";
  llvm::Expected<Platform> platform = parsePlatformJson(text);
  ASSERT_TRUE(bool(platform)) << llvm::toString(platform.takeError());
  ASSERT_TRUE(platform->runtime.has_value());
  EXPECT_EQ(platform->runtime->flavour, "graph");
  EXPECT_EQ(platform->runtime->hostThreads, 2u);
  EXPECT_FALSE(platform->runtime->hostOpsOnDispatchThread);
  const Device &cpu = platform->devices[0];
  EXPECT_DOUBLE_EQ(cpu.dispatch, 1e-4);
  EXPECT_DOUBLE_EQ(cpu.dispatchByClass.at("view"), 2e-5);
  EXPECT_DOUBLE_EQ(platform->dispatchTime(0, "view"), 2e-5);
  EXPECT_DOUBLE_EQ(platform->dispatchTime(0, "conv"), 1e-4);
  EXPECT_DOUBLE_EQ(cpu.efficiency.at("conv").at(1e9), 0.8);
  ASSERT_EQ(platform->links.size(), 2u);
  for (const Link &link : platform->links) {
    EXPECT_TRUE(link.pageable && link.synchronous);
    // Pageable figures apply: 1.5e-5 + 1.5e10 / 1.5e10.
    EXPECT_DOUBLE_EQ(link.transferTime(1.5e10), 1 + 1.5e-5);
  }
  std::string printed;
  llvm::raw_string_ostream os(printed);
  os << platformToJson(*platform);
  llvm::Expected<Platform> again = parsePlatformJson(printed);
  ASSERT_TRUE(bool(again)) << llvm::toString(again.takeError());
  std::string reprinted;
  llvm::raw_string_ostream os2(reprinted);
  os2 << platformToJson(*again);
  EXPECT_EQ(printed, reprinted);
  EXPECT_TRUE(*again->runtime == *platform->runtime);
  EXPECT_EQ(again->devices[0].efficiency, platform->devices[0].efficiency);
}

TEST(RuntimePlatformJsonTest, RejectsBadRuntimeKeys) {
  auto error = [](const char *text) {
    llvm::Expected<Platform> platform = parsePlatformJson(text);
    if (platform)
      return std::string("accepted");
    return llvm::toString(platform.takeError());
  };
  const char *device =
      R"("devices": [{"name": "cpu", "kind": "cpu", "peak_flops": 1, "bandwidth": 1)";
  EXPECT_EQ(error((std::string("{\"runtime\": {}, ") + device + "}]}").c_str()),
            "a platform with a 'runtime' needs a 'host': the device whose "
            "thread dispatches the work");
  EXPECT_EQ(error((std::string(
                       "{\"host\": \"cpu\", \"runtime\": {\"threads\": 2}, ") +
                   device + "}]}")
                      .c_str()),
            "the runtime has unknown key 'threads'");
  EXPECT_EQ(
      error((std::string("{") + device + R"(, "dispatch": -1}]})").c_str()),
      "device 'cpu': 'dispatch' must be a non-negative finite number");
  EXPECT_EQ(error((std::string("{") + device +
                   R"(, "efficiency": {"conv": [[10, 0.5], [10, 0.6]]}}]})")
                      .c_str()),
            "device 'cpu': 'efficiency.conv': sizes must increase strictly");
  EXPECT_EQ(
      error(
          (std::string("{") + device +
           R"(}, {"name": "gpu", "kind": "gpu", "peak_flops": 1, "bandwidth": 1}],
                   "links": [{"from": "cpu", "to": "gpu", "bandwidth": 1, "host_memory": "pageable"}]})")
              .c_str()),
      "a link with pageable host memory needs 'pageable_bandwidth'");
}

} // namespace
