//===- Partition.cpp - The diviml-partition pass --------------------------===//
//
// A thin adapter: IR -> core Problem, run a core algorithm, core Solution ->
// `diviml.device` attributes and a JSON report.
//
//===----------------------------------------------------------------------===//

#include "CostSetup.h"
#include "DotGraph.h"
#include "Explain.h"
#include "InlineCalls.h"
#include "ModuleLocation.h"
#include "OutputFile.h"
#include "PlatformConversion.h"
#include "ProblemBuilder.h"
#include "ProfileTable.h"
#include "Report.h"
#include "Trace.h"

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Passes/Passes.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Timer.h"

#include <chrono>

namespace diviml {
#define GEN_PASS_DEF_DIVIMLPARTITION
#include "diviml/Passes/Passes.h.inc"
} // namespace diviml

using namespace mlir;
using namespace diviml;

/// The algorithm name that keeps the placement ops already carry.
static constexpr llvm::StringLiteral kGivenAlgorithm = "given";

namespace {

struct PartitionPass : public diviml::impl::DivimlPartitionBase<PartitionPass> {
  using DivimlPartitionBase::DivimlPartitionBase;

  void runOnOperation() override;

  /// Partitions one function; fills `report`. Emits located errors.
  LogicalResult partition(func::FuncOp func, const Platform &platform,
                          const AlgorithmOptions &options,
                          llvm::StringSet<> &names, FunctionReport &report);

  /// Options that the chosen algorithm and objective do not use: a user
  /// who sets them expects an effect. Compared with the defaults, since a
  /// pipeline sets every option.
  void warnAboutIgnoredOptions(Location loc);

  /// algorithm=given: the placement the ops of `fp` already carry, the ops
  /// without one placed by the default algorithm when `complete` is set.
  /// Emits located errors.
  FailureOr<AlgorithmResult> givenPlacement(const FunctionProblem &fp,
                                            const Platform &platform,
                                            unsigned home,
                                            const AlgorithmOptions &options);

  /// Measured op times from the `profile` option, if given.
  std::optional<ProfileTable> profileTable;
};

} // namespace

FailureOr<AlgorithmResult>
PartitionPass::givenPlacement(const FunctionProblem &fp,
                              const Platform &platform, unsigned home,
                              const AlgorithmOptions &options) {
  AlgorithmResult result;
  std::vector<unsigned> &device = result.solution.device;
  device.assign(fp.problem.numNodes(), home);
  llvm::SmallVector<bool> kept(fp.problem.numNodes(), true);
  unsigned missing = 0;
  Operation *firstMissing = nullptr;
  for (auto [index, op] : llvm::enumerate(fp.ops)) {
    Attribute attr = op->getAttr(DivimlDialect::kDeviceAttrName);
    if (!attr) {
      kept[index] = false;
      if (missing++ == 0)
        firstMissing = op;
      continue;
    }
    auto name = dyn_cast<StringAttr>(attr);
    if (!name)
      return op->emitError()
             << "'" << DivimlDialect::kDeviceAttrName
             << "' must be a string naming a device, not " << attr;
    std::optional<unsigned> found = platform.findDevice(name.getValue());
    if (!found)
      return op->emitError()
             << "'" << DivimlDialect::kDeviceAttrName << "' names device '"
             << name.getValue() << "', which platform '" << platform.name
             << "' does not have";
    if (!fp.problem.nodes[index].canRunOn(*found))
      return op->emitError()
             << "op cannot run on its given device '" << name.getValue() << "'";
    device[index] = *found;
  }
  if (missing && !complete)
    return firstMissing->emitError()
           << "algorithm=given needs a '" << DivimlDialect::kDeviceAttrName
           << "' on every placed op; " << missing
           << (missing == 1 ? " op has" : " ops have")
           << " none (this is the first; complete=true places them)";
  result.stats["given-ops"] = fp.ops.size() - missing;
  if (!missing)
    return result;
  // The default algorithm places the rest on a copy of the problem where
  // every given op can run on its own device only.
  Problem pinned = fp.problem;
  for (unsigned v = 0, e = fp.ops.size(); v != e; ++v)
    if (kept[v])
      for (unsigned d = 0, n = platform.numDevices(); d != n; ++d)
        if (d != device[v])
          pinned.nodes[v].time[d] = kInfinity;
  if (llvm::Error err = pinned.check())
    return emitError(fp.ops.front()->getLoc())
           << "the given devices leave no valid placement: "
           << llvm::toString(std::move(err));
  // A copy: the options object is a temporary.
  std::string defaultAlgorithm = DivimlPartitionOptions().algorithm;
  llvm::Expected<AlgorithmResult> completed =
      runAlgorithm(defaultAlgorithm, pinned, options);
  if (!completed)
    return emitError(fp.ops.front()->getLoc())
           << "completing the given placement with algorithm '"
           << defaultAlgorithm
           << "' failed: " << llvm::toString(completed.takeError());
  result.solution = std::move(completed->solution);
  result.stats["completed-ops"] = missing;
  return result;
}

