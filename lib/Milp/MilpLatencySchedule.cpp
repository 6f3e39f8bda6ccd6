//===- MilpLatencySchedule.cpp - Recorded list schedules ------------------===//
//
// Follows the rules of docs/objectives.md (and LatencySimulator) step by
// step; MilpLatencyTest checks that both give the same times.
//
//===----------------------------------------------------------------------===//

#include "MilpLatency.h"

#include "llvm/ADT/DenseMap.h"

#include <algorithm>
#include <functional>

using namespace diviml;
using namespace diviml::milp;

unsigned milp::predecessorRank(const Problem &problem, unsigned producer,
                               unsigned consumer) {
  llvm::ArrayRef<unsigned> preds = problem.predecessors(consumer);
  return std::lower_bound(preds.begin(), preds.end(), producer) -
         preds.begin() + 1;
}

namespace {

class Recorder {
public:
  Recorder(const Instance &instance, const std::vector<unsigned> &placement)
      : instance(instance), problem(instance.problem),
        platform(problem.platform), placement(placement) {
    const MilpBoundary &boundary = instance.boundary;
    slotFree.resize(instance.numDevices);
    for (unsigned d = 0; d != instance.numDevices; ++d)
      slotFree[d].assign(
          platform.devices[d].slots,
          boundary.deviceReady.empty() ? 0 : boundary.deviceReady[d]);
    linkFree = boundary.linkReady;
    linkFree.resize(instance.numLinks, 0);
    schedule.start.assign(instance.numNodes, 0);
    schedule.finish.assign(instance.numNodes, 0);
    schedule.position.assign(instance.numNodes, 0);
    schedule.legs.assign(instance.legs.size(), {});
  }

  void run(llvm::ArrayRef<unsigned> order) {
    const MilpBoundary &boundary = instance.boundary;
    for (unsigned i = 0, e = order.size(); i != e; ++i) {
      unsigned v = order[i], d = placement[v];
      schedule.position[v] = i;
      double ready = boundary.releaseTime.empty() ? 0 : boundary.releaseTime[v];
      for (unsigned u : problem.predecessors(v))
        ready = std::max(ready, placement[u] == d ? schedule.finish[u]
                                                  : arrival(u, d, v));
      double begin = std::max(ready, earliestFree(d));
      double end = begin + instance.nodeTime(v, d);
      occupy(d, end);
      schedule.start[v] = begin;
      schedule.finish[v] = end;
      schedule.makespan = std::max(schedule.makespan, end);
    }
  }

  ListSchedule take() { return std::move(schedule); }

private:
  double earliestFree(unsigned d) const {
    return *std::min_element(slotFree[d].begin(), slotFree[d].end());
  }
  void occupy(unsigned d, double until) {
    *std::min_element(slotFree[d].begin(), slotFree[d].end()) = until;
  }
  uint64_t key(unsigned node, unsigned device) const {
    return uint64_t(node) * instance.numDevices + device;
  }

  /// When the output of `u` is on `device`, moving it there (booked by
  /// `consumer`) if needed.
  double arrival(unsigned u, unsigned device, unsigned consumer) {
    auto known = arrivals.find(key(u, device));
    if (known != arrivals.end())
      return known->second;
    double t = schedule.finish[u];
    for (const Leg &leg : *instance.routes.route(placement[u], device)) {
      auto staged = arrivals.find(key(u, leg.to));
      if (staged != arrivals.end()) {
        t = staged->second;
        continue;
      }
      LegEvent &event = schedule.legs[instance.legIndex[u][leg.link]];
      double duration = instance.legs[instance.legIndex[u][leg.link]].duration;
      double end = t;
      event.start = t;
      if (duration > 0) {
        bool chargeFrom = platform.chargesDevice(leg.from);
        bool chargeTo = platform.chargesDevice(leg.to);
        double begin = std::max(t, linkFree[leg.link]);
        if (chargeFrom)
          begin = std::max(begin, earliestFree(leg.from));
        if (chargeTo)
          begin = std::max(begin, earliestFree(leg.to));
        end = begin + duration;
        linkFree[leg.link] = end;
        if (chargeFrom)
          occupy(leg.from, end);
        if (chargeTo)
          occupy(leg.to, end);
        event.start = begin;
      }
      event.booked = true;
      event.end = end;
      event.booker = consumer;
      arrivals[key(u, leg.to)] = end;
      t = end;
    }
    return t;
  }

  const Instance &instance;
  const Problem &problem;
  const Platform &platform;
  const std::vector<unsigned> &placement;
  std::vector<std::vector<double>> slotFree;
  std::vector<double> linkFree;
  llvm::DenseMap<uint64_t, double> arrivals;
  ListSchedule schedule;
};

} // namespace

ListSchedule milp::simulateList(const Instance &instance,
                                const std::vector<unsigned> &placement,
                                llvm::ArrayRef<unsigned> order) {
  Recorder recorder(instance, placement);
  recorder.run(order);
  return recorder.take();
}

double milp::latencyMakespan(const Instance &instance,
                             const std::vector<unsigned> &placement,
                             llvm::ArrayRef<unsigned> order) {
  return simulateList(instance, placement, order).makespan;
}
