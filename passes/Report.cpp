//===- Report.cpp - The JSON report of diviml-partition -------------------===//

#include "Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace diviml;
namespace json = llvm::json;

/// Status of several functions together: the weakest claim wins.
static SolveStatus combine(SolveStatus a, SolveStatus b) {
  auto rank = [](SolveStatus s) {
    switch (s) {
    case SolveStatus::Infeasible:
      return 0;
    case SolveStatus::Timeout:
      return 1;
    case SolveStatus::Heuristic:
      return 2;
    case SolveStatus::Feasible:
      return 3;
    case SolveStatus::Optimal:
      return 4;
    }
    return 0;
  };
  return rank(a) <= rank(b) ? a : b;
}

static json::Value finiteOrNull(double value) {
  if (std::isfinite(value))
    return value;
  return nullptr;
}

static double gapOf(double value, double bound) {
  return bound > 0 ? value / bound - 1 : 0;
}

/// How the answer compares with everything on the fastest single device.
static json::Object versusFastestSingle(double value, double baseline) {
  return json::Object{
      {"value", finiteOrNull(baseline)},
      {"gain_seconds", finiteOrNull(baseline - value)},
      {"speedup", value > 0 ? finiteOrNull(baseline / value) : nullptr}};
}

static json::Object transfersJson(const TransferSummary &transfers) {
  return json::Object{{"count", transfers.count}, {"bytes", transfers.bytes}};
}

static json::Object criticalPathJson(const CriticalPath &path, double value) {
  auto share = [&](double part) { return value > 0 ? part / value : 0.0; };
  return json::Object{{"ops", path.ops},
                      {"compute_seconds", path.compute},
                      {"communication_seconds", path.communication},
                      {"waiting_seconds", path.waiting},
                      {"compute_share", share(path.compute)},
                      {"communication_share", share(path.communication)}};
}

