//===- SplitLatency.cpp - Module MILPs for the latency objective ----------===//
//
// The priority order of the whole solution is the concatenation of the
// modules' orders, so when a module is solved everything before it in that
// order is already simulated: its boundary is read off the simulator (when
// each device's slots and each link are free, when each input was ready)
// and every candidate placement of the module is judged by simulating it
// on top, exactly as evaluate() will.
//
//===----------------------------------------------------------------------===//

#include "SplitPhases.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Evaluation/LatencySimulator.h"

#include "diviml/Milp/Milp.h"

#include "spdlog/spdlog.h"

#include <algorithm>

using namespace diviml;
using namespace diviml::split;

namespace {

/// A way to run a module: `order[i]` on `device[i]`.
struct Candidate {
  std::vector<unsigned> order, device;
};

/// Nodes that found no device with room (in the lookahead), then the
/// makespan so far, then the sum of the finishes of the nodes simulated.
struct Score {
  unsigned stuck = ~0u;
  double last = kInfinity, total = kInfinity;
  /// Latest finish among the candidate's own nodes (not compared).
  double own = kInfinity;
  bool betterThan(const Score &other) const {
    if (stuck != other.stuck)
      return stuck < other.stuck;
    if (last < other.last * (1 - 1e-12))
      return true;
    return last <= other.last * (1 + 1e-12) &&
           total < other.total * (1 - 1e-12);
  }
};

class ForwardState {
public:
  explicit ForwardState(const Context &context)
      : context(context), problem(context.problem),
        simulator(problem, context.routes), occupancy(problem, context.groups),
        placement(problem.numNodes(), kUnplaced) {
    simulator.enableUndo();
  }

  /// Simulates `candidate` after everything committed, then `lookahead`
  /// greedily (earliest finish); std::nullopt when the candidate breaks
  /// memory or colocation. Leaves the state as it was.
  std::optional<Score> trial(const Candidate &candidate,
                             llvm::ArrayRef<unsigned> lookahead) {
    size_t mark = simulator.checkpoint();
    Score score{0, 0, 0, 0};
    std::vector<unsigned> placed;
    bool admissible = true;
    for (unsigned i = 0, e = candidate.order.size(); i != e; ++i) {
      unsigned v = candidate.order[i], d = candidate.device[i];
      if (!occupancy.canPlace(v, d)) {
        admissible = false;
        break;
      }
      occupancy.place(v, d);
      placed.push_back(v);
      double finish = simulator.schedule(v, d);
      score.total += finish;
      score.own = std::max(score.own, finish);
    }
    if (admissible) {
      Candidate ahead;
      score.stuck =
          lookahead.size() - scheduleGreedily(lookahead, ahead, score.total);
      placed.insert(placed.end(), ahead.order.begin(), ahead.order.end());
      score.last = simulator.makespan();
    }
    simulator.rollback(mark);
    for (unsigned i = placed.size(); i-- > 0;)
      occupancy.remove(placed[i]);
    if (!admissible)
      return std::nullopt;
    return score;
  }

  void commit(const Candidate &candidate, std::vector<unsigned> &order) {
    for (unsigned i = 0, e = candidate.order.size(); i != e; ++i) {
      unsigned v = candidate.order[i], d = candidate.device[i];
      occupancy.place(v, d);
      simulator.schedule(v, d);
      placement[v] = d;
      order.push_back(v);
    }
  }

  /// Each node of `module` (in order) to the device where it finishes
  /// first; std::nullopt when some node fits nowhere.
  std::optional<Candidate> greedyExtension(llvm::ArrayRef<unsigned> module) {
    size_t mark = simulator.checkpoint();
    Candidate candidate;
    double total = 0;
    unsigned done = scheduleGreedily(module, candidate, total);
    simulator.rollback(mark);
    for (unsigned i = candidate.order.size(); i-- > 0;)
      occupancy.remove(candidate.order[i]);
    if (done != module.size())
      return std::nullopt;
    return candidate;
  }

