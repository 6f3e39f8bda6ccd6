//===- MilpThroughputTest.cpp - The throughput MILP against brute force ---===//

#include "MilpTestSupport.h"
#include "RandomProblem.h"
#include "TestPlatforms.h"

#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Milp/Milp.h"
#include "diviml/Solvers/MilpSolver.h"

#include "gtest/gtest.h"

#include <cmath>

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

/// a -> b -> c, 1000-byte tensors (1 s per leg); c runs on the cpu only.
Problem chain() {
  Problem problem(cpuAndGpu());
  problem.addNode({"a", {4, 1}});
  problem.addNode({"b", {4, 1}});
  problem.addNode({"c", {2, kInfinity}});
  problem.addEdge(0, 1, 1000);
  problem.addEdge(1, 2, 1000);
  problem.finalize();
  return problem;
}

MilpOptions throughputOptions(const std::string &solver) {
  MilpOptions options;
  options.objective = Objective::Throughput;
  options.solver = solver;
  options.timeLimit = 30;
  return options;
}

class MilpThroughputTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MilpThroughputTest, FixedDevicesAndResidentMemoryMatchEnumeration) {
  diviml::testing::checkBoundaryAgainstEnumeration(
      GetParam(), Objective::Throughput, 7, 60);
}

TEST_P(MilpThroughputTest, ChainGoesToGpu) {
  // (gpu, gpu, cpu): gpu 1 + 1 = 2, cpu 2, link gpu->cpu 1 -> P = 2.
  // Others: all cpu 10; a or b on the cpu puts 4 + 2 = 6 there.
  Problem problem = chain();
  auto outcome = solvePlacementMilp(problem, throughputOptions(GetParam()));
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_EQ(outcome->status, SolveStatus::Optimal);
  EXPECT_EQ(outcome->solution.device, (std::vector<unsigned>{1, 1, 0}));
  EXPECT_NEAR(outcome->value, 2, 1e-9);
  EXPECT_NEAR(outcome->solverObjective, 2, 1e-6);
  EXPECT_NEAR(outcome->bound, 2, 1e-6);
}

TEST_P(MilpThroughputTest, ModelWithTooManyTermsForItsWorkIsNotBuilt) {
  // The chain's model has 37 terms: placement 3 x (2 + 2 + 1) allowed
  // devices = 15; three charged legs (a over cpu->gpu and gpu->cpu, b over
  // gpu->cpu; c runs on the cpu only), each 3 + (1 + 1 source + 1 consumer
  // device) = 6, 18; 2 devices and 2 links, 4. At one work unit per term,
  // a work limit of 36 keeps the warm start (all on the cpu, 4 + 4 + 2 =
  // 10 s) unbuilt; 37 builds the model, which finds the optimum 2.
  Problem problem = chain();
  MilpOptions options = throughputOptions(GetParam());
  options.warmStarts.push_back({{0, 0, 0}});
  options.workPerTerm = 1;
  options.workLimit = 36;
  auto skipped = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(skipped)) << llvm::toString(skipped.takeError());
  EXPECT_FALSE(skipped->built);
  EXPECT_EQ(skipped->variables, 0u);
  EXPECT_EQ(skipped->status, SolveStatus::Timeout);
  EXPECT_EQ(skipped->solution.device, (std::vector<unsigned>{0, 0, 0}));
  EXPECT_NEAR(skipped->value, 10, 1e-9);

  for (double limit : {37.0, 1e6}) {
    options.workLimit = limit;
    auto built = solvePlacementMilp(problem, options);
    ASSERT_TRUE(bool(built)) << llvm::toString(built.takeError());
    EXPECT_TRUE(built->built) << limit;
    EXPECT_GT(built->variables, 0u) << limit;
    if (limit == 1e6) {
      EXPECT_NEAR(built->value, 2, 1e-9);
    }
  }
}

