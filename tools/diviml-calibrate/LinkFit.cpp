//===- LinkFit.cpp - Copy latency and bandwidth from timings --------------===//

#include "LinkFit.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

using namespace diviml;

namespace {

/// Weighted least squares of relative residuals (a + b x_i) / m_i - 1, each
/// squared residual weighted by w_i; `throughOrigin` fixes a = 0.
void solve(llvm::ArrayRef<CopySample> samples, const std::vector<double> &w,
           bool throughOrigin, double &a, double &b) {
  // Normal equations of sum w_i (a u_i + b v_i - 1)^2 with u = 1/m, v = x/m.
  double suu = 0, suv = 0, svv = 0, su = 0, sv = 0;
  for (unsigned i = 0; i != samples.size(); ++i) {
    double u = 1 / samples[i].seconds, v = samples[i].bytes * u;
    suu += w[i] * u * u;
    suv += w[i] * u * v;
    svv += w[i] * v * v;
    su += w[i] * u;
    sv += w[i] * v;
  }
  if (throughOrigin) {
    a = 0;
    b = sv / svv;
    return;
  }
  double det = suu * svv - suv * suv;
  a = (su * svv - sv * suv) / det;
  b = (suu * sv - suv * su) / det;
}

} // namespace

AffineFit diviml::fitAffine(llvm::ArrayRef<CopySample> samples) {
  assert(samples.size() >= 2 && "an affine fit needs two samples");
  std::vector<double> w(samples.size(), 1.0);
  double a = 0, b = 0;
  bool throughOrigin = false;
  // IRLS for the L1 norm: weights 1/|r| (floored at 1e-6 so an exactly
  // fitted point does not take all the weight). A fixed count keeps the
  // result independent of convergence tests.
  for (unsigned iteration = 0; iteration != 50; ++iteration) {
    solve(samples, w, throughOrigin, a, b);
    if (a < 0) {
      throughOrigin = true;
      solve(samples, w, true, a, b);
    }
    for (unsigned i = 0; i != samples.size(); ++i) {
      double r = (a + b * samples[i].bytes) / samples[i].seconds - 1;
      w[i] = 1 / std::max(std::abs(r), 1e-6);
    }
  }
  AffineFit fit;
  fit.latency = a;
  fit.bandwidth = 1 / b;
  std::vector<double> errors;
  for (const CopySample &s : samples) {
    double p = a + b * s.bytes;
    errors.push_back(std::max(p / s.seconds, s.seconds / p));
  }
  std::sort(errors.begin(), errors.end());
  fit.medianError =
      errors.size() % 2
          ? errors[errors.size() / 2]
          : (errors[errors.size() / 2 - 1] + errors[errors.size() / 2]) / 2;
  fit.maxError = errors.back();
  return fit;
}
