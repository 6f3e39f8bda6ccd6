//===- LowerBound.cpp - Certified lower bounds on the optimum -------------===//
//
// Derivations in docs/objectives.md.
//
//===----------------------------------------------------------------------===//

#include "diviml/Core/LowerBound.h"

#include "CoreSupport.h"
#include "LpRelaxation.h"

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
  for (const Node &node : problem.nodes) {
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
      lp.time[item][d] += node.time[d]; // kInfinity stays kInfinity.
    lp.memory[item] += node.memory;
  }
  return lp;
}

static double fastestTime(const Node &node) {
  return *std::min_element(node.time.begin(), node.time.end());
}

/// Longest path with every node at its fastest device and free transfers.
static double criticalPath(const Problem &problem) {
  std::vector<double> finish(problem.numNodes(), 0);
  double longest = 0;
  for (unsigned v : problem.topologicalOrder()) {
    double ready = 0;
    for (unsigned u : problem.predecessors(v))
      ready = std::max(ready, finish[u]);
    finish[v] = ready + fastestTime(problem.nodes[v]);
    longest = std::max(longest, finish[v]);
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
  for (const Node &node : problem.nodes)
    lp.minT = std::max(lp.minT, fastestTime(node));
  double balanced = solveLoadBalancingBound(lp) * (1 - kBoundSlack);
  return std::max(criticalPath(problem), balanced);
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
  return solveLoadBalancingBound(buildLoadBalancingLp(problem)) *
         (1 - kBoundSlack);
}

double diviml::lowerBound(const Problem &problem, Objective objective,
                          bool dataParallel) {
  return objective == Objective::Latency
             ? latencyLowerBound(problem)
             : throughputLowerBound(problem, dataParallel);
}
