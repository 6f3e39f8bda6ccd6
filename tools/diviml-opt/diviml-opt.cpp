//===- diviml-opt.cpp - mlir-opt with the diviml dialect and passes -------===//

#include "DivimlRegistration.h"
#include "diviml/Passes/Passes.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  diviml::registerDialects(registry);
  diviml::registerDivimlPassesAndPipeline();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "diviml optimizer driver\n", registry));
}
