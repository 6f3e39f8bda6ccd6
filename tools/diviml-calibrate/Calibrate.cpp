//===- Calibrate.cpp - Platform figures fitted to measurements ------------===//

#include "Calibrate.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace diviml;

namespace {
llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}
} // namespace

ErrorSummary diviml::summarizeErrors(std::vector<double> errors) {
  ErrorSummary summary;
  summary.count = errors.size();
  if (errors.empty())
    return summary;
  std::sort(errors.begin(), errors.end());
  auto quantile = [&](double q) {
    double at = q * (errors.size() - 1);
    size_t lo = size_t(std::floor(at));
    size_t hi = std::min(lo + 1, errors.size() - 1);
    return errors[lo] + (errors[hi] - errors[lo]) * (at - double(lo));
  };
  summary.median = quantile(0.5);
  summary.p90 = quantile(0.9);
  return summary;
}

std::vector<CurveSample> diviml::curveSamples(llvm::ArrayRef<OpSample> ops,
                                              const Device &device, unsigned d,
                                              llvm::StringRef opClass) {
  std::vector<CurveSample> samples;
  for (const OpSample &op : ops) {
    if (op.free || op.opClass != opClass || !(op.measured[d] > 0) ||
        !(op.roof[d] > 0) || !(op.size > 0))
      continue;
    // Profiles time an op over and over into reused buffers, so a measured
    // time holds no first touch: the curve is fitted to it as it is, and
    // Problem::occupancy adds the first touch that a runtime pays.
    double fixed = device.launchOverhead;
    samples.push_back({op.size, op.roof[d], fixed, op.measured[d]});
  }
  return samples;
}

std::optional<double> diviml::fitLaunch(llvm::ArrayRef<OpSample> ops,
                                        unsigned d, unsigned count) {
  std::vector<std::pair<double, unsigned>> byRoof;
  for (unsigned i = 0; i != ops.size(); ++i)
    if (!ops[i].free && !ops[i].opClass.empty() && ops[i].opClass != "view" &&
        ops[i].measured[d] > 0)
      byRoof.push_back({ops[i].roof[d], i});
  if (byRoof.empty())
    return std::nullopt;
  // Ties broken by file order: the result must not depend on sort stability.
  std::sort(byRoof.begin(), byRoof.end());
  byRoof.resize(std::min<size_t>(byRoof.size(), std::max(count, 1u)));
  std::vector<double> rest;
  for (auto [roof, i] : byRoof)
    rest.push_back(std::max(ops[i].measured[d] - roof, 0.0));
  std::sort(rest.begin(), rest.end());
  size_t n = rest.size();
  double median = n % 2 ? rest[n / 2] : (rest[n / 2 - 1] + rest[n / 2]) / 2;
  return roundSignificant(median, 3);
}

std::vector<ClassFit> diviml::fitCurves(Platform &platform,
                                        llvm::ArrayRef<OpSample> ops,
                                        const CurveFitOptions &options,
                                        unsigned minOps) {
  std::set<std::string> classes;
  for (const OpSample &op : ops)
    if (!op.free && !op.opClass.empty() && op.opClass != "view")
      classes.insert(op.opClass);
  std::vector<ClassFit> fits;
  for (unsigned d = 0; d != platform.numDevices(); ++d) {
    Device &device = platform.devices[d];
    for (const std::string &opClass : classes) {
      std::vector<CurveSample> samples = curveSamples(ops, device, d, opClass);
      if (samples.size() < std::max(minOps, 1u))
        continue;
      ClassFit fit{
          device.name, opClass, fitEfficiencyCurve(samples, options), {}, {}};
      std::vector<double> before, after;
      for (const CurveSample &s : samples) {
        before.push_back(timeError(s.roof + s.fixed, s.measured));
        after.push_back(timeError(predictTime(s, fit.curve), s.measured));
      }
      fit.roofline = summarizeErrors(std::move(before));
      fit.fitted = summarizeErrors(std::move(after));
      device.efficiency[opClass] = fit.curve;
      fits.push_back(std::move(fit));
    }
  }
  return fits;
}

