//===- Cluster.cpp - Expanding servers and a network into a platform ------===//
//
// The expansion gives every pair of devices in different servers a direct
// link, so route() never stages an inter-server transfer through the
// cluster's host (which would charge its PCIe links and get the figures
// wrong). That is quadratic in devices (64 servers of 9 devices: ~330 000
// links); route tables (issue 14) can replace it by hops through NICs.
// What it gives up: the links of one NIC are separate resources, so two
// transfers leaving one server at once do not share its bandwidth.
//
//===----------------------------------------------------------------------===//

#include "diviml/Model/Cluster.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace diviml;

static llvm::Error clusterError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

unsigned ClusterSpec::numServers() const {
  unsigned n = 0;
  for (const ServerGroup &group : groups)
    n += group.count;
  return n;
}

const ServerTemplate &ClusterSpec::templateOf(unsigned server) const {
  for (const ServerGroup &group : groups) {
    if (server < group.count)
      return templates[group.templateIndex];
    server -= group.count;
  }
  llvm_unreachable("server index out of range");
}

llvm::Expected<Platform> diviml::expandCluster(const ClusterSpec &spec) {
  if (spec.templates.empty() || spec.groups.empty())
    return clusterError("a cluster needs server templates and servers");
  for (const ServerTemplate &tmpl : spec.templates) {
    if (tmpl.server.devices.empty())
      return clusterError("server template '" + tmpl.server.name +
                          "' has no devices");
    if (!(tmpl.nicBandwidth > 0) || !(tmpl.nicLatency >= 0) ||
        tmpl.nicLatency == kInfinity)
      return clusterError("server template '" + tmpl.server.name +
                          "' needs a positive 'nic_bandwidth' and a finite "
                          "non-negative 'nic_latency'");
  }
  for (const ServerGroup &group : spec.groups)
    if (group.templateIndex >= spec.templates.size() || group.count == 0)
      return clusterError("a server group names no template or has no "
                          "servers");

  Platform platform;
  // first[s]: index of server s's first device.
  std::vector<unsigned> first;
  unsigned numServers = spec.numServers();
  for (unsigned s = 0; s != numServers; ++s) {
    const Platform &server = spec.templateOf(s).server;
    unsigned base = platform.devices.size();
    first.push_back(base);
    for (const Device &device : server.devices) {
      Device copy = device;
      copy.name = llvm::formatv("s{0}.{1}", s, device.name).str();
      platform.devices.push_back(std::move(copy));
    }
    for (const Link &link : server.links) {
      Link copy = link;
      copy.from += base;
      copy.to += base;
      platform.links.push_back(copy);
    }
  }
  first.push_back(platform.devices.size());
  for (unsigned a = 0; a != numServers; ++a)
    for (unsigned b = 0; b != numServers; ++b) {
      if (a == b)
        continue;
      const ServerTemplate &x = spec.templateOf(a), &y = spec.templateOf(b);
      Link link;
      link.bandwidth = std::min(x.nicBandwidth, y.nicBandwidth);
      link.latency = x.nicLatency + y.nicLatency;
      for (unsigned from = first[a]; from != first[a + 1]; ++from)
        for (unsigned to = first[b]; to != first[b + 1]; ++to) {
          link.from = from;
          link.to = to;
          platform.links.push_back(link);
        }
    }
  if (spec.host.empty()) {
    if (std::optional<unsigned> host = spec.templateOf(0).server.host)
      platform.host = *host;
  } else {
    platform.host = platform.findDevice(spec.host);
    if (!platform.host)
      return clusterError("the cluster's 'host' names unknown device '" +
                          spec.host + "'");
  }
  if (spec.runtime && !platform.host)
    return clusterError("a cluster with a 'runtime' needs a host");
  platform.name = spec.name;
  platform.transfersOverlapCompute = spec.transfersOverlapCompute;
  platform.runtime = spec.runtime;
  return platform;
}

std::optional<unsigned> ClusterSpec::serverOf(unsigned device) const {
  for (unsigned s = 0, e = numServers(); s != e; ++s) {
    unsigned size = templateOf(s).server.devices.size();
    if (device < size)
      return s;
    device -= size;
  }
  return std::nullopt;
}
