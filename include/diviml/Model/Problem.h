//===- Problem.h - A placement problem: op graph over a platform -*- C++
//-*-===//
//
// Like CIRCT's scheduling problems: the problem states its components, check()
// says whether it is a valid input, and verify() (Solution.h) says whether a
// computed solution is valid. Algorithms are free functions over a Problem.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_MODEL_PROBLEM_H
#define DIVIML_MODEL_PROBLEM_H

#include "diviml/Model/Platform.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace diviml {

/// An op of the graph.
struct Node {
  std::string name;
  /// Execution time in seconds on each device of the platform, indexed like
  /// Platform::devices; kInfinity means the node cannot run there.
  std::vector<double> time;
  /// Bytes the node keeps resident on its device (weights + output).
  double memory = 0;
  /// Nodes with the same non-negative group must share a device.
  int colocationGroup = -1;
  /// Host seconds the runtime spends dispatching the node on each device
  /// (indexed like `time`); empty: the platform's default
  /// (Platform::dispatchTime with no op class). Ignored without a runtime.
  std::vector<double> dispatch;
  /// The program's inputs or its results rather than an op: no dispatch, no
  /// output written (first touch), only the tensors it holds or receives.
  bool external = false;

  bool canRunOn(unsigned device) const {
    return device < time.size() && time[device] != kInfinity;
  }
};

/// A data dependence; `bytes` is the size of the producer's output. Several
/// edges from one producer carry the same tensor: it is moved to a given
/// device once, however many consumers it has there.
struct Edge {
  unsigned src = 0;
  unsigned dst = 0;
  double bytes = 0;
};

enum class Objective { Latency, Throughput };

llvm::StringRef stringifyObjective(Objective objective);
std::optional<Objective> symbolizeObjective(llvm::StringRef text);

class Problem {
public:
  Problem() = default;
  Problem(Platform platform) : platform(std::move(platform)) {}

  Platform platform;
  std::vector<Node> nodes;
  std::vector<Edge> edges;

  unsigned numNodes() const { return nodes.size(); }
  unsigned numDevices() const { return platform.numDevices(); }

  unsigned addNode(Node node);
  void addEdge(unsigned src, unsigned dst, double bytes);

  /// Rejects a malformed problem with a message naming the culprit: a cycle,
  /// a node that runs nowhere, a time vector of the wrong length, a
  /// colocation group with no common device, a node or group whose memory
  /// fits no device, a dangling edge, devices that cannot reach each other.
  llvm::Error check() const;

  /// Derived structure, valid after finalize() (check() calls it too). Edges
  /// are indexed as in `edges`.
  llvm::ArrayRef<unsigned> outEdges(unsigned node) const {
    return outEdgeIds[node];
  }
  llvm::ArrayRef<unsigned> inEdges(unsigned node) const {
    return inEdgeIds[node];
  }
  /// Distinct producers / consumers of a node.
  llvm::ArrayRef<unsigned> predecessors(unsigned node) const {
    return preds[node];
  }
  llvm::ArrayRef<unsigned> successors(unsigned node) const {
    return succs[node];
  }
  /// Bytes of a node's output (the max over its out-edges; 0 if none).
  double outputBytes(unsigned node) const { return outBytes[node]; }
  /// Host seconds to dispatch `node` on `device` (0 without a runtime and
  /// for external nodes).
  double dispatchTime(unsigned node, unsigned device) const;
  /// Seconds to fill freshly allocated memory of `device` with `bytes`
  /// (Device::firstTouchBandwidth; 0 when not set).
  double firstTouchTime(unsigned device, double bytes) const;
  /// Seconds `node` keeps one slot of `device` busy: its time, the first
  /// touch of its output, and its dispatch when it runs on a dispatching
  /// host thread. kInfinity where it cannot run.
  double occupancy(unsigned node, unsigned device) const;
  /// Host seconds `node` costs on `device`: its dispatch, or its whole
  /// occupancy when it runs on a dispatching host thread.
  double hostTime(unsigned node, unsigned device) const;

  /// A topological order; empty if the graph has a cycle.
  llvm::ArrayRef<unsigned> topologicalOrder() const { return topoOrder; }

  /// Rebuilds the derived structure; call after editing nodes or edges.
  void finalize();
  bool isFinalized() const { return finalized; }

private:
  std::vector<std::vector<unsigned>> outEdgeIds, inEdgeIds, preds, succs;
  std::vector<double> outBytes;
  std::vector<unsigned> topoOrder;
  bool finalized = false;
};

} // namespace diviml

#endif // DIVIML_MODEL_PROBLEM_H
