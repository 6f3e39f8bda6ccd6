//===- DeviceReduction.cpp - Dropping surplus identical devices -----------===//

#include "diviml/Model/DeviceReduction.h"

#include <algorithm>
#include <map>

using namespace diviml;

std::optional<ReducedProblem> diviml::reduceDevices(const Problem &problem) {
  unsigned numDevices = problem.numDevices(), numNodes = problem.numNodes();
  if (numDevices <= kMinDevicesToReduce)
    return std::nullopt;
  // The platform's classes, split further by what the nodes say of each
  // device (a profile may time one GPU differently from its twin).
  std::vector<unsigned> kept;
  for (const std::vector<unsigned> &cls :
       problem.platform.identicalDeviceClasses()) {
    std::map<std::vector<double>, unsigned> keptOfColumn;
    for (unsigned d : cls) {
      std::vector<double> column;
      column.reserve(2 * numNodes);
      for (const Node &node : problem.nodes) {
        column.push_back(node.time[d]);
        column.push_back(node.dispatch.empty() ? 0 : node.dispatch[d]);
      }
      unsigned &count = keptOfColumn[std::move(column)];
      if (count < std::max(numNodes, 1u)) {
        ++count;
        kept.push_back(d);
      }
    }
  }
  if (kept.size() == numDevices)
    return std::nullopt;
  std::sort(kept.begin(), kept.end());

  const Platform &original = problem.platform;
  std::vector<int> newIndex(numDevices, -1);
  for (unsigned i = 0, e = kept.size(); i != e; ++i)
    newIndex[kept[i]] = i;
  Platform platform;
  platform.name = original.name;
  platform.transfersOverlapCompute = original.transfersOverlapCompute;
  platform.runtime = original.runtime;
  for (unsigned d : kept)
    platform.devices.push_back(original.devices[d]);
  for (Link link : original.links) {
    if (newIndex[link.from] < 0 || newIndex[link.to] < 0)
      continue;
    link.from = newIndex[link.from];
    link.to = newIndex[link.to];
    platform.links.push_back(link);
  }
  if (original.host)
    platform.host = newIndex[*original.host]; // Never dropped: no twin.

  ReducedProblem reduced{Problem(std::move(platform)), std::move(kept)};
  for (Node node : problem.nodes) {
    std::vector<double> time, dispatch;
    for (unsigned d : reduced.kept) {
      time.push_back(node.time[d]);
      if (!node.dispatch.empty())
        dispatch.push_back(node.dispatch[d]);
    }
    node.time = std::move(time);
    node.dispatch = std::move(dispatch);
    reduced.problem.addNode(std::move(node));
  }
  for (const Edge &edge : problem.edges)
    reduced.problem.addEdge(edge.src, edge.dst, edge.bytes);
  reduced.problem.finalize();
  return reduced;
}