TEST_P(MilpThroughputTest, ChargedTransfersLoadTheGpu) {
  // Without DMA overlap the gpu also spends the 1 s leg b -> cpu:
  // (gpu, gpu, cpu) gives gpu 1 + 1 + 1 = 3, cpu (host, uncharged) 2 -> 3;
  // (gpu, cpu, cpu) gives cpu 4 + 2 = 6. All cpu: 10.
  Problem problem = chain();
  problem.platform.transfersOverlapCompute = false;
  auto outcome = solvePlacementMilp(problem, throughputOptions(GetParam()));
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_NEAR(outcome->value, 3, 1e-9);
  EXPECT_NEAR(evaluate(problem, outcome->solution, Objective::Throughput).value,
              3, 1e-9);
}

TEST_P(MilpThroughputTest, StagedLegIsSharedAcrossDestinations) {
  // u runs on gpu0 only; w1 on gpu1 only, w2 on the cpu only. The tensor
  // crosses gpu0->cpu once (for w2 and on its way to gpu1) and cpu->gpu1
  // once: each link carries 1 s, so P = 1 (2 if the first leg were counted
  // per destination).
  Platform p = diviml::testing::hostAndGpus(2, 1000);
  Problem problem(p);
  problem.addNode({"u", {kInfinity, 0.5, kInfinity}});
  problem.addNode({"w1", {kInfinity, kInfinity, 0.5}});
  problem.addNode({"w2", {0.5, kInfinity, kInfinity}});
  problem.addEdge(0, 1, 1000);
  problem.addEdge(0, 2, 1000);
  problem.finalize();
  auto outcome = solvePlacementMilp(problem, throughputOptions(GetParam()));
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_NEAR(outcome->value, 1, 1e-9);
  EXPECT_NEAR(outcome->solverObjective, 1, 1e-6);
}

TEST_P(MilpThroughputTest, RespectsAccumulatedLoadsAndFixedDevices) {
  Problem problem = chain();
  MilpOptions options = throughputOptions(GetParam());
  // 3 s already on the gpu: (gpu, gpu, cpu) -> gpu 3 + 2 = 5; (gpu, cpu,
  // cpu) -> cpu 4 + 2 = 6; (cpu, gpu, cpu) -> cpu 6; all cpu 10. Best 5.
  options.boundary.deviceLoad = {0, 3};
  auto loaded = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  EXPECT_EQ(loaded->status, SolveStatus::Optimal);
  EXPECT_NEAR(loaded->value, 5, 1e-9);
  // b fixed to the cpu: (gpu, cpu, cpu) -> cpu 6, gpu 3 + 1 = 4, links 1
  // -> 6; all cpu -> 10.
  options.boundary.fixedDevice = {std::nullopt, 0u, std::nullopt};
  auto fixed = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(fixed)) << llvm::toString(fixed.takeError());
  EXPECT_EQ(fixed->solution.device, (std::vector<unsigned>{1, 0, 0}));
  EXPECT_NEAR(fixed->value, 6, 1e-9);
  // Still b on the cpu, and 7 s per sample already on link cpu->gpu:
  // (gpu, cpu, cpu) sends nothing over it (a's tensor goes gpu->cpu) and
  // has cpu 6, gpu 4, links 7 and 1 -> 7; all cpu -> 10. Best 7.
  options.boundary.linkLoad = {7, 0};
  auto link = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(link)) << llvm::toString(link.takeError());
  EXPECT_NEAR(link->value, 7, 1e-9);
}

TEST_P(MilpThroughputTest, MatchesExhaustiveSearchOnRandomDags) {
  // 200 DAGs of 2-8 nodes on 1-3 devices: mixed speeds and slots,
  // unsupported ops, colocation, memory pressure, charged or free legs.
  // Odd seeds start from the heuristics' solutions.
  diviml::testing::RandomProblemOptions shape;
  shape.minNodes = 2;
  shape.maxNodes = 8;
  shape.maxDevices = 3;
  shape.colocation = 0.15;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Problem problem = diviml::testing::makeRandomProblem(seed, shape);
    double best =
        diviml::testing::exhaustiveOptimum(problem, Objective::Throughput);
    MilpOptions options = throughputOptions(GetParam());
    if (seed % 2)
      options.warmStarts =
          diviml::testing::heuristicSolutions(problem, Objective::Throughput);
    auto outcome = solvePlacementMilp(problem, options);
    ASSERT_TRUE(bool(outcome))
        << "seed " << seed << ": " << llvm::toString(outcome.takeError());
    Evaluation eval =
        evaluate(problem, outcome->solution, Objective::Throughput);
    ASSERT_TRUE(eval.feasible) << "seed " << seed << ": " << eval.reason;
    EXPECT_EQ(outcome->status, SolveStatus::Optimal) << "seed " << seed;
    EXPECT_NEAR(eval.value, best, 1e-9 * best) << "seed " << seed;
    EXPECT_NEAR(outcome->value, eval.value, 1e-12 * best) << "seed " << seed;
    EXPECT_NEAR(outcome->solverObjective, eval.value, 1e-6 * best)
        << "seed " << seed;
    EXPECT_LE(outcome->bound, best * (1 + 1e-6)) << "seed " << seed;
  }
}

