//===- RandomGraph.h - Classical random graph models ------------*- C++ -*-===//
//
// The three generators of Xie et al. 2019 (Erdos-Renyi, Barabasi-Albert,
// Watts-Strogatz), written against our own deterministic random source so a
// given seed yields the same graph on every platform (std distributions are
// implementation-defined, the mt19937_64 engine is not).
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TOOLS_MODELGEN_RANDOMGRAPH_H
#define DIVIML_TOOLS_MODELGEN_RANDOMGRAPH_H

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace diviml::modelgen {

class RandomSource {
public:
  explicit RandomSource(uint64_t seed) : engine(seed) {}
  /// Uniform in [0, 1), from the top 53 bits of one engine draw.
  double uniform() { return (engine() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, n).
  int below(int n) { return static_cast<int>(uniform() * n); }

private:
  std::mt19937_64 engine;
};

/// Undirected simple graph on nodes 0..nodes-1; each edge stored once as
/// (smaller, larger), edges sorted.
struct UndirectedGraph {
  int nodes = 0;
  std::vector<std::pair<int, int>> edges;
};

/// ER(P): every pair joined independently with probability p.
UndirectedGraph erdosRenyi(int nodes, double p, RandomSource &rng);
/// BA(M): start from m unconnected nodes; each new node joins m distinct
/// existing nodes drawn with probability proportional to degree. Needs
/// 1 <= m < nodes.
UndirectedGraph barabasiAlbert(int nodes, int m, RandomSource &rng);
/// WS(K, P): ring lattice with k/2 neighbours per side, then each clockwise
/// edge rewired with probability p to a uniformly chosen new endpoint.
/// Needs k even and 2 <= k < nodes.
UndirectedGraph wattsStrogatz(int nodes, int k, double p, RandomSource &rng);

/// A DAG obtained by orienting every edge from the smaller to the larger
/// node index, so 0..nodes-1 is a topological order.
struct Dag {
  std::vector<std::vector<int>> preds, succs;
  explicit Dag(const UndirectedGraph &g);
  int size() const { return preds.size(); }
};

} // namespace diviml::modelgen

#endif // DIVIML_TOOLS_MODELGEN_RANDOMGRAPH_H
