//===- LlmSymmetryBench.cpp - Split with and without symmetry on LLMs -----===//
//
// Usage: diviml-llm-bench MODEL.mlir... (bench/llm_bench.sh generates the
// models and writes docs/llm-bench.md). For every model and cluster preset:
// throughput plans of `split` with the block pipeline (symmetry) and
// without it, their plan times, values, the lower bound, the largest share
// of a device's memory used, and the block pipeline on the best single
// server. Every plan is checked by verify() (memory included).
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

#include <chrono>

using namespace diviml;

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Plan {
  double seconds = 0, value = kInfinity, memoryShare = 0;
  bool verified = false;
  std::string what;
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
  for (unsigned d = 0; d != problem.numDevices(); ++d)
    plan.memoryShare = std::max(plan.memoryShare,
                                eval.memoryUsed[d] /
                                    problem.platform.devices[d].memoryCapacity);
  if (llvm::Error err = verify(problem, result->solution))
    plan.what = llvm::toString(std::move(err));
  else
    plan.verified = true;
  if (result->stats.count("stages"))
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
                  "ms | without: plan s | value ms | speed-up | with / "
                  "without | lower bound ms | max memory use | best single "
                  "server ms | cluster vs single |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (int i = 1; i < argc; ++i) {
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::parseSourceFile<mlir::ModuleOp>(argv[i], &context);
    if (!module)
      return 1;
    auto main = module->lookupSymbol<mlir::func::FuncOp>("main");
    for (llvm::StringRef name : {"cluster-mixed-4", "cluster-dgx-8"}) {
      Platform platform = *presetPlatform(name);
      ClusterSpec spec = *presetCluster(name);
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
      SplitOptions off;
      off.useSymmetry = false;
      llvm::Expected<AlgorithmResult> without =
          scheduleSplit(problem, options, off);
      Plan b = judge(problem, std::move(without), now() - t1);
      double bound = lowerBound(problem, Objective::Throughput);
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
      llvm::outs() << llvm::formatv(
          "| {0} | {1} | {2} | {3:f3} | {4}{5} | {6:f2} | {7}{8} | {9:f0}x | "
          "{10:f4} | {11} | {12:p} | {13} | {14:f2}x |\n",
          llvm::sys::path::stem(argv[i]), name, problem.numNodes(), a.seconds,
          ms(a.value), a.verified ? "" : " (" + a.what + ")", b.seconds,
          ms(b.value), b.verified ? "" : " (" + b.what + ")",
          b.seconds / a.seconds, a.value / b.value, ms(bound), a.memoryShare,
          ms(single), single / a.value);
      llvm::outs().flush();
    }
  }
  return 0;
}
