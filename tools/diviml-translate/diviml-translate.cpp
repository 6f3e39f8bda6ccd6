//===- diviml-translate.cpp - Import and export of placement problems -----===//
//
// Importers and exporters of placement problems; formats in docs/formats.md.
//
//===----------------------------------------------------------------------===//

#include "DivimlRegistration.h"

#include "diviml/Passes/Translations.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/Support/raw_ostream.h"

namespace {
/// Prints the module in the generic form with the diviml dialect loaded: a
/// check that a file parses and verifies with every dialect diviml accepts.
void registerRoundTrip() {
  static mlir::TranslateFromMLIRRegistration roundTrip(
      "diviml-roundtrip", "parse, verify and print a diviml module",
      [](mlir::Operation *op, llvm::raw_ostream &os) {
        op->print(os);
        return mlir::success();
      },
      diviml::registerDialects);
}
} // namespace

int main(int argc, char **argv) {
  registerRoundTrip();
  diviml::registerMsrTranslations(diviml::registerDialects);
  diviml::registerPlanExport(diviml::registerDialects);
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "diviml translation driver\n"));
}
