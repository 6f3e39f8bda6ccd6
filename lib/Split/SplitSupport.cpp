//===- SplitSupport.cpp - Groups, memory, loads and sub-problems ----------===//

#include "SplitSupport.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <chrono>
#include <map>

using namespace diviml;
using namespace diviml::split;

double split::secondsNow() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Groups::Groups(const Problem &problem) {
  unsigned n = problem.numNodes();
  groupOf.resize(n);
  std::map<int, unsigned> byLabel;
  for (unsigned v = 0; v != n; ++v) {
    int label = problem.nodes[v].colocationGroup;
    unsigned g;
    if (label < 0) {
      g = members.size();
    } else {
      auto [it, inserted] = byLabel.try_emplace(label, members.size());
      g = it->second;
      if (!inserted) {
        groupOf[v] = g;
        members[g].push_back(v);
        memory[g] += problem.nodes[v].memory;
        continue;
      }
    }
    groupOf[v] = g;
    members.push_back({v});
    memory.push_back(problem.nodes[v].memory);
  }
}

Occupancy::Occupancy(const Problem &problem, const Groups &groups)
    : problem(problem), groups(groups),
      groupDevices(groups.members.size(), kUnplaced),
      placedMembers(groups.members.size(), 0),
      memoryUsed(problem.numDevices(), 0) {}

bool Occupancy::canPlace(unsigned v, unsigned d) const {
  unsigned g = groups.groupOf[v];
  if (groupDevices[g] != kUnplaced)
    return groupDevices[g] == d;
  for (unsigned w : groups.members[g])
    if (!problem.nodes[w].canRunOn(d))
      return false;
  // Exact capacity, as the baselines check it.
  return memoryUsed[d] + groups.memory[g] <=
         problem.platform.devices[d].memoryCapacity;
}

void Occupancy::place(unsigned v, unsigned d) {
  unsigned g = groups.groupOf[v];
  if (placedMembers[g]++ == 0) {
    groupDevices[g] = d;
    memoryUsed[d] += groups.memory[g];
  }
}

void Occupancy::remove(unsigned v) {
  unsigned g = groups.groupOf[v];
  if (--placedMembers[g] == 0) {
    memoryUsed[groupDevices[g]] -= groups.memory[g];
    groupDevices[g] = kUnplaced;
  }
}

LoadTracker::LoadTracker(const Problem &problem, const RouteTable &routes)
    : problem(problem), routes(routes), numDevices(problem.numDevices()),
      placement(problem.numNodes(), kUnplaced),
      consumers(size_t(problem.numNodes()) * numDevices, 0),
      load(numDevices, 0), linkLoad(problem.platform.links.size(), 0) {
  unsigned entries = numDevices + linkLoad.size();
  if (entries > kScannedEntries) {
    leaves = llvm::PowerOf2Ceil(entries);
    largest.assign(2 * leaves, 0);
  }
}

void LoadTracker::legsOf(unsigned u,
                         llvm::SmallVectorImpl<unsigned> &links) const {
  unsigned a = placement[u];
  if (a == kUnplaced)
    return;
  for (unsigned d = 0; d != numDevices; ++d) {
    if (d == a || consumers[size_t(u) * numDevices + d] == 0)
      continue;
    for (const Leg &leg : *routes.route(a, d))
      if (!llvm::is_contained(links, leg.link))
        links.push_back(leg.link);
  }
}

void LoadTracker::refresh(unsigned e, double value) {
  if (largest.empty())
    return;
  unsigned i = leaves + e;
  sumOfSquares += value * value - largest[i] * largest[i];
  largest[i] = value;
  // Up while the subtree's largest changes.
  for (i /= 2; i != 0; i /= 2) {
    double top = std::max(largest[2 * i], largest[2 * i + 1]);
    if (top == largest[i])
      break;
    largest[i] = top;
  }
}

void LoadTracker::addToDevice(unsigned d, double t) {
  if (inTrial)
    oldLoads.push_back({&load[d], load[d]});
  load[d] += t;
  refresh(d, load[d] / problem.platform.devices[d].slots);
}

