//===- MilpTestSupport.h - Exhaustive optima through evaluate() -*- C++ -*-===//
//
// The MILP tests compare the solver's optimum with brute force: every
// placement (and, for latency, every priority order) judged by evaluate().
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TEST_MILPTESTSUPPORT_H
#define DIVIML_TEST_MILPTESTSUPPORT_H

#include "RandomProblem.h"
#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Milp/Milp.h"
#include "diviml/Model/Solution.h"
#include "diviml/Solvers/MilpSolver.h"
#include "gtest/gtest.h"

#include <functional>
#include <optional>
#include <string>
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

/// The MILP backends built into this binary, as test parameters.
inline std::vector<std::string> backends() {
  return {milpSolverNames().begin(), milpSolverNames().end()};
}

/// Random fixed devices and resident bytes: the MILP with the boundary
/// equals brute force over the placements that keep the fixed devices, on
/// the problem whose capacities lose the resident bytes.
inline void checkBoundaryAgainstEnumeration(const std::string &solver,
                                            Objective objective,
                                            unsigned maxNodes, unsigned seeds) {
  RandomProblemOptions shape;
  shape.minNodes = 2;
  shape.maxNodes = maxNodes;
  shape.minDevices = 2;
  shape.maxDevices = 3;
  Random random(99);
  for (uint64_t seed = 300; seed != 300 + seeds; ++seed) {
    Problem problem = makeRandomProblem(seed, shape);
    MilpOptions options;
    options.objective = objective;
    options.solver = solver;
    MilpBoundary &boundary = options.boundary;
    boundary.fixedDevice.resize(problem.numNodes());
    for (unsigned v = 0; v != problem.numNodes(); ++v) {
      unsigned d = random.below(problem.numDevices());
      if (random.chance(0.3) && problem.nodes[v].canRunOn(d))
        boundary.fixedDevice[v] = d;
    }
    Problem reduced = problem;
    for (unsigned d = 0; d != problem.numDevices(); ++d) {
      double capacity = problem.platform.devices[d].memoryCapacity;
      double used = capacity == kInfinity ? 1000 : capacity * 0.2;
      boundary.memoryUsed.push_back(used);
      reduced.platform.devices[d].memoryCapacity = capacity - used;
    }
    reduced.finalize();
    double best = exhaustiveOptimum(reduced, objective, &boundary.fixedDevice);
    auto outcome = solvePlacementMilp(problem, options);
    if (best == kInfinity) {
      ASSERT_FALSE(bool(outcome)) << "seed " << seed;
      llvm::consumeError(outcome.takeError());
      continue;
    }
    ASSERT_TRUE(bool(outcome))
        << "seed " << seed << ": " << llvm::toString(outcome.takeError());
    EXPECT_EQ(outcome->status, SolveStatus::Optimal) << "seed " << seed;
    EXPECT_NEAR(outcome->value, best, 1e-9 * std::max(best, 1.0))
        << "seed " << seed;
    for (unsigned v = 0; v != problem.numNodes(); ++v) {
      if (boundary.fixedDevice[v]) {
        EXPECT_EQ(outcome->solution.device[v], *boundary.fixedDevice[v]);
      }
    }
  }
}

/// Symmetry breaking must not cut off the optimum: on random problems whose
/// devices 1 and 2 are made identical, the MILP equals brute force.
inline void checkTwinDevicesAgainstEnumeration(const std::string &solver,
                                               Objective objective,
                                               unsigned maxNodes) {
  RandomProblemOptions shape;
  shape.minNodes = 2;
  shape.maxNodes = maxNodes;
  shape.minDevices = shape.maxDevices = 3;
  unsigned twins = 0;
  for (uint64_t seed = 500; seed != 530; ++seed) {
    Problem problem = makeRandomProblem(seed, shape);
    makeDevicesTwins(problem);
    if (problem.platform.identicalDeviceClasses().size() != 2)
      continue;
    ++twins;
    double best = exhaustiveOptimum(problem, objective);
    MilpOptions options;
    options.objective = objective;
    options.solver = solver;
    auto outcome = solvePlacementMilp(problem, options);
    ASSERT_TRUE(bool(outcome))
        << "seed " << seed << ": " << llvm::toString(outcome.takeError());
    EXPECT_EQ(outcome->status, SolveStatus::Optimal) << "seed " << seed;
    EXPECT_NEAR(outcome->value, best, 1e-9 * std::max(best, 1.0))
        << "seed " << seed;
  }
  EXPECT_GT(twins, 20u);
}

} // namespace diviml::testing

#endif // DIVIML_TEST_MILPTESTSUPPORT_H