LogicalResult PartitionPass::partition(func::FuncOp func,
                                       const Platform &platform,
                                       const AlgorithmOptions &options,
                                       llvm::StringSet<> &names,
                                       FunctionReport &report) {
  unsigned home = homeDevice(platform);
  // Names first, so the problem's nodes carry them.
  {
    SmallVector<Operation *> ops;
    if (llvm::hasSingleElement(func.getBody()))
      for (Operation &op : func.getBody().front().without_terminator())
        if (!isRematerializable(&op))
          ops.push_back(&op);
    assignOpNames(ops, func.getSymName(), names);
  }
  FailureOr<std::optional<FunctionProblem>> built = buildFunctionProblem(
      func, platform, home, profileTable ? &*profileTable : nullptr, dimHint);
  if (failed(built))
    return failure();
  if (!*built) {
    emitWarning(func.getLoc()) << "'@" << func.getSymName()
                               << "' holds no tensor op; nothing to partition";
    return success();
  }
  FunctionProblem &fp = **built;
  if (llvm::Error err = fp.problem.check())
    return emitError(func.getLoc())
           << "cannot partition '@" << func.getSymName()
           << "': " << llvm::toString(std::move(err));

  auto start = std::chrono::steady_clock::now();
  bool given = algorithm == kGivenAlgorithm;
  std::optional<AlgorithmResult> result;
  if (given) {
    FailureOr<AlgorithmResult> kept =
        givenPlacement(fp, platform, home, options);
    if (failed(kept))
      return failure();
    result = std::move(*kept);
  } else {
    llvm::Expected<AlgorithmResult> solved =
        runAlgorithm(algorithm, fp.problem, options);
    if (!solved)
      return emitError(func.getLoc())
             << "algorithm '" << algorithm << "' failed on '@"
             << func.getSymName()
             << "': " << llvm::toString(solved.takeError());
    result = std::move(*solved);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (result->status == SolveStatus::Infeasible)
    return emitError(func.getLoc())
           << "'@" << func.getSymName()
           << "' has no feasible placement on platform '" << platform.name
           << "'";
  if (llvm::Error err = verify(fp.problem, result->solution))
    return emitError(func.getLoc())
           << "internal error: algorithm '" << algorithm
           << "' returned an invalid placement: "
           << llvm::toString(std::move(err));
  // Latency: the schedule's intervals too, for the trace and the critical
  // path; they change no figure.
  Evaluation evaluation = evaluate(fp.problem, result->solution,
                                   options.objective, /*recordEvents=*/true);
  if (!evaluation.feasible)
    return emitError(func.getLoc()) << "placement of '@" << func.getSymName()
                                    << "' is infeasible: " << evaluation.reason;

  MLIRContext *context = &getContext();
  report.name = func.getSymName().str();
  report.numOps = fp.ops.size();
  report.opsPerDevice.assign(platform.numDevices(), 0);
  // A device an op already carries (an earlier run, a hand-written hint)
  // is not a constraint; say so when the partition moves it.
  unsigned moved = 0;
  std::string firstMove;
  for (auto [index, op] : llvm::enumerate(fp.ops)) {
    unsigned device = result->solution.device[index];
    const std::string &deviceName = platform.devices[device].name;
    if (Attribute previous = op->getAttr(DivimlDialect::kDeviceAttrName)) {
      auto name = dyn_cast<StringAttr>(previous);
      if (!name || name.getValue() != deviceName) {
        if (moved++ == 0) {
          llvm::raw_string_ostream os(firstMove);
          os << "'" << diviml::opName(op) << "' from " << previous << " to \""
             << deviceName << "\"";
        }
      }
    }
    op->setAttr(DivimlDialect::kDeviceAttrName,
                StringAttr::get(context, deviceName));
    report.placement.emplace_back(diviml::opName(op), deviceName);
    // Every copy's ops count where they run; the IR carries copy 0.
    for (unsigned c = 0, e = result->solution.numCopies(); c != e; ++c)
      ++report.opsPerDevice[result->solution.copy(c)[index]];
  }
  if (moved)
    emitWarning(func.getLoc())
        << "'@" << func.getSymName() << "': replaced the 'diviml.device' of "
        << moved << (moved == 1 ? " op" : " ops") << " (first " << firstMove
        << "); existing device attributes are not placement constraints";
  report.evaluation = std::move(evaluation);
  auto boundStart = std::chrono::steady_clock::now();
  LowerBoundResult bound =
      computeLowerBound(fp.problem, options.objective, options.dataParallel);
  report.boundSeconds = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - boundStart)
                            .count();
  report.lowerBound = bound.value;
  report.boundSource = bound.source;
  if (result->bound > report.lowerBound) {
    report.lowerBound = result->bound;
    report.boundSource = "solver";
  }
  // A bound above the value can only be rounding in the LP or the solver.
  report.lowerBound = std::min(report.lowerBound, report.evaluation.value);
  report.status = result->status;
  report.solveSeconds = seconds;
  report.stats = std::move(result->stats);
  report.transfers = countTransfers(fp.problem, result->solution.device);
  if (options.objective == Objective::Latency)
    report.critical =
        criticalPath(fp.problem, result->solution, report.evaluation);
  // The answer is worth something only against the obvious one: everything
  // on the fastest device. Cheap, so always computed.
  if (algorithm == "fastest-single") {
    report.baselineValue = report.evaluation.value;
  } else if (llvm::Expected<AlgorithmResult> single =
                 runAlgorithm("fastest-single", fp.problem, options)) {
    report.baselineValue =
        evaluate(fp.problem, single->solution, options.objective).value;
  } else {
    llvm::consumeError(single.takeError());
  }
  report.flops.assign(fp.flops.begin(), fp.flops.end());
  report.bytes.assign(fp.bytes.begin(), fp.bytes.end());
  report.problem = std::move(fp.problem);
  report.solution = std::move(result->solution);
  return success();
}

