//===- AlgorithmsTest.cpp - Baselines and the algorithm registry ----------===//

#include "diviml/Algorithms/Algorithms.h"
#include "TestPlatforms.h"
#include "diviml/Evaluation/Evaluate.h"

#include "gtest/gtest.h"

using namespace diviml;

namespace {

/// cpu (host) and two GPUs linked to it at 100 B/s, no latency.
Platform cpuAndTwoGpus() { return diviml::testing::hostAndGpus(2, 100); }

AlgorithmResult run(llvm::StringRef name, const Problem &problem,
                    Objective objective) {
  AlgorithmOptions options;
  options.objective = objective;
  llvm::Expected<AlgorithmResult> result = runAlgorithm(name, problem, options);
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return {};
  }
  return std::move(*result);
}

TEST(AlgorithmsTest, RegistryListsBaselinesAndRejectsUnknownNames) {
  std::vector<llvm::StringRef> names(algorithmNames().begin(),
                                     algorithmNames().end());
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(names[0], "fastest-single");
  EXPECT_EQ(names[1], "greedy");
  EXPECT_EQ(names[2], "heft");
  Problem problem(cpuAndTwoGpus());
  llvm::Expected<AlgorithmResult> result =
      runAlgorithm("magic", problem, AlgorithmOptions());
  ASSERT_FALSE(bool(result));
  std::string message = llvm::toString(result.takeError());
  EXPECT_EQ(message.rfind("unknown algorithm 'magic'; known algorithms: "
                          "fastest-single, greedy, heft",
                          0),
            0u)
      << message;
  EXPECT_EQ(stringifySolveStatus(SolveStatus::Optimal), "optimal");
  EXPECT_EQ(stringifySolveStatus(SolveStatus::Heuristic), "heuristic");
  EXPECT_EQ(stringifySolveStatus(SolveStatus::Timeout), "timeout");
}

TEST(FastestSingleTest, PicksTheFastestWholeDevice) {
  Problem problem(cpuAndTwoGpus());
  problem.addNode({"a", {4, 2, 1}});
  problem.addNode({"b", {4, 2, 5}});
  problem.addEdge(0, 1, 100);
  problem.finalize();
  // Totals: cpu 8, gpu0 4, gpu1 6.
  for (Objective objective : {Objective::Latency, Objective::Throughput}) {
    AlgorithmResult result = run("fastest-single", problem, objective);
    EXPECT_EQ(result.solution.device, (std::vector<unsigned>{1, 1}));
    EXPECT_DOUBLE_EQ(evaluate(problem, result.solution, objective).value, 4);
  }
  // gpu0 holds only one of them: gpu1 (6) beats cpu (8).
  problem.platform.devices[1].memoryCapacity = 10;
  problem.nodes[0].memory = problem.nodes[1].memory = 6;
  AlgorithmResult result = run("fastest-single", problem, Objective::Latency);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{2, 2}));
}

TEST(FastestSingleTest, SpillsWhenNoDeviceRunsEverything) {
  Problem problem(cpuAndTwoGpus());
  problem.addNode({"a", {4, 1, kInfinity}});
  problem.addNode({"b", {4, 1, 2}});
  problem.addNode({"c", {4, kInfinity, 1}});
  problem.addNode({"d", {4, 1, 3}});
  problem.addEdge(0, 1, 100);
  problem.addEdge(1, 2, 100);
  problem.addEdge(2, 3, 100);
  // Links move 100 bytes in 1 s; gpu0 <-> gpu1 is staged through the cpu
  // (2 s). Each device is tried as the primary:
  //   cpu:  all four on the cpu, 16 s;
  //   gpu0: a, b on gpu0 (2), c spills to its fastest device gpu1 (2 + 2 + 1
  //         = 5), d back on gpu0 (5 + 2 + 1 = 8);
  //   gpu1: a spills to gpu0 (1), b, c, d on gpu1 (1 + 2 + 2 + 1 + 3 = 9).
  // gpu0 as the primary wins with 8 s.
  AlgorithmResult result = run("fastest-single", problem, Objective::Latency);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{1, 1, 2, 1}));
  EXPECT_EQ(evaluate(problem, result.solution, Objective::Latency).value, 8);
  // Throughput, without the cpu able to run c or d (transfers overlap
  // compute, so only links carry them, 1 s per leg):
  //   cpu:  a, b on the cpu (8), c on gpu1, d on gpu0: max load 8;
  //   gpu0: a, b, d on gpu0 (3), c on gpu1 (1), each link leg 1: 3;
  //   gpu1: a on gpu0 (1), b, c, d on gpu1 (2 + 1 + 3 = 6): 6.
  problem.nodes[2].time[0] = problem.nodes[3].time[0] = kInfinity;
  result = run("fastest-single", problem, Objective::Throughput);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{1, 1, 2, 1}));
  EXPECT_EQ(evaluate(problem, result.solution, Objective::Throughput).value, 3);
}

