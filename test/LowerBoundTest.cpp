//===- LowerBoundTest.cpp - Hand-computed lower bounds --------------------===//

#include "diviml/Bounds/LowerBound.h"

#include "gtest/gtest.h"

using namespace diviml;

namespace {

/// Devices A (host) and B, linked both ways.
Problem twoDevices(unsigned slotsB = 1) {
  Platform p;
  p.devices = {{"A", DeviceKind::Cpu}, {"B", DeviceKind::Gpu}};
  p.devices[1].slots = slotsB;
  p.host = 0;
  p.links = {{0, 1, 100, 0}, {1, 0, 100, 0}};
  return Problem(p);
}

constexpr double kTolerance = 1e-7;

TEST(LowerBoundTest, ChainOnUnequalDevices) {
  // x -> y, each 2 s on A and 4 s on B.
  Problem problem = twoDevices();
  problem.addNode({"x", {2, 4}});
  problem.addNode({"y", {2, 4}});
  problem.addEdge(0, 1, 10);
  // Critical path 2 + 2 = 4. LP: with a = work share on A (0..2),
  // T = max(2a, 4(2 - a)) is least at a = 4/3: T = 8/3. Packing: whole
  // nodes put 4 s on one device (both on A, or one on B): T = 4, the
  // optimum. Replicas can beat that (the rate argument), so with data
  // parallelism the bound stays the LP's.
  EXPECT_NEAR(latencyLowerBound(problem), 4, kTolerance);
  EXPECT_NEAR(throughputLowerBound(problem), 4, kTolerance);
  EXPECT_NEAR(lowerBound(problem, Objective::Throughput, true), 8.0 / 3,
              kTolerance);
  EXPECT_NEAR(throughputLowerBound(problem, true), 8.0 / 3, kTolerance);

  // A holds one node only: a <= 1, T = max(2, 4) = 4.
  problem.platform.devices[0].memoryCapacity = 1;
  problem.nodes[0].memory = problem.nodes[1].memory = 1;
  EXPECT_NEAR(throughputLowerBound(problem), 4, kTolerance);
}

TEST(LowerBoundTest, SlotsShareTheLoadButNotANode) {
  // Independent x, y of 4 s each; B has 3 slots.
  Problem problem = twoDevices(3);
  problem.addNode({"x", {4, 4}});
  problem.addNode({"y", {4, 4}});
  // LP: 4a <= T, 4(2 - a) <= 3T gives a = 1/2, T = 2. Whole nodes: one on
  // A costs 4, both on B 8 / 3 slots: the packing bound is 8/3 (the
  // optimum). One inference still takes a whole node's 4 s.
  BoundBudget off{0, 0};
  EXPECT_NEAR(lowerBound(problem, Objective::Throughput, false, off), 2,
              kTolerance);
  EXPECT_NEAR(throughputLowerBound(problem), 8.0 / 3, kTolerance);
  EXPECT_NEAR(latencyLowerBound(problem), 4, kTolerance);
}

TEST(LowerBoundTest, ColocationGroupIsOneItem) {
  Problem problem = twoDevices();
  problem.addNode({"x", {2, 4}});
  problem.addNode({"y", {4, 2}});
  // Apart, each on its fast device: T = 2.
  EXPECT_NEAR(throughputLowerBound(problem), 2, kTolerance);
  // Together the group costs 6 anywhere: the LP splits it, 6a <= T,
  // 6(1 - a) <= T, T = 3; packing keeps it whole: 6, the optimum.
  problem.nodes[0].colocationGroup = problem.nodes[1].colocationGroup = 0;
  BoundBudget off{0, 0};
  EXPECT_NEAR(lowerBound(problem, Objective::Throughput, false, off), 3,
              kTolerance);
  EXPECT_NEAR(throughputLowerBound(problem), 6, kTolerance);
  EXPECT_NEAR(lowerBound(problem, Objective::Latency, false, off), 3,
              kTolerance);
  EXPECT_NEAR(latencyLowerBound(problem), 6, kTolerance);
}

TEST(LowerBoundTest, UnsupportedDeviceIsExcluded) {
  Problem problem = twoDevices();
  problem.addNode({"x", {6, kInfinity}});
  problem.addNode({"y", {6, 3}});
  // x must take 6 s on A; y on B costs 3: T = 6 for both objectives.
  EXPECT_NEAR(throughputLowerBound(problem), 6, kTolerance);
  EXPECT_NEAR(latencyLowerBound(problem), 6, kTolerance);
}

TEST(LowerBoundTest, CriticalPathPaysTransfersBetweenDevices) {
  // x runs on A only (2 s); y takes 1 s on B, 5 s on A; x's 100 bytes take
  // 1 s over the 100 B/s link. y on B finishes at 2 + 1 + 1 = 4, on A at
  // 2 + 5 = 7: the bound is 4, the optimum. Free transfers would give 3.
  Problem problem = twoDevices();
  problem.addNode({"x", {2, kInfinity}});
  problem.addNode({"y", {5, 1}});
  problem.addEdge(0, 1, 100);
  EXPECT_NEAR(latencyLowerBound(problem), 4, kTolerance);
  // A faster link makes B's side cheaper: 2 + 0.1 + 1.
  problem.platform.links[0].bandwidth = 1000;
  EXPECT_NEAR(latencyLowerBound(problem), 3.1, kTolerance);
}

TEST(LowerBoundTest, CriticalPathPaysEveryLegOfAStagedRoute) {
  // Host H links to B and C (100 B/s, 0.5 s per copy); B and C are not
  // linked, so x (B only, 1 s) reaches y (C only, 1 s) through H in
  // 2 x (0.5 + 100 / 100) = 3 s: the one schedule ends at 1 + 3 + 1 = 5.
  Platform p;
  p.devices = {
      {"H", DeviceKind::Cpu}, {"B", DeviceKind::Gpu}, {"C", DeviceKind::Gpu}};
  p.host = 0;
  p.links = {
      {0, 1, 100, 0.5}, {1, 0, 100, 0.5}, {0, 2, 100, 0.5}, {2, 0, 100, 0.5}};
  Problem problem(p);
  problem.addNode({"x", {kInfinity, 1, kInfinity}});
  problem.addNode({"y", {kInfinity, kInfinity, 1}});
  problem.addEdge(0, 1, 100);
  EXPECT_NEAR(latencyLowerBound(problem), 5, kTolerance);
}

/// Host H and devices B, C, each linked to H at 100 B/s.
Problem threeDevices() {
  Platform p;
  p.devices = {
      {"H", DeviceKind::Cpu}, {"B", DeviceKind::Gpu}, {"C", DeviceKind::Gpu}};
  p.host = 0;
  p.links = {{0, 1, 100, 0}, {1, 0, 100, 0}, {0, 2, 100, 0}, {2, 0, 100, 0}};
  return Problem(p);
}

TEST(LowerBoundTest, PackingCountsWholeNodes) {
  // Four independent 1 s nodes on three identical devices: the LP spreads
  // them (4/3); whole nodes put two on one device: 2, the optimum.
  Problem problem = threeDevices();
  for (const char *name : {"a", "b", "c", "d"})
    problem.addNode({name, {1, 1, 1}});
  BoundBudget off{0, 0};
  for (Objective objective : {Objective::Latency, Objective::Throughput}) {
    EXPECT_NEAR(lowerBound(problem, objective, false, off), 4.0 / 3,
                kTolerance);
    LowerBoundResult bound = computeLowerBound(problem, objective);
    EXPECT_NEAR(bound.value, 2, kTolerance);
    EXPECT_STREQ(bound.source, "packing");
    EXPECT_GT(bound.work, 0u);
  }
  // Three replicas of the whole model serve 3 samples per 4 s: 4/3.
  EXPECT_NEAR(lowerBound(problem, Objective::Throughput, true), 4.0 / 3,
              kTolerance);
}

TEST(LowerBoundTest, PackingMergesNodesWhoseTensorCannotCross) {
  // x -> y, 1 s each anywhere; x's 1000 bytes take 10 s on the link. Below
  // T = 10 no link can carry them within T, so x and y share a device:
  // 2 s there. The LP alone gives 1.
  Problem problem = twoDevices();
  problem.addNode({"x", {1, 1}});
  problem.addNode({"y", {1, 1}});
  problem.addEdge(0, 1, 1000);
  BoundBudget off{0, 0};
  EXPECT_NEAR(lowerBound(problem, Objective::Throughput, false, off), 1,
              kTolerance);
  EXPECT_NEAR(throughputLowerBound(problem), 2, kTolerance);
}

TEST(LowerBoundTest, PackingWindowsKeepWorkNearItsData) {
  // s (A only, 0 s) feeds p and q (1 s anywhere), which feed z (A only,
  // 0 s); every tensor takes 1 s over the link. On B a node starts at 1 at
  // the earliest (head) and its result needs 1 s back (tail): below T = 3 it
  // cannot go there, so A runs both, one after the other: 2, the optimum.
  // The critical path (1), the LP (1) and packing without windows (one node
  // per device: 1) see none of it.
  Problem problem = twoDevices();
  problem.addNode({"s", {0, kInfinity}});
  problem.addNode({"p", {1, 1}});
  problem.addNode({"q", {1, 1}});
  problem.addNode({"z", {0, kInfinity}});
  for (auto [from, to] : {std::pair{0u, 1u}, {0u, 2u}, {1u, 3u}, {2u, 3u}})
    problem.addEdge(from, to, 100);
  BoundBudget off{0, 0};
  EXPECT_NEAR(lowerBound(problem, Objective::Latency, false, off), 1,
              kTolerance);
  LowerBoundResult bound = computeLowerBound(problem, Objective::Latency);
  EXPECT_NEAR(bound.value, 2, kTolerance);
  EXPECT_STREQ(bound.source, "packing");
}

TEST(LowerBoundTest, PathSegmentsPayForMemory) {
  // Chain a -> b -> c, 1 s and 1 byte each, on A and B that hold 2 bytes
  // each; a tensor of 500 bytes takes 5 s. Some consecutive pair changes
  // device: at least 1 + 1 + 5 + 1 = 8 s, which (a, b on A, c on B)
  // reaches. Before: the critical path ignored memory (3); packing merges
  // the chain below T = 5 (3 bytes fit nowhere) and proves only 5.
  Problem problem = twoDevices();
  problem.platform.devices[0].memoryCapacity = 2;
  problem.platform.devices[1].memoryCapacity = 2;
  for (const char *name : {"a", "b", "c"}) {
    unsigned v = problem.addNode({name, {1, 1}});
    problem.nodes[v].memory = 1;
  }
  problem.addEdge(0, 1, 500);
  problem.addEdge(1, 2, 500);
  BoundBudget off{0, 0};
  EXPECT_NEAR(lowerBound(problem, Objective::Latency, false, off), 3,
              kTolerance);
  BoundBudget noPath;
  noPath.pathCells = 0;
  EXPECT_NEAR(lowerBound(problem, Objective::Latency, false, noPath), 5, 1e-6);
  LowerBoundResult bound = computeLowerBound(problem, Objective::Latency);
  EXPECT_NEAR(bound.value, 8, kTolerance);
  EXPECT_STREQ(bound.source, "path-segments");
  // Counted work: the same answer every time.
  LowerBoundResult again = computeLowerBound(problem, Objective::Latency);
  EXPECT_EQ(again.value, bound.value);
  EXPECT_EQ(again.work, bound.work);
}

TEST(LowerBoundTest, ResidualBlocksPayForTheSkipTensor) {
  // a -> b -> c -> d with the skip a -> d; 1 s and 1 byte each, 3 bytes per
  // device. a's tensor (1000 bytes) takes 10 s, b's and c's 1 s. The main
  // path alone cuts at b | c or c | d (5 s), but then a's tensor must reach
  // d: 1 + 10 + 1 = 12. Cheapest: c alone on B and back, 1 + 1 + 1 + 1 + 1 +
  // 1 = 6, which the evaluator reaches.
  Problem problem = twoDevices();
  problem.platform.devices[0].memoryCapacity = 3;
  problem.platform.devices[1].memoryCapacity = 3;
  for (const char *name : {"a", "b", "c", "d"}) {
    unsigned v = problem.addNode({name, {1, 1}});
    problem.nodes[v].memory = 1;
  }
  problem.addEdge(0, 1, 100);
  problem.addEdge(1, 2, 100);
  problem.addEdge(2, 3, 100);
  problem.addEdge(0, 3, 1000);
  LowerBoundResult bound = computeLowerBound(problem, Objective::Latency);
  EXPECT_NEAR(bound.value, 6, kTolerance);
  EXPECT_STREQ(bound.source, "residual-blocks");
  BoundBudget noPath;
  noPath.pathCells = 0;
  EXPECT_LT(lowerBound(problem, Objective::Latency, false, noPath), 6 - 0.5);
  // Not a chain of blocks (a third branch): no residual bound.
  problem.addNode({"e", {1, 1}});
  problem.addEdge(0, 4, 100);
  problem.addEdge(4, 3, 100);
  EXPECT_STRNE(computeLowerBound(problem, Objective::Latency).source,
               "residual-blocks");
}

TEST(LowerBoundTest, EmptyProblem) {
  Problem problem = twoDevices();
  EXPECT_EQ(latencyLowerBound(problem), 0);
  EXPECT_EQ(throughputLowerBound(problem), 0);
}

} // namespace