json::Value PartitionReport::toJson() const {
  unsigned numDevices = platform.numDevices();
  std::vector<double> busy(numDevices, 0), memory(numDevices, 0);
  std::vector<unsigned> ops(numDevices, 0);
  unsigned numLinks = platform.links.size();
  std::vector<double> linkBusy(numLinks, 0), linkBytes(numLinks, 0);
  double value = 0, bound = 0, seconds = 0, baseline = 0, hostBusy = 0,
         boundSeconds = 0;
  TransferSummary transfers;
  CriticalPath critical;
  SolveStatus status = SolveStatus::Optimal;
  json::Object placement;
  json::Array functionsJson;
  for (const FunctionReport &fn : functions) {
    value += fn.evaluation.value;
    baseline += fn.baselineValue;
    transfers.count += fn.transfers.count;
    transfers.bytes += fn.transfers.bytes;
    critical.compute += fn.critical.compute;
    critical.communication += fn.critical.communication;
    critical.waiting += fn.critical.waiting;
    critical.ops += fn.critical.ops;
    for (unsigned l = 0; l != numLinks; ++l) {
      if (l < fn.evaluation.linkLoad.size())
        linkBusy[l] += fn.evaluation.linkLoad[l];
      if (l < fn.evaluation.linkBytes.size())
        linkBytes[l] += fn.evaluation.linkBytes[l];
    }
    bound += fn.lowerBound;
    boundSeconds += fn.boundSeconds;
    seconds += fn.solveSeconds;
    status = combine(status, fn.status);
    for (unsigned d = 0; d != numDevices; ++d) {
      if (d < fn.evaluation.deviceLoad.size())
        busy[d] += fn.evaluation.deviceLoad[d];
      if (d < fn.evaluation.memoryUsed.size())
        memory[d] = std::max(memory[d], fn.evaluation.memoryUsed[d]);
      if (d < fn.opsPerDevice.size())
        ops[d] += fn.opsPerDevice[d];
    }
    json::Object fnPlacement;
    for (const auto &[op, device] : fn.placement) {
      placement[op] = device;
      fnPlacement[op] = device;
    }
    json::Object stats;
    for (const auto &entry : fn.stats)
      stats[entry.getKey()] = entry.getValue();
    json::Object fnJson{
        {"name", fn.name},
        {"ops", fn.numOps},
        {"value", finiteOrNull(fn.evaluation.value)},
        {"lower_bound", fn.lowerBound},
        {"gap", finiteOrNull(gapOf(fn.evaluation.value, fn.lowerBound))},
        {"lower_bound_source", fn.boundSource},
        {"lower_bound_seconds", fn.boundSeconds},
        {"status", stringifySolveStatus(fn.status)},
        {"solve_seconds", fn.solveSeconds},
        {"stats", std::move(stats)},
        {"placement", std::move(fnPlacement)},
        {"fastest_single",
         versusFastestSingle(fn.evaluation.value, fn.baselineValue)},
        {"transfers", transfersJson(fn.transfers)}};
    if (objective == Objective::Throughput)
      fnJson["samples_per_second"] = fn.evaluation.samplesPerSecond;
    // Data parallelism: copy c's device of every op of `placement`.
    if (!fn.solution.replicas.empty()) {
      fnJson["copies"] = fn.solution.numCopies();
      json::Array replicas;
      for (const std::vector<unsigned> &copy : fn.solution.replicas) {
        json::Object replica;
        for (auto [index, entry] : llvm::enumerate(fn.placement))
          replica[entry.first] = platform.devices[copy[index]].name;
        replicas.push_back(std::move(replica));
      }
      fnJson["replicas"] = std::move(replicas);
    } else
      fnJson["critical_path"] =
          criticalPathJson(fn.critical, fn.evaluation.value);
    if (platform.runtime) {
      fnJson["host_busy"] = fn.evaluation.hostBusy;
      hostBusy += fn.evaluation.hostBusy;
    }
    functionsJson.push_back(std::move(fnJson));
  }
  if (functions.empty())
    status = SolveStatus::Heuristic;
  // Busy time over the time available: the value (latency: the inference;
  // throughput: the period) times the slots.
  auto utilisation = [&](double busySeconds, unsigned slots) {
    return value > 0 && std::isfinite(value) ? busySeconds / (slots * value)
                                             : 0.0;
  };
  json::Array devices;
  for (unsigned d = 0; d != numDevices; ++d)
    devices.push_back(json::Object{
        {"name", platform.devices[d].name},
        {"kind", stringifyDeviceKind(platform.devices[d].kind)},
        {"slots", platform.devices[d].slots},
        {"ops", ops[d]},
        {"busy_seconds", busy[d]},
        {"utilisation", utilisation(busy[d], platform.devices[d].slots)},
        {"memory_bytes", memory[d]}});
  json::Array links;
  for (unsigned l = 0; l != numLinks; ++l) {
    const Link &link = platform.links[l];
    links.push_back(
        json::Object{{"name", platform.devices[link.from].name + "->" +
                                  platform.devices[link.to].name},
                     {"bytes", linkBytes[l]},
                     {"busy_seconds", linkBusy[l]},
                     {"utilisation", utilisation(linkBusy[l], 1)}});
  }
  json::Object root{{"objective", stringifyObjective(objective)},
                    {"algorithm", algorithm},
                    {"platform", platform.name},
                    {"status", stringifySolveStatus(status)},
                    {"value", finiteOrNull(value)},
                    {"lower_bound", bound},
                    {"gap", finiteOrNull(gapOf(value, bound))},
                    {"lower_bound_seconds", boundSeconds},
                    {"solve_seconds", seconds},
                    {"fastest_single", versusFastestSingle(value, baseline)},
                    {"devices", std::move(devices)},
                    {"links", std::move(links)},
                    {"transfers", transfersJson(transfers)},
                    {"placement", std::move(placement)},
                    {"functions", std::move(functionsJson)}};
  if (objective == Objective::Throughput)
    root["samples_per_second"] = value > 0 ? 1 / value : 0.0;
  else
    root["critical_path"] = criticalPathJson(critical, value);
  if (platform.runtime)
    root["host_busy"] = hostBusy;
  return root;
}

void diviml::writeReport(const PartitionReport &report, llvm::raw_ostream &os) {
  os << llvm::formatv("{0:2}", report.toJson()) << "\n";
}