TEST(GreedyTest, SpreadsIndependentNodes) {
  Problem problem(cpuAndTwoGpus());
  problem.addNode({"a", {9, 3, 3}});
  problem.addNode({"b", {9, 3, 3}});
  problem.finalize();
  // Latency: a on gpu0 finishes at 3; b finishes at 3 on gpu1, 6 on gpu0.
  AlgorithmResult result = run("greedy", problem, Objective::Latency);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{1, 2}));
  EXPECT_DOUBLE_EQ(result.stats["makespan"], 3);
  // Throughput: b on gpu1 keeps the max load at 3.
  result = run("greedy", problem, Objective::Throughput);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{1, 2}));
  EXPECT_DOUBLE_EQ(result.stats["max-load"], 3);
}

TEST(GreedyTest, WeighsTransferAgainstCompute) {
  Problem problem(cpuAndTwoGpus());
  problem.addNode({"a", {9, 1, 1}});
  problem.addNode({"b", {9, 2, 2}});
  problem.addNode({"c", {9, 2, 2}});
  problem.addEdge(0, 1, 300);
  problem.addEdge(0, 2, 300);
  problem.finalize();
  // a on gpu0 (0-1). b on gpu0: 1-3. c on gpu0: 3-5; on gpu1 the tensor
  // goes gpu0 -> cpu -> gpu1, 3 + 3 s: c 7-9. So all stay on gpu0.
  AlgorithmResult result = run("greedy", problem, Objective::Latency);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{1, 1, 1}));
  EXPECT_DOUBLE_EQ(result.stats["makespan"], 5);
  // With 30-byte tensors c on gpu1 gets them at 1 + 0.3 + 0.3 and ends at
  // 3.6 < 5.
  problem.edges[0].bytes = problem.edges[1].bytes = 30;
  problem.finalize();
  result = run("greedy", problem, Objective::Latency);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{1, 1, 2}));
  EXPECT_DOUBLE_EQ(result.stats["makespan"], 3.6);
}

TEST(GreedyTest, ColocationGroupFollowsItsFirstMember) {
  Problem problem(cpuAndTwoGpus());
  Node a{"a", {9, 1, 2}}, b{"b", {9, 5, 1}};
  a.colocationGroup = b.colocationGroup = 4;
  problem.addNode(a);
  problem.addNode(b);
  problem.finalize();
  // Latency: a finishes first on gpu0 (1 s) and b must follow it there.
  AlgorithmResult result = run("greedy", problem, Objective::Latency);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{1, 1}));
  // Throughput: a brings the group's compute, 1 + 5 = 6 on gpu0 but
  // 2 + 1 = 3 on gpu1.
  result = run("greedy", problem, Objective::Throughput);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{2, 2}));
  EXPECT_DOUBLE_EQ(result.stats["max-load"], 3);
  // When gpu0 cannot hold the whole group, a goes where the group fits.
  problem.platform.devices[1].memoryCapacity = 10;
  problem.nodes[0].memory = problem.nodes[1].memory = 6;
  result = run("greedy", problem, Objective::Latency);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{2, 2}));
}

TEST(HeftTest, RanksAndInsertsIntoGaps) {
  // a -> b (long) and an independent short c. HEFT ranks a, b before c and
  // fills c into gpu1's idle time.
  Problem problem(cpuAndTwoGpus());
  problem.addNode({"a", {9, 2, 2}});
  problem.addNode({"b", {20, 4, 4}});
  problem.addNode({"c", {9, 1, 1}});
  problem.addEdge(0, 1, 0);
  problem.finalize();
  AlgorithmResult result = run("heft", problem, Objective::Latency);
  // a gpu0 0-2, b gpu0 2-6 (no transfer), c gpu1 0-1.
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{1, 1, 2}));
  EXPECT_DOUBLE_EQ(result.stats["heft-makespan"], 6);
  // The evaluator replays it in start order (a and c at 0, then b).
  EXPECT_EQ(result.solution.order, (std::vector<unsigned>{0, 2, 1}));
  EXPECT_DOUBLE_EQ(evaluate(problem, result.solution, Objective::Latency).value,
                   6);
}

TEST(HeftTest, InsertionUsesAnEarlierGap) {
  // One GPU only (plus a slow cpu). a -> b with a long transfer leaves a gap
  // on the GPU that the short, low-rank c fills.
  Platform p;
  p.devices = {{"cpu", DeviceKind::Cpu}, {"gpu", DeviceKind::Gpu}};
  p.host = 0;
  p.links = {{0, 1, 10, 0}, {1, 0, 10, 0}};
  Problem problem(p);
  problem.addNode({"a", {1, 50}}); // Only sensible on the cpu.
  problem.addNode({"b", {50, 2}});
  problem.addNode({"c", {50, 1}});
  problem.addEdge(0, 1, 20);
  problem.finalize();
  // a cpu 0-1; b's input reaches the gpu at 1 + 20/10 = 3: b gpu 3-5.
  // c (ranked last) fits the gpu's idle 0-3: c gpu 0-1.
  AlgorithmResult result = run("heft", problem, Objective::Latency);
  EXPECT_EQ(result.solution.device, (std::vector<unsigned>{0, 1, 1}));
  EXPECT_DOUBLE_EQ(result.stats["heft-makespan"], 5);
  EXPECT_EQ(result.solution.order, (std::vector<unsigned>{0, 2, 1}));
}

} // namespace
