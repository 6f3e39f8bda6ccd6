//===- Solution.h - A placement and how it is judged ------------*- C++ -*-===//

#ifndef DIVIML_CORE_SOLUTION_H
#define DIVIML_CORE_SOLUTION_H

#include "diviml/Core/Problem.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace diviml {

/// Where every node runs. For the latency objective `order` optionally gives
/// a priority order (a topological order of all nodes) that the evaluator's
/// list simulation follows; empty means "use Problem::topologicalOrder()".
///
/// Data parallelism (throughput only): `replicas` holds further full copies
/// of the placement, each on a device set disjoint from every other copy's;
/// each copy serves its own share of the stream. `device` is copy 0.
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
/// `order` not a permutation or violating a dependence, replicas sharing a
/// device.
llvm::Error verify(const Problem &problem, const Solution &solution);

/// What the evaluator says of a solution.
struct Evaluation {
  bool feasible = false;
  /// Why the solution is infeasible (empty when feasible).
  std::string reason;
  /// Latency: seconds for one inference. Throughput: seconds per sample of
  /// the whole (possibly replicated) pipeline, i.e. 1 / samplesPerSecond.
  double value = kInfinity;
  /// Throughput only (0 for latency).
  double samplesPerSecond = 0;
  /// Latency only, indexed by node: simulated start / finish times of copy 0.
  std::vector<double> start, finish;
  /// Per device, in slot-seconds (summed over the device's slots; divide by
  /// Device::slots for the time the device needs): latency = busy time in
  /// the one inference; throughput = busy time per sample of the copy that
  /// holds the device. Both include transfer time charged to the device when
  /// transfers do not overlap compute.
  std::vector<double> deviceLoad;
  /// Per link: busy seconds (latency) or seconds per sample (throughput).
  std::vector<double> linkLoad;
  /// Per device: bytes resident.
  std::vector<double> memoryUsed;
};

/// The one evaluator every algorithm is judged by; formulas in
/// docs/objectives.md. Runs in O((V + E) log V).
Evaluation evaluate(const Problem &problem, const Solution &solution,
                    Objective objective);

} // namespace diviml

#endif // DIVIML_CORE_SOLUTION_H
