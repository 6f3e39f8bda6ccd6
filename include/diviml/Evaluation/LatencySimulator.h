//===- LatencySimulator.h - List simulation of one inference ----*- C++ -*-===//
//
// The latency model of docs/objectives.md as an incremental simulator: nodes
// are scheduled one at a time in priority order, each after the ones before
// it. evaluate() runs it over a whole priority order; the greedy baseline
// schedules tentatively and rolls back, so both share one set of rules.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_EVALUATION_LATENCYSIMULATOR_H
#define DIVIML_EVALUATION_LATENCYSIMULATOR_H

#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/Support.h"

#include "llvm/ADT/DenseMap.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace diviml {

class LatencySimulator {
public:
  /// `problem` must be finalized; `routes` must be built from its platform.
  LatencySimulator(const Problem &problem, const RouteTable &routes);

  /// Schedules `node` on `device` after everything scheduled so far. Every
  /// predecessor must already be scheduled. Returns the node's finish time.
  double schedule(unsigned node, unsigned device);

  /// Appends every interval booked from now on to `log` (null: stop). Not
  /// for use with rollback(), which does not take events back.
  void recordEvents(std::vector<ScheduleEvent> *log) { eventLog = log; }

  /// Turns on the undo log used by checkpoint() / rollback().
  void enableUndo() { undoEnabled = true; }
  /// A mark to roll back to; needs enableUndo().
  size_t checkpoint() const { return undoLog.size(); }
  /// Undoes every schedule() call made since `mark` was taken.
  void rollback(size_t mark);

  double start(unsigned node) const { return startTime[node]; }
  double finish(unsigned node) const { return finishTime[node]; }
  /// When the last op finishes and the host has done all its work.
  double makespan() const { return lastFinish; }
  /// Seconds the runtime's host threads spent dispatching, running
  /// host-placed ops and waiting in blocking copies (0 without a runtime).
  double hostBusy() const { return hostBusyTime; }
  /// Slot-seconds spent computing or moving tensors, per device.
  const std::vector<double> &deviceBusy() const { return busy; }
  /// Seconds each link spent moving tensors.
  const std::vector<double> &linkBusy() const { return linkBusyTime; }
  /// Bytes each link moved.
  const std::vector<double> &linkBytesMoved() const { return linkBytes; }
  const std::vector<double> &nodeStarts() const { return startTime; }
  const std::vector<double> &nodeFinishes() const { return finishTime; }
  /// When the first slot of `device` is free: nothing scheduled from now
  /// on starts on it earlier.
  double firstFreeSlot(unsigned device) const {
    return earliestFreeSlot(device);
  }
  /// When every slot of `device` is free (the split heuristic's boundary).
  double latestFreeSlot(unsigned device) const {
    const std::vector<double> &slots = slotFree[device];
    return slots.empty() ? 0 : *std::max_element(slots.begin(), slots.end());
  }
  /// When `link` finishes the last transfer booked on it.
  double linkFreeTime(unsigned link) const { return linkFree[link]; }

private:
  /// When the output of `producer` is on `device`, sending it there first
  /// if needed.
  double arrival(unsigned producer, unsigned device);
  /// Replaces the earliest slot-free time of `device` with `until`.
  void occupyEarliestSlot(unsigned device, double until);
  /// When the first host thread is free (0 without a runtime).
  double earliestFreeHost() const {
    return hostFree.empty() ? 0 : hostFree.front();
  }
  /// The earliest free host thread works until `until`, of which `busy`
  /// seconds count as host time.
  void occupyHost(double until, double busy);
  /// When every op queued on `device` so far has finished.
  double drained(unsigned device) const { return latestFreeSlot(device); }
  /// Moves the output of `producer` (`bytes`) over `leg` once it is at the
  /// leg's source at `ready`; returns when it is at the leg's end.
  double moveOverLeg(unsigned producer, const Leg &leg, double bytes,
                     double ready);
  void logEvent(ScheduleEvent::Kind kind, unsigned node, unsigned where,
                double start, double end, double bytes = 0) {
    if (eventLog)
      eventLog->push_back({kind, node, where, start, end, bytes});
  }
  void extendMakespan(double end);
  double earliestFreeSlot(unsigned device) const {
    return slotFree[device].front();
  }
  uint64_t key(unsigned node, unsigned device) const {
    return uint64_t(node) * numDevices + device;
  }
  void setValue(std::vector<double> &values, unsigned index, double value);

  const Problem &problem;
  const RouteTable &routes;
  unsigned numDevices;
  std::vector<unsigned> placement;
  std::vector<double> startTime, finishTime;
  /// Per device, a min-heap of the times its slots become free.
  std::vector<std::vector<double>> slotFree;
  std::vector<double> linkFree, busy, linkBusyTime, linkBytes;
  std::vector<ScheduleEvent> *eventLog = nullptr;
  /// With a runtime: a min-heap of the times the host threads become free.
  std::vector<double> hostFree;
  double hostBusyTime = 0;
  /// When a node's output is available on a device it was sent to.
  llvm::DenseMap<uint64_t, double> arrivals;
  double lastFinish = 0;

  /// One reversible change. `Value` entries restore values[index] = before;
  /// `Slot` entries turn one `after` of slotFree[index] back into `before`,
  /// `Host` entries one of hostFree; `HostBusy` entries restore
  /// hostBusyTime = before; `Arrival` entries forget arrivals[key].
  struct Change {
    enum Kind { Value, Slot, Host, HostBusy, Arrival, Makespan } kind;
    std::vector<double> *values;
    unsigned index;
    uint64_t arrivalKey;
    double before, after;
  };
  bool undoEnabled = false;
  std::vector<Change> undoLog;
};

} // namespace diviml

#endif // DIVIML_EVALUATION_LATENCYSIMULATOR_H
