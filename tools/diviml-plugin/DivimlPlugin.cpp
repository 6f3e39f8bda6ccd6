//===- DivimlPlugin.cpp - diviml for the stock mlir-opt -------------------===//
//
// mlir-opt --load-dialect-plugin=DivimlPlugin.so \
//          --load-pass-plugin=DivimlPlugin.so \
//          --pass-pipeline='builtin.module(diviml-partition)'
//
//===----------------------------------------------------------------------===//

#include "diviml/Passes/Passes.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Diviml", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            registry->insert<diviml::DivimlDialect>();
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "DivimlPasses", LLVM_VERSION_STRING,
          []() { diviml::registerDivimlPassesAndPipeline(); }};
}
