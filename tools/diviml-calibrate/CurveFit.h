//===- CurveFit.h - Efficiency curves fitted to measured op times -*- C++
//-*-===//
//
// Fits the EfficiencyCurve of one op class on one device to measured times:
// predicted time = roof / eff(size) + fixed, with log10(eff) piecewise linear
// in log10(size) between one knot per decade. The objective and the search
// are in docs/cost-model.md ("Calibration"). Free of MLIR and deterministic.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TOOLS_CALIBRATE_CURVEFIT_H
#define DIVIML_TOOLS_CALIBRATE_CURVEFIT_H

#include "diviml/Model/Platform.h"

#include "llvm/ADT/ArrayRef.h"

namespace diviml {

/// One measured op on one device.
struct CurveSample {
  /// The curve's size measure of the op (efficiencySize()), > 0.
  double size = 0;
  /// The plain roofline seconds (no curve, no launch), > 0.
  double roof = 0;
  /// Seconds the model adds outside the curve (launch, first touch).
  double fixed = 0;
  /// Measured seconds, > 0.
  double measured = 0;
};

struct CurveFitOptions {
  /// Weight of the L1 penalty on second differences of log10(eff), in units
  /// of one op's |ln(predicted / measured)|.
  double smoothing = 2.0;
  /// Cyclic coordinate sweeps over the knots.
  unsigned sweeps = 6;
};

/// The curve minimising sum |ln(pred/meas)| + smoothing * sum |second
/// differences| over knots at every decade of the samples' sizes, cut to
/// the sampled size range and rounded to 4 significant digits. Needs at
/// least one sample.
EfficiencyCurve fitEfficiencyCurve(llvm::ArrayRef<CurveSample> samples,
                                   const CurveFitOptions &options = {});

/// Predicted seconds of `sample` under `curve`.
inline double predictTime(const CurveSample &sample,
                          const EfficiencyCurve &curve) {
  return sample.roof / curve.at(sample.size) + sample.fixed;
}

/// Rounds to `digits` significant decimal digits (for stable, readable
/// output; the fit's own resolution is coarser).
double roundSignificant(double value, int digits = 4);

} // namespace diviml

#endif // DIVIML_TOOLS_CALIBRATE_CURVEFIT_H
