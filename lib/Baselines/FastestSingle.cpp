//===- FastestSingle.cpp - Everything on the best single device -----------===//
//
// The "no parallelism" baseline: each device in turn takes every node it can
// run and hold, the rest (nodes pinned elsewhere, ops it cannot run, memory
// overflow) go to their fastest device with room; the best by the objective
// wins (docs/objectives.md).
//
//===----------------------------------------------------------------------===//

#include "PlacementState.h"
#include "diviml/Baselines/Baselines.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/Support.h"

#include "spdlog/spdlog.h"

using namespace diviml;

/// Nodes on `primary` wherever it can run them and has room (in topological
/// order, a colocation group deciding with its first member); the others on
/// their group's fastest device with room.
static llvm::Expected<std::vector<unsigned>>
primaryWithSpill(const Problem &problem, unsigned primary) {
  PlacementState state(problem);
  for (unsigned v : problem.topologicalOrder()) {
    std::optional<unsigned> chosen = state.groupDevice(v);
    if (!chosen && state.canPlace(v, primary))
      chosen = primary;
    if (!chosen)
      for (unsigned d = 0, e = problem.numDevices(); d != e; ++d)
        if (state.canPlace(v, d) &&
            (!chosen || state.groupTime(v, d) < state.groupTime(v, *chosen)))
          chosen = d;
    if (!chosen)
      return state.noRoomError(v);
    state.place(v, *chosen);
  }
  return state.placement();
}

llvm::Expected<AlgorithmResult>
diviml::scheduleFastestSingle(const Problem &original,
                              const AlgorithmOptions &options) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  unsigned numDev = problem.numDevices();
  llvm::ArrayRef<unsigned> topo = problem.topologicalOrder();
  AlgorithmResult result;
  result.status = SolveStatus::Heuristic;
  result.solution.order.assign(topo.begin(), topo.end());
  // Every device is tried as the primary; nodes it cannot run or hold
  // (pinned inputs, unsupported ops, overflow) spill to their fastest device
  // with room.
  double bestValue = kInfinity;
  std::optional<unsigned> bestDevice;
  std::optional<llvm::Error> firstError;
  for (unsigned d = 0; d != numDev; ++d) {
    llvm::Expected<std::vector<unsigned>> placement =
        primaryWithSpill(problem, d);
    if (!placement) {
      if (!firstError)
        firstError = placement.takeError();
      else
        llvm::consumeError(placement.takeError());
      continue;
    }
    Solution candidate = result.solution;
    candidate.device = std::move(*placement);
    double value = evaluate(problem, candidate, options.objective).value;
    spdlog::debug("fastest-single: primary '{}' scores {}",
                  problem.platform.devices[d].name, value);
    if (!bestDevice || value < bestValue) {
      bestValue = value;
      bestDevice = d;
      result.solution = std::move(candidate);
    }
  }
  if (!bestDevice)
    return std::move(*firstError);
  if (firstError)
    llvm::consumeError(std::move(*firstError));
  result.stats["device"] = *bestDevice;
  return result;
}
