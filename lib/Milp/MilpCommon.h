//===- MilpCommon.h - What both MILP formulations share ---------*- C++ -*-===//
//
// Private to lib/Milp. The instance data both formulations read (allowed
// devices, the legs a tensor may take, interchangeable devices) and the
// placement variables with their assignment, memory, colocation and
// symmetry-breaking rows. Formulas in docs/milp.md.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_MILPCOMMON_H
#define DIVIML_LIB_MILPCOMMON_H

#include "diviml/Milp/Milp.h"
#include "diviml/Model/Support.h"
#include "diviml/Solvers/MilpSolver.h"

#include <vector>

namespace diviml::milp {

/// One (tensor, link) pair a placement may use: the output of `producer`
/// crossing `link`. It is used iff the producer sits on a device of
/// `sources` and some consumer w sits on a device of consumerDevices[w]
/// (the routes through a link always form such a product set).
struct LegInfo {
  unsigned producer;
  unsigned link;
  /// Seconds to move the tensor over the link (unscaled).
  double duration;
  /// Producer devices whose route to some consumer device uses the link.
  std::vector<unsigned> sources;
  /// Consumers that may need the leg, and for each, the devices on which
  /// it does.
  std::vector<unsigned> consumers;
  std::vector<std::vector<unsigned>> consumerDevices;
  /// Devices a (producer) such that the leg is the second hop of the staged
  /// route a -> host -> link.to; the tensor reaches the host first.
  std::vector<unsigned> stagedSources;
  /// A free leg (zero duration) is instantaneous and occupies nothing.
  bool isFree() const { return duration == 0; }
};

/// The problem as the formulations see it.
struct Instance {
  Instance(const Problem &problem, const MilpBoundary &boundary);

  const Problem &problem;
  const MilpBoundary &boundary;
  RouteTable routes;
  unsigned numNodes, numDevices, numLinks;
  /// Per node, the devices it may use (support, fixed device and colocation
  /// group combined); colocated nodes share their placement variables
  /// through `representative`.
  std::vector<std::vector<unsigned>> allowed;
  std::vector<unsigned> representative;
  std::vector<LegInfo> legs;
  /// legIndex[u][l]: index into `legs`, or -1.
  std::vector<std::vector<int>> legIndex;
  /// Groups of devices interchangeable for this instance (same hardware,
  /// links, node times and boundary values), each of size >= 2.
  std::vector<std::vector<unsigned>> symmetricDevices;
  /// False if some link's routed device pairs are not a product set (the
  /// formulations rely on it; Platform::route() guarantees it).
  bool productRoutes = true;

  double nodeTime(unsigned v, unsigned d) const {
    return problem.nodes[v].time[d];
  }
  double memoryUsed(unsigned d) const {
    return boundary.memoryUsed.empty() ? 0 : boundary.memoryUsed[d];
  }
  /// Whether `placement` respects support, colocation, fixed devices and
  /// memory (with the boundary's resident bytes).
  bool admits(const std::vector<unsigned> &placement) const;
  /// Renames interchangeable devices in `placement` by first use, so that a
  /// placement from elsewhere (a warm start) satisfies the model's symmetry
  /// breaking; its value does not change.
  void numberByFirstUse(std::vector<unsigned> &placement) const;
};

/// Rejects boundary vectors of the wrong size, negative or non-finite
/// values and fixed devices a node cannot run on.
llvm::Error checkBoundary(const Problem &problem, const MilpBoundary &boundary);

/// x[v][d] is the binary "v runs on d" (shared within a colocation group),
/// or -1 where v may not run.
struct PlacementVariables {
  std::vector<std::vector<int>> x;

  /// coef * sum over `devices` of x[v][d] (devices v may not use skipped).
  void addSum(std::vector<MilpTerm> &terms, unsigned v,
              llvm::ArrayRef<unsigned> devices, double coef = 1) const;
  /// coef * x[v][d] when v may run on d.
  void addTerm(std::vector<MilpTerm> &terms, unsigned v, unsigned d,
               double coef = 1) const {
    if (x[v][d] >= 0)
      terms.push_back({unsigned(x[v][d]), coef});
  }
};

/// Adds the placement binaries with one-device-per-node, memory and
/// symmetry-breaking rows.
PlacementVariables addPlacement(MilpModel &model, const Instance &instance);
/// Sets the placement binaries of `placement` in `values`.
void setPlacement(const PlacementVariables &vars,
                  const std::vector<unsigned> &placement,
                  std::vector<double> &values);
/// The device each node's largest placement binary selects.
std::vector<unsigned> readPlacement(const Instance &instance,
                                    const PlacementVariables &vars,
                                    llvm::ArrayRef<double> values);

/// A proven-infeasible instance (so callers can tell it from a timeout).
class InfeasibleError : public llvm::ErrorInfo<InfeasibleError> {
public:
  static char ID;
  explicit InfeasibleError(std::string message) : message(std::move(message)) {}
  void log(llvm::raw_ostream &os) const override { os << message; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  std::string message;
};

/// InfeasibleError naming the likeliest reason.
llvm::Error infeasibleError(const Instance &instance);

/// Fills the status, value and bound of `outcome` from a solver result
/// whose objective is in units of `scale` seconds; errors for infeasible
/// or solution-less results.
llvm::Error finishOutcome(const Instance &instance, const MilpOptions &options,
                          const MilpModel &model, const MilpResult &result,
                          double scale, MilpOutcome &outcome);

/// Throughput: seconds per sample of `placement` with the boundary's
/// accumulated loads (evaluate()'s formula when there are none).
double throughputPeriod(const Instance &instance,
                        const std::vector<unsigned> &placement);
/// Throughput: the nonzero terms of the model's rows (placement, leg
/// indicators, device and link loads), counted without building it.
double throughputModelTerms(const Instance &instance);
llvm::Expected<MilpOutcome>
solveThroughputMilp(const Instance &instance, const MilpOptions &options,
                    const std::vector<unsigned> *start, MilpSolver &solver);

/// Latency: makespan of the list schedule of `placement` in `order` with
/// the boundary's release and ready times (evaluate()'s value when there
/// are none).
double latencyMakespan(const Instance &instance,
                       const std::vector<unsigned> &placement,
                       llvm::ArrayRef<unsigned> order);
/// `start` must be admissible with a topological `order`.
llvm::Expected<MilpOutcome> solveLatencyMilp(const Instance &instance,
                                             const MilpOptions &options,
                                             const Solution *start,
                                             MilpSolver &solver);

/// The objective of `solution` (with order for latency) under the
/// boundary: evaluate()'s value itself when the boundary is empty.
double solutionValue(const Instance &instance, Objective objective,
                     const Solution &solution);

/// checkMilpPoint() per objective; `solution` is admissible (with order
/// for latency).
MilpPointCheck checkThroughputPoint(const Instance &instance,
                                    const Solution &solution);
MilpPointCheck checkLatencyPoint(const Instance &instance,
                                 const Solution &solution);

/// The heuristics' answers for `problem`, used as warm starts.
std::vector<Solution> heuristicStarts(const Problem &problem,
                                      Objective objective);
/// Records the solver's figures in `result.stats`.
void addStats(AlgorithmResult &result, const MilpOutcome &outcome);

/// Throughput with replicas: the best grouping of the devices into copies,
/// each group solved by the single-copy MILP. `problem` is finalized.
llvm::Expected<AlgorithmResult>
scheduleDataParallel(const Problem &problem, const AlgorithmOptions &options);

} // namespace diviml::milp

#endif // DIVIML_LIB_MILPCOMMON_H
