//===- RandWire.h - RandWire-style random DNN graphs ------------*- C++ -*-===//
//
// Seeded random graphs in the manner of RandWire (Xie et al., ICCV 2019):
// an undirected Watts-Strogatz, Erdos-Renyi or Barabasi-Albert graph is made
// a DAG by orienting every edge from the lower to the higher index, then one
// input node feeds every source and one output node collects every sink.
// Shared by the unit tests, the split benchmark and diviml-modelgen (whose
// RandWire stages draw their graphs here); docs/split.md gives the
// cost model of the nodes.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_WORKLOADS_RANDWIRE_H
#define DIVIML_WORKLOADS_RANDWIRE_H

#include "diviml/Model/Problem.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace diviml {

enum class RandomGraphKind { WattsStrogatz, ErdosRenyi, BarabasiAlbert };

/// "ws", "er", "ba".
llvm::StringRef stringifyRandomGraphKind(RandomGraphKind kind);
std::optional<RandomGraphKind> symbolizeRandomGraphKind(llvm::StringRef text);

struct RandWireOptions {
  RandomGraphKind kind = RandomGraphKind::WattsStrogatz;
  /// Nodes of the random graph; the problem has two more (input, output).
  unsigned nodes = 32;
  uint64_t seed = 1;
  /// WS: each node starts linked to `degree` ring neighbours (even);
  /// BA: each new node attaches `degree` edges. RandWire's WS(4, 0.75) and
  /// BA(5) by default (0: the kind's default).
  unsigned degree = 0;
  /// WS: rewiring probability; ER: edge probability (negative: the kind's
  /// default, 0.75 for WS and 0.2 for ER, RandWire's).
  double probability = -1;
  /// Node cost model (docs/split.md): every node is an MLP block over
  /// `tokens` x `width` activations whose hidden size is `width` times an
  /// expansion drawn from {1, 2, 4, 8}.
  unsigned tokens = 256;
  unsigned width = 1024;
};

/// The undirected random graph (pairs a < b, no duplicates), deterministic
/// for a seed on every platform (own arithmetic over std::mt19937_64).
std::vector<std::pair<unsigned, unsigned>>
randomGraphEdges(const RandWireOptions &options);

/// The random graph as a finalized placement problem on `platform`: node
/// times from a roofline over each device's peak, bandwidth, slots and
/// launch overhead, memory = weights + output. Names: "in", "n0".., "out".
Problem makeRandWireProblem(const Platform &platform,
                            const RandWireOptions &options);

} // namespace diviml

#endif // DIVIML_WORKLOADS_RANDWIRE_H
