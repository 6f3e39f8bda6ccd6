//===- Pipeline.cpp - The diviml pass pipeline and its registration -------===//

#include "diviml/Passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace diviml;

void diviml::buildDivimlPipeline(OpPassManager &pm,
                                 const DivimlPipelineOptions &options) {
  DivimlPartitionOptions partition;
  partition.platform = options.platform;
  partition.objective = options.objective;
  partition.algorithm = options.algorithm;
  partition.report = options.report;
  partition.trace = options.trace;
  partition.dot = options.dot;
  partition.dimHint = options.dimHint;
  partition.profile = options.profile;
  partition.timeLimit = options.timeLimit;
  partition.gap = options.gap;
  partition.progress = options.progress;
  partition.solver = options.solver;
  partition.maxModuleSize = options.maxModuleSize;
  partition.refine = options.refine;
  partition.dataParallel = options.dataParallel;
  partition.symmetry = options.symmetry;
  partition.complete = options.complete;
  pm.addPass(createDivimlPartition(partition));
  DivimlLowerToDevicesOptions lower;
  lower.outline = options.outline;
  pm.addPass(createDivimlLowerToDevices(lower));
}

void diviml::registerDivimlPassesAndPipeline() {
  registerDivimlPasses();
  PassPipelineRegistration<DivimlPipelineOptions>(
      "diviml-pipeline",
      "Partition a module over a platform, then outline per-device subgraphs",
      buildDivimlPipeline);
}
