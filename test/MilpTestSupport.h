//===- MilpTestSupport.h - Exhaustive optima through evaluate() -*- C++ -*-===//
//
// The MILP tests compare the solver's optimum with brute force: every
// placement (and, for latency, every priority order) judged by evaluate().
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TEST_MILPTESTSUPPORT_H
#define DIVIML_TEST_MILPTESTSUPPORT_H

#include "diviml/Core/Algorithms.h"
#include "diviml/Core/Solution.h"

#include <functional>
#include <optional>
#include <vector>

namespace diviml::testing {

/// Calls `visit` with every placement whose nodes all run where placed
/// (memory and colocation are left to evaluate()).
inline void forEachPlacement(
    const Problem &problem,
    const std::function<void(const std::vector<unsigned> &)> &visit) {
  unsigned n = problem.numNodes();
  std::vector<unsigned> placement(n, 0);
  std::function<void(unsigned)> place = [&](unsigned v) {
    if (v == n) {
      visit(placement);
      return;
    }
    for (unsigned d = 0; d != problem.numDevices(); ++d) {
      if (!problem.nodes[v].canRunOn(d))
        continue;
      placement[v] = d;
      place(v + 1);
    }
  };
  place(0);
}

/// Every topological order of the (finalized) problem's nodes.
inline std::vector<std::vector<unsigned>>
allTopologicalOrders(const Problem &problem) {
  unsigned n = problem.numNodes();
  std::vector<unsigned> indegree(n), order;
  for (unsigned v = 0; v != n; ++v)
    indegree[v] = problem.predecessors(v).size();
  std::vector<std::vector<unsigned>> orders;
  std::function<void()> extend = [&] {
    if (order.size() == n) {
      orders.push_back(order);
      return;
    }
    for (unsigned v = 0; v != n; ++v) {
      if (indegree[v] != 0)
        continue;
      indegree[v] = ~0u; // Taken.
      for (unsigned w : problem.successors(v))
        --indegree[w];
      order.push_back(v);
      extend();
      order.pop_back();
      for (unsigned w : problem.successors(v))
        ++indegree[w];
      indegree[v] = 0;
    }
  };
  extend();
  return orders;
}

/// The best feasible evaluated value over all placements (and all orders
/// for latency); kInfinity if nothing is feasible.
/// `fixed`, when given, restricts nodes to their fixed devices.
inline double
exhaustiveOptimum(const Problem &problem, Objective objective,
                  const std::vector<std::optional<unsigned>> *fixed = nullptr) {
  double best = kInfinity;
  std::vector<std::vector<unsigned>> orders;
  if (objective == Objective::Latency)
    orders = allTopologicalOrders(problem);
  else
    orders.push_back({});
  Solution solution;
  forEachPlacement(problem, [&](const std::vector<unsigned> &placement) {
    if (fixed)
      for (unsigned v = 0, n = placement.size(); v != n; ++v)
        if ((*fixed)[v] && *(*fixed)[v] != placement[v])
          return;
    solution.device = placement;
    for (const std::vector<unsigned> &order : orders) {
      solution.order = order;
      Evaluation eval = evaluate(problem, solution, objective);
      if (!eval.feasible)
        return; // Memory or colocation: no order helps.
      best = std::min(best, eval.value);
    }
  });
  return best;
}

/// Makes devices 1 and 2 of a random problem interchangeable: same
/// hardware, node times and host links, no direct links between non-host
/// devices.
inline void makeDevicesTwins(Problem &problem) {
  Platform &platform = problem.platform;
  platform.devices[2] = platform.devices[1];
  platform.devices[2].name = "twin";
  std::vector<Link> links;
  for (const Link &link : platform.links)
    if (link.from == 0 || link.to == 0)
      links.push_back(link);
  for (Link &link : links) {
    if (link.from == 2 || link.to == 2) {
      const Link &model = platform.links[*platform.findLink(
          link.from == 2 ? 1 : 0, link.to == 2 ? 1 : 0)];
      link.bandwidth = model.bandwidth;
      link.latency = model.latency;
    }
  }
  platform.links = links;
  for (Node &node : problem.nodes)
    node.time[2] = node.time[1];
  problem.finalize();
}

/// The baselines' solutions, as warm starts.
inline std::vector<Solution> heuristicSolutions(const Problem &problem,
                                                Objective objective) {
  AlgorithmOptions options;
  options.objective = objective;
  std::vector<Solution> solutions;
  for (auto *schedule : {scheduleHeft, scheduleGreedy, scheduleFastestSingle})
    if (llvm::Expected<AlgorithmResult> result = schedule(problem, options))
      solutions.push_back(std::move(result->solution));
    else
      llvm::consumeError(result.takeError());
  return solutions;
}

} // namespace diviml::testing

#endif // DIVIML_TEST_MILPTESTSUPPORT_H
