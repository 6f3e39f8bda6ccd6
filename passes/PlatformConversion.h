//===- PlatformConversion.h - #diviml.platform <-> core Platform -*- C++
//-*-===//

#ifndef DIVIML_PASSES_PLATFORMCONVERSION_H
#define DIVIML_PASSES_PLATFORMCONVERSION_H

#include "diviml/Dialect/Diviml.h"
#include "diviml/Model/Platform.h"

#include "mlir/IR/BuiltinOps.h"

namespace diviml {

Platform platformFromAttr(PlatformAttr attr);
/// Fails, emitting at `loc`, if the platform breaks an attribute verifier.
mlir::FailureOr<PlatformAttr> platformToAttr(mlir::Location loc,
                                             const Platform &platform);

/// The platform named by a pass option: a preset name or a JSON file path;
/// when the option is empty, the module's `diviml.platform`, else the
/// cpu-2gpu preset (with a remark). Errors are emitted on the module.
mlir::FailureOr<PlatformAttr> resolvePlatform(mlir::ModuleOp module,
                                              llvm::StringRef option);

/// The device that holds a function's arguments and results: the host, else
/// the first CPU, else device 0.
unsigned homeDevice(const Platform &platform);

} // namespace diviml

#endif // DIVIML_PASSES_PLATFORMCONVERSION_H
