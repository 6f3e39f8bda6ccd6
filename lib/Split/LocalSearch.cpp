//===- LocalSearch.cpp - Move-based improvement of a placement ------------===//
//
// Best move per node (per colocation group), first improvement over the
// nodes, passes until none improves or the work runs out. Throughput keeps its
// loads incrementally (a move touches the node's compute, its own legs and
// its producers' legs) and, once no move helps, re-splits the nodes of the
// most loaded device and another (TwoDeviceBalance.h); latency re-simulates
// from the moved node's position on, stopping a trial as soon as its makespan
// passes the best known.
//
//===----------------------------------------------------------------------===//

#include "diviml/Split/LocalSearch.h"

#include "SplitSupport.h"
#include "TwoDeviceBalance.h"
#include "diviml/Evaluation/LatencySimulator.h"

#include "spdlog/spdlog.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/bit.h"

#include <algorithm>
#include <numeric>
#include <queue>
#include <random>

using namespace diviml;
using namespace diviml::split;

namespace {

constexpr double kRelativeGain = 1e-9;
/// Two-device re-splits: at most this many groups (a random subset beyond),
/// and this many load pairs kept per step of the dynamic program, so that
/// one re-split stays within ~25 MB and tens of milliseconds.
constexpr unsigned kMaxBalancedGroups = 256;
constexpr unsigned kBalanceFrontierCap = 4096;

/// A value to minimise, then a tie-breaker.
struct Score {
  double first = kInfinity, second = kInfinity;
  bool betterThan(const Score &other) const {
    if (first < other.first * (1 - kRelativeGain))
      return true;
    return first <= other.first * (1 + kRelativeGain) &&
           second < other.second * (1 - kRelativeGain);
  }
};

/// Seeded integers, the same on every platform.
class Random {
public:
  explicit Random(uint64_t seed) : engine(seed) {}
  unsigned below(unsigned n) { return unsigned(engine() % n); }

private:
  std::mt19937_64 engine;
};

/// Moves group `g` to a random other device with room, if there is one.
void moveAtRandom(Random &random, const Groups &groups, Occupancy &occupancy,
                  Solution &solution, unsigned g) {
  const std::vector<unsigned> &members = groups.members[g];
  unsigned from = solution.device[members.front()];
  for (unsigned v : members)
    occupancy.remove(v);
  llvm::SmallVector<unsigned, 8> options;
  for (unsigned d = 0, e = occupancy.used().size(); d != e; ++d)
    if (d != from && occupancy.canPlace(members.front(), d))
      options.push_back(d);
  unsigned to = options.empty() ? from : options[random.below(options.size())];
  for (unsigned v : members) {
    occupancy.place(v, to);
    solution.device[v] = to;
  }
}

/// What a search may spend: counted work decides (so that the search does
/// the same under any load), the wall clock is only a safety cap.
struct Meter {
  Meter(const LocalSearchLimits &limits)
      : deadline(secondsNow() + limits.seconds), limit(limits.work) {}
  /// Whether the work or the time is used up.
  bool out() {
    if (work >= limit)
      return true;
    if (secondsNow() >= deadline)
      timeHit = true;
    return timeHit;
  }
  double deadline, limit, work = 0;
  bool timeHit = false;
};

/// The state both searches move in, and the kicks of the iterated search.
class SearchState {
public:
  /// Moves `count` random groups to random devices with room.
  void perturb(Random &random, unsigned count) {
    for (unsigned i = 0; i != count; ++i)
      moveAtRandom(random, groups, occupancy, solution,
                   random.below(groups.members.size()));
  }

  void reset(const Solution &to) {
    for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
      occupancy.remove(v);
    solution = to;
    for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
      occupancy.place(v, solution.device[v]);
  }

protected:
  SearchState(const Problem &problem, Solution &solution)
      : problem(problem), solution(solution), routes(problem.platform),
        groups(problem), occupancy(problem, groups) {
    for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
      occupancy.place(v, solution.device[v]);
  }

