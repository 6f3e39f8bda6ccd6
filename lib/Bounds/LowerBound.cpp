//===- LowerBound.cpp - Certified lower bounds on the optimum -------------===//
//
// Derivations in docs/objectives.md.
//
//===----------------------------------------------------------------------===//

#include "diviml/Bounds/LowerBound.h"
#include "diviml/Model/DeviceReduction.h"

#include "CombinatorialBounds.h"
#include "diviml/Bounds/LpRelaxation.h"
#include "diviml/Model/Support.h"

#include "llvm/ADT/DenseMap.h"

#include <algorithm>

using namespace diviml;

/// The LP over colocation groups: a group must share a device, so it enters
/// as one item with the summed time and memory of its members, allowed only
/// where all of them run. Valid because every solution assigns it wholly.
static LoadBalancingLp buildLoadBalancingLp(const Problem &problem) {
  const Platform &platform = problem.platform;
  unsigned numDev = problem.numDevices();
  LoadBalancingLp lp;
  for (const Device &device : platform.devices) {
    lp.slots.push_back(device.slots);
    lp.capacity.push_back(device.memoryCapacity);
  }
  llvm::DenseMap<int, unsigned> itemOfGroup;
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v) {
    const Node &node = problem.nodes[v];
    unsigned item = lp.time.size();
    if (node.colocationGroup >= 0) {
      auto [it, inserted] = itemOfGroup.try_emplace(node.colocationGroup, item);
      item = it->second;
    }
    if (item == lp.time.size()) {
      lp.time.emplace_back(numDev, 0.0);
      lp.memory.push_back(0);
    }
    for (unsigned d = 0; d != numDev; ++d)
      lp.time[item][d] += problem.occupancy(v, d); // kInfinity stays.
    lp.memory[item] += node.memory;
  }
  return lp;
}

static double fastestTime(const Problem &problem, unsigned node) {
  double fastest = kInfinity;
  for (unsigned d = 0, e = problem.numDevices(); d != e; ++d)
    fastest = std::min(fastest, problem.occupancy(node, d));
  return fastest;
}

/// Host seconds `node` costs on its cheapest device.
static double cheapestHostTime(const Problem &problem, unsigned node) {
  double cheapest = kInfinity;
  for (unsigned d = 0, e = problem.numDevices(); d != e; ++d)
    if (problem.nodes[node].canRunOn(d))
      cheapest = std::min(cheapest, problem.hostTime(node, d));
  return cheapest == kInfinity ? 0 : cheapest;
}

/// With a runtime, every node costs the host its dispatch (or its whole run
/// when it runs on a host thread), whatever else happens: the host threads
/// need at least the sum over nodes of the cheapest such cost.
static double hostLoadBound(const Problem &problem) {
  if (!problem.platform.runtime)
    return 0;
  double total = 0;
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
    total += cheapestHostTime(problem, v);
  return total / problem.platform.runtime->hostThreads * (1 - kBoundSlack);
}

/// The longest path where every node picks its device and a tensor that
/// changes device takes its route's transfer time: `finish[v * D + d]` is a
/// lower bound on v's finish time in any schedule that runs v on d (link
/// contention, busy slots and staging only delay a transfer; the legs are
/// summed in the simulator's order, so rounding cannot lift the bound).
/// With a runtime a node also starts no earlier than its dispatch is done;
/// with one host thread, dispatches follow a topological order, so the host
/// has done at least the cheapest host work of every node on a chain before
/// it (`hostDone`).
/// `finish` receives the table.
static double transferAwareCriticalPath(const Problem &problem,
                                        std::vector<double> &finish) {
  unsigned numDev = problem.numDevices();
  const Platform &platform = problem.platform;
  RouteTable routes(platform);
  finish.assign(size_t(problem.numNodes()) * numDev, kInfinity);
  bool serialHost = platform.runtime && platform.runtime->hostThreads == 1;
  std::vector<double> hostDone(problem.numNodes(), 0);
  double longest = 0;
  for (unsigned v : problem.topologicalOrder()) {
    const Node &node = problem.nodes[v];
    double hostBefore = 0;
    if (serialHost)
      for (unsigned u : problem.predecessors(v))
        hostBefore = std::max(hostBefore, hostDone[u]);
    hostDone[v] = hostBefore + cheapestHostTime(problem, v);
    double earliest = kInfinity;
    for (unsigned d = 0; d != numDev; ++d) {
      if (!node.canRunOn(d))
        continue;
      double ready = 0;
      for (unsigned u : problem.predecessors(v)) {
        double bytes = problem.outputBytes(u);
        double arrival = kInfinity;
        for (unsigned a = 0; a != numDev; ++a) {
          double t = finish[size_t(u) * numDev + a];
          if (t != kInfinity)
            arrival =
                std::min(arrival, afterRoute(platform, routes, a, d, t, bytes));
        }
        ready = std::max(ready, arrival);
      }
      double end;
      if (platform.runsOnDispatchThread(d))
        end = std::max(ready, hostBefore) + problem.occupancy(v, d);
      else
        end = std::max(ready, hostBefore + problem.dispatchTime(v, d)) +
              problem.occupancy(v, d);
      finish[size_t(v) * numDev + d] = end;
      earliest = std::min(earliest, end);
    }
    // A node with no reachable device is check()'s to reject.
    if (earliest != kInfinity)
      longest = std::max(longest, earliest);
  }
  return longest;
}

