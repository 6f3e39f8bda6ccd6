//===- PlacementState.cpp - Memory and colocation while placing -----------===//

#include "PlacementState.h"

#include "diviml/Model/Support.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FormatVariadic.h"

using namespace diviml;

PlacementState::PlacementState(const Problem &problem)
    : problem(problem), groupOf(problem.numNodes()),
      memoryUsed(problem.numDevices(), 0), devices(problem.numNodes(), 0) {
  unsigned numDev = problem.numDevices();
  llvm::DenseMap<int, unsigned> groupIds;
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v) {
    const Node &node = problem.nodes[v];
    unsigned g = groupMemory.size();
    if (node.colocationGroup >= 0)
      g = groupIds.try_emplace(node.colocationGroup, g).first->second;
    if (g == groupMemory.size()) {
      groupMemory.push_back(0);
      groupSize.push_back(0);
      groupTimes.resize(groupTimes.size() + numDev, 0);
      groupPlacement.push_back(std::nullopt);
    }
    groupOf[v] = g;
    groupMemory[g] += node.memory;
    ++groupSize[g];
    for (unsigned d = 0; d != numDev; ++d)
      groupTimes[g * numDev + d] += node.time[d];
  }
}

bool PlacementState::canPlace(unsigned node, unsigned device) const {
  unsigned g = groupOf[node];
  if (groupPlacement[g])
    return *groupPlacement[g] == device;
  // Exact comparison (no slack): verify() allows a little more.
  return groupTime(node, device) != kInfinity &&
         memoryUsed[device] + groupMemory[g] <=
             problem.platform.devices[device].memoryCapacity;
}

void PlacementState::place(unsigned node, unsigned device) {
  unsigned g = groupOf[node];
  if (!groupPlacement[g]) {
    groupPlacement[g] = device;
    memoryUsed[device] += groupMemory[g];
  }
  devices[node] = device;
}

std::optional<unsigned> PlacementState::groupDevice(unsigned node) const {
  return groupPlacement[groupOf[node]];
}

double PlacementState::groupTime(unsigned node, unsigned device) const {
  return groupTimes[groupOf[node] * problem.numDevices() + device];
}

llvm::Error PlacementState::noRoomError(unsigned node) const {
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      llvm::formatv("no device that can run node '{0}'{1} has {2} bytes of "
                    "memory left",
                    problem.nodes[node].name,
                    groupSize[groupOf[node]] > 1 ? " and its colocation group"
                                                 : "",
                    formatQuantity(groupMemory[groupOf[node]])));
}
