//===- LpRelaxation.h - LP relaxation of load balancing ---------*- C++ -*-===//
//
// The fractional assignment LP that both lower bounds use; see
// docs/objectives.md for why its optimum bounds each objective.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_BOUNDS_LPRELAXATION_H
#define DIVIML_BOUNDS_LPRELAXATION_H

#include <vector>

namespace diviml {

/// min T  s.t.  sum_d x[i][d] = 1,  x >= 0 (x[i][d] = 0 where time is
/// infinite),  sum_i time[i][d] x[i][d] <= T * slots[d],
/// sum_i memory[i] x[i][d] <= capacity[d] (finite capacities),  T >= minT.
struct LoadBalancingLp {
  /// Per item (a node or a colocation group), per device.
  std::vector<std::vector<double>> time;
  std::vector<double> memory;
  /// Per device.
  std::vector<double> slots, capacity;
  double minT = 0;
};

enum class LpMethod {
  /// Primal for small LPs, dual beyond a few thousand assignment columns.
  Auto,
  /// The whole LP with GLPK's simplex, memory rows included.
  Primal,
  /// Kelley's cutting planes on the Lagrangian dual (load and memory
  /// multipliers, the latter boxed); time linear in the items per cut.
  Dual,
};

/// A lower bound on the LP optimum, certified by weak duality: multipliers
/// (the simplex duals, or the cutting-plane iterates) are turned into a
/// Lagrangian bound computed in plain arithmetic, so solver tolerances cannot
/// push it above the true optimum. It is never below the uniform-multiplier
/// bound (total fastest work over total slots) nor below minT. When
/// `multipliers` is given it receives the load-row multipliers (one per
/// device, >= 0) of the best Lagrangian bound found: weights under which
/// the packing bound (docs/objectives.md) compares work across devices.
double solveLoadBalancingBound(const LoadBalancingLp &lp,
                               LpMethod method = LpMethod::Auto,
                               std::vector<double> *multipliers = nullptr);

/// The Lagrangian bound for multipliers `perSlot` (load rows, >= 0) and
/// `perByte` (memory rows, >= 0); exposed for tests.
double lagrangianBound(const LoadBalancingLp &lp, std::vector<double> perSlot,
                       const std::vector<double> &perByte);

} // namespace diviml

#endif // DIVIML_BOUNDS_LPRELAXATION_H
