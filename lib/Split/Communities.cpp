//===- Communities.cpp - Louvain modularity maximisation ------------------===//
//
// Level by level: local moving (each node to the neighbouring community of
// largest modularity gain, until a pass moves nothing), then aggregation of
// every community into one node whose self-loop keeps its internal weight.
// Gains are compared with the usual score k_i,c - gamma tot_c k_i / 2m.
//
//===----------------------------------------------------------------------===//

#include "diviml/Split/Communities.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace diviml;

namespace {

/// Symmetric weighted graph in compressed rows; each undirected edge is
/// stored both ways, self-loops apart.
struct Graph {
  std::vector<unsigned> offset, target;
  std::vector<double> weight;
  /// Twice the weight of the self-loops (the internal weight of an
  /// aggregated community).
  std::vector<double> self;

  unsigned size() const { return self.size(); }
  double degree(unsigned i) const {
    double k = self[i];
    for (unsigned e = offset[i]; e != offset[i + 1]; ++e)
      k += weight[e];
    return k;
  }
};

Graph buildGraph(unsigned n, llvm::ArrayRef<WeightedEdge> edges) {
  Graph graph;
  graph.self.assign(n, 0);
  std::vector<unsigned> count(n + 1, 0);
  for (const WeightedEdge &edge : edges)
    if (edge.a != edge.b && edge.weight > 0) {
      ++count[edge.a];
      ++count[edge.b];
    }
  graph.offset.assign(n + 1, 0);
  for (unsigned i = 0; i != n; ++i)
    graph.offset[i + 1] = graph.offset[i] + count[i];
  graph.target.resize(graph.offset[n]);
  graph.weight.resize(graph.offset[n]);
  std::vector<unsigned> fill(graph.offset.begin(), graph.offset.end() - 1);
  for (const WeightedEdge &edge : edges) {
    if (edge.weight <= 0)
      continue;
    if (edge.a == edge.b) {
      graph.self[edge.a] += 2 * edge.weight;
      continue;
    }
    graph.target[fill[edge.a]] = edge.b;
    graph.weight[fill[edge.a]++] = edge.weight;
    graph.target[fill[edge.b]] = edge.a;
    graph.weight[fill[edge.b]++] = edge.weight;
  }
  return graph;
}

/// One level of local moving; returns whether any node moved. `community`
/// starts as the identity.
bool moveNodes(const Graph &graph, double resolution, unsigned maxPasses,
               std::vector<unsigned> &community) {
  unsigned n = graph.size();
  std::vector<double> degree(n), total(n);
  double twoM = 0;
  for (unsigned i = 0; i != n; ++i) {
    degree[i] = graph.degree(i);
    total[community[i]] += degree[i];
    twoM += degree[i];
  }
  if (twoM <= 0)
    return false;
  std::vector<double> linkTo(n, 0);
  std::vector<unsigned> touched;
  bool movedAny = false;
  for (unsigned pass = 0; pass != maxPasses; ++pass) {
    bool moved = false;
    for (unsigned i = 0; i != n; ++i) {
      unsigned own = community[i];
      touched.clear();
      touched.push_back(own);
      for (unsigned e = graph.offset[i]; e != graph.offset[i + 1]; ++e) {
        unsigned c = community[graph.target[e]];
        if (linkTo[c] == 0 && c != own)
          touched.push_back(c);
        linkTo[c] += graph.weight[e];
      }
      total[own] -= degree[i];
      double factor = resolution * degree[i] / twoM;
      unsigned best = own;
      double bestScore = linkTo[own] - factor * total[own];
      for (unsigned c : touched) {
        double score = linkTo[c] - factor * total[c];
        // Strictly better by a relative margin, so rounding cannot make a
        // node oscillate; on ties the node stays.
        if (score > bestScore + 1e-12 * twoM) {
          best = c;
          bestScore = score;
        }
      }
      total[best] += degree[i];
      if (best != own) {
        community[i] = best;
        moved = true;
      }
      for (unsigned c : touched)
        linkTo[c] = 0;
    }
    if (!moved)
      break;
    movedAny = true;
  }
  return movedAny;
}

/// Renumbers `community` densely in order of first node; returns the count.
unsigned renumber(std::vector<unsigned> &community) {
  std::vector<unsigned> number(community.size() + 1, ~0u);
  unsigned next = 0;
  for (unsigned &c : community) {
    if (number[c] == ~0u)
      number[c] = next++;
    c = number[c];
  }
  return next;
}

/// The graph of communities: one node per community, internal weight as
/// self-loop, weights between communities summed.
Graph aggregate(const Graph &graph, const std::vector<unsigned> &community,
                unsigned count) {
  unsigned n = graph.size();
  std::vector<std::vector<unsigned>> members(count);
  for (unsigned i = 0; i != n; ++i)
    members[community[i]].push_back(i);
  Graph result;
  result.self.assign(count, 0);
  result.offset.assign(count + 1, 0);
  std::vector<double> linkTo(count, 0);
  std::vector<unsigned> touched;
  for (unsigned c = 0; c != count; ++c) {
    touched.clear();
    for (unsigned i : members[c]) {
      result.self[c] += graph.self[i];
      for (unsigned e = graph.offset[i]; e != graph.offset[i + 1]; ++e) {
        unsigned d = community[graph.target[e]];
        if (d == c) {
          result.self[c] += graph.weight[e];
          continue;
        }
        if (linkTo[d] == 0)
          touched.push_back(d);
        linkTo[d] += graph.weight[e];
      }
    }
    for (unsigned d : touched) {
      result.target.push_back(d);
      result.weight.push_back(linkTo[d]);
      linkTo[d] = 0;
    }
    result.offset[c + 1] = result.target.size();
  }
  return result;
}

/// Splits every community into its connected components (through edges of
/// positive weight inside it).
unsigned splitDisconnected(const Graph &graph,
                           std::vector<unsigned> &community) {
  unsigned n = graph.size();
  std::vector<unsigned> component(n, ~0u), stack;
  unsigned next = 0;
  for (unsigned root = 0; root != n; ++root) {
    if (component[root] != ~0u)
      continue;
    component[root] = next;
    stack.push_back(root);
    while (!stack.empty()) {
      unsigned i = stack.back();
      stack.pop_back();
      for (unsigned e = graph.offset[i]; e != graph.offset[i + 1]; ++e) {
        unsigned j = graph.target[e];
        if (component[j] == ~0u && community[j] == community[i]) {
          component[j] = next;
          stack.push_back(j);
        }
      }
    }
    ++next;
  }
  community = std::move(component);
  return next;
}

} // namespace

