//===- Replicas.cpp - Block pipelines replicated over identical servers ---===//
//
// Data parallelism for the block pipeline: the servers of a cluster (devices
// named `s<i>.<local>`) are cut into groups, families of which are images
// of each other under a renaming of identical servers; a family's pipeline
// is planned once on its first group and renamed onto the others, and every
// grouping is judged by evaluate(). docs/split.md ("Replicas") says which
// groupings are tried, what is exact and what is given up.
//
//===----------------------------------------------------------------------===//

#include "diviml/Split/Symmetry.h"

#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/Solution.h"
#include "diviml/Model/Support.h"
#include "diviml/Split/LocalSearch.h"

#include "SplitSupport.h"

#include "llvm/ADT/StringExtras.h"

#include "spdlog/spdlog.h"

#include <map>
#include <numeric>

using namespace diviml;

namespace {

/// Devices server by server, in index order; std::nullopt unless every
/// device but the host is named `s<i>.<local>` with servers numbered
/// 0, 1, ... as they first appear.
std::optional<std::vector<std::vector<unsigned>>>
serversOf(const Platform &platform) {
  std::vector<std::vector<unsigned>> servers;
  for (unsigned d = 0, e = platform.numDevices(); d != e; ++d) {
    llvm::StringRef name = platform.devices[d].name;
    auto [prefix, local] = name.split('.');
    unsigned server = 0;
    if (local.empty() || !prefix.consume_front("s") ||
        prefix.getAsInteger(10, server)) {
      if (platform.host && *platform.host == d)
        continue; // a host of its own feeds every server
      return std::nullopt;
    }
    if (server == servers.size())
      servers.emplace_back();
    if (server + 1 != servers.size())
      return std::nullopt;
    servers.back().push_back(d);
  }
  if (servers.empty())
    return std::nullopt;
  return servers;
}

/// The local name of a cluster device: what follows `s<i>.`.
llvm::StringRef localName(const Platform &platform, unsigned d) {
  return llvm::StringRef(platform.devices[d].name).split('.').second;
}

/// Whether devices `a` and `b` cost every node the same, hold the same and
/// run as many ops at once.
bool sameDevice(const Problem &problem, unsigned a, unsigned b) {
  const Device &x = problem.platform.devices[a],
               &y = problem.platform.devices[b];
  if (x.memoryCapacity != y.memoryCapacity || x.slots != y.slots ||
      problem.platform.chargesDevice(a) != problem.platform.chargesDevice(b) ||
      problem.firstTouchTime(a, 1) != problem.firstTouchTime(b, 1))
    return false;
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
    if (problem.nodes[v].time[a] != problem.nodes[v].time[b] ||
        problem.occupancy(v, a) != problem.occupancy(v, b) ||
        problem.hostTime(v, a) != problem.hostTime(v, b))
      return false;
  return true;
}

/// Whether the routes a -> b and a' -> b' cost every tensor the same.
bool sameRoute(const Platform &platform, const RouteTable &routes, unsigned a,
               unsigned b, unsigned a2, unsigned b2) {
  const llvm::SmallVector<Leg, 2> *x = routes.route(a, b),
                                  *y = routes.route(a2, b2);
  if (!x || !y)
    return !x && !y;
  if (x->size() != y->size())
    return false;
  for (auto [p, q] : llvm::zip(*x, *y)) {
    const Link &l = platform.links[p.link], &m = platform.links[q.link];
    if (l.transferTime(0) != m.transferTime(0) ||
        l.transferTime(1) != m.transferTime(1) ||
        l.synchronous != m.synchronous || l.dispatch != m.dispatch ||
        platform.chargesDevice(l.from) != platform.chargesDevice(m.from) ||
        platform.chargesDevice(l.to) != platform.chargesDevice(m.to))
      return false;
  }
  return true;
}

/// Copies that are images of each other: group[c][i] is the image of
/// group[0][i], so the plan of group[0] is planned once and renamed.
struct Family {
  std::vector<std::vector<unsigned>> group;
};

/// One way of giving the servers to copies: every copy of every family.
struct Grouping {
  std::vector<Family> families;

