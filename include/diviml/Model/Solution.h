//===- Solution.h - A placement and its validity ---------------*- C++ -*-===//

#ifndef DIVIML_MODEL_SOLUTION_H
#define DIVIML_MODEL_SOLUTION_H

#include "diviml/Model/Problem.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace diviml {

/// Where every node runs. For the latency objective `order` optionally gives
/// a priority order (a topological order of all nodes) that the evaluator's
/// list simulation follows; empty means "use Problem::topologicalOrder()".
///
/// Data parallelism (throughput only): `replicas` holds further full copies
/// of the placement; each copy serves its own share of the stream. Copies
/// may share a device (typically the host that feeds them all): it then
/// holds every sharing copy's nodes and serves every copy's share
/// (docs/objectives.md). `device` is copy 0.
struct Solution {
  std::vector<unsigned> device;
  std::vector<unsigned> order;
  std::vector<std::vector<unsigned>> replicas;

  unsigned numCopies() const { return 1 + replicas.size(); }
  const std::vector<unsigned> &copy(unsigned i) const {
    return i == 0 ? device : replicas[i - 1];
  }
};

/// Rejects an invalid solution with a message naming the culprit: wrong size,
/// node on a device that cannot run it, colocation broken, memory exceeded,
/// `order` not a permutation or violating a dependence, copies that together
/// exceed a device's memory.
llvm::Error verify(const Problem &problem, const Solution &solution);

} // namespace diviml

#endif // DIVIML_MODEL_SOLUTION_H
