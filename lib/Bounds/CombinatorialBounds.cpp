//===- CombinatorialBounds.cpp - Packing and path-segment bounds ----------===//
//
// Derivations in docs/objectives.md ("Packing" and "Path segments").
//
//===----------------------------------------------------------------------===//

#include "CombinatorialBounds.h"

#include "diviml/Model/Support.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

using namespace diviml;

/// Relative slack of every "fits" test: an amount that exceeds its room by
/// rounding only is taken to fit, so rounding can only weaken a bound.
static constexpr double kFit = 1e-9;

static bool fits(double used, double amount, double room) {
  return used + amount <= room * (1 + kFit);
}

double diviml::afterRoute(const Platform &platform, const RouteTable &routes,
                          unsigned from, unsigned to, double start,
                          double bytes) {
  if (from == to)
    return start;
  const llvm::SmallVector<Leg, 2> *legs = routes.route(from, to);
  if (!legs)
    return kInfinity;
  for (const Leg &leg : *legs)
    start += platform.links[leg.link].transferTime(bytes);
  return start;
}

namespace {

/// Disjoint sets over nodes, for colocation groups and forced edges.
struct UnionFind {
  std::vector<unsigned> parent;
  void reset(llvm::ArrayRef<unsigned> roots) {
    parent.assign(roots.begin(), roots.end());
  }
  unsigned find(unsigned x) {
    while (parent[x] != x)
      x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(unsigned a, unsigned b) {
    a = find(a);
    b = find(b);
    if (a != b)
      parent[std::max(a, b)] = std::min(a, b);
  }
};

/// The feasibility test of the packing relaxation at a candidate value T.
class Packing {
public:
  Packing(const Problem &problem, Objective objective,
          llvm::ArrayRef<double> perSlot, const TimeWindows &windows,
          uint64_t budget);

  /// True only when no placement has a value <= T (a proof); false when
  /// one may exist or the search ran out of budget.
  bool infeasible(double T);

private:
  static constexpr unsigned kBigItems = 40;

