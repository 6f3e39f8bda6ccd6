//===- Evaluate.cpp - The one evaluator of latency and throughput ---------===//
//
// Formulas and their rationale: docs/objectives.md.
//
//===----------------------------------------------------------------------===//

#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Evaluation/LatencySimulator.h"
#include "diviml/Model/Solution.h"
#include "diviml/Model/Support.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace diviml;

/// Resident bytes per device over all copies (copies use disjoint devices);
/// entries out of range are skipped, verify() reports them.
static std::vector<double> memoryPerDevice(const Problem &problem,
                                           const Solution &solution) {
  std::vector<double> memory(problem.numDevices(), 0);
  for (unsigned c = 0, e = solution.numCopies(); c != e; ++c) {
    const std::vector<unsigned> &placement = solution.copy(c);
    for (unsigned v = 0,
                  n = std::min<size_t>(placement.size(), problem.numNodes());
         v != n; ++v)
      if (placement[v] < memory.size())
        memory[placement[v]] += problem.nodes[v].memory;
  }
  return memory;
}

static void evaluateLatency(const Problem &problem, const Solution &solution,
                            Evaluation &result, bool recordEvents) {
  RouteTable routes(problem.platform);
  LatencySimulator simulator(problem, routes);
  if (recordEvents)
    simulator.recordEvents(&result.events);
  llvm::ArrayRef<unsigned> order = solution.order;
  if (order.empty())
    order = problem.topologicalOrder();
  for (unsigned v : order)
    simulator.schedule(v, solution.device[v]);
  result.value = simulator.makespan();
  result.start = simulator.nodeStarts();
  result.finish = simulator.nodeFinishes();
  result.deviceLoad = simulator.deviceBusy();
  result.linkLoad = simulator.linkBusy();
  result.linkBytes = simulator.linkBytesMoved();
  result.hostBusy = simulator.hostBusy();
}

/// Seconds per sample of one copy; adds its loads to `result` and its host
/// seconds per sample to `hostLoad`.
static double evaluateCopyThroughput(const Problem &problem,
                                     const RouteTable &routes,
                                     const std::vector<unsigned> &placement,
                                     Evaluation &result, double &hostLoad) {
  const Platform &platform = problem.platform;
  unsigned numDev = problem.numDevices();
  std::vector<double> load(numDev, 0), linkLoad(platform.links.size(), 0);
  hostLoad = 0;
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v) {
    load[placement[v]] += problem.occupancy(v, placement[v]);
    hostLoad += problem.hostTime(v, placement[v]);
  }
  llvm::SmallVector<unsigned, 8> targets, legsUsed;
  for (unsigned u = 0, n = problem.numNodes(); u != n; ++u) {
    unsigned from = placement[u];
    targets.clear();
    for (unsigned w : problem.successors(u))
      if (placement[w] != from && !llvm::is_contained(targets, placement[w]))
        targets.push_back(placement[w]);
    if (targets.empty())
      continue;
    // The tensor crosses each leg once, even when it is staged through the
    // host on its way to several devices.
    legsUsed.clear();
    for (unsigned to : targets)
      if (const llvm::SmallVector<Leg, 2> *legs = routes.route(from, to))
        for (const Leg &leg : *legs)
          if (!llvm::is_contained(legsUsed, leg.link))
            legsUsed.push_back(leg.link);
    double bytes = problem.outputBytes(u);
    for (unsigned l : legsUsed) {
      const Link &link = platform.links[l];
      double t =
          link.transferTime(bytes) + problem.firstTouchTime(link.to, bytes);
      linkLoad[l] += t;
      result.linkBytes[l] += bytes;
      if (platform.runtime)
        hostLoad += link.dispatch + (link.synchronous ? t : 0);
      if (platform.chargesDevice(link.from))
        load[link.from] += t;
      if (platform.chargesDevice(link.to))
        load[link.to] += t;
    }
  }
  double period = 0;
  for (unsigned d = 0; d != numDev; ++d) {
    period = std::max(period, load[d] / platform.devices[d].slots);
    result.deviceLoad[d] += load[d];
  }
  for (unsigned l = 0, e = linkLoad.size(); l != e; ++l) {
    period = std::max(period, linkLoad[l]);
    result.linkLoad[l] += linkLoad[l];
  }
  return period;
}

static void evaluateThroughput(const Problem &problem, const Solution &solution,
                               Evaluation &result) {
  RouteTable routes(problem.platform);
  result.deviceLoad.assign(problem.numDevices(), 0);
  result.linkLoad.assign(problem.platform.links.size(), 0);
  result.linkBytes.assign(problem.platform.links.size(), 0);
  // Copies run side by side on disjoint devices: their rates add up.
  double rate = 0;
  std::vector<double> rates, hostLoads;
  for (unsigned c = 0, e = solution.numCopies(); c != e; ++c) {
    double hostLoad = 0;
    double period = evaluateCopyThroughput(problem, routes, solution.copy(c),
                                           result, hostLoad);
    rates.push_back(period > 0 ? 1 / period : kInfinity);
    hostLoads.push_back(hostLoad);
    rate += rates.back();
  }
  // Every copy is fed by the one runtime host, each sample costing it the
  // host seconds of the copy that serves it: when the host cannot keep up,
  // it sets the rate.
  if (const std::optional<Runtime> &runtime = problem.platform.runtime) {
    double hostPerSample = 0;
    for (unsigned c = 0, e = rates.size(); c != e; ++c)
      hostPerSample +=
          (rate == kInfinity ? 1.0 / rates.size() : rates[c] / rate) *
          hostLoads[c];
    result.hostBusy = hostPerSample;
    if (hostPerSample > 0)
      rate = std::min(rate, runtime->hostThreads / hostPerSample);
  }
  result.samplesPerSecond = rate;
  result.value = rate == kInfinity ? 0 : 1 / rate;
}

Evaluation diviml::evaluate(const Problem &original, const Solution &solution,
                            Objective objective, bool recordEvents) {
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  Evaluation result;
  result.memoryUsed = memoryPerDevice(problem, solution);
  if (problem.numNodes() != 0 && problem.topologicalOrder().empty()) {
    result.reason = "the problem's graph has a cycle; check() rejects it";
    return result;
  }
  if (llvm::Error err = verify(problem, solution)) {
    result.reason = llvm::toString(std::move(err));
    return result;
  }
  if (objective == Objective::Latency && !solution.replicas.empty()) {
    result.reason = llvm::formatv("latency is defined for one copy of the "
                                  "model, but the solution has {0} replicas",
                                  solution.replicas.size());
    return result;
  }
  result.feasible = true;
  if (objective == Objective::Latency)
    evaluateLatency(problem, solution, result, recordEvents);
  else
    evaluateThroughput(problem, solution, result);
  return result;
}
