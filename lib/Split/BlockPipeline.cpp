//===- BlockPipeline.cpp - Contiguous ranges of identical blocks ----------===//
//
// Blocks are cut into q equal-time pieces (the same cut in every block) and
// the dynamic programme over (last stage's device, pieces placed) is exact
// for its own cost: the largest stage load (piece times, plus the prologue
// and epilogue on the first and last stage or on stages of their own) and
// link load between consecutive stages (every tensor crossing the cut,
// once). What it leaves out, the evaluator adds: the externals' copies to
// and from the host, and loads from sharing links. The answer is judged by
// evaluate() like every other; docs/split.md ("Symmetry").
//
//===----------------------------------------------------------------------===//

#include "diviml/Split/Symmetry.h"

#include "diviml/Evaluation/Evaluate.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace diviml;

static llvm::Error pipelineError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "block pipeline: " + message);
}

namespace {

/// Blocks are tried whole and cut into up to this many pieces: finer
/// pieces balance stages better on many devices, at more hand-offs.
constexpr unsigned kMaxChunks = 8;

/// Time (slot-seconds over slots) and memory of a set of nodes on a device.
struct Cost {
  double time = 0, memory = 0;
};

Cost costOn(const Problem &problem, llvm::ArrayRef<unsigned> nodes,
            unsigned device) {
  Cost cost;
  for (unsigned v : nodes) {
    if (problem.nodes[v].external)
      continue;
    cost.time += problem.occupancy(v, device);
    cost.memory += problem.nodes[v].memory;
  }
  cost.time /= problem.platform.devices[device].slots;
  return cost;
}

std::optional<AlgorithmResult> planUnits(const Problem &problem,
                                         const RepeatedBlocks &rb,
                                         llvm::ArrayRef<unsigned> chain,
                                         unsigned chunks,
                                         llvm::ArrayRef<unsigned> chunkOf);

} // namespace

llvm::Expected<AlgorithmResult>
diviml::scheduleBlockPipeline(const Problem &original,
                              const AlgorithmOptions &options,
                              llvm::ArrayRef<unsigned> devices) {
  if (options.objective != Objective::Throughput)
    return pipelineError("plans throughput only");
  Problem storage;
  const Problem *problemPtr = &original;
  if (!original.isFinalized()) {
    storage = original;
    storage.finalize();
    problemPtr = &storage;
  }
  const Problem &problem = *problemPtr;
  std::optional<RepeatedBlocks> found = findRepeatedBlocks(problem);
  if (!found)
    return pipelineError("no repeated blocks");
  const RepeatedBlocks &rb = *found;
  unsigned numBlocks = rb.blocks.size();
  const Platform &platform = problem.platform;

  // The chain: devices (of `devices` if given) other than the host that run
  // every non-external op of a block, the prologue and the epilogue, in
  // index order.
  std::vector<unsigned> chain;
  for (unsigned d = 0; d != problem.numDevices(); ++d) {
    if ((platform.host && *platform.host == d) ||
        (!devices.empty() && !llvm::is_contained(devices, d)))
      continue;
    auto runs = [&](llvm::ArrayRef<unsigned> nodes) {
      return llvm::all_of(nodes, [&](unsigned v) {
        return problem.nodes[v].external || problem.nodes[v].canRunOn(d);
      });
    };
    if (runs(rb.blocks[0]) && runs(rb.prologue) && runs(rb.epilogue))
      chain.push_back(d);
  }
  if (chain.empty())
    return pipelineError("no device runs every op of a block");

  // Units: every block cut into `chunks` pieces along a topological order
  // of its positions, pieces of about equal time on chain[0]. The pieces of
  // one position are the same in every block (the pattern).
  std::vector<unsigned> topoIndex(problem.numNodes());
  for (auto [i, v] : llvm::enumerate(problem.topologicalOrder()))
    topoIndex[v] = i;
  std::vector<unsigned> positions(rb.blocks[0].size());
  for (unsigned p = 0; p != positions.size(); ++p)
    positions[p] = p;
  llvm::sort(positions, [&](unsigned x, unsigned y) {
    return topoIndex[rb.blocks[0][x]] < topoIndex[rb.blocks[0][y]];
  });
  double blockTime = 0;
  for (unsigned v : rb.blocks[0])
    if (!problem.nodes[v].external)
      blockTime += problem.occupancy(v, chain[0]);

  AlgorithmResult best;
  double bestValue = kInfinity;
  unsigned maxChunks = std::min<size_t>(kMaxChunks, positions.size());
  for (unsigned chunks = 1; chunks <= maxChunks; ++chunks) {
    std::vector<unsigned> chunkOf(positions.size());
    double done = 0;
    for (unsigned p : positions) {
      unsigned c = std::min<unsigned>(
          chunks - 1, blockTime > 0 ? done / blockTime * chunks : 0);
      chunkOf[p] = c;
      if (!problem.nodes[rb.blocks[0][p]].external)
        done += problem.occupancy(rb.blocks[0][p], chain[0]);
    }
    std::optional<AlgorithmResult> plan =
        planUnits(problem, rb, chain, chunks, chunkOf);
    if (!plan)
      continue;
    // The estimate leaves out only what every plan shares (the externals'
    // copies), so it ranks the plans; evaluate() on each would cost more
    // than the programme on large clusters.
    double value = plan->stats.lookup("pipeline-estimate");
    if (value < bestValue) {
      bestValue = value;
      best = std::move(*plan);
      best.stats["chunks"] = chunks;
    }
  }
  if (bestValue == kInfinity)
    return pipelineError("no assignment of block ranges fits the memory");
  best.stats["blocks"] = numBlocks;
  best.stats["block-size"] = rb.blocks[0].size();
  best.stats["chain"] = chain.size();
  best.status = SolveStatus::Heuristic;
  return best;
}

