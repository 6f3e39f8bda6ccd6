//===- LatencySegmentsTest.cpp - The contiguous-segment latency candidate -===//

#include "diviml/Split/LatencySegments.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Workloads/MsrFormat.h"

#include "gtest/gtest.h"

#include <random>
#include <string>

using namespace diviml;

namespace {

struct ChainNode {
  double fpga, cpu, size;
  bool supported = true;
  int color = -1;
};

/// An MSR workload (Tarnawski format, imported as the pass would): `nodes`
/// with ids 0.., edges (src, dst, cost).
Problem msrProblem(unsigned accels, unsigned cpus, double capacity,
                   const std::vector<ChainNode> &nodes,
                   const std::vector<std::tuple<int, int, double>> &edges) {
  std::string text = "{\"maxSizePerFPGA\": " + std::to_string(capacity) +
                     ", \"maxFPGAs\": " + std::to_string(accels) +
                     ", \"maxCPUs\": " + std::to_string(cpus) +
                     ", \"nodes\": [";
  for (unsigned i = 0; i != nodes.size(); ++i) {
    const ChainNode &n = nodes[i];
    text += (i ? ", " : "") + std::string("{\"id\": ") + std::to_string(i) +
            ", \"supportedOnFpga\": " + (n.supported ? "1" : "0") +
            ", \"fpgaLatency\": " + std::to_string(n.fpga) +
            ", \"cpuLatency\": " + std::to_string(n.cpu) +
            ", \"size\": " + std::to_string(n.size) +
            (n.color >= 0 ? ", \"colorClass\": " + std::to_string(n.color)
                          : std::string()) +
            "}";
  }
  text += "], \"edges\": [";
  for (unsigned i = 0; i != edges.size(); ++i) {
    auto [a, b, cost] = edges[i];
    text += (i ? ", " : "") + std::string("{\"sourceId\": ") +
            std::to_string(a) + ", \"destId\": " + std::to_string(b) +
            ", \"cost\": " + std::to_string(cost) + "}";
  }
  text += "]}";
  llvm::Expected<Problem> problem = importMsrJson(text);
  EXPECT_TRUE(bool(problem)) << llvm::toString(problem.takeError());
  return std::move(*problem);
}

double latency(const Problem &problem, const Solution &solution) {
  return evaluate(problem, solution, Objective::Latency).value;
}

/// The optimum over every valid placement (orders: the topological one,
/// which is the only one of a chain).
double enumeratedOptimum(const Problem &problem) {
  unsigned n = problem.numNodes(), d = problem.numDevices();
  Solution solution;
  solution.device.assign(n, 0);
  double best = kInfinity;
  while (true) {
    Evaluation e = evaluate(problem, solution, Objective::Latency);
    if (e.feasible)
      best = std::min(best, e.value);
    unsigned i = 0;
    while (i != n && ++solution.device[i] == d)
      solution.device[i++] = 0;
    if (i == n)
      return best;
  }
}

TEST(LatencySegmentsTest, ChainOverTwoAcceleratorsByHand) {
  // a -> b -> c -> d, 1 s each on an accelerator, 10 s on a CPU, size 1,
  // two accelerators of capacity 2, every tensor 3 s per leg. Best: {a, b}
  // on acc0, {c, d} on acc1: 4 s of compute plus b's tensor up and down
  // (2 x 3 s) = 10. {a, b} on acc0 and c, d on the host: 2 + 3 + 20 = 25.
  Problem problem =
      msrProblem(2, 2, 2, {{1, 10, 1}, {1, 10, 1}, {1, 10, 1}, {1, 10, 1}},
                 {{0, 1, 3}, {1, 2, 3}, {2, 3, 3}});
  std::optional<LatencySegmentsResult> found = latencySegments(problem);
  ASSERT_TRUE(found);
  EXPECT_DOUBLE_EQ(found->estimate, 10);
  EXPECT_DOUBLE_EQ(found->value, 10);
  EXPECT_DOUBLE_EQ(latency(problem, found->solution), 10);
  EXPECT_EQ(found->segments, 2u);
  EXPECT_EQ(found->limitedSegments, 2u);
  EXPECT_EQ(found->solution.device[0], found->solution.device[1]);
  EXPECT_EQ(found->solution.device[2], found->solution.device[3]);
  EXPECT_NE(found->solution.device[1], found->solution.device[2]);
  EXPECT_DOUBLE_EQ(enumeratedOptimum(problem), 10);
}

TEST(LatencySegmentsTest, ExpensiveCutGoesToTheHost) {
  // The same chain with 30-s tensors: cutting between accelerators costs
  // 60 s, so the tail runs on the host: {a, b} on acc0 (2 s), b's tensor up
  // (30 s), c and d on cpu0 (20 s) = 52; everything on the host is 40.
  Problem problem =
      msrProblem(2, 1, 2, {{1, 10, 1}, {1, 10, 1}, {1, 10, 1}, {1, 10, 1}},
                 {{0, 1, 30}, {1, 2, 30}, {2, 3, 30}});
  std::optional<LatencySegmentsResult> found = latencySegments(problem);
  ASSERT_TRUE(found);
  EXPECT_DOUBLE_EQ(found->value, 40);
  EXPECT_DOUBLE_EQ(enumeratedOptimum(problem), 40);
  // 1-s tensors and a 5-s CPU: {a, b} on acc0, {c, d} on acc1, 4 + 2 x 1.
  Problem cheap =
      msrProblem(2, 1, 2, {{1, 5, 1}, {1, 5, 1}, {1, 5, 1}, {1, 5, 1}},
                 {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}});
  found = latencySegments(cheap);
  ASSERT_TRUE(found);
  EXPECT_DOUBLE_EQ(found->value, 6);
  EXPECT_DOUBLE_EQ(enumeratedOptimum(cheap), 6);
}

