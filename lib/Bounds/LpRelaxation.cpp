//===- LpRelaxation.cpp - Load-balancing LP with GLPK ---------------------===//

#include "diviml/Bounds/LpRelaxation.h"
#include "diviml/Solvers/GlpkGuard.h"

#include "diviml/Model/Platform.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"

#include "spdlog/spdlog.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace diviml;

namespace {
/// Where the items go when each takes its cheapest device under given
/// multipliers: a supergradient of the Lagrangian dual.
struct Assignment {
  std::vector<double> load, bytes;
};
} // namespace

/// The Lagrangian bound; fills `assignment` when given.
static double lagrangian(const LoadBalancingLp &lp, std::vector<double> perSlot,
                         const std::vector<double> &perByte,
                         Assignment *assignment = nullptr) {
  unsigned numDev = lp.slots.size();
  // The T column contributes T * (1 - sum_d lambda_d slots_d), unbounded
  // below unless that factor is non-negative: scale lambda down if needed.
  double slotWeight = 0;
  for (unsigned d = 0; d != numDev; ++d)
    slotWeight += perSlot[d] * lp.slots[d];
  if (slotWeight > 1)
    for (double &lambda : perSlot)
      lambda /= slotWeight;
  if (assignment) {
    assignment->load.assign(numDev, 0);
    assignment->bytes.assign(numDev, 0);
  }
  double bound = lp.minT * std::max(0.0, 1 - std::min(slotWeight, 1.0));
  for (unsigned i = 0, e = lp.time.size(); i != e; ++i) {
    double cheapest = kInfinity;
    unsigned where = 0;
    for (unsigned d = 0; d != numDev; ++d) {
      if (lp.time[i][d] == kInfinity)
        continue;
      double cost = perSlot[d] * lp.time[i][d] + perByte[d] * lp.memory[i];
      if (cost < cheapest) {
        cheapest = cost;
        where = d;
      }
    }
    if (cheapest == kInfinity)
      continue; // Runs nowhere: check() rejects such problems.
    bound += cheapest;
    if (assignment) {
      assignment->load[where] += lp.time[i][where];
      assignment->bytes[where] += lp.memory[i];
    }
  }
  for (unsigned d = 0; d != numDev; ++d)
    if (perByte[d] > 0)
      bound -= perByte[d] * lp.capacity[d];
  return bound;
}

double diviml::lagrangianBound(const LoadBalancingLp &lp,
                               std::vector<double> perSlot,
                               const std::vector<double> &perByte) {
  return lagrangian(lp, std::move(perSlot), perByte);
}

namespace {
/// Owns a glp_prob.
struct GlpkProblem {
  glp_prob *lp = glp_create_prob();
  ~GlpkProblem() {
    if (lp)
      glp_delete_prob(lp);
  }
  /// Runs glp_simplex guarded; false when it failed or GLPK failed fatally
  /// (then GLPK has freed the problem already).
  bool simplex(const glp_smcp &parm) {
    int code = 0;
    if (!runGlpkGuarded([&] { code = glp_simplex(lp, &parm); })) {
      spdlog::warn("GLPK failed on a load-balancing LP (numerical trouble); "
                   "the bound falls back to a weaker one");
      lp = nullptr;
      return false;
    }
    return code == 0 && glp_get_status(lp) == GLP_OPT;
  }
};
} // namespace

