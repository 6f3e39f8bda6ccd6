//===- PropertyTest.cpp - Random-DAG properties of the core ---------------===//
//
// On seeded random problems: every algorithm returns a valid solution whose
// evaluated value is at least the lower bound, for both objectives; the
// evaluator reproduces greedy's own schedule; on tiny problems the bound
// stays below the optimum found by enumeration.
//
//===----------------------------------------------------------------------===//

#include "RandomProblem.h"

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Split/Symmetry.h"

#include "gtest/gtest.h"

#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <string>

using namespace diviml;
using namespace diviml::testing;

namespace {

constexpr Objective kObjectives[] = {Objective::Latency, Objective::Throughput};

/// Algorithms that call a MILP solver and run until their time limit.
bool isSolverBased(llvm::StringRef name) {
  return name == "milp" || name == "split";
}

/// Every algorithm's answer is valid and at least the bound, on `count`
/// problems from `first` drawn with `generator`.
void checkAlgorithmsAboveTheBound(uint64_t first, uint64_t count,
                                  const RandomProblemOptions &generator) {
  for (uint64_t seed = first; seed != first + count; ++seed) {
    Problem problem = makeRandomProblem(seed, generator);
    ASSERT_FALSE(bool(problem.check())) << "seed " << seed;
    for (Objective objective : kObjectives) {
      double bound = lowerBound(problem, objective);
      for (llvm::StringRef name : algorithmNames()) {
        // Solver-based algorithms on every tenth problem, with a short
        // budget: a timed-out answer must be just as valid.
        if (isSolverBased(name) && seed % 10 != 0)
          continue;
        SCOPED_TRACE(::testing::Message()
                     << "seed " << seed << ", " << name.str() << ", "
                     << stringifyObjective(objective).str());
        AlgorithmOptions options;
        options.objective = objective;
        options.timeLimit = 0.2;
        llvm::Expected<AlgorithmResult> result =
            runAlgorithm(name, problem, options);
        ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
        const Solution &solution = result->solution;
        llvm::Error invalid = verify(problem, solution);
        ASSERT_FALSE(bool(invalid)) << llvm::toString(std::move(invalid));
        Evaluation eval = evaluate(problem, solution, objective);
        ASSERT_TRUE(eval.feasible) << eval.reason;
        EXPECT_LE(bound, eval.value);
        if (objective == Objective::Latency) {
          EXPECT_EQ(solution.order.size(), problem.numNodes());
        }
        if (name == "greedy" && objective == Objective::Latency &&
            !problem.platform.runtime) {
          EXPECT_EQ(result->stats["makespan"], eval.value);
        }
        if (name == "greedy" && objective == Objective::Throughput &&
            !problem.platform.runtime) {
          EXPECT_NEAR(result->stats["max-load"], eval.value, 1e-9 * eval.value);
        }
      }
    }
  }
}

TEST(PropertyTest, EveryAlgorithmIsValidAndAboveTheBound) {
  checkAlgorithmsAboveTheBound(0, 250, RandomProblemOptions());
}

TEST(PropertyTest, EveryAlgorithmIsAboveTheBoundWithARuntime) {
  // Random platforms with a runtime: dispatch on the host thread, host ops
  // on it or not, synchronous copies (Problem::dispatchTime, hostTime).
  RandomProblemOptions generator;
  generator.runtime = 1;
  checkAlgorithmsAboveTheBound(5000, 120, generator);
}

/// Calls `visit` with every placement of the problem's nodes.
template <typename Visit>
void forEachPlacement(const Problem &problem, Visit visit) {
  unsigned n = problem.numNodes(), numDev = problem.numDevices();
  Solution solution;
  solution.device.assign(n, 0);
  while (true) {
    visit(solution);
    unsigned v = 0;
    while (v != n && ++solution.device[v] == numDev)
      solution.device[v++] = 0;
    if (v == n)
      return;
  }
}

/// The best latency and throughput over every valid placement (latency in
/// topological order only: still feasible solutions, so a valid bound stays
/// below their best).
std::array<double, 2> enumeratedOptima(const Problem &problem) {
  std::array<double, 2> best = {kInfinity, kInfinity};
  forEachPlacement(problem, [&](const Solution &solution) {
    if (llvm::Error err = verify(problem, solution)) {
      llvm::consumeError(std::move(err));
      return;
    }
    for (unsigned i = 0; i != 2; ++i)
      best[i] =
          std::min(best[i], evaluate(problem, solution, kObjectives[i]).value);
  });
  return best;
}

/// On tiny problems from `first` (on `count` seeds): the bound stays below
/// the optimum found by enumeration; returns how many were enumerated.
unsigned checkBoundBelowEnumeratedOptimum(uint64_t first, uint64_t count,
                                          double runtime) {
  RandomProblemOptions options;
  options.maxNodes = 6;
  options.colocation = 0.2;
  options.runtime = runtime;
  unsigned enumerated = 0;
  for (uint64_t seed = first; seed != first + count; ++seed) {
    Problem problem = makeRandomProblem(seed, options);
    double placements = std::pow(problem.numDevices(), problem.numNodes());
    if (placements > 5000)
      continue;
    ++enumerated;
    std::array<double, 2> best = enumeratedOptima(problem);
    for (unsigned i = 0; i != 2; ++i) {
      SCOPED_TRACE(::testing::Message()
                   << "seed " << seed << ", "
                   << stringifyObjective(kObjectives[i]).str());
      EXPECT_LT(best[i], kInfinity);
      EXPECT_LE(lowerBound(problem, kObjectives[i]), best[i]);
    }
    // No baseline beats the true throughput optimum.
    for (llvm::StringRef name : algorithmNames()) {
      AlgorithmOptions algorithmOptions;
      algorithmOptions.objective = Objective::Throughput;
      algorithmOptions.timeLimit = 1;
      llvm::Expected<AlgorithmResult> result =
          runAlgorithm(name, problem, algorithmOptions);
      EXPECT_TRUE(bool(result)) << llvm::toString(result.takeError());
      if (!result)
        continue;
      EXPECT_GE(
          evaluate(problem, result->solution, Objective::Throughput).value,
          best[1]);
    }
  }
  return enumerated;
}

TEST(PropertyTest, BoundStaysBelowEnumeratedOptimum) {
  EXPECT_GT(checkBoundBelowEnumeratedOptimum(1000, 150, 0), 50u);
}

TEST(PropertyTest, BoundStaysBelowEnumeratedOptimumWithARuntime) {
  EXPECT_GT(checkBoundBelowEnumeratedOptimum(7000, 150, 1), 50u);
}

/// Tiny problems shaped like the Tarnawski workloads, where the packing and
/// path-segment bounds win: a slow host and two accelerators that each hold
/// about 60 % of the model, transfers at 1 byte/s (or 0.5) charged to both
/// ends.
Problem makeTarnawskiLike(uint64_t seed) {
  std::mt19937_64 random(seed);
  auto uniform = [&](double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(random);
  };
  Platform platform;
  platform.devices = {{"cpu0", DeviceKind::Cpu},
                      {"acc0", DeviceKind::Accel},
                      {"acc1", DeviceKind::Accel}};
  platform.host = 0;
  platform.transfersOverlapCompute = false;
  // On odd seeds acc1's link is slower: devices with equal columns that
  // time windows tell apart.
  double slow = seed % 2 ? 0.5 : 1;
  platform.links = {
      {0, 1, 1, 0}, {1, 0, 1, 0}, {0, 2, slow, 0}, {2, 0, slow, 0}};
  Problem problem(platform);
  unsigned n = 5 + random() % 3;
  double totalMemory = 0;
  for (unsigned v = 0; v != n; ++v) {
    double t = uniform(0.5, 3);
    Node node{"n" + std::to_string(v), {10 * t, t, t}};
    node.memory = uniform(1, 10);
    if (v > 0 && random() % 6 == 0)
      node.colocationGroup = v - 1;
    if (v + 1 < n && random() % 6 == 0)
      node.colocationGroup = v;
    totalMemory += node.memory;
    problem.addNode(node);
    if (v > 0)
      problem.addEdge(v - 1, v, uniform(0.1, 4));
    if (v > 1 && random() % 3 == 0)
      problem.addEdge(random() % (v - 1), v, uniform(0.1, 4));
  }
  for (unsigned d = 1; d != 3; ++d)
    problem.platform.devices[d].memoryCapacity = 0.6 * totalMemory;
  return problem;
}

TEST(PropertyTest, CombinatorialBoundsStayBelowEnumeratedOptimum) {
  std::map<std::string, unsigned> wins;
  unsigned stronger = 0, checked = 0;
  for (uint64_t seed = 1; seed != 121; ++seed) {
    Problem problem = makeTarnawskiLike(seed);
    if (problem.check()) // A colocation group that fits no accelerator.
      continue;
    ++checked;
    std::array<double, 2> best = enumeratedOptima(problem);
    BoundBudget off{0, 0};
    for (unsigned i = 0; i != 2; ++i) {
      SCOPED_TRACE(::testing::Message()
                   << "seed " << seed << ", "
                   << stringifyObjective(kObjectives[i]).str());
      LowerBoundResult bound = computeLowerBound(problem, kObjectives[i]);
      EXPECT_LE(bound.value, best[i]);
      ++wins[bound.source];
      stronger += bound.value > lowerBound(problem, kObjectives[i], false, off);
    }
  }
  EXPECT_GT(checked, 60u);
  // The new bounds are exercised, and often win.
  EXPECT_GT(wins["packing"], 10u);
  EXPECT_GT(wins["path-segments"], 10u);
  EXPECT_GT(stronger, checked / 2);
}

/// Tiny ResNet-like chains on the Tarnawski-like platform: articulation
/// nodes joined by edges or blocks (a fork, a main branch of 1-2 nodes, a
/// skip branch of 0-1 nodes, a join), where the skip tensor is often large.
Problem makeResidualChain(uint64_t seed) {
  Problem problem = makeTarnawskiLike(seed);
  std::mt19937_64 random(seed * 7919 + 1);
  auto uniform = [&](double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(random);
  };
  Problem chain(problem.platform);
  double totalMemory = 0;
  auto node = [&]() {
    double t = uniform(0.5, 3);
    Node n{"n" + std::to_string(chain.numNodes()), {10 * t, t, t}};
    n.memory = uniform(1, 10);
    totalMemory += n.memory;
    return chain.addNode(n);
  };
  unsigned v = node();
  while (chain.numNodes() < 6) {
    if (chain.numNodes() > 3 || random() % 3 == 0) {
      unsigned w = node();
      chain.addEdge(v, w, uniform(0.1, 4));
      v = w;
      continue;
    }
    double forkBytes = uniform(0.1, 6);
    unsigned prev = v;
    for (unsigned i = 0, e = 1 + random() % 2; i != e; ++i) {
      unsigned w = node();
      chain.addEdge(prev, w, prev == v ? forkBytes : uniform(0.1, 4));
      prev = w;
    }
    unsigned skip = random() % 2 ? node() : ~0u;
    unsigned join = node();
    chain.addEdge(prev, join, uniform(0.1, 4));
    if (skip != ~0u) {
      chain.addEdge(v, skip, forkBytes);
      chain.addEdge(skip, join, uniform(0.1, 4));
    } else {
      chain.addEdge(v, join, forkBytes);
    }
    v = join;
  }
  for (unsigned d = 1; d != 3; ++d)
    chain.platform.devices[d].memoryCapacity = 0.4 * totalMemory;
  return chain;
}

TEST(PropertyTest, ResidualBlockBoundStaysBelowEnumeratedOptimum) {
  unsigned wins = 0, checked = 0;
  for (uint64_t seed = 1; seed != 81; ++seed) {
    Problem problem = makeResidualChain(seed);
    if (problem.numNodes() > 8)
      continue;
    ++checked;
    std::array<double, 2> best = enumeratedOptima(problem);
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    LowerBoundResult bound = computeLowerBound(problem, Objective::Latency);
    EXPECT_LE(bound.value, best[0]);
    wins += llvm::StringRef(bound.source) == "residual-blocks";
  }
  EXPECT_GT(checked, 60u);
  EXPECT_GT(wins, 5u);
}

TEST(PropertyTest, CopyPeriodBoundStaysBelowEnumeratedOptimum) {
  // Every device of the problem (with and without a runtime) holds the
  // copy: its bound is below the best throughput of any placement.
  RandomProblemOptions options;
  options.maxNodes = 6;
  options.colocation = 0.2;
  unsigned enumerated = 0;
  for (uint64_t seed = 4000; seed != 4150; ++seed) {
    options.runtime = seed % 2 ? 0.0 : 1.0;
    Problem problem = makeRandomProblem(seed, options);
    if (std::pow(problem.numDevices(), problem.numNodes()) > 5000)
      continue;
    ++enumerated;
    std::vector<unsigned> devices(problem.numDevices());
    std::iota(devices.begin(), devices.end(), 0);
    EXPECT_LE(copyPeriodLowerBound(problem, devices),
              enumeratedOptima(problem)[1] * (1 + 1e-12))
        << "seed " << seed;
  }
  EXPECT_GT(enumerated, 50u);
}

TEST(PropertyTest, ReplicatedSolutionsStayAboveTheThroughputBound) {
  RandomProblemOptions options;
  options.minDevices = 2;
  options.unsupported = 0;
  options.minMemoryShare = options.maxMemoryShare = 10;
  unsigned checked = 0;
  for (uint64_t seed = 2000; seed != 2200; ++seed) {
    Problem problem = makeRandomProblem(seed, options);
    Random random(seed);
    unsigned numDev = problem.numDevices();
    // Split the devices into two non-empty sets, one per copy.
    std::vector<std::vector<unsigned>> sets(2);
    for (unsigned d = 0; d != numDev; ++d)
      sets[d < 1 ? 0 : d < 2 ? 1 : random.below(2)].push_back(d);
    Solution solution;
    solution.replicas.resize(1);
    for (unsigned c = 0; c != 2; ++c) {
      std::vector<unsigned> &placement =
          c == 0 ? solution.device : solution.replicas[0];
      placement.assign(problem.numNodes(), 0);
      std::map<int, unsigned> groupDevice;
      for (unsigned v = 0, n = problem.numNodes(); v != n; ++v) {
        unsigned d = sets[c][random.below(sets[c].size())];
        int group = problem.nodes[v].colocationGroup;
        if (group >= 0)
          d = groupDevice.try_emplace(group, d).first->second;
        placement[v] = d;
      }
    }
    Evaluation eval = evaluate(problem, solution, Objective::Throughput);
    ASSERT_TRUE(eval.feasible) << "seed " << seed << ": " << eval.reason;
    ++checked;
    EXPECT_LE(throughputLowerBound(problem, /*dataParallel=*/true), eval.value)
        << "seed " << seed;
    // The rates of the copies add up.
    Solution first{solution.device, {}, {}};
    Solution second{solution.replicas[0], {}, {}};
    double rate = 1 / evaluate(problem, first, Objective::Throughput).value +
                  1 / evaluate(problem, second, Objective::Throughput).value;
    if (rate == kInfinity) {
      EXPECT_EQ(eval.value, 0) << "seed " << seed;
    } else {
      EXPECT_NEAR(eval.samplesPerSecond, rate, 1e-9 * rate) << "seed " << seed;
    }
  }
  EXPECT_EQ(checked, 200u);
}

} // namespace
