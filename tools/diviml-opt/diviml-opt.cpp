//===- diviml-opt.cpp - mlir-opt with the diviml dialect and passes -------===//
//
// Registers every upstream dialect and extension, as the stock mlir-opt
// does, so that any input mlir-opt reads (quantized TOSA, memref, vector,
// affine, ...) reads here too.
//
//===----------------------------------------------------------------------===//

#include "DivimlRegistration.h"
#include "diviml/Passes/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  diviml::registerDialects(registry);
  diviml::registerDivimlPassesAndPipeline();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "diviml optimizer driver\n", registry));
}