TEST_P(MilpThroughputTest, RejectsMemoryThatNoPlacementFits) {
  // Three 60-byte nodes, two 100-byte devices: each fits alone (check()
  // passes), no two share a device, and there are only two devices.
  Platform p = cpuAndGpu();
  p.devices[0].memoryCapacity = p.devices[1].memoryCapacity = 100;
  Problem problem(p);
  for (const char *name : {"a", "b", "c"}) {
    Node node{name, {1, 1}};
    node.memory = 60;
    problem.addNode(node);
  }
  problem.finalize();
  ASSERT_FALSE(bool(problem.check()));
  auto outcome = solvePlacementMilp(problem, throughputOptions(GetParam()));
  ASSERT_FALSE(bool(outcome));
  EXPECT_NE(llvm::toString(outcome.takeError())
                .find("no placement satisfies the memory capacities"),
            std::string::npos);
  // 80 bytes each: 240 bytes for 200 bytes of room.
  for (Node &node : problem.nodes)
    node.memory = 80;
  auto total = solvePlacementMilp(problem, throughputOptions(GetParam()));
  ASSERT_FALSE(bool(total));
  EXPECT_EQ(llvm::toString(total.takeError()),
            "no placement fits in memory: the nodes need 240 bytes but the "
            "devices have only 200 bytes free");
}

TEST_P(MilpThroughputTest, EveryPlacementMapsToAFeasiblePoint) {
  // The warm-start mapping: any admissible placement is a feasible point
  // whose objective is the evaluator's value.
  diviml::testing::RandomProblemOptions shape;
  shape.maxNodes = 7;
  shape.maxDevices = 3;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    Problem problem = diviml::testing::makeRandomProblem(seed, shape);
    Solution solution;
    diviml::testing::forEachPlacement(
        problem, [&](const std::vector<unsigned> &p) {
          solution.device = p;
          Evaluation eval = evaluate(problem, solution, Objective::Throughput);
          if (!eval.feasible)
            return;
          auto check =
              checkMilpPoint(problem, solution, throughputOptions(GetParam()));
          ASSERT_TRUE(bool(check)) << llvm::toString(check.takeError());
          EXPECT_LE(check->violation, 1e-9)
              << "seed " << seed << ": " << check->worst;
          EXPECT_NEAR(check->objective, eval.value, 1e-9 * eval.value);
        });
  }
}

/// Best rate of one copy on `group` by brute force.
double bestRateOn(const Problem &problem, llvm::ArrayRef<unsigned> group) {
  double best = 0;
  Solution solution;
  diviml::testing::forEachPlacement(
      problem, [&](const std::vector<unsigned> &p) {
        for (unsigned d : p)
          if (!llvm::is_contained(group, d))
            return;
        solution.device = p;
        Evaluation eval = evaluate(problem, solution, Objective::Throughput);
        if (eval.feasible)
          best = std::max(best, eval.samplesPerSecond);
      });
  return best;
}

/// Best rate over all groupings of the devices into copies.
double bestReplicatedRate(const Problem &problem) {
  unsigned numDev = problem.numDevices();
  double best = 0;
  std::vector<unsigned> block(numDev, 0);
  std::function<void(unsigned, unsigned)> assign = [&](unsigned d,
                                                       unsigned blocks) {
    if (d == numDev) {
      double rate = 0;
      for (unsigned b = 0; b != blocks; ++b) {
        std::vector<unsigned> group;
        for (unsigned e = 0; e != numDev; ++e)
          if (block[e] == b)
            group.push_back(e);
        double groupRate = bestRateOn(problem, group);
        if (groupRate == 0)
          return; // This group cannot hold a copy.
        rate += groupRate;
      }
      best = std::max(best, rate);
      return;
    }
    for (unsigned b = 0; b <= blocks; ++b) {
      block[d] = b;
      assign(d + 1, std::max(blocks, b + 1));
    }
  };
  assign(0, 0);
  return best;
}

