//===- StopTest.cpp - Work budgets, stop reasons, the gap stop ------------===//
//
// The searches are budgeted in counted work with the wall clock only as a
// safety cap (docs/split.md, *Budget*): a work-limited solve gives the same
// answer every time and says it was not stopped by the clock; split says
// why it stopped.
//
//===----------------------------------------------------------------------===//

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/PlatformIO.h"
#include "diviml/Solvers/MilpSolver.h"
#include "diviml/Workloads/RandWire.h"

#include "gtest/gtest.h"

using namespace diviml;

namespace {

/// min -sum v_i x_i s.t. sum w_i x_i <= capacity, x binary: a knapsack
/// whose weights and values are close, so branch-and-bound needs many
/// nodes.
MilpModel knapsack(unsigned n) {
  MilpModel model;
  std::vector<MilpTerm> weights;
  for (unsigned i = 0; i != n; ++i) {
    unsigned x = model.addBinary();
    double weight = 1000 + 37 * ((i * 7919) % 101);
    model.setObjective(x, -(weight + 13 * ((i * 104729) % 17)));
    weights.push_back({x, weight});
  }
  model.addLessEqual(weights, 1000.5 * n / 2);
  return model;
}

unsigned stopCount(const AlgorithmResult &result) {
  unsigned count = 0;
  for (const auto &entry : result.stats)
    count += entry.getKey().starts_with("stop.");
  return count;
}

Problem randWire(unsigned nodes) {
  RandWireOptions shape;
  shape.nodes = nodes;
  return makeRandWireProblem(*presetPlatform("cpu-2gpu"), shape);
}

TEST(WorkLimitTest, AWorkLimitedSolveIsRepeatableAndNotTimed) {
  MilpModel model = knapsack(40);
  auto solver = createMilpSolver("glpk");
  ASSERT_TRUE(bool(solver)) << llvm::toString(solver.takeError());
  MilpSolveOptions options;
  options.workLimit = 20000;
  llvm::Expected<MilpResult> first = (*solver)->solve(model, options);
  llvm::Expected<MilpResult> second = (*solver)->solve(model, options);
  ASSERT_TRUE(bool(first)) << llvm::toString(first.takeError());
  ASSERT_TRUE(bool(second)) << llvm::toString(second.takeError());
  EXPECT_FALSE(first->timeLimitHit);
  EXPECT_GT(first->work, 0);
  EXPECT_EQ(first->work, second->work);
  EXPECT_EQ(first->status, second->status);
  EXPECT_EQ(first->objective, second->objective);
  EXPECT_EQ(first->values, second->values);
  // Without the limit the solve goes further: at least as good, and more
  // work.
  MilpSolveOptions unlimited;
  llvm::Expected<MilpResult> full = (*solver)->solve(model, unlimited);
  ASSERT_TRUE(bool(full)) << llvm::toString(full.takeError());
  EXPECT_EQ(full->status, MilpStatus::Optimal);
  EXPECT_LE(full->objective, first->objective);
  EXPECT_GE(full->work, first->work);
}

TEST(StopReasonTest, SplitWithoutRefinementCompletes) {
  Problem problem = randWire(14);
  AlgorithmOptions options;
  options.refine = false;
  llvm::Expected<AlgorithmResult> result =
      runAlgorithm("split", problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(stopCount(*result), 1u);
  EXPECT_EQ(result->stats.lookup("stop.completed"), 1);
}

TEST(StopReasonTest, RefinementConvergesLongBeforeTheCap) {
  // The iterated local search stops after SplitOptions::searchHorizon
  // fruitless kicks, not at the time limit.
  Problem problem = randWire(14);
  for (Objective objective : {Objective::Latency, Objective::Throughput}) {
    AlgorithmOptions options;
    options.objective = objective;
    options.refine = true;
    options.timeLimit = 600;
    llvm::Expected<AlgorithmResult> result =
        runAlgorithm("split", problem, options);
    ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
    EXPECT_EQ(stopCount(*result), 1u);
    EXPECT_EQ(result->stats.lookup("stop.converged"), 1)
        << stringifyObjective(objective).str();
    EXPECT_LT(result->stats.lookup("seconds.total"), 300);
  }
}

TEST(StopReasonTest, DefaultsOnA14OpModelAreRefinedFastAndStopByThemselves) {
  // Issue 17: the pass's defaults refine (windows, local search), give a
  // 14-op model (12 RandWire nodes + input and output) the value of
  // refine=true, the full MILP's proven throughput optimum, in well under a
  // second, and stop by themselves (not at the cap).
  Problem problem = randWire(12);
  ASSERT_EQ(problem.numNodes(), 14u);
  for (Objective objective : {Objective::Latency, Objective::Throughput}) {
    SCOPED_TRACE(stringifyObjective(objective).str());
    AlgorithmOptions options;
    options.objective = objective;
    ASSERT_TRUE(options.refine);
    llvm::Expected<AlgorithmResult> defaults =
        runAlgorithm("split", problem, options);
    ASSERT_TRUE(bool(defaults)) << llvm::toString(defaults.takeError());
    EXPECT_EQ(stopCount(*defaults), 1u);
    EXPECT_EQ(defaults->stats.lookup("stop.converged") +
                  defaults->stats.lookup("stop.optimal"),
              1);
    EXPECT_LT(defaults->stats.lookup("seconds.total"), 1.0);
    double value = evaluate(problem, defaults->solution, objective).value;
    // The throughput MILP proves its optimum in a fraction of a second;
    // the latency one rarely within minutes.
    options.timeLimit = objective == Objective::Throughput ? 30 : 3;
    llvm::Expected<AlgorithmResult> exact =
        runAlgorithm("milp", problem, options);
    ASSERT_TRUE(bool(exact)) << llvm::toString(exact.takeError());
    double best = evaluate(problem, exact->solution, objective).value;
    if (objective == Objective::Throughput) {
      ASSERT_EQ(exact->status, SolveStatus::Optimal);
      EXPECT_NEAR(value, best, 1e-9 * best);
    } else {
      // The latency MILP's best in 3 s (proven or not): split within 1 %.
      EXPECT_LE(value, best * 1.01);
    }
  }
}

TEST(StopReasonTest, AGapMetByTheBaselinesSkipsTheSearch) {
  // Every value is within 1000 % of the bound: the refinement never starts.
  Problem problem = randWire(30);
  AlgorithmOptions options;
  options.objective = Objective::Throughput;
  options.refine = true;
  options.gap = 10;
  llvm::Expected<AlgorithmResult> result =
      runAlgorithm("split", problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->stats.lookup("stop.gap"), 1);
  EXPECT_FALSE(result->stats.contains("local-search.work"));
  double bound = throughputLowerBound(problem);
  EXPECT_DOUBLE_EQ(result->stats.lookup("bound"), bound);
  EXPECT_LE(evaluate(problem, result->solution, options.objective).value,
            bound * 11);
}

TEST(StopReasonTest, TheMilpSaysItProvedOptimality) {
  Problem problem = randWire(4);
  AlgorithmOptions options;
  llvm::Expected<AlgorithmResult> result =
      runAlgorithm("milp", problem, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  ASSERT_EQ(result->status, SolveStatus::Optimal);
  EXPECT_EQ(stopCount(*result), 1u);
  EXPECT_EQ(result->stats.lookup("stop.optimal"), 1);
}

} // namespace
