//===- Milp.cpp - MILP entry points: warm starts, checks, dispatch --------===//

#include "MilpCommon.h"

#include "diviml/Baselines/Baselines.h"
#include "diviml/Baselines/Progress.h"
#include "diviml/Model/Solution.h"

#include "llvm/Support/FormatVariadic.h"

#include "spdlog/spdlog.h"

#include <algorithm>
#include <chrono>

using namespace diviml;

/// Above this many job pairs the latency MILP is not built (see below).
static constexpr double kMaxLatencyJobPairs = 2e6;
using namespace diviml::milp;

static llvm::Error milpError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Whether `order` lists every node once, producers before consumers.
static bool isTopological(const Problem &problem,
                          llvm::ArrayRef<unsigned> order) {
  unsigned n = problem.numNodes();
  if (order.size() != n)
    return false;
  std::vector<unsigned> position(n, n);
  for (unsigned i = 0; i != n; ++i) {
    if (order[i] >= n || position[order[i]] != n)
      return false;
    position[order[i]] = i;
  }
  return llvm::all_of(problem.edges, [&](const Edge &edge) {
    return position[edge.src] < position[edge.dst];
  });
}

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}
} // namespace

llvm::Expected<MilpOutcome>
diviml::solvePlacementMilp(const Problem &original,
                           const MilpOptions &options) {
  // The time limit covers the whole call: checks, the instance and the
  // model take seconds on large problems.
  Clock::time_point began = Clock::now();
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  if (llvm::Error err = problem.check())
    return std::move(err);
  if (llvm::Error err = checkBoundary(problem, options.boundary))
    return std::move(err);
  Instance instance(problem, options.boundary);
  if (!instance.productRoutes)
    return milpError("the platform's routes do not have the host-staging "
                     "structure the MILP relies on");
  llvm::Expected<std::unique_ptr<MilpSolver>> solver =
      createMilpSolver(options.solver);
  if (!solver)
    return solver.takeError();
  bool latency = options.objective == Objective::Latency;

  // The best admissible candidate, by the MILP's own objective.
  std::optional<Solution> start;
  double startValue = kInfinity;
  for (const Solution &candidate : options.warmStarts) {
    if (!instance.admits(candidate.device))
      continue;
    Solution copy;
    copy.device = candidate.device;
    instance.numberByFirstUse(copy.device);
    if (latency) {
      copy.order = candidate.order;
      if (copy.order.empty())
        copy.order.assign(problem.topologicalOrder().begin(),
                          problem.topologicalOrder().end());
      if (!isTopological(problem, copy.order))
        continue;
    }
    double value = solutionValue(instance, options.objective, copy);
    if (value < startValue) {
      startValue = value;
      start = std::move(copy);
    }
  }
  spdlog::debug("milp: {} objective, warm start {}",
                stringifyObjective(options.objective).str(), startValue);

  // The latency model orders every pair of jobs (ops and transfer legs) that
  // reachability leaves unordered; past a few million pairs merely building
  // it takes longer than any sensible time limit and gigabytes of memory.
  double jobs = double(instance.numNodes) + double(instance.legs.size());
  double jobPairs = jobs * jobs / 2;
  bool tooLargeForTime =
      start && ((options.secondsPerJobPair > 0 &&
                 jobPairs * options.secondsPerJobPair > options.timeLimit) ||
                (options.workLimit > 0 && options.workPerJobPair > 0 &&
                 jobPairs * options.workPerJobPair > options.workLimit));
  // The throughput model has no ordering pairs, but one term per (leg,
  // consumer, device) of each "leg used" row: on a cluster of tens of
  // devices a module's legs (tensor x link) run into the millions.
  double terms = latency ? 0 : throughputModelTerms(instance);
  bool tooManyTerms = !latency && start && options.workLimit > 0 &&
                      options.workPerTerm > 0 &&
                      terms * options.workPerTerm > options.workLimit;
  // A model too large to build answers with its warm start, unsolved.
  auto keepWarmStart = [&] {
    MilpOutcome kept;
    kept.solution = *start;
    kept.value = startValue;
    kept.solverObjective = startValue;
    kept.status = SolveStatus::Timeout;
    kept.warmStartUsed = true;
    kept.built = false;
    return kept;
  };
  if (tooManyTerms) {
    spdlog::debug("milp: throughput model of {} terms too large for {} work; "
                  "keeping the warm start",
                  terms, options.workLimit);
    return keepWarmStart();
  }
  if (latency && (jobPairs > kMaxLatencyJobPairs || tooLargeForTime)) {
    spdlog::debug("milp: latency model of {} jobs too large{}; keeping the "
                  "warm start",
                  jobs,
                  jobPairs > kMaxLatencyJobPairs
                      ? ""
                      : llvm::formatv(" for {0} s", options.timeLimit).str());
    if (!start)
      return milpError(llvm::formatv(
          "the latency MILP of {0} ops and {1} transfer legs is too large to "
          "build; use algorithm=split",
          instance.numNodes, instance.legs.size()));
    return keepWarmStart();
  }
  MilpOptions remaining = options;
  remaining.timeLimit = std::max(0.0, options.timeLimit - secondsSince(began));
  llvm::Expected<MilpOutcome> outcome =
      latency ? solveLatencyMilp(instance, remaining, start ? &*start : nullptr,
                                 **solver)
              : solveThroughputMilp(instance, remaining,
                                    start ? &start->device : nullptr, **solver);
  if (!outcome)
    return outcome.takeError();
  if (start && outcome->value > startValue * (1 + 1e-9)) {
    // The solver layer never returns worse than the start, so this is the
    // model disagreeing with the evaluator; keep the start, claim nothing.
    spdlog::debug("milp: solution value {} exceeds the warm start's {}; "
                  "keeping the warm start",
                  outcome->value, startValue);
    outcome->solution = *start;
    outcome->value = startValue;
    outcome->status = SolveStatus::Timeout;
  }
  return outcome;
}

