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
      linkBusyTime(problem.platform.links.size(), 0),
      linkBytes(problem.platform.links.size(), 0) {
  for (unsigned d = 0; d != numDevices; ++d)
    slotFree[d].assign(problem.platform.devices[d].slots, 0.0);
  if (problem.platform.runtime)
    hostFree.assign(problem.platform.runtime->hostThreads, 0.0);
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

void LatencySimulator::occupyHost(double until, double busyFor) {
  std::pop_heap(hostFree.begin(), hostFree.end(), std::greater<double>());
  if (undoEnabled) {
    undoLog.push_back({Change::Host, nullptr, 0, 0, hostFree.back(), until});
    undoLog.push_back({Change::HostBusy, nullptr, 0, 0, hostBusyTime, 0});
  }
  hostFree.back() = until;
  std::push_heap(hostFree.begin(), hostFree.end(), std::greater<double>());
  hostBusyTime += busyFor;
  extendMakespan(until);
}

void LatencySimulator::extendMakespan(double end) {
  if (end <= lastFinish)
    return;
  if (undoEnabled)
    undoLog.push_back({Change::Makespan, nullptr, 0, 0, lastFinish, end});
  lastFinish = end;
}

double LatencySimulator::moveOverLeg(unsigned producer, const Leg &leg,
                                     double bytes, double ready) {
  const Platform &platform = problem.platform;
  const Link &link = platform.links[leg.link];
  double duration =
      link.transferTime(bytes) + problem.firstTouchTime(leg.to, bytes);
  // A free leg (shared memory) is instantaneous: it waits for nothing.
  if (duration == 0)
    return ready;
  double begin = std::max(ready, linkFree[leg.link]);
  bool runtime = platform.runtime.has_value();
  if (runtime && link.synchronous) {
    // The host issues the copy and blocks until it is done; the copy itself
    // waits for the work queued on both ends before it.
    double host = earliestFreeHost();
    begin = std::max({begin, host, drained(leg.from), drained(leg.to)});
    double end = begin + link.dispatch + duration;
    occupyHost(end, link.dispatch + duration);
    logEvent(ScheduleEvent::Kind::HostTransfer, producer, leg.link, begin, end);
    begin += link.dispatch;
  } else if (runtime && link.dispatch > 0) {
    double issued = earliestFreeHost() + link.dispatch;
    occupyHost(issued, link.dispatch);
    logEvent(ScheduleEvent::Kind::HostTransfer, producer, leg.link,
             issued - link.dispatch, issued);
    begin = std::max(begin, issued);
  }
  bool chargeFrom = platform.chargesDevice(leg.from);
  bool chargeTo = platform.chargesDevice(leg.to);
  if (chargeFrom)
    begin = std::max(begin, earliestFreeSlot(leg.from));
  if (chargeTo)
    begin = std::max(begin, earliestFreeSlot(leg.to));
  double end = begin + duration;
  setValue(linkFree, leg.link, end);
  setValue(linkBusyTime, leg.link, linkBusyTime[leg.link] + duration);
  setValue(linkBytes, leg.link, linkBytes[leg.link] + bytes);
  logEvent(ScheduleEvent::Kind::Transfer, producer, leg.link, begin, end,
           bytes);
  if (chargeFrom) {
    occupyEarliestSlot(leg.from, end);
    setValue(busy, leg.from, busy[leg.from] + duration);
  }
  if (chargeTo) {
    occupyEarliestSlot(leg.to, end);
    setValue(busy, leg.to, busy[leg.to] + duration);
  }
  return end;
}

double LatencySimulator::arrival(unsigned producer, unsigned device) {
  auto known = arrivals.find(key(producer, device));
  if (known != arrivals.end())
    return known->second;
  const llvm::SmallVector<Leg, 2> *legs =
      routes.route(placement[producer], device);
  if (!legs)
    return kInfinity; // check() rules this out.
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
    double end = moveOverLeg(producer, leg, bytes, t);
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
  double duration = problem.occupancy(node, device);
  if (problem.platform.runsOnDispatchThread(device)) {
    // The op runs on a host thread, which does nothing else meanwhile.
    begin = std::max(begin, earliestFreeHost());
    occupyHost(begin + duration, duration);
    logEvent(ScheduleEvent::Kind::HostOp, node, device, begin,
             begin + duration);
  } else if (double dispatch = problem.dispatchTime(node, device);
             dispatch > 0) {
    // The host issues the op without waiting for it; the device starts it
    // once issued.
    double issued = earliestFreeHost() + dispatch;
    occupyHost(issued, dispatch);
    logEvent(ScheduleEvent::Kind::HostOp, node, device, issued - dispatch,
             issued);
    begin = std::max(begin, issued);
  }
  double end = begin + duration;
  logEvent(ScheduleEvent::Kind::Op, node, device, begin, end);
  occupyEarliestSlot(device, end);
  setValue(busy, device, busy[device] + duration);
  startTime[node] = begin;
  finishTime[node] = end;
  extendMakespan(end);
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
    case Change::Host: {
      *std::find(hostFree.begin(), hostFree.end(), change.after) =
          change.before;
      std::make_heap(hostFree.begin(), hostFree.end(), std::greater<double>());
      break;
    }
    case Change::HostBusy:
      hostBusyTime = change.before;
      break;
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
