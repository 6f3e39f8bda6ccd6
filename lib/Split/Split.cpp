//===- Split.cpp - The split heuristic: phases, budget, final answer ------===//
//
// Modules first (communities, DAG repair, size limits), the baselines as
// candidates, the forward pass of module MILPs, then with refinement the
// window re-solves and local search. The answer is whichever whole
// solution evaluate() rates best among the split result and the
// baselines, so split is never worse than greedy, HEFT or fastest-single.
//
// Budgets are counted work (simplex iterations, local-search trials), so
// the answer does not depend on the machine's load; the time limit is a
// safety cap whose hit is reported (stats "stop.time-limit"). Without
// refinement the forward pass's MILPs share forwardWork (a quick default);
// when refining the forward pass gets refineForwardWork, the windows
// windowWork and the local search searchWork, which stops earlier when it
// converges (SplitOptions::searchHorizon kicks without a gain) or meets the
// lower bound within the requested gap. Within a phase each MILP gets the
// work left divided by the MILPs left (Budget), at most maxModuleWork.
//
//===----------------------------------------------------------------------===//

#include "SplitPhases.h"

#include "diviml/Baselines/Baselines.h"
#include "diviml/Baselines/Progress.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Split/LatencySegments.h"
#include "diviml/Split/LocalSearch.h"
#include "diviml/Split/Symmetry.h"

#include "spdlog/spdlog.h"

#include <algorithm>

using namespace diviml;
using namespace diviml::split;

Budget::Budget(double work, unsigned parts, double minimum, double maximum,
               const PhaseStats &stats)
    : total(std::max(0.0, work)), startWork(stats.milpWork), left(parts),
      minimum(minimum), maximum(maximum), stats(stats) {}