llvm::Expected<MilpPointCheck>
diviml::checkMilpPoint(const Problem &original, const Solution &solution,
                       const MilpOptions &options) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  if (llvm::Error err = problem.check())
    return std::move(err);
  if (llvm::Error err = checkBoundary(problem, options.boundary))
    return std::move(err);
  Instance instance(problem, options.boundary);
  if (!instance.admits(solution.device))
    return milpError("the placement is not admissible");
  if (options.objective == Objective::Throughput)
    return checkThroughputPoint(instance, solution);
  Solution ordered = solution;
  if (ordered.order.empty())
    ordered.order.assign(problem.topologicalOrder().begin(),
                         problem.topologicalOrder().end());
  if (!isTopological(problem, ordered.order))
    return milpError("the order is not a topological order of all nodes");
  return checkLatencyPoint(instance, ordered);
}

std::vector<Solution> milp::heuristicStarts(const Problem &problem,
                                            Objective objective) {
  AlgorithmOptions options;
  options.objective = objective;
  std::vector<Solution> starts;
  for (auto *heuristic :
       {scheduleHeft, scheduleGreedy, scheduleFastestSingle}) {
    llvm::Expected<AlgorithmResult> result = heuristic(problem, options);
    if (!result) {
      spdlog::debug("milp: a warm-start heuristic failed: {}",
                    llvm::toString(result.takeError()));
      continue;
    }
    starts.push_back(std::move(result->solution));
  }
  return starts;
}

void milp::addStats(AlgorithmResult &result, const MilpOutcome &outcome) {
  result.stats["milp.objective"] = outcome.solverObjective;
  result.stats["milp.bound"] = outcome.bound;
  result.stats["milp.seconds"] = outcome.seconds;
  result.stats["milp.variables"] = outcome.variables;
  result.stats["milp.integerVariables"] = outcome.integerVariables;
  result.stats["milp.rows"] = outcome.rows;
  result.stats["milp.built"] = outcome.built;
  result.stats["milp.work"] = outcome.work;
}

llvm::Expected<AlgorithmResult>
diviml::scheduleMilp(const Problem &original, const AlgorithmOptions &options) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  if (options.dataParallel && options.objective == Objective::Throughput)
    return scheduleDataParallel(problem, options);
  Clock::time_point began = Clock::now();
  MilpOptions milpOptions;
  milpOptions.objective = options.objective;
  milpOptions.solver = options.solver;
  milpOptions.relativeGap = options.gap;
  milpOptions.warmStarts = heuristicStarts(problem, options.objective);
  // The heuristics' time counts against the limit too.
  milpOptions.timeLimit =
      std::max(0.0, options.timeLimit - secondsSince(began));
  ProgressLine progress(options.progress, "milp");
  if (options.progress)
    milpOptions.progress = [&](double incumbent, double bound) {
      progress.update(incumbent, bound);
    };
  llvm::Expected<MilpOutcome> outcome =
      solvePlacementMilp(problem, milpOptions);
  if (!outcome)
    return outcome.takeError();
  AlgorithmResult result;
  result.solution = std::move(outcome->solution);
  result.status = outcome->status;
  result.bound = outcome->bound;
  addStats(result, *outcome);
  // Not optimal and not stopped by the clock: GLPK met the requested gap.
  setStopReason(result, outcome->timeLimitHit ? StopReason::TimeLimit
                        : outcome->status == SolveStatus::Optimal
                            ? StopReason::Optimal
                            : StopReason::Gap);
  return result;
}
