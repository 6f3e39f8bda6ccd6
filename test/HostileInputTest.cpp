//===- HostileInputTest.cpp - Bad input, huge numbers, many devices -------===//
//
// Regression tests of issue 14: inputs that crashed the process (deep JSON,
// magnitudes that abort GLPK), inputs accepted silently (duplicate keys,
// overflowing numbers, an empty host) and platforms whose size made the
// pipeline hang.
//
//===----------------------------------------------------------------------===//

#include "TestPlatforms.h"

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/JsonInput.h"
#include "diviml/Model/PlatformIO.h"
#include "diviml/Model/Support.h"
#include "diviml/Solvers/MilpSolver.h"
#include "diviml/Workloads/MsrFormat.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cmath>

using namespace diviml;

namespace {

template <typename T> std::string errorOf(llvm::Expected<T> value) {
  if (value)
    return "";
  return llvm::toString(value.takeError());
}

bool contains(const std::string &text, llvm::StringRef part) {
  return llvm::StringRef(text).contains(part);
}

const char *kPlatformPrefix =
    R"({"devices": [{"name": "cpu", "kind": "cpu", "peak_flops": 1,
        "bandwidth": 1)";

TEST(HostileInputTest, DeepJsonIsAnErrorNotAStackOverflow) {
  // 80 KB of brackets overflowed llvm::json::parse's recursion.
  std::string arrays(80000, '[');
  std::string objects;
  for (unsigned i = 0; i != 20000; ++i)
    objects += "{\"a\":";
  for (const std::string &text : {arrays, objects}) {
    EXPECT_TRUE(contains(errorOf(parsePlatformJson(text)),
                         "nests deeper than 64 levels"));
    EXPECT_TRUE(
        contains(errorOf(importMsrJson(text)), "nests deeper than 64 levels"));
  }
  // Inside a string, brackets are text.
  EXPECT_TRUE(bool(parseJsonInput("[\"" + arrays + "\"]", "test")));
  // The limit itself is accepted.
  std::string deepest =
      std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(bool(parseJsonInput(deepest, "test")));
  EXPECT_FALSE(bool(parseJsonInput("[" + deepest + "]", "test")));
}

TEST(HostileInputTest, DuplicateKeysAreErrors) {
  std::string text = std::string(kPlatformPrefix) + R"(, "kind": "gpu"}]})";
  EXPECT_EQ(errorOf(parsePlatformJson(text)),
            "the platform, line 2, column 25: duplicate key 'kind'");
  // The same key in different objects is fine, and so is an escaped quote.
  EXPECT_TRUE(bool(parseJsonInput(
      R"({"a": {"k": 1}, "b": {"k": "x\"y"}, "c": [{"k": 1}, {"k": 2}]})",
      "test")));
  EXPECT_TRUE(
      contains(errorOf(importMsrJson(R"({"maxFPGAs": 1, "maxFPGAs": 2})")),
               "duplicate key 'maxFPGAs'"));
}

TEST(HostileInputTest, PlatformNumbersAreRangeChecked) {
  auto error = [](llvm::StringRef device, llvm::StringRef rest = "") {
    return errorOf(parsePlatformJson(
        (kPlatformPrefix + device + "}]" + rest + "}").str()));
  };
  EXPECT_EQ(error(R"(, "launch": 1e999)"),
            "device 'cpu': 'launch' must be a number from 0 to 1e+24");
  EXPECT_EQ(error(R"(, "memory": -1)"),
            "device 'cpu': 'memory' must be a number from 0 to 1e+24 or "
            "\"inf\"");
  EXPECT_EQ(error(R"(, "launch": "inf")"),
            "device 'cpu': 'launch' must be a number from 0 to 1e+24");
  EXPECT_EQ(error(R"(, "dispatch": 1e30)"),
            "device 'cpu': 'dispatch' must be a non-negative finite number");
  EXPECT_EQ(error(R"(, "dispatch_by_class": {"conv": 1e999})"),
            "device 'cpu': 'dispatch_by_class.conv' must be a non-negative "
            "finite number");
  EXPECT_TRUE(contains(error(R"(, "efficiency": {"conv": [[1e999, 1]]})"),
                       "pairs of positive finite numbers"));
  EXPECT_EQ(error("", R"(, "links": [{"from": "cpu", "to": "cpu",
                          "bandwidth": 1, "latency": 1e999}])"),
            "links[0]: 'latency' must be a number from 0 to 1e+24");
  EXPECT_EQ(error("", R"(, "links": [{"from": "cpu", "to": "cpu",
                          "bandwidth": 1, "pageable_latency": -1}])"),
            "links[0]: 'pageable_latency' must be a non-negative finite "
            "number");
  EXPECT_EQ(error("", R"(, "host": "cpu", "runtime": {"host_threads": 1e999})"),
            "the runtime: 'host_threads' must be a number from 0 to 1e+24");
  EXPECT_EQ(error("", R"(, "host": "")"),
            "the platform's 'host' must name a device, not be empty");
  // "inf" stays accepted where documented.
  EXPECT_EQ(error(R"(, "memory": "inf")"), "");
}