void LoadTracker::addToLink(unsigned l, double t) {
  if (inTrial)
    oldLoads.push_back({&linkLoad[l], linkLoad[l]});
  linkLoad[l] += t;
  refresh(numDevices + l, linkLoad[l]);
}

void LoadTracker::applyLegs(unsigned u, double sign) {
  llvm::SmallVector<unsigned, 4> links;
  legsOf(u, links);
  const Platform &platform = problem.platform;
  double bytes = problem.outputBytes(u);
  for (unsigned l : links) {
    const Link &link = platform.links[l];
    double t = sign * link.transferTime(bytes);
    addToLink(l, t);
    if (platform.chargesDevice(link.from))
      addToDevice(link.from, t);
    if (platform.chargesDevice(link.to))
      addToDevice(link.to, t);
  }
}

void LoadTracker::beginTrial() {
  assert(!inTrial && "trials do not nest");
  inTrial = true;
  sumOfSquaresBefore = sumOfSquares;
}

void LoadTracker::endTrial() {
  for (auto [where, value] : llvm::reverse(oldLoads)) {
    *where = value;
    if (where >= load.data() && where < load.data() + numDevices) {
      unsigned d = where - load.data();
      refresh(d, value / problem.platform.devices[d].slots);
    } else {
      refresh(numDevices + unsigned(where - linkLoad.data()), value);
    }
  }
  for (auto [where, value] : llvm::reverse(oldCounts))
    *where = value;
  oldLoads.clear();
  oldCounts.clear();
  sumOfSquares = sumOfSquaresBefore;
  inTrial = false;
}

TwoDeviceModel
split::transferAwareTwoDeviceModel(const Problem &problem, LoadTracker &loads,
                                   llvm::ArrayRef<std::vector<unsigned>> groups,
                                   unsigned a, unsigned b) {
  double slotsA = problem.platform.devices[a].slots;
  double slotsB = problem.platform.devices[b].slots;
  const std::vector<double> &load = loads.deviceLoads();
  TwoDeviceModel model;
  model.baseA = load[a] / slotsA;
  model.baseB = load[b] / slotsB;
  for (const std::vector<unsigned> &members : groups) {
    unsigned from = loads.device(members.front());
    auto removeAll = [&] {
      for (unsigned v : llvm::reverse(members))
        loads.remove(v);
    };
    auto placeAll = [&](unsigned d) {
      for (unsigned v : members)
        loads.place(v, d);
    };
    removeAll();
    double noneA = load[a], noneB = load[b];
    placeAll(a);
    double onAtoA = load[a] - noneA, onAtoB = load[b] - noneB;
    removeAll();
    placeAll(b);
    double onBtoA = load[a] - noneA, onBtoB = load[b] - noneB;
    removeAll();
    placeAll(from);
    // a's load = the rest + (on a ? onAtoA : onBtoA): the base takes
    // onBtoA, the job the difference; b's the other way round.
    bool onA = from == a;
    model.baseA += (onBtoA - (onA ? onAtoA : onBtoA)) / slotsA;
    model.baseB += (onAtoB - (onA ? onAtoB : onBtoB)) / slotsB;
    model.jobs.push_back({std::max(0.0, (onAtoA - onBtoA) / slotsA),
                          std::max(0.0, (onBtoB - onAtoB) / slotsB)});
  }
  return model;
}

void LoadTracker::subtractLegs(unsigned u, std::vector<double> &deviceLoad,
                               std::vector<double> &linkLoads) const {
  llvm::SmallVector<unsigned, 4> links;
  legsOf(u, links);
  const Platform &platform = problem.platform;
  double bytes = problem.outputBytes(u);
  for (unsigned l : links) {
    const Link &link = platform.links[l];
    double t = link.transferTime(bytes);
    linkLoads[l] -= t;
    if (platform.chargesDevice(link.from))
      deviceLoad[link.from] -= t;
    if (platform.chargesDevice(link.to))
      deviceLoad[link.to] -= t;
  }
}