double Budget::next() {
  if (left == 0)
    return 0;
  double share = (total - (stats.milpWork - startWork)) / left;
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
  stats.milpWork += outcome->work;
  stats.timeLimitHits += outcome->timeLimitHit;
  stats.lastStatus = outcome->status;
  stats.lastBound = outcome->bound;
  stats.milpOptimal += outcome->status == SolveStatus::Optimal;
  spdlog::debug("split: {} MILP {} in {:.3f} s, {} of {} iterations, {} "
                "vars {} rows",
                what.str(), stringifySolveStatus(outcome->status).str(),
                secondsNow() - start, outcome->work, options.workLimit,
                outcome->variables, outcome->rows);
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

MilpOptions split::moduleMilpOptions(const Context &context, double work,
                                     bool wholeProblem) {
  MilpOptions options;
  options.objective = context.options.objective;
  options.workLimit = work;
  options.timeLimit = std::max(0.001, context.deadline - secondsNow());
  options.solver = context.options.solver;
  // A module's optimum is only a step of a heuristic: a tiny gap saves the
  // time of proving the last digits. The whole problem is solved exactly.
  options.relativeGap = wholeProblem ? 0 : 1e-4;
  options.workPerJobPair = context.split.workPerJobPair;
  options.workPerTerm = context.split.workPerModelTerm;
  return options;
}

llvm::Expected<AlgorithmResult>
diviml::scheduleSplit(const Problem &problem, const AlgorithmOptions &options) {
  SplitOptions split;
  split.useSymmetry = options.symmetry;
  return scheduleSplit(problem, options, split);
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

  // Identical layers: the block pipeline, replicated over groups of
  // identical servers when that is better (docs/split.md, "Symmetry"),
  // replaces the op-by-op search when it applies and its plan verifies.
  if (objective == Objective::Throughput && splitOptions.useSymmetry) {
    llvm::Expected<AlgorithmResult> pipeline =
        scheduleReplicatedPipeline(problem, options);
    if (!pipeline) {
      spdlog::debug("split: {}", llvm::toString(pipeline.takeError()));
    } else if (llvm::Error err = verify(problem, pipeline->solution)) {
      spdlog::debug("split: block pipeline: {}",
                    llvm::toString(std::move(err)));
    } else {
      pipeline->stats["symmetry"] = 1;
      pipeline->stats["seconds.total"] = secondsNow() - begin;
      // A fixed plan without a search: it ran to its end.
      setStopReason(*pipeline, StopReason::Completed);
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

  Context context(problem, options, splitOptions, plan, deadline);
  ProgressLine progress(options.progress, "split");
  // Baselines at the end of context.baselines that no local search starts
  // from (latency's segments).
  unsigned unsearched = 0;
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
    // Latency: contiguous segments of a topological order, a module
    // candidate and a finalist like the baselines but no search start
    // (LatencySegments.h, docs/split.md).
    if (objective == Objective::Latency)
      if (std::optional<LatencySegmentsResult> segments =
              latencySegments(problem)) {
        context.baselines.push_back(std::move(segments->solution));
        unsearched = 1;
      }
  }
  double baselinesDone = secondsNow();
  result.stats["seconds.baselines"] = baselinesDone - modulesDone;

  // Large graphs: the refinement's budgets shrink with the size, so that
  // its time stays near that of a fullBudgetOps-op graph.
  SplitOptions scaled = splitOptions;
  if (options.refine && problem.numNodes() > splitOptions.fullBudgetOps) {
    double factor = double(splitOptions.fullBudgetOps) / problem.numNodes();
    scaled.refineForwardWork *= factor;
    scaled.windowWork *= factor;
    scaled.searchWork *= factor;
    result.stats["budget.scale"] = factor;
  }

  unsigned milpModules =
      llvm::count_if(plan.modules, [](const std::vector<unsigned> &m) {
        return m.size() > 1;
      });
  // With one module there are no windows: its MILP gets their work too.
  double forwardWork =
      options.refine ? scaled.refineForwardWork +
                           (plan.modules.size() == 1 ? scaled.windowWork : 0)
                     : std::max(splitOptions.forwardWork,
                                1.5 * splitOptions.minModuleWork * milpModules);
  PhaseStats phaseStats;
  Budget forwardBudget(forwardWork, milpModules, splitOptions.minModuleWork,
                       splitOptions.maxModuleWork, phaseStats);
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

  // The best value so far and a lower bound, for the gap stop and the
  // progress line; the bound is only computed when one of them needs it.
  double bound = 0;
  if (options.gap > 0 || options.progress)
    bound = lowerBound(problem, objective);
  double bestSoFar = kInfinity;
  for (const Solution &baseline : context.baselines)
    bestSoFar =
        std::min(bestSoFar, evaluate(problem, baseline, objective).value);
  if (solution)
    bestSoFar = std::min(bestSoFar, result.stats["value.forward"]);
  progress.update(bestSoFar, bound);
  auto withinGap = [&] {
    return options.gap > 0 && bound > 0 &&
           bestSoFar <= bound * (1 + options.gap);
  };
  bool gapMet = withinGap();
  bool searchOutOfWork = false, searchTimeHit = false;

  if (options.refine && solution && !gapMet) {
    Budget windowBudget(
        scaled.windowWork, plan.modules.empty() ? 0 : plan.modules.size() - 1,
        splitOptions.minModuleWork, splitOptions.maxModuleWork, phaseStats);
    if (objective == Objective::Latency)
      latencyWindows(context, windowBudget, *solution, phaseStats);
    else
      throughputWindows(context, windowBudget, *solution, phaseStats);
    if (objective == Objective::Latency)
      improveLatencyOrder(problem, *solution);
    double windowsDone = secondsNow();
    result.stats["seconds.windows"] = windowsDone - forwardDone;
    result.stats["windows.improved"] = phaseStats.windowsImproved;
    bestSoFar =
        std::min(bestSoFar, evaluate(problem, *solution, objective).value);
    progress.update(bestSoFar, bound);
    gapMet = withinGap();
    // Local search from the split result (half the work), then from each
    // baseline (shares of the rest, work a converged start leaves over
    // going to the later ones): a multi-start, since the moves stop at a
    // local optimum that depends on the start. Each start stops when it
    // converges; all stop once the gap is met.
    double searchLeft = scaled.searchWork;
    auto search = [&](Solution &start, double share, bool transferResplits) {
      LocalSearchLimits limits;
      limits.transferResplits = transferResplits;
      limits.seconds = std::max(0.0, deadline - secondsNow());
      limits.work = share;
      limits.horizon = splitOptions.searchHorizon;
      LocalSearchStats found =
          improveByLocalSearch(problem, start, objective, limits);
      searchLeft -= found.work;
      searchOutOfWork |= !found.horizonReached && !found.timeLimitHit;
      searchTimeHit |= found.timeLimitHit;
      bestSoFar =
          std::min(bestSoFar, evaluate(problem, start, objective).value);
      progress.update(bestSoFar, bound);
      gapMet = withinGap();
      return found;
    };
    // Where transfers load the devices the two-device re-splits (which
    // charge the legs) run from split's solution only: from the baselines'
    // they doubled those starts' time on the Tarnawski workloads without
    // giving the answer (docs/split.md, section 4).
    LocalSearchStats first = search(
        *solution,
        searchLeft / (context.baselines.size() == unsearched ? 1 : 2), true);
    result.stats["local-search.moves"] = first.moves;
    result.stats["local-search.passes"] = first.passes;
    result.stats["local-search.kicks"] = first.kicks;
    if (objective == Objective::Throughput)
      result.stats["local-search.rebalances"] = first.rebalances;
    result.stats["local-search.converged"] = first.converged;
    for (unsigned b = 0, be = context.baselines.size() - unsearched;
         b != be && !gapMet; ++b)
      search(context.baselines[b], std::max(0.0, searchLeft) / (be - b), false);
    result.stats["local-search.work"] = scaled.searchWork - searchLeft;
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
  // refining), then latency's segments if computed (not searched), then
  // fastest-single, kept because they were better.
  result.stats["baseline-kept"] = solution ? source : source + 1;
  result.stats["value.final"] = bestValue;
  result.stats["modules.milp"] = phaseStats.milpRuns;
  result.stats["modules.optimal"] = phaseStats.milpOptimal;
  result.stats["modules.improved"] = phaseStats.milpImproved;
  result.stats["modules.errors"] = phaseStats.milpErrors;
  result.stats["modules.skipped"] = phaseStats.milpSkipped;
  result.stats["seconds.milp"] = phaseStats.milpSeconds;
  result.stats["milp.work"] = phaseStats.milpWork;
  result.stats["seconds.total"] = secondsNow() - begin;
  result.status = SolveStatus::Heuristic;
  if (plan.modules.size() == 1 && phaseStats.milpRuns == 1 &&
      phaseStats.lastStatus == SolveStatus::Optimal) {
    result.status = SolveStatus::Optimal;
    result.bound = phaseStats.lastBound;
  }
  // Why it stopped: the clock only when a MILP or the search hit the cap.
  StopReason reason = StopReason::Converged;
  if (phaseStats.timeLimitHits > 0 || searchTimeHit)
    reason = StopReason::TimeLimit;
  else if (result.status == SolveStatus::Optimal)
    reason = StopReason::Optimal;
  else if (options.gap > 0 && bound > 0 &&
           bestValue <= bound * (1 + options.gap))
    reason = StopReason::Gap;
  else if (!options.refine)
    reason = StopReason::Completed;
  else if (searchOutOfWork)
    reason = StopReason::WorkLimit;
  setStopReason(result, reason);
  if (bound > 0)
    result.stats["bound"] = bound;
  progress.update(bestValue, bound, /*force=*/progress.enabled() &&
                                        reason != StopReason::Optimal);
  spdlog::debug("split: {} modules, value {} ({})", plan.modules.size(),
                bestValue,
                source == 0 && solution ? "split" : "a baseline was better");
  return result;
}