TEST(HostileInputTest, MsrNumbersAreRangeChecked) {
  std::string header =
      R"({"maxSizePerFPGA": 10, "maxFPGAs": 1, "maxCPUs": 1, "nodes": [)";
  auto node = [](llvm::StringRef cpu, llvm::StringRef size) {
    return (R"({"id": 1, "supportedOnFpga": 1, "cpuLatency": )" + cpu +
            R"(, "fpgaLatency": 1, "size": )" + size + "}")
        .str();
  };
  EXPECT_EQ(errorOf(importMsrJson(header + node("1e999", "0") +
                                  R"(], "edges": []})")),
            "MSR workload: node 1: 'cpuLatency' is missing or not a number "
            "from 0 to 1e+15");
  EXPECT_EQ(errorOf(importMsrJson(header + node("1", "1e308") +
                                  R"(], "edges": []})")),
            "MSR workload: node 1: 'size' is missing or not a number from 0 "
            "to 1e+15");
}

TEST(HostileInputTest, NegativeZeroReadsAsZero) {
  // Found by fuzz/PlatformFuzzer.cpp: -0 passed the range checks, kept its
  // sign, and platformToJson wrote it back as "-0". (JSON's "-0" without a
  // fraction or exponent is the integer 0: each -0 here is a double.)
  llvm::Expected<Platform> platform = parsePlatformJson(
      R"({"devices": [{"name": "cpu", "kind": "cpu", "peak_flops": -0e12,
          "bandwidth": -0.0, "dispatch_by_class": {"conv": -0.0}}]})");
  ASSERT_TRUE(bool(platform)) << llvm::toString(platform.takeError());
  const Device &cpu = platform->devices[0];
  EXPECT_FALSE(std::signbit(cpu.peakFlops));
  EXPECT_FALSE(std::signbit(cpu.memoryBandwidth));
  EXPECT_FALSE(std::signbit(cpu.dispatchByClass.at("conv")));
  std::string written;
  llvm::raw_string_ostream(written) << platformToJson(*platform);
  EXPECT_FALSE(contains(written, "-0")) << written;

  llvm::Expected<Problem> problem = importMsrJson(
      R"({"maxSizePerFPGA": -0e3, "maxFPGAs": 1, "maxCPUs": 1, "nodes": [
          {"id": 1, "supportedOnFpga": 1, "cpuLatency": -0.0,
           "fpgaLatency": 1, "size": 0},
          {"id": 2, "supportedOnFpga": 1, "cpuLatency": 1,
           "fpgaLatency": 1, "size": 0}],
          "edges": [{"sourceId": 1, "destId": 2, "cost": -0.0}]})");
  ASSERT_TRUE(bool(problem)) << llvm::toString(problem.takeError());
  EXPECT_FALSE(std::signbit(problem->platform.devices[0].memoryCapacity));
  EXPECT_FALSE(std::signbit(problem->nodes[0].time[1]));
  EXPECT_FALSE(std::signbit(problem->edges[0].bytes));
}

/// A chain of two nodes whose memory is near the largest double, on two
/// accelerators and a host: the throughput bound's cutting planes and the
/// MILP both used to abort inside GLPK.
Problem hugeMemoryProblem() {
  Platform platform = diviml::testing::hostAndGpus(2, 1.0);
  for (Device &device : platform.devices)
    device.memoryCapacity = 1e308;
  Problem problem(platform);
  for (unsigned v = 0; v != 40; ++v) {
    Node node;
    node.name = "n" + std::to_string(v);
    node.time = {1.0 + v % 3, 0.5 + v % 5, 0.7};
    node.memory = 1e306 * (1 + v % 7);
    problem.addNode(node);
    if (v)
      problem.addEdge(v - 1, v, 1e300);
  }
  problem.finalize();
  return problem;
}

