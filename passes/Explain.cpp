//===- Explain.cpp - Figures that explain a placement ---------------------===//

#include "Explain.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

using namespace diviml;

TransferSummary diviml::countTransfers(const Problem &problem,
                                       const std::vector<unsigned> &placement) {
  TransferSummary summary;
  llvm::SmallVector<unsigned, 4> targets;
  for (unsigned u = 0, n = problem.numNodes(); u != n; ++u) {
    targets.clear();
    for (unsigned w : problem.successors(u))
      if (placement[w] != placement[u] &&
          !llvm::is_contained(targets, placement[w]))
        targets.push_back(placement[w]);
    summary.count += targets.size();
    summary.bytes += targets.size() * problem.outputBytes(u);
  }
  return summary;
}

CriticalPath diviml::criticalPath(const Problem &problem,
                                  const Solution &solution,
                                  const Evaluation &evaluation) {
  CriticalPath path;
  unsigned n = problem.numNodes();
  if (n == 0 || evaluation.finish.size() != n)
    return path;
  // When each tensor reached each device it was sent to.
  unsigned numDevices = problem.numDevices();
  llvm::DenseMap<uint64_t, double> arrival;
  for (const ScheduleEvent &event : evaluation.events)
    if (event.kind == ScheduleEvent::Kind::Transfer)
      arrival[uint64_t(event.node) * numDevices +
              problem.platform.links[event.where].to] = event.end;
  auto readyAt = [&](unsigned u, unsigned device) {
    if (solution.device[u] == device)
      return evaluation.finish[u];
    auto found = arrival.find(uint64_t(u) * numDevices + device);
    // A free link moves the tensor instantly and books no event.
    return found == arrival.end() ? evaluation.finish[u] : found->second;
  };
  unsigned v = 0;
  for (unsigned u = 1; u != n; ++u)
    if (evaluation.finish[u] > evaluation.finish[v])
      v = u;
  while (true) {
    path.compute += evaluation.finish[v] - evaluation.start[v];
    if (!problem.nodes[v].external)
      ++path.ops;
    std::optional<unsigned> latest;
    double ready = 0;
    for (unsigned u : problem.predecessors(v))
      if (double at = readyAt(u, solution.device[v]); !latest || at > ready) {
        latest = u;
        ready = at;
      }
    if (!latest)
      break;
    path.communication += ready - evaluation.finish[*latest];
    v = *latest;
  }
  path.waiting =
      std::max(0.0, evaluation.value - path.compute - path.communication);
  return path;
}
