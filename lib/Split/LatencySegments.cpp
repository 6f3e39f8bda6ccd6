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

#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/Support.h"

#include "llvm/ADT/DenseMap.h"

#include "spdlog/spdlog.h"

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
  double totalMemory = 0;
  for (const Node &node : problem.nodes)
    totalMemory += node.memory;
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
      // A device that holds the whole graph is not limited.
      cls.limited =
          problem.platform.devices[cls.rep].memoryCapacity < totalMemory;
      classes.push_back(std::move(cls));
    }
  }
  return classes;
}

// The DP over one topological order. Colocation groups: the member of
// largest memory (the anchor) carries the group's memory and needs every
// member's device; the others count nothing and follow the anchor after the
// DP.
std::optional<LatencySegmentsResult>
segmentOrder(const Problem &problem, const LatencySegmentsOptions &options,
             llvm::ArrayRef<unsigned> order,
             const std::vector<DeviceClass> &all) {
  const Platform &platform = problem.platform;
  unsigned n = problem.numNodes();
  unsigned host = *platform.host;

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
  if (cap < options.minSegmentCap && cap < n) {
    spdlog::debug("latency segments: skipped, {} nodes need segments of {:.0f}",
                  n, cap);
    return std::nullopt;
  }
  unsigned maxLength = cap >= n ? n : unsigned(cap);

  std::vector<unsigned> position(n);
  for (unsigned p = 0; p != n; ++p)
    position[order[p]] = p;
  // Last consumer position of each node (its own position when none), the
  // nodes by it.
  std::vector<unsigned> lastUse(n);
  std::vector<std::vector<unsigned>> byLastUse(n);
  for (unsigned v = 0; v != n; ++v) {
    unsigned last = position[v];
    for (unsigned s : problem.successors(v))
      last = std::max(last, position[s]);
    lastUse[v] = last;
    byLastUse[last].push_back(v);
  }
  // Anchors of the colocation groups, the memory each node carries in the
  // DP, and whether a node's group can run on each class.
  llvm::DenseMap<int, unsigned> anchor;
  llvm::DenseMap<int, double> groupMemory;
  for (unsigned p = 0; p != n; ++p) {
    unsigned v = order[p];
    int g = problem.nodes[v].colocationGroup;
    if (g < 0)
      continue;
    groupMemory[g] += problem.nodes[v].memory;
    auto [it, inserted] = anchor.try_emplace(g, v);
    if (!inserted &&
        problem.nodes[v].memory >= problem.nodes[it->second].memory)
      it->second = v;
  }
  std::vector<double> carried(n);
  std::vector<bool> follower(n, false);
  for (unsigned v = 0; v != n; ++v) {
    int g = problem.nodes[v].colocationGroup;
    if (g < 0)
      carried[v] = problem.nodes[v].memory;
    else if (anchor.find(g)->second == v)
      carried[v] = groupMemory.find(g)->second;
    else
      follower[v] = true;
  }
  // Per class, whether every member of each group can run there.
  std::vector<llvm::DenseMap<int, bool>> groupRuns(numClasses);
  for (unsigned c = 0; c != numClasses; ++c)
    for (unsigned v = 0; v != n; ++v) {
      int g = problem.nodes[v].colocationGroup;
      if (g < 0)
        continue;
      auto [it, inserted] = groupRuns[c].try_emplace(g, true);
      it->second = it->second && problem.nodes[v].canRunOn(classes[c].rep);
    }

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
      for (unsigned j = i + 1; j <= n && j - i <= maxLength; ++j) {
        unsigned v = order[j - 1];
        double t = problem.occupancy(v, rep);
        int g = problem.nodes[v].colocationGroup;
        if (follower[v]) {
          if (t == kInfinity)
            t = 0; // It follows its anchor.
        } else if (t == kInfinity ||
                   (g >= 0 && !groupRuns[c].find(g)->second)) {
          break;
        }
        time += t;
        memory += carried[v];
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
  if (estimate == inf) {
    spdlog::debug("latency segments: no valid segmentation");
    return std::nullopt;
  }

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
  for (unsigned v = 0; v != n; ++v)
    if (follower[v])
      result.solution.device[v] =
          result.solution
              .device[anchor.find(problem.nodes[v].colocationGroup)->second];
  if (llvm::Error err = verify(problem, result.solution)) {
    spdlog::debug("latency segments: invalid: {}",
                  llvm::toString(std::move(err)));
    return std::nullopt;
  }
  result.value = evaluate(problem, result.solution, Objective::Latency).value;
  return result;
}

// The problem's topological order with every source (a node without
// predecessors: weights, inputs) moved to just before its first consumer,
// so that a segment holds the weights it uses.
std::vector<unsigned> sourcesLate(const Problem &problem) {
  llvm::ArrayRef<unsigned> order = problem.topologicalOrder();
  unsigned n = order.size();
  std::vector<unsigned> position(n);
  for (unsigned p = 0; p != n; ++p)
    position[order[p]] = p;
  // Keys 2 * position (+1 keeps a source after earlier nodes of equal key).
  std::vector<std::pair<uint64_t, unsigned>> keyed;
  keyed.reserve(n);
  for (unsigned p = 0; p != n; ++p) {
    unsigned v = order[p];
    uint64_t key = 2 * uint64_t(p) + 1;
    if (problem.predecessors(v).empty() && !problem.successors(v).empty()) {
      unsigned first = n;
      for (unsigned s : problem.successors(v))
        first = std::min(first, position[s]);
      key = 2 * uint64_t(first);
    }
    keyed.push_back({key, p});
  }
  std::stable_sort(
      keyed.begin(), keyed.end(),
      [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<unsigned> result;
  result.reserve(n);
  for (const auto &entry : keyed)
    result.push_back(order[entry.second]);
  return result;
}

} // namespace

std::optional<LatencySegmentsResult>
diviml::latencySegments(const Problem &problem,
                        const LatencySegmentsOptions &options) {
  if (problem.numNodes() == 0 || !problem.platform.host)
    return std::nullopt;
  // Shape test: the total of the nodes' fastest times over the longest path
  // by them. Segments of a topological order serialise the graph, which
  // only pays on nearly sequential graphs.
  double totalTime = 0;
  std::vector<double> pathTo(problem.numNodes(), 0);
  double longest = 0;
  for (unsigned v : problem.topologicalOrder()) {
    double fastest = kInfinity;
    for (unsigned d = 0, e = problem.numDevices(); d != e; ++d)
      fastest = std::min(fastest, problem.occupancy(v, d));
    if (fastest == kInfinity)
      fastest = 0;
    totalTime += fastest;
    for (unsigned p : problem.predecessors(v))
      pathTo[v] = std::max(pathTo[v], pathTo[p]);
    pathTo[v] += fastest;
    longest = std::max(longest, pathTo[v]);
  }
  double parallelism = longest > 0 ? totalTime / longest : kInfinity;
  if (parallelism > options.maxParallelism) {
    spdlog::debug("latency segments: skipped, parallelism {:.2f}", parallelism);
    return std::nullopt;
  }
  std::vector<DeviceClass> classes = deviceClasses(problem);
  std::optional<LatencySegmentsResult> best;
  llvm::ArrayRef<unsigned> topological = problem.topologicalOrder();
  std::vector<unsigned> late = sourcesLate(problem);
  for (llvm::ArrayRef<unsigned> order :
       {topological, llvm::ArrayRef<unsigned>(late)}) {
    std::optional<LatencySegmentsResult> found =
        segmentOrder(problem, options, order, classes);
    if (found && (!best || found->value < best->value))
      best = std::move(found);
  }
  return best;
}