  unsigned copies() const {
    unsigned n = 0;
    for (const Family &family : families)
      n += family.group.size();
    return n;
  }
};

/// The pattern refinement's counted work (LocalSearchLimits::work) and
/// horizon: measured on the LLM bench (docs/split.md), well under a tenth
/// of what the op-by-op search takes there.
constexpr double kPatternWork = 8e5;
constexpr unsigned kPatternHorizon = 8;

/// Per-kind choices beyond this many are not enumerated.
constexpr unsigned kMaxKindChoices = 64;

/// The groupings to try (docs/split.md, "Replicas"): the pipeline over
/// every device; for every k that divides the number of servers of each
/// kind, k copies each taking the c-th k-th of every kind's servers; and,
/// with several kinds, copies of one kind each: for every kind, none or
/// k_t copies of n_t / k_t of its servers. A family is kept only when its
/// copies are images of its first: devices that cost every node the same
/// and routes between them that cost every tensor the same (the host,
/// which feeds every copy, is left out).
std::vector<Grouping> groupings(const Problem &problem) {
  const Platform &platform = problem.platform;
  std::vector<Grouping> result(1);
  result[0].families.push_back({{{}}});
  for (unsigned d = 0, e = platform.numDevices(); d != e; ++d)
    result[0].families[0].group[0].push_back(d);
  std::optional<std::vector<std::vector<unsigned>>> servers =
      serversOf(platform);
  if (!servers)
    return result;
  auto isHost = [&](unsigned d) {
    return platform.host && *platform.host == d;
  };
  // Kinds: servers whose devices, by local name, are the same.
  auto sameServer = [&](const std::vector<unsigned> &s,
                        const std::vector<unsigned> &t) {
    if (s.size() != t.size())
      return false;
    for (auto [a, b] : llvm::zip(s, t))
      if (localName(platform, a) != localName(platform, b) ||
          (!isHost(a) && !isHost(b) && !sameDevice(problem, a, b)))
        return false;
    return true;
  };
  std::vector<std::vector<unsigned>> kinds;
  for (unsigned s = 0, e = servers->size(); s != e; ++s) {
    auto kind = llvm::find_if(kinds, [&](const std::vector<unsigned> &k) {
      return sameServer((*servers)[k.front()], (*servers)[s]);
    });
    if (kind == kinds.end())
      kinds.push_back({s});
    else
      kind->push_back(s);
  }
  RouteTable routes(platform);
  // Devices are images by kind already; the routes inside a copy must be
  // too (servers of one kind may sit on different networks).
  auto images = [&](const Family &family) {
    const std::vector<unsigned> &first = family.group[0];
    for (unsigned c = 1, k = family.group.size(); c != k; ++c)
      for (unsigned i = 0, n = first.size(); i != n; ++i)
        for (unsigned j = 0; j != n; ++j)
          if (i != j && !isHost(first[i]) && !isHost(first[j]) &&
              !sameRoute(platform, routes, first[i], first[j],
                         family.group[c][i], family.group[c][j]))
            return false;
    return true;
  };
  // k copies, copy c taking the c-th k-th of the servers of every kind in
  // `of`.
  auto family = [&](llvm::ArrayRef<unsigned> of, unsigned k) {
    Family f;
    f.group.resize(k);
    for (unsigned c = 0; c != k; ++c)
      for (unsigned t : of) {
        unsigned per = kinds[t].size() / k;
        for (unsigned i = 0; i != per; ++i)
          for (unsigned d : (*servers)[kinds[t][c * per + i]])
            f.group[c].push_back(d);
      }
    return f;
  };
  std::vector<unsigned> allKinds;
  unsigned common = 0;
  for (unsigned t = 0; t != kinds.size(); ++t) {
    allKinds.push_back(t);
    common = std::gcd(common, unsigned(kinds[t].size()));
  }
  for (unsigned k = 2; k <= common; ++k)
    if (common % k == 0)
      if (Family f = family(allKinds, k); images(f))
        result.push_back({{std::move(f)}});
  if (kinds.size() < 2)
    return result;
  // One kind per copy: choice[t] = 0 (the kind idles) or a divisor of its
  // servers, odometer order.
  std::vector<std::vector<unsigned>> options(kinds.size());
  size_t combinations = 1;
  for (unsigned t = 0; t != kinds.size(); ++t) {
    options[t].push_back(0);
    for (unsigned k = 1; k <= kinds[t].size(); ++k)
      if (kinds[t].size() % k == 0)
        options[t].push_back(k);
    combinations *= options[t].size();
  }
  if (combinations > kMaxKindChoices)
    return result;
  std::vector<unsigned> choice(kinds.size(), 0);
  for (size_t n = 0; n != combinations; ++n) {
    size_t rest = n;
    Grouping grouping;
    bool kept = true;
    for (unsigned t = 0; t != kinds.size() && kept; ++t) {
      unsigned k = options[t][rest % options[t].size()];
      rest /= options[t].size();
      if (k == 0)
        continue;
      Family f = family({t}, k);
      kept = images(f);
      grouping.families.push_back(std::move(f));
    }
    if (kept && !grouping.families.empty())
      result.push_back(std::move(grouping));
  }
  return result;
}

/// Pattern-preserving refinement (docs/split.md, "Refining the pattern"):
/// for each family in turn, the local search on its first copy's devices
/// with position p of every block of one placement class (blocks placed
/// alike) tied into one colocation group, so that a move changes position p
/// in every such block at once; the whole plan (every copy re-derived) is
/// judged by evaluate() and kept when better. Counted work only. Returns
/// the moves kept.
template <typename Assemble>
unsigned refinePatterns(const Problem &problem, const Grouping &grouping,
                        std::vector<std::vector<unsigned>> &firstCopies,
                        Assemble assemble, const AlgorithmOptions &options,
                        double &bestValue) {
  std::optional<RepeatedBlocks> blocks = findRepeatedBlocks(problem);
  if (!blocks)
    return 0;
  const Platform &platform = problem.platform;
  int nextGroup = 0;
  for (const Node &node : problem.nodes)
    nextGroup = std::max(nextGroup, node.colocationGroup + 1);
  unsigned positions = blocks->blocks[0].size(), movesKept = 0;
  for (unsigned f = 0, e = grouping.families.size(); f != e; ++f) {
    const std::vector<unsigned> &devices = grouping.families[f].group[0];
    // The sub-problem on the copy's devices (and the host, which pinned
    // nodes need): routes use only their ends and the host, so they cost
    // there what they cost on the whole platform.
    std::vector<unsigned> kept = devices;
    if (platform.host && !llvm::is_contained(kept, *platform.host))
      kept.push_back(*platform.host);
    llvm::sort(kept);
    std::vector<unsigned> index(platform.numDevices(), ~0u);
    for (auto [i, d] : llvm::enumerate(kept))
      index[d] = i;
    bool inside = llvm::all_of(firstCopies[f],
                               [&](unsigned d) { return index[d] != ~0u; });
    if (!inside)
      continue;
    Problem sub(platform);
    sub.platform.devices.clear();
    for (unsigned d : kept)
      sub.platform.devices.push_back(platform.devices[d]);
    sub.platform.links.clear();
    for (const Link &link : platform.links)
      if (index[link.from] != ~0u && index[link.to] != ~0u) {
        sub.platform.links.push_back(link);
        sub.platform.links.back().from = index[link.from];
        sub.platform.links.back().to = index[link.to];
      }
    if (platform.host)
      sub.platform.host = index[*platform.host];
    sub.nodes = problem.nodes;
    for (Node &node : sub.nodes) {
      std::vector<double> time, dispatch;
      for (unsigned d : kept) {
        time.push_back(node.time[d]);
        if (!node.dispatch.empty())
          dispatch.push_back(node.dispatch[d]);
      }
      node.time = std::move(time);
      node.dispatch = std::move(dispatch);
    }
    sub.edges = problem.edges;
    // Classes of blocks placed alike: position p of every block of a class
    // is one colocation group, so a move keeps the class's blocks alike.
    std::map<std::vector<unsigned>, unsigned> classes;
    for (const std::vector<unsigned> &block : blocks->blocks) {
      std::vector<unsigned> placement;
      for (unsigned v : block)
        placement.push_back(firstCopies[f][v]);
      unsigned c = classes.try_emplace(placement, classes.size()).first->second;
      for (auto [p, v] : llvm::enumerate(block))
        sub.nodes[v].colocationGroup = nextGroup + int(c * positions + p);
    }
    sub.finalize();
    Solution solution;
    for (unsigned d : firstCopies[f])
      solution.device.push_back(index[d]);
    LocalSearchLimits limits;
    limits.work = kPatternWork;
    limits.horizon = kPatternHorizon;
    limits.resplits = false;
    limits.neighbourMoves = true;
    limits.seconds = options.timeLimit; // a safety cap only
    LocalSearchStats stats =
        improveByLocalSearch(sub, solution, Objective::Throughput, limits);
    if (!stats.moves && !stats.rebalances)
      continue;
    std::vector<std::vector<unsigned>> trial = firstCopies;
    for (auto [v, d] : llvm::enumerate(solution.device))
      trial[f][v] = kept[d];
    Solution whole = assemble(trial);
    Evaluation evaluation = evaluate(problem, whole, options.objective);
    spdlog::debug("split: replicas: pattern refinement of family {}: {} -> {} "
                  "({} moves, {} re-splits, work {})",
                  f, bestValue, evaluation.value, stats.moves, stats.rebalances,
                  stats.work);
    if (evaluation.feasible && evaluation.value < bestValue) {
      bestValue = evaluation.value;
      firstCopies = std::move(trial);
      movesKept += stats.moves + stats.rebalances;
    }
  }
  return movesKept;
}

} // namespace

