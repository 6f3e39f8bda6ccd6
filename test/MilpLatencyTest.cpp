//===- MilpLatencyTest.cpp - The latency MILP against brute force ---------===//

#include "MilpTestSupport.h"
#include "RandomProblem.h"

#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Milp/Milp.h"
#include "diviml/Solvers/MilpSolver.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>

using namespace diviml;

namespace {

/// cpu (host) and gpu, 1000 B/s links both ways, no latency.
Platform cpuAndGpu() {
  Platform p;
  p.devices = {{"cpu", DeviceKind::Cpu}, {"gpu", DeviceKind::Gpu}};
  p.host = 0;
  p.links = {{0, 1, 1000, 0}, {1, 0, 1000, 0}};
  return p;
}

MilpOptions latencyOptions(const std::string &solver) {
  MilpOptions options;
  options.objective = Objective::Latency;
  options.solver = solver;
  options.timeLimit = 30;
  return options;
}

class MilpLatencyTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MilpLatencyTest, FixedDevicesAndResidentMemoryMatchEnumeration) {
  diviml::testing::checkBoundaryAgainstEnumeration(GetParam(),
                                                   Objective::Latency, 5, 60);
}

TEST_P(MilpLatencyTest, InputsAreBookedInPredecessorOrder) {
  // u1 (cpu, 10 s) and u2 (cpu, 0 s) feed v (gpu, 1 s) with 1 s legs. The
  // evaluator books v's inputs in predecessor order: u1's leg [10, 11],
  // then u2's [11, 12]; v runs [12, 13]. Sending u2's tensor first would
  // give 12, but no priority order does that: the optimum is 13.
  Problem problem(cpuAndGpu());
  problem.addNode({"u1", {10, kInfinity}});
  problem.addNode({"u2", {0, kInfinity}});
  problem.addNode({"v", {kInfinity, 1}});
  problem.addEdge(0, 2, 1000);
  problem.addEdge(1, 2, 1000);
  problem.finalize();
  auto outcome = solvePlacementMilp(problem, latencyOptions(GetParam()));
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_EQ(outcome->status, SolveStatus::Optimal);
  EXPECT_NEAR(outcome->value, 13, 1e-9);
  EXPECT_NEAR(outcome->solverObjective, 13, 1e-6);
  EXPECT_NEAR(outcome->bound, 13, 1e-6);
}

TEST_P(MilpLatencyTest, OrderFollowsTheMilpNotTheIndices) {
  // a and b (1 s anywhere) are independent; a is released at 3 and the
  // gpu is busy until 10. Both on the cpu with b first: b [0, 1], a [3, 4]
  // -> 4; the index order would run a first: a [3, 4], b [4, 5] -> 5.
  Problem problem(cpuAndGpu());
  problem.addNode({"a", {1, 1}});
  problem.addNode({"b", {1, 1}});
  problem.finalize();
  MilpOptions options = latencyOptions(GetParam());
  options.boundary.releaseTime = {3, 0};
  options.boundary.deviceReady = {0, 10};
  auto outcome = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_EQ(outcome->status, SolveStatus::Optimal);
  EXPECT_NEAR(outcome->value, 4, 1e-9);
  EXPECT_EQ(outcome->solution.device, (std::vector<unsigned>{0, 0}));
  EXPECT_EQ(outcome->solution.order, (std::vector<unsigned>{1, 0}));
  // a fixed to the gpu: a [10, 11], b [0, 1] on the cpu -> 11.
  options.boundary.fixedDevice = {1u, std::nullopt};
  auto fixed = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(fixed)) << llvm::toString(fixed.takeError());
  EXPECT_NEAR(fixed->value, 11, 1e-9);
  EXPECT_EQ(fixed->solution.device, (std::vector<unsigned>{1, 0}));
}

TEST_P(MilpLatencyTest, LinkReadyTimeDelaysTransfers) {
  // a (cpu only, 1 s) -> b (gpu only, 1 s), a 1 s leg on a link busy until
  // 5: leg [5, 6], b [6, 7].
  Problem problem(cpuAndGpu());
  problem.addNode({"a", {1, kInfinity}});
  problem.addNode({"b", {kInfinity, 1}});
  problem.addEdge(0, 1, 1000);
  problem.finalize();
  MilpOptions options = latencyOptions(GetParam());
  options.boundary.linkReady = {5, 0};
  auto outcome = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_NEAR(outcome->value, 7, 1e-9);
}

