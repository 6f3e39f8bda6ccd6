//===- RandWire.cpp - RandWire-style random DNN graphs --------------------===//
//
// The three generators follow the textbook constructions (as in networkx,
// which RandWire used), with our own integer arithmetic on top of
// std::mt19937_64 so that a seed gives the same graph everywhere.
//
//===----------------------------------------------------------------------===//

#include "diviml/Workloads/RandWire.h"

#include "llvm/ADT/DenseSet.h"

#include <algorithm>
#include <random>
#include <string>

using namespace diviml;

llvm::StringRef diviml::stringifyRandomGraphKind(RandomGraphKind kind) {
  switch (kind) {
  case RandomGraphKind::WattsStrogatz:
    return "ws";
  case RandomGraphKind::ErdosRenyi:
    return "er";
  case RandomGraphKind::BarabasiAlbert:
    return "ba";
  }
  return "";
}

std::optional<RandomGraphKind>
diviml::symbolizeRandomGraphKind(llvm::StringRef text) {
  if (text == "ws")
    return RandomGraphKind::WattsStrogatz;
  if (text == "er")
    return RandomGraphKind::ErdosRenyi;
  if (text == "ba")
    return RandomGraphKind::BarabasiAlbert;
  return std::nullopt;
}

namespace {

class Random {
public:
  explicit Random(uint64_t seed) : engine(seed) {}
  /// Uniform in [0, n).
  unsigned below(unsigned n) { return unsigned(engine() % n); }
  /// Uniform in [0, 1).
  double unit() { return double(engine() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }

private:
  std::mt19937_64 engine;
};

/// Undirected simple graph under construction.
class EdgeSet {
public:
  explicit EdgeSet(unsigned n) : neighbours(n) {}
  bool has(unsigned a, unsigned b) const { return neighbours[a].contains(b); }
  void add(unsigned a, unsigned b) {
    neighbours[a].insert(b);
    neighbours[b].insert(a);
  }
  void remove(unsigned a, unsigned b) {
    neighbours[a].erase(b);
    neighbours[b].erase(a);
  }
  unsigned degree(unsigned a) const { return neighbours[a].size(); }
  std::vector<std::pair<unsigned, unsigned>> sorted() const {
    std::vector<std::pair<unsigned, unsigned>> edges;
    for (unsigned a = 0, e = neighbours.size(); a != e; ++a)
      for (unsigned b : neighbours[a])
        if (a < b)
          edges.push_back({a, b});
    llvm::sort(edges);
    return edges;
  }

private:
  std::vector<llvm::DenseSet<unsigned>> neighbours;
};

/// Ring lattice of n nodes, each linked to its k/2 neighbours on either side;
/// then every lattice edge (i, i + j) is rewired with probability p to
/// (i, w), w uniform among the nodes not yet linked to i.
void wattsStrogatz(EdgeSet &graph, unsigned n, unsigned k, double p,
                   Random &random) {
  unsigned half = std::max(1u, k / 2);
  for (unsigned i = 0; i != n; ++i)
    for (unsigned j = 1; j <= half && j < n; ++j)
      if ((i + j) % n != i)
        graph.add(i, (i + j) % n);
  for (unsigned j = 1; j <= half && j < n; ++j)
    for (unsigned i = 0; i != n; ++i) {
      unsigned target = (i + j) % n;
      if (target == i || !graph.has(i, target) || !random.chance(p))
        continue;
      if (graph.degree(i) + 1 >= n)
        continue; // Linked to everyone: nowhere to rewire to.
      unsigned w;
      do
        w = random.below(n);
      while (w == i || graph.has(i, w));
      graph.remove(i, target);
      graph.add(i, w);
    }
}

void erdosRenyi(EdgeSet &graph, unsigned n, double p, Random &random) {
  for (unsigned a = 0; a != n; ++a)
    for (unsigned b = a + 1; b < n; ++b)
      if (random.chance(p))
        graph.add(a, b);
}

/// Preferential attachment: nodes m, m+1, ... each link to m distinct
/// earlier nodes drawn with probability proportional to their degree (the
/// first new node links to nodes 0..m-1).
void barabasiAlbert(EdgeSet &graph, unsigned n, unsigned m, Random &random) {
  m = std::max(1u, std::min(m, n > 1 ? n - 1 : 1));
  std::vector<unsigned> targets, repeated;
  for (unsigned i = 0; i != m && i != n; ++i)
    targets.push_back(i);
  for (unsigned source = m; source < n; ++source) {
    for (unsigned t : targets)
      graph.add(source, t);
    repeated.insert(repeated.end(), targets.begin(), targets.end());
    repeated.insert(repeated.end(), m, source);
    llvm::DenseSet<unsigned> chosen;
    targets.clear();
    while (targets.size() != m) {
      unsigned t = repeated[random.below(repeated.size())];
      if (chosen.insert(t).second)
        targets.push_back(t);
    }
  }
}

/// Seconds for `flops` and `bytes` on `device` (roofline, each of the
/// device's slots getting its share), kInfinity on a device without a peak.
double rooflineTime(const Device &device, double flops, double bytes) {
  if (device.peakFlops <= 0)
    return kInfinity;
  double share = 1.0 / std::max(1u, device.slots);
  double compute = flops / (device.peakFlops * share);
  double memory =
      device.memoryBandwidth > 0 && device.memoryBandwidth != kInfinity
          ? bytes / (device.memoryBandwidth * share)
          : 0.0;
  return std::max(compute, memory) + device.launchOverhead;
}

} // namespace

std::vector<std::pair<unsigned, unsigned>>
diviml::randomGraphEdges(const RandWireOptions &options) {
  Random random(options.seed);
  unsigned n = options.nodes;
  EdgeSet graph(n);
  switch (options.kind) {
  case RandomGraphKind::WattsStrogatz:
    wattsStrogatz(graph, n, options.degree ? options.degree : 4,
                  options.probability >= 0 ? options.probability : 0.75,
                  random);
    break;
  case RandomGraphKind::ErdosRenyi:
    erdosRenyi(graph, n, options.probability >= 0 ? options.probability : 0.2,
               random);
    break;
  case RandomGraphKind::BarabasiAlbert:
    barabasiAlbert(graph, n, options.degree ? options.degree : 5, random);
    break;
  }
  return graph.sorted();
}

Problem diviml::makeRandWireProblem(const Platform &platform,
                                    const RandWireOptions &options) {
  // The expansion of each node's MLP block is drawn after the edges, from a
  // stream of its own, so that the graph does not depend on it.
  Random random(options.seed ^ 0x9e3779b97f4a7c15ULL);
  std::vector<std::pair<unsigned, unsigned>> edges = randomGraphEdges(options);
  unsigned n = options.nodes;
  double activations = double(options.tokens) * options.width;
  double activationBytes = 4 * activations;

  std::vector<unsigned> inDegree(n, 0), outDegree(n, 0);
  for (auto [a, b] : edges) {
    ++outDegree[a];
    ++inDegree[b];
  }
  // Problem indices: 0 = in, 1 + i = graph node i, n + 1 = out.
  Problem problem(platform);
  auto addBlock = [&](std::string name, unsigned inputs, unsigned expansion) {
    // Sum of the inputs, then width -> expansion * width -> width.
    double weights = 2.0 * expansion * options.width * options.width;
    double flops = 2 * 2 * activations * expansion * options.width +
                   (inputs > 1 ? (inputs - 1) * activations : 0);
    double bytes = (inputs + 1) * activationBytes + 4 * weights;
    Node node;
    node.name = std::move(name);
    for (const Device &device : platform.devices)
      node.time.push_back(rooflineTime(device, flops, bytes));
    node.memory = 4 * weights + activationBytes;
    problem.addNode(std::move(node));
  };
  static const unsigned kExpansions[] = {1, 2, 4, 8};
  addBlock("in", 1, 1);
  for (unsigned i = 0; i != n; ++i)
    addBlock("n" + std::to_string(i), std::max(1u, inDegree[i]),
             kExpansions[random.below(4)]);
  {
    // The output averages the sinks: no weights.
    unsigned sinks = 0;
    for (unsigned i = 0; i != n; ++i)
      sinks += outDegree[i] == 0;
    Node out;
    out.name = "out";
    double flops = sinks * activations;
    double bytes = (sinks + 1) * activationBytes;
    for (const Device &device : platform.devices)
      out.time.push_back(rooflineTime(device, flops, bytes));
    out.memory = activationBytes;
    problem.addNode(std::move(out));
  }
  for (unsigned i = 0; i != n; ++i)
    if (inDegree[i] == 0)
      problem.addEdge(0, 1 + i, activationBytes);
  for (auto [a, b] : edges)
    problem.addEdge(1 + a, 1 + b, activationBytes);
  for (unsigned i = 0; i != n; ++i)
    if (outDegree[i] == 0)
      problem.addEdge(1 + i, n + 1, activationBytes);
  if (n == 0)
    problem.addEdge(0, 1, activationBytes);
  problem.finalize();
  return problem;
}
