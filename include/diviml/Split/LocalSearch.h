//===- LocalSearch.h - Move-based improvement of a placement ----*- C++ -*-===//
//
// The last phase of the split heuristic's refinement, usable on any valid
// solution: move single nodes (a colocation group as one) to other devices,
// and for throughput re-split the nodes of two devices, while the objective
// improves, judged by the evaluator's own rules, until no move helps or the
// time is up. Docs in docs/split.md.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_SPLIT_LOCALSEARCH_H
#define DIVIML_SPLIT_LOCALSEARCH_H

#include "diviml/Model/Solution.h"

namespace diviml {

struct LocalSearchStats {
  /// Moves kept, full passes over the nodes, order changes kept (latency).
  unsigned moves = 0, passes = 0, reorders = 0;
  /// Whether the first descent ended because no move improved (else the
  /// work or time ran out).
  bool converged = false;
  /// Whether the iterated search ended at its horizon (not out of work or
  /// time), and whether the wall-clock cap stopped it.
  bool horizonReached = false, timeLimitHit = false;
  /// Work spent (LocalSearchLimits::work units).
  double work = 0;
  /// Moves of the first descent.
  unsigned descentMoves = 0;
  /// Kicks of the iterated search, and those that led to a better solution.
  unsigned kicks = 0, kicksKept = 0;
  /// Throughput: two-device re-splits kept.
  unsigned rebalances = 0;
};

/// When the search stops. Work counts trials: a latency trial costs the
/// nodes it re-simulates, a throughput trial the nodes whose loads it
/// moves, a two-device re-split its groups x 16; so the search does the same
/// on any machine under any load unless the wall-clock cap strikes.
struct LocalSearchLimits {
  /// Wall-clock safety cap, seconds.
  double seconds = 60;
  /// Work budget (units above); infinite for none.
  double work = 1e300;
  /// The iterated search stops after this many kicks in a row that did not
  /// improve the best solution (converged).
  unsigned horizon = 96;
  /// Throughput where transfers load the devices: two-device re-splits
  /// whose jobs charge their transfer legs; false for none (comparison).
  bool transferResplits = true;
  /// Throughput: two-device re-splits at all; false for moves only (the
  /// block pipeline's pattern refinement, whose groups are whole positions
  /// of many blocks).
  bool resplits = true;
  /// Throughput: the descent first tries a group only on the devices of
  /// its producers and consumers and on many-slot devices (a server's
  /// CPU), and on every device only once no such move helps: in a pipeline
  /// a stage trades ops with its neighbours and helpers, and such passes
  /// cost a few trials per group instead of one per device (the block
  /// pipeline's pattern refinement on clusters of tens of devices).
  bool neighbourMoves = false;
};

/// Improves `solution` (valid, single copy) in place for `objective`:
///  - throughput: a node moves when the max load, or at equal max load the
///    sum of squared loads, decreases (loads updated incrementally); when no
///    move helps, the nodes of the most loaded device and of another device
///    are re-split between the two by a dynamic program that minimises the
///    larger of the two loads (many nodes traded at once), kept when the
///    max load falls (where transfers load the devices, each group's job
///    charges its transfer legs: docs/split.md);
///  - latency: a node moves when the makespan, or at equal makespan the sum
///    of finish times, decreases, each trial simulated from the node's
///    position in the priority order on; after a pass without moves the
///    order is re-derived (start times, upward ranks of the placement) and
///    kept when better.
/// Once no move helps, the best solution so far is kicked (max(2, n/50)
/// nodes to random devices with room) and descended from again, the result
/// kept when better (iterated local search), until `limits.horizon` kicks in
/// a row gain nothing or the work or time runs out.
/// Memory and colocation stay satisfied. `solution.order` is filled for
/// latency. Never makes the solution worse.
LocalSearchStats improveByLocalSearch(const Problem &problem,
                                      Solution &solution, Objective objective,
                                      const LocalSearchLimits &limits);
/// The same with only a wall-clock cap (unlimited work, default horizon).
LocalSearchStats improveByLocalSearch(const Problem &problem,
                                      Solution &solution, Objective objective,
                                      double seconds);

/// Latency: tries the priority orders derived from `solution` (the start
/// times of its simulation, upward ranks over its placement, the
/// problem's topological order) and keeps the best if it beats the current
/// order (makespan, then sum of finishes). Returns whether it changed.
bool improveLatencyOrder(const Problem &problem, Solution &solution);

} // namespace diviml

#endif // DIVIML_SPLIT_LOCALSEARCH_H
