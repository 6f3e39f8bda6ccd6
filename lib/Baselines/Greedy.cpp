//===- Greedy.cpp - Earliest-finish / least-max-load greedy ---------------===//
//
// Nodes in topological order, each to the device that is best right now:
// for latency the earliest finish under the evaluator's own simulation, for
// throughput the smallest resulting max load. Memory and colocation are
// respected through PlacementState.
//
//===----------------------------------------------------------------------===//

#include "PlacementState.h"
#include "diviml/Baselines/Baselines.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Evaluation/LatencySimulator.h"
#include "diviml/Model/Support.h"

#include "spdlog/spdlog.h"

#include <algorithm>

using namespace diviml;

static llvm::Expected<AlgorithmResult> greedyLatency(const Problem &problem) {
  RouteTable routes(problem.platform);
  LatencySimulator simulator(problem, routes);
  simulator.enableUndo();
  PlacementState state(problem);
  for (unsigned v : problem.topologicalOrder()) {
    std::optional<unsigned> best;
    double bestFinish = kInfinity;
    for (unsigned d = 0, e = problem.numDevices(); d != e; ++d) {
      if (!state.canPlace(v, d))
        continue;
      size_t mark = simulator.checkpoint();
      double finish = simulator.schedule(v, d);
      simulator.rollback(mark);
      if (!best || finish < bestFinish) {
        best = d;
        bestFinish = finish;
      }
    }
    if (!best)
      return state.noRoomError(v);
    state.place(v, *best);
    simulator.schedule(v, *best);
  }
  AlgorithmResult result;
  result.status = SolveStatus::Heuristic;
  result.solution.device = state.placement();
  llvm::ArrayRef<unsigned> topo = problem.topologicalOrder();
  result.solution.order.assign(topo.begin(), topo.end());
  // The simulator is the evaluator's: evaluate() reproduces this exactly.
  result.stats["makespan"] = simulator.makespan();
  return result;
}

namespace {
/// Loads of the throughput model built up one placement at a time. A node's
/// placement adds the transfers of its inputs (its predecessors are placed
/// before it; a tensor already sent over a leg for an earlier consumer is
/// not charged again) and the compute it is given.
class IncrementalLoads {
public:
  IncrementalLoads(const Problem &problem, const RouteTable &routes)
      : problem(problem), routes(routes), load(problem.numDevices(), 0),
        linkLoad(problem.platform.links.size(), 0),
        deviceDelta(problem.numDevices(), 0),
        linkDelta(problem.platform.links.size(), 0),
        charged(problem.numNodes()) {}

  struct Trial {
    double maxLoad;   ///< Time per sample after the placement.
    double addedWork; ///< Slot-seconds and link-seconds it adds.
    double ownBusy;   ///< The chosen device's busy time after it.
  };

  /// What placing `node` on `device` would do, adding `compute` seconds to
  /// the device; clears the pending deltas first, leaves them for commit().
  Trial trial(unsigned node, unsigned device, double compute,
              llvm::ArrayRef<unsigned> placement) {
    clearDeltas();
    const Platform &platform = problem.platform;
    addDevice(device, compute);
    for (unsigned u : problem.predecessors(node)) {
      if (placement[u] == device)
        continue;
      double bytes = problem.outputBytes(u);
      for (const Leg &leg : *routes.route(placement[u], device)) {
        if (llvm::is_contained(charged[u], leg.link))
          continue;
        double t = platform.links[leg.link].transferTime(bytes);
        addLink(leg.link, t);
        if (platform.chargesDevice(leg.from))
          addDevice(leg.from, t);
        if (platform.chargesDevice(leg.to))
          addDevice(leg.to, t);
      }
    }
    Trial result{maxLoad, 0, 0};
    for (unsigned d : touchedDevices) {
      double busy = (load[d] + deviceDelta[d]) / platform.devices[d].slots;
      result.maxLoad = std::max(result.maxLoad, busy);
      result.addedWork += deviceDelta[d];
    }
    for (unsigned l : touchedLinks) {
      result.maxLoad = std::max(result.maxLoad, linkLoad[l] + linkDelta[l]);
      result.addedWork += linkDelta[l];
    }
    result.ownBusy =
        (load[device] + deviceDelta[device]) / platform.devices[device].slots;
    return result;
  }

