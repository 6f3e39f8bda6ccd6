//===- PartitionFuzzer.cpp - libFuzzer target: the pipeline on MLIR text --===//
//
// Parses the input as a module of the dialects the diviml tools register
// and runs the diviml pipeline (partition with greedy on cpu-2gpu, then
// lower to devices) on it. A parse or pass failure is the right answer to
// bad input; only a crash, a hang or a sanitizer report is a finding.
//
//===----------------------------------------------------------------------===//

#include "DivimlRegistration.h"
#include "diviml/Passes/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <cstdint>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *registry = new DialectRegistry();
    diviml::registerDialects(*registry);
    return registry;
  }();
  // A context per input: what one input uniques must not change the next.
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  // NUL-terminated, like every buffer the tools read from a file: MLIR's
  // lexer may look one byte past the end.
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module)
    return 0;
  PassManager pm(&context);
  diviml::DivimlPipelineOptions options;
  options.platform = "cpu-2gpu";
  options.algorithm = "greedy";
  diviml::buildDivimlPipeline(pm, options);
  (void)pm.run(*module);
  return 0;
}
