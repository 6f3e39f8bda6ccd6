//===- MilpDataParallel.cpp - Replicas over groups of devices -------------===//
//
// Copies of the model on disjoint device groups serve separate shares of
// the stream, so a grouping's rate is the sum of its groups' rates and each
// group's best copy is the single-copy MILP restricted to its devices. We
// enumerate every grouping (set partition) of the devices; groups that are
// images of each other under swaps of interchangeable devices share one
// solve. Costs are in docs/milp.md.
//
//===----------------------------------------------------------------------===//

#include "MilpCommon.h"

#include "diviml/Model/Solution.h"

#include "llvm/Support/FormatVariadic.h"

#include "spdlog/spdlog.h"

#include <map>

using namespace diviml;
using namespace diviml::milp;

/// Bell(10) = 115975 groupings; beyond that the enumeration is the cost.
static constexpr unsigned kMaxDataParallelDevices = 10;

namespace {

/// The best single copy on one group of devices.
struct GroupSolve {
  std::vector<unsigned> devices;
  bool feasible = false;
  /// Proven optimal or proven infeasible.
  bool exact = false;
  std::vector<unsigned> placement;
  double period = kInfinity, bound = 0;
};

/// Calls `visit` with every partition of 0..n-1 into groups.
template <typename Visit> void forEachPartition(unsigned n, Visit visit) {
  // Restricted growth strings: block[i] <= 1 + max(block[0..i-1]).
  std::vector<unsigned> block(n, 0);
  while (true) {
    unsigned blocks = n ? *std::max_element(block.begin(), block.end()) + 1 : 0;
    std::vector<std::vector<unsigned>> groups(blocks);
    for (unsigned i = 0; i != n; ++i)
      groups[block[i]].push_back(i);
    visit(groups);
    // Next string: bump the last position that may grow, reset the rest.
    int i = int(n) - 1;
    for (; i > 0; --i) {
      unsigned maxBefore = *std::max_element(block.begin(), block.begin() + i);
      if (block[i] <= maxBefore) {
        ++block[i];
        break;
      }
    }
    if (i <= 0)
      return;
    std::fill(block.begin() + i + 1, block.end(), 0);
  }
}

std::string describe(llvm::ArrayRef<unsigned> group) {
  std::string text;
  for (unsigned d : group)
    text += (text.empty() ? "" : ",") + std::to_string(d);
  return "{" + text + "}";
}

GroupSolve solveGroup(const Problem &problem, llvm::ArrayRef<unsigned> group,
                      const AlgorithmOptions &options, double timeLimit) {
  GroupSolve solve;
  solve.devices.assign(group.begin(), group.end());
  Problem restricted = problem;
  for (Node &node : restricted.nodes)
    for (unsigned d = 0, e = node.time.size(); d != e; ++d)
      if (!llvm::is_contained(group, d))
        node.time[d] = kInfinity;
  restricted.finalize();
  if (llvm::Error err = restricted.check()) {
    // Some node or colocation group cannot run or fit on these devices.
    spdlog::debug("milp: group {} cannot hold a copy: {}", describe(group),
                  llvm::toString(std::move(err)));
    solve.exact = true;
    return solve;
  }
  MilpOptions milpOptions;
  milpOptions.objective = Objective::Throughput;
  milpOptions.timeLimit = timeLimit;
  milpOptions.solver = options.solver;
  milpOptions.warmStarts = heuristicStarts(restricted, Objective::Throughput);
  llvm::Expected<MilpOutcome> outcome =
      solvePlacementMilp(restricted, milpOptions);
  if (!outcome) {
    llvm::Error err = outcome.takeError();
    solve.exact = err.isA<InfeasibleError>();
    spdlog::debug("milp: group {}: {}", describe(group),
                  llvm::toString(std::move(err)));
    return solve;
  }
  solve.feasible = true;
  solve.exact = outcome->status == SolveStatus::Optimal;
  solve.placement = std::move(outcome->solution.device);
  solve.period = outcome->value;
  solve.bound = outcome->bound;
  return solve;
}

} // namespace

