//===- Problem.cpp - Op graph, derived structure and check() --------------===//

#include "diviml/Model/Problem.h"
#include "diviml/Model/Support.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace diviml;

llvm::StringRef diviml::stringifyObjective(Objective objective) {
  return objective == Objective::Latency ? "latency" : "throughput";
}

std::optional<Objective> diviml::symbolizeObjective(llvm::StringRef text) {
  return llvm::StringSwitch<std::optional<Objective>>(text)
      .Case("latency", Objective::Latency)
      .Case("throughput", Objective::Throughput)
      .Default(std::nullopt);
}

unsigned Problem::addNode(Node node) {
  nodes.push_back(std::move(node));
  finalized = false;
  return nodes.size() - 1;
}

void Problem::addEdge(unsigned src, unsigned dst, double bytes) {
  edges.push_back({src, dst, bytes});
  finalized = false;
}

void Problem::finalize() {
  unsigned n = nodes.size();
  outEdgeIds.assign(n, {});
  inEdgeIds.assign(n, {});
  preds.assign(n, {});
  succs.assign(n, {});
  outBytes.assign(n, 0);
  for (unsigned e = 0, ee = edges.size(); e != ee; ++e) {
    const Edge &edge = edges[e];
    if (edge.src >= n || edge.dst >= n)
      continue; // check() reports it.
    outEdgeIds[edge.src].push_back(e);
    inEdgeIds[edge.dst].push_back(e);
    succs[edge.src].push_back(edge.dst);
    preds[edge.dst].push_back(edge.src);
    outBytes[edge.src] = std::max(outBytes[edge.src], edge.bytes);
  }
  for (unsigned v = 0; v != n; ++v) {
    for (std::vector<unsigned> *list : {&preds[v], &succs[v]}) {
      std::sort(list->begin(), list->end());
      list->erase(std::unique(list->begin(), list->end()), list->end());
    }
  }
  // Kahn's algorithm; ties broken by node index so the order is stable.
  std::vector<unsigned> indegree(n);
  for (unsigned v = 0; v != n; ++v)
    indegree[v] = preds[v].size();
  std::vector<unsigned> ready;
  for (unsigned v = n; v-- > 0;)
    if (indegree[v] == 0)
      ready.push_back(v);
  topoOrder.clear();
  while (!ready.empty()) {
    // `ready` is kept sorted descending so back() is the smallest index.
    unsigned v = ready.back();
    ready.pop_back();
    topoOrder.push_back(v);
    for (unsigned s : succs[v]) {
      if (--indegree[s] == 0) {
        auto pos = std::lower_bound(ready.begin(), ready.end(), s,
                                    std::greater<unsigned>());
        ready.insert(pos, s);
      }
    }
  }
  if (topoOrder.size() != n)
    topoOrder.clear();
  finalized = true;
}

double Problem::dispatchTime(unsigned node, unsigned device) const {
  const Node &n = nodes[node];
  if (!platform.runtime || n.external)
    return 0;
  return n.dispatch.empty() ? platform.dispatchTime(device, "")
                            : n.dispatch[device];
}

double Problem::firstTouchTime(unsigned device, double bytes) const {
  double bandwidth = platform.devices[device].firstTouchBandwidth;
  return bandwidth > 0 && bandwidth != kInfinity ? bytes / bandwidth : 0;
}

double Problem::occupancy(unsigned node, unsigned device) const {
  double time = nodes[node].time[device];
  if (time == kInfinity || nodes[node].external)
    return time;
  // An op that takes no time (a view, a reshape) allocates nothing.
  if (time > 0)
    time += firstTouchTime(device, outputBytes(node));
  if (platform.runsOnDispatchThread(device))
    time += dispatchTime(node, device);
  return time;
}

double Problem::hostTime(unsigned node, unsigned device) const {
  return platform.runsOnDispatchThread(device) ? occupancy(node, device)
                                               : dispatchTime(node, device);
}

