//===- SplitThroughput.cpp - Module MILPs for the throughput objective ----===//
//
// The boundary of a module is the load already on every device and link.
// The loads of the tensors the module's MILP models (its own, and those of
// the fixed producers feeding it, whose fixed consumers come along as
// proxies) are taken out of it, so the MILP recomputes their legs with
// deduplication over all consumers and its value is the whole problem's
// max load over the nodes placed so far.
//
//===----------------------------------------------------------------------===//

#include "SplitPhases.h"

#include "diviml/Milp/Milp.h"

#include "spdlog/spdlog.h"

#include <algorithm>

using namespace diviml;
using namespace diviml::split;

namespace {

/// Nodes that found no device with room (in the lookahead), then the max
/// load, then the spread of the loads (smaller: more balanced).
struct Score {
  unsigned stuck = ~0u;
  double maxLoad = kInfinity, spread = kInfinity;
  /// Max load before the lookahead (not compared).
  double own = kInfinity;
  bool betterThan(const Score &other) const {
    if (stuck != other.stuck)
      return stuck < other.stuck;
    if (maxLoad < other.maxLoad * (1 - 1e-12))
      return true;
    return maxLoad <= other.maxLoad * (1 + 1e-12) &&
           spread < other.spread * (1 - 1e-12);
  }
};

/// A placement of some nodes: `nodes[i]` on `device[i]`.
struct Candidate {
  std::vector<unsigned> nodes, device;
};

class LoadState {
public:
  explicit LoadState(const Context &context)
      : context(context), problem(context.problem),
        loads(problem, context.routes), occupancy(problem, context.groups) {}

  Score score(unsigned stuck = 0) const {
    double maxLoad = loads.maxLoad();
    return {stuck, maxLoad, loads.spread(), maxLoad};
  }

  bool apply(const Candidate &candidate) {
    for (unsigned i = 0, e = candidate.nodes.size(); i != e; ++i) {
      if (!occupancy.canPlace(candidate.nodes[i], candidate.device[i])) {
        unapply(candidate, i);
        return false;
      }
      occupancy.place(candidate.nodes[i], candidate.device[i]);
      loads.place(candidate.nodes[i], candidate.device[i]);
    }
    return true;
  }
  /// Removes the first `count` nodes of `candidate`.
  void unapply(const Candidate &candidate, unsigned count) {
    for (unsigned i = count; i-- > 0;) {
      loads.remove(candidate.nodes[i]);
      occupancy.remove(candidate.nodes[i]);
    }
  }
  void unapply(const Candidate &candidate) {
    unapply(candidate, candidate.nodes.size());
  }

  /// The score after `candidate` and a greedy rollout of `lookahead`;
  /// std::nullopt when the candidate breaks memory or colocation.
  std::optional<Score> trial(const Candidate &candidate,
                             llvm::ArrayRef<unsigned> lookahead) {
    if (!apply(candidate))
      return std::nullopt;
    double own = loads.maxLoad();
    Candidate ahead;
    unsigned done = placeGreedily(lookahead, ahead);
    Score result = score(lookahead.size() - done);
    result.own = own;
    unapply(ahead);
    unapply(candidate);
    return result;
  }

  /// Each node (in order) to the device giving the best score now.
  std::optional<Candidate> greedyExtension(llvm::ArrayRef<unsigned> nodes) {
    Candidate candidate;
    unsigned done = placeGreedily(nodes, candidate);
    unapply(candidate);
    if (done != nodes.size())
      return std::nullopt;
    return candidate;
  }

  /// Places `nodes` in order, each where the score is best, recording them
  /// in `placed`; stops at a node that fits nowhere. Returns the nodes done.
  unsigned placeGreedily(llvm::ArrayRef<unsigned> nodes, Candidate &placed) {
    for (unsigned v : nodes) {
      unsigned best = kUnplaced;
      Score bestScore;
      for (unsigned d = 0, e = problem.numDevices(); d != e; ++d) {
        if (!occupancy.canPlace(v, d))
          continue;
        occupancy.place(v, d);
        loads.place(v, d);
        Score s = score();
        loads.remove(v);
        occupancy.remove(v);
        if (best == kUnplaced || s.betterThan(bestScore)) {
          best = d;
          bestScore = s;
        }
      }
      if (best == kUnplaced)
        break;
      occupancy.place(v, best);
      loads.place(v, best);
      placed.nodes.push_back(v);
      placed.device.push_back(best);
    }
    return placed.nodes.size();
  }

  /// The MILP of the free `nodes` (not placed now) under the current loads.
  /// Its objective is the max load after them; loads only grow as nodes are
  /// placed, so a node cannot improve on the best candidate's (`best`) on a
  /// device it would push above it alone: the MILP does not get that
  /// device (exact for the whole problem; smaller models).
  llvm::Expected<MilpOutcome> solveMilp(llvm::ArrayRef<unsigned> nodes,
                                        llvm::ArrayRef<Candidate> starts,
                                        double work, bool whole, double best,
                                        SubProblem &sub, PhaseStats &stats) {
    sub = buildSubProblem(problem, context.groups, nodes, loads.devices(),
                          occupancy.used(), Objective::Throughput);
    const Platform &platform = problem.platform;
    for (unsigned i = 0, e = sub.original.size(); i != e; ++i) {
      if (!sub.isFree[i])
        continue;
      std::vector<double> &time = sub.problem.nodes[i].time;
      for (unsigned d = 0, de = time.size(); d != de; ++d)
        if ((loads.deviceLoads()[d] + time[d]) / platform.devices[d].slots >
            best * (1 + 1e-9))
          time[d] = kInfinity;
    }
    std::vector<double> deviceLoad = loads.deviceLoads();
    std::vector<double> linkLoad = loads.linkLoads();
    for (unsigned u : sub.fixedProducers)
      loads.subtractLegs(u, deviceLoad, linkLoad);
    for (double &load : deviceLoad)
      load = std::max(0.0, load);
    for (double &load : linkLoad)
      load = std::max(0.0, load);
    sub.boundary.deviceLoad = std::move(deviceLoad);
    sub.boundary.linkLoad = std::move(linkLoad);
    MilpOptions options = moduleMilpOptions(context, work, whole);
    options.boundary = sub.boundary;
    std::vector<unsigned> scratch = loads.devices();
    for (const Candidate &start : starts) {
      for (unsigned i = 0, e = start.nodes.size(); i != e; ++i)
        scratch[start.nodes[i]] = start.device[i];
      options.warmStarts.push_back(sub.solutionOf(scratch, {}));
    }
    return solveCounted(sub.problem, options, stats, "module");
  }