llvm::Expected<AlgorithmResult>
milp::scheduleDataParallel(const Problem &problem,
                           const AlgorithmOptions &options) {
  if (llvm::Error err = problem.check())
    return std::move(err);
  unsigned numDev = problem.numDevices();
  if (numDev > kMaxDataParallelDevices)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("data-parallel MILP enumerates every grouping of the "
                      "devices; {0} devices is more than the {1} it allows",
                      numDev, kMaxDataParallelDevices));
  // A group's signature names each device by the first device of its
  // interchangeable class: equal signatures, equal best copies.
  MilpBoundary noBoundary;
  Instance whole(problem, noBoundary);
  std::vector<unsigned> canonical(numDev);
  for (unsigned d = 0; d != numDev; ++d)
    canonical[d] = d;
  for (const std::vector<unsigned> &cls : whole.symmetricDevices)
    for (unsigned d : cls)
      canonical[d] = cls.front();
  auto signature = [&](llvm::ArrayRef<unsigned> group) {
    std::vector<unsigned> sig;
    for (unsigned d : group)
      sig.push_back(canonical[d]);
    llvm::sort(sig);
    return sig;
  };

  std::map<std::vector<unsigned>, std::vector<unsigned>> firstGroup;
  unsigned groupings = 0;
  forEachPartition(numDev, [&](const std::vector<std::vector<unsigned>> &p) {
    ++groupings;
    for (const std::vector<unsigned> &group : p)
      firstGroup.try_emplace(signature(group), group);
  });
  spdlog::debug("milp: data parallel over {} groupings, {} distinct groups",
                groupings, firstGroup.size());
  std::map<std::vector<unsigned>, GroupSolve> solved;
  double share = options.timeLimit / firstGroup.size();
  for (const auto &[sig, group] : firstGroup)
    solved[sig] = solveGroup(problem, group, options, share);

  // Moves a solved group's placement onto another group of its signature.
  auto placementFor = [&](llvm::ArrayRef<unsigned> group) {
    const GroupSolve &solve = solved[signature(group)];
    std::map<unsigned, std::vector<unsigned>> from, to;
    for (unsigned d : solve.devices)
      from[canonical[d]].push_back(d);
    for (unsigned d : group)
      to[canonical[d]].push_back(d);
    std::vector<unsigned> image(numDev);
    for (auto &[cls, devices] : from)
      for (unsigned i = 0, e = devices.size(); i != e; ++i)
        image[devices[i]] = to[cls][i];
    std::vector<unsigned> placement;
    for (unsigned d : solve.placement)
      placement.push_back(image[d]);
    return placement;
  };

  double bestRate = -1, rateBound = 0;
  std::vector<std::vector<unsigned>> bestGroups;
  bool exact = true;
  for (const auto &[sig, solve] : solved)
    exact &= solve.exact;
  forEachPartition(numDev, [&](const std::vector<std::vector<unsigned>> &p) {
    double rate = 0, bound = 0;
    for (const std::vector<unsigned> &group : p) {
      const GroupSolve &solve = solved[signature(group)];
      if (!solve.feasible) {
        // Proven infeasible groups rule the grouping out; unknown ones
        // leave its rate unbounded.
        if (!solve.exact)
          rateBound = kInfinity;
        return;
      }
      rate += solve.period > 0 ? 1 / solve.period : kInfinity;
      bound += solve.bound > 0 ? 1 / solve.bound : kInfinity;
    }
    rateBound = std::max(rateBound, bound);
    if (rate > bestRate) {
      bestRate = rate;
      bestGroups = p;
    }
  });
  if (bestGroups.empty())
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("no grouping of the devices holds a copy of the model "
                      "(the {0} MILP found none within {1} s)",
                      options.solver, options.timeLimit));

  AlgorithmResult result;
  result.solution.device = placementFor(bestGroups.front());
  for (unsigned g = 1, e = bestGroups.size(); g != e; ++g)
    result.solution.replicas.push_back(placementFor(bestGroups[g]));
  result.status = exact ? SolveStatus::Optimal : SolveStatus::Timeout;
  result.bound = rateBound == kInfinity ? 0 : 1 / rateBound;
  result.stats["dataParallel.copies"] = bestGroups.size();
  result.stats["dataParallel.groupings"] = groupings;
  result.stats["dataParallel.groupSolves"] = solved.size();
  return result;
}
