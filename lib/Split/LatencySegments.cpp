//===- LatencySegments.cpp - Contiguous-segment placements for latency ----===//
//
// Exact DP over contiguous segments of a topological order (docs/split.md,
// "Contiguous segments"). Estimate of a segment [i, j) on a device class c:
//
//   sum of occupancy(v, rep(c)) over its nodes
//   + in(p, c) for every distinct producer p before i feeding the segment
//   + out(u, c) for every u in the segment with a consumer at j or later
//
// with out(u, c) = transferTime(rep(c) -> host) and in(p, c) =
// transferTime(host -> rep(c)) of u's / p's tensor: a tensor between two
// devices is staged through the host, its up leg paid once by the producer's
// segment and its down leg once per consuming segment, as the evaluator
// deduplicates them. On a chain with charged transfers this estimate is the
// latency; elsewhere it ignores parallelism, and evaluate() judges.
//
// State: (end position, segments used on the counted class). The counted
// class is the memory-limited class of identical devices with the most
// members; each of its segments takes a fresh device, so there are at most
// as many as it has members. Unlimited-memory classes put all their segments
// on their first member.
//
//===----------------------------------------------------------------------===//

#include "diviml/Split/LatencySegments.h"

#include "diviml/Model/Support.h"

#include "llvm/ADT/DenseMap.h"

#include <algorithm>
#include <limits>

using namespace diviml;

namespace {

struct DeviceClass {
  unsigned rep = 0;
  std::vector<unsigned> members;
  bool limited = false;
};

// Classes of interchangeable devices: identical by the platform's rules and
// with identical occupancy of every node.
std::vector<DeviceClass> deviceClasses(const Problem &problem) {
  std::vector<DeviceClass> classes;
  for (const std::vector<unsigned> &group :
       problem.platform.identicalDeviceClasses()) {
    std::vector<bool> taken(group.size(), false);
    for (unsigned a = 0, e = group.size(); a != e; ++a) {
      if (taken[a])
        continue;
      DeviceClass cls;
      cls.rep = group[a];
      for (unsigned b = a; b != e; ++b) {
        if (taken[b])
          continue;
        bool same = true;
        for (unsigned v = 0, n = problem.numNodes(); v != n && same; ++v)
          same = problem.occupancy(v, group[a]) ==
                     problem.occupancy(v, group[b]) &&
                 problem.nodes[v].canRunOn(group[a]) ==
                     problem.nodes[v].canRunOn(group[b]);
        if (same) {
          taken[b] = true;
          cls.members.push_back(group[b]);
        }
      }
      cls.limited =
          problem.platform.devices[cls.rep].memoryCapacity != kInfinity;
      classes.push_back(std::move(cls));
    }
  }
  return classes;
}

} // namespace

