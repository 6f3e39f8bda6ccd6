//===- Passes.td - diviml passes ---------------------------*- tablegen -*-===//

#ifndef DIVIML_PASSES
#define DIVIML_PASSES

include "mlir/Pass/PassBase.td"

def DivimlPartition : Pass<"diviml-partition", "mlir::ModuleOp"> {
  let summary = "Decides which device of a heterogeneous platform runs each op";
  let description = [{
    Builds a placement problem from every function with a body (one node per
    top-level op; constants and other operand-free pure ops are
    rematerialised next to their users and are not placed), estimates op
    costs from tensor shapes unless ops carry `diviml.cost`, runs the chosen
    algorithm and writes `diviml.device` on every placed op. Function
    arguments and results live on the platform's host (or first CPU).
    Attaches the platform used as `diviml.platform` on the module.
  }];
  let options = [
    Option<"platform", "platform", "std::string", /*default=*/"\"\"",
           "Platform preset name or JSON file path; default: the module's "
           "'diviml.platform', else preset cpu-2gpu">,
    Option<"objective", "objective", "::diviml::Objective",
           /*default=*/"::diviml::Objective::Latency",
           "What to minimise",
           [{::llvm::cl::values(
               clEnumValN(::diviml::Objective::Latency, "latency",
                          "time of one inference"),
               clEnumValN(::diviml::Objective::Throughput, "throughput",
                          "time per sample of a stream of inferences"))}]>,
    Option<"algorithm", "algorithm", "std::string", /*default=*/"\"split\"",
           "Placement algorithm (see docs/passes.md for the list), or "
           "'given': keep every op's existing diviml.device and score it">,
    Option<"report", "report", "std::string", /*default=*/"\"\"",
           "Write a JSON report to this path ('-' for stderr)">,
    Option<"trace", "trace", "std::string", /*default=*/"\"\"",
           "Write the evaluator's schedule as Chrome/Perfetto trace JSON to "
           "this path ('-' for stderr)">,
    Option<"dot", "dot", "std::string", /*default=*/"\"\"",
           "Write the op graph, coloured by device, as Graphviz DOT to this "
           "path ('-' for stderr)">,
    Option<"dimHint", "dim-hint", "unsigned", /*default=*/"1",
           "Size taken for every dynamic dimension in op costs">,
    Option<"profile", "profile", "std::string", /*default=*/"\"\"",
           "JSON table of measured op times that override the roofline "
           "estimate (docs/cost-model.md)">,
    Option<"timeLimit", "time-limit", "double", /*default=*/"60.0",
           "Wall-clock safety cap of solver-based algorithms, seconds "
           "(split budgets counted work and stops by itself)">,
    Option<"gap", "gap", "double", /*default=*/"0.0",
           "Stop once the value is within this relative gap of the lower "
           "bound (milp, split with refine)">,
    Option<"progress", "progress", "bool", /*default=*/"false",
           "Print elapsed time, best value, bound and gap on stderr at most "
           "once a second (milp, split)">,
    Option<"solver", "solver", "std::string", /*default=*/"\"glpk\"",
           "MILP backend: glpk or cbc">,
    Option<"maxModuleSize", "max-module-size", "unsigned", /*default=*/"24",
           "Split heuristic: largest module solved exactly">,
    Option<"refine", "refine", "bool", /*default=*/"true",
           "Split heuristic: re-solve windows of modules, then local search">,
    Option<"dataParallel", "data-parallel", "bool", /*default=*/"false",
           "Throughput: allow replicas of the model on groups of devices">,
    Option<"symmetry", "symmetry", "bool", /*default=*/"true",
           "Split heuristic, throughput: plan identical layers as a "
           "pipeline, replicated over identical servers; false searches op "
           "by op (for comparison)">,
    Option<"complete", "complete", "bool", /*default=*/"false",
           "algorithm=given: place the ops without a diviml.device with the "
           "default algorithm (split), keeping the others where they are">,
  ];
  let dependentDialects = ["::diviml::DivimlDialect"];
}

