//===- OpSamples.cpp - Profiled ops as curve-fitting samples --------------===//

#include "OpSamples.h"

#include "CostModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace diviml;
using namespace mlir;

namespace {

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A function whose body is the op in generic form, fed by block arguments:
/// the parser then builds the op (properties included) exactly as it would
/// from a module, without the op having to verify.
std::string functionText(const OpRecord &record) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "func.func @entry(";
  for (unsigned i = 0; i != record.operands.size(); ++i)
    os << (i ? ", " : "") << "%a" << i << ": " << record.operands[i];
  os << ") {\n  ";
  if (record.results.size() == 1)
    os << "%r = ";
  else if (record.results.size() > 1)
    os << "%r:" << record.results.size() << " = ";
  os << '"' << record.op << "\"(";
  for (unsigned i = 0; i != record.operands.size(); ++i)
    os << (i ? ", " : "") << "%a" << i;
  os << ")";
  if (!record.attributes.empty()) {
    os << " {";
    for (unsigned i = 0; i != record.attributes.size(); ++i)
      os << (i ? ", " : "") << '"' << record.attributes[i].first
         << "\" = " << record.attributes[i].second;
    os << "}";
  }
  os << " : (";
  for (unsigned i = 0; i != record.operands.size(); ++i)
    os << (i ? ", " : "") << record.operands[i];
  os << ") -> (";
  for (unsigned i = 0; i != record.results.size(); ++i)
    os << (i ? ", " : "") << record.results[i];
  os << ")\n  func.return\n}\n";
  return text;
}

} // namespace

OpSampler::OpSampler(MLIRContext &context, const Platform &platform)
    : context(context) {
  for (Device device : platform.devices) {
    device.efficiency.clear();
    device.launchOverhead = 0;
    plainDevices.push_back(std::move(device));
  }
}

llvm::Expected<OpSample> OpSampler::sample(const OpRecord &record,
                                           llvm::StringRef where) const {
  if (!OperationName(record.op, &context).isRegistered())
    return error(where + ": unknown op '" + record.op + "'");
  std::string text = functionText(record);
  std::string diagnostics;
  OwningOpRef<ModuleOp> module;
  {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error)
        diagnostics += (diagnostics.empty() ? "" : "; ") + diag.str();
      return success();
    });
    module = parseSourceString<ModuleOp>(
        text, ParserConfig(&context, /*verifyAfterParse=*/false));
  }
  if (!module)
    return error(where + ": cannot build '" + record.op + "': " + diagnostics);
  Operation *op = nullptr;
  module->walk([&](Operation *candidate) {
    if (candidate->getName().getStringRef() == record.op)
      op = candidate;
  });
  OpWork work = estimateOpWork(op);
  OpSample sample;
  sample.op = record.op;
  sample.opClass = work.opClass.str();
  sample.free = work.free;
  sample.size = efficiencySize(work);
  sample.outputBytes = work.outputBytes;
  for (const Device &device : plainDevices)
    sample.roof.push_back(rooflineTime(work, device));
  sample.measured.assign(plainDevices.size(), 0);
  return sample;
}

namespace {

llvm::Error readStrings(const llvm::json::Object &entry, llvm::StringRef key,
                        const std::string &where,
                        std::vector<std::string> &values) {
  const llvm::json::Value *member = entry.get(key);
  if (!member)
    return error(where + ": needs '" + key +
                 "' (the op is built from its types)");
  const llvm::json::Array *array = member->getAsArray();
  if (!array)
    return error(where + ": '" + key + "' must be an array of types");
  for (const llvm::json::Value &value : *array) {
    std::optional<llvm::StringRef> text = value.getAsString();
    if (!text)
      return error(where + ": '" + key + "' must be an array of types");
    values.push_back(text->str());
  }
  return llvm::Error::success();
}

/// Fills sample.measured from the entry's `times`: a device name wins over
/// a device kind, as in ProfileEntry::timeOn.
llvm::Error readTimes(const llvm::json::Object &entry, const std::string &where,
                      const Platform &platform, OpSample &sample) {
  const llvm::json::Object *times = entry.getObject("times");
  if (!times || times->empty())
    return error(where + ": needs a non-empty 'times' object");
  std::vector<bool> byName(platform.numDevices(), false);
  // Sorted keys: the outcome must not depend on the JSON object's order.
  std::vector<std::string> keys;
  for (const auto &member : *times)
    keys.push_back(member.first.str());
  std::sort(keys.begin(), keys.end());
  for (const std::string &key : keys) {
    std::optional<double> seconds = times->getNumber(key);
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0)
      return error(where + ": time '" + key +
                   "' must be a finite number of seconds >= 0");
    if (std::optional<unsigned> d = platform.findDevice(key)) {
      sample.measured[*d] = *seconds;
      byName[*d] = true;
      continue;
    }
    std::optional<DeviceKind> kind = symbolizeDeviceKind(key);
    if (!kind)
      return error(where + ": time '" + key +
                   "' names no device of the platform and no device kind");
    for (unsigned d = 0; d != platform.numDevices(); ++d)
      if (platform.devices[d].kind == *kind && !byName[d])
        sample.measured[d] = *seconds;
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::vector<OpSample>>
diviml::readProfileSamples(llvm::StringRef text, const OpSampler &sampler,
                           const Platform &platform) {
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(text);
  if (!root)
    return error("profile table: " + llvm::toString(root.takeError()));
  const llvm::json::Object *object = root->getAsObject();
  const llvm::json::Array *entries =
      object ? object->getArray("entries") : nullptr;
  if (!entries)
    return error("profile table: needs an 'entries' array");
  std::vector<OpSample> samples;
  for (unsigned i = 0; i != entries->size(); ++i) {
    std::string where = llvm::formatv("profile entry {0}", i).str();
    const llvm::json::Object *entry = (*entries)[i].getAsObject();
    if (!entry)
      return error(where + ": must be an object");
    static const llvm::StringSet<> known = {
        "op", "operands", "results", "attributes", "times", "description"};
    for (const auto &member : *entry)
      if (!known.contains(member.first))
        return error(where + ": unknown key '" + member.first.str() + "'");
    OpRecord record;
    std::optional<llvm::StringRef> op = entry->getString("op");
    if (!op)
      return error(where + ": needs 'op', the full op name");
    record.op = op->str();
    where += " ('" + record.op + "')";
    if (llvm::Error err =
            readStrings(*entry, "operands", where, record.operands))
      return std::move(err);
    if (llvm::Error err = readStrings(*entry, "results", where, record.results))
      return std::move(err);
    if (const llvm::json::Value *attributes = entry->get("attributes")) {
      const llvm::json::Object *map = attributes->getAsObject();
      if (!map)
        return error(where + ": 'attributes' must be an object");
      for (const auto &[name, value] : *map) {
        std::optional<llvm::StringRef> attr = value.getAsString();
        if (!attr)
          return error(where + ": attribute '" + name.str() +
                       "' must be a string");
        record.attributes.push_back({name.str(), attr->str()});
      }
      // Attribute order does not matter to the op; sort for stable text.
      std::sort(record.attributes.begin(), record.attributes.end());
    }
    llvm::Expected<OpSample> sample = sampler.sample(record, where);
    if (!sample)
      return sample.takeError();
    sample->entry = i;
    if (llvm::Error err = readTimes(*entry, where, platform, *sample))
      return std::move(err);
    samples.push_back(std::move(*sample));
  }
  return samples;
}
