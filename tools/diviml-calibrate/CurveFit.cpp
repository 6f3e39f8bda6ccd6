//===- CurveFit.cpp - Efficiency curves fitted to measured op times -------===//

#include "CurveFit.h"

#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace diviml;

double diviml::roundSignificant(double value, int digits) {
  if (value == 0 || !std::isfinite(value))
    return value;
  // Through text, so that the stored double is the one "%.4g" reads back.
  char text[32];
  std::snprintf(text, sizeof(text), "%.*g", digits, value);
  return std::strtod(text, nullptr);
}

namespace {

/// One sample's position on the knot grid: log10(eff) at the sample is
/// w0 * y[k0] + w1 * y[k0 + 1] (w1 = 0 at and beyond the ends).
struct Hat {
  unsigned k0 = 0;
  double w0 = 1, w1 = 0;
};

Hat hatOf(double x, const std::vector<double> &knots) {
  if (x <= knots.front())
    return {0, 1, 0};
  if (x >= knots.back())
    return {unsigned(knots.size() - 1), 1, 0};
  unsigned k = 0;
  while (x > knots[k + 1])
    ++k;
  double t = (x - knots[k]) / (knots[k + 1] - knots[k]);
  return {k, 1 - t, t};
}

class KnotFit {
public:
  KnotFit(llvm::ArrayRef<CurveSample> samples, const CurveFitOptions &options)
      : samples(samples), options(options) {
    for (const CurveSample &s : samples) {
      assert(s.size > 0 && s.roof > 0 && s.measured > 0 && "bad sample");
      xs.push_back(std::log10(s.size));
      logMeasured.push_back(std::log(s.measured));
    }
    double lo = std::floor(*std::min_element(xs.begin(), xs.end()));
    double hi = std::ceil(*std::max_element(xs.begin(), xs.end()));
    for (double k = lo; k <= hi; k += 1)
      knots.push_back(k);
    if (knots.size() == 1)
      knots.push_back(lo + 1);
    touching.resize(knots.size());
    for (unsigned i = 0; i != samples.size(); ++i) {
      hats.push_back(hatOf(xs[i], knots));
      touching[hats[i].k0].push_back(i);
      if (hats[i].w1 != 0)
        touching[hats[i].k0 + 1].push_back(i);
    }
    y.assign(knots.size(), startValue());
  }

  void run() {
    for (unsigned sweep = 0; sweep != options.sweeps; ++sweep)
      for (unsigned k = 0; k != knots.size(); ++k)
        if (!touching[k].empty())
          y[k] = searchKnot(k);
    // A knot no sample touches only shapes the curve beyond the data, which
    // is cut off below; copying the nearest fitted knot keeps it harmless.
    llvm::SmallVector<unsigned> fitted;
    for (unsigned k = 0; k != knots.size(); ++k)
      if (!touching[k].empty())
        fitted.push_back(k);
    for (unsigned k = 0; k != knots.size(); ++k) {
      if (!touching[k].empty())
        continue;
      unsigned nearest = fitted.front();
      for (unsigned h : fitted)
        if (std::abs(int(h) - int(k)) < std::abs(int(nearest) - int(k)))
          nearest = h;
      y[k] = y[nearest];
    }
  }

  EfficiencyCurve curve() const {
    EfficiencyCurve full;
    for (unsigned k = 0; k != knots.size(); ++k)
      full.points.push_back({std::pow(10.0, knots[k]), std::pow(10.0, y[k])});
    // Cut to the sampled sizes: the curve is flat beyond its end points, so
    // nothing is extrapolated past what was measured.
    double smin = std::pow(10.0, *std::min_element(xs.begin(), xs.end()));
    double smax = std::pow(10.0, *std::max_element(xs.begin(), xs.end()));
    std::vector<std::pair<double, double>> cut{{smin, full.at(smin)}};
    for (const auto &point : full.points)
      if (point.first > smin && point.first < smax)
        cut.push_back(point);
    if (smax > smin)
      cut.push_back({smax, full.at(smax)});
    EfficiencyCurve result;
    for (auto [size, eff] : cut) {
      size = roundSignificant(size);
      eff = roundSignificant(eff);
      if (result.points.empty() || size > result.points.back().first)
        result.points.push_back({size, eff});
    }
    auto &p = result.points;
    while (p.size() > 2 && p[0].second == p[1].second)
      p.erase(p.begin());
    while (p.size() > 2 && p[p.size() - 1].second == p[p.size() - 2].second)
      p.pop_back();
    return result;
  }

private:
  /// The median log10 efficiency with the fixed time taken off (at most 80 %
  /// of the measurement, so that tiny ops do not give infinite efficiencies).
  double startValue() const {
    std::vector<double> values;
    for (const CurveSample &s : samples)
      values.push_back(std::log10(
          s.roof / std::max(s.measured - s.fixed, 0.2 * s.measured)));
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  }

  double penalty(unsigned j) const {
    if (j == 0 || j + 1 >= knots.size())
      return 0;
    return std::abs(y[j - 1] - 2 * y[j] + y[j + 1]);
  }

  /// The part of the objective that depends on y[k], with y[k] = value.
  double costAt(unsigned k, double value) {
    double saved = y[k];
    y[k] = value;
    double cost = 0;
    for (unsigned i : touching[k]) {
      const Hat &h = hats[i];
      double logEff = h.w0 * y[h.k0] + (h.w1 != 0 ? h.w1 * y[h.k0 + 1] : 0);
      const CurveSample &s = samples[i];
      cost += std::abs(std::log(s.roof / std::pow(10.0, logEff) + s.fixed) -
                       logMeasured[i]);
    }
    for (unsigned j = k == 0 ? 0 : k - 1; j <= k + 1; ++j)
      cost += options.smoothing * penalty(j);
    y[k] = saved;
    return cost;
  }

  /// Grid search of y[k]: log10(eff) in [-5, 1.5] by 0.1, then +-0.1 around
  /// the best by 0.005, then +-0.005 by 0.0001. Ties go to the value closest
  /// to the current one, then to the first in grid order.
  double searchKnot(unsigned k) {
    double current = y[k];
    auto best = [&](double center, double step, int from, int to) {
      double bestValue = 0, bestCost = 0;
      for (int g = from; g <= to; ++g) {
        double value = center + step * g;
        double cost = costAt(k, value);
        if (g == from || cost < bestCost ||
            (cost == bestCost &&
             std::abs(value - current) < std::abs(bestValue - current))) {
          bestValue = value;
          bestCost = cost;
        }
      }
      return bestValue;
    };
    double coarse = best(-5.0, 0.1, 0, 65);
    double fine = best(coarse, 0.005, -20, 20);
    return best(fine, 0.0001, -50, 50);
  }

  llvm::ArrayRef<CurveSample> samples;
  const CurveFitOptions &options;
  std::vector<double> xs, logMeasured, knots, y;
  std::vector<Hat> hats;
  std::vector<llvm::SmallVector<unsigned>> touching;
};

} // namespace

EfficiencyCurve diviml::fitEfficiencyCurve(llvm::ArrayRef<CurveSample> samples,
                                           const CurveFitOptions &options) {
  assert(!samples.empty() && "fitting a curve needs samples");
  KnotFit fit(samples, options);
  fit.run();
  return fit.curve();
}
