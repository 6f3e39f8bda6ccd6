//===- MilpSolver.cpp - Model, warm-start handling, backend registry ------===//

#include "diviml/Solvers/MilpSolver.h"

#include "Backends.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include "spdlog/spdlog.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

using namespace diviml;

static llvm::Error modelError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

unsigned MilpModel::addVariable(double lower, double upper, VarKind kind,
                                llvm::StringRef name) {
  if (kind == VarKind::Binary) {
    lower = std::max(lower, 0.0);
    upper = std::min(upper, 1.0);
  }
  variables.push_back({lower, upper, kind, 0, name.str()});
  return variables.size() - 1;
}

unsigned MilpModel::addRow(llvm::ArrayRef<MilpTerm> terms, double lower,
                           double upper, llvm::StringRef name) {
  MilpRow row;
  row.lower = lower;
  row.upper = upper;
  row.name = name.str();
  // Formulations build rows from overlapping sums; the backends want each
  // column at most once per row.
  for (const MilpTerm &term : terms) {
    auto it = llvm::find_if(row.terms, [&](const MilpTerm &other) {
      return other.var == term.var;
    });
    if (it != row.terms.end())
      it->coef += term.coef;
    else
      row.terms.push_back(term);
  }
  llvm::erase_if(row.terms, [](const MilpTerm &t) { return t.coef == 0; });
  rows.push_back(std::move(row));
  return rows.size() - 1;
}

unsigned MilpModel::numIntegerVariables() const {
  return llvm::count_if(variables, [](const MilpVariable &v) {
    return v.kind != VarKind::Continuous;
  });
}

size_t MilpModel::numNonZeros() const {
  size_t count = 0;
  for (const MilpRow &row : rows)
    count += row.terms.size();
  return count;
}

double MilpModel::objectiveValue(llvm::ArrayRef<double> values) const {
  double total = 0;
  for (unsigned j = 0, e = variables.size(); j != e; ++j)
    total += variables[j].objective * values[j];
  return total;
}

double MilpModel::maxViolation(llvm::ArrayRef<double> values,
                               std::string *what) const {
  double worst = 0;
  auto note = [&](double violation, const llvm::Twine &description) {
    if (violation > worst) {
      worst = violation;
      if (what)
        *what = description.str();
    }
  };
  auto relative = [](double amount, double bound) {
    return amount / std::max(1.0, std::fabs(bound));
  };
  if (values.size() != variables.size())
    return kMilpInfinity;
  for (unsigned j = 0, e = variables.size(); j != e; ++j) {
    const MilpVariable &var = variables[j];
    double x = values[j];
    if (std::isnan(x))
      return kMilpInfinity;
    note(relative(var.lower - x, var.lower),
         "lower bound of " + llvm::Twine(var.name));
    note(relative(x - var.upper, var.upper),
         "upper bound of " + llvm::Twine(var.name));
    if (var.kind != VarKind::Continuous)
      note(std::fabs(x - std::round(x)),
           "integrality of " + llvm::Twine(var.name));
  }
  for (const MilpRow &row : rows) {
    double activity = 0;
    for (const MilpTerm &term : row.terms)
      activity += term.coef * values[term.var];
    note(relative(row.lower - activity, row.lower),
         "lower side of row " + llvm::Twine(row.name));
    note(relative(activity - row.upper, row.upper),
         "upper side of row " + llvm::Twine(row.name));
  }
  return worst;
}

llvm::Error MilpModel::validate() const {
  auto finite = [](double x) { return std::isfinite(x); };
  for (const MilpVariable &var : variables) {
    if (std::isnan(var.lower) || std::isnan(var.upper) ||
        var.lower > var.upper || var.lower == kMilpInfinity ||
        var.upper == -kMilpInfinity)
      return modelError(llvm::formatv("variable '{0}' has bounds [{1}, {2}]",
                                      var.name, var.lower, var.upper));
    if (!finite(var.objective))
      return modelError(
          llvm::formatv("variable '{0}' has objective coefficient {1}",
                        var.name, var.objective));
  }
  for (const MilpRow &row : rows) {
    if (std::isnan(row.lower) || std::isnan(row.upper) ||
        row.lower > row.upper || row.lower == kMilpInfinity ||
        row.upper == -kMilpInfinity)
      return modelError(llvm::formatv("row '{0}' has bounds [{1}, {2}]",
                                      row.name, row.lower, row.upper));
    for (const MilpTerm &term : row.terms) {
      if (term.var >= variables.size())
        return modelError(
            llvm::formatv("row '{0}' names variable {1}, but there are {2}",
                          row.name, term.var, variables.size()));
      if (!finite(term.coef))
        return modelError(
            llvm::formatv("row '{0}' has coefficient {1} on variable '{2}'",
                          row.name, term.coef, variables[term.var].name));
    }
  }
  return llvm::Error::success();
}

