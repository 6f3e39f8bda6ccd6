//===- BlockPipeline.cpp - Contiguous ranges of identical blocks ----------===//
//
// Blocks are cut into q equal-time pieces (the same cut in every block) and
// the dynamic programme over (last stage's device, pieces placed) is exact
// for its own cost: the largest stage load (piece times, plus the prologue
// and epilogue on the first and last stage or on stages of their own) and
// link load between consecutive stages (every tensor crossing the cut,
// once). What it leaves out, the evaluator adds: the externals' copies to
// and from the host, and loads from sharing links. Plans whose stages hand
// light positions to a many-slot helper (a server's CPU) are judged by
// evaluate() against the plain one, which charges the helpers; the answer
// is judged by evaluate() like every other; docs/split.md ("Symmetry").
//
//===----------------------------------------------------------------------===//

#include "diviml/Split/Symmetry.h"

#include "diviml/Evaluation/Evaluate.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <tuple>

using namespace diviml;

static llvm::Error pipelineError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "block pipeline: " + message);
}

namespace {

/// Blocks are tried whole and cut into these many pieces: finer pieces
/// balance stages better on many devices (a 70B-class model's 80 blocks
/// on 27 stages), at more hand-offs and a programme that grows with the
/// square of the pieces.
constexpr unsigned kChunkCounts[] = {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16};

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

/// Positions of a block that run on a helper (a many-slot device, the
/// CPU of a stage's server) rather than on the stage's device, and the
/// helper of every chain device; none when `position` is empty.
struct Offload {
  std::vector<bool> position;
  std::vector<unsigned> helperOf;
};

std::optional<AlgorithmResult> planUnits(const Problem &problem,
                                         const RepeatedBlocks &rb,
                                         llvm::ArrayRef<unsigned> chain,
                                         unsigned chunks,
                                         llvm::ArrayRef<unsigned> chunkOf,
                                         const Offload &offload, double bound);

/// Stage devices and offloads worth judging (docs/split.md, "Symmetry"):
/// the many-slot devices among `allowed` (a cluster server's CPU) become
/// helpers, each chain device with one slot a stage device whose helper is
/// the one with the quickest route there and back (or, second assignment,
/// its own server's when it has one); the positions the
/// helper runs are a prefix of the positions sorted by (helper time per
/// slot) / (stage time) on the first stage device, ascending, of a few
/// lengths around the one that balances the first helper's share against
/// its stage's remaining time. Empty when there is no helper or no stage.
std::vector<std::pair<std::vector<unsigned>, Offload>>
offloadCandidates(const Problem &problem, const RepeatedBlocks &rb,
                  llvm::ArrayRef<unsigned> chain,
                  llvm::function_ref<bool(unsigned)> allowed) {
  const Platform &platform = problem.platform;
  std::vector<unsigned> helpers, stages;
  for (unsigned d = 0; d != problem.numDevices(); ++d)
    if (allowed(d) && platform.devices[d].slots > 1)
      helpers.push_back(d);
  for (unsigned d : chain)
    if (platform.devices[d].slots == 1)
      stages.push_back(d);
  if (helpers.empty() || stages.empty())
    return {};
  auto server = [&](unsigned d) {
    auto [prefix, local] = llvm::StringRef(platform.devices[d].name).split('.');
    return local.empty() ? llvm::StringRef() : prefix;
  };
  // Two assignments of helpers: the quickest route there and back, and
  // the stage's own server's helper first on a cluster (devices named
  // `s<i>.<local>`; a remote host may be as quick to reach, but then every
  // stage shares it).
  std::vector<Offload> assignments;
  for (bool local : {false, true}) {
    Offload offload;
    for (unsigned d : stages) {
      unsigned best = ~0u;
      std::pair<bool, double> bestKey{true, kInfinity};
      for (unsigned h : helpers) {
        std::pair<bool, double> key{
            local && (server(d).empty() || server(d) != server(h)),
            platform.transferTime(d, h, 0) + platform.transferTime(h, d, 0)};
        if (key.second < kInfinity && key < bestKey) {
          bestKey = key;
          best = h;
        }
      }
      if (best == ~0u)
        return {};
      offload.helperOf.push_back(best);
    }
    if (assignments.empty() || assignments[0].helperOf != offload.helperOf)
      assignments.push_back(std::move(offload));
  }
  std::vector<std::pair<std::vector<unsigned>, Offload>> result;
  for (const Offload &offload : assignments) {
    unsigned stage = stages[0], helper = offload.helperOf[0];
    unsigned sharing = llvm::count(offload.helperOf, helper);
    double slots = platform.devices[helper].slots;
    // (helper time per slot, stage time, position) of what may move.
    std::vector<std::tuple<double, double, unsigned>> movable;
    double stageTotal = 0;
    for (auto [p, v] : llvm::enumerate(rb.blocks[0])) {
      if (problem.nodes[v].external)
        continue;
      double here = problem.occupancy(v, stage);
      stageTotal += here;
      const Node &node = problem.nodes[v];
      if (here <= 0 ||
          !llvm::all_of(helpers, [&](unsigned h) { return node.canRunOn(h); }))
        continue;
      movable.push_back({problem.occupancy(v, helper) / slots, here, p});
    }
    llvm::sort(movable, [](const auto &x, const auto &y) {
      double rx = std::get<0>(x) / std::get<1>(x),
             ry = std::get<0>(y) / std::get<1>(y);
      return rx != ry ? rx < ry : std::get<2>(x) < std::get<2>(y);
    });
    // The prefix that balances: the helper serves `sharing` stages.
    unsigned balanced = 0;
    double moved = 0, helperTime = 0, bestMax = stageTotal;
    for (unsigned k = 0; k != movable.size(); ++k) {
      helperTime += std::get<0>(movable[k]) * sharing;
      moved += std::get<1>(movable[k]);
      double value = std::max(helperTime, stageTotal - moved);
      if (value < bestMax) {
        bestMax = value;
        balanced = k + 1;
      }
    }
    std::vector<unsigned> lengths;
    for (unsigned quarters : {4, 3, 2, 1}) {
      unsigned length = (balanced * quarters + 3) / 4;
      if (length > 0 && !llvm::is_contained(lengths, length))
        lengths.push_back(length);
    }
    for (unsigned length : lengths) {
      Offload candidate = offload;
      candidate.position.assign(rb.blocks[0].size(), false);
      for (unsigned k = 0; k != length; ++k)
        candidate.position[std::get<2>(movable[k])] = true;
      result.push_back({stages, std::move(candidate)});
    }
  }
  return result;
}

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