TEST(LatencySegmentsTest, MatchesTheEnumeratedOptimumOnRandomChains) {
  // Chains with one accelerator per node, so that no accelerator is needed
  // twice: the DP's estimate is the evaluator's latency and it must find the
  // enumerated optimum (unsupported nodes included). With fewer
  // accelerators than segments the optimum may put two runs on one
  // accelerator, which the DP does not search.
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> unit(0.5, 2);
  for (unsigned trial = 0; trial != 20; ++trial) {
    unsigned n = 5 + trial % 2;
    std::vector<ChainNode> nodes;
    std::vector<std::tuple<int, int, double>> edges;
    for (unsigned i = 0; i != n; ++i) {
      double fpga = unit(rng);
      nodes.push_back(
          {fpga, fpga * (2 + 4 * unit(rng)), unit(rng), rng() % 7 != 0});
      if (i)
        edges.push_back(
            {int(i - 1), int(i), trial % 3 == 0 ? 4 * unit(rng) : unit(rng)});
    }
    Problem problem = msrProblem(n, 1, 2.5, nodes, edges);
    std::optional<LatencySegmentsResult> found = latencySegments(problem);
    ASSERT_TRUE(found) << "trial " << trial;
    double optimum = enumeratedOptimum(problem);
    EXPECT_NEAR(found->value, optimum, 1e-9 * optimum) << "trial " << trial;
    EXPECT_NEAR(found->estimate, found->value, 1e-9 * optimum)
        << "trial " << trial;
  }
}

TEST(LatencySegmentsTest, ColocatedMembersFollowTheirAnchor) {
  // A weight (node 0, size 1.5) colocated with its consumer 3, far apart in
  // the topological order: 0 and 1 are sources, 1 -> 2 -> 3, 0 -> 3.
  std::vector<ChainNode> nodes = {
      {0, 0, 1.5, true, 7}, {1, 10, 1}, {1, 10, 1}, {1, 10, 0.5, true, 7}};
  Problem problem =
      msrProblem(2, 1, 2, nodes, {{0, 3, 1}, {1, 2, 1}, {2, 3, 1}});
  std::optional<LatencySegmentsResult> found = latencySegments(problem);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->solution.device[0], found->solution.device[3]);
  EXPECT_TRUE(evaluate(problem, found->solution, Objective::Latency).feasible);
  EXPECT_DOUBLE_EQ(found->value, enumeratedOptimum(problem));
}

TEST(LatencySegmentsTest, SkipsWithoutHostOrBudget) {
  Problem problem = msrProblem(2, 1, 2, {{1, 10, 1}, {1, 10, 1}}, {{0, 1, 3}});
  LatencySegmentsOptions tiny;
  tiny.maxCells = 1;
  tiny.minSegmentCap = 1;
  EXPECT_FALSE(latencySegments(problem, tiny));
  // Deterministic: the same answer twice.
  std::optional<LatencySegmentsResult> a = latencySegments(problem),
                                       b = latencySegments(problem);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->solution.device, b->solution.device);
}

} // namespace