double diviml::modularity(unsigned numNodes, llvm::ArrayRef<WeightedEdge> edges,
                          llvm::ArrayRef<unsigned> community,
                          double resolution) {
  unsigned count = 0;
  for (unsigned c : community)
    count = std::max(count, c + 1);
  std::vector<double> inside(count, 0), total(count, 0);
  double twoM = 0;
  for (const WeightedEdge &edge : edges) {
    if (edge.weight <= 0)
      continue;
    twoM += 2 * edge.weight;
    total[community[edge.a]] += edge.weight;
    total[community[edge.b]] += edge.weight;
    if (community[edge.a] == community[edge.b])
      inside[community[edge.a]] += 2 * edge.weight;
  }
  if (twoM <= 0)
    return 0;
  double q = 0;
  for (unsigned c = 0; c != count; ++c)
    q += inside[c] / twoM - resolution * (total[c] / twoM) * (total[c] / twoM);
  // One community scores exactly 0; do not report rounding noise.
  return std::fabs(q) < 1e-12 ? 0 : q;
}

Communities diviml::detectCommunities(unsigned numNodes,
                                      llvm::ArrayRef<WeightedEdge> edges,
                                      const CommunityOptions &options) {
  Graph original = buildGraph(numNodes, edges);
  Communities result;
  result.community.resize(numNodes);
  std::iota(result.community.begin(), result.community.end(), 0);
  Graph level = original;
  // membership[i]: the node of the current level that holds original i.
  std::vector<unsigned> membership(numNodes);
  std::iota(membership.begin(), membership.end(), 0);
  for (unsigned depth = 0; depth != options.maxLevels; ++depth) {
    std::vector<unsigned> community(level.size());
    std::iota(community.begin(), community.end(), 0);
    if (!moveNodes(level, options.resolution, options.maxPasses, community))
      break;
    unsigned count = renumber(community);
    for (unsigned &m : membership)
      m = community[m];
    if (count == level.size())
      break;
    level = aggregate(level, community, count);
  }
  result.community = membership;
  result.count = splitDisconnected(original, result.community);
  result.modularity =
      modularity(numNodes, edges, result.community, options.resolution);
  return result;
}