llvm::StringRef diviml::stringifyMilpStatus(MilpStatus status) {
  switch (status) {
  case MilpStatus::Optimal:
    return "optimal";
  case MilpStatus::Feasible:
    return "feasible";
  case MilpStatus::Infeasible:
    return "infeasible";
  case MilpStatus::NoSolution:
    return "no-solution";
  }
  llvm_unreachable("unknown MILP status");
}

MilpSolver::~MilpSolver() = default;

/// Tolerance for accepting a warm start: the backends' own feasibility
/// tolerances are of this order, and a start built from exact schedule
/// arithmetic is off only by rounding.
static constexpr double kStartTolerance = 1e-6;

/// The largest magnitude of a coefficient or finite bound handed to a
/// backend. Beyond it GLPK's scaling fails (it aborts the process) and both
/// backends' tolerances lose all meaning; such models (a tensor of 2^500
/// bytes, a workload field of 1e308) are not solved: solve() keeps the warm
/// start, if any, as its answer.
static constexpr double kMaxSafeMagnitude = 1e30;

/// Describes the first value of `model` beyond kMaxSafeMagnitude, or "".
static std::string unsafeMagnitude(const MilpModel &model) {
  auto unsafe = [](double value) {
    return std::isfinite(value) && std::fabs(value) > kMaxSafeMagnitude;
  };
  for (const MilpVariable &var : model.getVariables())
    if (unsafe(var.lower) || unsafe(var.upper) || unsafe(var.objective))
      return "variable '" + var.name + "'";
  for (const MilpRow &row : model.getRows()) {
    if (unsafe(row.lower) || unsafe(row.upper))
      return "the bounds of row '" + row.name + "'";
    for (const MilpTerm &term : row.terms)
      if (unsafe(term.coef))
        return "row '" + row.name + "'";
  }
  return "";
}

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}
} // namespace

