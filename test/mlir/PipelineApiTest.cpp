//===- PipelineApiTest.cpp - The C++ entry point of the diviml pipeline ---===//
//
// The example of docs/api.md, compiled and run: a user adds the pipeline to
// their own PassManager and gets placed, lowered IR.
//
//===----------------------------------------------------------------------===//

#include "diviml/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

using namespace mlir;

namespace {

constexpr const char *kModule = R"mlir(
module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<250000xf32>) -> tensor<250000xf32> {
    %a = math.exp %x {diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    %b = math.exp %a {diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    return %b : tensor<250000xf32>
  }
}
)mlir";

TEST(PipelineApiTest, BuildsAndRunsThePipeline) {
  DialectRegistry registry;
  registry.insert<diviml::DivimlDialect, arith::ArithDialect, func::FuncDialect,
                  math::MathDialect>();
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kModule, &context);
  ASSERT_TRUE(module);

  PassManager pm(&context);
  diviml::DivimlPipelineOptions options;
  options.objective = diviml::Objective::Latency;
  options.algorithm = "greedy";
  diviml::buildDivimlPipeline(pm, options);
  ASSERT_TRUE(succeeded(pm.run(*module)));

  // Both ops run on gpu0 (see lit/partition/hand-computed.mlir): one outlined
  // gpu0 function, the argument moved there and the result moved back.
  unsigned transfers = 0, outlined = 0, calls = 0;
  module->walk([&](Operation *op) {
    if (isa<diviml::TransferOp>(op))
      ++transfers;
    if (auto fn = dyn_cast<func::FuncOp>(op))
      if (auto device = fn->getAttrOfType<StringAttr>("diviml.device")) {
        EXPECT_EQ(device.getValue(), "gpu0");
        ++outlined;
      }
    if (isa<func::CallOp>(op))
      ++calls;
  });
  EXPECT_EQ(transfers, 2u);
  EXPECT_EQ(outlined, 1u);
  EXPECT_EQ(calls, 1u);
  EXPECT_TRUE(succeeded(mlir::verify(*module)));
}

TEST(PipelineApiTest, PassFailsOnUnknownAlgorithm) {
  DialectRegistry registry;
  registry
      .insert<diviml::DivimlDialect, func::FuncDialect, math::MathDialect>();
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kModule, &context);
  ASSERT_TRUE(module);
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    diagnostics += diag.str();
    return success();
  });
  PassManager pm(&context);
  diviml::DivimlPipelineOptions options;
  options.algorithm = "nonesuch";
  diviml::buildDivimlPipeline(pm, options);
  EXPECT_TRUE(failed(pm.run(*module)));
  EXPECT_NE(diagnostics.find("unknown algorithm 'nonesuch'"),
            std::string::npos);
}

} // namespace