void LoadTracker::place(unsigned v, unsigned d) {
  if (inTrial)
    oldCounts.push_back({&placement[v], placement[v]});
  for (unsigned u : problem.predecessors(v)) {
    unsigned &count = consumers[size_t(u) * numDevices + d];
    if (inTrial)
      oldCounts.push_back({&count, count});
    // u's legs change only when d gains its first consumer of u.
    if (placement[u] == kUnplaced || placement[u] == d || count != 0) {
      ++count;
      continue;
    }
    applyLegs(u, -1);
    ++count;
    applyLegs(u, +1);
  }
  placement[v] = d;
  addToDevice(d, problem.nodes[v].time[d]);
  applyLegs(v, +1);
}

void LoadTracker::remove(unsigned v) {
  unsigned d = placement[v];
  if (inTrial)
    oldCounts.push_back({&placement[v], placement[v]});
  applyLegs(v, -1);
  addToDevice(d, -problem.nodes[v].time[d]);
  placement[v] = kUnplaced;
  for (unsigned u : problem.predecessors(v)) {
    unsigned &count = consumers[size_t(u) * numDevices + d];
    if (inTrial)
      oldCounts.push_back({&count, count});
    // u's legs change only when d loses its last consumer of u.
    if (placement[u] == kUnplaced || placement[u] == d || count != 1) {
      --count;
      continue;
    }
    applyLegs(u, -1);
    --count;
    applyLegs(u, +1);
  }
}

double LoadTracker::maxLoad() const {
  // As a scan from 0 would give (padding leaves are 0).
  if (!largest.empty())
    return std::max(0.0, largest[1]);
  double result = 0;
  for (unsigned d = 0; d != numDevices; ++d)
    result = std::max(result, load[d] / problem.platform.devices[d].slots);
  for (double l : linkLoad)
    result = std::max(result, l);
  return result;
}

double LoadTracker::spread() const {
  double result = 0;
  for (unsigned d = 0; d != numDevices; ++d) {
    double busy = load[d] / problem.platform.devices[d].slots;
    result += busy * busy;
  }
  for (double l : linkLoad)
    result += l * l;
  return result;
}

void SubProblem::readPlacement(const Solution &solution,
                               std::vector<unsigned> &placement) const {
  for (unsigned i = 0, e = original.size(); i != e; ++i)
    if (isFree[i])
      placement[original[i]] = solution.device[i];
}

std::vector<unsigned> SubProblem::freeOrder(const Solution &solution) const {
  std::vector<unsigned> order;
  llvm::ArrayRef<unsigned> sequence = solution.order;
  if (sequence.empty())
    sequence = problem.topologicalOrder();
  for (unsigned i : sequence)
    if (isFree[i])
      order.push_back(original[i]);
  return order;
}

Solution SubProblem::solutionOf(const std::vector<unsigned> &placement,
                                llvm::ArrayRef<unsigned> order) const {
  Solution solution;
  unsigned size = original.size();
  solution.device.resize(size);
  llvm::DenseMap<unsigned, unsigned> local;
  for (unsigned i = 0; i != size; ++i) {
    local[original[i]] = i;
    solution.device[i] =
        isFree[i] ? placement[original[i]] : *boundary.fixedDevice[i];
    if (!isFree[i])
      solution.order.push_back(i);
  }
  for (unsigned v : order)
    solution.order.push_back(local[v]);
  return solution;
}

