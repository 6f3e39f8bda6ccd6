//===- EvaluateTest.cpp - Hand-computed latency and throughput ------------===//

#include "diviml/Evaluation/Evaluate.h"
#include "TestPlatforms.h"
#include "diviml/Model/Solution.h"

#include "gtest/gtest.h"

using namespace diviml;

namespace {

/// cpu (host, device 0) plus `numGpus` GPUs, each linked both ways to the
/// host at 100 B/s with `latency` seconds.
Platform hostAndGpus(unsigned numGpus, double latency = 1) {
  return diviml::testing::hostAndGpus(numGpus, 100, latency);
}

std::string reasonOf(llvm::Error err) {
  return err ? llvm::toString(std::move(err)) : std::string();
}

/// a on gpu0 feeds b on gpu1 and c on the host, 100 bytes each.
Problem stagedThroughHost() {
  Problem problem(hostAndGpus(2));
  problem.addNode({"a", {9, 2, 2}});
  problem.addNode({"b", {9, 3, 3}});
  problem.addNode({"c", {1, 9, 9}});
  problem.addEdge(0, 1, 100);
  problem.addEdge(0, 2, 100);
  problem.finalize();
  return problem;
}

TEST(EvaluateLatencyTest, StagesThroughHostOnce) {
  // a on gpu0 feeds b on gpu1 (staged gpu0 -> cpu -> gpu1) and c on the
  // host, which reuses the copy staged there.
  Problem problem = stagedThroughHost();
  for (std::vector<unsigned> order :
       {std::vector<unsigned>{}, std::vector<unsigned>{0, 2, 1}}) {
    Solution solution{{1, 2, 0}, order, {}};
    Evaluation eval = evaluate(problem, solution, Objective::Latency);
    ASSERT_TRUE(eval.feasible) << eval.reason;
    // a: 0-2. Each leg takes 1 + 100/100 = 2 s: gpu0->cpu 2-4, cpu->gpu1
    // 4-6. b: 6-9. c: from the staged copy at 4, 4-5.
    EXPECT_DOUBLE_EQ(eval.finish[0], 2);
    EXPECT_DOUBLE_EQ(eval.start[1], 6);
    EXPECT_DOUBLE_EQ(eval.finish[1], 9);
    EXPECT_DOUBLE_EQ(eval.start[2], 4);
    EXPECT_DOUBLE_EQ(eval.finish[2], 5);
    EXPECT_DOUBLE_EQ(eval.value, 9);
    // Links 0:cpu->gpu0 1:gpu0->cpu 2:cpu->gpu1 3:gpu1->cpu. The tensor
    // crosses gpu0->cpu once, not once per consumer.
    EXPECT_EQ(eval.linkLoad, (std::vector<double>{0, 2, 2, 0}));
    EXPECT_EQ(eval.deviceLoad, (std::vector<double>{1, 2, 3}));
  }
}

TEST(EvaluateLatencyTest, RecordedEventsAreTheSchedule) {
  // The example above with its events recorded: the same figures, and one
  // interval per op and per leg, equal to the start/finish and leg times.
  Problem problem = stagedThroughHost();
  Solution solution{{1, 2, 0}, {}, {}};
  Evaluation plain = evaluate(problem, solution, Objective::Latency);
  Evaluation traced = evaluate(problem, solution, Objective::Latency,
                               /*recordEvents=*/true);
  EXPECT_TRUE(plain.events.empty());
  EXPECT_EQ(traced.value, plain.value);
  EXPECT_EQ(traced.start, plain.start);
  EXPECT_EQ(traced.finish, plain.finish);
  EXPECT_EQ(traced.linkLoad, plain.linkLoad);
  EXPECT_EQ(traced.deviceLoad, plain.deviceLoad);
  // 100 bytes crossed gpu0->cpu and cpu->gpu1 once each.
  EXPECT_EQ(traced.linkBytes, (std::vector<double>{0, 100, 100, 0}));
  unsigned ops = 0, legs = 0;
  for (const ScheduleEvent &event : traced.events) {
    if (event.kind == ScheduleEvent::Kind::Op) {
      ++ops;
      EXPECT_EQ(event.where, solution.device[event.node]);
      EXPECT_DOUBLE_EQ(event.start, plain.start[event.node]);
      EXPECT_DOUBLE_EQ(event.end, plain.finish[event.node]);
    } else {
      ASSERT_EQ(event.kind, ScheduleEvent::Kind::Transfer);
      ++legs;
      EXPECT_EQ(event.node, 0u);
      EXPECT_DOUBLE_EQ(event.bytes, 100);
      // gpu0->cpu in 2-4, cpu->gpu1 in 4-6.
      EXPECT_DOUBLE_EQ(event.start, event.where == 1 ? 2 : 4);
      EXPECT_DOUBLE_EQ(event.end, event.where == 1 ? 4 : 6);
    }
  }
  EXPECT_EQ(ops, 3u);
  EXPECT_EQ(legs, 2u);
}

TEST(EvaluateLatencyTest, LinkContentionAndSlots) {
  // a and b run side by side on a 2-slot GPU, then both tensors queue on
  // the one gpu->cpu link for c.
  Platform platform = hostAndGpus(1);
  platform.devices[1].slots = 2;
  Problem problem(platform);
  problem.addNode({"a", {9, 1}});
  problem.addNode({"b", {9, 1}});
  problem.addNode({"c", {1, 9}});
  problem.addEdge(0, 2, 100);
  problem.addEdge(1, 2, 100);
  problem.finalize();
  Solution solution{{1, 1, 0}, {}, {}};
  Evaluation eval = evaluate(problem, solution, Objective::Latency);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  // a 0-1 and b 0-1 (two slots); a's tensor 1-3, b's waits for the link:
  // 3-5; c 5-6.
  EXPECT_DOUBLE_EQ(eval.start[1], 0);
  EXPECT_DOUBLE_EQ(eval.start[2], 5);
  EXPECT_DOUBLE_EQ(eval.value, 6);
  EXPECT_DOUBLE_EQ(eval.linkLoad[1], 4);

  // With one slot b runs 1-2; its tensor still waits for the link (3-5).
  problem.platform.devices[1].slots = 1;
  eval = evaluate(problem, solution, Objective::Latency);
  EXPECT_DOUBLE_EQ(eval.start[1], 1);
  EXPECT_DOUBLE_EQ(eval.value, 6);
}

TEST(EvaluateLatencyTest, NonOverlappedTransfersOccupyTheSender) {
  Platform platform = hostAndGpus(1);
  platform.transfersOverlapCompute = false;
  Problem problem(platform);
  problem.addNode({"a", {9, 1}});
  problem.addNode({"b", {9, 2}});
  problem.addNode({"c", {1, 9}});
  problem.addEdge(0, 2, 100);
  problem.finalize();
  // Order a, c, b: a 0-1; a's tensor 1-3 holds the GPU (the host side is
  // free); c 3-4; b waits for the GPU: 3-5.
  Solution solution{{1, 1, 0}, {0, 2, 1}, {}};
  Evaluation eval = evaluate(problem, solution, Objective::Latency);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  EXPECT_DOUBLE_EQ(eval.start[1], 3);
  EXPECT_DOUBLE_EQ(eval.start[2], 3);
  EXPECT_DOUBLE_EQ(eval.value, 5);
  // GPU: 1 (a) + 2 (send) + 2 (b); host: 1 (c), nothing for receiving.
  EXPECT_EQ(eval.deviceLoad, (std::vector<double>{1, 5}));

  // Order a, b, c: b 1-3 first, then the send 3-5, c 5-6.
  solution.order = {0, 1, 2};
  EXPECT_DOUBLE_EQ(evaluate(problem, solution, Objective::Latency).value, 6);

  // Overlapped, order a, c, b: send 1-3, c 3-4, b 1-3.
  problem.platform.transfersOverlapCompute = true;
  solution.order = {0, 2, 1};
  eval = evaluate(problem, solution, Objective::Latency);
  EXPECT_DOUBLE_EQ(eval.start[1], 1);
  EXPECT_DOUBLE_EQ(eval.value, 4);
}

TEST(EvaluateLatencyTest, NonOverlappedDirectLinkChargesBothEnds) {
  Platform platform = hostAndGpus(2);
  platform.links.push_back({1, 2, 50, 0}); // gpu0 -> gpu1, link 4.
  platform.transfersOverlapCompute = false;
  Problem problem(platform);
  problem.addNode({"a", {9, 1, 9}});
  problem.addNode({"x", {9, 9, 4}});
  problem.addNode({"b", {9, 9, 1}});
  problem.addEdge(0, 2, 100);
  problem.finalize();
  // a 0-1 on gpu0, x 0-4 on gpu1; the send (100/50 = 2 s) needs both GPUs:
  // 4-6; b 6-7.
  Solution solution{{1, 2, 2}, {}, {}};
  Evaluation eval = evaluate(problem, solution, Objective::Latency);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  EXPECT_DOUBLE_EQ(eval.start[2], 6);
  EXPECT_DOUBLE_EQ(eval.value, 7);
  EXPECT_DOUBLE_EQ(eval.linkLoad[4], 2);
  EXPECT_EQ(eval.deviceLoad, (std::vector<double>{0, 3, 7}));
}

TEST(EvaluateLatencyTest, EmptyGraphAndReplicas) {
  Problem empty(hostAndGpus(1));
  empty.finalize();
  Evaluation eval = evaluate(empty, Solution{}, Objective::Latency);
  EXPECT_TRUE(eval.feasible);
  EXPECT_EQ(eval.value, 0);
  eval = evaluate(empty, Solution{}, Objective::Throughput);
  EXPECT_TRUE(eval.feasible);
  EXPECT_EQ(eval.value, 0);

  Problem problem(hostAndGpus(2));
  problem.addNode({"a", {1, 1, 1}});
  Solution replicated{{1}, {}, {{2}}};
  eval = evaluate(problem, replicated, Objective::Latency);
  EXPECT_FALSE(eval.feasible);
  EXPECT_EQ(eval.value, kInfinity);
  EXPECT_NE(eval.reason.find("1 replicas"), std::string::npos) << eval.reason;
}

TEST(EvaluateThroughputTest, ChargesEachLegOnceWithoutOverlap) {
  Platform platform = hostAndGpus(2);
  platform.devices[0].slots = 2;
  platform.transfersOverlapCompute = false;
  Problem problem(platform);
  problem.addNode({"a", {4, 2, 2}});
  problem.addNode({"b", {4, 3, 3}});
  problem.addNode({"c", {6, 9, 9}});
  problem.addNode({"d", {2, 1, 1}});
  problem.addEdge(0, 1, 100);
  problem.addEdge(0, 2, 100);
  problem.addEdge(1, 3, 200);
  problem.addEdge(2, 3, 300);
  problem.finalize();
  Solution solution{{1, 2, 0, 0}, {}, {}};
  Evaluation eval = evaluate(problem, solution, Objective::Throughput);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  // a (gpu0) goes to gpu1 (staged) and cpu: legs gpu0->cpu and cpu->gpu1,
  // 1 + 100/100 = 2 s each, the shared first leg once. b (gpu1) -> cpu:
  // 1 + 200/100 = 3 s. c -> d stays on the cpu.
  // gpu0 = 2 + 2 = 4; gpu1 = 3 + 2 (receive) + 3 (send) = 8;
  // cpu = (6 + 2) / 2 slots = 4, host never charged. Period 8.
  EXPECT_EQ(eval.deviceLoad, (std::vector<double>{8, 4, 8}));
  EXPECT_EQ(eval.linkLoad, (std::vector<double>{0, 2, 2, 3}));
  EXPECT_DOUBLE_EQ(eval.value, 8);
  EXPECT_DOUBLE_EQ(eval.samplesPerSecond, 0.125);

  // With overlap only compute loads devices: max(4, 2, 3, links 3) = 4.
  problem.platform.transfersOverlapCompute = true;
  eval = evaluate(problem, solution, Objective::Throughput);
  EXPECT_DOUBLE_EQ(eval.value, 4);
}

TEST(EvaluateThroughputTest, LinkCanBeTheBottleneck) {
  Problem problem(hostAndGpus(1, 0));
  problem.addNode({"a", {9, 1}});
  problem.addNode({"b", {2, 9}});
  problem.addEdge(0, 1, 500);
  problem.finalize();
  // Devices 1 and 2 s per sample, the link 500/100 = 5 s.
  Evaluation eval =
      evaluate(problem, Solution{{1, 0}, {}, {}}, Objective::Throughput);
  ASSERT_TRUE(eval.feasible);
  EXPECT_DOUBLE_EQ(eval.value, 5);
}

TEST(EvaluateThroughputTest, ReplicasAddTheirRates) {
  Problem problem(hostAndGpus(4, 0));
  problem.addNode({"a", {10, 2, 2, 4, 4}});
  problem.addNode({"b", {10, 3, 3, 6, 6}});
  problem.addEdge(0, 1, 100);
  problem.finalize();
  // Copy 0: a on gpu0 (2), b on gpu1 (3), links 1 s each: 3 s per sample.
  // Copy 1: both on gpu2: 10 s per sample. Rate 1/3 + 1/10 = 13/30.
  Solution solution{{1, 2}, {}, {{3, 3}}};
  Evaluation eval = evaluate(problem, solution, Objective::Throughput);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  EXPECT_DOUBLE_EQ(eval.samplesPerSecond, 13.0 / 30);
  EXPECT_DOUBLE_EQ(eval.value, 30.0 / 13);
  EXPECT_EQ(eval.deviceLoad, (std::vector<double>{0, 2, 3, 10, 0}));

  // Copies may share a device; it then serves both shares of the stream.
  // Copy 1: a on gpu2 (4), b on gpu1 (3): 4 s alone, so the shares are
  // (1/3) / (1/3 + 1/4) = 4/7 and 3/7. gpu1 runs b for every sample,
  // whichever copy serves it: 3 s per sample, rate 1/3 (not 7/12). The
  // shared link cpu -> gpu1 (1 s per sample) does not bind.
  solution.replicas = {{3, 2}};
  eval = evaluate(problem, solution, Objective::Throughput);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  EXPECT_DOUBLE_EQ(eval.samplesPerSecond, 1.0 / 3);
  EXPECT_DOUBLE_EQ(eval.value, 3);
  EXPECT_EQ(eval.deviceLoad, (std::vector<double>{0, 2, 6, 4, 0}));
}

TEST(EvaluateTest, MemoryOverCapacityIsInfeasible) {
  Platform platform = hostAndGpus(1);
  platform.devices[1].memoryCapacity = 100;
  Problem problem(platform);
  Node a{"a", {1, 1}}, b{"b", {1, 1}};
  a.memory = b.memory = 60;
  problem.addNode(a);
  problem.addNode(b);
  problem.finalize();
  Evaluation eval =
      evaluate(problem, Solution{{1, 1}, {}, {}}, Objective::Throughput);
  EXPECT_FALSE(eval.feasible);
  EXPECT_EQ(eval.value, kInfinity);
  EXPECT_EQ(eval.reason, "the placement puts 120 bytes on device 'gpu0', "
                         "more than its capacity of 100");
  EXPECT_EQ(eval.memoryUsed, (std::vector<double>{0, 120}));
  eval = evaluate(problem, Solution{{1, 0}, {}, {}}, Objective::Latency);
  EXPECT_TRUE(eval.feasible) << eval.reason;
  EXPECT_EQ(eval.memoryUsed, (std::vector<double>{60, 60}));
}

TEST(EvaluateTest, WorksOnUnfinalizedProblem) {
  Problem problem(hostAndGpus(1, 0));
  problem.addNode({"a", {9, 1}});
  problem.addNode({"b", {2, 9}});
  problem.addEdge(0, 1, 100);
  // gpu 0-1, transfer 1-2, cpu 2-4.
  EXPECT_DOUBLE_EQ(
      evaluate(problem, Solution{{1, 0}, {}, {}}, Objective::Latency).value, 4);
}

TEST(EvaluateTest, RejectsCyclicProblem) {
  Problem problem(hostAndGpus(1));
  problem.addNode({"a", {1, 1}});
  problem.addNode({"b", {1, 1}});
  problem.addEdge(0, 1, 1);
  problem.addEdge(1, 0, 1);
  Evaluation eval =
      evaluate(problem, Solution{{0, 0}, {}, {}}, Objective::Latency);
  EXPECT_FALSE(eval.feasible);
  EXPECT_NE(eval.reason.find("cycle"), std::string::npos) << eval.reason;
}

TEST(VerifyTest, NamesTheCulprit) {
  Platform platform = hostAndGpus(1);
  platform.devices[1].memoryCapacity = 10;
  Problem problem(platform);
  Node a{"a", {1, 1}}, b{"b", {1, kInfinity}}, c{"c", {1, 1}};
  a.colocationGroup = c.colocationGroup = 3;
  problem.addNode(a);
  problem.addNode(b);
  problem.addNode(c);
  problem.addEdge(0, 1, 8);
  problem.finalize();
  auto check = [&](Solution solution) {
    return reasonOf(verify(problem, solution));
  };
  EXPECT_EQ(check({{0, 0, 0}, {}, {}}), "");
  EXPECT_EQ(check({{0, 0}, {}, {}}),
            "the placement places 2 nodes but the problem has 3");
  EXPECT_EQ(check({{0, 0, 2}, {}, {}}),
            "the placement puts node 'c' on device 2, but there are 2 devices");
  EXPECT_EQ(check({{0, 1, 0}, {}, {}}),
            "the placement puts node 'b' on device 'gpu0' where it cannot run");
  EXPECT_EQ(check({{0, 0, 1}, {}, {}}),
            "the placement splits colocation group 3: node 'a' is on device "
            "'cpu' but node 'c' is on device 'gpu0'");
  EXPECT_EQ(check({{0, 0, 0}, {2, 0, 0}, {}}),
            "the order lists node 'a' twice");
  EXPECT_EQ(check({{0, 0, 0}, {1, 0, 2}, {}}),
            "the order puts node 'b' before its predecessor 'a'");
  EXPECT_EQ(check({{0, 0, 0}, {0, 1}, {}}),
            "the order lists 2 nodes but the problem has 3");
  EXPECT_EQ(check({{0, 0, 0}, {0, 1, 7}, {}}),
            "the order names node 7, but there are 3 nodes");
  EXPECT_EQ(check({{0, 0, 0}, {}, {{1, 1, 1}}}),
            "replica 1 puts node 'b' on device 'gpu0' where it cannot run");
  problem.nodes[0].memory = problem.nodes[2].memory = 6;
  problem.nodes[1].time[1] = 1;
  EXPECT_EQ(check({{1, 0, 1}, {}, {}}),
            "the placement puts 12 bytes on device 'gpu0', more than its "
            "capacity of 10");
  // Copies may share a device (the host that feeds them) when their nodes
  // fit there together.
  problem.nodes[0].memory = problem.nodes[2].memory = 4;
  EXPECT_EQ(check({{1, 0, 1}, {}, {{0, 0, 0}}}), "");
  EXPECT_EQ(check({{1, 0, 1}, {}, {{1, 0, 1}}}),
            "the 2 copies together put 16 bytes on device 'gpu0', more than "
            "its capacity of 10");
}

} // namespace
