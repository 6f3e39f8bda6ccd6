//===- Split.cpp - The split heuristic: phases, budget, final answer ------===//
//
// Modules first (communities, DAG repair, size limits), the baselines as
// candidates, the forward pass of module MILPs, then with refinement the
// window re-solves and local search. The answer is whichever whole
// solution evaluate() rates best among the split result and the
// baselines, so split is never worse than greedy, HEFT or fastest-single.
//
// Time: without refinement the forward pass's MILPs share about
// forwardSeconds (a quick default); when refining the forward pass gets
// forwardShare of the time limit, windowShare goes to windows and the rest
// to local search. Within a phase each MILP gets the time left divided by
// the MILPs left (Budget), at most maxModuleSeconds.
//
//===----------------------------------------------------------------------===//

#include "SplitPhases.h"

#include "diviml/Baselines/Baselines.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Split/LocalSearch.h"
#include "diviml/Split/Symmetry.h"

#include "spdlog/spdlog.h"

#include <algorithm>

using namespace diviml;
using namespace diviml::split;

Budget::Budget(double seconds, unsigned parts, double minimum, double maximum)
    : deadline(secondsNow() + std::max(0.0, seconds)), left(parts),
      minimum(minimum), maximum(maximum) {}

double Budget::next() {
  if (left == 0)
    return 0;
  double share = (deadline - secondsNow()) / left;
  --left;
  return share >= minimum ? std::min(share, maximum) : 0;
}

llvm::Expected<MilpOutcome> split::solveCounted(const Problem &problem,
                                                const MilpOptions &options,
                                                PhaseStats &stats,
                                                const llvm::Twine &what) {
  double start = secondsNow();
  llvm::Expected<MilpOutcome> outcome = solvePlacementMilp(problem, options);
  stats.milpSeconds += secondsNow() - start;
  ++stats.milpRuns;
  if (!outcome) {
    ++stats.milpErrors;
    return outcome.takeError();
  }
  stats.milpSkipped += !outcome->built;
  stats.lastStatus = outcome->status;
  stats.lastBound = outcome->bound;
  stats.milpOptimal += outcome->status == SolveStatus::Optimal;
  spdlog::debug("split: {} MILP {} in {:.3f} s (limit {:.3f} s)", what.str(),
                stringifySolveStatus(outcome->status).str(),
                secondsNow() - start, options.timeLimit);
  return outcome;
}

std::vector<std::pair<size_t, size_t>>
split::seamWindows(const ModulePlan &plan, unsigned size) {
  std::vector<std::pair<size_t, size_t>> windows;
  size_t start = 0;
  for (unsigned m = 0; m + 1 < plan.modules.size(); ++m) {
    size_t seam = start + plan.modules[m].size();
    size_t next = seam + plan.modules[m + 1].size();
    size_t before = std::min<size_t>(plan.modules[m].size(), (size + 1) / 2);
    size_t after = std::min<size_t>(plan.modules[m + 1].size(),
                                    std::max<size_t>(size, 2) - before);
    windows.push_back({seam - before, std::min(next, seam + after)});
    start = seam;
  }
  return windows;
}

MilpOptions split::moduleMilpOptions(const Context &context, double seconds,
                                     bool wholeProblem) {
  MilpOptions options;
  options.objective = context.options.objective;
  options.timeLimit = seconds;
  options.solver = context.options.solver;
  // A module's optimum is only a step of a heuristic: a tiny gap saves the
  // time of proving the last digits. The whole problem is solved exactly.
  options.relativeGap = wholeProblem ? 0 : 1e-4;
  options.secondsPerJobPair = context.split.secondsPerJobPair;
  return options;
}

llvm::Expected<AlgorithmResult>
diviml::scheduleSplit(const Problem &problem, const AlgorithmOptions &options) {
  return scheduleSplit(problem, options, SplitOptions());
}