  const Problem &problem;
  Solution &solution;
  RouteTable routes;
  Groups groups;
  Occupancy occupancy;
};

/// Moves for throughput: loads kept incrementally.
class ThroughputSearch : public SearchState {
public:
  ThroughputSearch(const Problem &problem, Solution &solution,
                   const LocalSearchLimits &limits)
      : SearchState(problem, solution),
        transferResplits(limits.transferResplits), resplits(limits.resplits),
        neighbourMoves(limits.neighbourMoves),
        candidate(problem.numDevices(), !limits.neighbourMoves) {
    for (unsigned d = 0, e = problem.numDevices(); d != e; ++d)
      if (problem.platform.devices[d].slots > 1)
        manySlots.push_back(d);
  }

  Score score() const {
    LoadTracker loads(problem, routes);
    for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
      loads.place(v, solution.device[v]);
    return {loads.maxLoad(), loads.spread()};
  }

  /// Best-device moves until none improves (true) or the work runs out
  /// (false).
  bool descend(Meter &meter, LocalSearchStats &stats) {
    unsigned numDevices = problem.numDevices();
    while (!meter.out()) {
      // Fresh loads every pass, so that rounding does not accumulate.
      LoadTracker loads(problem, routes);
      for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
        loads.place(v, solution.device[v]);
      Score current{loads.maxLoad(), loads.spread()};
      bool improved = false;
      meter.work += problem.numNodes();
      for (const std::vector<unsigned> &members : groups.members) {
        if (meter.out())
          return false;
        unsigned from = solution.device[members.front()];
        for (unsigned v : members) {
          loads.remove(v);
          occupancy.remove(v);
        }
        markCandidates(members);
        unsigned best = from;
        Score bestScore = current;
        for (unsigned d = 0; d != numDevices; ++d) {
          if (d == from || !candidate[d] ||
              !occupancy.canPlace(members.front(), d))
            continue;
          meter.work += members.size();
          loads.beginTrial();
          for (unsigned v : members)
            loads.place(v, d);
          Score score{loads.maxLoad(), loads.keptSpread()};
          loads.endTrial();
          if (score.betterThan(bestScore)) {
            best = d;
            bestScore = score;
          }
        }
        for (unsigned v : members) {
          occupancy.place(v, best);
          loads.place(v, best);
          solution.device[v] = best;
        }
        if (best != from) {
          ++stats.moves;
          improved = true;
          current = bestScore;
        }
      }
      ++stats.passes;
      // Neighbour moves are the cheap first phase: once none helps, every
      // device is tried (and stays so for the kicks' descents).
      if (!improved && neighbourMoves) {
        neighbourMoves = false;
        llvm::fill(candidate, true);
        continue;
      }
      if (!improved && !rebalancePairs(meter, stats))
        return true;
    }
    return false;
  }

private:
  /// While neighbourMoves holds: marks the devices a group is tried on,
  /// those of its members' producers and consumers and the many-slot ones.
  void markCandidates(llvm::ArrayRef<unsigned> members) {
    if (!neighbourMoves)
      return;
    llvm::fill(candidate, false);
    for (unsigned d : manySlots)
      candidate[d] = true;
    for (unsigned v : members) {
      for (unsigned u : problem.predecessors(v))
        candidate[solution.device[u]] = true;
      for (unsigned w : problem.successors(v))
        candidate[solution.device[w]] = true;
    }
  }

  /// Re-splits the groups of the most loaded device and each other device
  /// between the two (balanceTwoDevices()), keeping a split that lowers the
  /// max load, until none does. Returns whether any split was kept.
  ///
  /// Only the most loaded device's pairs: the others could only even out
  /// the spread, at a dynamic program each per kick on 10-20 devices. Where
  /// transfers load the devices (Tarnawski's workloads) the jobs charge
  /// each group's transfer legs (transferAwareTwoDeviceModel()); a
  /// compute-only model scattered nodes whose transfers the moves could not
  /// undo there.
  bool rebalancePairs(Meter &meter, LocalSearchStats &stats) {
    if (!resplits ||
        (!problem.platform.transfersOverlapCompute && !transferResplits))
      return false;
    // Where re-splits keep failing (links decide, or the moves already
    // balance), their programs would take the kicks' time: after k fruitless
    // calls in a row the next 2^k - 1 are skipped; and they never take more
    // than half of the search's work.
    if (rebalancesToSkip != 0) {
      --rebalancesToSkip;
      return false;
    }
    double started = meter.work;
    if (rebalanceWork > 0.5 * started)
      return false;
    bool kept = rebalanceMostLoaded(meter, stats);
    rebalanceWork += meter.work - started;
    fruitlessRebalances = kept ? 0 : std::min(fruitlessRebalances + 1, 16u);
    rebalancesToSkip = (1u << fruitlessRebalances) - 1;
    return kept;
  }

