//===- SplitModules.cpp - Modules of the split heuristic ------------------===//
//
// Communities of the op graph become modules that can be solved one after
// another: the DAG repair cuts each community into the runs of a
// community-aware topological walk, runs above the size limit are split by
// the communities of their own subgraph (recursively), and consecutive
// small runs are merged. Everything here is O((V + E) log V) per level of
// recursion.
//
//===----------------------------------------------------------------------===//

#include "diviml/Split/Split.h"

#include "llvm/ADT/DenseMap.h"

#include "spdlog/spdlog.h"

#include <algorithm>
#include <functional>
#include <queue>

using namespace diviml;

/// Weight of the edges out of `u`: its tensor's bytes plus `floor`, or 1.
static double edgeWeight(const Problem &problem, unsigned u,
                         EdgeWeighting weighting, double floor) {
  return weighting == EdgeWeighting::Unit ? 1.0
                                          : problem.outputBytes(u) + floor;
}

/// 1 % of the mean bytes over (producer, consumer) pairs; 1 when every
/// tensor is empty, so that the topology alone decides.
static double weightFloor(const Problem &problem) {
  double total = 0;
  size_t count = 0;
  for (unsigned u = 0, n = problem.numNodes(); u != n; ++u) {
    total += problem.outputBytes(u) * problem.successors(u).size();
    count += problem.successors(u).size();
  }
  return total > 0 ? 0.01 * total / count : 1.0;
}

std::vector<WeightedEdge> diviml::communityGraph(const Problem &problem,
                                                 EdgeWeighting weighting) {
  double floor = weightFloor(problem);
  std::vector<WeightedEdge> edges;
  for (unsigned u = 0, n = problem.numNodes(); u != n; ++u)
    for (unsigned w : problem.successors(u))
      edges.push_back({u, w, edgeWeight(problem, u, weighting, floor)});
  return edges;
}

namespace {

/// Positions of the nodes in Problem::topologicalOrder().
std::vector<unsigned> topologicalPositions(const Problem &problem) {
  std::vector<unsigned> position(problem.numNodes());
  llvm::ArrayRef<unsigned> topo = problem.topologicalOrder();
  for (unsigned i = 0, e = topo.size(); i != e; ++i)
    position[topo[i]] = i;
  return position;
}

using MinHeap = std::priority_queue<std::pair<unsigned, unsigned>,
                                    std::vector<std::pair<unsigned, unsigned>>,
                                    std::greater<>>;

std::vector<std::vector<unsigned>> runsOf(const Problem &problem,
                                          llvm::ArrayRef<unsigned> nodes,
                                          llvm::ArrayRef<unsigned> community,
                                          llvm::ArrayRef<unsigned> position) {
  unsigned size = nodes.size();
  // Local indices for the subset.
  llvm::DenseMap<unsigned, unsigned> local;
  for (unsigned i = 0; i != size; ++i)
    local[nodes[i]] = i;
  unsigned numCommunities = 0;
  for (unsigned c : community)
    numCommunities = std::max(numCommunities, c + 1);
  std::vector<unsigned> indegree(size, 0);
  for (unsigned i = 0; i != size; ++i)
    for (unsigned p : problem.predecessors(nodes[i]))
      indegree[i] += local.count(p);
  // Ready nodes per community and overall, earliest topological position
  // first: (position, local index).
  std::vector<MinHeap> ready(numCommunities);
  MinHeap anyReady;
  auto makeReady = [&](unsigned i) {
    ready[community[i]].push({position[nodes[i]], i});
    anyReady.push({position[nodes[i]], i});
  };
  for (unsigned i = 0; i != size; ++i)
    if (indegree[i] == 0)
      makeReady(i);
  std::vector<bool> done(size, false);
  std::vector<std::vector<unsigned>> runs;
  std::vector<unsigned> run;
  unsigned current = ~0u;
  for (unsigned emitted = 0; emitted != size;) {
    if (current == ~0u || ready[current].empty()) {
      if (!run.empty())
        runs.push_back(std::move(run));
      run.clear();
      while (done[anyReady.top().second])
        anyReady.pop();
      current = community[anyReady.top().second];
    }
    unsigned i = ready[current].top().second;
    ready[current].pop();
    done[i] = true;
    ++emitted;
    run.push_back(nodes[i]);
    for (unsigned s : problem.successors(nodes[i])) {
      auto found = local.find(s);
      if (found != local.end() && --indegree[found->second] == 0)
        makeReady(found->second);
    }
  }
  if (!run.empty())
    runs.push_back(std::move(run));
  return runs;
}

/// `run` (in topological order) cut into ceil(size / max) chunks of nearly
/// equal size.
void chunk(llvm::ArrayRef<unsigned> run, unsigned maxSize,
           std::vector<std::vector<unsigned>> &out) {
  unsigned parts = (run.size() + maxSize - 1) / maxSize;
  for (unsigned p = 0; p != parts; ++p) {
    size_t begin = run.size() * p / parts, end = run.size() * (p + 1) / parts;
    out.emplace_back(run.begin() + begin, run.begin() + end);
  }
}

class ModuleBuilder {
public:
  ModuleBuilder(const Problem &problem, const ModuleOptions &options)
      : problem(problem), options(options),
        position(topologicalPositions(problem)), floor(weightFloor(problem)) {}