llvm::Expected<AlgorithmResult>
diviml::scheduleSplit(const Problem &original, const AlgorithmOptions &options,
                      const SplitOptions &splitOptions) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  double begin = secondsNow();
  double deadline = begin + options.timeLimit;
  AlgorithmResult result;
  Objective objective = options.objective;

  // Identical layers: the block pipeline (docs/split.md, "Symmetry")
  // replaces the op-by-op search when it applies and its plan verifies.
  if (objective == Objective::Throughput && splitOptions.useSymmetry) {
    llvm::Expected<AlgorithmResult> pipeline =
        scheduleBlockPipeline(problem, options);
    if (!pipeline) {
      spdlog::debug("split: {}", llvm::toString(pipeline.takeError()));
    } else if (llvm::Error err = verify(problem, pipeline->solution)) {
      spdlog::debug("split: block pipeline: {}",
                    llvm::toString(std::move(err)));
    } else {
      pipeline->stats["symmetry"] = 1;
      pipeline->stats["value.final"] =
          evaluate(problem, pipeline->solution, objective).value;
      pipeline->stats["seconds.total"] = secondsNow() - begin;
      return pipeline;
    }
  }

  ModuleOptions moduleOptions = splitOptions.modules;
  moduleOptions.maxModuleSize = std::max(1u, options.maxModuleSize);
  ModulePlan plan = buildModules(problem, moduleOptions);
  double modulesDone = secondsNow();
  result.stats["modules"] = plan.modules.size();
  result.stats["communities"] = plan.communities;
  result.stats["modularity"] = plan.modularity;
  result.stats["module-modularity"] = plan.moduleModularity;
  result.stats["seconds.communities"] = modulesDone - begin;

  Context context(problem, options, splitOptions, plan);
  if (splitOptions.useBaselines) {
    AlgorithmOptions baselineOptions;
    baselineOptions.objective = objective;
    for (auto *baseline : {scheduleGreedy, scheduleHeft}) {
      llvm::Expected<AlgorithmResult> found =
          baseline(problem, baselineOptions);
      if (found)
        context.baselines.push_back(std::move(found->solution));
      else
        spdlog::debug("split: a baseline failed: {}",
                      llvm::toString(found.takeError()));
    }
  }
  double baselinesDone = secondsNow();
  result.stats["seconds.baselines"] = baselinesDone - modulesDone;

  unsigned milpModules =
      llvm::count_if(plan.modules, [](const std::vector<unsigned> &m) {
        return m.size() > 1;
      });
  // With one module there are no windows: its MILP gets their share too.
  double forwardShare =
      splitOptions.forwardShare +
      (plan.modules.size() == 1 ? splitOptions.windowShare : 0);
  double forwardSeconds =
      options.refine ? options.timeLimit * forwardShare
                     : std::min(deadline - baselinesDone,
                                std::max(splitOptions.forwardSeconds,
                                         1.5 * splitOptions.minModuleSeconds *
                                             milpModules));
  Budget forwardBudget(forwardSeconds, milpModules,
                       splitOptions.minModuleSeconds,
                       splitOptions.maxModuleSeconds);
  PhaseStats phaseStats;
  llvm::Expected<Solution> forward =
      objective == Objective::Latency
          ? latencyForward(context, forwardBudget, phaseStats)
          : throughputForward(context, forwardBudget, phaseStats);
  double forwardDone = secondsNow();
  result.stats["seconds.forward"] = forwardDone - baselinesDone;
  std::optional<Solution> solution;
  if (forward) {
    solution = std::move(*forward);
    // The concatenated module orders keep every module behind the ones
    // before it on each device; an order derived from the schedule may
    // interleave them better (after the windows, which need the modules'
    // order, when refining).
    if (objective == Objective::Latency && !options.refine)
      result.stats["forward.reordered"] =
          improveLatencyOrder(problem, *solution);
    result.stats["value.forward"] =
        evaluate(problem, *solution, objective).value;
  } else if (context.baselines.empty()) {
    return forward.takeError();
  } else {
    spdlog::debug("split: forward pass failed: {}",
                  llvm::toString(forward.takeError()));
  }

  if (options.refine && solution) {
    Budget windowBudget(options.timeLimit * splitOptions.windowShare,
                        plan.modules.empty() ? 0 : plan.modules.size() - 1,
                        splitOptions.minModuleSeconds,
                        splitOptions.maxModuleSeconds);
    if (objective == Objective::Latency)
      latencyWindows(context, windowBudget, *solution, phaseStats);
    else
      throughputWindows(context, windowBudget, *solution, phaseStats);
    if (objective == Objective::Latency)
      improveLatencyOrder(problem, *solution);
    double windowsDone = secondsNow();
    result.stats["seconds.windows"] = windowsDone - forwardDone;
    result.stats["windows.improved"] = phaseStats.windowsImproved;
    // Local search from the split result (half the time left), then from
    // each baseline (shares of the rest): a multi-start, since the moves
    // stop at a local optimum that depends on the start.
    LocalSearchStats search =
        improveByLocalSearch(problem, *solution, objective,
                             std::max(0.0, deadline - windowsDone) /
                                 (context.baselines.empty() ? 1 : 2));
    result.stats["local-search.moves"] = search.moves;
    result.stats["local-search.passes"] = search.passes;
    if (objective == Objective::Throughput)
      result.stats["local-search.rebalances"] = search.rebalances;
    result.stats["local-search.converged"] = search.converged;
    for (unsigned b = 0, be = context.baselines.size(); b != be; ++b)
      improveByLocalSearch(problem, context.baselines[b], objective,
                           std::max(0.0, deadline - secondsNow()) / (be - b));
    result.stats["seconds.local-search"] = secondsNow() - windowsDone;
  }

  // The answer: the best whole solution by the evaluator.
  double bestValue = kInfinity;
  unsigned source = 0;
  std::vector<Solution> finalists;
  if (solution)
    finalists.push_back(std::move(*solution));
  for (Solution &baseline : context.baselines)
    finalists.push_back(std::move(baseline));
  // Everything on its best device: no search starts from it, but on small
  // models dominated by moving the inputs (examples/inception_block.mlir)
  // it beats the split of greedy and HEFT.
  if (splitOptions.useBaselines) {
    AlgorithmOptions baselineOptions;
    baselineOptions.objective = objective;
    if (llvm::Expected<AlgorithmResult> single =
            scheduleFastestSingle(problem, baselineOptions))
      finalists.push_back(std::move(single->solution));
    else
      spdlog::debug("split: fastest-single failed: {}",
                    llvm::toString(single.takeError()));
  }
  for (unsigned i = 0, e = finalists.size(); i != e; ++i) {
    Evaluation evaluation = evaluate(problem, finalists[i], objective);
    if (evaluation.feasible && evaluation.value < bestValue) {
      bestValue = evaluation.value;
      source = i;
    }
  }
  if (bestValue == kInfinity)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "split: no feasible solution found");
  result.solution = std::move(finalists[source]);
  if (objective == Objective::Throughput)
    result.solution.order.clear();
  // 0: the split result; 1, 2: greedy, HEFT (after local search when
  // refining), 3: fastest-single, kept because they were better.
  result.stats["baseline-kept"] = solution ? source : source + 1;
  result.stats["value.final"] = bestValue;
  result.stats["modules.milp"] = phaseStats.milpRuns;
  result.stats["modules.optimal"] = phaseStats.milpOptimal;
  result.stats["modules.improved"] = phaseStats.milpImproved;
  result.stats["modules.errors"] = phaseStats.milpErrors;
  result.stats["modules.skipped"] = phaseStats.milpSkipped;
  result.stats["seconds.milp"] = phaseStats.milpSeconds;
  result.stats["seconds.total"] = secondsNow() - begin;
  result.status = SolveStatus::Heuristic;
  if (plan.modules.size() == 1 && phaseStats.milpRuns == 1 &&
      phaseStats.lastStatus == SolveStatus::Optimal) {
    result.status = SolveStatus::Optimal;
    result.bound = phaseStats.lastBound;
  }
  spdlog::debug("split: {} modules, value {} ({})", plan.modules.size(),
                bestValue,
                source == 0 && solution ? "split" : "a baseline was better");
  return result;
}
