//===- Calibrate.h - Platform figures fitted to measurements ----*- C++ -*-===//
//
// The steps of diviml-calibrate, each changing only the figures it fits:
// peaks from a machine table, launch overheads and efficiency curves from
// profiled ops, link latency and bandwidth from copy timings. Everything
// else of the platform is kept. docs/cost-model.md ("Calibration").
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TOOLS_CALIBRATE_CALIBRATE_H
#define DIVIML_TOOLS_CALIBRATE_CALIBRATE_H

#include "CurveFit.h"
#include "LinkFit.h"
#include "OpSamples.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace diviml {

/// Median and 90th percentile (linear interpolation between order
/// statistics) of max(pred/meas, meas/pred) errors.
struct ErrorSummary {
  unsigned count = 0;
  double median = 0, p90 = 0;
};
ErrorSummary summarizeErrors(std::vector<double> errors);
inline double timeError(double predicted, double measured) {
  return std::max(predicted / measured, measured / predicted);
}

/// The samples of `opClass` measured on device `d`, with the fixed time the
/// model adds outside the curve: launch and first touch of the outputs.
std::vector<CurveSample> curveSamples(llvm::ArrayRef<OpSample> ops,
                                      const Device &device, unsigned d,
                                      llvm::StringRef opClass);

/// The launch overhead of device `d`: the median of measured minus
/// roofline seconds (at least 0) over the `count` ops of smallest roofline.
/// std::nullopt when nothing was measured on the device.
std::optional<double> fitLaunch(llvm::ArrayRef<OpSample> ops, unsigned d,
                                unsigned count);

struct ClassFit {
  std::string device, opClass;
  EfficiencyCurve curve;
  /// Errors of the plain roofline (+ launch) and of the fitted curve.
  ErrorSummary roofline, fitted;
};

/// Fits a curve for every device and op class with at least `minOps`
/// measured ops and stores it in the platform (replacing the class's curve;
/// other classes keep theirs). Results in device order, then class name.
std::vector<ClassFit> fitCurves(Platform &platform,
                                llvm::ArrayRef<OpSample> ops,
                                const CurveFitOptions &options,
                                unsigned minOps);

/// One timed copy of the copy table (docs/formats.md).
struct CopyRecord {
  double bytes = 0;
  bool pinned = true;
  /// "h2d" (host to device) when true, "d2h" otherwise.
  bool toDevice = true;
  double seconds = 0;
};
llvm::Expected<std::vector<CopyRecord>> parseCopyTable(llvm::StringRef text);

struct LinkCalibration {
  bool toDevice = true, pinned = true;
  unsigned copies = 0;
  AffineFit fit;
};

/// Fits pinned and pageable figures per direction and sets them on every
/// link between the host and another device (a table without pageable
/// copies leaves the pageable figures alone).
llvm::Expected<std::vector<LinkCalibration>>
fitLinks(Platform &platform, llvm::ArrayRef<CopyRecord> copies);

/// Sets peak_flops, bandwidth and (when given) peak_f16 of each device from
/// the `peaks` object of a machine table: keys `<prefix>_matmul_float32_flops`
/// (or `_f32_`), `<prefix>_copy_bytes_per_s`, `<prefix>_matmul_float16_flops`.
/// `prefixes` maps device names to key prefixes ("cpu=cpu16"); a device not
/// named uses its name.
llvm::Error applyMachinePeaks(Platform &platform, llvm::StringRef text,
                              llvm::ArrayRef<std::string> prefixes);

} // namespace diviml

#endif // DIVIML_TOOLS_CALIBRATE_CALIBRATE_H
