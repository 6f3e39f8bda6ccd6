//===- MilpSolver.h - A small MILP interface over GLPK and CBC --*- C++ -*-===//
//
// Formulations build a MilpModel (variables, rows, a minimised objective) and
// hand it to a MilpSolver chosen by name. The solver layer knows nothing of
// placement problems; it only turns a model into a status, an incumbent and
// a bound. Solvers never print: progress goes to spdlog at debug level.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_SOLVERS_MILPSOLVER_H
#define DIVIML_SOLVERS_MILPSOLVER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace diviml {

constexpr double kMilpInfinity = std::numeric_limits<double>::infinity();

enum class VarKind { Continuous, Integer, Binary };

struct MilpVariable {
  double lower = 0;
  double upper = kMilpInfinity;
  VarKind kind = VarKind::Continuous;
  /// Coefficient in the minimised objective.
  double objective = 0;
  std::string name;
};

/// coefficient * variable.
struct MilpTerm {
  unsigned var;
  double coef;
};

/// lower <= sum(terms) <= upper; either side may be infinite.
struct MilpRow {
  std::vector<MilpTerm> terms;
  double lower = -kMilpInfinity;
  double upper = kMilpInfinity;
  std::string name;
};

/// A minimisation problem. Names are optional and only used in messages.
class MilpModel {
public:
  unsigned addVariable(double lower, double upper, VarKind kind,
                       llvm::StringRef name = "");
  unsigned addContinuous(double lower, double upper,
                         llvm::StringRef name = "") {
    return addVariable(lower, upper, VarKind::Continuous, name);
  }
  unsigned addBinary(llvm::StringRef name = "") {
    return addVariable(0, 1, VarKind::Binary, name);
  }
  void setObjective(unsigned var, double coef) {
    variables[var].objective = coef;
  }
  /// Adds a row; terms on the same variable are merged, zero terms dropped.
  unsigned addRow(llvm::ArrayRef<MilpTerm> terms, double lower, double upper,
                  llvm::StringRef name = "");
  unsigned addLessEqual(llvm::ArrayRef<MilpTerm> terms, double rhs,
                        llvm::StringRef name = "") {
    return addRow(terms, -kMilpInfinity, rhs, name);
  }
  unsigned addGreaterEqual(llvm::ArrayRef<MilpTerm> terms, double rhs,
                           llvm::StringRef name = "") {
    return addRow(terms, rhs, kMilpInfinity, name);
  }
  unsigned addEqual(llvm::ArrayRef<MilpTerm> terms, double rhs,
                    llvm::StringRef name = "") {
    return addRow(terms, rhs, rhs, name);
  }

  unsigned numVariables() const { return variables.size(); }
  unsigned numRows() const { return rows.size(); }
  unsigned numIntegerVariables() const;
  size_t numNonZeros() const;
  const MilpVariable &variable(unsigned var) const { return variables[var]; }
  MilpVariable &variable(unsigned var) { return variables[var]; }
  const MilpRow &row(unsigned row) const { return rows[row]; }
  llvm::ArrayRef<MilpVariable> getVariables() const { return variables; }
  llvm::ArrayRef<MilpRow> getRows() const { return rows; }

  double objectiveValue(llvm::ArrayRef<double> values) const;
  /// The largest violation by `values` of a bound, a row or integrality,
  /// each measured relative to max(1, |bound|). Sets `what` to a description
  /// of the worst offender when given.
  double maxViolation(llvm::ArrayRef<double> values,
                      std::string *what = nullptr) const;
  /// Rejects NaN or infinite coefficients, empty or inverted bounds and
  /// bad variable indices (the backends would abort on them).
  llvm::Error validate() const;

private:
  std::vector<MilpVariable> variables;
  std::vector<MilpRow> rows;
};

enum class MilpStatus {
  /// The incumbent is proven optimal.
  Optimal,
  /// Stopped at the time limit with an incumbent.
  Feasible,
  /// Proven to have no solution.
  Infeasible,
  /// Stopped at the time limit without any solution.
  NoSolution,
};
llvm::StringRef stringifyMilpStatus(MilpStatus status);

/// What a backend may spend, and whom it tells while it works.
struct MilpLimits {
  /// Wall-clock safety cap in seconds. A solve that stops here depends on
  /// the machine's load; MilpResult::timeLimitHit reports it.
  double timeLimit = 60;
  /// Work budget, 0 for none. Work is (simplex iterations + branch-and-cut
  /// callbacks) x (rows + columns), which tracks time across model sizes
  /// (about 4 million a second on the reference 2-core machine). GLPK
  /// checks it between branch-and-bound steps and limits the root LP's
  /// iterations by it; CBC limits its nodes, a node counting as 50
  /// iterations. A solve stopped by it is deterministic: the same model
  /// and start give the same result on any machine under any load.
  double workLimit = 0;
  /// Stop when (incumbent - bound) <= relativeGap * |incumbent|.
  double relativeGap = 0;
  /// Called from the branch-and-bound (GLPK) with the incumbent (+inf
  /// without one) and the bound, in the model's objective units; the caller
  /// decides how often to print.
  std::function<void(double incumbent, double bound)> progress;
};

struct MilpSolveOptions : MilpLimits {
  /// A full or partial assignment (variable, value) used as the initial
  /// incumbent. A partial one is completed by solving the model with the
  /// given variables fixed; an infeasible one is ignored.
  std::vector<std::pair<unsigned, double>> warmStart;
};

struct MilpResult {
  MilpStatus status = MilpStatus::NoSolution;
  /// The incumbent, one value per variable (empty without one).
  std::vector<double> values;
  /// Objective of the incumbent (+inf without one).
  double objective = kMilpInfinity;
  /// A proven lower bound on the optimum (-inf when none is known).
  double bound = -kMilpInfinity;
  double seconds = 0;
  /// Work spent (the unit of MilpLimits::workLimit).
  double work = 0;
  /// Whether the solve stopped at the wall-clock cap (not at its work
  /// budget or gap): such a result may differ from run to run.
  bool timeLimitHit = false;
  /// Whether a warm start was given, feasible and handed to the backend.
  bool warmStartUsed = false;
};

/// One backend. solve() takes the whole model each time, so a solver object
/// holds no model state and can be reused.
class MilpSolver {
public:
  virtual ~MilpSolver();
  virtual llvm::StringRef name() const = 0;

  /// Solves `model`; errors only for invalid models or backend failures,
  /// never for infeasibility (that is a status). The result is never worse
  /// than a feasible warm start.
  llvm::Expected<MilpResult> solve(const MilpModel &model,
                                   const MilpSolveOptions &options);

protected:
  /// Backend hook: `start` is empty or a full assignment already checked to
  /// be feasible.
  virtual llvm::Expected<MilpResult>
  solveModel(const MilpModel &model, const MilpLimits &limits,
             llvm::ArrayRef<double> start) = 0;
};

/// Backends compiled into this build ("glpk", and "cbc" when CBC was found).
llvm::ArrayRef<llvm::StringRef> milpSolverNames();
/// The backend called `name`; an unknown name is an error listing the known.
llvm::Expected<std::unique_ptr<MilpSolver>>
createMilpSolver(llvm::StringRef name);

} // namespace diviml

#endif // DIVIML_SOLVERS_MILPSOLVER_H
