//===- ProblemBuilder.h - A function body as a placement problem -*- C++
//-*-===//

#ifndef DIVIML_PASSES_PROBLEMBUILDER_H
#define DIVIML_PASSES_PROBLEMBUILDER_H

#include "diviml/Model/Problem.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"

#include <optional>

namespace diviml {

class ProfileTable;

/// The problem of one function. Nodes [0, ops.size()) are the placed ops in
/// program order; the rest are pseudo-nodes pinned to the home device: one
/// per used function argument, and one for the function's results.
struct FunctionProblem {
  Problem problem;
  llvm::SmallVector<mlir::Operation *> ops;
  /// Number of ops whose cost fell back to a default (each got a remark).
  unsigned fallbacks = 0;
  /// Per op: FLOPs and bytes read and written, as the cost model counts
  /// them (for reports and traces).
  llvm::SmallVector<double> flops, bytes;
};

/// Ops that are cloned next to their users instead of being placed:
/// operand-free, region-free ops without memory effects (constants,
/// tensor.empty).
bool isRematerializable(mlir::Operation *op);

/// Builds the problem of `func` over `platform`, with arguments and results
/// on device `home`. Returns std::nullopt when the function holds no tensor
/// op, and failure (after emitting a located error) for a body it cannot
/// model: several blocks, or a cyclic use through graph regions.
/// Op times come from CostModel.h, with measured times from `profile`
/// (may be null).
mlir::FailureOr<std::optional<FunctionProblem>>
/// Dynamic dimensions count as `dimHint`; one warning per function says how
/// many ops have them.
buildFunctionProblem(mlir::func::FuncOp func, const Platform &platform,
                     unsigned home, const ProfileTable *profile = nullptr,
                     double dimHint = 1);

/// The name of `op` in reports: its `diviml.name`, else its name location.
/// assignOpNames() makes every placed op's name unique and stable.
std::string opName(mlir::Operation *op);

/// Gives every op of `ops` a unique name, writing `diviml.name` on ops that
/// have no name location or whose name is taken.
void assignOpNames(llvm::ArrayRef<mlir::Operation *> ops,
                   llvm::StringRef prefix, llvm::StringSet<> &taken);

} // namespace diviml

#endif // DIVIML_PASSES_PROBLEMBUILDER_H
