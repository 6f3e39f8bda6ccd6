//===- TwoDeviceBalance.cpp - Re-split the jobs of two devices ------------===//

#include "TwoDeviceBalance.h"

#include <algorithm>
#include <numeric>

using namespace diviml;

namespace {

/// A partial split: loads so far, and how it was reached.
struct State {
  double a, b;
  unsigned parent;
  bool onA;
};

/// The least load device B must still take when the remaining jobs (in
/// `order` from `first` on, sorted by loadB / loadA, largest first) are
/// split fractionally and device A has `room` left: A takes the jobs it is
/// relatively best at first.
class FractionalRest {
public:
  FractionalRest(llvm::ArrayRef<TwoDeviceJob> jobs,
                 llvm::ArrayRef<unsigned> order)
      : prefixA(order.size() + 1, 0), prefixB(order.size() + 1, 0) {
    for (unsigned i = 0, e = order.size(); i != e; ++i) {
      prefixA[i + 1] = prefixA[i] + jobs[order[i]].loadA;
      prefixB[i + 1] = prefixB[i] + jobs[order[i]].loadB;
    }
  }

  double loadLeftForB(unsigned first, double room) const {
    double limit = prefixA[first] + room;
    // The last prefix from `first` on whose A-load fits.
    unsigned last =
        std::upper_bound(prefixA.begin() + first, prefixA.end(), limit) -
        prefixA.begin() - 1;
    double left = prefixB.back() - prefixB[last];
    if (last + 1 < prefixA.size()) {
      double spanA = prefixA[last + 1] - prefixA[last];
      if (spanA > 0)
        left -= (limit - prefixA[last]) / spanA *
                (prefixB[last + 1] - prefixB[last]);
    }
    return left;
  }

private:
  std::vector<double> prefixA, prefixB;
};

/// Keeps the pairs no other pair dominates (sorted by a, b decreasing), then
/// at most `cap` of them: the smallest b per slice of a.
void keepFrontier(std::vector<State> &states, unsigned cap) {
  std::sort(states.begin(), states.end(), [](const State &x, const State &y) {
    return x.a < y.a || (x.a == y.a && x.b < y.b);
  });
  std::vector<State> frontier;
  for (const State &s : states)
    if (frontier.empty() || s.b < frontier.back().b)
      frontier.push_back(s);
  if (frontier.size() > cap) {
    double first = frontier.front().a;
    double width = (frontier.back().a - first) / cap;
    std::vector<State> thinned;
    long lastSlice = -1;
    for (const State &s : frontier) {
      long slice = long((s.a - first) / width);
      if (slice != lastSlice) {
        thinned.push_back(s);
        lastSlice = slice;
      } else if (s.b < thinned.back().b) {
        thinned.back() = s;
      }
    }
    frontier.swap(thinned);
  }
  states.swap(frontier);
}

} // namespace

std::optional<TwoDeviceSplit>
diviml::balanceTwoDevices(llvm::ArrayRef<TwoDeviceJob> jobs, double baseA,
                          double baseB, double bound, unsigned frontierCap) {
  // Jobs device A is relatively best at first: then the fractional rest is
  // a prefix/suffix split of the same order.
  std::vector<unsigned> order(jobs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](unsigned x, unsigned y) {
    return jobs[x].loadB * jobs[y].loadA > jobs[y].loadB * jobs[x].loadA;
  });
  FractionalRest rest(jobs, order);
  // Rounding slack, so that the current split (which meets `bound` exactly)
  // is never pruned.
  double limit = bound * (1 + 1e-12);

  std::vector<std::vector<State>> layers(order.size() + 1);
  layers[0].push_back({baseA, baseB, 0, false});
  for (unsigned k = 0, n = order.size(); k != n; ++k) {
    const TwoDeviceJob &job = jobs[order[k]];
    std::vector<State> next;
    next.reserve(layers[k].size() * 2);
    for (unsigned i = 0, e = layers[k].size(); i != e; ++i) {
      const State &from = layers[k][i];
      for (bool onA : {true, false}) {
        State s{from.a + (onA ? job.loadA : 0), from.b + (onA ? 0 : job.loadB),
                i, onA};
        if (s.a > limit || s.b > limit ||
            s.b + rest.loadLeftForB(k + 1, limit - s.a) > limit)
          continue;
        next.push_back(s);
      }
    }
    if (next.empty())
      return std::nullopt;
    keepFrontier(next, std::max(frontierCap, 1u));
    layers[k + 1] = std::move(next);
  }

  const std::vector<State> &last = layers.back();
  unsigned best = 0;
  for (unsigned i = 1, e = last.size(); i != e; ++i) {
    double peak = std::max(last[i].a, last[i].b);
    double bestPeak = std::max(last[best].a, last[best].b);
    if (peak < bestPeak ||
        (peak == bestPeak &&
         last[i].a * last[i].a + last[i].b * last[i].b <
             last[best].a * last[best].a + last[best].b * last[best].b))
      best = i;
  }
  TwoDeviceSplit split;
  split.onA.resize(jobs.size());
  split.loadA = last[best].a;
  split.loadB = last[best].b;
  for (unsigned k = order.size(), i = best; k != 0; --k) {
    const State &s = layers[k][i];
    split.onA[order[k - 1]] = s.onA;
    i = s.parent;
  }
  return split;
}
