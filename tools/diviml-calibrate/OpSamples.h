//===- OpSamples.h - Profiled ops as curve-fitting samples ------*- C++ -*-===//
//
// Turns op signatures (op name, operand and result types, attributes) with
// measured times into what the calibration fits: the op's class, its curve
// size measure and its plain roofline on every device, all from the cost
// model in passes/ (estimateOpWork, opClass, rooflineTime), so that the
// fitted curves price ops exactly as the model will.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TOOLS_CALIBRATE_OPSAMPLES_H
#define DIVIML_TOOLS_CALIBRATE_OPSAMPLES_H

#include "diviml/Model/Platform.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace diviml {

/// An op signature as the profile table writes it.
struct OpRecord {
  std::string op;
  std::vector<std::string> operands, results;
  /// Attribute name -> attribute as MLIR prints it.
  std::vector<std::pair<std::string, std::string>> attributes;
};

struct OpSample {
  /// Index of the record in its file.
  unsigned entry = 0;
  std::string op;
  /// opClass(): "" and "view" have no curve.
  std::string opClass;
  /// No kernel runs (time 0 everywhere).
  bool free = false;
  /// efficiencySize() of the op's work.
  double size = 0;
  double outputBytes = 0;
  /// Per platform device: the roofline without curve and launch, seconds.
  std::vector<double> roof;
  /// Per platform device: measured seconds; 0 when not measured.
  std::vector<double> measured;
};

/// Builds ops in a private module of `context` (which must have the TOSA
/// and func dialects loaded) and measures them against `platform`.
class OpSampler {
public:
  OpSampler(mlir::MLIRContext &context, const Platform &platform);
  /// The sample of `record` (measured times left empty). Errors say why the
  /// op could not be built, prefixed by `where`.
  llvm::Expected<OpSample> sample(const OpRecord &record,
                                  llvm::StringRef where) const;

private:
  mlir::MLIRContext &context;
  /// The platform's devices without curves and launch: their rooflineTime
  /// is the plain roofline.
  std::vector<Device> plainDevices;
};

/// Reads a profile table (docs/cost-model.md) into samples, in file order.
/// A time's key must be a device name or kind of `platform`. Errors name the
/// entry index and the key.
llvm::Expected<std::vector<OpSample>>
readProfileSamples(llvm::StringRef text, const OpSampler &sampler,
                   const Platform &platform);

} // namespace diviml

#endif // DIVIML_TOOLS_CALIBRATE_OPSAMPLES_H
