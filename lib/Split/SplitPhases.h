//===- SplitPhases.h - The phases of the split heuristic --------*- C++ -*-===//
//
// Private to lib/Split. The driver (Split.cpp) builds the modules, then runs
// the forward pass and the window refinement of the objective at hand
// (SplitLatency.cpp, SplitThroughput.cpp), then local search.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_SPLITPHASES_H
#define DIVIML_LIB_SPLITPHASES_H

#include "SplitSupport.h"
#include "diviml/Split/Split.h"

#include <optional>

namespace diviml::split {

/// Everything the phases share.
struct Context {
  Context(const Problem &problem, const AlgorithmOptions &options,
          const SplitOptions &split, const ModulePlan &plan, double deadline)
      : problem(problem), options(options), split(split), plan(plan),
        groups(problem), routes(problem.platform), deadline(deadline) {}

  const Problem &problem;
  const AlgorithmOptions &options;
  const SplitOptions &split;
  const ModulePlan &plan;
  Groups groups;
  RouteTable routes;
  /// Whole solutions of the baselines (greedy, HEFT) offered as candidates.
  std::vector<Solution> baselines;
  /// The wall-clock safety cap (secondsNow() time): every MILP's time limit
  /// is what is left of it.
  double deadline;
};

/// Counts for the report.
struct PhaseStats {
  unsigned milpRuns = 0, milpOptimal = 0, milpImproved = 0, milpErrors = 0;
  /// MILPs whose latency model was too large for their time (not built).
  unsigned milpSkipped = 0;
  /// Wall time in solvePlacementMilp() (model building included).
  double milpSeconds = 0;
  /// Simplex iterations spent by the MILPs (the unit of their budgets).
  double milpWork = 0;
  /// MILPs stopped by the wall-clock cap rather than their work budget.
  unsigned timeLimitHits = 0;
  unsigned windowsImproved = 0;
  /// Status of the last module MILP (the whole problem's when one module).
  std::optional<SolveStatus> lastStatus;
  double lastBound = 0;
};

/// Spreads a work budget (simplex iterations) over a number of MILPs: each
/// gets the work left divided by the MILPs left, so work a quick solve does
/// not use goes to the later ones. Counted, not timed: the shares are the
/// same on any machine under any load.
class Budget {
public:
  /// `work` over `parts` MILPs, none getting more than `maximum`; the work
  /// spent is read from `stats.milpWork`.
  Budget(double work, unsigned parts, double minimum, double maximum,
         const PhaseStats &stats);
  /// The next MILP's share, at most `maximum`, or 0 when it should be
  /// skipped (its share is below `minimum`). Counts the part as used.
  double next();

private:
  double total, startWork;
  unsigned left;
  double minimum, maximum;
  const PhaseStats &stats;
};

/// solvePlacementMilp() with the counts of `stats` kept; `what` names the
/// MILP in debug messages.
llvm::Expected<MilpOutcome> solveCounted(const Problem &problem,
                                         const MilpOptions &options,
                                         PhaseStats &stats,
                                         const llvm::Twine &what);

/// The refinement windows: for every seam between adjacent modules, the
/// last half of the one and the first half of the next (maxModuleSize
/// nodes in all), as [begin, end) positions in the concatenation of the
/// modules (the priority order of a latency solution).
std::vector<std::pair<size_t, size_t>> seamWindows(const ModulePlan &plan,
                                                   unsigned size);

MilpOptions moduleMilpOptions(const Context &context, double seconds,
                              bool wholeProblem);

/// Module MILPs in module order with everything before fixed; every
/// module also gets the heuristic candidates (greedy extension, the
/// baselines' placements) and keeps the best by exact simulation.
llvm::Expected<Solution> latencyForward(const Context &context, Budget &budget,
                                        PhaseStats &stats);
llvm::Expected<Solution> throughputForward(const Context &context,
                                           Budget &budget, PhaseStats &stats);

/// Re-solves windows of adjacent modules with the rest fixed, keeping
/// improvements of the whole problem's value.
void latencyWindows(const Context &context, Budget &budget, Solution &current,
                    PhaseStats &stats);
void throughputWindows(const Context &context, Budget &budget,
                       Solution &current, PhaseStats &stats);

} // namespace diviml::split

#endif // DIVIML_LIB_SPLITPHASES_H
