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

/// Resident bytes per device over all copies (each copy holds its own
/// weights, also on a device it shares); entries out of range are skipped,
/// verify() reports them.
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

namespace {
/// What one copy of the model costs per sample it serves.
struct CopyLoads {
  /// Slot-seconds per device, seconds per link, host seconds.
  std::vector<double> device, link;
  double host = 0;
  /// The copy's period on its own: the largest device or link time.
  double period = 0;
};
} // namespace

static CopyLoads evaluateCopyThroughput(const Problem &problem,
                                        const RouteTable &routes,
                                        const std::vector<unsigned> &placement,
                                        Evaluation &result) {
  const Platform &platform = problem.platform;
  unsigned numDev = problem.numDevices();
  CopyLoads copy;
  std::vector<double> &load = copy.device, &linkLoad = copy.link;
  load.assign(numDev, 0);
  linkLoad.assign(platform.links.size(), 0);
  double &hostLoad = copy.host;
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
  for (unsigned d = 0; d != numDev; ++d) {
    copy.period = std::max(copy.period, load[d] / platform.devices[d].slots);
    result.deviceLoad[d] += load[d];
  }
  for (unsigned l = 0, e = linkLoad.size(); l != e; ++l) {
    copy.period = std::max(copy.period, linkLoad[l]);
    result.linkLoad[l] += linkLoad[l];
  }
  return copy;
}

static void evaluateThroughput(const Problem &problem, const Solution &solution,
                               Evaluation &result) {
  RouteTable routes(problem.platform);
  unsigned numDev = problem.numDevices(),
           numLinks = problem.platform.links.size();
  result.deviceLoad.assign(numDev, 0);
  result.linkLoad.assign(numLinks, 0);
  result.linkBytes.assign(numLinks, 0);
  // Each copy alone runs at 1 / period; side by side their rates add up.
  double rate = 0;
  std::vector<double> rates;
  std::vector<CopyLoads> copies;
  for (unsigned c = 0, e = solution.numCopies(); c != e; ++c) {
    copies.push_back(
        evaluateCopyThroughput(problem, routes, solution.copy(c), result));
    double period = copies.back().period;
    rates.push_back(period > 0 ? 1 / period : kInfinity);
    rate += rates.back();
  }
  // share[c]: the part of the stream copy c serves. The copies keep these
  // shares when a resource they share (the host device that feeds them,
  // the runtime's host threads) cannot keep up: that resource then sets
  // the rate (docs/objectives.md).
  std::vector<double> share(rates.size());
  for (unsigned c = 0, e = rates.size(); c != e; ++c)
    share[c] = rate == kInfinity ? 1.0 / rates.size() : rates[c] / rate;
  // A resource of capacity `capacity` that the copies load `load(c)` per
  // sample each: the stream's rate is at most capacity / its load per
  // sample. Only a resource two copies use can bind here: one copy's own
  // resources are already in its period.
  auto limit = [&](double capacity, auto load) {
    double perSample = 0;
    unsigned users = 0;
    for (unsigned c = 0, e = copies.size(); c != e; ++c)
      if (double x = load(c); x > 0) {
        perSample += share[c] * x;
        ++users;
      }
    if (users > 1)
      rate = std::min(rate, capacity / perSample);
  };
  if (copies.size() > 1) {
    for (unsigned d = 0; d != numDev; ++d)
      limit(problem.platform.devices[d].slots,
            [&](unsigned c) { return copies[c].device[d]; });
    for (unsigned l = 0; l != numLinks; ++l)
      limit(1.0, [&](unsigned c) { return copies[c].link[l]; });
  }
  // Every copy is fed by the one runtime host, each sample costing it the
  // host seconds of the copy that serves it: when the host cannot keep up,
  // it sets the rate.
  if (const std::optional<Runtime> &runtime = problem.platform.runtime) {
    double hostPerSample = 0;
    for (unsigned c = 0, e = copies.size(); c != e; ++c)
      hostPerSample += share[c] * copies[c].host;
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