llvm::Expected<AlgorithmResult>
diviml::scheduleReplicatedPipeline(const Problem &original,
                                   const AlgorithmOptions &options) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  const Platform &platform = problem.platform;
  auto isHost = [&](unsigned d) {
    return platform.host && *platform.host == d;
  };
  // A family's first copy is planned once, whatever grouping holds it.
  std::map<std::vector<unsigned>, std::optional<AlgorithmResult>> plans;
  std::optional<AlgorithmResult> best;
  double bestValue = kInfinity, single = kInfinity;
  std::string failures;
  auto fail = [&](const std::string &why) {
    spdlog::debug("split: replicas: {}", why);
    if (failures.find(why) == std::string::npos)
      failures += (failures.empty() ? "" : "; ") + why;
  };
  // Copy c of a family: every node on the image of its device in the
  // family's first copy, except what is pinned to the host (the function's
  // arguments and results): it stays there, the one host feeding every
  // copy. (Ops the pipeline offloads to the host as the helper of copy 0's
  // stages go to the image of the host, the helper of copy c's.)
  auto assemble = [&](const Grouping &grouping,
                      llvm::ArrayRef<std::vector<unsigned>> firstCopies) {
    std::vector<std::vector<unsigned>> copies;
    for (auto [family, first] : llvm::zip(grouping.families, firstCopies)) {
      std::vector<unsigned> position(platform.numDevices(), ~0u);
      for (auto [i, d] : llvm::enumerate(family.group[0]))
        position[d] = i;
      for (const std::vector<unsigned> &group : family.group) {
        std::vector<unsigned> copy = first;
        for (auto [v, d] : llvm::enumerate(copy))
          if (position[d] != ~0u &&
              (!isHost(d) || problem.nodes[v].canRunOn(group[position[d]])))
            d = group[position[d]];
        copies.push_back(std::move(copy));
      }
    }
    Solution solution;
    solution.device = std::move(copies[0]);
    solution.replicas.assign(std::make_move_iterator(copies.begin() + 1),
                             std::make_move_iterator(copies.end()));
    return solution;
  };
  std::vector<Grouping> all = groupings(problem);
  const Grouping *bestGrouping = nullptr;
  std::vector<std::vector<unsigned>> bestFirstCopies;
  // A grouping whose copies' bounds (their rates add up at best) are no
  // better than the best plan so far is not planned: it cannot win.
  std::map<std::vector<unsigned>, double> copyBounds;
  unsigned pruned = 0;
  for (const Grouping &grouping : all) {
    double rate = 0;
    for (const Family &family : grouping.families) {
      auto [it, fresh] = copyBounds.try_emplace(family.group[0], 0);
      if (fresh)
        it->second = copyPeriodLowerBound(problem, family.group[0]);
      rate += it->second > 0 ? family.group.size() / it->second : kInfinity;
    }
    if (1 / rate >= bestValue) {
      ++pruned;
      continue;
    }
    std::vector<std::vector<unsigned>> firstCopies;
    llvm::StringMap<double> stats;
    for (const Family &family : grouping.families) {
      auto [it, fresh] = plans.try_emplace(family.group[0]);
      if (fresh) {
        double started = split::secondsNow();
        llvm::Expected<AlgorithmResult> plan =
            scheduleBlockPipeline(problem, options, family.group[0]);
        spdlog::debug("split: replicas: a copy on {} devices planned in "
                      "{:.3f} s (bound {})",
                      family.group[0].size(), split::secondsNow() - started,
                      copyBounds[family.group[0]]);
        if (plan)
          it->second = std::move(*plan);
        else
          fail(llvm::toString(plan.takeError()));
      }
      if (!it->second) {
        firstCopies.clear();
        break;
      }
      if (firstCopies.empty())
        stats = it->second->stats;
      firstCopies.push_back(it->second->solution.device);
    }
    if (firstCopies.empty())
      continue;
    Solution solution = assemble(grouping, firstCopies);
    Evaluation evaluation = evaluate(problem, solution, options.objective);
    if (!evaluation.feasible) {
      fail(evaluation.reason);
      continue;
    }
    if (grouping.copies() == 1 &&
        grouping.families[0].group[0].size() == platform.numDevices())
      single = evaluation.value;
    if (evaluation.value < bestValue) {
      bestValue = evaluation.value;
      best.emplace();
      best->solution = std::move(solution);
      best->stats = std::move(stats);
      best->stats["replicas"] = grouping.copies();
      best->stats["replica-devices"] = grouping.families[0].group[0].size();
      best->stats["replica-families"] = grouping.families.size();
      bestGrouping = &grouping;
      bestFirstCopies = std::move(firstCopies);
    }
  }
  if (best && options.refine) {
    double before = bestValue;
    unsigned moves = refinePatterns(
        problem, *bestGrouping, bestFirstCopies,
        [&](llvm::ArrayRef<std::vector<unsigned>> firstCopies) {
          return assemble(*bestGrouping, firstCopies);
        },
        options, bestValue);
    if (bestValue < before)
      best->solution = assemble(*bestGrouping, bestFirstCopies);
    best->stats["pattern-moves"] = moves;
    best->stats["value.unrefined"] = before;
  }
  if (!best)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), failures);
  best->status = SolveStatus::Heuristic;
  best->stats["groupings.pruned"] = pruned;
  best->stats["value.final"] = bestValue;
  if (single != kInfinity)
    best->stats["value.no-replicas"] = single;
  return std::move(*best);
}

// Weak duality (docs/split.md, "Replicas"): sum_d w_d T slots_d bounds
// sum_d w_d times the load of d, which is at least the sum over nodes of
// the least w_d occupancy(v, d).
double diviml::copyPeriodLowerBound(const Problem &problem,
                                    llvm::ArrayRef<unsigned> devices) {
  std::vector<double> weight(devices.size(), 0);
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v) {
    if (problem.nodes[v].external)
      continue;
    if (llvm::any_of(devices, [&](unsigned d) {
          return problem.occupancy(v, d) == kInfinity;
        }))
      continue;
    for (auto [i, d] : llvm::enumerate(devices))
      weight[i] += problem.occupancy(v, d);
  }
  double capacity = 0;
  for (auto [i, d] : llvm::enumerate(devices)) {
    weight[i] = weight[i] > 0 ? 1 / weight[i] : 1;
    capacity += weight[i] * problem.platform.devices[d].slots;
  }
  double bound = 0;
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v) {
    if (problem.nodes[v].external)
      continue;
    double least = kInfinity;
    for (auto [i, d] : llvm::enumerate(devices))
      least = std::min(least, weight[i] / capacity * problem.occupancy(v, d));
    if (least != kInfinity)
      bound += least;
  }
  return bound;
}
