//===- ClusterIO.cpp - The compact cluster form of platform JSON ----------===//
//
// A server template is written as a platform of its own (devices, links,
// host, in local names) plus `nic_bandwidth` and `nic_latency`, so the
// device and link readers and their checks are the platform's.
//
//===----------------------------------------------------------------------===//

#include "ClusterIO.h"

#include "diviml/Model/Cluster.h"
#include "diviml/Model/JsonInput.h"
#include "diviml/Model/PlatformIO.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

using namespace diviml;
namespace json = llvm::json;

static llvm::Error clusterError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static llvm::Expected<double> positiveNumber(const json::Object &object,
                                             llvm::StringRef key,
                                             llvm::StringRef where,
                                             bool allowZero) {
  std::optional<double> value = getJsonNumber(object, key);
  if (!value || !(allowZero ? *value >= 0 : *value > 0) ||
      !(*value <= kMaxPlatformNumber))
    return clusterError(where + " needs a " +
                        (allowZero ? "non-negative" : "positive") +
                        " finite number '" + key + "'");
  return *value;
}

static llvm::Expected<ServerTemplate> readTemplate(const json::Value &value,
                                                   unsigned index) {
  const json::Object *object = value.getAsObject();
  std::string where = llvm::formatv("server_templates[{0}]", index).str();
  if (!object)
    return clusterError(where + " must be an object");
  for (llvm::StringRef key :
       {"runtime", "transfers_overlap_compute", "servers", "server_templates"})
    if (object->get(key))
      return clusterError(where + ": '" + key +
                          "' belongs to the cluster, not to a server");
  ServerTemplate tmpl;
  llvm::Expected<double> bandwidth =
      positiveNumber(*object, "nic_bandwidth", where, false);
  if (!bandwidth)
    return bandwidth.takeError();
  llvm::Expected<double> latency =
      positiveNumber(*object, "nic_latency", where, true);
  if (!latency)
    return latency.takeError();
  tmpl.nicBandwidth = *bandwidth;
  tmpl.nicLatency = *latency;
  json::Object server = *object;
  server.erase("nic_bandwidth");
  server.erase("nic_latency");
  if (!server.getString("name"))
    return clusterError(where + " needs a string 'name'");
  llvm::Expected<Platform> parsed =
      parsePlatformJsonValue(json::Value(std::move(server)));
  if (!parsed)
    return clusterError(where + ": " + llvm::toString(parsed.takeError()));
  tmpl.server = std::move(*parsed);
  return tmpl;
}

llvm::Expected<ClusterSpec>
diviml::parseClusterJson(const json::Object &object) {
  static const llvm::StringRef known[] = {"name",
                                          "host",
                                          "transfers_overlap_compute",
                                          "runtime",
                                          "server_templates",
                                          "servers"};
  for (const auto &member : object)
    if (!llvm::is_contained(known, llvm::StringRef(member.first)))
      return clusterError("the cluster has unknown key '" +
                          llvm::StringRef(member.first) + "'");
  const json::Array *templates = object.getArray("server_templates");
  const json::Array *servers = object.getArray("servers");
  if (!templates || templates->empty() || !servers || servers->empty())
    return clusterError("a cluster needs non-empty 'server_templates' and "
                        "'servers' arrays");
  ClusterSpec spec;
  llvm::StringMap<unsigned> byName;
  for (unsigned i = 0, e = templates->size(); i != e; ++i) {
    llvm::Expected<ServerTemplate> tmpl = readTemplate((*templates)[i], i);
    if (!tmpl)
      return tmpl.takeError();
    if (!byName.try_emplace(tmpl->server.name, i).second)
      return clusterError("two server templates are named '" +
                          tmpl->server.name + "'");
    spec.templates.push_back(std::move(*tmpl));
  }
  for (unsigned i = 0, e = servers->size(); i != e; ++i) {
    const json::Object *group = (*servers)[i].getAsObject();
    std::string where = llvm::formatv("servers[{0}]", i).str();
    if (!group)
      return clusterError(where + " must be an object");
    for (const auto &member : *group)
      if (member.first != "template" && member.first != "count")
        return clusterError(where + " has unknown key '" +
                            llvm::StringRef(member.first) + "'");
    std::optional<llvm::StringRef> name = group->getString("template");
    if (!name || !byName.count(*name))
      return clusterError(where + " needs 'template' naming a server template");
    std::optional<int64_t> count = group->getInteger("count");
    if (!count || *count < 1 || *count > 4096)
      return clusterError(where + ": 'count' must be an integer from 1 to "
                                  "4096");
    spec.groups.push_back({byName.lookup(*name), unsigned(*count)});
  }
  if (std::optional<llvm::StringRef> host = object.getString("host"))
    spec.host = host->str();
  else if (object.get("host"))
    return clusterError("the cluster's 'host' must be a string");
  if (std::optional<llvm::StringRef> name = object.getString("name"))
    spec.name = name->str();
  if (const json::Value *overlap = object.get("transfers_overlap_compute")) {
    std::optional<bool> flag = overlap->getAsBoolean();
    if (!flag)
      return clusterError("'transfers_overlap_compute' must be true or false");
    spec.transfersOverlapCompute = *flag;
  }
  if (const json::Value *runtime = object.get("runtime")) {
    llvm::Expected<Runtime> parsed = parseRuntimeJson(*runtime);
    if (!parsed)
      return parsed.takeError();
    spec.runtime = *parsed;
  }
  // Expanding checks what only the whole cluster can: NIC figures, host.
  if (llvm::Expected<Platform> platform = expandCluster(spec); !platform)
    return platform.takeError();
  return spec;
}

json::Value diviml::clusterToJson(const ClusterSpec &spec) {
  json::Array templates, servers;
  for (const ServerTemplate &tmpl : spec.templates) {
    json::Value server = platformToJson(tmpl.server);
    json::Object &object = *server.getAsObject();
    // Cluster-wide keys; readTemplate rejects them in a server.
    object.erase("transfers_overlap_compute");
    object.erase("runtime");
    object["nic_bandwidth"] = tmpl.nicBandwidth;
    object["nic_latency"] = tmpl.nicLatency;
    templates.push_back(std::move(server));
  }
  for (const ServerGroup &group : spec.groups)
    servers.push_back(json::Object{
        {"template", spec.templates[group.templateIndex].server.name},
        {"count", group.count}});
  json::Object root{{"name", spec.name},
                    {"transfers_overlap_compute", spec.transfersOverlapCompute},
                    {"server_templates", std::move(templates)},
                    {"servers", std::move(servers)}};
  if (!spec.host.empty())
    root["host"] = spec.host;
  if (spec.runtime)
    root["runtime"] = runtimeJson(*spec.runtime);
  return json::Value(std::move(root));
}
