//===- InlineCalls.h - Inline callees before partitioning -------*- C++ -*-===//
//
// A call is one opaque op to the cost model; its callee would be partitioned
// on its own and both answers added up. diviml-partition inlines callees
// first, so a module gets one answer (docs/passes.md).
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_INLINECALLS_H
#define DIVIML_PASSES_INLINECALLS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseSet.h"

namespace diviml {

/// Inlines, into every function of `module` with a body that is not a
/// device function, its `func.call`s to single-block functions of the
/// module (transitively; recursion is left alone). Inlined ops named by a
/// location or `diviml.name` are renamed `<callee>/<name>`. Returns the
/// callees inlined anywhere; private ones left without callers are erased.
llvm::DenseSet<mlir::Operation *> inlineCalls(mlir::ModuleOp module);

} // namespace diviml

#endif // DIVIML_PASSES_INLINECALLS_H