TEST_P(MilpLatencyTest, PrintsNothing) {
  // Solver chatter is off and progress goes to spdlog at debug level.
  Problem problem(cpuAndGpu());
  problem.addNode({"a", {2, 1}});
  problem.addNode({"b", {2, 1}});
  problem.addEdge(0, 1, 1000);
  problem.finalize();
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  AlgorithmOptions options;
  options.solver = GetParam();
  auto result = scheduleMilp(problem, options);
  std::string out = ::testing::internal::GetCapturedStdout();
  std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(out, "");
  EXPECT_EQ(err, "");
  // Both on the gpu: 1 + 1 = 2.
  EXPECT_NEAR(evaluate(problem, result->solution, Objective::Latency).value, 2,
              1e-12);
  EXPECT_EQ(result->status, SolveStatus::Optimal);
}

TEST_P(MilpLatencyTest, SlotsRunOpsSideBySide) {
  // Three independent 1 s ops on a 2-slot cpu (the gpu runs nothing): two
  // at once, then the third -> 2.
  Problem problem(cpuAndGpu());
  problem.platform.devices[0].slots = 2;
  for (const char *name : {"a", "b", "c"})
    problem.addNode({name, {1, kInfinity}});
  problem.finalize();
  auto outcome = solvePlacementMilp(problem, latencyOptions(GetParam()));
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_NEAR(outcome->value, 2, 1e-9);
  EXPECT_NEAR(outcome->solverObjective, 2, 1e-6);
}

/// A random placement the evaluator accepts (or empty after many tries)
/// and a random topological order.
Solution randomSolution(const Problem &problem,
                        diviml::testing::Random &random) {
  Solution solution;
  for (unsigned attempt = 0; attempt != 50; ++attempt) {
    solution.device.clear();
    for (const Node &node : problem.nodes) {
      std::vector<unsigned> allowed;
      for (unsigned d = 0; d != problem.numDevices(); ++d)
        if (node.canRunOn(d))
          allowed.push_back(d);
      solution.device.push_back(allowed[random.below(allowed.size())]);
    }
    // Colocation: follow the group's first member.
    for (unsigned v = 0; v != problem.numNodes(); ++v)
      for (unsigned w = 0; w != v; ++w)
        if (problem.nodes[v].colocationGroup >= 0 &&
            problem.nodes[v].colocationGroup ==
                problem.nodes[w].colocationGroup) {
          solution.device[v] = solution.device[w];
          break;
        }
    if (!llvm::errorToBool(verify(problem, solution)))
      break;
    solution.device.clear();
  }
  std::vector<unsigned> indegree(problem.numNodes()), ready;
  for (unsigned v = 0; v != problem.numNodes(); ++v)
    if ((indegree[v] = problem.predecessors(v).size()) == 0)
      ready.push_back(v);
  while (!ready.empty()) {
    unsigned pick = random.below(ready.size());
    unsigned v = ready[pick];
    ready.erase(ready.begin() + pick);
    solution.order.push_back(v);
    for (unsigned w : problem.successors(v))
      if (--indegree[w] == 0)
        ready.push_back(w);
  }
  return solution;
}