  bool rebalanceMostLoaded(Meter &meter, LocalSearchStats &stats) {
    LoadTracker loads(problem, routes);
    for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
      loads.place(v, solution.device[v]);
    bool kept = false;
    for (bool again = true; again;) {
      again = false;
      std::optional<unsigned> top = mostLoadedDevice(loads);
      for (unsigned other = 0, e = problem.numDevices(); top && other != e;
           ++other) {
        if (other == *top)
          continue;
        if (meter.out())
          return kept;
        // A re-split's dynamic program, counted per group it may see.
        meter.work +=
            16.0 * std::min<size_t>(groups.members.size(), kMaxBalancedGroups);
        if (rebalance(std::min(*top, other), std::max(*top, other), loads)) {
          ++stats.rebalances;
          again = kept = true;
          break;
        }
      }
    }
    return kept;
  }

  /// The device whose load sets the max load, unless a link does.
  std::optional<unsigned> mostLoadedDevice(const LoadTracker &loads) const {
    unsigned top = 0;
    double topLoad = -1;
    for (unsigned d = 0, e = problem.numDevices(); d != e; ++d) {
      double busy = loads.deviceLoads()[d] / problem.platform.devices[d].slots;
      if (busy > topLoad) {
        top = d;
        topLoad = busy;
      }
    }
    for (double link : loads.linkLoads())
      if (link > topLoad)
        return std::nullopt;
    return top;
  }

