//===- CbcSolver.cpp - The CBC backend (COIN-OR C interface) --------------===//

#include "Backends.h"

#include "spdlog/spdlog.h"

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <numeric>
#include <string>

using namespace diviml;

namespace {

/// Owns a Cbc_Model.
class CbcHandle {
public:
  CbcHandle() : model(Cbc_newModel()) {}
  ~CbcHandle() { Cbc_deleteModel(model); }
  CbcHandle(const CbcHandle &) = delete;
  CbcHandle &operator=(const CbcHandle &) = delete;
  Cbc_Model *get() const { return model; }

private:
  Cbc_Model *model;
};

/// COIN-OR's infinity is DBL_MAX; ours is IEEE infinity.
double coinBound(double value) {
  if (value == kMilpInfinity)
    return DBL_MAX;
  if (value == -kMilpInfinity)
    return -DBL_MAX;
  return value;
}

class CbcSolver final : public MilpSolver {
public:
  llvm::StringRef name() const override { return "cbc"; }

protected:
  llvm::Expected<MilpResult> solveModel(const MilpModel &model,
                                        const MilpLimits &limits,
                                        llvm::ArrayRef<double> start) override;
};

} // namespace

llvm::Expected<MilpResult> CbcSolver::solveModel(const MilpModel &model,
                                                 const MilpLimits &limits,
                                                 llvm::ArrayRef<double> start) {
  double timeLimit = limits.timeLimit, relativeGap = limits.relativeGap;
  unsigned n = model.numVariables(), m = model.numRows();
  // Column-major copy of the row-major model.
  std::vector<CoinBigIndex> columnStart(n + 1, 0);
  for (const MilpRow &row : model.getRows())
    for (const MilpTerm &term : row.terms)
      ++columnStart[term.var + 1];
  std::partial_sum(columnStart.begin(), columnStart.end(), columnStart.begin());
  std::vector<CoinBigIndex> next(columnStart.begin(), columnStart.end() - 1);
  std::vector<int> rowIndex(columnStart[n]);
  std::vector<double> value(columnStart[n]);
  for (unsigned i = 0; i != m; ++i) {
    for (const MilpTerm &term : model.row(i).terms) {
      CoinBigIndex k = next[term.var]++;
      rowIndex[k] = i;
      value[k] = term.coef;
    }
  }
  std::vector<double> colLower(n), colUpper(n), objective(n), rowLower(m),
      rowUpper(m);
  for (unsigned j = 0; j != n; ++j) {
    const MilpVariable &var = model.variable(j);
    colLower[j] = coinBound(var.lower);
    colUpper[j] = coinBound(var.upper);
    objective[j] = var.objective;
  }
  for (unsigned i = 0; i != m; ++i) {
    rowLower[i] = coinBound(model.row(i).lower);
    rowUpper[i] = coinBound(model.row(i).upper);
  }

  CbcHandle handle;
  Cbc_Model *cbc = handle.get();
  Cbc_loadProblem(cbc, n, m, columnStart.data(), rowIndex.data(), value.data(),
                  colLower.data(), colUpper.data(), objective.data(),
                  rowLower.data(), rowUpper.data());
  Cbc_setObjSense(cbc, 1);
  for (unsigned j = 0; j != n; ++j)
    if (model.variable(j).kind != VarKind::Continuous)
      Cbc_setInteger(cbc, j);
  Cbc_setLogLevel(cbc, 0);
  Cbc_setMaximumSeconds(cbc, std::max(timeLimit, 0.01));
  // CBC's C interface limits nodes, not iterations: a node counts as 50
  // iterations (work units as GLPK's: iterations x (rows + columns)).
  double size = std::max(1u, n + m);
  if (limits.workLimit > 0)
    Cbc_setMaximumNodes(cbc, int(std::clamp(limits.workLimit / (50 * size), 1.0,
                                            double(INT_MAX))));
  Cbc_setAllowableFractionGap(cbc, relativeGap);
  Cbc_setAllowableGap(cbc, 0);
  // Big-M rows make integrality slack expensive (see GlpkSolver.cpp).
  Cbc_setParameter(cbc, "integerTolerance", "1e-9");
  // The budget is wall-clock time, like GLPK's.
  Cbc_setParameter(cbc, "timeMode", "elapsed");
  // The warm start becomes a cutoff rather than a Cbc_setMIPStart: CBC
  // 2.10.8 crashes in CglPreProcess::postProcess when the time limit strikes
  // on a model given a MIP start, and turning its preprocessing off instead
  // trips an assertion in OsiClpSolverInterface::crunch and, on some of our
  // models, a wrong "optimal" (see docs/milp.md). With a cutoff just above
  // the start's objective CBC searches only for better solutions; when it
  // finds none the start stands (MilpSolver::solve falls back to it).
  double startObjective = 0;
  for (unsigned j = 0, e = start.size(); j != e; ++j)
    startObjective += model.variable(j).objective * start[j];
  if (!start.empty())
    Cbc_setCutoff(cbc, startObjective +
                           1e-7 * std::max(1.0, std::fabs(startObjective)));
  int code = Cbc_solve(cbc);
  spdlog::debug("milp[cbc]: Cbc_solve code {} status {} secondary {}", code,
                Cbc_status(cbc), Cbc_secondaryStatus(cbc));

  MilpResult result;
  result.work = Cbc_getIterationCount(cbc) * size;
  // Status 1 with secondary 3 (CBC's node limit) is the work budget;
  // anything else that stopped early is the wall clock.
  result.timeLimitHit = Cbc_status(cbc) == 1 && !Cbc_isNodeLimitReached(cbc) &&
                        !Cbc_isProvenOptimal(cbc);
  // A pure LP never enters branch-and-bound, which is what records
  // Cbc_bestSolution.
  const double *best = model.numIntegerVariables() ? Cbc_bestSolution(cbc)
                       : Cbc_isProvenOptimal(cbc)  ? Cbc_getColSolution(cbc)
                                                   : nullptr;
  bool finished = Cbc_status(cbc) == 0;
  if (!start.empty() && !best && finished) {
    // Nothing beats the start: it is optimal.
    result.status = MilpStatus::Optimal;
    result.values.assign(start.begin(), start.end());
    result.objective = startObjective;
    result.bound = startObjective;
    return result;
  }
  if (Cbc_isProvenInfeasible(cbc) && !best) {
    result.status = MilpStatus::Infeasible;
    return result;
  }
  double bound = Cbc_getBestPossibleObjValue(cbc);
  if (std::isfinite(bound) && std::fabs(bound) < 1e300)
    result.bound = bound;
  if (!best) {
    result.status = MilpStatus::NoSolution;
    return result;
  }
  result.values.assign(best, best + n);
  result.objective = Cbc_getObjValue(cbc);
  result.status = Cbc_isProvenOptimal(cbc) && relativeGap == 0
                      ? MilpStatus::Optimal
                      : MilpStatus::Feasible;
  return result;
}

std::unique_ptr<MilpSolver> detail::createCbcSolver() {
  return std::make_unique<CbcSolver>();
}