llvm::Expected<MilpResult> MilpSolver::solve(const MilpModel &model,
                                             const MilpSolveOptions &options) {
  Clock::time_point began = Clock::now();
  if (llvm::Error err = model.validate())
    return std::move(err);
  unsigned n = model.numVariables();
  for (const auto &[var, value] : options.warmStart)
    if (var >= n || !std::isfinite(value))
      return modelError(llvm::formatv(
          "warm start sets variable {0} to {1}; the model has {2} variables "
          "and values must be finite",
          var, value, n));

  // Rows without terms are constants: decide them here; the backends see
  // only real rows.
  std::optional<MilpModel> cleaned;
  for (const MilpRow &row : model.getRows()) {
    if (!row.terms.empty())
      continue;
    if (row.lower > 0 || row.upper < 0) {
      MilpResult infeasible;
      infeasible.status = MilpStatus::Infeasible;
      infeasible.seconds = secondsSince(began);
      return infeasible;
    }
    if (!cleaned) {
      cleaned.emplace();
      for (const MilpVariable &var : model.getVariables()) {
        unsigned j =
            cleaned->addVariable(var.lower, var.upper, var.kind, var.name);
        cleaned->setObjective(j, var.objective);
      }
      for (const MilpRow &kept : model.getRows())
        if (!kept.terms.empty())
          cleaned->addRow(kept.terms, kept.lower, kept.upper, kept.name);
    }
  }
  const MilpModel &solved = cleaned ? *cleaned : model;
  std::string unsafe = unsafeMagnitude(solved);
  if (!unsafe.empty())
    spdlog::warn("milp[{}]: {} holds a magnitude above {:g}; the model is "
                 "not solved",
                 name(), unsafe, kMaxSafeMagnitude);

  // Turn the warm start into a full, checked assignment.
  std::vector<double> start;
  double completionWork = 0;
  if (!options.warmStart.empty()) {
    std::vector<bool> given(n, false);
    std::vector<double> values(n, 0);
    for (const auto &[var, value] : options.warmStart) {
      given[var] = true;
      values[var] = value;
    }
    if (llvm::all_of(given, [](bool g) { return g; })) {
      start = std::move(values);
    } else if (!unsafe.empty()) {
      // Completing the start would need the backend.
    } else {
      // Fix what is given and let the backend find the rest.
      MilpModel fixed = solved;
      for (unsigned j = 0; j != n; ++j) {
        if (!given[j])
          continue;
        MilpVariable &var = fixed.variable(j);
        var.lower = var.upper =
            var.kind == VarKind::Continuous ? values[j] : std::round(values[j]);
      }
      MilpLimits completion;
      completion.timeLimit = 0.25 * options.timeLimit;
      completion.workLimit = 0.25 * options.workLimit;
      llvm::Expected<MilpResult> completed = solveModel(fixed, completion, {});
      if (completed)
        completionWork = completed->work;
      if (!completed)
        return completed.takeError();
      if (completed->status == MilpStatus::Optimal ||
          completed->status == MilpStatus::Feasible)
        start = std::move(completed->values);
      else
        spdlog::debug("milp[{}]: the partial warm start has no completion "
                      "({}); ignored",
                      name(), stringifyMilpStatus(completed->status).str());
    }
    if (!start.empty()) {
      std::string worst;
      double violation = model.maxViolation(start, &worst);
      if (violation > kStartTolerance) {
        spdlog::debug("milp[{}]: warm start violates {} by {}; ignored", name(),
                      worst, violation);
        start.clear();
      }
    }
  }

  MilpLimits limits = options;
  limits.timeLimit = std::max(0.0, options.timeLimit - secondsSince(began));
  if (options.workLimit > 0)
    limits.workLimit = std::max(1.0, options.workLimit - completionWork);
  llvm::Expected<MilpResult> result =
      unsafe.empty() ? solveModel(solved, limits, start) : MilpResult();
  if (!result)
    return result.takeError();
  result->work += completionWork;
  result->warmStartUsed = !start.empty();
  if (!start.empty()) {
    double startObjective = model.objectiveValue(start);
    bool worse = result->values.empty() || startObjective < result->objective ||
                 result->status == MilpStatus::NoSolution;
    if (worse) {
      // The backend lost or never took the start: it is still a solution.
      result->values = start;
      result->objective = startObjective;
      if (result->status == MilpStatus::NoSolution)
        result->status = MilpStatus::Feasible;
    }
  }
  if (!result->values.empty())
    result->bound = std::min(result->bound, result->objective);
  if (result->status == MilpStatus::Optimal)
    result->bound = result->objective;
  result->seconds = secondsSince(began);
  spdlog::debug("milp[{}]: {} vars ({} integer), {} rows: {} objective {} "
                "bound {} in {:.3f} s",
                name(), model.numVariables(), model.numIntegerVariables(),
                model.numRows(), stringifyMilpStatus(result->status).str(),
                result->objective, result->bound, result->seconds);
  return result;
}

llvm::ArrayRef<llvm::StringRef> diviml::milpSolverNames() {
#ifdef DIVIML_HAVE_CBC
  static const llvm::StringRef names[] = {"glpk", "cbc"};
#else
  static const llvm::StringRef names[] = {"glpk"};
#endif
  return names;
}

llvm::Expected<std::unique_ptr<MilpSolver>>
diviml::createMilpSolver(llvm::StringRef name) {
  if (name == "glpk")
    return detail::createGlpkSolver();
#ifdef DIVIML_HAVE_CBC
  if (name == "cbc")
    return detail::createCbcSolver();
#endif
  std::string known;
  for (llvm::StringRef candidate : milpSolverNames())
    known += (known.empty() ? "" : ", ") + candidate.str();
  return modelError(llvm::formatv(
      "unknown MILP solver '{0}' (this build has: {1})", name, known));
}
