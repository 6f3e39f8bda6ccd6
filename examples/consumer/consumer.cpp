// place <model.mlir>: partitions a TOSA model over the cpu-2gpu preset,
// lowers it to per-device functions and prints the result.
#include "diviml/Passes/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 2)
    return llvm::errs() << "usage: place <model.mlir>\n", 2;
  mlir::MLIRContext context;
  context.loadDialect<diviml::DivimlDialect, mlir::func::FuncDialect,
                      mlir::tosa::TosaDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;
  mlir::PassManager pm(&context);
  diviml::DivimlPipelineOptions options;
  options.platform = "cpu-2gpu";
  options.algorithm = "greedy";
  diviml::buildDivimlPipeline(pm, options);
  if (mlir::failed(pm.run(*module)))
    return 1;
  module->print(llvm::outs());
  return 0;
}