  /// Applies the trial of `node` on `device`.
  void commit(unsigned node, unsigned device, double compute,
              llvm::ArrayRef<unsigned> placement) {
    Trial applied = trial(node, device, compute, placement);
    maxLoad = applied.maxLoad;
    for (unsigned d : touchedDevices)
      load[d] += deviceDelta[d];
    for (unsigned l : touchedLinks)
      linkLoad[l] += linkDelta[l];
    for (unsigned u : problem.predecessors(node))
      if (placement[u] != device)
        for (const Leg &leg : *routes.route(placement[u], device))
          if (!llvm::is_contained(charged[u], leg.link))
            charged[u].push_back(leg.link);
    clearDeltas();
  }

  double currentMax() const { return maxLoad; }

private:
  void addDevice(unsigned d, double t) {
    if (!llvm::is_contained(touchedDevices, d))
      touchedDevices.push_back(d);
    deviceDelta[d] += t;
  }
  void addLink(unsigned l, double t) {
    if (!llvm::is_contained(touchedLinks, l))
      touchedLinks.push_back(l);
    linkDelta[l] += t;
  }
  void clearDeltas() {
    for (unsigned d : touchedDevices)
      deviceDelta[d] = 0;
    for (unsigned l : touchedLinks)
      linkDelta[l] = 0;
    touchedDevices.clear();
    touchedLinks.clear();
  }

  const Problem &problem;
  const RouteTable &routes;
  std::vector<double> load, linkLoad, deviceDelta, linkDelta;
  llvm::SmallVector<unsigned, 8> touchedDevices, touchedLinks;
  /// Per producer, the links its output already crosses.
  std::vector<llvm::SmallVector<unsigned, 2>> charged;
  double maxLoad = 0;
};
} // namespace

static llvm::Expected<AlgorithmResult>
greedyThroughput(const Problem &problem) {
  RouteTable routes(problem.platform);
  IncrementalLoads loads(problem, routes);
  PlacementState state(problem);
  for (unsigned v : problem.topologicalOrder()) {
    // A colocation group goes where its first member goes: that member
    // brings the compute of the whole group, the others only transfers.
    bool firstOfGroup = !state.groupDevice(v);
    auto compute = [&](unsigned d) {
      return firstOfGroup ? state.groupTime(v, d) : 0.0;
    };
    std::optional<unsigned> best;
    IncrementalLoads::Trial bestTrial{};
    for (unsigned d = 0, e = problem.numDevices(); d != e; ++d) {
      if (!state.canPlace(v, d))
        continue;
      IncrementalLoads::Trial t =
          loads.trial(v, d, compute(d), state.placement());
      // Smallest max load; then least added work; then the emptier device.
      if (!best || std::tie(t.maxLoad, t.addedWork, t.ownBusy) <
                       std::tie(bestTrial.maxLoad, bestTrial.addedWork,
                                bestTrial.ownBusy)) {
        best = d;
        bestTrial = t;
      }
    }
    if (!best)
      return state.noRoomError(v);
    double committed = compute(*best);
    state.place(v, *best);
    loads.commit(v, *best, committed, state.placement());
  }
  AlgorithmResult result;
  result.status = SolveStatus::Heuristic;
  result.solution.device = state.placement();
  llvm::ArrayRef<unsigned> topo = problem.topologicalOrder();
  result.solution.order.assign(topo.begin(), topo.end());
  result.stats["max-load"] = loads.currentMax();
  return result;
}

llvm::Expected<AlgorithmResult>
diviml::scheduleGreedy(const Problem &original,
                       const AlgorithmOptions &options) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  spdlog::debug("greedy: {} nodes, {} objective", problem.numNodes(),
                stringifyObjective(options.objective).str());
  return options.objective == Objective::Latency ? greedyLatency(problem)
                                                 : greedyThroughput(problem);
}
