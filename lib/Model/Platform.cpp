//===- Platform.cpp - Devices, links and routes ---------------------------===//

#include "diviml/Model/Platform.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cmath>

using namespace diviml;

llvm::StringRef diviml::stringifyDeviceKind(DeviceKind kind) {
  switch (kind) {
  case DeviceKind::Cpu:
    return "cpu";
  case DeviceKind::Gpu:
    return "gpu";
  case DeviceKind::Accel:
    return "accel";
  }
  llvm_unreachable("unknown device kind");
}

std::optional<DeviceKind> diviml::symbolizeDeviceKind(llvm::StringRef text) {
  return llvm::StringSwitch<std::optional<DeviceKind>>(text)
      .Case("cpu", DeviceKind::Cpu)
      .Case("gpu", DeviceKind::Gpu)
      .Case("accel", DeviceKind::Accel)
      .Default(std::nullopt);
}

double EfficiencyCurve::at(double size) const {
  if (points.empty())
    return 1;
  if (size <= points.front().first)
    return points.front().second;
  if (size >= points.back().first)
    return points.back().second;
  auto upper = std::upper_bound(
      points.begin(), points.end(), size,
      [](double s, const std::pair<double, double> &p) { return s < p.first; });
  auto lower = std::prev(upper);
  double t = (std::log(size) - std::log(lower->first)) /
             (std::log(upper->first) - std::log(lower->first));
  return std::exp(std::log(lower->second) +
                  t * (std::log(upper->second) - std::log(lower->second)));
}

bool Device::supports(llvm::StringRef opName) const {
  for (const std::string &pattern : unsupportedOps) {
    llvm::StringRef text(pattern);
    if (text.consume_back("*") ? opName.starts_with(text) : opName == text)
      return false;
  }
  return true;
}

double Device::peakFor(bool isFloat, unsigned bits) const {
  if (isFloat && bits <= 16 && peakFlopsF16 > 0)
    return peakFlopsF16;
  if (!isFloat && bits <= 8 && peakOpsInt8 > 0)
    return peakOpsInt8;
  return peakFlops;
}

double Platform::dispatchTime(unsigned device, llvm::StringRef opClass) const {
  if (!runtime)
    return 0;
  const Device &d = devices[device];
  auto found = d.dispatchByClass.find(opClass.str());
  return found != d.dispatchByClass.end() ? found->second : d.dispatch;
}

std::optional<unsigned> Platform::findDevice(llvm::StringRef name) const {
  for (unsigned i = 0, e = devices.size(); i != e; ++i)
    if (devices[i].name == name)
      return i;
  return std::nullopt;
}

std::optional<unsigned> Platform::findLink(unsigned from, unsigned to) const {
  for (unsigned i = 0, e = links.size(); i != e; ++i)
    if (links[i].from == from && links[i].to == to)
      return i;
  return std::nullopt;
}

std::optional<llvm::SmallVector<Leg, 2>> Platform::route(unsigned from,
                                                         unsigned to) const {
  llvm::SmallVector<Leg, 2> legs;
  if (from == to)
    return legs;
  if (std::optional<unsigned> direct = findLink(from, to)) {
    legs.push_back({from, to, *direct});
    return legs;
  }
  if (!host || *host == from || *host == to)
    return std::nullopt;
  std::optional<unsigned> up = findLink(from, *host);
  std::optional<unsigned> down = findLink(*host, to);
  if (!up || !down)
    return std::nullopt;
  legs.push_back({from, *host, *up});
  legs.push_back({*host, to, *down});
  return legs;
}

double Platform::transferTime(unsigned from, unsigned to, double bytes) const {
  std::optional<llvm::SmallVector<Leg, 2>> legs = route(from, to);
  if (!legs)
    return kInfinity;
  double total = 0;
  for (const Leg &leg : *legs)
    total += links[leg.link].transferTime(bytes);
  return total;
}

std::vector<std::vector<unsigned>> Platform::identicalDeviceClasses() const {
  auto sameDevice = [&](unsigned a, unsigned b) {
    const Device &x = devices[a], &y = devices[b];
    return x.kind == y.kind && x.peakFlops == y.peakFlops &&
           x.memoryBandwidth == y.memoryBandwidth &&
           x.memoryCapacity == y.memoryCapacity &&
           x.launchOverhead == y.launchOverhead && x.slots == y.slots &&
           x.peakFlopsF16 == y.peakFlopsF16 && x.peakOpsInt8 == y.peakOpsInt8 &&
           x.unsupportedOps == y.unsupportedOps && x.dispatch == y.dispatch &&
           x.dispatchByClass == y.dispatchByClass &&
           x.firstTouchBandwidth == y.firstTouchBandwidth &&
           x.efficiency == y.efficiency && host != a && host != b;
  };
  auto sameLink = [&](std::optional<unsigned> p, std::optional<unsigned> q) {
    if (!p || !q)
      return !p && !q;
    const Link &x = links[*p], &y = links[*q];
    return x.bandwidth == y.bandwidth && x.latency == y.latency &&
           x.pageableBandwidth == y.pageableBandwidth &&
           x.pageableLatency == y.pageableLatency && x.pageable == y.pageable &&
           x.synchronous == y.synchronous && x.dispatch == y.dispatch;
  };
  // Each device's links by neighbour: (outgoing, incoming), first of each
  // ordered pair as findLink(). Looking only at the neighbours keeps this
  // linear in the links, not cubic in the devices.
  using LinkPair = std::pair<std::optional<unsigned>, std::optional<unsigned>>;
  std::vector<llvm::DenseMap<unsigned, LinkPair>> neighbours(devices.size());
  for (unsigned l = 0, e = links.size(); l != e; ++l) {
    const Link &link = links[l];
    std::optional<unsigned> &out = neighbours[link.from][link.to].first;
    if (!out)
      out = l;
    std::optional<unsigned> &in = neighbours[link.to][link.from].second;
    if (!in)
      in = l;
  }
  auto linksOf = [&](unsigned a, unsigned c) {
    auto found = neighbours[a].find(c);
    return found == neighbours[a].end() ? LinkPair() : found->second;
  };
  // a and b are interchangeable when swapping them maps every link onto an
  // equal link.
  auto interchangeable = [&](unsigned a, unsigned b) {
    if (!sameDevice(a, b) ||
        !sameLink(linksOf(a, b).first, linksOf(b, a).first))
      return false;
    auto others = [&](unsigned x, unsigned y) {
      return neighbours[x].size() - neighbours[x].count(y);
    };
    if (others(a, b) != others(b, a))
      return false;
    for (const auto &[c, pair] : neighbours[a]) {
      if (c == a || c == b)
        continue;
      if (!neighbours[b].count(c))
        return false;
      LinkPair other = linksOf(b, c);
      if (!sameLink(pair.first, other.first) ||
          !sameLink(pair.second, other.second))
        return false;
    }
    return true;
  };
  std::vector<std::vector<unsigned>> classes;
  for (unsigned d = 0, e = devices.size(); d != e; ++d) {
    bool placed = false;
    for (std::vector<unsigned> &cls : classes) {
      if (interchangeable(cls.front(), d)) {
        cls.push_back(d);
        placed = true;
        break;
      }
    }
    if (!placed)
      classes.push_back({d});
  }
  return classes;
}
