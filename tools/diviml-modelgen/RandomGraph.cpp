//===- RandomGraph.cpp - Classical random graph models --------------------===//

#include "RandomGraph.h"

#include <algorithm>
#include <set>

namespace diviml::modelgen {

namespace {
/// Adjacency sets while a generator rewires; converted to an edge list once.
struct AdjacencySets {
  std::vector<std::set<int>> adj;
  explicit AdjacencySets(int nodes) : adj(nodes) {}
  bool has(int a, int b) const { return adj[a].count(b) != 0; }
  void add(int a, int b) {
    adj[a].insert(b);
    adj[b].insert(a);
  }
  void remove(int a, int b) {
    adj[a].erase(b);
    adj[b].erase(a);
  }
  UndirectedGraph toGraph() const {
    UndirectedGraph g;
    g.nodes = adj.size();
    for (int a = 0; a < g.nodes; ++a)
      for (int b : adj[a])
        if (a < b)
          g.edges.emplace_back(a, b);
    return g;
  }
};
} // namespace

UndirectedGraph erdosRenyi(int nodes, double p, RandomSource &rng) {
  UndirectedGraph g;
  g.nodes = nodes;
  for (int a = 0; a < nodes; ++a)
    for (int b = a + 1; b < nodes; ++b)
      if (rng.uniform() < p)
        g.edges.emplace_back(a, b);
  return g;
}

UndirectedGraph barabasiAlbert(int nodes, int m, RandomSource &rng) {
  AdjacencySets graph(nodes);
  std::vector<int> targets(m);
  for (int i = 0; i < m; ++i)
    targets[i] = i;
  // Each node appears once per incident edge, so a uniform pick from this
  // list is a pick proportional to degree.
  std::vector<int> degreeList;
  for (int source = m; source < nodes; ++source) {
    for (int t : targets)
      graph.add(source, t);
    degreeList.insert(degreeList.end(), targets.begin(), targets.end());
    degreeList.insert(degreeList.end(), m, source);
    std::set<int> chosen;
    while (static_cast<int>(chosen.size()) < m)
      chosen.insert(degreeList[rng.below(degreeList.size())]);
    targets.assign(chosen.begin(), chosen.end());
  }
  return graph.toGraph();
}

UndirectedGraph wattsStrogatz(int nodes, int k, double p, RandomSource &rng) {
  AdjacencySets graph(nodes);
  for (int j = 1; j <= k / 2; ++j)
    for (int u = 0; u < nodes; ++u)
      graph.add(u, (u + j) % nodes);
  for (int j = 1; j <= k / 2; ++j) {
    for (int u = 0; u < nodes; ++u) {
      if (rng.uniform() >= p)
        continue;
      // A node joined to every other node has nowhere to rewire to.
      if (static_cast<int>(graph.adj[u].size()) >= nodes - 1)
        continue;
      int v = (u + j) % nodes;
      int target = rng.below(nodes);
      while (target == u || graph.has(u, target))
        target = rng.below(nodes);
      graph.remove(u, v);
      graph.add(u, target);
    }
  }
  return graph.toGraph();
}

Dag::Dag(const UndirectedGraph &g) : preds(g.nodes), succs(g.nodes) {
  for (auto [a, b] : g.edges) {
    int lo = std::min(a, b), hi = std::max(a, b);
    succs[lo].push_back(hi);
    preds[hi].push_back(lo);
  }
  for (auto &list : preds)
    std::sort(list.begin(), list.end());
  for (auto &list : succs)
    std::sort(list.begin(), list.end());
}

} // namespace diviml::modelgen
