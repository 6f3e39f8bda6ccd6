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

json::Value PartitionReport::toJson() const {
  unsigned numDevices = platform.numDevices();
  std::vector<double> busy(numDevices, 0), memory(numDevices, 0);
  std::vector<unsigned> ops(numDevices, 0);
  double value = 0, bound = 0, seconds = 0, hostBusy = 0;
  SolveStatus status = SolveStatus::Optimal;
  json::Object placement;
  json::Array functionsJson;
  for (const FunctionReport &fn : functions) {
    value += fn.evaluation.value;
    bound += fn.lowerBound;
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
    for (const auto &[op, device] : fn.placement)
      placement[op] = device;
    json::Object stats;
    for (const auto &entry : fn.stats)
      stats[entry.getKey()] = entry.getValue();
    json::Object fnJson{
        {"name", fn.name},
        {"ops", fn.numOps},
        {"value", finiteOrNull(fn.evaluation.value)},
        {"lower_bound", fn.lowerBound},
        {"gap", finiteOrNull(gapOf(fn.evaluation.value, fn.lowerBound))},
        {"status", stringifySolveStatus(fn.status)},
        {"solve_seconds", fn.solveSeconds},
        {"stats", std::move(stats)}};
    if (objective == Objective::Throughput)
      fnJson["samples_per_second"] = fn.evaluation.samplesPerSecond;
    if (platform.runtime) {
      fnJson["host_busy"] = fn.evaluation.hostBusy;
      hostBusy += fn.evaluation.hostBusy;
    }
    functionsJson.push_back(std::move(fnJson));
  }
  if (functions.empty())
    status = SolveStatus::Heuristic;
  json::Array devices;
  for (unsigned d = 0; d != numDevices; ++d)
    devices.push_back(
        json::Object{{"name", platform.devices[d].name},
                     {"kind", stringifyDeviceKind(platform.devices[d].kind)},
                     {"ops", ops[d]},
                     {"busy_seconds", busy[d]},
                     {"memory_bytes", memory[d]}});
  json::Object root{{"objective", stringifyObjective(objective)},
                    {"algorithm", algorithm},
                    {"platform", platform.name},
                    {"status", stringifySolveStatus(status)},
                    {"value", finiteOrNull(value)},
                    {"lower_bound", bound},
                    {"gap", finiteOrNull(gapOf(value, bound))},
                    {"solve_seconds", seconds},
                    {"devices", std::move(devices)},
                    {"placement", std::move(placement)},
                    {"functions", std::move(functionsJson)}};
  if (objective == Objective::Throughput)
    root["samples_per_second"] = value > 0 ? 1 / value : 0.0;
  if (platform.runtime)
    root["host_busy"] = hostBusy;
  return root;
}

std::optional<std::string> diviml::writeReport(const PartitionReport &report,
                                               llvm::StringRef path) {
  json::Value json = report.toJson();
  if (path == "-") {
    llvm::outs() << llvm::formatv("{0:2}", json) << "\n";
    llvm::outs().flush();
    return std::nullopt;
  }
  std::error_code error;
  llvm::raw_fd_ostream out(path, error, llvm::sys::fs::OF_Text);
  if (error)
    return "cannot write report '" + path.str() + "': " + error.message();
  out << llvm::formatv("{0:2}", json) << "\n";
  return std::nullopt;
}