llvm::Expected<std::vector<CopyRecord>>
diviml::parseCopyTable(llvm::StringRef text) {
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(text);
  if (!root)
    return error("copy table: " + llvm::toString(root.takeError()));
  const llvm::json::Array *rows = root->getAsArray();
  if (!rows)
    return error("copy table: must be an array of copies");
  std::vector<CopyRecord> copies;
  for (unsigned i = 0; i != rows->size(); ++i) {
    std::string where = llvm::formatv("copy table entry {0}", i).str();
    const llvm::json::Object *row = (*rows)[i].getAsObject();
    if (!row)
      return error(where + ": must be an object");
    for (const auto &member : *row)
      if (member.first != "bytes" && member.first != "pinned" &&
          member.first != "dir" && member.first != "seconds")
        return error(where + ": unknown key '" + member.first.str() + "'");
    CopyRecord copy;
    std::optional<double> bytes = row->getNumber("bytes");
    std::optional<double> seconds = row->getNumber("seconds");
    std::optional<bool> pinned = row->getBoolean("pinned");
    std::optional<llvm::StringRef> dir = row->getString("dir");
    if (!bytes || !(*bytes > 0) || !std::isfinite(*bytes))
      return error(where + ": 'bytes' must be a positive number");
    if (!seconds || !(*seconds > 0) || !std::isfinite(*seconds))
      return error(where + ": 'seconds' must be a positive number");
    if (!pinned)
      return error(where + ": 'pinned' must be true or false");
    if (!dir || (*dir != "h2d" && *dir != "d2h"))
      return error(where + ": 'dir' must be \"h2d\" or \"d2h\"");
    copy.bytes = *bytes;
    copy.seconds = *seconds;
    copy.pinned = *pinned;
    copy.toDevice = *dir == "h2d";
    copies.push_back(copy);
  }
  return copies;
}

llvm::Expected<std::vector<LinkCalibration>>
diviml::fitLinks(Platform &platform, llvm::ArrayRef<CopyRecord> copies) {
  if (!platform.host)
    return error("a copy table needs a platform with a 'host': copies run "
                 "between the host and the other devices");
  unsigned host = *platform.host;
  bool any = false;
  for (const Link &link : platform.links)
    any |= (link.from == host) != (link.to == host);
  if (!any)
    return error("a copy table needs a link between the host and another "
                 "device");
  std::vector<LinkCalibration> results;
  for (bool toDevice : {true, false}) {
    for (bool pinned : {true, false}) {
      std::vector<CopySample> samples;
      std::set<double> sizes;
      for (const CopyRecord &copy : copies)
        if (copy.toDevice == toDevice && copy.pinned == pinned) {
          samples.push_back({copy.bytes, copy.seconds});
          sizes.insert(copy.bytes);
        }
      if (samples.empty())
        continue;
      if (sizes.size() < 2)
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            "copy table: %s %s copies need at least two sizes",
            pinned ? "pinned" : "pageable", toDevice ? "h2d" : "d2h");
      LinkCalibration result{toDevice, pinned, unsigned(samples.size()),
                             fitAffine(samples)};
      double latency = roundSignificant(result.fit.latency);
      double bandwidth = roundSignificant(result.fit.bandwidth);
      for (Link &link : platform.links) {
        if (toDevice ? (link.from != host || link.to == host)
                     : (link.to != host || link.from == host))
          continue;
        (pinned ? link.latency : link.pageableLatency) = latency;
        (pinned ? link.bandwidth : link.pageableBandwidth) = bandwidth;
      }
      results.push_back(result);
    }
  }
  return results;
}

llvm::Error diviml::applyMachinePeaks(Platform &platform, llvm::StringRef text,
                                      llvm::ArrayRef<std::string> prefixes) {
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(text);
  if (!root)
    return error("machine table: " + llvm::toString(root.takeError()));
  const llvm::json::Object *object = root->getAsObject();
  const llvm::json::Object *peaks =
      object ? object->getObject("peaks") : nullptr;
  if (!peaks)
    return error("machine table: needs a 'peaks' object");
  llvm::StringMap<std::string> prefixOf;
  for (llvm::StringRef pair : prefixes) {
    auto [device, prefix] = pair.split('=');
    if (prefix.empty() || !platform.findDevice(device))
      return error("machine prefix '" + pair +
                   "' must be <device of the platform>=<key prefix>");
    prefixOf[device] = prefix.str();
  }
  for (Device &device : platform.devices) {
    std::string prefix =
        prefixOf.count(device.name) ? prefixOf[device.name] : device.name;
    std::optional<double> flops =
        peaks->getNumber(prefix + "_matmul_float32_flops");
    if (!flops)
      flops = peaks->getNumber(prefix + "_matmul_f32_flops");
    std::optional<double> bandwidth =
        peaks->getNumber(prefix + "_copy_bytes_per_s");
    if (!flops || !bandwidth)
      return error("machine table: no '" + prefix +
                   "_matmul_float32_flops' (or _f32_) and '" + prefix +
                   "_copy_bytes_per_s' for device '" + device.name + "'");
    device.peakFlops = roundSignificant(*flops, 3);
    device.memoryBandwidth = roundSignificant(*bandwidth, 3);
    if (std::optional<double> f16 =
            peaks->getNumber(prefix + "_matmul_float16_flops"))
      device.peakFlopsF16 = roundSignificant(*f16, 3);
  }
  return llvm::Error::success();
}
