//===- Communities.h - Modularity-based community detection -----*- C++ -*-===//
//
// Louvain modularity maximisation (Blondel et al. 2008) on an undirected
// weighted graph, followed by splitting every community into its connected
// components (Louvain can leave a community disconnected; Leiden's
// guarantee of connected communities is obtained this way at no cost in
// modularity). Near-linear: each pass of local moving is O(V + E).
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_SPLIT_COMMUNITIES_H
#define DIVIML_SPLIT_COMMUNITIES_H

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace diviml {

/// An undirected edge; parallel edges add up, self-loops are allowed.
struct WeightedEdge {
  unsigned a = 0;
  unsigned b = 0;
  double weight = 0;
};

struct CommunityOptions {
  /// Modularity resolution gamma (1: standard modularity; larger values
  /// favour smaller communities).
  double resolution = 1;
  /// Passes of local moving per level, and levels of aggregation.
  unsigned maxPasses = 32;
  unsigned maxLevels = 32;
};

struct Communities {
  /// Community of each node, numbered 0.. in order of first node.
  std::vector<unsigned> community;
  unsigned count = 0;
  /// Modularity of `community` (with the options' resolution).
  double modularity = 0;
};

/// Q = sum_c [ in_c / 2m - gamma (tot_c / 2m)^2 ] where in_c sums the
/// weights of edges inside c (each counted twice, a self-loop twice) and
/// tot_c the weighted degrees of c's nodes. 0 for a graph without weight.
double modularity(unsigned numNodes, llvm::ArrayRef<WeightedEdge> edges,
                  llvm::ArrayRef<unsigned> community, double resolution = 1);

/// Louvain, then connected components within each community; isolated
/// nodes (and every node of a weightless graph) are communities of their
/// own. Deterministic: nodes are visited in index order.
Communities detectCommunities(unsigned numNodes,
                              llvm::ArrayRef<WeightedEdge> edges,
                              const CommunityOptions &options = {});

} // namespace diviml

#endif // DIVIML_SPLIT_COMMUNITIES_H