  /// One re-split of the groups on devices `a` (< `b`) and `b`; false (and
  /// nothing changed) unless it lowers the max load.
  bool rebalance(unsigned a, unsigned b, LoadTracker &loads) {
    double slotsA = problem.platform.devices[a].slots;
    double slotsB = problem.platform.devices[b].slots;
    llvm::SmallVector<unsigned, 64> chosen;
    for (unsigned g = 0, e = groups.members.size(); g != e; ++g) {
      const std::vector<unsigned> &members = groups.members[g];
      unsigned d = solution.device[members.front()];
      if ((d == a || d == b) && llvm::all_of(members, [&](unsigned v) {
            return problem.nodes[v].canRunOn(a) && problem.nodes[v].canRunOn(b);
          }))
        chosen.push_back(g);
    }
    if (chosen.size() < 2)
      return false;
    // A pair that failed is not re-solved until its groups or loads change
    // (the kicks of the iterated search touch a few devices at a time).
    llvm::hash_code state = llvm::hash_combine(
        llvm::hash_combine_range(chosen.begin(), chosen.end()),
        llvm::bit_cast<uint64_t>(loads.deviceLoads()[a]),
        llvm::bit_cast<uint64_t>(loads.deviceLoads()[b]));
    for (unsigned g : chosen)
      state = llvm::hash_combine(
          state, solution.device[groups.members[g].front()] == a);
    uint64_t &failed = failedStates[a * problem.numDevices() + b];
    if (failed == uint64_t(size_t(state)))
      return false;
    if (chosen.size() > kMaxBalancedGroups) {
      for (unsigned i = 0; i != kMaxBalancedGroups; ++i)
        std::swap(chosen[i], chosen[i + random.below(chosen.size() - i)]);
      chosen.resize(kMaxBalancedGroups);
    }
    // Loads other than the chosen groups' compute (other groups, and where
    // transfers load the devices, their legs as the model charges them) are
    // taken as fixed; the real score decides below.
    std::vector<TwoDeviceJob> jobs;
    double baseA = loads.deviceLoads()[a] / slotsA;
    double baseB = loads.deviceLoads()[b] / slotsB;
    if (!problem.platform.transfersOverlapCompute) {
      std::vector<std::vector<unsigned>> members;
      for (unsigned g : chosen)
        members.push_back(groups.members[g]);
      TwoDeviceModel model =
          transferAwareTwoDeviceModel(problem, loads, members, a, b);
      jobs = std::move(model.jobs);
      baseA = model.baseA;
      baseB = model.baseB;
    }
    for (unsigned g : problem.platform.transfersOverlapCompute
                          ? llvm::ArrayRef<unsigned>(chosen)
                          : llvm::ArrayRef<unsigned>()) {
      TwoDeviceJob job;
      for (unsigned v : groups.members[g]) {
        job.loadA += problem.nodes[v].time[a] / slotsA;
        job.loadB += problem.nodes[v].time[b] / slotsB;
      }
      if (solution.device[groups.members[g].front()] == a)
        baseA -= job.loadA;
      else
        baseB -= job.loadB;
      jobs.push_back(job);
    }
    double bound = std::max(loads.deviceLoads()[a] / slotsA,
                            loads.deviceLoads()[b] / slotsB);
    std::optional<TwoDeviceSplit> split =
        balanceTwoDevices(jobs, baseA, baseB, bound, kBalanceFrontierCap);
    failed = size_t(state);
    if (!split)
      return false;

    double before = loads.maxLoad();
    llvm::SmallVector<std::pair<unsigned, unsigned>, 64> moved; // group, from
    for (unsigned i = 0, e = chosen.size(); i != e; ++i) {
      unsigned from = solution.device[groups.members[chosen[i]].front()];
      if (from != (split->onA[i] ? a : b))
        moved.push_back({chosen[i], from});
    }
    auto relocate = [&](bool toSplit) {
      for (auto [g, from] : moved)
        for (unsigned v : groups.members[g]) {
          loads.remove(v);
          occupancy.remove(v);
        }
      bool fits = true;
      for (auto [g, from] : moved) {
        unsigned to = toSplit ? (from == a ? b : a) : from;
        fits = fits && occupancy.canPlace(groups.members[g].front(), to);
        for (unsigned v : groups.members[g]) {
          occupancy.place(v, to);
          loads.place(v, to);
          solution.device[v] = to;
        }
      }
      return fits;
    };
    if (moved.empty())
      return false;
    // The max load must fall: a re-split that only evens out the spread
    // tends to trade many nodes for little and is left to the moves.
    if (relocate(true) && loads.maxLoad() < before * (1 - kRelativeGain)) {
      failed = 0;
      return true;
    }
    relocate(false);
    return false;
  }