def DivimlLowerToDevices : Pass<"diviml-lower-to-devices", "mlir::ModuleOp"> {
  let summary = "Outlines per-device subgraphs joined by explicit transfers";
  let description = [{
    For every function whose ops carry `diviml.device`: groups ops into
    maximal same-device regions that keep the region graph acyclic, outlines
    each into a private `func.func` tagged with `diviml.device`, inserts a
    `diviml.transfer` for every value that crosses devices (one per value and
    destination device) and rewrites the function to call the regions in an
    order that respects dependences. Outlined functions carry `no_inline`
    so that an upstream `--inline` does not merge devices back together.

    With `outline=false`, ops stay where they are with their `diviml.device`
    and only the transfers are inserted, right before the first op of each
    destination device that uses the value (the affinity style of IREE's
    `stream.affinity`), for compilers that outline themselves.
  }];
  let options = [
    Option<"outline", "outline", "bool", /*default=*/"true",
           "Outline per-device functions; false: keep ops in place and only "
           "insert transfers">,
  ];
  let dependentDialects = ["::diviml::DivimlDialect",
                           "::mlir::func::FuncDialect"];
}

def DivimlCheckTransfers : Pass<"diviml-check-transfers", "mlir::ModuleOp"> {
  let summary = "Checks that every tensor reaches its device through transfers";
  let description = [{
    Follows where each tensor lives through every function that is not itself
    a device function: arguments on the home device, results of a call on the
    callee's `diviml.device`, results of a placed op on its device, a
    `diviml.transfer`'s result on its target. Reports, at the use, a tensor
    read on another device than the one holding it (a missing or misdirected
    transfer), a transfer whose source is not where its input lives, and a
    result returned from elsewhere than the home device. The output of
    `diviml-lower-to-devices` passes, in both modes; the module is not
    changed.
  }];
  let dependentDialects = ["::diviml::DivimlDialect"];
}

def DivimlStrip : Pass<"diviml-strip", "mlir::ModuleOp"> {
  let summary = "Removes diviml attributes and transfers (single-device flows)";
  let description = [{
    Erases every `diviml.*` attribute (device, name, cost, colocate,
    platform), replaces every `diviml.transfer` by its input, and clears the
    `no_inline` that diviml-lower-to-devices puts on device functions, so that
    a module compiled for one device goes on with upstream passes (and tools
    without the diviml dialect). Values are unchanged: a transfer is a copy.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def DivimlAnnotateCosts : Pass<"diviml-annotate-costs", "mlir::ModuleOp"> {
  let summary = "Attaches each op's estimated cost on every device";
  let description = [{
    Writes `diviml.cost` on every op of every function body (terminators
    excepted): FLOPs, bytes moved, output and resident bytes, and the time
    on each device of the platform that can run it (roofline, or a measured
    time from `profile`). Ops that already carry `diviml.cost` keep it, so
    the pass is idempotent. Ops the model does not know get a remark. The
    platform is chosen as by diviml-partition and attached to the module.
    docs/cost-model.md gives the formulas.
  }];
  let options = [
    Option<"platform", "platform", "std::string", /*default=*/"\"\"",
           "Platform preset name or JSON file path; default: the module's "
           "'diviml.platform', else preset cpu-2gpu">,
    Option<"profile", "profile", "std::string", /*default=*/"\"\"",
           "JSON table of measured op times that override the roofline">,
    Option<"dimHint", "dim-hint", "unsigned", /*default=*/"1",
           "Size taken for every dynamic dimension in op costs">,
    Option<"totals", "totals", "bool", /*default=*/"false",
           "Emit a remark per function with its total FLOPs, bytes and "
           "weight bytes">,
  ];
  let dependentDialects = ["::diviml::DivimlDialect"];
}

#endif // DIVIML_PASSES
