//===- LlmSymmetryBench.cpp - Split with and without symmetry on LLMs -----===//
//
// Usage: diviml-llm-bench [--without-limit=N] [--refine | --no-refine]
//          [--platform=NAME]... [--debug] MODEL.mlir...
// (bench/llm_bench.sh generates the models and writes docs/llm-bench.md);
// the op-by-op search (without symmetry) runs only where ops x devices <= N
// (default: everywhere), with split's default refinement unless
// --refine or --no-refine says otherwise;
// --platform picks cluster presets (default: cluster-mixed-4 and
// cluster-dgx-8); --debug logs split's phases. For every model and cluster
// preset: throughput plans of `split` with symmetry (the block pipeline,
// replicated over identical servers when that is better) and without it, their
// plan times, values, the lower bound, the memory the chosen plan uses per
// device, and its throughput against the block pipeline on the best single
// server and against the pipeline over every device without replicas.
// Every plan is checked by verify() (memory included).
//
//===----------------------------------------------------------------------===//

#include "DivimlRegistration.h"
#include "ProblemBuilder.h"

#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/Cluster.h"
#include "diviml/Model/PlatformIO.h"
#include "diviml/Split/Split.h"
#include "diviml/Split/Symmetry.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "spdlog/spdlog.h"

#include <chrono>

using namespace diviml;

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Plan {
  double seconds = 0, value = kInfinity, memoryShare = 0, memoryBytes = 0;
  bool verified = false;
  std::string what;
  /// Copies of the model, devices of one copy; symmetry's pipeline without
  /// replicas (kInfinity: none fits).
  unsigned copies = 1, copyDevices = 0;
  double noReplicas = kInfinity;
};

Plan judge(const Problem &problem, llvm::Expected<AlgorithmResult> result,
           double seconds) {
  Plan plan;
  plan.seconds = seconds;
  if (!result) {
    plan.what = llvm::toString(result.takeError());
    return plan;
  }
  Evaluation eval = evaluate(problem, result->solution, Objective::Throughput);
  plan.value = eval.value;
  for (unsigned d = 0; d != problem.numDevices(); ++d) {
    plan.memoryShare = std::max(plan.memoryShare,
                                eval.memoryUsed[d] /
                                    problem.platform.devices[d].memoryCapacity);
    plan.memoryBytes = std::max(plan.memoryBytes, eval.memoryUsed[d]);
  }
  plan.copies = result->solution.numCopies();
  plan.copyDevices = result->stats.lookup("replica-devices");
  if (result->stats.count("value.no-replicas"))
    plan.noReplicas = result->stats.lookup("value.no-replicas");
  if (llvm::Error err = verify(problem, result->solution))
    plan.what = llvm::toString(std::move(err));
  else
    plan.verified = true;
  if (plan.verified && result->stats.count("stages"))
    plan.what = llvm::formatv("{0} stages", result->stats.lookup("stages"));
  return plan;
}

/// The problem with only server `server`'s devices (and the home of the
/// externals) allowed.
Problem onServer(const Problem &problem, const ClusterSpec &spec,
                 unsigned server) {
  Problem copy = problem;
  for (Node &node : copy.nodes)
    if (!node.external)
      for (unsigned d = 0; d != copy.numDevices(); ++d)
        if (spec.serverOf(d) != server)
          node.time[d] = kInfinity;
  copy.finalize();
  return copy;
}