std::optional<LatencySegmentsResult>
diviml::latencySegments(const Problem &problem,
                        const LatencySegmentsOptions &options) {
  const Platform &platform = problem.platform;
  unsigned n = problem.numNodes();
  if (n == 0 || !platform.host)
    return std::nullopt;
  unsigned host = *platform.host;

  std::vector<DeviceClass> all = deviceClasses(problem);
  // The counted class, then the unlimited ones; other limited classes are
  // not used.
  std::vector<DeviceClass> classes;
  int counted = -1;
  for (const DeviceClass &cls : all)
    if (cls.limited &&
        (counted < 0 || cls.members.size() > all[counted].members.size()))
      counted = &cls - all.data();
  if (counted >= 0)
    classes.push_back(all[counted]);
  for (const DeviceClass &cls : all)
    if (!cls.limited)
      classes.push_back(cls);
  if (classes.empty())
    return std::nullopt;
  unsigned numClasses = classes.size();
  unsigned maxLimited = counted >= 0 ? classes[0].members.size() : 0;
  unsigned width = maxLimited + 1;

  // The cell budget caps segment lengths (limited segments are capped by
  // memory anyway).
  double cellsPerLength = double(n) * numClasses * width;
  double cap = options.maxCells / cellsPerLength;
  if (cap < options.minSegmentCap && cap < n)
    return std::nullopt;
  unsigned maxLength = cap >= n ? n : unsigned(cap);

  llvm::ArrayRef<unsigned> order = problem.topologicalOrder();
  std::vector<unsigned> position(n);
  for (unsigned p = 0; p != n; ++p)
    position[order[p]] = p;
  // Last consumer position of each node (its own position when none), the
  // nodes by it, and the span of each colocation group.
  std::vector<unsigned> lastUse(n);
  std::vector<std::vector<unsigned>> byLastUse(n);
  for (unsigned v = 0; v != n; ++v) {
    unsigned last = position[v];
    for (unsigned s : problem.successors(v))
      last = std::max(last, position[s]);
    lastUse[v] = last;
    byLastUse[last].push_back(v);
  }
  llvm::DenseMap<int, std::pair<unsigned, unsigned>> groupSpan;
  for (unsigned p = 0; p != n; ++p) {
    int g = problem.nodes[order[p]].colocationGroup;
    if (g < 0)
      continue;
    auto [it, inserted] = groupSpan.try_emplace(g, p, p);
    if (!inserted)
      it->second.second = p;
  }
  auto span = [&](unsigned v) -> std::pair<unsigned, unsigned> {
    int g = problem.nodes[v].colocationGroup;
    if (g < 0)
      return {position[v], position[v]};
    return groupSpan.find(g)->second;
  };

  std::vector<double> out(numClasses * n), in(numClasses * n);
  for (unsigned c = 0; c != numClasses; ++c) {
    unsigned rep = classes[c].rep;
    for (unsigned v = 0; v != n; ++v) {
      double bytes = problem.outputBytes(v);
      out[c * n + v] =
          rep == host ? 0 : platform.transferTime(rep, host, bytes);
      in[c * n + v] = rep == host ? 0 : platform.transferTime(host, rep, bytes);
    }
  }

  constexpr double inf = std::numeric_limits<double>::infinity();
  struct Back {
    unsigned start = 0, cls = 0, used = 0;
  };
  std::vector<double> best(size_t(n + 1) * width, inf);
  std::vector<Back> back(size_t(n + 1) * width);
  best[0] = 0;
  std::vector<unsigned> stamp(n, std::numeric_limits<unsigned>::max());
  double capacity =
      counted >= 0 ? platform.devices[classes[0].rep].memoryCapacity : inf;

  for (unsigned i = 0; i != n; ++i) {
    bool reachable = false;
    for (unsigned k = 0; k != width && !reachable; ++k)
      reachable = best[size_t(i) * width + k] < inf;
    if (!reachable)
      continue;
    for (unsigned c = 0; c != numClasses; ++c) {
      bool isLimited = counted >= 0 && c == 0;
      unsigned rep = classes[c].rep;
      unsigned mark = i * numClasses + c;
      double time = 0, memory = 0, inCost = 0, outCost = 0;
      unsigned groupEnd = 0;
      for (unsigned j = i + 1; j <= n && j - i <= maxLength; ++j) {
        unsigned v = order[j - 1];
        double t = problem.occupancy(v, rep);
        if (t == kInfinity)
          break;
        auto [first, last] = span(v);
        if (first < i)
          break; // A group member lies before the segment.
        groupEnd = std::max(groupEnd, last);
        time += t;
        memory += problem.nodes[v].memory;
        if (isLimited && memory > capacity)
          break;
        for (unsigned p : problem.predecessors(v))
          if (position[p] < i && stamp[p] != mark) {
            stamp[p] = mark;
            inCost += in[c * n + p];
          }
        if (lastUse[v] >= j)
          outCost += out[c * n + v];
        for (unsigned u : byLastUse[j - 1])
          if (position[u] >= i && position[u] < j - 1)
            outCost -= out[c * n + u];
        if (groupEnd >= j)
          continue; // A group member lies after the segment.
        double cost = time + inCost + std::max(0.0, outCost);
        for (unsigned k = 0; k != width; ++k) {
          double from = best[size_t(i) * width + k];
          if (from == inf)
            continue;
          unsigned used = k + (isLimited ? 1 : 0);
          if (used >= width)
            continue;
          double &to = best[size_t(j) * width + used];
          if (from + cost < to) {
            to = from + cost;
            back[size_t(j) * width + used] = {i, c, k};
          }
        }
      }
    }
  }

  unsigned bestUsed = 0;
  for (unsigned k = 1; k != width; ++k)
    if (best[size_t(n) * width + k] < best[size_t(n) * width + bestUsed])
      bestUsed = k;
  double estimate = best[size_t(n) * width + bestUsed];
  if (estimate == inf)
    return std::nullopt;

  // Segments back to front, then devices front to back.
  std::vector<Back> segments;
  for (unsigned j = n, k = bestUsed; j > 0;) {
    Back b = back[size_t(j) * width + k];
    segments.push_back({b.start, b.cls, j});
    j = b.start;
    k = b.used;
  }
  std::reverse(segments.begin(), segments.end());
  LatencySegmentsResult result;
  result.solution.device.assign(n, 0);
  result.solution.order.assign(order.begin(), order.end());
  result.estimate = estimate;
  result.segments = segments.size();
  for (const Back &segment : segments) {
    // `used` holds the segment's end here.
    bool isLimited = counted >= 0 && segment.cls == 0;
    unsigned device = isLimited ? classes[0].members[result.limitedSegments++]
                                : classes[segment.cls].rep;
    for (unsigned p = segment.start; p != segment.used; ++p)
      result.solution.device[order[p]] = device;
  }
  if (llvm::Error err = verify(problem, result.solution)) {
    llvm::consumeError(std::move(err));
    return std::nullopt;
  }
  return result;
}