  const Problem &problem;
  const TimeWindows &windows;
  bool latency;
  unsigned numNodes, numDev;
  std::vector<double> occupancy; // node * numDev + device
  std::vector<unsigned> groupRoot, deviceClass;
  /// (smallest T at which the edge's ends may sit on different devices,
  /// src, dst), largest first.
  std::vector<std::tuple<double, unsigned, unsigned>> crossing;
  /// Area weights: the LP's multipliers (if any is positive), then 1 each.
  std::vector<std::vector<double>> weights;
  uint64_t budget, perTest;

public:
  /// Work so far: search nodes, edge-device pairs / 16 (forced edges) and
  /// node-device cells / 64 (items, per test).
  uint64_t work = 0;

private:
  // Per test.
  UnionFind sets;
  struct Item {
    std::vector<double> time; // kInfinity where not allowed at T
    double memory = 0;
    std::vector<double> cost; // per weight vector: min_d w_d time_d
    double key = 0;
  };
  std::vector<Item> items;
  std::vector<unsigned> big;
  /// Devices interchangeable in this test: the same class, room and item
  /// times (time windows can tell apart devices with equal columns).
  std::vector<unsigned> testClass;
  /// need: the weighted work of the items not yet placed; total: of all.
  std::vector<double> room, used, usedMemory, need, total, smallTime;
  uint64_t visited = 0, limit = 0;
  enum class Outcome { Feasible, Infeasible, Unknown };
  Outcome search(unsigned position);
  bool areaFits(unsigned position) const;
  bool countsFit(unsigned position) const;
};

} // namespace

Packing::Packing(const Problem &problem, Objective objective,
                 llvm::ArrayRef<double> perSlot, const TimeWindows &windows,
                 uint64_t budget)
    : problem(problem), windows(windows),
      latency(objective == Objective::Latency), numNodes(problem.numNodes()),
      numDev(problem.numDevices()), budget(budget),
      perTest(std::max<uint64_t>(budget / 16, 1)) {
  const Platform &platform = problem.platform;
  occupancy.resize(size_t(numNodes) * numDev);
  for (unsigned v = 0; v != numNodes; ++v)
    for (unsigned d = 0; d != numDev; ++d)
      occupancy[size_t(v) * numDev + d] = problem.occupancy(v, d);
  llvm::DenseMap<int, unsigned> firstOfGroup;
  groupRoot.resize(numNodes);
  for (unsigned v = 0; v != numNodes; ++v) {
    int group = problem.nodes[v].colocationGroup;
    groupRoot[v] =
        group < 0 ? v : firstOfGroup.try_emplace(group, v).first->second;
  }
  // Interchangeable devices: the same slots, capacity and node times
  // (compared against each class's first device; not worth it beyond a few
  // dozen devices, where each is its own class).
  deviceClass.resize(numDev);
  for (unsigned d = 0; d != numDev; ++d) {
    deviceClass[d] = d;
    for (unsigned e = 0; e != d && deviceClass[d] == d && numDev <= 64; ++e) {
      if (deviceClass[e] != e ||
          platform.devices[e].slots != platform.devices[d].slots ||
          platform.devices[e].memoryCapacity !=
              platform.devices[d].memoryCapacity)
        continue;
      bool same = true;
      for (unsigned v = 0; v != numNodes && same; ++v)
        same = occupancy[size_t(v) * numDev + d] ==
               occupancy[size_t(v) * numDev + e];
      if (same)
        deviceClass[d] = e;
    }
  }
  // The value a node forces on a device it runs on: its occupancy per slot
  // (throughput: load / slots <= P), or its occupancy (latency: one slot
  // holds it within the makespan).
  auto minimalValue = [&](unsigned v, unsigned d) {
    double t = occupancy[size_t(v) * numDev + d];
    return latency || t == kInfinity ? t : t / platform.devices[d].slots;
  };
  // An edge can cross from a to b only if each leg of the route fits in T:
  // a link is busy for the leg's time per sample (throughput) or within the
  // makespan (latency). Charged ends only add load, and first touch time.
  uint64_t pairs = uint64_t(problem.edges.size()) * numDev * numDev;
  if (pairs <= budget * 16) {
    work += pairs / 16;
    RouteTable routes(platform);
    for (const Edge &edge : problem.edges) {
      if (edge.src == edge.dst)
        continue;
      double bytes = problem.outputBytes(edge.src), threshold = kInfinity;
      for (unsigned a = 0; a != numDev; ++a) {
        double fromValue = minimalValue(edge.src, a);
        if (fromValue == kInfinity)
          continue;
        for (unsigned b = 0; b != numDev; ++b) {
          if (b == a)
            continue;
          double value = std::max(fromValue, minimalValue(edge.dst, b));
          if (value >= threshold)
            continue;
          const llvm::SmallVector<Leg, 2> *legs = routes.route(a, b);
          if (!legs)
            continue;
          for (const Leg &leg : *legs)
            value =
                std::max(value, platform.links[leg.link].transferTime(bytes));
          threshold = std::min(threshold, value);
        }
      }
      crossing.emplace_back(threshold, edge.src, edge.dst);
    }
    llvm::stable_sort(crossing, [](const auto &x, const auto &y) {
      return std::get<0>(x) > std::get<0>(y);
    });
  }
  if (perSlot.size() == numDev &&
      llvm::any_of(perSlot, [](double w) { return w > 0 && std::isfinite(w); }))
    weights.emplace_back(perSlot.begin(), perSlot.end());
  weights.emplace_back(numDev, 1.0);
}

bool Packing::infeasible(double T) {
  if (!(T > 0) || !std::isfinite(T) || work >= budget)
    return false;
  const Platform &platform = problem.platform;
  // Building the items costs a unit per 64 node-device cells.
  work += uint64_t(numNodes) * numDev / 64;
  if (work >= budget)
    return false;
  // Items at T: colocation groups, merged along edges that cannot cross.
  sets.reset(groupRoot);
  for (const auto &[threshold, src, dst] : crossing) {
    if (threshold <= T * (1 + kFit))
      break;
    sets.unite(src, dst);
  }
  // Latency windows: the earliest start and the least tail over the nodes
  // with work that may sit on each device at T.
  bool windowed = latency && !windows.head.empty() && !windows.tail.empty();
  std::vector<double> firstStart(numDev, kInfinity),
      lastTail(numDev, kInfinity);
  auto allowed = [&](unsigned v, unsigned d) {
    size_t at = size_t(v) * numDev + d;
    double t = occupancy[at];
    if (t == kInfinity || (latency && !fits(0, t, T)))
      return false;
    return !windowed || fits(windows.head[at] + t, windows.tail[at], T);
  };
  if (windowed)
    for (unsigned v = 0; v != numNodes; ++v)
      for (unsigned d = 0; d != numDev; ++d) {
        size_t at = size_t(v) * numDev + d;
        if (occupancy[at] > 0 && allowed(v, d)) {
          firstStart[d] = std::min(firstStart[d], windows.head[at]);
          lastTail[d] = std::min(lastTail[d], windows.tail[at]);
        }
      }
  llvm::DenseMap<unsigned, unsigned> itemOf;
  items.clear();
  for (unsigned v = 0; v != numNodes; ++v) {
    auto [it, inserted] = itemOf.try_emplace(sets.find(v), items.size());
    if (inserted) {
      items.emplace_back();
      items.back().time.assign(numDev, 0);
    }
    Item &item = items[it->second];
    for (unsigned d = 0; d != numDev; ++d) {
      // Latency: every member runs within the makespan on one slot (and
      // within its window).
      if (!allowed(v, d))
        item.time[d] = kInfinity;
      else if (item.time[d] != kInfinity)
        item.time[d] += occupancy[size_t(v) * numDev + d];
    }
    item.memory += problem.nodes[v].memory;
  }
  room.resize(numDev);
  for (unsigned d = 0; d != numDev; ++d) {
    double span = T;
    // All work on d happens after its first start and before T less the
    // least tail (both over the nodes that may go there).
    if (firstStart[d] != kInfinity)
      span = std::max(0.0, T - firstStart[d] - lastTail[d]);
    room[d] = platform.devices[d].slots * span;
  }
  unsigned numWeights = weights.size();
  need.assign(numWeights, 0);
  for (Item &item : items) {
    item.cost.assign(numWeights, kInfinity);
    item.key = kInfinity;
    for (unsigned d = 0; d != numDev; ++d) {
      if (item.time[d] == kInfinity || !fits(0, item.time[d], room[d]) ||
          !fits(0, item.memory, platform.devices[d].memoryCapacity)) {
        item.time[d] = kInfinity;
        continue;
      }
      for (unsigned k = 0; k != numWeights; ++k)
        item.cost[k] = std::min(item.cost[k], weights[k][d] * item.time[d]);
      item.key = std::min(item.key, item.time[d] / platform.devices[d].slots);
    }
    if (item.key == kInfinity)
      return true; // Fits no device at T.
    for (unsigned k = 0; k != numWeights; ++k)
      need[k] += item.cost[k];
  }
  total = need;
  testClass.resize(numDev);
  for (unsigned d = 0; d != numDev; ++d) {
    testClass[d] = d;
    unsigned e = deviceClass[d];
    if (e != d && testClass[e] == e && room[e] == room[d] &&
        llvm::all_of(items, [&](const Item &item) {
          return item.time[e] == item.time[d];
        }))
      testClass[d] = e;
  }
  // The largest items exactly, the rest as area.
  big.resize(items.size());
  std::iota(big.begin(), big.end(), 0);
  llvm::stable_sort(
      big, [&](unsigned x, unsigned y) { return items[x].key > items[y].key; });
  while (!big.empty() && items[big.back()].key == 0)
    big.pop_back();
  if (big.size() > kBigItems)
    big.resize(kBigItems);
  // Per device, the time of all the other items allowed there.
  smallTime.assign(numDev, 0);
  std::vector<bool> isBig(items.size());
  for (unsigned i : big)
    isBig[i] = true;
  for (unsigned i = 0, e = items.size(); i != e; ++i)
    if (!isBig[i])
      for (unsigned d = 0; d != numDev; ++d)
        if (items[i].time[d] != kInfinity)
          smallTime[d] += items[i].time[d];
  used.assign(numDev, 0);
  usedMemory.assign(numDev, 0);
  visited = 0;
  limit = std::min(perTest, budget - work);
  Outcome outcome = search(0);
  work += visited;
  return outcome == Outcome::Infeasible;
}

/// Whether the weighted work of the items not yet placed fits the weighted
/// room the devices have left, a device's room counted only up to the
/// work of the items that fit it one by one (the small items, and the big
/// ones not yet placed that fit in what is left).
bool Packing::areaFits(unsigned position) const {
  for (unsigned k = 0, e = need.size(); k != e; ++k) {
    double area = 0;
    for (unsigned d = 0; d != numDev; ++d) {
      double left = std::max(0.0, room[d] * (1 + kFit) - used[d]);
      double usable = smallTime[d];
      for (unsigned i = position; i != big.size() && usable < left; ++i) {
        double t = items[big[i]].time[d];
        if (t != kInfinity && t <= left)
          usable += t;
      }
      area += weights[k][d] * std::min(left, usable);
    }
    // `need` is a running difference: allow its rounding too.
    if (need[k] > area * (1 + kFit) + kFit * total[k])
      return false;
  }
  return true;
}

/// Whether, for every run of consecutive big items from `position` on, the
/// devices have room for as many items as the run holds, each item counted
/// at the run's smallest time (and memory) on the device.
bool Packing::countsFit(unsigned position) const {
  const Platform &platform = problem.platform;
  std::vector<double> smallest(numDev, kInfinity),
      smallestMemory(numDev, kInfinity);
  for (unsigned end = position; end != big.size(); ++end) {
    const Item &item = items[big[end]];
    double count = 0;
    for (unsigned d = 0; d != numDev; ++d) {
      smallest[d] = std::min(smallest[d], item.time[d]);
      smallestMemory[d] = std::min(smallestMemory[d], item.memory);
      if (smallest[d] == kInfinity)
        continue;
      double byTime =
          smallest[d] == 0
              ? kInfinity
              : std::floor((room[d] * (1 + kFit) - used[d]) / smallest[d]);
      double capacity = platform.devices[d].memoryCapacity;
      double byMemory =
          smallestMemory[d] == 0 || capacity == kInfinity
              ? kInfinity
              : std::floor((capacity * (1 + kFit) - usedMemory[d]) /
                           smallestMemory[d]);
      count += std::max(0.0, std::min(byTime, byMemory));
    }
    if (count < double(end - position + 1))
      return false;
  }
  return true;
}

Packing::Outcome Packing::search(unsigned position) {
  if (++visited > limit)
    return Outcome::Unknown;
  if (!areaFits(position))
    return Outcome::Infeasible;
  if (position == big.size())
    return Outcome::Feasible;
  if (!countsFit(position))
    return Outcome::Infeasible;
  const Platform &platform = problem.platform;
  const Item &item = items[big[position]];
  bool unknown = false;
  for (unsigned d = 0; d != numDev; ++d) {
    double t = item.time[d];
    if (t == kInfinity || !fits(used[d], t, room[d]) ||
        !fits(usedMemory[d], item.memory, platform.devices[d].memoryCapacity))
      continue;
    // An interchangeable device in the same state was tried already.
    bool tried = false;
    for (unsigned e = 0; e != d && !tried; ++e)
      tried = testClass[e] == testClass[d] && used[e] == used[d] &&
              usedMemory[e] == usedMemory[d];
    if (tried)
      continue;
    used[d] += t;
    usedMemory[d] += item.memory;
    for (unsigned k = 0, e = need.size(); k != e; ++k)
      need[k] -= item.cost[k];
    Outcome outcome = search(position + 1);
    used[d] -= t;
    usedMemory[d] -= item.memory;
    for (unsigned k = 0, e = need.size(); k != e; ++k)
      need[k] += item.cost[k];
    if (outcome == Outcome::Feasible)
      return outcome;
    unknown |= outcome == Outcome::Unknown;
  }
  return unknown ? Outcome::Unknown : Outcome::Infeasible;
}

double diviml::packingBound(const Problem &problem, Objective objective,
                            double known, llvm::ArrayRef<double> perSlot,
                            const TimeWindows &windows, uint64_t budget,
                            uint64_t &work) {
  if (!(known > 0) || !std::isfinite(known) || problem.numNodes() == 0)
    return known;
  Packing packing(problem, objective, perSlot, windows, budget);
  double low = known, high = known;
  if (!packing.infeasible(known)) {
    work += packing.work;
    return known;
  }
  // The value exceeds every T proven infeasible; infeasibility at T implies
  // it at every smaller T (each test only tightens as T shrinks).
  for (unsigned step = 0; step != 64; ++step) {
    high = 2 * low;
    if (!packing.infeasible(high))
      break;
    low = high;
  }
  for (unsigned step = 0; step != 64 && high - low > 1e-12 * high; ++step) {
    double middle = low + (high - low) / 2;
    if (packing.infeasible(middle))
      low = middle;
    else
      high = middle;
  }
  work += packing.work;
  return low;
}

double diviml::pathSegmentBound(const Problem &problem, uint64_t budget,
                                uint64_t &work) {
  unsigned numNodes = problem.numNodes(), numDev = problem.numDevices();
  if (numNodes == 0)
    return 0;
  const Platform &platform = problem.platform;
  RouteTable routes(platform);
  // A node's memory at its device: its colocation group's, since the whole
  // group sits there.
  llvm::DenseMap<int, double> groupMemory;
  for (const Node &node : problem.nodes)
    if (node.colocationGroup >= 0)
      groupMemory[node.colocationGroup] += node.memory;
  auto memoryOf = [&](unsigned v) {
    int group = problem.nodes[v].colocationGroup;
    return group < 0 ? problem.nodes[v].memory : groupMemory.lookup(group);
  };
  auto fastest = [&](unsigned v) {
    double best = kInfinity;
    for (unsigned d = 0; d != numDev; ++d)
      best = std::min(best, problem.occupancy(v, d));
    return best == kInfinity ? 0 : best;
  };
  // Candidate paths: the longest by fastest time and by memory.
  std::vector<std::vector<unsigned>> paths;
  for (unsigned weighting = 0; weighting != 2; ++weighting) {
    std::vector<double> length(numNodes, 0);
    std::vector<int> parent(numNodes, -1);
    for (unsigned v : problem.topologicalOrder()) {
      for (unsigned u : problem.predecessors(v))
        if (parent[v] < 0 || length[u] > length[v]) {
          length[v] = length[u];
          parent[v] = u;
        }
      length[v] += weighting == 0 ? fastest(v) : memoryOf(v);
    }
    unsigned last = 0;
    for (unsigned v = 1; v != numNodes; ++v)
      if (length[v] > length[last])
        last = v;
    std::vector<unsigned> path;
    for (int v = last; v >= 0; v = parent[v])
      path.push_back(v);
    std::reverse(path.begin(), path.end());
    if (!llvm::is_contained(paths, path))
      paths.push_back(std::move(path));
  }
  double best = 0;
  uint64_t cells = 0;
  for (const std::vector<unsigned> &path : paths) {
    unsigned m = path.size();
    // cost[i][d]: the least time by which path[i] can finish on d; entry[d]:
    // the least time by which path[i]'s input can reach d from another
    // device (path[i - 1] elsewhere, then the route's legs).
    std::vector<double> cost(size_t(m) * numDev, kInfinity),
        entry(size_t(m) * numDev, kInfinity);
    bool complete = true;
    for (unsigned i = 0; i != m && complete; ++i) {
      for (unsigned d = 0; d != numDev; ++d) {
        if (i == 0) {
          entry[d] = 0;
          continue;
        }
        unsigned u = path[i - 1];
        double bytes = problem.outputBytes(u);
        for (unsigned a = 0; a != numDev; ++a) {
          double t = cost[size_t(i - 1) * numDev + a];
          if (a == d || t == kInfinity)
            continue;
          entry[size_t(i) * numDev + d] =
              std::min(entry[size_t(i) * numDev + d],
                       afterRoute(platform, routes, a, d, t, bytes));
        }
      }
      cells += uint64_t(numDev) * numDev;
      // Runs ending at path[i], one start j at a time (j = i first): the
      // run's time on each device and its distinct groups' memory.
      std::vector<double> runTime(numDev, 0);
      std::vector<bool> open(numDev, true);
      llvm::SmallDenseSet<int64_t, 16> groups;
      double runMemory = 0;
      unsigned numOpen = numDev;
      for (unsigned j = i + 1; j-- > 0 && numOpen;) {
        unsigned w = path[j];
        int group = problem.nodes[w].colocationGroup;
        if (groups.insert(group < 0 ? -int64_t(w) - 1 : group).second)
          runMemory += memoryOf(w);
        for (unsigned d = 0; d != numDev; ++d) {
          if (!open[d])
            continue;
          double t = problem.occupancy(w, d);
          double capacity = platform.devices[d].memoryCapacity;
          if (t == kInfinity ||
              (capacity != kInfinity && !fits(0, runMemory, capacity))) {
            open[d] = false;
            --numOpen;
            continue;
          }
          runTime[d] += t;
          double start = entry[size_t(j) * numDev + d];
          if (start != kInfinity)
            cost[size_t(i) * numDev + d] =
                std::min(cost[size_t(i) * numDev + d], start + runTime[d]);
          // Without a memory limit a longer run is the previous node's
          // best on d plus this one: no need to look further back.
          if (capacity == kInfinity && j == i && i > 0) {
            double previous = cost[size_t(i - 1) * numDev + d];
            if (previous != kInfinity)
              cost[size_t(i) * numDev + d] =
                  std::min(cost[size_t(i) * numDev + d], previous + t);
            open[d] = false;
            --numOpen;
          }
        }
        cells += numDev;
        if (cells > budget) {
          complete = false;
          break;
        }
      }
    }
    if (!complete)
      break;
    double finish = kInfinity;
    for (unsigned d = 0; d != numDev; ++d)
      finish = std::min(finish, cost[size_t(m - 1) * numDev + d]);
    if (finish != kInfinity)
      best = std::max(best, finish);
  }
  work += cells;
  return best;
}

namespace {

/// One step of the chain of articulation nodes: an edge (`main` and `skip`
/// empty, `to` the next node) or a block (fork `from`, two disjoint branches,
/// join `to`).
struct ChainStep {
  unsigned from, to;
  std::vector<unsigned> main, skip;
};

/// The graph as a chain of articulation nodes joined by edges or two-branch
/// blocks, from its only source through every node; false for other shapes.
bool chainOfBlocks(const Problem &problem, unsigned &source,
                   std::vector<ChainStep> &steps) {
  unsigned numNodes = problem.numNodes(), sources = 0;
  for (unsigned v = 0; v != numNodes; ++v)
    if (problem.predecessors(v).empty()) {
      source = v;
      ++sources;
    }
  if (sources != 1)
    return false;
  unsigned v = source, seen = 1;
  while (!problem.successors(v).empty()) {
    llvm::ArrayRef<unsigned> succs = problem.successors(v);
    if (succs.size() == 1 && problem.predecessors(succs[0]).size() == 1) {
      steps.push_back({v, succs[0], {}, {}});
      v = succs[0];
      ++seen;
      continue;
    }
    if (succs.size() != 2)
      return false;
    std::vector<unsigned> branch[2];
    unsigned end[2];
    for (unsigned b = 0; b != 2; ++b) {
      unsigned x = succs[b];
      while (problem.predecessors(x).size() == 1) {
        if (problem.successors(x).size() != 1 || branch[b].size() > numNodes)
          return false;
        branch[b].push_back(x);
        x = problem.successors(x)[0];
      }
      end[b] = x;
    }
    unsigned join = end[0];
    if (end[1] != join || problem.predecessors(join).size() != 2 ||
        (branch[0].empty() && branch[1].empty()))
      return false;
    auto memoryOf = [&](const std::vector<unsigned> &nodes) {
      double total = 0;
      for (unsigned x : nodes)
        total += problem.nodes[x].memory;
      return total;
    };
    // The main branch is the one with more memory (any choice is valid).
    unsigned mainIndex = memoryOf(branch[1]) > memoryOf(branch[0]) ? 1 : 0;
    if (branch[mainIndex].empty())
      mainIndex = 1 - mainIndex;
    seen += branch[0].size() + branch[1].size() + 1;
    steps.push_back({v, join, std::move(branch[mainIndex]),
                     std::move(branch[1 - mainIndex])});
    v = join;
  }
  return seen == numNodes;
}

/// Keeps the states no other state dominates (every field <=).
template <size_t N>
void keepPareto(std::vector<std::array<double, N>> &states) {
  llvm::sort(states);
  std::vector<std::array<double, N>> kept;
  for (const std::array<double, N> &s : states) {
    bool dominated = false;
    for (const std::array<double, N> &k : kept) {
      bool all = true;
      for (size_t i = 0; i != N && all; ++i)
        all = k[i] <= s[i];
      if (all) {
        dominated = true;
        break;
      }
    }
    if (!dominated)
      kept.push_back(s);
  }
  states = std::move(kept);
}

} // namespace

double diviml::residualBlockBound(const Problem &problem, uint64_t budget,
                                  uint64_t &work) {
  unsigned source = 0;
  std::vector<ChainStep> steps;
  if (problem.numNodes() == 0 || !chainOfBlocks(problem, source, steps))
    return 0;
  unsigned numDev = problem.numDevices();
  const Platform &platform = problem.platform;
  uint64_t cells = 0;
  RouteTable routes(platform);
  auto capacity = [&](unsigned d) {
    return platform.devices[d].memoryCapacity;
  };
  // Interchangeable devices: swapping them changes no occupancy, capacity or
  // route time (for the tensor sizes of this graph), so the programme keeps
  // one of them per class (and per class less the fork's device A).
  std::vector<double> sizes;
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v)
    sizes.push_back(problem.outputBytes(v));
  llvm::sort(sizes);
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  std::vector<unsigned> classOf(numDev);
  std::vector<std::vector<unsigned>> members;
  for (unsigned d = 0; d != numDev; ++d) {
    classOf[d] = members.size();
    for (unsigned k = 0; k != members.size() && sizes.size() <= 64; ++k) {
      unsigned r = members[k][0];
      bool same = capacity(r) == capacity(d);
      for (unsigned v = 0, n = problem.numNodes(); v != n && same; ++v)
        same = problem.occupancy(v, r) == problem.occupancy(v, d);
      auto swap = [&](unsigned x) { return x == r ? d : x == d ? r : x; };
      for (unsigned a = 0; a != numDev && same && cells <= budget; ++a)
        for (unsigned b = 0; b != numDev && same; ++b)
          for (double bytes : sizes) {
            cells += 1;
            if (afterRoute(platform, routes, a, b, 0, bytes) !=
                afterRoute(platform, routes, swap(a), swap(b), 0, bytes)) {
              same = false;
              break;
            }
          }
      cells += problem.numNodes();
      if (cells > budget) {
        work += cells;
        return 0;
      }
      if (same) {
        classOf[d] = k;
        break;
      }
    }
    if (classOf[d] == members.size())
      members.emplace_back();
    members[classOf[d]].push_back(d);
  }
  // The first member of d's class other than `avoid` (d itself if none).
  auto canonical = [&](unsigned d, int avoid) {
    if (int(d) == avoid)
      return d;
    for (unsigned x : members[classOf[d]])
      if (int(x) != avoid)
        return x;
    return d;
  };
  // Devices worth trying after `cur`: A, cur, and per class one member that
  // is neither.
  auto targets = [&](unsigned cur, int A) {
    llvm::SmallVector<unsigned, 8> list;
    if (A >= 0 && unsigned(A) != cur)
      list.push_back(A);
    list.push_back(cur);
    for (const std::vector<unsigned> &klass : members)
      for (unsigned x : klass)
        if (x != cur && int(x) != A) {
          list.push_back(x);
          break;
        }
    return list;
  };
  // Memory counted on d: 0 where d is unlimited.
  auto counted = [&](unsigned d, double memory) {
    return capacity(d) == kInfinity ? 0.0 : memory;
  };
  auto fits = [&](unsigned d, double memory) {
    return capacity(d) == kInfinity || fitsInMemory(memory, capacity(d));
  };
  // state[d]: (memory known on d, lower bound on the finish time).
  using Outer = std::array<double, 2>;
  using Inner = std::array<double, 3>; // (memory on A, on the current, time)
  std::vector<std::vector<Outer>> state(numDev);
  for (unsigned d = 0; d != numDev; ++d) {
    double t = problem.occupancy(source, d),
           m = counted(d, problem.nodes[source].memory);
    if (t != kInfinity && fits(d, m))
      state[canonical(d, -1)].push_back({m, t});
  }
  for (const ChainStep &step : steps) {
    std::vector<std::vector<Outer>> next(numDev);
    if (step.main.empty()) { // An edge from -> to.
      unsigned w = step.to;
      double bytes = problem.outputBytes(step.from);
      for (unsigned a = 0; a != numDev; ++a)
        for (const Outer &s : state[a])
          for (unsigned d : targets(a, -1)) {
            ++cells;
            double occ = problem.occupancy(w, d);
            double m = counted(d, problem.nodes[w].memory);
            if (occ == kInfinity)
              continue;
            double t = afterRoute(platform, routes, a, d, s[1], bytes);
            double memory = a == d ? s[0] + m : m;
            if (t != kInfinity && fits(d, memory))
              next[canonical(d, -1)].push_back({memory, t + occ});
          }
    } else {
      std::vector<unsigned> chain = step.main;
      chain.push_back(step.to);
      for (unsigned A = 0; A != numDev; ++A)
        for (const Outer &s : state[A]) {
          // The skip chain: the earliest arrival of its last tensor on each
          // device (its nodes' memory is not counted).
          std::vector<double> ready(numDev, kInfinity), after(numDev);
          ready[A] = s[1];
          unsigned prev = step.from;
          for (unsigned x : step.skip) {
            for (unsigned d = 0; d != numDev; ++d) {
              after[d] = kInfinity;
              double occ = problem.occupancy(x, d);
              if (occ == kInfinity)
                continue;
              for (unsigned a = 0; a != numDev; ++a)
                if (ready[a] != kInfinity)
                  after[d] = std::min(
                      after[d], afterRoute(platform, routes, a, d, ready[a],
                                           problem.outputBytes(prev)) +
                                    occ);
            }
            cells += uint64_t(numDev) * numDev;
            ready.swap(after);
            prev = x;
          }
          std::vector<double> arrive(numDev, kInfinity);
          for (unsigned d = 0; d != numDev; ++d)
            for (unsigned a = 0; a != numDev; ++a)
              if (ready[a] != kInfinity)
                arrive[d] = std::min(
                    arrive[d], afterRoute(platform, routes, a, d, ready[a],
                                          problem.outputBytes(prev)));
          // The main branch and the join, one device label per node.
          std::vector<std::vector<Inner>> inner(numDev);
          inner[A].push_back({s[0], 0, s[1]});
          prev = step.from;
          for (unsigned w : chain) {
            std::vector<std::vector<Inner>> grown(numDev);
            double bytes = problem.outputBytes(prev);
            for (unsigned cur = 0; cur != numDev; ++cur)
              for (const Inner &in : inner[cur])
                for (unsigned d : targets(cur, A)) {
                  ++cells;
                  double occ = problem.occupancy(w, d);
                  if (occ == kInfinity)
                    continue;
                  double t = afterRoute(platform, routes, cur, d, in[2], bytes);
                  if (t == kInfinity)
                    continue;
                  double m = counted(d, problem.nodes[w].memory);
                  Inner out = {in[0], 0, t + occ};
                  if (d == A) // All of A's nodes so far stay counted.
                    out[0] += m;
                  else
                    out[1] = d == cur ? in[1] + m : m;
                  if (fits(d, d == A ? out[0] : out[1]))
                    grown[canonical(d, A)].push_back(out);
                }
            for (std::vector<Inner> &list : grown)
              keepPareto(list);
            inner.swap(grown);
            prev = w;
            if (cells > budget) {
              work += cells;
              return 0;
            }
          }
          for (unsigned J = 0; J != numDev; ++J) {
            if (arrive[J] == kInfinity)
              continue;
            double skipFinish = arrive[J] + problem.occupancy(step.to, J);
            for (const Inner &in : inner[J])
              next[canonical(J, -1)].push_back(
                  {J == A ? in[0] : in[1], std::max(in[2], skipFinish)});
          }
        }
    }
    for (std::vector<Outer> &list : next)
      keepPareto(list);
    state.swap(next);
    if (cells > budget) {
      work += cells;
      return 0;
    }
  }
  work += cells;
  double best = kInfinity;
  for (const std::vector<Outer> &list : state)
    for (const Outer &s : list)
      best = std::min(best, s[1]);
  return best == kInfinity ? 0 : best;
}
