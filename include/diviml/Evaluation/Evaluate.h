//===- Evaluate.h - The one evaluator of a placement ------------*- C++ -*-===//
//
// Every algorithm, bound and report judges a Solution through evaluate():
// latency by a list simulation of one inference, throughput by per-device
// and per-link loads. Formulas in docs/objectives.md.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_EVALUATION_EVALUATE_H
#define DIVIML_EVALUATION_EVALUATE_H

#include "diviml/Model/Solution.h"

#include <string>
#include <vector>

namespace diviml {

/// One interval the latency simulation booked; the schedule behind the
/// figures, for traces and explanations. Times in seconds.
struct ScheduleEvent {
  enum class Kind {
    /// Node `node` runs on device `where`.
    Op,
    /// The output of node `node` crosses link `where` (`bytes`).
    Transfer,
    /// A runtime host thread dispatches node `node` to device `where`, or
    /// runs it there (ops placed on the host run on a dispatching thread).
    HostOp,
    /// A runtime host thread issues (or, synchronous, waits for) the
    /// transfer of node `node`'s output over link `where`.
    HostTransfer,
  };
  Kind kind;
  unsigned node;
  unsigned where;
  double start, end;
  double bytes = 0;
};

/// What the evaluator says of a solution.
struct Evaluation {
  bool feasible = false;
  /// Why the solution is infeasible (empty when feasible).
  std::string reason;
  /// Latency: seconds for one inference. Throughput: seconds per sample of
  /// the whole (possibly replicated) pipeline, i.e. 1 / samplesPerSecond.
  double value = kInfinity;
  /// Throughput only (0 for latency).
  double samplesPerSecond = 0;
  /// Latency only, indexed by node: simulated start / finish times of copy 0.
  std::vector<double> start, finish;
  /// Per device, in slot-seconds (summed over the device's slots; divide by
  /// Device::slots for the time the device needs): latency = busy time in
  /// the one inference; throughput = busy time per sample of the copy that
  /// holds the device. Both include transfer time charged to the device when
  /// transfers do not overlap compute.
  std::vector<double> deviceLoad;
  /// Per link: busy seconds (latency) or seconds per sample (throughput).
  std::vector<double> linkLoad;
  /// Per link: bytes moved in the one inference (latency) or per sample
  /// (throughput).
  std::vector<double> linkBytes;
  /// Per device: bytes resident.
  std::vector<double> memoryUsed;
  /// With a runtime: seconds the host threads spend dispatching, running
  /// host-placed ops and in blocking copies (latency: in the one inference;
  /// throughput: per sample). 0 without a runtime.
  double hostBusy = 0;
  /// Latency, when evaluate() is asked to record them: every interval of
  /// the simulation in the order it was booked. Empty otherwise.
  std::vector<ScheduleEvent> events;
};

/// The one evaluator every algorithm is judged by; formulas in
/// docs/objectives.md. Runs in O((V + E) log V). `recordEvents` fills
/// Evaluation::events (latency only); it changes no other figure.
Evaluation evaluate(const Problem &problem, const Solution &solution,
                    Objective objective, bool recordEvents = false);

} // namespace diviml

#endif // DIVIML_EVALUATION_EVALUATE_H
