//===- SplitRandWireTest.cpp - The RandWire-style graph generator ---------===//

#include "diviml/Model/PlatformIO.h"
#include "diviml/Workloads/RandWire.h"

#include "gtest/gtest.h"

#include <set>

using namespace diviml;

namespace {

using Edges = std::vector<std::pair<unsigned, unsigned>>;

TEST(RandWireTest, RingLatticeWithoutRewiring) {
  // WS(6 nodes, k = 2, p = 0): the ring 0-1-2-3-4-5-0.
  RandWireOptions options;
  options.kind = RandomGraphKind::WattsStrogatz;
  options.nodes = 6;
  options.degree = 2;
  options.probability = 0;
  EXPECT_EQ(randomGraphEdges(options),
            (Edges{{0, 1}, {0, 5}, {1, 2}, {2, 3}, {3, 4}, {4, 5}}));
  // k = 4 adds the second neighbours: 12 edges.
  options.degree = 4;
  EXPECT_EQ(randomGraphEdges(options).size(), 12u);
}

TEST(RandWireTest, EdgeCountsAndDeterminism) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    RandWireOptions ws;
    ws.kind = RandomGraphKind::WattsStrogatz;
    ws.nodes = 100;
    ws.seed = seed;
    // Rewiring moves edges, never adds or drops one: n k / 2.
    Edges edges = randomGraphEdges(ws);
    EXPECT_EQ(edges.size(), 200u);
    EXPECT_EQ(randomGraphEdges(ws), edges);
    std::set<std::pair<unsigned, unsigned>> distinct(edges.begin(),
                                                     edges.end());
    EXPECT_EQ(distinct.size(), edges.size());
    for (auto [a, b] : edges)
      EXPECT_LT(a, b);
    ws.seed = seed + 100;
    EXPECT_NE(randomGraphEdges(ws), edges);

    // BA(m = 5): every node after the first 5 brings 5 edges.
    RandWireOptions ba;
    ba.kind = RandomGraphKind::BarabasiAlbert;
    ba.nodes = 100;
    ba.seed = seed;
    EXPECT_EQ(randomGraphEdges(ba).size(), 95u * 5);

    // ER(0.2) on 100 nodes: 990 edges expected, sd ~28.
    RandWireOptions er;
    er.kind = RandomGraphKind::ErdosRenyi;
    er.nodes = 100;
    er.seed = seed;
    size_t count = randomGraphEdges(er).size();
    EXPECT_GT(count, 850u);
    EXPECT_LT(count, 1130u);
  }
}

TEST(RandWireTest, ProblemHasOneInputOneOutputAndRooflineTimes) {
  Platform platform = *presetPlatform("cpu-2gpu");
  RandWireOptions options;
  options.kind = RandomGraphKind::BarabasiAlbert;
  options.nodes = 40;
  Problem problem = makeRandWireProblem(platform, options);
  ASSERT_FALSE(bool(problem.check()));
  ASSERT_EQ(problem.numNodes(), 42u);
  EXPECT_EQ(problem.nodes.front().name, "in");
  EXPECT_EQ(problem.nodes.back().name, "out");
  for (unsigned v = 1; v + 1 < problem.numNodes(); ++v) {
    EXPECT_FALSE(problem.predecessors(v).empty()) << v;
    EXPECT_FALSE(problem.successors(v).empty()) << v;
  }
  EXPECT_TRUE(problem.predecessors(0).empty());
  EXPECT_TRUE(problem.successors(problem.numNodes() - 1).empty());
  // Every tensor is tokens x width floats: 256 * 1024 * 4 bytes.
  for (const Edge &edge : problem.edges)
    EXPECT_EQ(edge.bytes, 1048576.0);
  // "in" is an MLP block of expansion 1 with one input: 4 * 256 * 1024^2
  // FLOPs = 1073741824; bytes 2 * 1 MiB + 4 * 2 * 1024^2 = 10485760. On
  // gpu0 (38.7 TFLOP/s, 768 GB/s, 5 us launch) compute dominates:
  // 1073741824 / 3.87e13 + 5e-6 s. On the CPU each of the 4 slots gets a
  // quarter of 2.9696 TFLOP/s: 1073741824 / 7.424e11 + 2e-6 s.
  EXPECT_NEAR(problem.nodes[0].time[1], 1073741824 / 3.87e13 + 5e-6, 1e-15);
  EXPECT_NEAR(problem.nodes[0].time[0], 1073741824 / 7.424e11 + 2e-6, 1e-15);
  // Memory: weights 4 * 2 * 1024^2 bytes plus the 1 MiB output.
  EXPECT_EQ(problem.nodes[0].memory, 8388608.0 + 1048576.0);
}

} // namespace
