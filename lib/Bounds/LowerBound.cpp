//===- LowerBound.cpp - Certified lower bounds on the optimum -------------===//
//
// Derivations in docs/objectives.md.
//
//===----------------------------------------------------------------------===//

#include "diviml/Bounds/LowerBound.h"
#include "diviml/Model/DeviceReduction.h"

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
static double transferAwareCriticalPath(const Problem &problem) {
  unsigned numDev = problem.numDevices();
  const Platform &platform = problem.platform;
  RouteTable routes(platform);
  std::vector<double> finish(size_t(problem.numNodes()) * numDev, kInfinity);
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
          if (t == kInfinity)
            continue;
          if (a != d) {
            const llvm::SmallVector<Leg, 2> *legs = routes.route(a, d);
            if (!legs)
              continue;
            for (const Leg &leg : *legs)
              t += platform.links[leg.link].transferTime(bytes);
          }
          arrival = std::min(arrival, t);
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

double diviml::latencyLowerBound(const Problem &original) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  if (problem.numNodes() == 0)
    return 0;
  LoadBalancingLp lp = buildLoadBalancingLp(problem);
  // One inference takes at least as long as any single node.
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
    lp.minT = std::max(lp.minT, fastestTime(problem, v));
  double balanced = solveLoadBalancingBound(lp) * (1 - kBoundSlack);
  return std::max(
      {transferAwareCriticalPath(problem), balanced, hostLoadBound(problem)});
}

double diviml::throughputLowerBound(const Problem &original,
                                    bool dataParallel) {
  // The same LP bounds replicated solutions too (rate argument in
  // docs/objectives.md), so `dataParallel` changes nothing.
  (void)dataParallel;
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  if (problem.numNodes() == 0)
    return 0;
  return std::max(solveLoadBalancingBound(buildLoadBalancingLp(problem)) *
                      (1 - kBoundSlack),
                  hostLoadBound(problem));
}

double diviml::lowerBound(const Problem &problem, Objective objective,
                          bool dataParallel) {
  // The reduced problem has the same optimum, so its bound holds here too;
  // replicas may use the dropped devices, so not with data parallelism.
  if (!dataParallel)
    if (std::optional<ReducedProblem> reduced = reduceDevices(problem))
      return lowerBound(reduced->problem, objective);
  return objective == Objective::Latency
             ? latencyLowerBound(problem)
             : throughputLowerBound(problem, dataParallel);
}
