//===- Passes.h - diviml passes and pipeline --------------------*- C++ -*-===//

#ifndef DIVIML_PASSES_PASSES_H
#define DIVIML_PASSES_PASSES_H

#include "diviml/Dialect/Diviml.h"
#include "diviml/Model/Problem.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace diviml {

#define GEN_PASS_DECL
#include "diviml/Passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "diviml/Passes/Passes.h.inc"

/// Options of the `diviml-pipeline` pass pipeline (partition, then lower).
struct DivimlPipelineOptions
    : public mlir::PassPipelineOptions<DivimlPipelineOptions> {
  Option<std::string> platform{*this, "platform",
                               llvm::cl::desc("Platform preset or JSON path")};
  Option<Objective> objective{
      *this, "objective", llvm::cl::desc("What to minimise"),
      llvm::cl::init(Objective::Latency),
      llvm::cl::values(
          clEnumValN(Objective::Latency, "latency", "time of one inference"),
          clEnumValN(Objective::Throughput, "throughput",
                     "time per sample of a stream of inferences"))};
  Option<std::string> algorithm{*this, "algorithm",
                                llvm::cl::desc("Placement algorithm"),
                                llvm::cl::init("split")};
  Option<std::string> report{*this, "report",
                             llvm::cl::desc("JSON report path")};
  Option<std::string> trace{*this, "trace",
                            llvm::cl::desc("Chrome/Perfetto trace JSON path")};
  Option<std::string> dot{*this, "dot",
                          llvm::cl::desc("Graphviz DOT path of the op graph")};
  Option<unsigned> dimHint{
      *this, "dim-hint",
      llvm::cl::desc("Size taken for every dynamic dimension in op costs"),
      llvm::cl::init(1)};
  Option<std::string> profile{
      *this, "profile",
      llvm::cl::desc("JSON table of measured op times (docs/cost-model.md)")};
  Option<double> timeLimit{*this, "time-limit",
                           llvm::cl::desc("Solver safety cap, seconds"),
                           llvm::cl::init(60.0)};
  Option<double> gap{
      *this, "gap",
      llvm::cl::desc("Stop within this relative gap of the lower bound"),
      llvm::cl::init(0.0)};
  Option<bool> progress{
      *this, "progress",
      llvm::cl::desc("Print progress on stderr at most once a second"),
      llvm::cl::init(false)};
  Option<std::string> solver{*this, "solver",
                             llvm::cl::desc("MILP backend: glpk or cbc"),
                             llvm::cl::init("glpk")};
  Option<unsigned> maxModuleSize{
      *this, "max-module-size",
      llvm::cl::desc("Split heuristic: largest module solved exactly"),
      llvm::cl::init(24)};
  Option<bool> refine{*this, "refine",
                      llvm::cl::desc("Split heuristic: refine the answer"),
                      llvm::cl::init(true)};
  Option<bool> dataParallel{
      *this, "data-parallel",
      llvm::cl::desc("Throughput: allow replicas on groups of devices"),
      llvm::cl::init(false)};
  Option<bool> symmetry{
      *this, "symmetry",
      llvm::cl::desc("Split, throughput: identical layers as a pipeline, "
                     "replicated over identical servers"),
      llvm::cl::init(true)};
  Option<bool> complete{
      *this, "complete",
      llvm::cl::desc("algorithm=given: place ops without a device with the "
                     "default algorithm"),
      llvm::cl::init(false)};
  Option<bool> outline{
      *this, "outline",
      llvm::cl::desc("Outline per-device functions; false: keep ops in "
                     "place, insert transfers only"),
      llvm::cl::init(true)};
};

/// Adds `diviml-partition` then `diviml-lower-to-devices` to `pm`, which must
/// run on builtin.module.
void buildDivimlPipeline(mlir::OpPassManager &pm,
                         const DivimlPipelineOptions &options);

/// Registers the passes and the `diviml-pipeline` pipeline.
void registerDivimlPassesAndPipeline();

} // namespace diviml

#endif // DIVIML_PASSES_PASSES_H
