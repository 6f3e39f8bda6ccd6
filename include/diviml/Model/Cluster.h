//===- Cluster.h - Platforms made of servers and a network ------*- C++ -*-===//
//
// A cluster is written compactly as server templates (devices and the links
// inside one server) times counts, plus each template's network interface.
// It expands to a plain Platform, so every pass and solver sees devices and
// links as before (docs/formats.md, "Clusters").
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_MODEL_CLUSTER_H
#define DIVIML_MODEL_CLUSTER_H

#include "diviml/Model/Platform.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <vector>

namespace diviml {

/// One kind of server: its devices and links under local names ("gpu3"),
/// and the network interface every transfer to or from another server
/// crosses.
struct ServerTemplate {
  /// Devices, links and `host` (the server's own CPU) in local terms; the
  /// template's name is `server.name`.
  Platform server;
  /// Bytes/s one transfer gets through this server's NIC.
  double nicBandwidth = 0;
  /// Seconds a transfer spends in this server's NIC and network stack.
  double nicLatency = 0;
};

/// `count` servers built from templates[templateIndex].
struct ServerGroup {
  unsigned templateIndex = 0;
  unsigned count = 1;
};

struct ClusterSpec {
  std::string name;
  std::vector<ServerTemplate> templates;
  /// Servers in order; server s (counted over all groups) names its devices
  /// "s<s>.<local name>".
  std::vector<ServerGroup> groups;
  /// The cluster's host device by expanded name; empty: the first server's
  /// host.
  std::string host;
  bool transfersOverlapCompute = true;
  std::optional<Runtime> runtime;

  unsigned numServers() const;
  /// The template of server `server`.
  const ServerTemplate &templateOf(unsigned server) const;
  /// The server of expanded device `device`, std::nullopt past the end.
  std::optional<unsigned> serverOf(unsigned device) const;
};

/// Checks the spec (non-empty templates, positive NIC figures, a host that
/// exists) and expands it: devices server by server in template order,
/// every intra-server link renamed, and one direct link each way between
/// every two devices of different servers with the bandwidth of the slower
/// NIC and the sum of both NIC latencies.
llvm::Expected<Platform> expandCluster(const ClusterSpec &spec);

/// Reads the compact JSON form (an object with `server_templates` and
/// `servers`); parsePlatformJson expands such objects itself.
llvm::Expected<ClusterSpec> parseClusterJson(const llvm::json::Object &object);
/// The inverse of parseClusterJson.
llvm::json::Value clusterToJson(const ClusterSpec &spec);

/// The cluster behind preset `name` (`cluster-mixed-4`, `cluster-dgx-8`), or
/// std::nullopt for other names; presetPlatform(name) is its expansion.
std::optional<ClusterSpec> presetCluster(llvm::StringRef name);

} // namespace diviml

#endif // DIVIML_MODEL_CLUSTER_H
