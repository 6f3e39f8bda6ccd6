//===- FastestSingle.cpp - Everything on the best single device -----------===//
//
// The "no parallelism" baseline. When no device can hold the whole model it
// degrades gracefully: the device that runs the most nodes takes all it can,
// and the rest go to their fastest device with room (docs/objectives.md).
//
//===----------------------------------------------------------------------===//

#include "CoreSupport.h"
#include "PlacementState.h"
#include "diviml/Core/Algorithms.h"

#include "spdlog/spdlog.h"

using namespace diviml;

/// Whether every node runs on `device` and all of them fit in its memory.
static bool holdsWholeModel(const Problem &problem, unsigned device) {
  double memory = 0;
  for (const Node &node : problem.nodes) {
    if (!node.canRunOn(device))
      return false;
    memory += node.memory;
  }
  return memory <= problem.platform.devices[device].memoryCapacity;
}

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
    for (unsigned d = 0, e = problem.numDevices(); !chosen && d != e; ++d)
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
  double bestValue = kInfinity;
  std::optional<unsigned> bestDevice;
  for (unsigned d = 0; d != numDev; ++d) {
    if (!holdsWholeModel(problem, d))
      continue;
    Solution candidate = result.solution;
    candidate.device.assign(problem.numNodes(), d);
    double value = evaluate(problem, candidate, options.objective).value;
    spdlog::debug("fastest-single: device '{}' scores {}",
                  problem.platform.devices[d].name, value);
    if (!bestDevice || value < bestValue) {
      bestValue = value;
      bestDevice = d;
      result.solution = std::move(candidate);
    }
  }
  if (bestDevice) {
    result.stats["device"] = *bestDevice;
    return result;
  }
  // No device holds the whole model: the one that runs the most nodes is the
  // primary (lowest index on ties).
  unsigned primary = 0, mostNodes = 0;
  for (unsigned d = 0; d != numDev; ++d) {
    unsigned runs = llvm::count_if(
        problem.nodes, [&](const Node &node) { return node.canRunOn(d); });
    if (runs > mostNodes) {
      mostNodes = runs;
      primary = d;
    }
  }
  spdlog::debug("fastest-single: no device holds the whole model; '{}' is "
                "primary",
                problem.platform.devices[primary].name);
  llvm::Expected<std::vector<unsigned>> placement =
      primaryWithSpill(problem, primary);
  if (!placement)
    return placement.takeError();
  result.solution.device = std::move(*placement);
  result.stats["device"] = primary;
  return result;
}