  Random random{0xba1a};
  bool transferResplits, resplits, neighbourMoves;
  /// Whether a device is tried for the group at hand; the many-slot
  /// devices.
  std::vector<bool> candidate;
  std::vector<unsigned> manySlots;
  unsigned fruitlessRebalances = 0, rebalancesToSkip = 0;
  double rebalanceWork = 0;
  /// Per pair (a * devices + b): a hash of the state its last re-split
  /// failed in.
  std::vector<uint64_t> failedStates =
      std::vector<uint64_t>(problem.numDevices() * problem.numDevices(), 0);
};

/// (makespan, sum of finishes) of `placement` in `order`.
Score simulate(const Problem &problem, const RouteTable &routes,
               const std::vector<unsigned> &placement,
               llvm::ArrayRef<unsigned> order,
               std::vector<double> *starts = nullptr) {
  LatencySimulator simulator(problem, routes);
  Score score{0, 0};
  for (unsigned v : order) {
    double finish = simulator.schedule(v, placement[v]);
    score.first = std::max(score.first, finish);
    score.second += finish;
  }
  if (starts)
    *starts = simulator.nodeStarts();
  return score;
}

/// Nodes by simulated start time, ties in the current order (a topological
/// order: a consumer never starts before its producer).
std::vector<unsigned> startOrder(llvm::ArrayRef<unsigned> order,
                                 const std::vector<double> &starts) {
  std::vector<unsigned> result(order.begin(), order.end());
  llvm::stable_sort(
      result, [&](unsigned a, unsigned b) { return starts[a] < starts[b]; });
  return result;
}

/// Highest upward rank first among the ready nodes, where the rank is the
/// longest path to a sink with the placement's times and transfer times.
std::vector<unsigned> rankOrder(const Problem &problem,
                                const std::vector<unsigned> &placement,
                                llvm::ArrayRef<unsigned> order) {
  unsigned n = problem.numNodes();
  std::vector<double> rank(n, 0);
  const Platform &platform = problem.platform;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    unsigned v = *it;
    double tail = 0;
    for (unsigned s : problem.successors(v)) {
      double transfer = placement[s] == placement[v]
                            ? 0
                            : platform.transferTime(placement[v], placement[s],
                                                    problem.outputBytes(v));
      tail = std::max(tail, transfer + rank[s]);
    }
    rank[v] = problem.nodes[v].time[placement[v]] + tail;
  }
  std::vector<unsigned> position(n), indegree(n);
  for (unsigned i = 0; i != n; ++i)
    position[order[i]] = i;
  using Entry = std::pair<double, int>; // (rank, -position): max first.
  std::priority_queue<Entry> ready;
  for (unsigned v = 0; v != n; ++v) {
    indegree[v] = problem.predecessors(v).size();
    if (indegree[v] == 0)
      ready.push({rank[v], -int(position[v])});
  }
  std::vector<unsigned> result;
  while (!ready.empty()) {
    unsigned v = order[-ready.top().second];
    ready.pop();
    result.push_back(v);
    for (unsigned s : problem.successors(v))
      if (--indegree[s] == 0)
        ready.push({rank[s], -int(position[s])});
  }
  return result;
}

/// Keeps the best of the orders derived from the solution if it beats
/// `current` (updated).
bool reorder(const Problem &problem, const RouteTable &routes,
             Solution &solution, Score &current) {
  std::vector<double> starts;
  simulate(problem, routes, solution.device, solution.order, &starts);
  std::vector<unsigned> topological(problem.topologicalOrder().begin(),
                                    problem.topologicalOrder().end());
  bool reordered = false;
  for (std::vector<unsigned> candidate :
       {startOrder(solution.order, starts),
        rankOrder(problem, solution.device, solution.order), topological}) {
    Score score = simulate(problem, routes, solution.device, candidate);
    if (score.betterThan(current)) {
      solution.order = std::move(candidate);
      current = score;
      reordered = true;
    }
  }
  return reordered;
}

/// Moves for latency: each trial re-simulated from the moved node on.
class LatencySearch : public SearchState {
public:
  LatencySearch(const Problem &problem, Solution &solution)
      : SearchState(problem, solution) {
    if (solution.order.empty())
      solution.order.assign(problem.topologicalOrder().begin(),
                            problem.topologicalOrder().end());
  }

  Score score() const {
    return simulate(problem, routes, solution.device, solution.order);
  }

  /// Best-device moves (then new orders) until none improves (true) or
  /// the work runs out (false).
  bool descend(Meter &meter, LocalSearchStats &stats) {
    unsigned n = problem.numNodes(), numDevices = problem.numDevices();
    std::vector<unsigned> &placement = solution.device;
    std::vector<unsigned> &order = solution.order;
    Score current = score();
    while (!meter.out()) {
      bool improved = false;
      // A group moves at its first member in the order, so that every
      // member is still ahead of the simulated prefix.
      std::vector<bool> seenGroup(groups.members.size(), false);
      LatencySimulator prefix(problem, routes);
      prefix.enableUndo();
      double prefixSum = 0;
      for (unsigned i = 0; i != n; ++i) {
        unsigned v = order[i];
        unsigned g = groups.groupOf[v];
        if (!seenGroup[g]) {
          seenGroup[g] = true;
          if (meter.out())
            return false;
          const std::vector<unsigned> &members = groups.members[g];
          unsigned from = placement[v];
          for (unsigned w : members)
            occupancy.remove(w);
          unsigned best = from;
          Score bestScore = current;
          for (unsigned d = 0; d != numDevices; ++d) {
            if (d == from || !occupancy.canPlace(v, d))
              continue;
            for (unsigned w : members)
              placement[w] = d;
            size_t mark = prefix.checkpoint();
            Score score{0, prefixSum};
            for (unsigned j = i;
                 j != n && score.first <= bestScore.first * (1 + kRelativeGain);
                 ++j) {
              double finish = prefix.schedule(order[j], placement[order[j]]);
              meter.work += 1;
              score.second += finish;
              score.first = prefix.makespan();
            }
            prefix.rollback(mark);
            if (score.betterThan(bestScore)) {
              best = d;
              bestScore = score;
            }
          }
          for (unsigned w : members) {
            placement[w] = best;
            occupancy.place(w, best);
          }
          if (best != from) {
            ++stats.moves;
            improved = true;
            current = bestScore;
          }
        }
        prefixSum += prefix.schedule(v, placement[v]);
        meter.work += 1;
      }
      ++stats.passes;
      if (improved)
        continue;
      // No move helps in this order: try orders derived from the placement.
      if (!reorder(problem, routes, solution, current))
        return true;
      ++stats.reorders;
    }
    return false;
  }
};

