//===- MsrFormat.cpp - Workloads of Tarnawski et al. (NeurIPS 2020) -------===//

#include "diviml/Workloads/MsrFormat.h"
#include "diviml/Model/JsonInput.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

using namespace diviml;

static llvm::Error formatError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "MSR workload: " + message);
}

/// The largest time, size or cost accepted: the published workloads stay
/// below 1e12, and sums of many such values must stay far from overflow and
/// within what the solvers can scale.
constexpr double kMaxMsrNumber = 1e15;

namespace {
/// Typed field access whose errors say where the field is.
struct FieldReader {
  const llvm::json::Object &object;
  std::string where;

  llvm::Expected<double> number(llvm::StringRef field) const {
    std::optional<double> value = getJsonNumber(object, field);
    if (!value || !(*value >= 0 && *value <= kMaxMsrNumber))
      return formatError(llvm::formatv(
          "{0}: '{1}' is missing or not a number from 0 to {2:e0}", where,
          field, kMaxMsrNumber));
    return *value;
  }
  llvm::Expected<int64_t> integer(llvm::StringRef field) const {
    std::optional<int64_t> value = object.getInteger(field);
    if (!value)
      return formatError(llvm::formatv(
          "{0}: '{1}' is missing or not an integer", where, field));
    return *value;
  }
  /// The artifact writes flags both as 0/1 and as true/false.
  llvm::Expected<bool> flag(llvm::StringRef field) const {
    if (std::optional<bool> value = object.getBoolean(field))
      return *value;
    std::optional<int64_t> value = object.getInteger(field);
    if (!value || (*value != 0 && *value != 1))
      return formatError(llvm::formatv(
          "{0}: '{1}' is missing or not a boolean or 0/1", where, field));
    return *value == 1;
  }
};
} // namespace

static Platform msrPlatform(unsigned numAccels, unsigned numCpus,
                            double accelMemory) {
  Platform platform;
  for (unsigned i = 0; i != numAccels; ++i) {
    Device acc{llvm::formatv("acc{0}", i).str(), DeviceKind::Accel};
    acc.memoryCapacity = accelMemory;
    platform.devices.push_back(acc);
  }
  for (unsigned j = 0; j != numCpus; ++j)
    platform.devices.push_back(
        {llvm::formatv("cpu{0}", j).str(), DeviceKind::Cpu});
  unsigned host = numAccels;
  platform.host = host;
  // The paper charges a transfer's cost to each accelerator it touches and
  // nothing to CPUs; the host is never charged, other CPU cores are reached
  // over free links.
  platform.transfersOverlapCompute = false;
  for (unsigned i = 0; i != numAccels; ++i) {
    platform.links.push_back({i, host, 1.0, 0});
    platform.links.push_back({host, i, 1.0, 0});
  }
  for (unsigned j = 1; j < numCpus; ++j) {
    platform.links.push_back({host + j, host, kInfinity, 0});
    platform.links.push_back({host, host + j, kInfinity, 0});
  }
  return platform;
}