namespace {

/// The dynamic programme over units (pieces of blocks) on the chain; see
/// the file comment. std::nullopt when nothing fits.
std::optional<AlgorithmResult> planUnits(const Problem &problem,
                                         const RepeatedBlocks &rb,
                                         llvm::ArrayRef<unsigned> chain,
                                         unsigned chunks,
                                         llvm::ArrayRef<unsigned> chunkOf) {
  const Platform &platform = problem.platform;
  unsigned numUnits = rb.blocks.size() * chunks;
  // unitOf (shifted): prologue 0, units 1..numUnits, epilogue numUnits + 1.
  std::vector<unsigned> unitOf(problem.numNodes(), 0);
  std::vector<std::vector<unsigned>> units(numUnits);
  for (auto [b, nodes] : llvm::enumerate(rb.blocks))
    for (auto [p, v] : llvm::enumerate(nodes)) {
      unsigned u = b * chunks + chunkOf[p];
      units[u].push_back(v);
      unitOf[v] = u + 1;
    }
  for (unsigned v : rb.epilogue)
    unitOf[v] = numUnits + 1;
  // cross[k]: bytes crossing from shifted units <= k to units > k: each
  // producer's tensor once per boundary up to its last consumer.
  std::vector<double> cross(numUnits + 2, 0);
  for (unsigned v = 0; v != problem.numNodes(); ++v) {
    if (problem.nodes[v].external)
      continue;
    unsigned until = unitOf[v];
    for (unsigned w : problem.successors(v))
      until = std::max(until, unitOf[w]);
    for (unsigned k = unitOf[v]; k < until; ++k)
      cross[k] += problem.outputBytes(v);
  }

  unsigned m = chain.size();
  unsigned numBlocks = numUnits;
  std::vector<Cost> pro(m), epi(m);
  // pre[j][u]: time and memory of units [0, u) on chain[j].
  std::vector<std::vector<Cost>> pre(m, std::vector<Cost>(numUnits + 1));
  for (unsigned j = 0; j != m; ++j) {
    pro[j] = costOn(problem, rb.prologue, chain[j]);
    epi[j] = costOn(problem, rb.epilogue, chain[j]);
    for (unsigned u = 0; u != numUnits; ++u) {
      Cost unit = costOn(problem, units[u], chain[j]);
      pre[j][u + 1] = {pre[j][u].time + unit.time,
                       pre[j][u].memory + unit.memory};
    }
  }
  // Stage on chain[j] holding blocks [b0, b1), with the prologue and/or
  // epilogue: its load, or kInfinity when it does not fit.
  auto stageLoad = [&](unsigned j, unsigned b0, unsigned b1, bool withPro,
                       bool withEpi) {
    double time = pre[j][b1].time - pre[j][b0].time;
    double memory = pre[j][b1].memory - pre[j][b0].memory;
    if (withPro) {
      time += pro[j].time;
      memory += pro[j].memory;
    }
    if (withEpi) {
      time += epi[j].time;
      memory += epi[j].memory;
    }
    if (memory > platform.devices[chain[j]].memoryCapacity)
      return kInfinity;
    return time;
  };
  // A hand-off from chain[i] to chain[j] at shifted boundary k. A route's
  // time is linear in the bytes (latency + bytes / bandwidth per leg):
  // two route look-ups per pair, not one per use (route() scans the links,
  // which a cluster has quadratically many of).
  std::vector<std::vector<std::pair<double, double>>> linear(
      m, std::vector<std::pair<double, double>>(m));
  for (unsigned i = 0; i != m; ++i)
    for (unsigned j = i + 1; j < m; ++j) {
      double fixed = platform.transferTime(chain[i], chain[j], 0);
      linear[i][j] = {fixed,
                      platform.transferTime(chain[i], chain[j], 1) - fixed};
    }
  auto link = [&](unsigned i, unsigned j, unsigned k) {
    return linear[i][j].first + linear[i][j].second * cross[k];
  };
  // The prologue (embedding) or the epilogue (LM head) may be a stage of
  // its own: proAlone[j] is the best such stage before a first block stage
  // on chain[j], with the hand-off to it.
  std::vector<double> proAlone(m, kInfinity);
  std::vector<unsigned> proFrom(m, ~0u);
  for (unsigned j = 0; j != m; ++j)
    for (unsigned i = 0; i != j; ++i) {
      double value = std::max(stageLoad(i, 0, 0, true, false), link(i, j, 0));
      if (value < proAlone[j]) {
        proAlone[j] = value;
        proFrom[j] = i;
      }
    }

  // g[e][j][b]: the least max load with blocks [0, b) placed, the last
  // stage on chain[j], holding the epilogue when e = 1 (b = numBlocks).
  // from: (previous device or ~0u, first block, prologue device).
  struct Step {
    unsigned prev = ~0u, b0 = ~0u, proDevice = ~0u;
  };
  std::vector<std::vector<double>> g(
      m, std::vector<double>(numBlocks + 1, kInfinity));
  std::vector<std::vector<Step>> from(m, std::vector<Step>(numBlocks + 1));
  std::vector<double> gEnd(m, kInfinity);
  std::vector<Step> fromEnd(m);
  for (unsigned j = 0; j != m; ++j) {
    // h[b0]: the best way to have placed [0, b0) with the previous stage
    // on some chain[i], i < j, plus the hand-off from chain[i] to chain[j].
    std::vector<double> h(numBlocks + 1, kInfinity);
    std::vector<unsigned> hFrom(numBlocks + 1, ~0u);
    for (unsigned i = 0; i != j; ++i)
      for (unsigned b0 = 1; b0 < numBlocks; ++b0) {
        double value = std::max(g[i][b0], link(i, j, b0));
        if (value < h[b0]) {
          h[b0] = value;
          hFrom[b0] = i;
        }
      }
    for (unsigned b1 = 1; b1 <= numBlocks; ++b1)
      for (unsigned b0 = 0; b0 < b1; ++b0)
        for (bool withEpi : {false, true}) {
          if (withEpi && b1 != numBlocks)
            continue;
          double value = kInfinity;
          Step step{~0u, b0, ~0u};
          if (b0 == 0) {
            // Prologue here, or alone before.
            value = stageLoad(j, 0, b1, true, withEpi);
            double alone =
                std::max(proAlone[j], stageLoad(j, 0, b1, false, withEpi));
            if (alone < value) {
              value = alone;
              step.proDevice = proFrom[j];
            } else {
              step.proDevice = j;
            }
          } else if (h[b0] != kInfinity) {
            value = std::max(h[b0], stageLoad(j, b0, b1, false, withEpi));
            step.prev = hFrom[b0];
          }
          double &best = withEpi ? gEnd[j] : g[j][b1];
          if (value < best) {
            best = value;
            (withEpi ? fromEnd[j] : from[j][b1]) = step;
          }
        }
  }
  // The end: the epilogue on the last block stage, or alone after it.
  double bestValue = kInfinity;
  unsigned last = ~0u, epiDevice = ~0u;
  for (unsigned j = 0; j != m; ++j) {
    if (gEnd[j] < bestValue) {
      bestValue = gEnd[j];
      last = j;
      epiDevice = j;
    }
    if (g[j][numBlocks] == kInfinity)
      continue;
    for (unsigned e = j + 1; e < m; ++e) {
      double value = std::max({g[j][numBlocks], link(j, e, numBlocks),
                               stageLoad(e, 0, 0, false, true)});
      if (value < bestValue) {
        bestValue = value;
        last = j;
        epiDevice = e;
      }
    }
  }
  if (last == ~0u)
    return std::nullopt;

  // Rebuild the placement: stages from the last back to the first.
  AlgorithmResult result;
  std::vector<unsigned> &device = result.solution.device;
  device.assign(problem.numNodes(), chain[last]);
  unsigned stages = 0, j = last, b1 = numBlocks, proDevice = ~0u;
  Step step = epiDevice == last ? fromEnd[last] : from[last][numBlocks];
  while (true) {
    for (unsigned b = step.b0; b != b1; ++b)
      for (unsigned v : units[b])
        device[v] = chain[j];
    ++stages;
    if (step.b0 == 0) {
      proDevice = step.proDevice;
      break;
    }
    b1 = step.b0;
    j = step.prev;
    step = from[j][b1];
  }
  for (unsigned v : rb.prologue)
    device[v] = chain[proDevice];
  for (unsigned v : rb.epilogue)
    device[v] = chain[epiDevice];
  stages += (proDevice != j) + (epiDevice != last);
  // Externals stay where they can run (their home).
  for (unsigned v = 0; v != problem.numNodes(); ++v)
    if (problem.nodes[v].external && !problem.nodes[v].canRunOn(device[v]))
      for (unsigned d = 0; d != problem.numDevices(); ++d)
        if (problem.nodes[v].canRunOn(d)) {
          device[v] = d;
          break;
        }
  result.stats["stages"] = stages;
  result.stats["pipeline-estimate"] = bestValue;
  return result;
}

} // namespace
