//===- GlpkSolver.cpp - The GLPK backend ----------------------------------===//
//
// GLPK's branch-and-cut runs without its MIP presolver so that the warm
// start, handed over through the GLP_IHEUR callback, is expressed in the
// columns of the original model. The root LP is solved first by the simplex
// method (glp_intopt requires it without presolve).
//
//===----------------------------------------------------------------------===//

#include "Backends.h"

#include "diviml/Solvers/GlpkGuard.h"

#include "spdlog/spdlog.h"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <functional>

using namespace diviml;

namespace {

using Clock = std::chrono::steady_clock;

/// GLPK's bound type for lower <= value <= upper.
int boundType(double lower, double upper) {
  bool hasLower = lower != -kMilpInfinity, hasUpper = upper != kMilpInfinity;
  if (hasLower && hasUpper)
    return lower == upper ? GLP_FX : GLP_DB;
  if (hasLower)
    return GLP_LO;
  return hasUpper ? GLP_UP : GLP_FR;
}

double finiteOr(double value, double fallback) {
  return std::isfinite(value) ? value : fallback;
}

/// GLPK takes milliseconds as an int.
int milliseconds(double seconds) {
  return int(std::clamp(seconds * 1000, 1.0, double(INT_MAX)));
}

/// Owns a glp_prob and restores GLPK's terminal output setting.
class GlpkProblem {
public:
  GlpkProblem() : previousTermOut(glp_term_out(GLP_OFF)) {
    prob = glp_create_prob();
  }
  ~GlpkProblem() {
    if (prob)
      glp_delete_prob(prob);
    glp_term_out(previousTermOut);
  }
  GlpkProblem(const GlpkProblem &) = delete;
  GlpkProblem &operator=(const GlpkProblem &) = delete;
  glp_prob *get() const { return prob; }
  /// After a guarded call failed, GLPK has freed the problem already.
  void forget() { prob = nullptr; }

private:
  int previousTermOut;
  glp_prob *prob;
};

/// State shared with the branch-and-cut callback.
struct CallbackState {
  /// 1-based full warm start, or empty.
  std::vector<double> start;
  bool startOffered = false;
  /// Best proven lower bound seen so far.
  double bound = -kMilpInfinity;
  /// GLPK checks its own time limit only between subproblems; the root's
  /// cut rounds on a large model can overrun it by seconds.
  Clock::time_point deadline;
  bool deadlineHit = false;
  /// Work allowed in all (0: no limit) and whether it ran out; work is
  /// (simplex iterations + callbacks) x (rows + columns).
  double workLimit = 0, size = 1;
  bool workHit = false;
  unsigned calls = 0, nodes = 0;
  const std::function<void(double, double)> *progress = nullptr;
};

void callback(glp_tree *tree, void *info) {
  auto *state = static_cast<CallbackState *>(info);
  glp_prob *prob = glp_ios_get_prob(tree);
  ++state->calls;
  int active, current, total;
  glp_ios_tree_size(tree, &active, &current, &total);
  state->nodes = total;
  if (state->workLimit > 0 &&
      (glp_get_it_cnt(prob) + state->calls) * state->size >= state->workLimit) {
    state->workHit = true;
    glp_ios_terminate(tree);
  } else if (Clock::now() > state->deadline) {
    state->deadlineHit = true;
    glp_ios_terminate(tree);
  }
  if (int best = glp_ios_best_node(tree))
    state->bound = std::max(state->bound, glp_ios_node_bound(tree, best));
  if (state->progress && *state->progress)
    (*state->progress)(glp_mip_status(prob) == GLP_FEAS ? glp_mip_obj_val(prob)
                                                        : kMilpInfinity,
                       state->bound);
  if (glp_ios_reason(tree) == GLP_IHEUR && !state->start.empty() &&
      !state->startOffered) {
    state->startOffered = true;
    int rejected = glp_ios_heur_sol(tree, state->start.data());
    spdlog::debug("milp[glpk]: warm start {}",
                  rejected ? "rejected (not better)" : "accepted");
  }
}

class GlpkSolver final : public MilpSolver {
public:
  llvm::StringRef name() const override { return "glpk"; }

protected:
  llvm::Expected<MilpResult> solveModel(const MilpModel &model,
                                        const MilpLimits &limits,
                                        llvm::ArrayRef<double> start) override;
};

} // namespace

