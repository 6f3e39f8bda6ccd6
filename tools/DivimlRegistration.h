//===- DivimlRegistration.h - Dialects the diviml tools accept --*- C++ -*-===//

#ifndef DIVIML_TOOLS_DIVIMLREGISTRATION_H
#define DIVIML_TOOLS_DIVIMLREGISTRATION_H

#include "diviml/Dialect/Diviml.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"

namespace diviml {

/// The upstream dialects of tensor programs, plus diviml.
inline void registerDialects(mlir::DialectRegistry &registry) {
  registry.insert<DivimlDialect, mlir::arith::ArithDialect,
                  mlir::cf::ControlFlowDialect, mlir::func::FuncDialect,
                  mlir::linalg::LinalgDialect, mlir::math::MathDialect,
                  mlir::scf::SCFDialect, mlir::tensor::TensorDialect,
                  mlir::tosa::TosaDialect>();
}

} // namespace diviml

#endif // DIVIML_TOOLS_DIVIMLREGISTRATION_H