  /// Appends `run` (a set of nodes, contiguous in some topological order)
  /// to `out` in pieces of at most maxModuleSize nodes: by the communities
  /// of its own subgraph, recursively, or in chunks of a topological order
  /// when they do not split it.
  void splitLarge(std::vector<unsigned> run, unsigned depth,
                  std::vector<std::vector<unsigned>> &out) const {
    if (run.size() <= std::max(1u, options.maxModuleSize)) {
      out.push_back(std::move(run));
      return;
    }
    if (!options.useCommunities || depth > 8) {
      chunk(sortedTopologically(std::move(run)), options.maxModuleSize, out);
      return;
    }
    Communities found = communitiesOf(run);
    if (found.count <= 1) {
      chunk(sortedTopologically(std::move(run)), options.maxModuleSize, out);
      return;
    }
    for (std::vector<unsigned> &piece :
         runsOf(problem, run, found.community, position))
      splitLarge(std::move(piece), depth + 1, out);
  }

  /// Communities of the subgraph induced by `nodes` (labels by index in
  /// `nodes`).
  Communities communitiesOf(llvm::ArrayRef<unsigned> nodes) const {
    llvm::DenseMap<unsigned, unsigned> local;
    for (unsigned i = 0, e = nodes.size(); i != e; ++i)
      local[nodes[i]] = i;
    std::vector<WeightedEdge> edges;
    for (unsigned i = 0, e = nodes.size(); i != e; ++i)
      for (unsigned w : problem.successors(nodes[i])) {
        auto found = local.find(w);
        if (found != local.end())
          edges.push_back(
              {i, found->second,
               edgeWeight(problem, nodes[i], options.weighting, floor)});
      }
    CommunityOptions communityOptions;
    communityOptions.resolution = options.resolution;
    return detectCommunities(nodes.size(), edges, communityOptions);
  }

  std::vector<unsigned> sortedTopologically(std::vector<unsigned> nodes) const {
    llvm::sort(nodes, [&](unsigned a, unsigned b) {
      return position[a] < position[b];
    });
    return nodes;
  }

  llvm::ArrayRef<unsigned> positions() const { return position; }

private:
  const Problem &problem;
  const ModuleOptions &options;
  std::vector<unsigned> position;
  double floor;
};

} // namespace

std::vector<std::vector<unsigned>>
diviml::communityRuns(const Problem &problem, llvm::ArrayRef<unsigned> nodes,
                      llvm::ArrayRef<unsigned> community) {
  return runsOf(problem, nodes, community, topologicalPositions(problem));
}

ModulePlan diviml::buildModules(const Problem &problem,
                                const ModuleOptions &options) {
  ModulePlan plan;
  unsigned n = problem.numNodes();
  if (n == 0)
    return plan;
  ModuleBuilder builder(problem, options);
  std::vector<unsigned> all(problem.topologicalOrder().begin(),
                            problem.topologicalOrder().end());
  std::vector<std::vector<unsigned>> runs;
  std::vector<WeightedEdge> graph = communityGraph(problem, options.weighting);
  if (options.useCommunities) {
    CommunityOptions communityOptions;
    communityOptions.resolution = options.resolution;
    Communities found = detectCommunities(n, graph, communityOptions);
    plan.communities = found.count;
    plan.modularity = found.modularity;
    // `all` is in topological order, so a node's label is its own.
    std::vector<unsigned> labels(n);
    for (unsigned i = 0; i != n; ++i)
      labels[i] = found.community[all[i]];
    runs = runsOf(problem, all, labels, builder.positions());
  } else {
    runs.push_back(all);
  }
  std::vector<std::vector<unsigned>> pieces;
  for (std::vector<unsigned> &run : runs)
    builder.splitLarge(std::move(run), 0, pieces);
  if (options.mergeSmall) {
    for (std::vector<unsigned> &piece : pieces) {
      if (!plan.modules.empty() &&
          plan.modules.back().size() + piece.size() <= options.maxModuleSize)
        plan.modules.back().insert(plan.modules.back().end(), piece.begin(),
                                   piece.end());
      else
        plan.modules.push_back(std::move(piece));
    }
  } else {
    plan.modules = std::move(pieces);
  }
  std::vector<unsigned> moduleOf(n);
  for (unsigned m = 0, e = plan.modules.size(); m != e; ++m)
    for (unsigned v : plan.modules[m])
      moduleOf[v] = m;
  plan.moduleModularity = modularity(n, graph, moduleOf, options.resolution);
  spdlog::debug("split: {} communities (modularity {:.4f}), {} modules "
                "(modularity {:.4f})",
                plan.communities, plan.modularity, plan.modules.size(),
                plan.moduleModularity);
  return plan;
}