TEST_P(MilpThroughputTest, DataParallelMatchesExhaustiveGroupings) {
  diviml::testing::RandomProblemOptions shape;
  shape.minNodes = 2;
  shape.maxNodes = 5;
  shape.minDevices = 2;
  shape.maxDevices = 3;
  AlgorithmOptions options;
  options.objective = Objective::Throughput;
  options.solver = GetParam();
  options.dataParallel = true;
  options.timeLimit = 60;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Problem problem = diviml::testing::makeRandomProblem(seed, shape);
    double bestRate = bestReplicatedRate(problem);
    auto result = scheduleMilp(problem, options);
    ASSERT_TRUE(bool(result))
        << "seed " << seed << ": " << llvm::toString(result.takeError());
    Evaluation eval =
        evaluate(problem, result->solution, Objective::Throughput);
    ASSERT_TRUE(eval.feasible) << "seed " << seed << ": " << eval.reason;
    EXPECT_EQ(result->status, SolveStatus::Optimal) << "seed " << seed;
    EXPECT_NEAR(eval.samplesPerSecond, bestRate, 1e-9 * bestRate)
        << "seed " << seed;
    EXPECT_LE(result->bound, eval.value * (1 + 1e-6)) << "seed " << seed;
  }
}

TEST_P(MilpThroughputTest, DataParallelReplicatesOnIdenticalGpus) {
  // One op that only two identical GPUs run, 1 s each: one copy gives 1
  // sample/s; a copy per GPU (the cpu joins either group) gives 2, i.e.
  // 0.5 s per sample.
  Platform p = diviml::testing::hostAndGpus(2, 1000);
  Problem problem(p);
  problem.addNode({"op", {kInfinity, 1, 1}});
  problem.finalize();
  AlgorithmOptions options;
  options.objective = Objective::Throughput;
  options.solver = GetParam();
  options.dataParallel = true;
  auto result = scheduleMilp(problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->solution.replicas.size(), 1u);
  EXPECT_NEAR(evaluate(problem, result->solution, Objective::Throughput).value,
              0.5, 1e-12);
  // The two GPUs are interchangeable: {cpu,gpu0}+{gpu1} and
  // {cpu,gpu1}+{gpu0} share solves.
  EXPECT_LT(result->stats["dataParallel.groupSolves"], 7);
}

TEST_P(MilpThroughputTest, TwinDevicesKeepTheOptimum) {
  diviml::testing::checkTwinDevicesAgainstEnumeration(GetParam(),
                                                      Objective::Throughput, 7);
}

TEST_P(MilpThroughputTest, WarmStartOnTheSecondTwinIsUsed) {
  // Symmetry breaking numbers twin devices by first use; a warm start that
  // uses only the second twin must be renamed, not dropped.
  Platform p = diviml::testing::hostAndGpus(2, 1000);
  Problem problem(p);
  problem.addNode({"a", {5, 1, 1}});
  problem.addNode({"b", {5, 1, 1}});
  problem.addEdge(0, 1, 10);
  problem.finalize();
  ASSERT_EQ(problem.platform.identicalDeviceClasses().size(), 2u);
  MilpOptions options;
  options.objective = Objective::Throughput;
  options.solver = GetParam();
  Solution start;
  start.device = {2, 2};
  options.warmStarts = {start};
  auto outcome = solvePlacementMilp(problem, options);
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_TRUE(outcome->warmStartUsed);
  // Both on one GPU (load 2) or one per GPU (1 + 0.01 transfer each way on
  // links, so 1): the optimum splits them.
  EXPECT_EQ(outcome->status, SolveStatus::Optimal);
  EXPECT_NEAR(outcome->value, 1, 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Backends, MilpThroughputTest,
                         ::testing::ValuesIn(diviml::testing::backends()),
                         [](const auto &info) { return info.param; });

} // namespace
