//===- LatencySimulator.cpp - List simulation of one inference ------------===//

#include "diviml/Evaluation/LatencySimulator.h"

#include <algorithm>
#include <functional>

using namespace diviml;

LatencySimulator::LatencySimulator(const Problem &problem,
                                   const RouteTable &routes)
    : problem(problem), routes(routes), numDevices(problem.numDevices()),
      placement(problem.numNodes(), 0), startTime(problem.numNodes(), 0),
      finishTime(problem.numNodes(), 0), slotFree(numDevices),
      linkFree(problem.platform.links.size(), 0), busy(numDevices, 0),
      linkBusyTime(problem.platform.links.size(), 0) {
  for (unsigned d = 0; d != numDevices; ++d)
    slotFree[d].assign(problem.platform.devices[d].slots, 0.0);
}

void LatencySimulator::setValue(std::vector<double> &values, unsigned index,
                                double value) {
  if (undoEnabled)
    undoLog.push_back({Change::Value, &values, index, 0, values[index], value});
  values[index] = value;
}

void LatencySimulator::occupyEarliestSlot(unsigned device, double until) {
  std::vector<double> &heap = slotFree[device];
  std::pop_heap(heap.begin(), heap.end(), std::greater<double>());
  if (undoEnabled)
    undoLog.push_back({Change::Slot, nullptr, device, 0, heap.back(), until});
  heap.back() = until;
  std::push_heap(heap.begin(), heap.end(), std::greater<double>());
}

double LatencySimulator::arrival(unsigned producer, unsigned device) {
  auto known = arrivals.find(key(producer, device));
  if (known != arrivals.end())
    return known->second;
  const llvm::SmallVector<Leg, 2> *legs =
      routes.route(placement[producer], device);
  if (!legs)
    return kInfinity; // check() rules this out.
  const Platform &platform = problem.platform;
  double bytes = problem.outputBytes(producer);
  double t = finishTime[producer];
  for (const Leg &leg : *legs) {
    // The tensor may already be staged at an intermediate device (the host)
    // for an earlier consumer elsewhere: it is moved there only once.
    auto staged = arrivals.find(key(producer, leg.to));
    if (staged != arrivals.end()) {
      t = staged->second;
      continue;
    }
    double duration = platform.links[leg.link].transferTime(bytes);
    double end = t;
    // A free leg (shared memory) is instantaneous: it waits for nothing.
    if (duration > 0) {
      bool chargeFrom = platform.chargesDevice(leg.from);
      bool chargeTo = platform.chargesDevice(leg.to);
      double begin = std::max(t, linkFree[leg.link]);
      if (chargeFrom)
        begin = std::max(begin, earliestFreeSlot(leg.from));
      if (chargeTo)
        begin = std::max(begin, earliestFreeSlot(leg.to));
      end = begin + duration;
      setValue(linkFree, leg.link, end);
      setValue(linkBusyTime, leg.link, linkBusyTime[leg.link] + duration);
      if (chargeFrom) {
        occupyEarliestSlot(leg.from, end);
        setValue(busy, leg.from, busy[leg.from] + duration);
      }
      if (chargeTo) {
        occupyEarliestSlot(leg.to, end);
        setValue(busy, leg.to, busy[leg.to] + duration);
      }
    }
    uint64_t k = key(producer, leg.to);
    arrivals[k] = end;
    if (undoEnabled)
      undoLog.push_back({Change::Arrival, nullptr, 0, k, 0, 0});
    t = end;
  }
  return t;
}

double LatencySimulator::schedule(unsigned node, unsigned device) {
  placement[node] = device;
  double ready = 0;
  for (unsigned pred : problem.predecessors(node)) {
    if (placement[pred] == device)
      ready = std::max(ready, finishTime[pred]);
    else
      ready = std::max(ready, arrival(pred, device));
  }
  double begin = std::max(ready, earliestFreeSlot(device));
  double duration = problem.nodes[node].time[device];
  double end = begin + duration;
  occupyEarliestSlot(device, end);
  setValue(busy, device, busy[device] + duration);
  startTime[node] = begin;
  finishTime[node] = end;
  if (end > lastFinish) {
    if (undoEnabled)
      undoLog.push_back({Change::Makespan, nullptr, 0, 0, lastFinish, end});
    lastFinish = end;
  }
  return end;
}

void LatencySimulator::rollback(size_t mark) {
  while (undoLog.size() > mark) {
    const Change &change = undoLog.back();
    switch (change.kind) {
    case Change::Value:
      (*change.values)[change.index] = change.before;
      break;
    case Change::Slot: {
      // Slot times depend only on the multiset of values, so restoring the
      // value and re-heapifying gives back the same behaviour.
      std::vector<double> &heap = slotFree[change.index];
      *std::find(heap.begin(), heap.end(), change.after) = change.before;
      std::make_heap(heap.begin(), heap.end(), std::greater<double>());
      break;
    }
    case Change::Arrival:
      arrivals.erase(change.arrivalKey);
      break;
    case Change::Makespan:
      lastFinish = change.before;
      break;
    }
    undoLog.pop_back();
  }
}
