//===- Milp.h - Exact MILP placement for latency and throughput -*- C++ -*-===//
//
// The MILPs of docs/milp.md, solved by the backend named in the options. A
// solution's value is exactly what evaluate() says of it: the latency MILP
// models the evaluator's list simulation (one priority order deciding every
// device and link queue), the throughput MILP its load formulas.
//
// solvePlacementMilp() also solves one module of a larger problem under
// boundary conditions (for the split heuristic); scheduleMilp() is the
// algorithm registered as "milp".
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_MILP_MILP_H
#define DIVIML_MILP_MILP_H

#include "diviml/Baselines/Algorithm.h"

#include <functional>
#include <optional>
#include <vector>

namespace diviml {

/// What the rest of a larger problem imposes on the module being solved.
/// Every vector is either empty (no condition) or sized like the module's
/// nodes, devices or links. Times in seconds, loads in seconds per sample.
struct MilpBoundary {
  /// Per node: the device it must run on, if any.
  std::vector<std::optional<unsigned>> fixedDevice;
  /// Latency, per node: earliest start (inputs from earlier modules).
  std::vector<double> releaseTime;
  /// Latency, per device: when all of its slots become free.
  std::vector<double> deviceReady;
  /// Latency, per link: when it becomes free.
  std::vector<double> linkReady;
  /// Per device: bytes already resident.
  std::vector<double> memoryUsed;
  /// Throughput, per device: busy seconds per sample already placed there
  /// (compute plus charged transfers, before dividing by the slots).
  std::vector<double> deviceLoad;
  /// Throughput, per link: seconds per sample already carried.
  std::vector<double> linkLoad;

  bool empty() const {
    return fixedDevice.empty() && releaseTime.empty() && deviceReady.empty() &&
           linkReady.empty() && memoryUsed.empty() && deviceLoad.empty() &&
           linkLoad.empty();
  }
};

struct MilpOptions {
  Objective objective = Objective::Latency;
  /// Wall-clock safety cap for the solver, seconds.
  double timeLimit = 60;
  /// Work budget (units of MilpLimits::workLimit), 0 for none:
  /// with it the outcome does not depend on the machine's load unless the
  /// time cap strikes first (MilpOutcome::timeLimitHit).
  double workLimit = 0;
  /// Called while branching with the incumbent and the bound, in seconds
  /// (per sample for throughput); the caller throttles printing.
  std::function<void(double incumbent, double bound)> progress;
  /// "glpk" or "cbc".
  std::string solver = "glpk";
  /// Stop once the incumbent is within this relative gap of the bound.
  double relativeGap = 0;
  MilpBoundary boundary;
  /// Candidate starting solutions (copy 0 only; `order` used for latency).
  /// Those that violate the boundary's fixed devices or memory are skipped;
  /// the best of the rest is the warm start and sets the big-M constants.
  std::vector<Solution> warmStarts;
  /// Latency: keep the best warm start (if one is admissible) instead of
  /// building the model when its job pairs x this exceed timeLimit (0: only
  /// the absolute size guard). A model whose root LP cannot be solved in the
  /// time only costs that time (and GLPK overruns its limit while building and
  /// presolving).
  double secondsPerJobPair = 0;
  /// The same guard in work: with a workLimit, the model is not built when
  /// its job pairs x this exceed workLimit (0: only the absolute guard).
  double workPerJobPair = 0;
  /// Throughput: with a workLimit, keep the best warm start (if one is
  /// admissible) instead of building the model when its nonzero terms x
  /// this exceed workLimit (0: never). On many devices a module's legs
  /// (tensor x link) make models whose building alone outlasts the share.
  double workPerTerm = 0;
};

struct MilpOutcome {
  /// Copy 0 only; for latency `order` is the MILP's priority order.
  Solution solution;
  /// Optimal, Timeout (stopped with an incumbent) or Infeasible (proven).
  SolveStatus status = SolveStatus::Infeasible;
  /// The objective of `solution` under the boundary conditions, seconds
  /// (latency) or seconds per sample (throughput); equals evaluate() when
  /// the boundary is empty.
  double value = kInfinity;
  /// Proven lower bound on the optimum, same units.
  double bound = 0;
  /// Objective of the solver's incumbent, same units (>= value).
  double solverObjective = kInfinity;
  double seconds = 0;
  /// Work spent (MilpLimits::workLimit units); whether the wall-clock cap
  /// stopped it.
  double work = 0;
  bool timeLimitHit = false;
  unsigned variables = 0, integerVariables = 0, rows = 0;
  bool warmStartUsed = false;
  /// False when the model was too large to build (latency: absolutely, or
  /// for the time limit; throughput: for the work, workPerTerm):
  /// `solution` is then the best warm start.
  bool built = true;
};

/// Solves the single-copy MILP. Infeasibility (e.g. memory) is an error
/// whose message names the reason; so is running out of time with no
/// solution at all (no usable warm start and none found).
llvm::Expected<MilpOutcome> solvePlacementMilp(const Problem &problem,
                                               const MilpOptions &options);

/// How a solution sits in the MILP: the model is built as for `options`
/// (warm starts ignored) and the solution's schedule mapped to a point.
struct MilpPointCheck {
  /// Largest relative violation of a bound, row or integrality (0: the
  /// point is feasible).
  double violation = 0;
  /// The worst row or bound.
  std::string worst;
  /// The objective at the point, seconds (per sample for throughput).
  double objective = 0;
};

/// For tests and diagnosis: every solution the evaluator accepts must map
/// to a feasible point with the evaluator's value. `solution.order` empty
/// means the topological order; the placement must be admissible.
llvm::Expected<MilpPointCheck> checkMilpPoint(const Problem &problem,
                                              const Solution &solution,
                                              const MilpOptions &options);

/// The "milp" algorithm: warm start from the heuristics, then the MILP of
/// options.objective; with options.dataParallel (throughput) also every
/// grouping of the devices into replicas.
llvm::Expected<AlgorithmResult> scheduleMilp(const Problem &problem,
                                             const AlgorithmOptions &options);

} // namespace diviml

#endif // DIVIML_MILP_MILP_H