void PartitionPass::warnAboutIgnoredOptions(Location loc) {
  const DivimlPartitionOptions defaults;
  StringRef name = algorithm;
  bool usesSolver = name == "milp" || name == "split" ||
                    (name == kGivenAlgorithm && complete);
  auto ignored = [&](StringRef option, StringRef why) {
    emitWarning(loc) << "option '" << option << "' has no effect " << why;
  };
  if (complete && name != kGivenAlgorithm)
    ignored("complete",
            "with algorithm=" + name.str() + "; it completes algorithm=given");
  if (dataParallel && objective == Objective::Latency)
    ignored("data-parallel", "with objective=latency (replicas raise "
                             "throughput, not latency)");
  else if (dataParallel && name == "split")
    ignored("data-parallel",
            "with algorithm=split, which replicates over identical servers "
            "by itself (option 'symmetry'); only algorithm=milp searches "
            "replicas over any device groups");
  else if (dataParallel && name != "milp")
    ignored("data-parallel", "with algorithm=" + name.str() +
                                 "; only algorithm=milp places replicas");
  if (name != "split" && !(name == kGivenAlgorithm && complete)) {
    if (refine != defaults.refine)
      ignored("refine",
              "with algorithm=" + name.str() + "; it refines algorithm=split");
    if (maxModuleSize != defaults.maxModuleSize)
      ignored("max-module-size", "with algorithm=" + name.str() +
                                     "; it sizes algorithm=split's modules");
    if (symmetry != defaults.symmetry)
      ignored("symmetry",
              "with algorithm=" + name.str() + "; it is algorithm=split's");
  } else if (symmetry != defaults.symmetry && objective == Objective::Latency) {
    ignored("symmetry", "with objective=latency (split uses symmetry for "
                        "throughput only)");
  }
  if (!usesSolver) {
    if (timeLimit != defaults.timeLimit)
      ignored("time-limit",
              "with algorithm=" + name.str() + ", which runs to completion");
    if (solver != defaults.solver)
      ignored("solver",
              "with algorithm=" + name.str() + ", which solves no MILP");
    if (gap != defaults.gap)
      ignored("gap", "with algorithm=" + name.str() + ", which has no bound");
    if (progress)
      ignored("progress",
              "with algorithm=" + name.str() + ", which runs to completion");
  }
}