  Candidate fromMilp(const SubProblem &sub, const MilpOutcome &outcome,
                     llvm::ArrayRef<unsigned> nodes) const {
    std::vector<unsigned> scratch = loads.devices();
    sub.readPlacement(outcome.solution, scratch);
    Candidate candidate;
    candidate.nodes.assign(nodes.begin(), nodes.end());
    for (unsigned v : nodes)
      candidate.device.push_back(scratch[v]);
    return candidate;
  }

  const std::vector<unsigned> &devices() const { return loads.devices(); }

private:
  const Context &context;
  const Problem &problem;
  LoadTracker loads;
  Occupancy occupancy;
};

Candidate restrict(const Solution &solution, llvm::ArrayRef<unsigned> nodes) {
  Candidate candidate;
  candidate.nodes.assign(nodes.begin(), nodes.end());
  for (unsigned v : nodes)
    candidate.device.push_back(solution.device[v]);
  return candidate;
}

/// Solves `nodes` by the MILP (if the budget allows) against the heuristic
/// candidates and leaves the best applied; false if none is admissible.
bool solveNodes(const Context &context, LoadState &state,
                llvm::ArrayRef<unsigned> nodes,
                std::vector<Candidate> candidates,
                llvm::ArrayRef<unsigned> lookahead, double work, bool whole,
                PhaseStats &stats) {
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
  if (work > 0) {
    SubProblem sub;
    llvm::Expected<MilpOutcome> outcome =
        state.solveMilp(nodes, admissible, work, whole,
                        best ? bestScore.own : kInfinity, sub, stats);
    if (!outcome) {
      spdlog::debug("split: MILP failed: {}",
                    llvm::toString(outcome.takeError()));
    } else {
      Candidate solved = state.fromMilp(sub, *outcome, nodes);
      std::optional<Score> score = state.trial(solved, lookahead);
      if (score && (!best || score->betterThan(bestScore))) {
        stats.milpImproved += best.has_value();
        best = std::move(solved);
        bestScore = *score;
      }
    }
  }
  if (!best)
    return false;
  state.apply(*best);
  return true;
}

} // namespace

llvm::Expected<Solution> split::throughputForward(const Context &context,
                                                  Budget &budget,
                                                  PhaseStats &stats) {
  const std::vector<std::vector<unsigned>> &modules = context.plan.modules;
  LoadState state(context);
  for (unsigned m = 0, e = modules.size(); m != e; ++m) {
    llvm::ArrayRef<unsigned> module = modules[m];
    std::vector<Candidate> candidates;
    if (std::optional<Candidate> greedy = state.greedyExtension(module))
      candidates.push_back(std::move(*greedy));
    for (const Solution &baseline : context.baselines)
      candidates.push_back(restrict(baseline, module));
    std::vector<unsigned> lookahead;
    for (unsigned k = m + 1;
         k <
         std::min<size_t>(e, size_t(m) + 1 + context.split.lookaheadModules);
         ++k)
      lookahead.insert(lookahead.end(), modules[k].begin(), modules[k].end());
    double work = module.size() > 1 ? budget.next() : 0;
    if (!solveNodes(context, state, module, std::move(candidates), lookahead,
                    work, modules.size() == 1, stats))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "split: no placement of module " + std::to_string(m) +
              " fits in memory after the modules before it");
  }
  Solution result;
  result.device = state.devices();
  return result;
}

void split::throughputWindows(const Context &context, Budget &budget,
                              Solution &current, PhaseStats &stats) {
  std::vector<unsigned> sequence;
  for (const std::vector<unsigned> &module : context.plan.modules)
    sequence.insert(sequence.end(), module.begin(), module.end());
  LoadState state(context);
  Candidate all;
  for (unsigned v = 0, n = context.problem.numNodes(); v != n; ++v) {
    all.nodes.push_back(v);
    all.device.push_back(current.device[v]);
  }
  state.apply(all);
  for (auto [begin, end] :
       seamWindows(context.plan, context.options.maxModuleSize)) {
    double work = budget.next();
    if (work <= 0)
      continue;
    std::vector<unsigned> window(sequence.begin() + begin,
                                 sequence.begin() + end);
    Candidate now = restrict(current, window);
    Score before = state.score();
    state.unapply(now);
    // The current placement competes; solveNodes keeps the better one.
    if (!solveNodes(context, state, window, {now}, {}, work, false, stats)) {
      state.apply(now);
      continue;
    }
    if (state.score().betterThan(before))
      ++stats.windowsImproved;
    for (unsigned v : window)
      current.device[v] = state.devices()[v];
  }
}