/// The LP itself, by GLPK's simplex; its duals are then certified. None when
/// GLPK does not reach an optimum.
static std::optional<double> primalBound(const LoadBalancingLp &lp,
                                         std::vector<double> &multipliers) {
  unsigned numItems = lp.time.size(), numDev = lp.slots.size();
  // GLPK aborts the process on scale factors it cannot form; leave extreme
  // magnitudes to the dual path, which only does arithmetic.
  auto tame = [](double value) {
    return value == 0 || value == kInfinity ||
           (std::fabs(value) > 1e-100 && std::fabs(value) < 1e100);
  };
  for (unsigned i = 0; i != numItems; ++i)
    if (!tame(lp.memory[i]) || !llvm::all_of(lp.time[i], tame))
      return std::nullopt;
  if (!llvm::all_of(lp.capacity, tame) || !tame(lp.minT))
    return std::nullopt;
  GlpkProblem holder;
  glp_prob *prob = holder.lp;
  glp_set_obj_dir(prob, GLP_MIN);
  // Rows: items (= 1), device loads (<= 0), finite memories (<= capacity).
  glp_add_rows(prob, numItems + 2 * numDev);
  for (unsigned i = 0; i != numItems; ++i)
    glp_set_row_bnds(prob, 1 + i, GLP_FX, 1, 1);
  unsigned loadRow = 1 + numItems, memoryRow = loadRow + numDev;
  for (unsigned d = 0; d != numDev; ++d) {
    glp_set_row_bnds(prob, loadRow + d, GLP_UP, 0, 0);
    if (lp.capacity[d] != kInfinity)
      glp_set_row_bnds(prob, memoryRow + d, GLP_UP, 0, lp.capacity[d]);
    else
      glp_set_row_bnds(prob, memoryRow + d, GLP_FR, 0, 0);
  }
  std::vector<int> rows{0}, cols{0};
  std::vector<double> values{0};
  auto add = [&](int row, int col, double value) {
    rows.push_back(row);
    cols.push_back(col);
    values.push_back(value);
  };
  // Column 1 is T.
  glp_add_cols(prob, 1);
  glp_set_col_bnds(prob, 1, GLP_LO, lp.minT, 0);
  glp_set_obj_coef(prob, 1, 1);
  for (unsigned d = 0; d != numDev; ++d)
    add(loadRow + d, 1, -lp.slots[d]);
  for (unsigned i = 0; i != numItems; ++i) {
    for (unsigned d = 0; d != numDev; ++d) {
      if (lp.time[i][d] == kInfinity)
        continue;
      int col = glp_add_cols(prob, 1);
      glp_set_col_bnds(prob, col, GLP_LO, 0, 0);
      add(1 + i, col, 1);
      if (lp.time[i][d] != 0)
        add(loadRow + d, col, lp.time[i][d]);
      if (lp.capacity[d] != kInfinity && lp.memory[i] != 0)
        add(memoryRow + d, col, lp.memory[i]);
    }
  }
  glp_load_matrix(prob, rows.size() - 1, rows.data(), cols.data(),
                  values.data());
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  if (!holder.simplex(parm)) {
    spdlog::debug("load-balancing LP not solved");
    return std::nullopt;
  }
  // For a minimisation, a binding <= row has a non-positive dual; its
  // Lagrange multiplier is the negated dual.
  std::vector<double> perSlot(numDev), perByte(numDev, 0);
  for (unsigned d = 0; d != numDev; ++d) {
    perSlot[d] = std::max(0.0, -glp_get_row_dual(prob, loadRow + d));
    if (lp.capacity[d] != kInfinity)
      perByte[d] = std::max(0.0, -glp_get_row_dual(prob, memoryRow + d));
  }
  double certified = lagrangian(lp, perSlot, perByte);
  multipliers = std::move(perSlot);
  spdlog::debug("load-balancing LP: simplex {}, certified {}",
                glp_get_obj_val(prob), certified);
  return certified;
}

