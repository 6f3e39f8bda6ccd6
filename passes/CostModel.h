//===- CostModel.h - Op costs from tensor shapes ----------------*- C++ -*-===//
//
// Roofline estimate per (op, device): max(FLOPs / peak, bytes / bandwidth)
// plus launch overhead, where a device with k slots gives each op 1/k of its
// peak and bandwidth. Ops carrying `diviml.cost` use it instead.
// docs/cost-model.md lists the FLOP and byte counts per op kind.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_COSTMODEL_H
#define DIVIML_PASSES_COSTMODEL_H

#include "diviml/Core/Platform.h"

#include "mlir/IR/Operation.h"

#include <string>

namespace diviml {

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
  /// Set when the estimate fell back to a default; says why.
  std::string fallback;
};

/// Bytes of a value of `type` (dynamic dimensions count as 1); sets
/// `dynamic` when the shape had dynamic dimensions.
double typeBytes(mlir::Type type, bool &dynamic);

/// The cost of `op` on every device of `platform`.
OpCost estimateOpCost(mlir::Operation *op, const Platform &platform);

} // namespace diviml

#endif // DIVIML_PASSES_COSTMODEL_H