  std::vector<unsigned> topoIndex(problem.numNodes());
  for (auto [i, v] : llvm::enumerate(problem.topologicalOrder()))
    topoIndex[v] = i;
  std::vector<unsigned> positions(rb.blocks[0].size());
  for (unsigned p = 0; p != positions.size(); ++p)
    positions[p] = p;
  llvm::sort(positions, [&](unsigned x, unsigned y) {
    return topoIndex[rb.blocks[0][x]] < topoIndex[rb.blocks[0][y]];
  });
  auto kept = [&](const Offload &offload, unsigned p) {
    return !problem.nodes[rb.blocks[0][p]].external &&
           (offload.position.empty() || !offload.position[p]);
  };

  // The best plan over the number of pieces for one offload: every block
  // cut into `chunks` pieces along a topological order of its positions,
  // pieces of about equal time (of the ops the stages keep) on the first
  // stage device. The pieces of one position are the same in every block
  // (the pattern).
  auto bestOverChunks = [&](llvm::ArrayRef<unsigned> stages,
                            const Offload &offload,
                            llvm::ArrayRef<unsigned> chunkCounts,
                            double bound) -> std::optional<AlgorithmResult> {
    double blockTime = 0;
    for (unsigned p : positions)
      if (kept(offload, p))
        blockTime += problem.occupancy(rb.blocks[0][p], stages[0]);
    std::optional<AlgorithmResult> best;
    double bestValue = bound;
    for (unsigned chunks : chunkCounts) {
      if (chunks > positions.size())
        break;
      std::vector<unsigned> chunkOf(positions.size());
      double done = 0;
      for (unsigned p : positions) {
        unsigned c = std::min<unsigned>(
            chunks - 1, blockTime > 0 ? done / blockTime * chunks : 0);
        chunkOf[p] = c;
        if (kept(offload, p))
          done += problem.occupancy(rb.blocks[0][p], stages[0]);
      }
      std::optional<AlgorithmResult> plan =
          planUnits(problem, rb, stages, chunks, chunkOf, offload, bestValue);
      if (!plan)
        continue;
      // The estimate leaves out only what every plan of this offload
      // shares (the externals' copies, the helpers' loads), so it ranks
      // them; evaluate() on each would cost more than the programme on
      // large clusters.
      double value = plan->stats.lookup("pipeline-estimate");
      if (value < bestValue) {
        bestValue = value;
        best = std::move(*plan);
        best->stats["chunks"] = chunks;
      }
    }
    return best;
  };