llvm::Expected<Problem> diviml::importMsrJson(llvm::StringRef text) {
  llvm::Expected<llvm::json::Value> parsed =
      parseJsonInput(text, "the workload");
  if (!parsed)
    return formatError("not valid JSON: " + llvm::toString(parsed.takeError()));
  const llvm::json::Object *root = parsed->getAsObject();
  if (!root)
    return formatError("the top level is not an object");
  FieldReader top{*root, "top level"};
  llvm::Expected<double> accelMemory = top.number("maxSizePerFPGA");
  if (!accelMemory)
    return accelMemory.takeError();
  llvm::Expected<int64_t> numAccels = top.integer("maxFPGAs");
  if (!numAccels)
    return numAccels.takeError();
  llvm::Expected<int64_t> numCpus = top.integer("maxCPUs");
  if (!numCpus)
    return numCpus.takeError();
  if (*numAccels < 0 || *numAccels > 4096)
    return formatError(
        llvm::formatv("'maxFPGAs' is {0}, not in 0..4096", *numAccels));
  if (*numCpus < 1 || *numCpus > 4096)
    return formatError(llvm::formatv(
        "'maxCPUs' is {0}, not in 1..4096 (cpu0 is the host)", *numCpus));
  const llvm::json::Array *nodes = root->getArray("nodes");
  if (!nodes)
    return formatError("'nodes' is missing or not an array");
  const llvm::json::Array *edges = root->getArray("edges");
  if (!edges)
    return formatError("'edges' is missing or not an array");

  unsigned k = *numAccels, l = *numCpus;
  Problem problem(msrPlatform(k, l, *accelMemory));
  llvm::DenseMap<int64_t, unsigned> indexOfId;
  llvm::DenseMap<int64_t, int> groupOfColor;
  for (unsigned i = 0, e = nodes->size(); i != e; ++i) {
    const llvm::json::Object *object = (*nodes)[i].getAsObject();
    if (!object)
      return formatError(llvm::formatv("nodes[{0}] is not an object", i));
    FieldReader reader{*object, llvm::formatv("nodes[{0}]", i).str()};
    llvm::Expected<int64_t> id = reader.integer("id");
    if (!id)
      return id.takeError();
    reader.where = llvm::formatv("node {0}", *id).str();
    llvm::Expected<bool> supported = reader.flag("supportedOnFpga");
    if (!supported)
      return supported.takeError();
    llvm::Expected<double> cpuLatency = reader.number("cpuLatency");
    if (!cpuLatency)
      return cpuLatency.takeError();
    llvm::Expected<double> fpgaLatency = reader.number("fpgaLatency");
    if (!fpgaLatency)
      return fpgaLatency.takeError();
    llvm::Expected<double> size = reader.number("size");
    if (!size)
      return size.takeError();
    Node node;
    node.name = std::to_string(*id);
    node.time.assign(k, *supported ? *fpgaLatency : kInfinity);
    node.time.resize(k + l, *cpuLatency);
    node.memory = *size;
    if (object->get("colorClass")) {
      llvm::Expected<int64_t> color = reader.integer("colorClass");
      if (!color)
        return color.takeError();
      // Compact ids: colour classes may be any integers.
      node.colocationGroup =
          groupOfColor.try_emplace(*color, groupOfColor.size()).first->second;
    }
    if (!indexOfId.try_emplace(*id, problem.numNodes()).second)
      return formatError(llvm::formatv("node id {0} appears twice", *id));
    problem.addNode(std::move(node));
  }
  for (unsigned i = 0, e = edges->size(); i != e; ++i) {
    const llvm::json::Object *object = (*edges)[i].getAsObject();
    if (!object)
      return formatError(llvm::formatv("edges[{0}] is not an object", i));
    FieldReader reader{*object, llvm::formatv("edges[{0}]", i).str()};
    llvm::Expected<int64_t> source = reader.integer("sourceId");
    if (!source)
      return source.takeError();
    llvm::Expected<int64_t> dest = reader.integer("destId");
    if (!dest)
      return dest.takeError();
    llvm::Expected<double> cost = reader.number("cost");
    if (!cost)
      return cost.takeError();
    auto src = indexOfId.find(*source), dst = indexOfId.find(*dest);
    if (src == indexOfId.end() || dst == indexOfId.end())
      return formatError(llvm::formatv(
          "edges[{0}] ({1} -> {2}) names node {3}, which does not exist", i,
          *source, *dest, src == indexOfId.end() ? *source : *dest));
    problem.addEdge(src->second, dst->second, *cost);
  }
  problem.finalize();
  if (llvm::Error err = problem.check())
    return formatError(llvm::toString(std::move(err)));
  return problem;
}

llvm::Expected<Problem> diviml::importMsrFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   llvm::formatv("cannot read '{0}': {1}", path,
                                                 buffer.getError().message()));
  llvm::Expected<Problem> problem = importMsrJson((*buffer)->getBuffer());
  if (!problem)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: {1}", path, llvm::toString(problem.takeError())));
  return problem;
}

std::string diviml::exportMsrSplit(const Problem &problem,
                                   const Solution &solution) {
  unsigned n = problem.numNodes();
  std::vector<int64_t> ids(n);
  bool numericNames = true;
  for (unsigned v = 0; v != n && numericNames; ++v)
    numericNames =
        !llvm::StringRef(problem.nodes[v].name).getAsInteger(10, ids[v]);
  if (!numericNames)
    for (unsigned v = 0; v != n; ++v)
      ids[v] = v;
  std::vector<std::vector<int64_t>> perDevice(problem.numDevices());
  for (unsigned v = 0; v != n && v < solution.device.size(); ++v)
    if (solution.device[v] < perDevice.size())
      perDevice[solution.device[v]].push_back(ids[v]);
  for (std::vector<int64_t> &members : perDevice)
    std::sort(members.begin(), members.end());
  // Written by hand to keep the artifact's key order (fpgas first).
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream json(os);
  auto devicesOfKind = [&](bool cpu) {
    for (unsigned d = 0, e = perDevice.size(); d != e; ++d) {
      if ((problem.platform.devices[d].kind == DeviceKind::Cpu) != cpu)
        continue;
      json.object([&] {
        json.attributeArray("nodes", [&] {
          for (int64_t id : perDevice[d])
            json.value(id);
        });
      });
    }
  };
  json.object([&] {
    json.attributeArray("fpgas", [&] { devicesOfKind(false); });
    json.attributeArray("cpus", [&] { devicesOfKind(true); });
  });
  os.flush();
  return text;
}