TEST(MilpLatencyPointTest, EveryListScheduleIsAFeasiblePoint) {
  // The direction "MILP optimum <= evaluator optimum": the list schedule of
  // any placement and order, mapped to the MILP's variables, satisfies
  // every row and has the evaluator's makespan.
  diviml::testing::RandomProblemOptions shape;
  shape.minNodes = 2;
  shape.maxNodes = 12;
  shape.maxDevices = 4;
  diviml::testing::Random random(7);
  unsigned checked = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    Problem problem = diviml::testing::makeRandomProblem(seed, shape);
    for (unsigned trial = 0; trial != 4; ++trial) {
      Solution solution = randomSolution(problem, random);
      if (solution.device.empty())
        continue;
      Evaluation eval = evaluate(problem, solution, Objective::Latency);
      ASSERT_TRUE(eval.feasible) << eval.reason;
      auto check = checkMilpPoint(problem, solution, latencyOptions("glpk"));
      ASSERT_TRUE(bool(check)) << llvm::toString(check.takeError());
      EXPECT_LE(check->violation, 1e-9)
          << "seed " << seed << " trial " << trial << ": " << check->worst;
      EXPECT_NEAR(check->objective, eval.value, 1e-9 * eval.value)
          << "seed " << seed << " trial " << trial;
      ++checked;
    }
  }
  EXPECT_GT(checked, 400u);
}

/// Largest latency graph brute-forced by the exactness test; 5 keeps the
/// suite fast, DIVIML_MILP_EXHAUSTIVE_NODES=7 runs the longer check.
unsigned exhaustiveLatencyNodes() {
  const char *text = std::getenv("DIVIML_MILP_EXHAUSTIVE_NODES");
  return text ? std::max(2, std::atoi(text)) : 5;
}

TEST_P(MilpLatencyTest, MatchesExhaustiveSearchOnRandomDags) {
  // 200 DAGs of 2-5 nodes on 1-3 devices (mixed speeds and slots,
  // unsupported ops, colocation, memory pressure, overlapping or charged
  // transfers); brute force over placements and priority orders. Odd seeds
  // start from the heuristics' solutions, even ones from nothing.
  diviml::testing::RandomProblemOptions shape;
  shape.minNodes = 2;
  shape.maxNodes = exhaustiveLatencyNodes();
  shape.maxDevices = 3;
  shape.colocation = 0.15;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Problem problem = diviml::testing::makeRandomProblem(seed, shape);
    double best =
        diviml::testing::exhaustiveOptimum(problem, Objective::Latency);
    MilpOptions options = latencyOptions(GetParam());
    if (seed % 2)
      options.warmStarts =
          diviml::testing::heuristicSolutions(problem, Objective::Latency);
    auto outcome = solvePlacementMilp(problem, options);
    ASSERT_TRUE(bool(outcome))
        << "seed " << seed << ": " << llvm::toString(outcome.takeError());
    Evaluation eval = evaluate(problem, outcome->solution, Objective::Latency);
    ASSERT_TRUE(eval.feasible) << "seed " << seed << ": " << eval.reason;
    EXPECT_EQ(outcome->status, SolveStatus::Optimal) << "seed " << seed;
    double tolerance = 1e-9 * std::max(best, 1.0);
    EXPECT_NEAR(eval.value, best, tolerance) << "seed " << seed;
    EXPECT_NEAR(outcome->value, eval.value, tolerance) << "seed " << seed;
    EXPECT_NEAR(outcome->solverObjective, eval.value,
                1e-6 * std::max(best, 1.0))
        << "seed " << seed;
  }
}

TEST_P(MilpLatencyTest, RejectsMemoryThatNoPlacementFits) {
  Platform p = cpuAndGpu();
  p.devices[0].memoryCapacity = p.devices[1].memoryCapacity = 100;
  Problem problem(p);
  for (const char *name : {"a", "b", "c"}) {
    Node node{name, {1, 1}};
    node.memory = 60;
    problem.addNode(node);
  }
  problem.addEdge(0, 1, 10);
  problem.finalize();
  auto outcome = solvePlacementMilp(problem, latencyOptions(GetParam()));
  ASSERT_FALSE(bool(outcome));
  EXPECT_NE(llvm::toString(outcome.takeError())
                .find("no placement satisfies the memory capacities"),
            std::string::npos);
}