  std::optional<AlgorithmResult> best =
      bestOverChunks(chain, Offload(), kChunkCounts, kInfinity);
  if (!best)
    return pipelineError("no assignment of block ranges fits the memory");
  double bestValue =
      evaluate(problem, best->solution, Objective::Throughput).value;
  auto allowed = [&](unsigned d) {
    return devices.empty() || llvm::is_contained(devices, d);
  };
  std::vector<std::pair<std::vector<unsigned>, Offload>> candidates =
      offloadCandidates(problem, rb, chain, allowed);
  // Whether candidate i with these piece counts beats the best plan.
  auto improves = [&](unsigned i, llvm::ArrayRef<unsigned> counts) {
    auto &[stages, offload] = candidates[i];
    // The estimate leaves out loads that evaluate() adds (the helpers',
    // the externals' copies); its hand-offs may charge a cut's link with
    // tensors that evaluate() sends elsewhere, but where compute decides,
    // a plan estimated at the best value or above cannot win.
    std::optional<AlgorithmResult> plan =
        bestOverChunks(stages, offload, counts, bestValue);
    if (!plan)
      return false;
    Evaluation evaluation =
        evaluate(problem, plan->solution, Objective::Throughput);
    if (!evaluation.feasible || evaluation.value >= bestValue)
      return false;
    bestValue = evaluation.value;
    best = std::move(*plan);
    best->stats["offloaded"] = llvm::count(offload.position, true);
    return true;
  };
  // Helpers take light positions out of the stages and leave the
  // granularity alone: every candidate is planned with the plain plan's
  // piece count, and the best one also with the neighbouring counts in
  // kChunkCounts (the programme grows with the square of the pieces: all
  // 11 counts for 8 candidates took 90 % of a 28-device copy's planning).
  llvm::ArrayRef<unsigned> counts = kChunkCounts;
  unsigned plain = best->stats.lookup("chunks");
  size_t at = llvm::find(counts, plain) - counts.begin();
  std::optional<unsigned> winner;
  for (unsigned i = 0, e = candidates.size(); i != e; ++i)
    if (improves(i, plain))
      winner = i;
  if (winner) {
    llvm::SmallVector<unsigned, 2> neighbours;
    if (at != 0)
      neighbours.push_back(counts[at - 1]);
    if (at + 1 < counts.size())
      neighbours.push_back(counts[at + 1]);
    improves(*winner, neighbours);
  }

  best->stats["blocks"] = numBlocks;
  best->stats["block-size"] = rb.blocks[0].size();
  best->stats["chain"] = chain.size();
  best->status = SolveStatus::Heuristic;
  return std::move(*best);
}

namespace {

/// The dynamic programme over units (pieces of blocks) on the chain; see
/// the file comment. std::nullopt when nothing fits or nothing is below
/// `bound` (the best value of an earlier plan: states at or above it are
/// not followed, which keeps stages to about their share of the units).
std::optional<AlgorithmResult> planUnits(const Problem &problem,
                                         const RepeatedBlocks &rb,
                                         llvm::ArrayRef<unsigned> chain,
                                         unsigned chunks,
                                         llvm::ArrayRef<unsigned> chunkOf,
                                         const Offload &offload, double bound) {
  const Platform &platform = problem.platform;
  unsigned numUnits = rb.blocks.size() * chunks;
  auto offloaded = [&](unsigned p) {
    return !offload.position.empty() && offload.position[p];
  };
  // unitOf (shifted): prologue 0, units 1..numUnits, epilogue numUnits + 1.
  std::vector<unsigned> unitOf(problem.numNodes(), 0);
  // units: what the stage device runs; helped: what its helper runs.
  std::vector<std::vector<unsigned>> units(numUnits), helped(numUnits);
  for (auto [b, nodes] : llvm::enumerate(rb.blocks))
    for (auto [p, v] : llvm::enumerate(nodes)) {
      unsigned u = b * chunks + chunkOf[p];
      (offloaded(p) ? helped : units)[u].push_back(v);
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
    // Blocks cost the same (findRepeatedBlocks()): block 0's pieces give
    // every block's, summed in the same order.
    std::vector<Cost> piece(chunks);
    for (unsigned c = 0; c != chunks; ++c)
      piece[c] = costOn(problem, units[c], chain[j]);
    for (unsigned u = 0; u != numUnits; ++u) {
      const Cost &unit = piece[u % chunks];
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
        if (value < h[b0] && value < bound) {
          h[b0] = value;
          hFrom[b0] = i;
        }
      }
    // Stages [b0, b1) from the shortest up: a stage's load only grows with
    // its blocks, so once it passes the best value found for b1 (or the
    // bound) no longer stage can win (ties keep the smallest b0, as an
    // ascending scan with strict improvement would).
    for (unsigned b1 = 1; b1 <= numBlocks; ++b1)
      for (bool withEpi : {false, true}) {
        if (withEpi && b1 != numBlocks)
          continue;
        double &best = withEpi ? gEnd[j] : g[j][b1];
        Step &bestStep = withEpi ? fromEnd[j] : from[j][b1];
        for (unsigned b0 = b1; b0-- != 0;) {
          double load = stageLoad(j, b0, b1, false, withEpi);
          if (load == kInfinity || load > best || load >= bound)
            break;
          double value = kInfinity;
          Step step{~0u, b0, ~0u};
          if (b0 == 0) {
            // Prologue here, or alone before.
            value = stageLoad(j, 0, b1, true, withEpi);
            double alone = std::max(proAlone[j], load);
            if (alone < value) {
              value = alone;
              step.proDevice = proFrom[j];
            } else {
              step.proDevice = j;
            }
          } else if (h[b0] != kInfinity) {
            value = std::max(h[b0], load);
            step.prev = hFrom[b0];
          }
          if (value != kInfinity && value <= best) {
            best = value;
            bestStep = step;
          }
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
    for (unsigned b = step.b0; b != b1; ++b) {
      for (unsigned v : units[b])
        device[v] = chain[j];
      for (unsigned v : helped[b])
        device[v] = offload.helperOf[j];
    }
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
