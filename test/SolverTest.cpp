//===- SolverTest.cpp - The MILP solver layer on hand-solved models -------===//

#include "diviml/Solvers/MilpSolver.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace diviml;

namespace {

/// max 5a + 4b + 3c  s.t. 2a + 3b + c <= 5, 4a + b + 2c <= 11,
/// 3a + 4b + 2c <= 8, a, b, c in {0, 1, 2, ...} — minimised as the negation.
/// Integer optimum by enumeration over a, b, c <= 4: (2, 0, 1) with 13;
/// the LP optimum is also 13 at (2, 0, 1).
MilpModel smallIntegerProgram(unsigned vars[3]) {
  MilpModel model;
  const double profit[3] = {5, 4, 3};
  for (unsigned i = 0; i != 3; ++i) {
    vars[i] = model.addVariable(0, 10, VarKind::Integer, "x");
    model.setObjective(vars[i], -profit[i]);
  }
  model.addLessEqual({{vars[0], 2}, {vars[1], 3}, {vars[2], 1}}, 5);
  model.addLessEqual({{vars[0], 4}, {vars[1], 1}, {vars[2], 2}}, 11);
  model.addLessEqual({{vars[0], 3}, {vars[1], 4}, {vars[2], 2}}, 8);
  return model;
}

/// A knapsack whose LP relaxation is fractional: weights 3, 4, 5, 6, values
/// 4, 5, 7, 8, capacity 10. Subsets by enumeration: {3,5} -> 11, {4,6} -> 13,
/// {4,5} -> 12, {3,6} -> 12, {3,4} -> 9; best 13 with items 1 and 3.
MilpModel knapsack(std::vector<unsigned> &items) {
  MilpModel model;
  const double weight[4] = {3, 4, 5, 6}, worth[4] = {4, 5, 7, 8};
  std::vector<MilpTerm> capacity;
  for (unsigned i = 0; i != 4; ++i) {
    items.push_back(model.addBinary("item"));
    model.setObjective(items.back(), -worth[i]);
    capacity.push_back({items.back(), weight[i]});
  }
  model.addLessEqual(capacity, 10, "capacity");
  return model;
}

class SolverTest : public ::testing::TestWithParam<std::string> {
protected:
  std::unique_ptr<MilpSolver> solver() {
    auto created = createMilpSolver(GetParam());
    EXPECT_TRUE(bool(created)) << llvm::toString(created.takeError());
    return std::move(*created);
  }
};

TEST_P(SolverTest, SolvesSmallIntegerProgram) {
  unsigned vars[3];
  MilpModel model = smallIntegerProgram(vars);
  auto result = solver()->solve(model, {});
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->status, MilpStatus::Optimal);
  EXPECT_NEAR(result->objective, -13, 1e-9);
  EXPECT_NEAR(result->bound, -13, 1e-9);
  EXPECT_NEAR(result->values[vars[0]], 2, 1e-9);
  EXPECT_NEAR(result->values[vars[1]], 0, 1e-9);
  EXPECT_NEAR(result->values[vars[2]], 1, 1e-9);
}

TEST_P(SolverTest, SolvesKnapsackWithFractionalRelaxation) {
  std::vector<unsigned> items;
  MilpModel model = knapsack(items);
  auto result = solver()->solve(model, {});
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->status, MilpStatus::Optimal);
  EXPECT_NEAR(result->objective, -13, 1e-9);
  EXPECT_NEAR(result->values[items[1]], 1, 1e-9);
  EXPECT_NEAR(result->values[items[3]], 1, 1e-9);
  EXPECT_EQ(model.maxViolation(result->values), 0);
}

TEST_P(SolverTest, SolvesPureLp) {
  // min x + y s.t. x + 2y >= 4, 3x + y >= 6: vertex x = 1.6, y = 1.2, 2.8.
  MilpModel model;
  unsigned x = model.addContinuous(0, kMilpInfinity, "x");
  unsigned y = model.addContinuous(0, kMilpInfinity, "y");
  model.setObjective(x, 1);
  model.setObjective(y, 1);
  model.addGreaterEqual({{x, 1}, {y, 2}}, 4);
  model.addGreaterEqual({{x, 3}, {y, 1}}, 6);
  auto result = solver()->solve(model, {});
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->status, MilpStatus::Optimal);
  EXPECT_NEAR(result->objective, 2.8, 1e-9);
  EXPECT_NEAR(result->values[x], 1.6, 1e-9);
}

TEST_P(SolverTest, ReportsInfeasible) {
  // a + b >= 3 with two binaries cannot hold.
  MilpModel model;
  unsigned a = model.addBinary("a"), b = model.addBinary("b");
  model.setObjective(a, 1);
  model.addGreaterEqual({{a, 1}, {b, 1}}, 3);
  auto result = solver()->solve(model, {});
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->status, MilpStatus::Infeasible);
  EXPECT_TRUE(result->values.empty());
}

