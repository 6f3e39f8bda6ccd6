//===- Replicas.cpp - Block pipelines replicated over identical servers ---===//
//
// Data parallelism for the block pipeline: the servers of a cluster (devices
// named `s<i>.<local>`) are cut into k groups that are images of each other
// under a renaming of identical servers; the pipeline is planned once on the
// first group and renamed onto the others, and every k that divides the
// number of servers of each kind is judged by evaluate(). docs/split.md
// ("Replicas") says what is exact and what is given up.
//
//===----------------------------------------------------------------------===//

#include "diviml/Split/Symmetry.h"

#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/Solution.h"
#include "diviml/Model/Support.h"

#include "llvm/ADT/StringExtras.h"

#include "spdlog/spdlog.h"

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

/// One way of cutting the servers into `copies` groups: group[c] lists the
/// devices of copy c so that group[c][i] is the image of group[0][i].
struct Grouping {
  unsigned copies = 1;
  std::vector<std::vector<unsigned>> group;
};

/// For every k that divides the number of servers of each kind, the
/// grouping whose copy c takes the c-th k-th of every kind's servers, kept
/// only when every copy is an image of copy 0: devices that cost every node
/// the same and routes between them that cost every tensor the same (the
/// host, which feeds every copy, is left out). k = 1 is always there.
std::vector<Grouping> groupings(const Problem &problem) {
  const Platform &platform = problem.platform;
  std::vector<Grouping> result(1);
  result[0].group.emplace_back();
  for (unsigned d = 0, e = platform.numDevices(); d != e; ++d)
    result[0].group[0].push_back(d);
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
  unsigned common = 0;
  for (const std::vector<unsigned> &kind : kinds)
    common = std::gcd(common, unsigned(kind.size()));
  RouteTable routes(platform);
  for (unsigned k = 2; k <= common; ++k) {
    if (common % k)
      continue;
    Grouping grouping;
    grouping.copies = k;
    grouping.group.resize(k);
    for (unsigned c = 0; c != k; ++c)
      for (const std::vector<unsigned> &kind : kinds) {
        unsigned per = kind.size() / k;
        for (unsigned i = 0; i != per; ++i)
          for (unsigned d : (*servers)[kind[c * per + i]])
            grouping.group[c].push_back(d);
      }
    // Devices are images by kind already; the routes inside a copy must
    // be too (servers of one kind may sit on different networks).
    const std::vector<unsigned> &first = grouping.group[0];
    bool images = true;
    for (unsigned c = 1; c != k && images; ++c)
      for (unsigned i = 0, n = first.size(); i != n && images; ++i)
        for (unsigned j = 0; j != n && images; ++j)
          if (i != j && !isHost(first[i]) && !isHost(first[j]))
            images = sameRoute(platform, routes, first[i], first[j],
                               grouping.group[c][i], grouping.group[c][j]);
    if (images)
      result.push_back(std::move(grouping));
  }
  return result;
}

} // namespace

llvm::Expected<AlgorithmResult>
diviml::scheduleReplicatedPipeline(const Problem &original,
                                   const AlgorithmOptions &options) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  const Platform &platform = problem.platform;
  std::optional<AlgorithmResult> best;
  double bestValue = kInfinity, single = kInfinity;
  std::string failures;
  for (const Grouping &grouping : groupings(problem)) {
    llvm::Expected<AlgorithmResult> plan =
        scheduleBlockPipeline(problem, options, grouping.group[0]);
    if (!plan) {
      std::string why = llvm::toString(plan.takeError());
      spdlog::debug("split: {} copies: {}", grouping.copies, why);
      failures += (failures.empty() ? "" : "; ") + why;
      continue;
    }
    // Copy c: every node off the host on the image of its device in copy
    // 0; what is on the host (the function's arguments and results) stays
    // there, the one host feeding every copy.
    Solution &solution = plan->solution;
    std::vector<unsigned> position(platform.numDevices(), ~0u);
    for (auto [i, d] : llvm::enumerate(grouping.group[0]))
      position[d] = i;
    for (unsigned c = 1; c != grouping.copies; ++c) {
      std::vector<unsigned> replica = solution.device;
      for (unsigned &d : replica)
        if (!(platform.host && *platform.host == d) && position[d] != ~0u)
          d = grouping.group[c][position[d]];
      solution.replicas.push_back(std::move(replica));
    }
    Evaluation evaluation = evaluate(problem, solution, options.objective);
    if (!evaluation.feasible) {
      spdlog::debug("split: {} copies: {}", grouping.copies, evaluation.reason);
      failures += (failures.empty() ? "" : "; ") + evaluation.reason;
      continue;
    }
    if (grouping.copies == 1)
      single = evaluation.value;
    if (evaluation.value < bestValue) {
      bestValue = evaluation.value;
      best = std::move(*plan);
      best->stats["replicas"] = grouping.copies;
      best->stats["replica-devices"] = grouping.group[0].size();
    }
  }
  if (!best)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), failures);
  best->stats["value.final"] = bestValue;
  if (single != kInfinity)
    best->stats["value.no-replicas"] = single;
  return std::move(*best);
}
