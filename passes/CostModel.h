//===- CostModel.h - Op costs from tensor shapes ----------------*- C++ -*-===//
//
// The one cost model of diviml, used by --diviml-annotate-costs and by
// --diviml-partition. An op's work (FLOPs, bytes moved, output and resident
// bytes) comes from its tensor shapes; its time on a device is the roofline
// max(FLOPs / peak, bytes / bandwidth) + launch overhead, where a device
// with k slots gives each op 1/k of its peak and bandwidth and the peak
// depends on the element type. A profiled time overrides the roofline; a
// device that declares the op kind unsupported gets no time. Ops carrying
// `diviml.cost` use it instead. docs/cost-model.md has the per-op counts.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_COSTMODEL_H
#define DIVIML_PASSES_COSTMODEL_H

#include "diviml/Dialect/Diviml.h"
#include "diviml/Model/Platform.h"

#include "mlir/IR/Operation.h"

#include <string>

namespace diviml {

class ProfileTable;

/// What an op does, independently of where it runs.
struct OpWork {
  double flops = 0;
  /// The part of `flops` that is 2 x the multiply-accumulates of
  /// convolutions and matrix products.
  double macFlops = 0;
  /// Bytes read and written.
  double bytes = 0;
  /// Bytes of the op's results, as moved between devices.
  double outputBytes = 0;
  /// Bytes resident on the device: outputs plus the constants it consumes.
  double memory = 0;
  /// The element type whose peak applies (null: peak_flops).
  mlir::Type computeType;
  /// opClass() of the op: picks the efficiency curve and dispatch time.
  llvm::StringRef opClass;
  /// No kernel runs (constants, shape arithmetic, views): no time anywhere.
  bool free = false;
  /// Some dimension was dynamic and taken to be the dim hint.
  bool dynamic = false;
  /// Set when the estimate fell back to a default; says why.
  std::string fallback;
};

struct OpCost {
  double flops = 0;
  /// Bytes read and written.
  double bytes = 0;
  /// Bytes of the op's results, as moved between devices.
  double outputBytes = 0;
  /// Bytes resident on the device: outputs plus the constants it consumes.
  double memory = 0;
  /// Seconds per platform device; kInfinity where the op cannot run.
  llvm::SmallVector<double> time;
  /// Some dimension was dynamic and taken to be the dim hint (and no
  /// measured time replaced the estimate).
  bool dynamic = false;
  /// Set when the estimate fell back to a default; says why.
  std::string fallback;
};

/// Bytes of a value of `type` (dynamic dimensions count as 1; 0 for types
/// that are not shaped); sets `dynamic` when the shape had dynamic
/// dimensions.
/// Bytes of a value of `type`; dynamic dimensions count as `dimHint` and
/// set `dynamic`.
double typeBytes(mlir::Type type, bool &dynamic, double dimHint = 1);

/// The type an element is stored and computed in: a quantized type's
/// storage integer (`!quant.uniform<i8:f32, ...>` is int8 arithmetic on int8
/// data), any other type itself.
mlir::Type storageElementType(mlir::Type element);

/// The class of `op` whose efficiency curve and dispatch time apply:
/// "conv", "depthwise", "matmul", "pool", "elementwise", "reduction",
/// "data-movement", "view" (no kernel), or "" for ops of no class
/// (docs/cost-model.md lists the ops of each).
llvm::StringRef opClass(mlir::Operation *op);

/// The work of `op` from its shapes, ignoring any `diviml.cost`.
/// Dynamic dimensions count as `dimHint` (and set OpWork::dynamic).
OpWork estimateOpWork(mlir::Operation *op, double dimHint = 1);

/// The size an efficiency curve of `opClass` is indexed by: FLOPs for
/// convolutions, matrix products and pools, bytes for the rest.
double efficiencySize(const OpWork &work);

/// Roofline seconds of `work` on `device`, ignoring whether the device
/// supports the op: the roofline divided by the device's achieved
/// efficiency for the op's class and size (when it has a curve for it),
/// plus the launch overhead.
double rooflineTime(const OpWork &work, const Device &device);

/// The cost of `op` on every device of `platform`: its `diviml.cost` if it
/// has one, else the shape estimate with times from `profile` (may be null)
/// where it has them and the roofline elsewhere. Devices that declare the
/// op kind unsupported get kInfinity either way.
OpCost estimateOpCost(mlir::Operation *op, const Platform &platform,
                      const ProfileTable *profile = nullptr,
                      double dimHint = 1);

/// `cost` as a `#diviml.cost`; devices where the op cannot run are left out
/// of `times`.
/// Warns once at `func` that `count` of its ops have dynamic dimensions,
/// each taken to be `dimHint` (does nothing when `count` is 0).
void warnDynamicDimensions(mlir::Operation *func, unsigned count,
                           double dimHint);

CostAttr costToAttr(const OpCost &cost, const Platform &platform,
                    mlir::MLIRContext *context);

} // namespace diviml

#endif // DIVIML_PASSES_COSTMODEL_H