SubProblem split::buildSubProblem(const Problem &problem, const Groups &groups,
                                  llvm::ArrayRef<unsigned> freeNodes,
                                  const std::vector<unsigned> &placement,
                                  const std::vector<double> &memoryUsed,
                                  Objective objective) {
  const Platform &platform = problem.platform;
  unsigned numDevices = problem.numDevices();
  llvm::DenseMap<unsigned, bool> inSub; // node -> free?
  for (unsigned v : freeNodes)
    inSub[v] = true;
  auto isPlacedOutside = [&](unsigned v) {
    return placement[v] != kUnplaced && !inSub.lookup(v);
  };
  // Producers whose legs the MILP models.
  std::vector<unsigned> producers(freeNodes.begin(), freeNodes.end());
  for (unsigned v : freeNodes)
    for (unsigned u : problem.predecessors(v))
      if (isPlacedOutside(u) && !inSub.count(u)) {
        inSub[u] = false;
        producers.push_back(u);
      }
  if (objective == Objective::Throughput)
    for (unsigned i = 0, e = producers.size(); i != e; ++i)
      for (unsigned w : problem.successors(producers[i]))
        if (isPlacedOutside(w) && !inSub.count(w))
          inSub[w] = false;

  SubProblem sub;
  sub.problem.platform = platform;
  sub.fixedProducers.assign(producers.begin() + freeNodes.size(),
                            producers.end());
  for (auto &[v, free] : inSub)
    sub.original.push_back(v);
  llvm::sort(sub.original);
  unsigned size = sub.original.size();
  llvm::DenseMap<unsigned, unsigned> local;
  for (unsigned i = 0; i != size; ++i)
    local[sub.original[i]] = i;
  sub.isFree.resize(size);
  sub.boundary.fixedDevice.assign(size, std::nullopt);
  sub.boundary.memoryUsed = memoryUsed;

  // Which groups are decided outside, and which free node carries the
  // memory of an undecided group's members outside the sub-problem.
  llvm::DenseMap<unsigned, unsigned> groupCarrier;
  for (unsigned i = 0; i != size; ++i) {
    unsigned v = sub.original[i];
    bool free = inSub.lookup(v);
    sub.isFree[i] = free;
    const Node &source = problem.nodes[v];
    Node node;
    node.name = source.name;
    if (!free) {
      unsigned d = placement[v];
      node.time.assign(numDevices, kInfinity);
      node.time[d] = 0;
      sub.boundary.fixedDevice[i] = d;
      sub.problem.addNode(std::move(node));
      continue;
    }
    node.time = source.time;
    node.memory = source.memory;
    unsigned g = groups.groupOf[v];
    const std::vector<unsigned> &members = groups.members[g];
    if (members.size() > 1) {
      node.colocationGroup = g;
      unsigned decided = kUnplaced;
      for (unsigned w : members)
        if (isPlacedOutside(w))
          decided = placement[w];
      if (decided != kUnplaced) {
        node.memory = 0; // Reserved with the group.
        sub.boundary.fixedDevice[i] = decided;
      } else if (groupCarrier.try_emplace(g, i).second) {
        for (unsigned w : members) {
          if (inSub.lookup(w))
            continue;
          node.memory += problem.nodes[w].memory;
          for (unsigned d = 0; d != numDevices; ++d)
            if (!problem.nodes[w].canRunOn(d))
              node.time[d] = kInfinity;
        }
      }
    }
    sub.problem.addNode(std::move(node));
  }
  // Every colocated free node of a group must share the carrier's devices.
  for (auto &[g, carrier] : groupCarrier)
    for (unsigned w : groups.members[g]) {
      auto found = local.find(w);
      if (found == local.end() || found->second == carrier)
        continue;
      for (unsigned d = 0; d != numDevices; ++d)
        if (sub.problem.nodes[carrier].time[d] == kInfinity)
          sub.problem.nodes[found->second].time[d] = kInfinity;
    }

  // Edges out of the modelled producers, each with the tensor's full size
  // (Problem::outputBytes() is the max over all of a producer's edges).
  for (unsigned u : producers) {
    unsigned from = local[u];
    for (unsigned w : problem.successors(u)) {
      auto found = local.find(w);
      if (found == local.end())
        continue;
      // Latency: transfers to fixed consumers have happened already (the
      // sub-problem only models what the free nodes wait for).
      if (objective == Objective::Latency && !sub.isFree[found->second])
        continue;
      sub.problem.addEdge(from, found->second, problem.outputBytes(u));
    }
  }
  sub.problem.finalize();
  return sub;
}
