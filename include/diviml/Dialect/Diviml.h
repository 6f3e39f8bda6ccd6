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
#include "llvm/Support/JSON.h"

#include "diviml/Dialect/DivimlDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "diviml/Dialect/DivimlAttrs.h.inc"

#define GET_OP_CLASSES
#include "diviml/Dialect/DivimlOps.h.inc"

namespace diviml {

/// The `diviml.platform` of `op` or of its closest ancestor that has one.
PlatformAttr lookupPlatform(mlir::Operation *op);

/// Runtime keys travel between the JSON format and the attributes' builtin
/// values as they are: numbers as f64 floats (integers accepted when read),
/// booleans, strings, arrays and dictionaries.
llvm::json::Value attrToJson(mlir::Attribute attr);
mlir::Attribute jsonToAttr(mlir::MLIRContext *context,
                           const llvm::json::Value &value);

} // namespace diviml

#endif // DIVIML_DIALECT_DIVIML_H
