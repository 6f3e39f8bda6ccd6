//===- Heft.cpp - Heterogeneous Earliest Finish Time ----------------------===//
//
// Topcuoglu et al.'s HEFT: nodes by decreasing upward rank (mean compute over
// the devices that can run a node plus mean transfer cost to its successors),
// each to the device with the earliest finish time, with insertion into idle
// gaps of any slot. Transfers cost their route time from the producer's
// finish, without contention (HEFT's classic model); the reported value is
// always the evaluator's, which replays the placement in HEFT's start order.
//
//===----------------------------------------------------------------------===//

#include "PlacementState.h"
#include "diviml/Baselines/Baselines.h"
#include "diviml/Model/Support.h"

#include "spdlog/spdlog.h"

#include <algorithm>

using namespace diviml;

namespace {
/// Mean route time over ordered pairs of distinct devices that can reach
/// each other: meanLatency + bytes * meanSecondsPerByte (routes are sums of
/// affine legs, so the mean is affine in bytes).
struct MeanTransfer {
  double meanLatency = 0, meanSecondsPerByte = 0;

  explicit MeanTransfer(const Problem &problem, const RouteTable &routes) {
    unsigned numDev = problem.numDevices(), pairs = 0;
    for (unsigned a = 0; a != numDev; ++a) {
      for (unsigned b = 0; b != numDev; ++b) {
        const llvm::SmallVector<Leg, 2> *legs =
            a == b ? nullptr : routes.route(a, b);
        if (!legs)
          continue;
        ++pairs;
        for (const Leg &leg : *legs) {
          const Link &link = problem.platform.links[leg.link];
          meanLatency += link.latency;
          if (link.bandwidth != kInfinity)
            meanSecondsPerByte += 1 / link.bandwidth;
        }
      }
    }
    if (pairs) {
      meanLatency /= pairs;
      meanSecondsPerByte /= pairs;
    }
  }
  double operator()(double bytes) const {
    return meanLatency + bytes * meanSecondsPerByte;
  }
};

/// Busy intervals of one slot, sorted by start.
using SlotIntervals = std::vector<std::pair<double, double>>;

/// Earliest start >= ready of a `duration`-long job in an idle gap of slot.
double earliestGap(const SlotIntervals &slot, double ready, double duration) {
  double candidate = ready;
  for (const auto &[begin, end] : slot) {
    if (candidate + duration <= begin)
      return candidate;
    candidate = std::max(candidate, end);
  }
  return candidate;
}
} // namespace

/// Upward ranks; they never increase along an edge, so sorting by decreasing
/// rank with ties in topological order is a topological order.
static std::vector<double> upwardRanks(const Problem &problem,
                                       const MeanTransfer &meanTransfer) {
  std::vector<double> rank(problem.numNodes(), 0);
  llvm::ArrayRef<unsigned> topo = problem.topologicalOrder();
  for (unsigned v : llvm::reverse(topo)) {
    const Node &node = problem.nodes[v];
    double sum = 0;
    unsigned count = 0;
    for (double t : node.time)
      if (t != kInfinity) {
        sum += t;
        ++count;
      }
    double tail = 0;
    double transfer = meanTransfer(problem.outputBytes(v));
    for (unsigned s : problem.successors(v))
      tail = std::max(tail, transfer + rank[s]);
    rank[v] = sum / count + tail;
  }
  return rank;
}

llvm::Expected<AlgorithmResult>
diviml::scheduleHeft(const Problem &original, const AlgorithmOptions &options) {
  (void)options; // The placement serves both objectives.
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  unsigned n = problem.numNodes(), numDev = problem.numDevices();
  RouteTable routes(problem.platform);
  MeanTransfer meanTransfer(problem, routes);
  std::vector<double> rank = upwardRanks(problem, meanTransfer);

  llvm::ArrayRef<unsigned> topo = problem.topologicalOrder();
  std::vector<unsigned> byRank(topo.begin(), topo.end());
  std::stable_sort(byRank.begin(), byRank.end(),
                   [&](unsigned a, unsigned b) { return rank[a] > rank[b]; });

  PlacementState state(problem);
  std::vector<std::vector<SlotIntervals>> slots(numDev);
  for (unsigned d = 0; d != numDev; ++d)
    slots[d].resize(problem.platform.devices[d].slots);
  std::vector<double> start(n, 0), finish(n, 0);
  double makespan = 0;
  for (unsigned v : byRank) {
    std::optional<unsigned> bestDevice;
    unsigned bestSlot = 0;
    double bestStart = 0, bestFinish = kInfinity;
    for (unsigned d = 0; d != numDev; ++d) {
      if (!state.canPlace(v, d))
        continue;
      double ready = 0;
      for (unsigned u : problem.predecessors(v)) {
        unsigned from = state.placement()[u];
        double arrival = finish[u];
        if (from != d)
          for (const Leg &leg : *routes.route(from, d))
            arrival += problem.platform.links[leg.link].transferTime(
                problem.outputBytes(u));
        ready = std::max(ready, arrival);
      }
      double duration = problem.nodes[v].time[d];
      for (unsigned s = 0, e = slots[d].size(); s != e; ++s) {
        double begin = earliestGap(slots[d][s], ready, duration);
        if (begin + duration < bestFinish) {
          bestDevice = d;
          bestSlot = s;
          bestStart = begin;
          bestFinish = begin + duration;
        }
      }
    }
    if (!bestDevice)
      return state.noRoomError(v);
    state.place(v, *bestDevice);
    SlotIntervals &slot = slots[*bestDevice][bestSlot];
    slot.insert(std::upper_bound(slot.begin(), slot.end(),
                                 std::make_pair(bestStart, bestFinish)),
                {bestStart, bestFinish});
    start[v] = bestStart;
    finish[v] = bestFinish;
    makespan = std::max(makespan, bestFinish);
  }

  AlgorithmResult result;
  result.status = SolveStatus::Heuristic;
  result.solution.device = state.placement();
  // The evaluator replays the nodes in HEFT's start order (ties in rank
  // order, which keeps it topological: a successor starts no earlier than
  // its predecessor finishes).
  std::vector<unsigned> order = byRank;
  std::stable_sort(order.begin(), order.end(),
                   [&](unsigned a, unsigned b) { return start[a] < start[b]; });
  result.solution.order = std::move(order);
  result.stats["heft-makespan"] = makespan;
  spdlog::debug("heft: own makespan estimate {}", makespan);
  return result;
}