/// Kelley's cutting planes on the Lagrangian dual L(lambda, mu). It is
/// concave and piecewise linear; lambda ranges over the compact set
/// {lambda >= 0, sum_d lambda_d slots_d <= 1}. The master LP holds each
/// memory multiplier scaled by its capacity, nu_d = mu_d capacity_d, so its
/// coefficients (bytes_d / capacity_d - 1) are of the order of one, in a box
/// [0, 2 * numItems * largest time] (any box keeps the result a valid bound;
/// this one exceeds the LP's value). Capacities must be positive or
/// infinite. Each oracle call is one pass over the items and every iterate is
/// a valid bound; the best is returned.
static double dualCuttingPlaneBound(const LoadBalancingLp &lp,
                                    std::vector<double> lambda,
                                    std::vector<double> &multipliers) {
  unsigned numDev = lp.slots.size();
  std::vector<double> mu(numDev, 0);
  Assignment assignment;
  double best = lagrangian(lp, lambda, mu, &assignment);
  multipliers = lambda;
  double largestTime = 0;
  bool anyMemory = false;
  for (unsigned i = 0, e = lp.time.size(); i != e; ++i) {
    for (double t : lp.time[i])
      if (t != kInfinity)
        largestTime = std::max(largestTime, t);
    anyMemory |= lp.memory[i] > 0;
  }
  std::vector<int> memoryColumn(numDev, 0);
  GlpkProblem holder;
  glp_prob *master = holder.lp;
  glp_set_obj_dir(master, GLP_MAX);
  // Columns: lambda_1..lambda_D >= 0, theta (free, the objective), then nu_d
  // per finite capacity.
  glp_add_cols(master, numDev + 1);
  for (unsigned d = 0; d != numDev; ++d)
    glp_set_col_bnds(master, 1 + d, GLP_LO, 0, 0);
  int theta = numDev + 1;
  glp_set_col_bnds(master, theta, GLP_FR, 0, 0);
  glp_set_obj_coef(master, theta, 1);
  if (anyMemory && largestTime > 0) {
    double nuMax = 2 * largestTime * lp.time.size();
    for (unsigned d = 0; d != numDev; ++d) {
      if (lp.capacity[d] == kInfinity)
        continue;
      memoryColumn[d] = glp_add_cols(master, 1);
      glp_set_col_bnds(master, memoryColumn[d], GLP_DB, 0, nuMax);
    }
  }
  std::vector<int> index(2 * numDev + 2);
  std::vector<double> value(2 * numDev + 2);
  // Row 1: sum_d lambda_d slots_d <= 1.
  glp_add_rows(master, 1);
  glp_set_row_bnds(master, 1, GLP_UP, 0, 1);
  for (unsigned d = 0; d != numDev; ++d) {
    index[1 + d] = 1 + d;
    value[1 + d] = lp.slots[d];
  }
  glp_set_mat_row(master, 1, numDev, index.data(), value.data());
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  constexpr unsigned kMaxCuts = 400;
  for (unsigned cut = 0; cut != kMaxCuts; ++cut) {
    // Each item's minimum is at most its cost on the device it chose here,
    // so everywhere L <= minT (1 - sum lambda s) + sum_d lambda_d load_d
    // + sum_d nu_d (bytes_d / capacity_d - 1), with equality at this
    // iterate.
    int row = glp_add_rows(master, 1);
    glp_set_row_bnds(master, row, GLP_UP, 0, lp.minT);
    int length = 0;
    for (unsigned d = 0; d != numDev; ++d) {
      ++length;
      index[length] = 1 + d;
      value[length] = -(assignment.load[d] - lp.minT * lp.slots[d]);
    }
    ++length;
    index[length] = theta;
    value[length] = 1;
    for (unsigned d = 0; d != numDev; ++d) {
      if (!memoryColumn[d])
        continue;
      ++length;
      index[length] = memoryColumn[d];
      value[length] = -(assignment.bytes[d] / lp.capacity[d] - 1);
    }
    // Cuts of extreme magnitude (bytes near the largest double) break
    // GLPK's scaling; every iterate so far is a valid bound already.
    if (!llvm::all_of(llvm::ArrayRef<double>(value).slice(1, length),
                      [](double v) { return std::fabs(v) < 1e100; }))
      break;
    glp_set_mat_row(master, row, length, index.data(), value.data());
    if (!holder.simplex(parm))
      break;
    double upper = glp_get_obj_val(master);
    if (upper <= best + 1e-9 * std::fabs(best))
      break; // The best iterate is optimal to solver precision.
    for (unsigned d = 0; d != numDev; ++d) {
      lambda[d] = std::max(0.0, glp_get_col_prim(master, 1 + d));
      if (memoryColumn[d])
        mu[d] = std::max(0.0, glp_get_col_prim(master, memoryColumn[d])) /
                lp.capacity[d];
    }
    double value = lagrangian(lp, lambda, mu, &assignment);
    if (value > best) {
      best = value;
      multipliers = lambda;
    }
  }
  return best;
}

/// The same LP without zero capacities: a device holding no bytes is
/// closed to items with memory, and then it has no memory row left.
static LoadBalancingLp withoutZeroCapacities(LoadBalancingLp lp) {
  for (unsigned d = 0, e = lp.capacity.size(); d != e; ++d) {
    if (lp.capacity[d] != 0)
      continue;
    for (unsigned i = 0, n = lp.time.size(); i != n; ++i)
      if (lp.memory[i] > 0)
        lp.time[i][d] = kInfinity;
    lp.capacity[d] = kInfinity;
  }
  return lp;
}

double diviml::solveLoadBalancingBound(const LoadBalancingLp &lp,
                                       LpMethod method,
                                       std::vector<double> *multipliers) {
  if (llvm::is_contained(lp.capacity, 0.0))
    return solveLoadBalancingBound(withoutZeroCapacities(lp), method,
                                   multipliers);
  unsigned numItems = lp.time.size(), numDev = lp.slots.size();
  double totalSlots = 0;
  for (double s : lp.slots)
    totalSlots += s;
  std::vector<double> uniform(numDev, 1 / totalSlots), noMemory(numDev, 0);
  double fallback = std::max(lp.minT, lagrangian(lp, uniform, noMemory));
  if (multipliers)
    *multipliers = uniform;
  std::vector<double> found;
  if (numItems == 0)
    return fallback;
  // GLPK's simplex grows superlinearly with the assignment columns (about
  // 0.03 s at 2k columns, 2 s at 20k): beyond this size the dual is solved
  // by cutting planes instead.
  size_t columns = 0;
  for (const std::vector<double> &times : lp.time)
    columns += llvm::count_if(times, [](double t) { return t != kInfinity; });
  constexpr size_t kMaxPrimalColumns = 2000;
  if (method == LpMethod::Primal ||
      (method == LpMethod::Auto && columns <= kMaxPrimalColumns))
    if (std::optional<double> bound = primalBound(lp, found)) {
      if (*bound > fallback && multipliers)
        *multipliers = std::move(found);
      return std::max(fallback, *bound);
    }
  double bound = dualCuttingPlaneBound(lp, uniform, found);
  if (bound > fallback && multipliers)
    *multipliers = std::move(found);
  return std::max(fallback, bound);
}