TEST_P(MilpLatencyTest, TimeoutKeepsTheWarmStart) {
  // Too big to prove in a fraction of a second: the answer is still valid,
  // never worse than the heuristics, and its value is the evaluator's.
  diviml::testing::RandomProblemOptions shape;
  shape.minNodes = shape.maxNodes = 30;
  shape.minDevices = shape.maxDevices = 3;
  Problem problem = diviml::testing::makeRandomProblem(11, shape);
  AlgorithmOptions heuristic;
  double bestHeuristic = kInfinity;
  for (auto *schedule : {scheduleHeft, scheduleGreedy}) {
    auto result = schedule(problem, heuristic);
    ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
    bestHeuristic =
        std::min(bestHeuristic,
                 evaluate(problem, result->solution, Objective::Latency).value);
  }
  AlgorithmOptions options;
  options.solver = GetParam();
  options.timeLimit = 0.5;
  auto result = scheduleMilp(problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  Evaluation eval = evaluate(problem, result->solution, Objective::Latency);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  EXPECT_LE(eval.value, bestHeuristic * (1 + 1e-12));
  EXPECT_LE(result->bound, eval.value * (1 + 1e-9));
  EXPECT_TRUE(result->status == SolveStatus::Timeout ||
              result->status == SolveStatus::Optimal);
}

TEST_P(MilpLatencyTest, TimeLimitCoversTheWholeCall) {
  // The limit used to cover the backend's solve only: heuristics, instance
  // and model came on top (time-limit=5 ran 7.9 s). Now within 10 %.
  if (GetParam() == std::string("cbc"))
    GTEST_SKIP() << "CBC itself overruns Cbc_setMaximumSeconds by about "
                    "0.8 s on this model (open, docs/milp.md)";
  diviml::testing::RandomProblemOptions shape;
  shape.minNodes = shape.maxNodes = 30;
  shape.minDevices = shape.maxDevices = 3;
  Problem problem = diviml::testing::makeRandomProblem(11, shape);
  AlgorithmOptions options;
  options.solver = GetParam();
  options.timeLimit = 2;
  // Processor time, not wall time: on an idle machine they agree, and on a
  // loaded one (CI shares its cores) the wall clock also counts other
  // processes' turns, which no limit can control.
  std::clock_t began = std::clock();
  auto result = scheduleMilp(problem, options);
  double seconds = double(std::clock() - began) / CLOCKS_PER_SEC;
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_LE(seconds, 1.1 * options.timeLimit);
}

TEST_P(MilpLatencyTest, ModelTooLargeForItsTimeIsNotBuilt) {
  // 30 ops on 3 devices: at least 30 jobs, 450 pairs. At 1e-3 s per pair
  // they need 0.45 s > 0.1 s: the best warm start comes back unbuilt (no
  // variables, status Timeout); with 0 the model is built as usual.
  diviml::testing::RandomProblemOptions shape;
  shape.minNodes = shape.maxNodes = 30;
  shape.minDevices = shape.maxDevices = 3;
  Problem problem = diviml::testing::makeRandomProblem(11, shape);
  auto heft = scheduleHeft(problem, AlgorithmOptions());
  ASSERT_TRUE(bool(heft)) << llvm::toString(heft.takeError());
  double heftValue =
      evaluate(problem, heft->solution, Objective::Latency).value;
  MilpOptions options = latencyOptions(GetParam());
  options.timeLimit = 0.1;
  options.warmStarts.push_back(heft->solution);
  options.secondsPerJobPair = 1e-3;
  auto skipped = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(skipped)) << llvm::toString(skipped.takeError());
  EXPECT_FALSE(skipped->built);
  EXPECT_EQ(skipped->variables, 0u);
  EXPECT_EQ(skipped->status, SolveStatus::Timeout);
  EXPECT_DOUBLE_EQ(skipped->value, heftValue);
  EXPECT_EQ(skipped->solution.device, heft->solution.device);

  options.secondsPerJobPair = 0;
  auto built = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(built)) << llvm::toString(built.takeError());
  EXPECT_TRUE(built->built);
  EXPECT_GT(built->variables, 0u);
  EXPECT_LE(built->value, heftValue * (1 + 1e-12));
}

TEST_P(MilpLatencyTest, TwinDevicesKeepTheOptimum) {
  diviml::testing::checkTwinDevicesAgainstEnumeration(GetParam(),
                                                      Objective::Latency, 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, MilpLatencyTest,
                         ::testing::ValuesIn(diviml::testing::backends()),
                         [](const auto &info) { return info.param; });

} // namespace