/// Descent, then until `horizon` kicks in a row gain nothing or the work
/// runs out: kick the best solution (a few random moves), descend again,
/// keep the result if it is better (iterated local search).
template <typename Search>
void iterate(Search &search, Solution &solution, Meter &meter, unsigned horizon,
             unsigned numNodes, LocalSearchStats &stats) {
  stats.converged = search.descend(meter, stats);
  stats.descentMoves = stats.moves;
  if (!stats.converged)
    return;
  Solution best = solution;
  Score bestScore = search.score();
  Random random(0x5eed);
  unsigned kick = std::max(2u, numNodes / 50);
  unsigned fruitless = 0;
  while (!meter.out()) {
    if (fruitless >= horizon) {
      stats.horizonReached = true;
      break;
    }
    search.perturb(random, kick);
    search.descend(meter, stats);
    ++stats.kicks;
    Score score = search.score();
    meter.work += numNodes;
    if (score.betterThan(bestScore)) {
      best = solution;
      bestScore = score;
      ++stats.kicksKept;
      fruitless = 0;
    } else {
      search.reset(best);
      ++fruitless;
    }
  }
  search.reset(best);
}

} // namespace

bool diviml::improveLatencyOrder(const Problem &original, Solution &solution) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  if (problem.numNodes() == 0 || solution.device.size() != problem.numNodes())
    return false;
  if (solution.order.empty())
    solution.order.assign(problem.topologicalOrder().begin(),
                          problem.topologicalOrder().end());
  RouteTable routes(problem.platform);
  Score current = simulate(problem, routes, solution.device, solution.order);
  return reorder(problem, routes, solution, current);
}

LocalSearchStats diviml::improveByLocalSearch(const Problem &problem,
                                              Solution &solution,
                                              Objective objective,
                                              double seconds) {
  LocalSearchLimits limits;
  limits.seconds = seconds;
  return improveByLocalSearch(problem, solution, objective, limits);
}

LocalSearchStats diviml::improveByLocalSearch(const Problem &original,
                                              Solution &solution,
                                              Objective objective,
                                              const LocalSearchLimits &limits) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  LocalSearchStats stats;
  Meter meter(limits);
  if (problem.numNodes() == 0 || solution.device.size() != problem.numNodes())
    return stats;
  if (objective == Objective::Throughput) {
    ThroughputSearch search(problem, solution, limits);
    iterate(search, solution, meter, limits.horizon, problem.numNodes(), stats);
  } else {
    LatencySearch search(problem, solution);
    iterate(search, solution, meter, limits.horizon, problem.numNodes(), stats);
  }
  stats.work = meter.work;
  stats.timeLimitHit = meter.timeHit;
  spdlog::debug("local search: {} moves, {} reorders in {} passes, {} "
                "kicks ({} kept), work {} of {} in {:.3f} s{}{}",
                stats.moves, stats.reorders, stats.passes, stats.kicks,
                stats.kicksKept, stats.work, limits.work,
                secondsNow() - (meter.deadline - limits.seconds),
                stats.horizonReached ? ", converged" : "",
                stats.timeLimitHit ? ", time cap" : "");
  return stats;
}