std::string ms(double seconds) {
  if (seconds == kInfinity)
    return "—";
  return llvm::formatv("{0:f3}", seconds * 1e3).str();
}

} // namespace

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  llvm::outs() << "| model | platform | ops | with symmetry: plan s | value "
                  "ms | copies x devices | without: plan s | value ms | "
                  "speed-up | with / without | lower bound ms | memory per "
                  "device: max GB (share) | best single server ms | "
                  "pipeline, no replicas ms | throughput vs single | vs no "
                  "replicas |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
                  "---|---|\n";
  double withoutLimit = kInfinity;
  std::optional<bool> refine;
  std::vector<std::string> platforms;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--refine" || arg == "--no-refine") {
      refine = arg == "--refine";
      continue;
    }
    if (arg == "--debug") {
      spdlog::set_level(spdlog::level::debug);
      continue;
    }
    if (arg.consume_front("--platform=")) {
      platforms.push_back(arg.str());
      continue;
    }
    if (arg.consume_front("--without-limit=")) {
      if (arg.getAsDouble(withoutLimit)) {
        llvm::errs() << "--without-limit needs a number\n";
        return 1;
      }
      continue;
    }
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::parseSourceFile<mlir::ModuleOp>(arg, &context);
    if (!module)
      return 1;
    auto main = module->lookupSymbol<mlir::func::FuncOp>("main");
    if (platforms.empty())
      platforms = {"cluster-mixed-4", "cluster-dgx-8"};
    for (llvm::StringRef name : platforms) {
      std::optional<Platform> preset = presetPlatform(name);
      std::optional<ClusterSpec> cluster = presetCluster(name);
      if (!preset || !cluster) {
        llvm::errs() << "not a cluster preset: " << name << "\n";
        return 1;
      }
      Platform platform = *preset;
      ClusterSpec spec = *cluster;
      mlir::FailureOr<std::optional<FunctionProblem>> built =
          buildFunctionProblem(main, platform, *platform.host);
      if (mlir::failed(built) || !*built)
        return 1;
      Problem &problem = (*built)->problem;
      problem.finalize();
      AlgorithmOptions options;
      options.objective = Objective::Throughput;
      double t0 = now();
      llvm::Expected<AlgorithmResult> with = scheduleSplit(problem, options);
      double t1 = now();
      Plan a = judge(problem, std::move(with), t1 - t0);
      Plan b;
      bool compared =
          double(problem.numNodes()) * problem.numDevices() <= withoutLimit;
      if (compared) {
        SplitOptions off;
        off.useSymmetry = false;
        AlgorithmOptions opByOp = options;
        if (refine)
          opByOp.refine = *refine;
        llvm::Expected<AlgorithmResult> without =
            scheduleSplit(problem, opByOp, off);
        b = judge(problem, std::move(without), now() - t1);
      }
      // The plans may replicate the model: the bound that holds for copies
      // too (no packing test, no dropped devices; docs/objectives.md).
      double bound =
          lowerBound(problem, Objective::Throughput, /*dataParallel=*/true);
      double single = kInfinity;
      // Servers of one template are interchangeable: one per template.
      unsigned server = 0;
      for (const ServerGroup &group : spec.groups) {
        Problem restricted = onServer(problem, spec, server);
        Plan s =
            judge(restricted, scheduleBlockPipeline(restricted, options), 0);
        if (s.verified)
          single = std::min(single, s.value);
        server += group.count;
      }
      std::string withoutColumns =
          compared ? llvm::formatv("{0:f2} | {1}{2} | {3:f0}x | {4:f4}",
                                   b.seconds, ms(b.value),
                                   b.verified ? "" : " (" + b.what + ")",
                                   b.seconds / a.seconds, a.value / b.value)
                         .str()
                   : "not run | — | — | —";
      llvm::outs() << llvm::formatv(
          "| {0} | {1} | {2} | {3:f3} | {4}{5} | {6} x {7} | {8} | {9} | "
          "{10:f1} ({11:p}) | {12} | {13} | {14:f2}x | {15:f2}x |\n",
          llvm::sys::path::stem(arg), name, problem.numNodes(), a.seconds,
          ms(a.value), a.verified ? "" : " (" + a.what + ")", a.copies,
          a.copyDevices, withoutColumns, ms(bound), a.memoryBytes / 1e9,
          a.memoryShare, ms(single), ms(a.noReplicas), single / a.value,
          a.noReplicas / a.value);
      llvm::outs().flush();
    }
  }
  return 0;
}