  /// The module's MILP under the current boundary. Its objective is the
  /// module's latest finish; a node on a device where it would finish
  /// after `best` (the best candidate's) even if it started when the
  /// device's first slot frees cannot improve on it, so the MILP does not
  /// get that device (exact for the whole problem, and it keeps the
  /// models small: slow devices drop out for heavy nodes).
  llvm::Expected<MilpOutcome> solveMilp(llvm::ArrayRef<unsigned> module,
                                        llvm::ArrayRef<Candidate> starts,
                                        double work, bool whole, double best,
                                        SubProblem &sub, PhaseStats &stats) {
    sub = buildSubProblem(problem, context.groups, module, placement,
                          occupancy.used(), Objective::Latency);
    fillTimes(sub, simulator);
    for (unsigned i = 0, e = sub.original.size(); i != e; ++i) {
      if (!sub.isFree[i])
        continue;
      std::vector<double> &time = sub.problem.nodes[i].time;
      for (unsigned d = 0, de = time.size(); d != de; ++d)
        if (simulator.firstFreeSlot(d) + time[d] > best * (1 + 1e-9))
          time[d] = kInfinity;
    }
    MilpOptions options = moduleMilpOptions(context, work, whole);
    options.boundary = sub.boundary;
    std::vector<unsigned> scratch = placement;
    for (const Candidate &start : starts) {
      for (unsigned i = 0, e = start.order.size(); i != e; ++i)
        scratch[start.order[i]] = start.device[i];
      options.warmStarts.push_back(sub.solutionOf(scratch, start.order));
    }
    return solveCounted(sub.problem, options, stats, "module");
  }

  /// Release times of the proxies (their finish), ready times of devices
  /// and links, from a simulator holding everything before the free nodes.
  static void fillTimes(SubProblem &sub, const LatencySimulator &simulator) {
    const Problem &problem = sub.problem;
    sub.boundary.releaseTime.assign(problem.numNodes(), 0);
    for (unsigned i = 0, e = problem.numNodes(); i != e; ++i)
      if (!sub.isFree[i])
        sub.boundary.releaseTime[i] = simulator.finish(sub.original[i]);
    sub.boundary.deviceReady.resize(problem.numDevices());
    for (unsigned d = 0, e = problem.numDevices(); d != e; ++d)
      sub.boundary.deviceReady[d] = simulator.latestFreeSlot(d);
    sub.boundary.linkReady.resize(problem.platform.links.size());
    for (unsigned l = 0, e = problem.platform.links.size(); l != e; ++l)
      sub.boundary.linkReady[l] = simulator.linkFreeTime(l);
  }

  const std::vector<unsigned> &devices() const { return placement; }

private:
  /// Schedules `nodes` in order, each on the device where it finishes
  /// first, recording them in `placed` and adding their finishes to
  /// `total`; stops at a node that fits nowhere. Returns the nodes done.
  unsigned scheduleGreedily(llvm::ArrayRef<unsigned> nodes, Candidate &placed,
                            double &total) {
    for (unsigned v : nodes) {
      unsigned best = kUnplaced;
      double bestFinish = kInfinity;
      for (unsigned d = 0, e = problem.numDevices(); d != e; ++d) {
        if (!occupancy.canPlace(v, d))
          continue;
        size_t inner = simulator.checkpoint();
        double finish = simulator.schedule(v, d);
        simulator.rollback(inner);
        if (best == kUnplaced || finish < bestFinish) {
          best = d;
          bestFinish = finish;
        }
      }
      if (best == kUnplaced)
        break;
      occupancy.place(v, best);
      total += simulator.schedule(v, best);
      placed.order.push_back(v);
      placed.device.push_back(best);
    }
    return placed.order.size();
  }

  const Context &context;
  const Problem &problem;
  LatencySimulator simulator;
  Occupancy occupancy;
  std::vector<unsigned> placement;
};

/// `module` in the order and on the devices of a whole solution.
Candidate restrict(const Solution &solution, llvm::ArrayRef<unsigned> module,
                   llvm::ArrayRef<unsigned> position) {
  Candidate candidate;
  candidate.order.assign(module.begin(), module.end());
  llvm::stable_sort(candidate.order, [&](unsigned a, unsigned b) {
    return position[a] < position[b];
  });
  for (unsigned v : candidate.order)
    candidate.device.push_back(solution.device[v]);
  return candidate;
}

std::vector<unsigned> positionsIn(const Solution &solution,
                                  const Problem &problem) {
  std::vector<unsigned> position(problem.numNodes());
  llvm::ArrayRef<unsigned> order = solution.order;
  if (order.empty())
    order = problem.topologicalOrder();
  for (unsigned i = 0, e = order.size(); i != e; ++i)
    position[order[i]] = i;
  return position;
}

/// (makespan, sum of finishes) of a whole solution.
Score wholeScore(const Context &context, const Solution &solution) {
  LatencySimulator simulator(context.problem, context.routes);
  Score score{0, 0, 0, 0};
  for (unsigned v : solution.order) {
    double finish = simulator.schedule(v, solution.device[v]);
    score.last = std::max(score.last, finish);
    score.total += finish;
  }
  return score;
}

} // namespace