static llvm::Error problemError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Error Problem::check() const {
  // check() is const but needs the derived structure: finalize a copy when the
  // caller has not.
  if (!finalized) {
    Problem copy = *this;
    copy.finalize();
    return copy.check();
  }
  unsigned n = nodes.size(), numDev = platform.numDevices();
  if (numDev == 0)
    return problemError("the platform has no devices");
  for (unsigned d = 0; d != numDev; ++d)
    if (platform.devices[d].slots == 0 ||
        platform.devices[d].slots > kMaxDeviceSlots)
      return problemError(
          llvm::formatv("device '{0}' has no slots or more than 4096",
                        platform.devices[d].name));
  for (const Link &link : platform.links)
    if (link.from >= numDev || link.to >= numDev || link.from == link.to ||
        !(link.bandwidth > 0) || link.latency < 0 ||
        link.pageableBandwidth < 0 || link.pageableLatency < 0 ||
        !(link.dispatch >= 0) || link.dispatch == kInfinity)
      return problemError("a link has bad endpoints, bandwidth, latency or "
                          "dispatch time");
  if (platform.runtime &&
      (!platform.host || platform.runtime->hostThreads == 0))
    return problemError("a runtime needs a host device and at least one host "
                        "thread");
  for (const Edge &edge : edges) {
    if (edge.src >= n || edge.dst >= n)
      return problemError(
          llvm::formatv("edge {0} -> {1} names a node that does not exist",
                        edge.src, edge.dst));
    if (edge.src == edge.dst)
      return problemError(
          llvm::formatv("node '{0}' depends on itself", nodes[edge.src].name));
    if (edge.bytes < 0)
      return problemError("an edge carries a negative number of bytes");
  }
  for (unsigned v = 0; v != n; ++v) {
    const Node &node = nodes[v];
    if (node.time.size() != numDev)
      return problemError(
          llvm::formatv("node '{0}' has {1} execution times for {2} devices",
                        node.name, node.time.size(), numDev));
    if (!node.dispatch.empty() && node.dispatch.size() != numDev)
      return problemError(
          llvm::formatv("node '{0}' has {1} dispatch times for {2} devices",
                        node.name, node.dispatch.size(), numDev));
    for (double seconds : node.dispatch)
      if (!(seconds >= 0) || seconds == kInfinity)
        return problemError(llvm::formatv(
            "node '{0}' has a negative or non-finite dispatch time",
            node.name));
    bool runs = false;
    for (unsigned d = 0; d != numDev; ++d) {
      if (node.time[d] < 0 || std::isnan(node.time[d]))
        return problemError(llvm::formatv(
            "node '{0}' has a negative or NaN time on device '{1}'", node.name,
            platform.devices[d].name));
      runs |= node.canRunOn(d);
    }
    if (!runs)
      return problemError(
          llvm::formatv("node '{0}' cannot run on any device", node.name));
  }
  if (topoOrder.size() != n) {
    // Name a node on a cycle: one that Kahn's algorithm never released.
    std::vector<bool> released(n, false);
    for (unsigned v : topoOrder)
      released[v] = true;
    for (unsigned v = 0; v != n; ++v)
      if (!released[v])
        return problemError(llvm::formatv(
            "the graph has a cycle through node '{0}'", nodes[v].name));
  }
  // Colocation groups need a common device with room for the whole group.
  std::map<int, std::vector<unsigned>> groups;
  for (unsigned v = 0; v != n; ++v)
    groups[nodes[v].colocationGroup < 0 ? -1 - int(v)
                                        : nodes[v].colocationGroup]
        .push_back(v);
  for (const auto &[id, members] : groups) {
    bool common = false, fits = false;
    double memory = 0;
    for (unsigned v : members)
      memory += nodes[v].memory;
    for (unsigned d = 0; d != numDev; ++d) {
      bool all = llvm::all_of(members,
                              [&](unsigned v) { return nodes[v].canRunOn(d); });
      common |= all;
      fits |= all && memory <= platform.devices[d].memoryCapacity;
    }
    const std::string &who = nodes[members.front()].name;
    if (!common)
      return problemError(llvm::formatv(
          "colocation group of node '{0}' has no device that runs all its "
          "{1} nodes",
          who, members.size()));
    if (!fits)
      return problemError(llvm::formatv(
          "node '{0}'{1} needs {2:e3} bytes, more than any device that can run "
          "it holds",
          who, members.size() > 1 ? " with its colocation group" : "", memory));
  }
  // Every producer must be able to reach every device its consumers may use.
  // Edges mostly share the same pair of device sets, so each distinct pair
  // is checked once; and a pair staged through the host needs no lookup.
  std::map<std::vector<bool>, unsigned> maskIds;
  std::vector<unsigned> maskOf(nodes.size());
  for (unsigned v = 0, e = nodes.size(); v != e; ++v) {
    std::vector<bool> mask(numDev);
    for (unsigned d = 0; d != numDev; ++d)
      mask[d] = nodes[v].canRunOn(d);
    maskOf[v] =
        maskIds.try_emplace(std::move(mask), maskIds.size()).first->second;
  }
  std::vector<const std::vector<bool> *> masks(maskIds.size());
  for (const auto &[mask, id] : maskIds)
    masks[id] = &mask;
  LinkIndex links(platform);
  std::vector<bool> up(numDev, false), down(numDev, false);
  if (platform.host)
    for (unsigned d = 0; d != numDev; ++d) {
      up[d] = d != *platform.host && links.find(d, *platform.host);
      down[d] = d != *platform.host && links.find(*platform.host, d);
    }
  std::set<std::pair<unsigned, unsigned>> checked;
  for (const Edge &edge : edges) {
    if (!checked.insert({maskOf[edge.src], maskOf[edge.dst]}).second)
      continue;
    const std::vector<bool> &from = *masks[maskOf[edge.src]],
                            &to = *masks[maskOf[edge.dst]];
    for (unsigned a = 0; a != numDev; ++a) {
      if (!from[a])
        continue;
      for (unsigned b = 0; b != numDev; ++b)
        if (to[b] && a != b && !(up[a] && down[b]) && !links.find(a, b))
          return problemError(llvm::formatv(
              "devices '{0}' and '{1}' have no link and no host to stage "
              "through",
              platform.devices[a].name, platform.devices[b].name));
    }
  }
  return llvm::Error::success();
}