/// The mirror image: `tail[v * D + d]` is a lower bound on the time from v's
/// finish on d to the end of the inference. A successor w on b starts no
/// earlier than v's tensor reaches b, runs for its occupancy and leaves its
/// own tail; the least over b bounds every schedule. Host terms are dropped.
static std::vector<double> transferAwareTail(const Problem &problem) {
  unsigned numDev = problem.numDevices();
  const Platform &platform = problem.platform;
  RouteTable routes(platform);
  std::vector<double> tail(size_t(problem.numNodes()) * numDev, 0);
  llvm::ArrayRef<unsigned> order = problem.topologicalOrder();
  for (unsigned v : llvm::reverse(order)) {
    double bytes = problem.outputBytes(v);
    for (unsigned d = 0; d != numDev; ++d) {
      if (!problem.nodes[v].canRunOn(d))
        continue;
      double longest = 0;
      for (unsigned w : problem.successors(v)) {
        double least = kInfinity;
        for (unsigned b = 0; b != numDev; ++b) {
          if (!problem.nodes[w].canRunOn(b))
            continue;
          double t = afterRoute(platform, routes, d, b, 0, bytes);
          if (t != kInfinity)
            least = std::min(least, t + problem.occupancy(w, b) +
                                        tail[size_t(w) * numDev + b]);
        }
        if (least != kInfinity)
          longest = std::max(longest, least);
      }
      tail[size_t(v) * numDev + d] = longest;
    }
  }
  return tail;
}

/// Every bound of `objective` on a problem as given; the largest wins.
static LowerBoundResult computeBounds(const Problem &original,
                                      Objective objective, bool dataParallel,
                                      const BoundBudget &budget) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  LowerBoundResult result;
  if (problem.numNodes() == 0)
    return result;
  auto consider = [&](double value, const char *source) {
    if (value > result.value) {
      result.value = value;
      result.source = source;
    }
  };
  LoadBalancingLp lp = buildLoadBalancingLp(problem);
  // Latency: one inference takes at least as long as any single node.
  if (objective == Objective::Latency)
    for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
      lp.minT = std::max(lp.minT, fastestTime(problem, v));
  std::vector<double> multipliers;
  TimeWindows windows;
  consider(solveLoadBalancingBound(lp, LpMethod::Auto, &multipliers) *
               (1 - kBoundSlack),
           "load-lp");
  consider(hostLoadBound(problem), "host-load");
  if (objective == Objective::Latency) {
    std::vector<double> finish;
    consider(transferAwareCriticalPath(problem, finish), "critical-path");
    // Time windows for the packing bound, where affordable: v on d starts
    // no earlier than head and leaves at least tail after its finish.
    uint64_t pairs = uint64_t(problem.edges.size()) * problem.numDevices() *
                     problem.numDevices();
    if (pairs <= budget.packingNodes * 16) {
      result.work += pairs / 16;
      windows.tail = transferAwareTail(problem);
      windows.head.resize(finish.size());
      for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
        for (unsigned d = 0, e = problem.numDevices(); d != e; ++d) {
          size_t at = size_t(v) * e + d;
          windows.head[at] = finish[at] == kInfinity
                                 ? kInfinity
                                 : finish[at] - problem.occupancy(v, d);
        }
    }
    consider(pathSegmentBound(problem, budget.pathCells, result.work) *
                 (1 - kBoundSlack),
             "path-segments");
    consider(residualBlockBound(problem, budget.pathCells, result.work) *
                 (1 - kBoundSlack),
             "residual-blocks");
  }
  // Replicas may split the stream across copies, which the packing test
  // does not model (docs/objectives.md).
  if (!dataParallel && result.value > 0) {
    double known = result.value;
    double packed = packingBound(problem, objective, known, multipliers,
                                 windows, budget.packingNodes, result.work);
    if (packed > known)
      consider(packed * (1 - kBoundSlack), "packing");
  }
  return result;
}

double diviml::latencyLowerBound(const Problem &problem) {
  return computeBounds(problem, Objective::Latency, false, {}).value;
}

double diviml::throughputLowerBound(const Problem &problem, bool dataParallel) {
  return computeBounds(problem, Objective::Throughput, dataParallel, {}).value;
}

LowerBoundResult diviml::computeLowerBound(const Problem &problem,
                                           Objective objective,
                                           bool dataParallel,
                                           const BoundBudget &budget) {
  // The reduced problem has the same optimum, so its bound holds here too;
  // replicas may use the dropped devices, so not with data parallelism.
  if (!dataParallel)
    if (std::optional<ReducedProblem> reduced = reduceDevices(problem))
      return computeBounds(reduced->problem, objective, false, budget);
  return computeBounds(problem, objective, dataParallel, budget);
}

double diviml::lowerBound(const Problem &problem, Objective objective,
                          bool dataParallel, const BoundBudget &budget) {
  return computeLowerBound(problem, objective, dataParallel, budget).value;
}
