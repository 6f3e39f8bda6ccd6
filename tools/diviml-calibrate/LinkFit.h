//===- LinkFit.h - Copy latency and bandwidth from timings ------*- C++ -*-===//
//
// Fits seconds = latency + bytes / bandwidth to measured copies, minimising
// the sum of |relative error| (iteratively reweighted least squares), so
// that small and large copies count alike and an outlier does not drag the
// line. Free of MLIR and deterministic.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TOOLS_CALIBRATE_LINKFIT_H
#define DIVIML_TOOLS_CALIBRATE_LINKFIT_H

#include "llvm/ADT/ArrayRef.h"

namespace diviml {

struct CopySample {
  double bytes = 0;
  double seconds = 0;
};

struct AffineFit {
  double latency = 0;
  double bandwidth = 0;
  /// max(pred/meas, meas/pred) over the samples: median and worst.
  double medianError = 1, maxError = 1;
};

/// Needs at least two distinct sizes and positive times. Latency is kept
/// >= 0 (refitted through the origin when the line would cross below it).
AffineFit fitAffine(llvm::ArrayRef<CopySample> samples);

} // namespace diviml

#endif // DIVIML_TOOLS_CALIBRATE_LINKFIT_H