TEST(HostileInputTest, HugeMagnitudesDoNotAbortTheSolvers) {
  Problem problem = hugeMemoryProblem();
  ASSERT_FALSE(bool(problem.check()));
  for (Objective objective : {Objective::Latency, Objective::Throughput}) {
    double bound = lowerBound(problem, objective);
    EXPECT_TRUE(std::isfinite(bound) || bound == 0);
    for (llvm::StringRef algorithm : {"milp", "split"}) {
      AlgorithmOptions options;
      options.objective = objective;
      options.timeLimit = 5;
      llvm::Expected<AlgorithmResult> result =
          runAlgorithm(algorithm, problem, options);
      // An answer (the heuristic's when the solver gives up) or an error,
      // never an abort.
      if (!result) {
        llvm::consumeError(result.takeError());
        continue;
      }
      EXPECT_FALSE(bool(verify(problem, result->solution))) << algorithm.str();
    }
  }
}

TEST(HostileInputTest, SolverRefusesUnsafeMagnitudesAndKeepsTheStart) {
  MilpModel model;
  unsigned x = model.addVariable(0, 1, VarKind::Binary, "x");
  unsigned y = model.addVariable(0, 1, VarKind::Binary, "y");
  model.setObjective(x, 1);
  model.setObjective(y, 2);
  model.addRow({{x, 1e300}, {y, 1}}, 1, kMilpInfinity, "cover");
  for (llvm::StringRef name : milpSolverNames()) {
    std::unique_ptr<MilpSolver> solver = cantFail(createMilpSolver(name));
    MilpSolveOptions options;
    llvm::Expected<MilpResult> bare = solver->solve(model, options);
    ASSERT_TRUE(bool(bare)) << name.str();
    EXPECT_EQ(bare->status, MilpStatus::NoSolution);
    options.warmStart = {{x, 0}, {y, 1}};
    llvm::Expected<MilpResult> started = solver->solve(model, options);
    ASSERT_TRUE(bool(started)) << name.str();
    EXPECT_EQ(started->status, MilpStatus::Feasible);
    EXPECT_EQ(started->objective, 2);
  }
}

/// A host with `n - 1` accelerators, each linked both ways to it only.
Problem starProblem(unsigned n) {
  Platform platform = diviml::testing::hostAndGpus(n - 1, 1e10, 1e-5);
  Problem problem(platform);
  for (unsigned v = 0; v != 6; ++v) {
    Node node;
    node.name = "op" + std::to_string(v);
    node.time.assign(n, 1e-3 * (1 + v));
    node.time[0] = 5e-3 * (1 + v);
    problem.addNode(node);
    if (v)
      problem.addEdge(v - 1, v, 1e6);
  }
  problem.finalize();
  return problem;
}

TEST(HostileInputTest, ThousandDeviceStarIsFast) {
  // Route checks, route tables and device classes were cubic in the
  // devices: 82 s at 500 devices, over 300 s at 1000.
  Problem problem = starProblem(1000);
  auto began = std::chrono::steady_clock::now();
  ASSERT_FALSE(bool(problem.check()));
  std::vector<std::vector<unsigned>> classes =
      problem.platform.identicalDeviceClasses();
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_EQ(classes[1].size(), 999u);
  for (llvm::StringRef algorithm : {"split", "fastest-single", "greedy"}) {
    AlgorithmOptions options;
    options.timeLimit = 5;
    llvm::Expected<AlgorithmResult> result =
        runAlgorithm(algorithm, problem, options);
    ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
    EXPECT_FALSE(bool(verify(problem, result->solution)));
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began)
          .count();
  // Seconds on an idle machine; the margin absorbs a loaded CI runner.
  EXPECT_LT(seconds, 60);
}

TEST(HostileInputTest, LargePlatformRoutesMatchPlatformRoute) {
  Problem problem = starProblem(300);
  RouteTable routes(problem.platform);
  for (unsigned a : {0u, 1u, 150u, 299u})
    for (unsigned b : {0u, 2u, 299u}) {
      std::optional<llvm::SmallVector<Leg, 2>> expected =
          problem.platform.route(a, b);
      const llvm::SmallVector<Leg, 2> *got = routes.route(a, b);
      ASSERT_EQ(bool(expected), got != nullptr);
      if (!got)
        continue;
      ASSERT_EQ(expected->size(), got->size());
      for (unsigned i = 0; i != got->size(); ++i)
        EXPECT_EQ((*expected)[i].link, (*got)[i].link);
    }
}

} // namespace