void PartitionPass::runOnOperation() {
  ModuleOp module = getOperation();
  // Options first: a typo should not wait for a platform to load.
  if (algorithm != kGivenAlgorithm &&
      !llvm::is_contained(algorithmNames(), StringRef(algorithm))) {
    std::string known;
    for (StringRef name : algorithmNames())
      known += (known.empty() ? "" : ", ") + name.str();
    known += ", " + kGivenAlgorithm.str();
    emitError(moduleDiagnosticLoc(module))
        << "unknown algorithm '" << algorithm << "'; known: " << known;
    return signalPassFailure();
  }
  if (solver != "glpk" && solver != "cbc") {
    emitError(moduleDiagnosticLoc(module))
        << "unknown solver '" << solver << "'; known: glpk, cbc";
    return signalPassFailure();
  }
  if (!(timeLimit > 0)) {
    emitError(moduleDiagnosticLoc(module))
        << "time-limit must be positive, got " << timeLimit;
    return signalPassFailure();
  }
  if (!(gap >= 0)) {
    emitError(module.getLoc()) << "gap must be non-negative, got " << gap;
    return signalPassFailure();
  }
  if (maxModuleSize < 1) {
    emitError(moduleDiagnosticLoc(module))
        << "max-module-size must be at least 1";
    return signalPassFailure();
  }
  if (dimHint < 1) {
    emitError(moduleDiagnosticLoc(module)) << "dim-hint must be at least 1";
    return signalPassFailure();
  }
  // Output paths before any work: a typo should not cost a whole solve.
  std::optional<OutputFile> reportFile, traceFile, dotFile;
  for (auto [what, path, file] :
       {std::tuple("report", StringRef(this->report), &reportFile),
        std::tuple("trace", StringRef(trace), &traceFile),
        std::tuple("DOT graph", StringRef(dot), &dotFile)}) {
    if (path.empty())
      continue;
    llvm::Expected<OutputFile> opened = OutputFile::open(what, path);
    if (!opened) {
      emitError(moduleDiagnosticLoc(module))
          << llvm::toString(opened.takeError());
      return signalPassFailure();
    }
    file->emplace(std::move(*opened));
  }
  warnAboutIgnoredOptions(moduleDiagnosticLoc(module));
  FailureOr<CostSetup> setup = setUpCosts(module, platform, profile);
  if (failed(setup))
    return signalPassFailure();
  Platform corePlatform = setup->platform;
  profileTable = std::move(setup->profile);

  AlgorithmOptions options;
  options.objective = objective;
  options.timeLimit = timeLimit;
  options.gap = gap;
  options.progress = progress;
  options.solver = solver;
  options.maxModuleSize = maxModuleSize;
  options.refine = refine;
  options.dataParallel = dataParallel;
  options.symmetry = symmetry;

  PartitionReport report;
  report.objective = objective;
  report.algorithm = algorithm;
  report.platform = corePlatform;
  llvm::StringSet<> names;
  bool failedAny = false;
  // One answer per module: a callee is placed as part of its callers.
  llvm::DenseSet<Operation *> inlined = inlineCalls(module);
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || func->hasAttr(DivimlDialect::kDeviceAttrName))
      continue; // declarations, and device functions of a lowered module
    if (inlined.contains(func))
      continue; // placed where it is called
    if (func->hasAttr(DivimlDialect::kLoweredAttrName) ||
        !func.getOps<TransferOp>().empty()) {
      emitWarning(func.getLoc())
          << "'@" << func.getSymName()
          << "' is already lowered to devices; not partitioned again";
      continue;
    }
    FunctionReport fnReport;
    if (failed(partition(func, corePlatform, options, names, fnReport))) {
      failedAny = true;
      continue;
    }
    if (!fnReport.name.empty())
      report.functions.push_back(std::move(fnReport));
  }
  // Functions of nested modules would need their own platform and symbol
  // table when lowered: they are left to a pass nested on their module. A
  // remark, not a warning: this pass cannot see whether one is scheduled.
  module.walk([&](ModuleOp nested) {
    if (nested == module)
      return;
    bool partitionable =
        llvm::any_of(nested.getOps<func::FuncOp>(), [](func::FuncOp func) {
          return !func.isExternal() &&
                 !func->hasAttr(DivimlDialect::kDeviceAttrName);
        });
    if (partitionable)
      emitRemark(nested.getLoc())
          << "functions of nested modules are left to a pass nested on "
             "them (e.g. --pass-pipeline='builtin.module(diviml-partition,"
             "builtin.module(diviml-partition))')";
  });
  if (failedAny)
    return signalPassFailure();
  if (reportFile) {
    writeReport(report, reportFile->os());
    reportFile->commit();
  }
  if (traceFile) {
    writeTrace(report, traceFile->os());
    traceFile->commit();
  }
  if (dotFile) {
    writeDot(report, dotFile->os());
    dotFile->commit();
  }
}
