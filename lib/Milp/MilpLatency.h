//===- MilpLatency.h - List schedules in the latency MILP's terms -*- C++ -*-=//
//
// Private to lib/Milp. The evaluator's list simulation again, extended by
// the boundary conditions (release, device and link ready times) and
// recording what the MILP needs to express a schedule as a point: when
// every leg ran and which consumer booked it.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_MILPLATENCY_H
#define DIVIML_LIB_MILPLATENCY_H

#include "MilpCommon.h"

namespace diviml::milp {

/// One leg of Instance::legs in a list schedule.
struct LegEvent {
  /// Whether the schedule moved the tensor over the link.
  bool booked = false;
  double start = 0, end = 0;
  /// The consumer whose scheduling moved it (it books all of its inputs'
  /// legs, in predecessor order, before it runs).
  unsigned booker = 0;
};

struct ListSchedule {
  std::vector<double> start, finish;
  /// Position of every node in the priority order.
  std::vector<unsigned> position;
  /// Indexed like Instance::legs.
  std::vector<LegEvent> legs;
  double makespan = 0;
};

/// The list schedule of `placement` in priority order `order` (a
/// topological order of all nodes); `placement` must be admissible.
ListSchedule simulateList(const Instance &instance,
                          const std::vector<unsigned> &placement,
                          llvm::ArrayRef<unsigned> order);

/// 1-based index of `producer` among the predecessors of `consumer`: the
/// order in which the consumer books its inputs' legs.
unsigned predecessorRank(const Problem &problem, unsigned producer,
                         unsigned consumer);

} // namespace diviml::milp

#endif // DIVIML_LIB_MILPLATENCY_H
