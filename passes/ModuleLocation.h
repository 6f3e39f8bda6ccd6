//===- ModuleLocation.h - Where module-level diagnostics point --*- C++ -*-===//
//
// A file without an explicit `module { }` gets an implicit module located at
// line 0 ("file:0:0"), which editors and readers cannot jump to. Errors about
// module-level options point at the first function instead.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_MODULELOCATION_H
#define DIVIML_PASSES_MODULELOCATION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"

namespace diviml {

/// The module's location, or its first function's when the module's has no
/// line (implicit modules, unknown locations).
inline mlir::Location moduleDiagnosticLoc(mlir::ModuleOp module) {
  mlir::Location loc = module.getLoc();
  auto fileLoc = mlir::dyn_cast<mlir::FileLineColLoc>(loc);
  if (fileLoc && fileLoc.getLine() != 0)
    return loc;
  if (!fileLoc && !mlir::isa<mlir::UnknownLoc>(loc))
    return loc;
  for (auto func : module.getOps<mlir::func::FuncOp>())
    return func.getLoc();
  return loc;
}

} // namespace diviml

#endif // DIVIML_PASSES_MODULELOCATION_H