TEST_P(SolverTest, ReportsIntegerInfeasibleWithFeasibleRelaxation) {
  // 2a = 1 holds for a = 0.5 only.
  MilpModel model;
  unsigned a = model.addVariable(0, 5, VarKind::Integer, "a");
  model.addEqual({{a, 2}}, 1);
  auto result = solver()->solve(model, {});
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->status, MilpStatus::Infeasible);
}

TEST_P(SolverTest, AcceptsFullWarmStartAndStillOptimises) {
  std::vector<unsigned> items;
  MilpModel model = knapsack(items);
  MilpSolveOptions options;
  // Items 0 and 2: weight 8, value 11 — feasible, not optimal.
  options.warmStart = {
      {items[0], 1}, {items[1], 0}, {items[2], 1}, {items[3], 0}};
  auto result = solver()->solve(model, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_TRUE(result->warmStartUsed);
  EXPECT_EQ(result->status, MilpStatus::Optimal);
  EXPECT_NEAR(result->objective, -13, 1e-9);
}

TEST_P(SolverTest, CompletesPartialWarmStart) {
  // Only item 3 given (value 8); the completion picks the best rest (item
  // 1: 13) or any feasible rest; either way the start is usable.
  std::vector<unsigned> items;
  MilpModel model = knapsack(items);
  MilpSolveOptions options;
  options.warmStart = {{items[3], 1}};
  auto result = solver()->solve(model, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_TRUE(result->warmStartUsed);
  EXPECT_EQ(result->status, MilpStatus::Optimal);
  EXPECT_NEAR(result->objective, -13, 1e-9);
}

TEST_P(SolverTest, IgnoresInfeasibleWarmStart) {
  std::vector<unsigned> items;
  MilpModel model = knapsack(items);
  MilpSolveOptions options;
  // All items: weight 18 > 10.
  options.warmStart = {
      {items[0], 1}, {items[1], 1}, {items[2], 1}, {items[3], 1}};
  auto result = solver()->solve(model, options);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_FALSE(result->warmStartUsed);
  EXPECT_NEAR(result->objective, -13, 1e-9);
}

TEST_P(SolverTest, PrintsNothing) {
  std::vector<unsigned> items;
  MilpModel model = knapsack(items);
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  auto result = solver()->solve(model, {});
  std::string out = testing::internal::GetCapturedStdout();
  std::string err = testing::internal::GetCapturedStderr();
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(out, "");
  EXPECT_EQ(err, "");
}

TEST_P(SolverTest, RejectsNonFiniteCoefficient) {
  MilpModel model;
  unsigned a = model.addBinary("a");
  model.addLessEqual({{a, std::nan("")}}, 1, "bad");
  auto result = solver()->solve(model, {});
  ASSERT_FALSE(bool(result));
  EXPECT_NE(llvm::toString(result.takeError()).find("row 'bad'"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, SolverTest,
    ::testing::ValuesIn(std::vector<std::string>(milpSolverNames().begin(),
                                                 milpSolverNames().end())),
    [](const auto &info) { return info.param; });

TEST(SolverRegistryTest, UnknownNameListsKnownOnes) {
  auto created = createMilpSolver("gurobi");
  ASSERT_FALSE(bool(created));
  std::string message = llvm::toString(created.takeError());
  EXPECT_NE(message.find("unknown MILP solver 'gurobi'"), std::string::npos);
  EXPECT_NE(message.find("glpk"), std::string::npos);
}

TEST(SolverRegistryTest, CbcIsBuiltWhenFound) {
#ifdef DIVIML_HAVE_CBC
  EXPECT_EQ(milpSolverNames().size(), 2u);
#else
  EXPECT_EQ(milpSolverNames().size(), 1u);
#endif
}

TEST(MilpModelTest, MergesDuplicateTermsAndMeasuresViolation) {
  MilpModel model;
  unsigned a = model.addContinuous(0, 10, "a");
  // a + a - 2a... merged to 3a <= 6.
  model.addLessEqual({{a, 1}, {a, 2}}, 6, "row");
  ASSERT_EQ(model.row(0).terms.size(), 1u);
  EXPECT_EQ(model.row(0).terms[0].coef, 3);
  std::string what;
  // a = 3: 3a = 9 exceeds 6 by 3, relative to |6| -> 0.5.
  EXPECT_DOUBLE_EQ(model.maxViolation({3.0}, &what), 0.5);
  EXPECT_EQ(what, "upper side of row row");
  EXPECT_EQ(model.maxViolation({2.0}), 0);
}

} // namespace