llvm::Expected<Solution> split::latencyForward(const Context &context,
                                               Budget &budget,
                                               PhaseStats &stats) {
  const Problem &problem = context.problem;
  const std::vector<std::vector<unsigned>> &modules = context.plan.modules;
  ForwardState state(context);
  std::vector<std::vector<unsigned>> baselinePositions;
  for (const Solution &baseline : context.baselines)
    baselinePositions.push_back(positionsIn(baseline, problem));
  Solution result;
  for (unsigned m = 0, e = modules.size(); m != e; ++m) {
    llvm::ArrayRef<unsigned> module = modules[m];
    std::vector<Candidate> candidates;
    if (std::optional<Candidate> greedy = state.greedyExtension(module))
      candidates.push_back(std::move(*greedy));
    for (unsigned b = 0, be = context.baselines.size(); b != be; ++b)
      candidates.push_back(
          restrict(context.baselines[b], module, baselinePositions[b]));
    // Candidates are judged after a greedy rollout of the next modules, so
    // that a module does not grab devices its successors need.
    std::vector<unsigned> lookahead;
    for (unsigned k = m + 1;
         k <
         std::min<size_t>(e, size_t(m) + 1 + context.split.lookaheadModules);
         ++k)
      lookahead.insert(lookahead.end(), modules[k].begin(), modules[k].end());
    std::optional<Candidate> best;
    Score bestScore;
    std::vector<Candidate> admissible;
    for (Candidate &candidate : candidates)
      if (std::optional<Score> score = state.trial(candidate, lookahead)) {
        if (!best || score->betterThan(bestScore)) {
          best = candidate;
          bestScore = *score;
        }
        admissible.push_back(std::move(candidate));
      }
    double work = module.size() > 1 ? budget.next() : 0;
    if (work > 0) {
      SubProblem sub;
      llvm::Expected<MilpOutcome> outcome =
          state.solveMilp(module, admissible, work, modules.size() == 1,
                          best ? bestScore.own : kInfinity, sub, stats);
      if (!outcome) {
        spdlog::debug("split: module {} MILP failed: {}", m,
                      llvm::toString(outcome.takeError()));
      } else {
        std::vector<unsigned> scratch = state.devices();
        sub.readPlacement(outcome->solution, scratch);
        Candidate solved;
        solved.order = sub.freeOrder(outcome->solution);
        for (unsigned v : solved.order)
          solved.device.push_back(scratch[v]);
        std::optional<Score> score = state.trial(solved, lookahead);
        if (score && (!best || score->betterThan(bestScore))) {
          stats.milpImproved += best.has_value();
          best = std::move(solved);
          bestScore = *score;
        }
      }
    }
    if (!best)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "split: no placement of module " + std::to_string(m) +
              " fits in memory after the modules before it");
    state.commit(*best, result.order);
  }
  result.device = state.devices();
  return result;
}

void split::latencyWindows(const Context &context, Budget &budget,
                           Solution &current, PhaseStats &stats) {
  const Problem &problem = context.problem;
  std::vector<std::pair<size_t, size_t>> windows =
      seamWindows(context.plan, context.options.maxModuleSize);
  Occupancy occupancy(problem, context.groups);
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
    occupancy.place(v, current.device[v]);
  // The windows move forward through the order; `prefix` holds everything
  // before the current one.
  LatencySimulator prefix(problem, context.routes);
  size_t simulated = 0;
  Score currentScore = wholeScore(context, current);
  for (auto [begin, end] : windows) {
    for (; simulated < begin; ++simulated)
      prefix.schedule(current.order[simulated],
                      current.device[current.order[simulated]]);
    double work = budget.next();
    if (work <= 0)
      continue;
    std::vector<unsigned> window(current.order.begin() + begin,
                                 current.order.begin() + end);
    for (unsigned v : window)
      occupancy.remove(v);
    SubProblem sub =
        buildSubProblem(problem, context.groups, window, current.device,
                        occupancy.used(), Objective::Latency);
    ForwardState::fillTimes(sub, prefix);
    MilpOptions options = moduleMilpOptions(context, work, false);
    options.boundary = sub.boundary;
    options.warmStarts.push_back(sub.solutionOf(current.device, window));
    llvm::Expected<MilpOutcome> outcome =
        solveCounted(sub.problem, options, stats, "window");
    if (!outcome) {
      spdlog::debug("split: window MILP failed: {}",
                    llvm::toString(outcome.takeError()));
    } else {
      Solution candidate = current;
      sub.readPlacement(outcome->solution, candidate.device);
      std::vector<unsigned> order = sub.freeOrder(outcome->solution);
      std::copy(order.begin(), order.end(), candidate.order.begin() + begin);
      Score score = wholeScore(context, candidate);
      if (score.betterThan(currentScore)) {
        current = std::move(candidate);
        currentScore = score;
        ++stats.windowsImproved;
      }
    }
    for (size_t i = begin; i != end; ++i)
      occupancy.place(current.order[i], current.device[current.order[i]]);
  }
}
