//===- LpRelaxation.cpp - Load-balancing LP with GLPK ---------------------===//

#include "LpRelaxation.h"

#include "diviml/Core/Platform.h"

#include "spdlog/spdlog.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>

using namespace diviml;

double diviml::lagrangianBound(const LoadBalancingLp &lp,
                               std::vector<double> perSlot,
                               const std::vector<double> &perByte) {
  unsigned numDev = lp.slots.size();
  // The T column contributes T * (1 - sum_d lambda_d slots_d), unbounded
  // below unless that factor is non-negative: scale lambda down if needed.
  double slotWeight = 0;
  for (unsigned d = 0; d != numDev; ++d)
    slotWeight += perSlot[d] * lp.slots[d];
  if (slotWeight > 1)
    for (double &lambda : perSlot)
      lambda /= slotWeight;
  double bound = lp.minT * std::max(0.0, 1 - std::min(slotWeight, 1.0));
  for (unsigned i = 0, e = lp.time.size(); i != e; ++i) {
    double cheapest = kInfinity;
    for (unsigned d = 0; d != numDev; ++d)
      if (lp.time[i][d] != kInfinity)
        cheapest = std::min(cheapest, perSlot[d] * lp.time[i][d] +
                                          perByte[d] * lp.memory[i]);
    bound += cheapest;
  }
  for (unsigned d = 0; d != numDev; ++d)
    if (perByte[d] > 0)
      bound -= perByte[d] * lp.capacity[d];
  return bound;
}

namespace {
/// Owns a glp_prob.
struct GlpkProblem {
  glp_prob *lp = glp_create_prob();
  ~GlpkProblem() { glp_delete_prob(lp); }
};
} // namespace

double diviml::solveLoadBalancingBound(const LoadBalancingLp &lp) {
  unsigned numItems = lp.time.size(), numDev = lp.slots.size();
  double totalSlots = 0;
  for (double s : lp.slots)
    totalSlots += s;
  std::vector<double> uniform(numDev, 1 / totalSlots), noMemory(numDev, 0);
  double fallback = std::max(lp.minT, lagrangianBound(lp, uniform, noMemory));
  if (numItems == 0)
    return fallback;

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
  int code = glp_simplex(prob, &parm);
  if (code != 0 || glp_get_status(prob) != GLP_OPT) {
    spdlog::debug("load-balancing LP not solved (code {}, status {}); using "
                  "the uniform bound",
                  code, glp_get_status(prob));
    return fallback;
  }
  // For a minimisation, a binding <= row has a non-positive dual; its
  // Lagrange multiplier is the negated dual.
  std::vector<double> perSlot(numDev), perByte(numDev, 0);
  for (unsigned d = 0; d != numDev; ++d) {
    perSlot[d] = std::max(0.0, -glp_get_row_dual(prob, loadRow + d));
    if (lp.capacity[d] != kInfinity)
      perByte[d] = std::max(0.0, -glp_get_row_dual(prob, memoryRow + d));
  }
  double certified = lagrangianBound(lp, perSlot, perByte);
  spdlog::debug("load-balancing LP: simplex {} , certified {}",
                glp_get_obj_val(prob), certified);
  return std::max(fallback, certified);
}