llvm::Expected<MilpResult>
GlpkSolver::solveModel(const MilpModel &model, const MilpLimits &limits,
                       llvm::ArrayRef<double> start) {
  Clock::time_point began = Clock::now();
  double timeLimit = limits.timeLimit;
  GlpkProblem holder;
  glp_prob *prob = holder.get();
  glp_set_obj_dir(prob, GLP_MIN);
  unsigned n = model.numVariables(), m = model.numRows();
  bool integral = false;
  if (n)
    glp_add_cols(prob, n);
  for (unsigned j = 0; j != n; ++j) {
    const MilpVariable &var = model.variable(j);
    glp_set_col_bnds(prob, j + 1, boundType(var.lower, var.upper),
                     finiteOr(var.lower, 0), finiteOr(var.upper, 0));
    glp_set_obj_coef(prob, j + 1, var.objective);
    if (var.kind != VarKind::Continuous) {
      // GLP_BV would reset the bounds to [0, 1] and lose fixings.
      glp_set_col_kind(prob, j + 1, GLP_IV);
      integral = true;
    }
  }
  if (m)
    glp_add_rows(prob, m);
  // GLPK's sparse arrays are 1-based; entry 0 is unused.
  std::vector<int> rowIndex(1), colIndex(1);
  std::vector<double> value(1);
  for (unsigned i = 0; i != m; ++i) {
    const MilpRow &row = model.row(i);
    glp_set_row_bnds(prob, i + 1, boundType(row.lower, row.upper),
                     finiteOr(row.lower, 0), finiteOr(row.upper, 0));
    for (const MilpTerm &term : row.terms) {
      rowIndex.push_back(i + 1);
      colIndex.push_back(term.var + 1);
      value.push_back(term.coef);
    }
  }
  glp_load_matrix(prob, rowIndex.size() - 1, rowIndex.data(), colIndex.data(),
                  value.data());

  MilpResult result;
  auto elapsed = [&] {
    return std::chrono::duration<double>(Clock::now() - began).count();
  };

  // Like glpsol: scale the rows and columns, start from an advanced basis.
  // Without scaling the simplex method fails outright (GLP_EFAIL) on
  // big-M rows whose coefficients span a few orders of magnitude.
  auto failed = [&](const char *stage) {
    holder.forget();
    spdlog::warn("milp[glpk]: GLPK failed in {} (numerical trouble); the "
                 "solve ends without a solution",
                 stage);
    result.status = MilpStatus::NoSolution;
    return result;
  };
  glp_smcp lpParams;
  glp_init_smcp(&lpParams);
  lpParams.msg_lev = GLP_MSG_OFF;
  lpParams.tm_lim = milliseconds(timeLimit);
  // Work: (simplex iterations + branch-and-cut callbacks) x (rows +
  // columns), roughly proportional to time across model sizes.
  double size = std::max(1u, n + m);
  if (limits.workLimit > 0)
    lpParams.it_lim =
        int(std::clamp(limits.workLimit / size, 1.0, double(INT_MAX)));
  int lpCode = 0;
  if (!runGlpkGuarded([&] {
        glp_scale_prob(prob, GLP_SF_AUTO);
        if (m)
          glp_adv_basis(prob, 0);
        lpCode = glp_simplex(prob, &lpParams);
      }))
    return failed("the root LP");
  int lpStatus = glp_get_status(prob);
  result.work = glp_get_it_cnt(prob) * size;
  result.timeLimitHit = lpCode == GLP_ETMLIM;
  if (lpStatus == GLP_NOFEAS) {
    result.status = MilpStatus::Infeasible;
    return result;
  }
  if (lpStatus != GLP_OPT) {
    // Out of time (or numerically stuck) before the root LP was solved.
    spdlog::debug("milp[glpk]: root LP stopped (code {}, status {})", lpCode,
                  lpStatus);
    result.status = MilpStatus::NoSolution;
    return result;
  }
  double lpBound = glp_get_obj_val(prob);
  if (!integral) {
    result.status = MilpStatus::Optimal;
    result.objective = result.bound = lpBound;
    for (unsigned j = 0; j != n; ++j)
      result.values.push_back(glp_get_col_prim(prob, j + 1));
    return result;
  }

  CallbackState state;
  state.bound = lpBound;
  state.deadline =
      began + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(std::max(0.0, timeLimit)));
  state.workLimit = limits.workLimit;
  state.size = size;
  state.progress = &limits.progress;
  if (!start.empty()) {
    state.start.push_back(0);
    state.start.insert(state.start.end(), start.begin(), start.end());
    // glp_ios_heur_sol wants integer columns exactly integral.
    for (unsigned j = 0; j != n; ++j)
      if (model.variable(j).kind != VarKind::Continuous)
        state.start[j + 1] = std::round(state.start[j + 1]);
  }
  glp_iocp mipParams;
  glp_init_iocp(&mipParams);
  mipParams.msg_lev = GLP_MSG_OFF;
  mipParams.presolve = GLP_OFF;
  mipParams.tm_lim = milliseconds(timeLimit - elapsed());
  mipParams.mip_gap = limits.relativeGap;
  // Big-M rows make integrality slack expensive: a binary off by 1e-5
  // relaxes a row by 1e-5 * M.
  mipParams.tol_int = 1e-9;
  mipParams.mir_cuts = GLP_ON;
  mipParams.cov_cuts = GLP_ON;
  mipParams.clq_cuts = GLP_ON;
  mipParams.cb_func = callback;
  mipParams.cb_info = &state;
  int mipCode = 0;
  if (!runGlpkGuarded([&] { mipCode = glp_intopt(prob, &mipParams); }))
    return failed("branch-and-cut");
  int mipStatus = glp_mip_status(prob);
  result.work = (glp_get_it_cnt(prob) + state.calls) * size;
  result.timeLimitHit = mipCode == GLP_ETMLIM || state.deadlineHit;
  spdlog::debug("milp[glpk]: glp_intopt code {} status {}, {} iterations, {} "
                "nodes, {} callbacks{}",
                mipCode, mipStatus, result.work, state.nodes, state.calls,
                state.workHit ? " (work limit)" : "");
  bool finished = mipCode == 0;
  if (mipStatus == GLP_OPT) {
    result.status = MilpStatus::Optimal;
  } else if (mipStatus == GLP_FEAS) {
    result.status = MilpStatus::Feasible;
  } else if (mipStatus == GLP_NOFEAS && finished) {
    result.status = MilpStatus::Infeasible;
    return result;
  } else {
    result.status = MilpStatus::NoSolution;
    result.bound = state.bound;
    return result;
  }
  result.objective = glp_mip_obj_val(prob);
  for (unsigned j = 0; j != n; ++j)
    result.values.push_back(glp_mip_col_val(prob, j + 1));
  result.bound =
      result.status == MilpStatus::Optimal ? result.objective : state.bound;
  return result;
}

std::unique_ptr<MilpSolver> detail::createGlpkSolver() {
  return std::make_unique<GlpkSolver>();
}
