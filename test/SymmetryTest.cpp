//===- SymmetryTest.cpp - Repeated blocks and the block pipeline ----------===//

#include "TestPlatforms.h"

#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/Cluster.h"
#include "diviml/Split/Split.h"
#include "diviml/Split/Symmetry.h"

#include "gtest/gtest.h"

using namespace diviml;

namespace {

/// in -> embed -> 4 x (layer{i}.a -> layer{i}.b) -> head -> out on a host
/// and two GPUs. On a GPU: embed 1 s, a block 3 s (a 2 + b 1), head 1 s;
/// everything 10 s on the CPU. Each block op holds `memory` bytes.
/// With `platform`, its devices are CPUs (10 s per op) and GPUs, the
/// externals on the host.
Problem layeredProblem(double gpuMemory = kInfinity, double memory = 10,
                       std::optional<Platform> given = std::nullopt) {
  Platform platform = given ? *given : diviml::testing::hostAndGpus(2, 1e9);
  for (Device &device : platform.devices)
    if (device.kind == DeviceKind::Gpu)
      device.memoryCapacity = gpuMemory;
  Problem problem(platform);
  auto add = [&](std::string name, double gpu, double bytes = 0,
                 bool external = false) {
    Node node;
    node.name = "main/" + name;
    for (auto [d, device] : llvm::enumerate(platform.devices))
      node.time.push_back(external ? (d == *platform.host ? 0 : kInfinity)
                          : device.kind == DeviceKind::Gpu ? gpu
                                                           : 10.0);
    node.memory = bytes;
    node.external = external;
    return problem.addNode(std::move(node));
  };
  unsigned prev = add("<arg0>", 0, 0, true);
  unsigned embed = add("embed", 1);
  problem.addEdge(prev, embed, 1e3);
  prev = embed;
  for (unsigned i = 0; i != 4; ++i) {
    unsigned a = add("layer" + std::to_string(i) + ".a", 2, memory);
    unsigned b = add("layer" + std::to_string(i) + ".b", 1, memory);
    problem.addEdge(prev, a, 1e3);
    problem.addEdge(a, b, 1e3);
    prev = b;
  }
  unsigned head = add("head", 1);
  problem.addEdge(prev, head, 1e3);
  problem.addEdge(head, add("<output>", 0, 0, true), 1e3);
  problem.finalize();
  return problem;
}

/// Every test here plans for throughput, the objective the pipeline serves.
AlgorithmOptions throughputOptions() {
  AlgorithmOptions options;
  options.objective = Objective::Throughput;
  return options;
}

/// Checks a two-server plan (s0.cpu = 0, s0.gpu0 = 1, s1.cpu = 2,
/// s1.gpu0 = 3) node by node: the externals on the host in both copies,
/// the nodes `onCpu` names on each copy's CPU, the rest on its GPU.
void expectTwoServerCopies(const Problem &problem, const Solution &solution,
                           llvm::function_ref<bool(const Node &)> onCpu) {
  ASSERT_EQ(solution.replicas.size(), 1u);
  for (unsigned v = 0; v != problem.numNodes(); ++v) {
    bool external = problem.nodes[v].external;
    bool cpu = onCpu(problem.nodes[v]);
    EXPECT_EQ(solution.device[v], external || cpu ? 0u : 1u) << v;
    EXPECT_EQ(solution.replicas[0][v], external ? 0u : cpu ? 2u : 3u) << v;
  }
  EXPECT_FALSE(bool(verify(problem, solution)));
}

TEST(SymmetryTest, FindsIdenticalLayersInOrder) {
  Problem problem = layeredProblem();
  std::optional<RepeatedBlocks> blocks = findRepeatedBlocks(problem);
  ASSERT_TRUE(blocks.has_value());
  ASSERT_EQ(blocks->blocks.size(), 4u);
  // Positions by masked name: "layer*.a" then "layer*.b".
  EXPECT_EQ(problem.nodes[blocks->blocks[2][0]].name, "main/layer2.a");
  EXPECT_EQ(problem.nodes[blocks->blocks[2][1]].name, "main/layer2.b");
  ASSERT_EQ(blocks->prologue.size(), 2u); // <arg0>, embed
  ASSERT_EQ(blocks->epilogue.size(), 2u); // head, <output>
  EXPECT_EQ(problem.nodes[blocks->epilogue[0]].name, "main/head");
}

TEST(SymmetryTest, DifferentCostsOrWiringAreNotRepeated) {
  Problem slower = layeredProblem();
  slower.nodes[9].time = {10, 1.5, 1.5}; // layer3.b
  ASSERT_EQ(slower.nodes[9].name, "main/layer3.b");
  EXPECT_FALSE(findRepeatedBlocks(slower).has_value());

  Problem skip = layeredProblem();
  skip.addEdge(3, 8, 1e3); // layer0.b -> layer3.a skips two layers
  skip.finalize();
  EXPECT_FALSE(findRepeatedBlocks(skip).has_value());

  Problem heavier = layeredProblem();
  heavier.nodes[5].memory = 11; // layer1.b
  EXPECT_FALSE(findRepeatedBlocks(heavier).has_value());
}

TEST(SymmetryTest, PipelineBalancesContiguousRanges) {
  // 14 s of GPU work: embed + 2 blocks = 7 s on gpu0, 2 blocks + head =
  // 7 s on gpu1. Hand-offs are 1e3 B through the host, 2 us: the period
  // is 7 s. One GPU would take 14 s.
  Problem problem = layeredProblem();
  AlgorithmOptions options = throughputOptions();
  llvm::Expected<AlgorithmResult> result =
      scheduleBlockPipeline(problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->stats.lookup("stages"), 2);
  const std::vector<unsigned> &device = result->solution.device;
  EXPECT_EQ(device[1], 1u);  // embed on gpu0
  EXPECT_EQ(device[2], 1u);  // layer0.a
  EXPECT_EQ(device[5], 1u);  // layer1.b
  EXPECT_EQ(device[6], 2u);  // layer2.a
  EXPECT_EQ(device[10], 2u); // head on gpu1
  EXPECT_EQ(device[0], 0u);  // <arg0> at home
  EXPECT_EQ(device[11], 0u); // <output> at home
  EXPECT_FALSE(bool(verify(problem, result->solution)));
  EXPECT_DOUBLE_EQ(evaluate(problem, result->solution, options.objective).value,
                   7.0);
}

TEST(SymmetryTest, PipelineOffloadsLightPositionsToAManySlotHelper) {
  // The host CPU gets two slots and runs layer*.b in 1 s (a: 10 s): it is
  // the helper of both GPUs. b's helper time per slot over its GPU time,
  // 0.5 / 1, is below a's, 5 / 2; with b on the CPU each GPU stage keeps
  // 2 of its 3 s per block and the CPU takes 2 x 0.5 s for the two
  // stages it serves: max(2, 1) < 3, while moving a too would give the CPU
  // 11. So b of every block runs on the CPU: the GPUs hold embed + 2 a =
  // 5 s and 2 a + head = 5 s, the CPU 4 x 1 s over 2 slots = 2 s, the
  // 1e3-byte hand-offs 1 us each: period 5 s (7 s without the helper).
  Platform platform = diviml::testing::hostAndGpus(2, 1e9);
  platform.devices[0].slots = 2;
  Problem problem = layeredProblem(kInfinity, 10, platform);
  for (Node &node : problem.nodes)
    if (llvm::StringRef(node.name).ends_with(".b"))
      node.time[0] = 1;
  problem.finalize();
  AlgorithmOptions options = throughputOptions();
  llvm::Expected<AlgorithmResult> result =
      scheduleBlockPipeline(problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->stats.lookup("offloaded"), 1);
  const std::vector<unsigned> &device = result->solution.device;
  EXPECT_EQ(device[1], 1u); // embed on gpu0
  for (unsigned i = 0; i != 4; ++i) {
    EXPECT_EQ(device[2 + 2 * i], i < 2 ? 1u : 2u) << i; // layer<i>.a
    EXPECT_EQ(device[3 + 2 * i], 0u) << i;              // layer<i>.b
  }
  EXPECT_EQ(device[10], 2u); // head on gpu1
  EXPECT_FALSE(bool(verify(problem, result->solution)));
  EXPECT_NEAR(evaluate(problem, result->solution, options.objective).value, 5.0,
              1e-9);

  // With one slot the CPU is no helper (it would be a stage of its own):
  // the plan of PipelineBalancesContiguousRanges, 7 s.
  problem.platform.devices[0].slots = 1;
  problem.finalize();
  llvm::Expected<AlgorithmResult> plain =
      scheduleBlockPipeline(problem, options);
  ASSERT_TRUE(bool(plain)) << llvm::toString(plain.takeError());
  EXPECT_EQ(plain->stats.count("offloaded"), 0u);
  EXPECT_DOUBLE_EQ(evaluate(problem, plain->solution, options.objective).value,
                   7.0);
}

TEST(SymmetryTest, PipelineRespectsMemory) {
  // 20 B per block: 40 B holds two blocks per GPU (the 7 s plan); 30 B
  // holds one, and four blocks do not fit two GPUs.
  AlgorithmOptions options = throughputOptions();
  Problem fits = layeredProblem(40);
  llvm::Expected<AlgorithmResult> result = scheduleBlockPipeline(fits, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_FALSE(bool(verify(fits, result->solution)));
  EXPECT_DOUBLE_EQ(evaluate(fits, result->solution, options.objective).value,
                   7.0);
  Problem tight = layeredProblem(30);
  llvm::Expected<AlgorithmResult> none = scheduleBlockPipeline(tight, options);
  ASSERT_FALSE(bool(none));
  EXPECT_EQ(llvm::toString(none.takeError()),
            "block pipeline: no assignment of block ranges fits the memory");
}

TEST(SymmetryTest, SplitUsesThePipelineUnlessTurnedOff) {
  Problem problem = layeredProblem();
  AlgorithmOptions options = throughputOptions();
  options.timeLimit = 5;
  llvm::Expected<AlgorithmResult> with = scheduleSplit(problem, options);
  ASSERT_TRUE(bool(with)) << llvm::toString(with.takeError());
  EXPECT_EQ(with->stats.lookup("symmetry"), 1);
  EXPECT_DOUBLE_EQ(evaluate(problem, with->solution, options.objective).value,
                   7.0);
  SplitOptions off;
  off.useSymmetry = false;
  llvm::Expected<AlgorithmResult> without =
      scheduleSplit(problem, options, off);
  ASSERT_TRUE(bool(without)) << llvm::toString(without.takeError());
  EXPECT_EQ(without->stats.count("symmetry"), 0u);
  // The op-by-op search finds the same period here (the optimum: 14 s of
  // work on two GPUs).
  EXPECT_DOUBLE_EQ(
      evaluate(problem, without->solution, options.objective).value, 7.0);
}

/// Two servers of a CPU and a GPU (1 GB/s between them), NICs of 125 B/s:
/// a 1e3-byte tensor takes 8 s from one server to the other.
Platform twoServers() {
  ServerTemplate box;
  box.server.name = "box";
  box.server.devices = {{"cpu", DeviceKind::Cpu}, {"gpu0", DeviceKind::Gpu}};
  box.server.host = 0;
  box.server.links = {{0, 1, 1e9, 0}, {1, 0, 1e9, 0}};
  box.nicBandwidth = 125;
  box.nicLatency = 0;
  ClusterSpec spec;
  spec.name = "two-servers";
  spec.templates = {box};
  spec.groups = {{0, 2}};
  llvm::Expected<Platform> platform = expandCluster(spec);
  EXPECT_TRUE(bool(platform)) << llvm::toString(platform.takeError());
  return *platform;
}

TEST(SymmetryTest, ReplicasOverIdenticalServers) {
  // One pipeline over both GPUs: 7 s stages (as above), but the hand-off
  // between them and the answer back to the host (s0.cpu) cross the
  // network, 8 s each: period 8. Two replicas, each the whole model on its
  // server's GPU: 14 s per sample each; copy 1's input and output cross
  // the network (8 s each, links of their own), the host runs nothing:
  // 2 / 14 samples per second, value 7.
  // (Without the pattern refinement: RefinementMovesWholePositions below.)
  Problem problem = layeredProblem(kInfinity, 10, twoServers());
  AlgorithmOptions options = throughputOptions();
  options.refine = false;
  llvm::Expected<AlgorithmResult> result =
      scheduleReplicatedPipeline(problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->stats.lookup("replicas"), 2);
  EXPECT_EQ(result->stats.lookup("replica-devices"), 2);
  EXPECT_DOUBLE_EQ(result->stats.lookup("value.no-replicas"), 8.0);
  const Solution &solution = result->solution;
  expectTwoServerCopies(problem, solution, [](const Node &) { return false; });
  EXPECT_DOUBLE_EQ(evaluate(problem, solution, options.objective).value, 7.0);
  EXPECT_DOUBLE_EQ(result->stats.lookup("value.final"), 7.0);

  // Split answers with it by default.
  llvm::Expected<AlgorithmResult> split = scheduleSplit(problem, options);
  ASSERT_TRUE(bool(split)) << llvm::toString(split.takeError());
  EXPECT_EQ(split->solution.replicas.size(), 1u);
  EXPECT_DOUBLE_EQ(evaluate(problem, split->solution, options.objective).value,
                   7.0);

  // GPUs of 40 B hold two of the four 20 B blocks: a replica does not fit
  // one server, so the pipeline over both GPUs (period 8) is the answer.
  Problem small = layeredProblem(40, 10, twoServers());
  llvm::Expected<AlgorithmResult> fits =
      scheduleReplicatedPipeline(small, options);
  ASSERT_TRUE(bool(fits)) << llvm::toString(fits.takeError());
  EXPECT_EQ(fits->stats.lookup("replicas"), 1);
  EXPECT_TRUE(fits->solution.replicas.empty());
  EXPECT_FALSE(bool(verify(small, fits->solution)));
  EXPECT_DOUBLE_EQ(evaluate(small, fits->solution, options.objective).value,
                   8.0);

  // Servers that differ (s1's GPU slower on the embedding) are two kinds:
  // not images of each other, each kind planned on its own, one copy per
  // server. Copy 0 on s0.gpu0: 14 s per sample (s0.cpu is the host, not a
  // stage). Copy 1: the embedding alone on s1.cpu (10 s) beats 1.5 s of it
  // on s1.gpu0, which keeps 13 s of blocks and head: 13 s per sample. So
  // 1/14 + 1/13 = 27/182 samples per second, better than the pipeline's 8.
  Problem uneven = problem;
  uneven.nodes[1].time[3] = 1.5; // embed on s1.gpu0
  llvm::Expected<AlgorithmResult> two =
      scheduleReplicatedPipeline(uneven, options);
  ASSERT_TRUE(bool(two)) << llvm::toString(two.takeError());
  EXPECT_EQ(two->stats.lookup("replicas"), 2);
  EXPECT_EQ(two->stats.lookup("replica-families"), 2);
  // A copy on s0 alone is bounded by 1160 / 114 s (CopyPeriodBound below),
  // on s1 alone by 1225 / 114.5 s: neither beats the pipeline's 8, so
  // those groupings are not planned; both copies together may.
  EXPECT_EQ(two->stats.lookup("groupings.pruned"), 2);
  EXPECT_EQ(result->stats.lookup("groupings.pruned"), 0);
  EXPECT_DOUBLE_EQ(two->stats.lookup("value.no-replicas"), 8.0);
  EXPECT_DOUBLE_EQ(evaluate(uneven, two->solution, options.objective).value,
                   182.0 / 27);
}

TEST(SymmetryTest, CopyPeriodBoundIsWorkOverSpeed) {
  // A one-slot GPU and a four-slot CPU half as fast per slot: a = 2 s and
  // b = 4 s on the GPU, 4 and 8 s on the CPU; an external on the GPU.
  // Weights 1/6 and 1/12 over the capacity 1/6 + 4/12 = 1/2, so 1/3 and
  // 1/6: a counts min(2/3, 4/6), b min(4/3, 8/6): 2 s, the work (6
  // GPU-seconds) over the speed (1 + 4 / 2 GPUs). A plan reaches it: a on
  // the GPU (2 s), b on the CPU (8 s over 4 slots). The GPU alone: 6 s.
  Platform platform;
  platform.devices = {{"gpu", DeviceKind::Gpu}, {"cpu", DeviceKind::Cpu}};
  platform.devices[1].slots = 4;
  platform.links = {{0, 1}, {1, 0}};
  Problem problem(platform);
  Node input{"<arg0>", {0, kInfinity}};
  input.external = true;
  problem.addNode(std::move(input));
  problem.addNode({"a", {2, 4}});
  problem.addNode({"b", {4, 8}});
  problem.finalize();
  EXPECT_DOUBLE_EQ(copyPeriodLowerBound(problem, {0, 1}), 2.0);
  EXPECT_DOUBLE_EQ(copyPeriodLowerBound(problem, {0}), 6.0);
  Solution reaches;
  reaches.device = {0, 0, 1};
  EXPECT_DOUBLE_EQ(evaluate(problem, reaches, Objective::Throughput).value,
                   2.0);

  // ReplicasOverIdenticalServers' model on server s0 (CPU 10 s per op,
  // GPU embed 1, a 2, b 1, head 1): GPU work 14 s, CPU 100 s, weights in
  // the ratio 100 : 14, so embed, b and head count 100 / 114 each, a
  // 140 / 114: 1160 / 114 s.
  Problem layered = layeredProblem(kInfinity, 10, twoServers());
  EXPECT_DOUBLE_EQ(copyPeriodLowerBound(layered, {0, 1}), 1160.0 / 114);
}

TEST(SymmetryTest, RefinementMovesWholePositions) {
  // ReplicasOverIdenticalServers with the pattern refinement (the
  // default): copy 0 on s0.gpu0 takes 14 s per sample. The refinement
  // moves the embedding (1 s on a GPU, 10 s on a CPU; the first node it
  // tries) to the server's CPU, the image in copy 1 likewise: each GPU
  // keeps 4 blocks + head = 13 s, each CPU 10 s, copy 1's input and output
  // cross the network in 8 s each (links of their own). 13 s per sample per
  // copy: value 6.5, against 7 unrefined. The blocks keep their pattern (every
  // a and every b on the copy's GPU).
  Problem problem = layeredProblem(kInfinity, 10, twoServers());
  AlgorithmOptions options = throughputOptions();
  llvm::Expected<AlgorithmResult> result =
      scheduleReplicatedPipeline(problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->stats.lookup("replicas"), 2);
  EXPECT_DOUBLE_EQ(result->stats.lookup("value.unrefined"), 7.0);
  EXPECT_GE(result->stats.lookup("pattern-moves"), 1);
  const Solution &solution = result->solution;
  expectTwoServerCopies(problem, solution, [](const Node &node) {
    return node.name == "main/embed";
  });
  EXPECT_DOUBLE_EQ(evaluate(problem, solution, options.objective).value, 6.5);
  EXPECT_DOUBLE_EQ(result->stats.lookup("value.final"), 6.5);
}

TEST(SymmetryTest, RefinementMovesAPositionOfEveryBlockAlike) {
  // One GPU and a one-slot host CPU (no helper: the pipeline is the GPU
  // alone, 1 + 4 x 3 + 1 = 14 s). The CPU runs layer*.a in 10 s, layer*.b
  // in 3 s, not the embedding or the head. The four blocks are one class:
  // moving b of all four to the CPU gives it 12 s and leaves the GPU 10 s
  // (1e3-byte hand-offs, 1 us each): period 12. Moving a too would give
  // the CPU 52 s. (Op by op, b of three blocks would make 11: the pattern
  // gives that up.)
  Platform platform = diviml::testing::hostAndGpus(1, 1e9);
  Problem problem = layeredProblem(kInfinity, 10, platform);
  for (Node &node : problem.nodes) {
    llvm::StringRef name = node.name;
    if (name.ends_with(".b"))
      node.time[0] = 3;
    else if (name == "main/embed" || name == "main/head")
      node.time[0] = kInfinity;
  }
  problem.finalize();
  AlgorithmOptions options = throughputOptions();
  llvm::Expected<AlgorithmResult> result =
      scheduleReplicatedPipeline(problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_NEAR(result->stats.lookup("value.unrefined"), 14.0, 1e-4);
  const std::vector<unsigned> &device = result->solution.device;
  for (unsigned i = 0; i != 4; ++i) {
    EXPECT_EQ(device[2 + 2 * i], 1u) << i; // layer<i>.a on the GPU
    EXPECT_EQ(device[3 + 2 * i], 0u) << i; // layer<i>.b on the CPU
  }
  EXPECT_FALSE(bool(verify(problem, result->solution)));
  EXPECT_DOUBLE_EQ(evaluate(problem, result->solution, options.objective).value,
                   12.0);
}

TEST(SymmetryTest, ReplicasMoveWhatTheHostHelpsWithToItsImage) {
  // Both servers' CPUs get two slots and run layer*.b in 4 s: in the copy
  // on s0, s0.cpu (the host) helps s0.gpu0 with b (4 / 2 per slot over 1
  // s on the GPU, below a's 5 / 2; max(2, 2) < 3 per block). s0.gpu0
  // keeps embed + 4 a + head = 10 s, s0.cpu 4 x 4 s over 2 slots = 8 s:
  // 10 s per sample per copy. Copy 1 runs b on s1.cpu, the host's image;
  // the host keeps only the arguments and results. Two copies: value 5
  // (had copy 1's b stayed on the host, it would hold 16 s per pair of
  // samples: 8).
  Platform platform = twoServers();
  platform.devices[0].slots = platform.devices[2].slots = 2;
  Problem problem = layeredProblem(kInfinity, 10, platform);
  for (Node &node : problem.nodes)
    if (llvm::StringRef(node.name).ends_with(".b"))
      node.time[0] = node.time[2] = 4;
  problem.finalize();
  AlgorithmOptions options = throughputOptions();
  llvm::Expected<AlgorithmResult> result =
      scheduleReplicatedPipeline(problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->stats.lookup("replicas"), 2);
  EXPECT_EQ(result->stats.lookup("offloaded"), 1);
  const Solution &solution = result->solution;
  expectTwoServerCopies(problem, solution, [](const Node &node) {
    return llvm::StringRef(node.name).ends_with(".b");
  });
  EXPECT_NEAR(evaluate(problem, solution, options.objective).value, 5.0, 1e-9);
}

} // namespace
