//===- CalibrationBench.cpp - Fit quality of the calibrated roofline ------===//
//
// Reads the per-op measurements of a node (ops.json of the shared
// measurements: signature, models using it, two runs per device) and a
// platform (peaks and launch), fits the efficiency curves exactly as
// diviml-calibrate does and prints, per device and op class, the median and
// p90 of max(pred/meas, meas/pred) of the plain roofline, of the calibrated
// roofline in sample, and cross-validated by model family (each family's ops
// predicted by curves fitted to the others). Markdown on stdout
// (docs/calibration.md); usage in bench/calibrate_h200.sh.
//
//===----------------------------------------------------------------------===//

#include "Calibrate.h"

#include "DivimlRegistration.h"
#include "diviml/Model/PlatformIO.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

#include <map>
#include <set>

using namespace diviml;

namespace {

/// "resnet50-b8" -> "resnet50"; the randwire graphs and the inception files
/// are one family each (they share most signatures).
std::string familyOf(llvm::StringRef model) {
  auto [base, batch] = model.rsplit("-b");
  if (batch.empty() || !llvm::all_of(batch, llvm::isDigit))
    base = model;
  if (base.starts_with("randwire"))
    return "randwire";
  if (base.starts_with("inception"))
    return "inception";
  return base.str();
}

/// A class without training ops borrows a related class's curve (only in
/// cross-validation: bert and gpt2 share all reductions, for one).
const std::map<std::string, std::string> kFallback = {
    {"reduction", "elementwise"},
    {"data-movement", "elementwise"},
    {"pool", "elementwise"},
    {"depthwise", "conv"},
    {"matmul", "conv"},
    {"conv", "matmul"},
    {"elementwise", "data-movement"}};

struct Op {
  OpSample sample;
  std::set<std::string> families;
};

double minOf(const llvm::json::Array *runs) {
  double best = 0;
  for (const llvm::json::Value &run : *runs)
    if (std::optional<double> t = run.getAsNumber())
      best = best > 0 ? std::min(best, *t) : *t;
  return best;
}

llvm::Expected<std::vector<Op>> readOps(llvm::StringRef text,
                                        const OpSampler &sampler,
                                        const Platform &platform) {
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(text);
  if (!root)
    return root.takeError();
  std::optional<unsigned> cpu = platform.findDevice("cpu");
  std::optional<unsigned> gpu = platform.findDevice("gpu");
  if (!cpu || !gpu || !root->getAsArray())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "needs an ops.json array and a platform "
                                   "with devices 'cpu' and 'gpu'");
  std::vector<Op> ops;
  for (const llvm::json::Value &value : *root->getAsArray()) {
    const llvm::json::Object &rec = *value.getAsObject();
    OpRecord record;
    record.op = rec.getString("op")->str();
    for (const llvm::json::Value &t : *rec.getArray("operands"))
      record.operands.push_back(t.getAsString()->str());
    for (const llvm::json::Value &t : *rec.getArray("results"))
      record.results.push_back(t.getAsString()->str());
    // The attributes profile.json keeps (the others do not change the work).
    for (const char *key :
         {"axis", "dilation", "kernel", "pad", "perms", "stride"})
      if (std::optional<llvm::StringRef> attr =
              rec.getObject("props")->getString(key))
        record.attributes.push_back({key, attr->str()});
    llvm::Expected<OpSample> sample = sampler.sample(
        record, llvm::formatv("ops.json entry {0}", ops.size()).str());
    if (!sample)
      return sample.takeError();
    sample->entry = ops.size();
    sample->measured[*cpu] = minOf(rec.getArray("cpu16"));
    sample->measured[*gpu] = minOf(rec.getObject("gpu")->getArray("stream"));
    Op op{std::move(*sample), {}};
    for (const auto &member : *rec.getObject("models"))
      op.families.insert(familyOf(member.first));
    ops.push_back(std::move(op));
  }
  return ops;
}

using Errors = std::map<std::string, std::vector<double>>; // class -> errors

