//===- Diviml.h - The diviml dialect ----------------------------*- C++ -*-===//

#ifndef DIVIML_DIALECT_DIVIML_H
#define DIVIML_DIALECT_DIVIML_H

#include "diviml/Model/Platform.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "diviml/Dialect/DivimlDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "diviml/Dialect/DivimlAttrs.h.inc"

#define GET_OP_CLASSES
#include "diviml/Dialect/DivimlOps.h.inc"

namespace diviml {

/// The `diviml.platform` of `op` or of its closest ancestor that has one.
PlatformAttr lookupPlatform(mlir::Operation *op);

} // namespace diviml

#endif // DIVIML_DIALECT_DIVIML_H