/// Errors of `test` under `platform` (its curves, or none), by class and
/// under "all".
void collect(const Platform &platform, unsigned d,
             llvm::ArrayRef<OpSample> test, Errors &errors,
             const std::map<std::string, std::string> *fallback = nullptr) {
  const Device &device = platform.devices[d];
  std::set<std::string> classes;
  for (const OpSample &op : test)
    classes.insert(op.opClass);
  for (const std::string &opClass : classes) {
    const EfficiencyCurve *curve = nullptr;
    auto found = device.efficiency.find(opClass);
    if (found == device.efficiency.end() && fallback &&
        fallback->count(opClass))
      found = device.efficiency.find(fallback->at(opClass));
    if (found != device.efficiency.end())
      curve = &found->second;
    for (const CurveSample &s : curveSamples(test, device, d, opClass)) {
      double predicted = curve ? predictTime(s, *curve) : s.roof + s.fixed;
      double error = timeError(predicted, s.measured);
      errors[opClass].push_back(error);
      errors["all"].push_back(error);
    }
  }
}

std::vector<OpSample> samplesOf(llvm::ArrayRef<Op> ops,
                                llvm::function_ref<bool(const Op &)> keep) {
  std::vector<OpSample> samples;
  for (const Op &op : ops)
    if (keep(op))
      samples.push_back(op.sample);
  return samples;
}

std::string cell(const std::vector<double> &errors) {
  ErrorSummary s = summarizeErrors(errors);
  return llvm::formatv("{0:f2} / {1:f2}", s.median, s.p90).str();
}

llvm::Error run(llvm::StringRef opsPath, llvm::StringRef platformPath) {
  auto platformText = llvm::MemoryBuffer::getFile(platformPath);
  auto opsText = llvm::MemoryBuffer::getFile(opsPath);
  if (!platformText || !opsText)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot read the inputs");
  llvm::Expected<Platform> base =
      parsePlatformJson((*platformText)->getBuffer());
  if (!base)
    return base.takeError();
  for (Device &device : base->devices)
    device.efficiency.clear();
  mlir::DialectRegistry registry;
  registerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  OpSampler sampler(context, *base);
  llvm::Expected<std::vector<Op>> ops =
      readOps((*opsText)->getBuffer(), sampler, *base);
  if (!ops)
    return ops.takeError();

  std::vector<OpSample> all = samplesOf(*ops, [](const Op &) { return true; });
  Platform inSample = *base;
  fitCurves(inSample, all, {}, 3);
  std::set<std::string> families;
  for (const Op &op : *ops)
    families.insert(op.families.begin(), op.families.end());

  llvm::outs() << "| device | class | ops | roofline | calibrated, in sample "
                  "| calibrated, family CV |\n|---|---|---|---|---|---|\n";
  std::map<std::string, Errors> perFamily[2];
  for (unsigned d = 0; d != base->numDevices(); ++d) {
    Errors roofline, fitted, crossValidated;
    collect(*base, d, all, roofline);
    collect(inSample, d, all, fitted);
    for (const std::string &family : families) {
      Platform trained = *base;
      fitCurves(
          trained,
          samplesOf(*ops,
                    [&](const Op &op) { return !op.families.count(family); }),
          {}, 1);
      std::vector<OpSample> test = samplesOf(
          *ops, [&](const Op &op) { return op.families.count(family); });
      collect(trained, d, test, crossValidated, &kFallback);
      if (d < 2)
        collect(trained, d, test, perFamily[d][family], &kFallback);
    }
    for (const auto &[opClass, errors] : roofline)
      llvm::outs() << llvm::formatv(
          "| {0} | {1} | {2} | {3} | {4} | {5} |\n", base->devices[d].name,
          opClass, errors.size(), cell(errors), cell(fitted[opClass]),
          cell(crossValidated[opClass]));
  }
  llvm::outs() << "\nPer held-out family, all classes (median / p90; n = "
                  "ops of the family):\n\n| family | n |";
  for (const Device &device : base->devices)
    llvm::outs() << " " << device.name << " |";
  llvm::outs() << "\n|---|---|";
  for (unsigned d = 0; d != base->numDevices(); ++d)
    llvm::outs() << "---|";
  llvm::outs() << "\n";
  for (const std::string &family : families) {
    llvm::outs() << llvm::formatv("| {0} | {1} |", family,
                                  perFamily[0][family]["all"].size());
    for (unsigned d = 0; d != std::min(2u, base->numDevices()); ++d)
      llvm::outs() << " " << cell(perFamily[d][family]["all"]) << " |";
    llvm::outs() << "\n";
  }
  return llvm::Error::success();
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    llvm::errs() << "usage: diviml-calibration-bench <ops.json> "
                    "<platform.json>\n";
    return 2;
  }
  if (llvm::Error err = run(argv[1], argv[2])) {
    llvm::WithColor::error(llvm::errs(), "diviml-calibration-bench")
        << llvm::toString(std::move(err)) << "\n";
    return 1;
  }
  return 0;
}
