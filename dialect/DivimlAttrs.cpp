//===- DivimlAttrs.cpp - Device, link, platform and cost attributes -------===//
//
// All four attributes print as `<` comma-separated entries `>`: leading
// positional entries, then `key = value` entries in any order, each at most
// once. Numbers are floats, or `inf` where a quantity may be unlimited.
//
//===----------------------------------------------------------------------===//

#include "diviml/Dialect/Diviml.h"
#include "diviml/Model/PlatformIO.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace diviml;

#define GET_ATTRDEF_CLASSES
#include "diviml/Dialect/DivimlAttrs.cpp.inc"

void DivimlDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "diviml/Dialect/DivimlAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Shared parsing and printing of entries
//===----------------------------------------------------------------------===//

namespace {
/// Parses `< positional..., key = value, ... >`. `parsePositional(i)` parses
/// the i-th of `numPositional` leading entries; `parseKeyed(key)` parses the
/// value after `key =` and fails on an unknown key.
ParseResult
parseEntries(AsmParser &parser, unsigned numPositional,
             llvm::function_ref<ParseResult(unsigned)> parsePositional,
             llvm::function_ref<ParseResult(StringRef, SMLoc)> parseKeyed) {
  unsigned index = 0;
  llvm::StringSet<> seen;
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::LessGreater, [&]() -> ParseResult {
        if (index < numPositional)
          return parsePositional(index++);
        SMLoc loc = parser.getCurrentLocation();
        StringRef key;
        if (parser.parseKeyword(&key) || parser.parseEqual())
          return failure();
        if (!seen.insert(key).second)
          return parser.emitError(loc) << "'" << key << "' is given twice";
        return parseKeyed(key, loc);
      });
}

ParseResult parseNumber(AsmParser &parser, double &value) {
  if (succeeded(parser.parseOptionalKeyword("inf"))) {
    value = kInfinity;
    return success();
  }
  return parser.parseFloat(value);
}

void printNumber(AsmPrinter &printer, double value) {
  if (value == kInfinity) {
    printer << "inf";
    return;
  }
  // As MLIR prints floats (six significant digits when they read back
  // exactly, else the exact decimal), except that an integer with more
  // digits prints as `4194304.0` instead of MLIR's hexadecimal form.
  llvm::APFloat number(value);
  SmallString<32> text;
  number.toString(text, /*FormatPrecision=*/6, /*FormatMaxPadding=*/0,
                  /*TruncateZero=*/false);
  if (!llvm::APFloat(llvm::APFloat::IEEEdouble(), text)
           .bitwiseIsEqual(number)) {
    text.clear();
    number.toString(text);
    if (!StringRef(text).contains('.') && !StringRef(text).contains('E'))
      text += ".0";
  }
  printer << text;
}

ParseResult unknownKey(AsmParser &parser, SMLoc loc, StringRef key,
                       StringRef expected) {
  return parser.emitError(loc)
         << "unknown key '" << key << "'; expected one of: " << expected;
}

bool isFiniteNonNegative(double value) {
  return std::isfinite(value) && value >= 0;
}

/// Parses the value of runtime key `key` (any builtin attribute) into
/// `entries`; the attribute's verifier checks it.
ParseResult parseRuntimeEntry(AsmParser &parser, StringRef key,
                              NamedAttrList &entries) {
  Attribute value;
  if (parser.parseAttribute(value))
    return failure();
  entries.append(key, value);
  return success();
}

void printRuntimeEntries(AsmPrinter &printer, DictionaryAttr entries) {
  if (!entries)
    return;
  for (NamedAttribute entry : entries) {
    printer << ", " << entry.getName().getValue() << " = ";
    printer.printAttribute(entry.getValue());
  }
}

const char *const kDeviceRuntimeKeys[] = {
    "dispatch", "dispatch_by_class", "first_touch_bandwidth", "efficiency"};
const char *const kLinkRuntimeKeys[] = {"pageable_bandwidth",
                                        "pageable_latency", "host_memory",
                                        "synchronous", "dispatch"};

bool isOneOf(StringRef key, ArrayRef<const char *> keys) {
  return llvm::any_of(keys, [&](const char *k) { return key == k; });
}
} // namespace

llvm::json::Value diviml::attrToJson(Attribute attr) {
  if (auto number = dyn_cast<FloatAttr>(attr))
    return number.getValueAsDouble();
  if (auto integer = dyn_cast<IntegerAttr>(attr)) {
    if (integer.getType().isSignlessInteger(1))
      return integer.getValue().getBoolValue();
    return double(integer.getValue().getSExtValue());
  }
  if (auto flag = dyn_cast<BoolAttr>(attr))
    return flag.getValue();
  if (auto text = dyn_cast<StringAttr>(attr))
    return text.getValue().str();
  if (auto array = dyn_cast<ArrayAttr>(attr)) {
    llvm::json::Array items;
    for (Attribute item : array)
      items.push_back(attrToJson(item));
    return items;
  }
  if (auto dict = dyn_cast<DictionaryAttr>(attr)) {
    llvm::json::Object object;
    for (NamedAttribute entry : dict)
      object[entry.getName().getValue()] = attrToJson(entry.getValue());
    return object;
  }
  // Anything else is no JSON value: the readers reject null.
  return nullptr;
}

Attribute diviml::jsonToAttr(MLIRContext *context,
                             const llvm::json::Value &value) {
  Builder builder(context);
  if (std::optional<bool> flag = value.getAsBoolean())
    return builder.getBoolAttr(*flag);
  if (std::optional<double> number = value.getAsNumber())
    return builder.getF64FloatAttr(*number);
  if (std::optional<StringRef> text = value.getAsString())
    return builder.getStringAttr(*text);
  if (const llvm::json::Array *array = value.getAsArray()) {
    SmallVector<Attribute> items;
    for (const llvm::json::Value &item : *array)
      items.push_back(jsonToAttr(context, item));
    return builder.getArrayAttr(items);
  }
  if (const llvm::json::Object *object = value.getAsObject()) {
    SmallVector<NamedAttribute> entries;
    for (const auto &[key, item] : *object)
      entries.push_back(
          builder.getNamedAttr(StringRef(key), jsonToAttr(context, item)));
    return builder.getDictionaryAttr(entries);
  }
  return builder.getUnitAttr();
}

//===----------------------------------------------------------------------===//
// DeviceAttr
//===----------------------------------------------------------------------===//

Attribute DeviceAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  std::string name;
  std::optional<DeviceKind> kind;
  std::optional<double> peakFlops, bandwidth;
  double memory = kInfinity, launch = 0, peakF16 = 0, peakInt8 = 0;
  unsigned slots = 1;
  SmallVector<StringAttr> unsupported;
  NamedAttrList runtime;
  auto positional = [&](unsigned index) -> ParseResult {
    if (index == 0)
      return parser.parseString(&name);
    SMLoc kindLoc = parser.getCurrentLocation();
    StringRef text;
    if (parser.parseKeyword(&text))
      return failure();
    kind = symbolizeDeviceKind(text);
    if (!kind)
      return parser.emitError(kindLoc) << "unknown device kind '" << text
                                       << "'; expected cpu, gpu or accel";
    return success();
  };
  auto keyed = [&](StringRef key, SMLoc keyLoc) -> ParseResult {
    if (key == "peak_flops")
      return parseNumber(parser, peakFlops.emplace());
    if (key == "bandwidth")
      return parseNumber(parser, bandwidth.emplace());
    if (key == "memory")
      return parseNumber(parser, memory);
    if (key == "launch")
      return parseNumber(parser, launch);
    if (key == "slots")
      return parser.parseInteger(slots);
    // 0 stands for "not given", so an explicit value must be positive.
    if (key == "peak_f16" || key == "peak_int8") {
      double &peak = key == "peak_f16" ? peakF16 : peakInt8;
      if (parseNumber(parser, peak))
        return failure();
      if (!(peak > 0))
        return parser.emitError(keyLoc)
               << "device '" << name << "' needs a positive finite " << key;
      return success();
    }
    if (key == "unsupported")
      return parser.parseCommaSeparatedList(
          AsmParser::Delimiter::Square, [&]() -> ParseResult {
            std::string op;
            if (parser.parseString(&op))
              return failure();
            unsupported.push_back(parser.getBuilder().getStringAttr(op));
            return success();
          });
    if (isOneOf(key, kDeviceRuntimeKeys))
      return parseRuntimeEntry(parser, key, runtime);
    return unknownKey(parser, keyLoc, key,
                      "peak_flops, bandwidth, memory, launch, slots, "
                      "peak_f16, peak_int8, unsupported, dispatch, "
                      "dispatch_by_class, first_touch_bandwidth, efficiency");
  };
  if (parseEntries(parser, 2, positional, keyed))
    return {};
  if (!kind) {
    parser.emitError(loc, "expected a device name and kind");
    return {};
  }
  if (!peakFlops || !bandwidth) {
    parser.emitError(loc) << "device '" << name
                          << "' needs 'peak_flops' and 'bandwidth'";
    return {};
  }
  return parser.getChecked<DeviceAttr>(
      loc, parser.getContext(), name, *kind, APFloat(*peakFlops),
      APFloat(*bandwidth), APFloat(memory), APFloat(launch), slots,
      APFloat(peakF16), APFloat(peakInt8), unsupported,
      runtime.getDictionary(parser.getContext()));
}

void DeviceAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printer.printString(getName());
  printer << ", " << stringifyDeviceKind(getKind()) << ", peak_flops = ";
  printNumber(printer, getPeakFlops().convertToDouble());
  printer << ", bandwidth = ";
  printNumber(printer, getBandwidth().convertToDouble());
  if (getMemory().convertToDouble() != kInfinity) {
    printer << ", memory = ";
    printNumber(printer, getMemory().convertToDouble());
  }
  printer << ", launch = ";
  printNumber(printer, getLaunch().convertToDouble());
  printer << ", slots = " << getSlots();
  if (getPeakF16().convertToDouble() != 0) {
    printer << ", peak_f16 = ";
    printNumber(printer, getPeakF16().convertToDouble());
  }
  if (getPeakInt8().convertToDouble() != 0) {
    printer << ", peak_int8 = ";
    printNumber(printer, getPeakInt8().convertToDouble());
  }
  if (!getUnsupported().empty()) {
    printer << ", unsupported = [";
    llvm::interleaveComma(getUnsupported(), printer, [&](StringAttr op) {
      printer << "\"";
      llvm::printEscapedString(op.getValue(), printer.getStream());
      printer << "\"";
    });
    printer << "]";
  }
  printRuntimeEntries(printer, getRuntime());
  printer << ">";
}

LogicalResult
DeviceAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                   StringRef name, DeviceKind kind, APFloat peakFlopsValue,
                   APFloat bandwidthValue, APFloat memoryValue,
                   APFloat launchValue, unsigned slots, APFloat peakF16Value,
                   APFloat peakInt8Value, ArrayRef<StringAttr> unsupported,
                   DictionaryAttr runtime) {
  double peakFlops = peakFlopsValue.convertToDouble();
  double bandwidth = bandwidthValue.convertToDouble();
  double memory = memoryValue.convertToDouble();
  double launch = launchValue.convertToDouble();
  if (name.empty())
    return emitError() << "device name must not be empty";
  if (!(peakFlops > 0) || !std::isfinite(peakFlops))
    return emitError() << "device '" << name
                       << "' needs a positive finite peak_flops";
  if (!(bandwidth > 0))
    return emitError() << "device '" << name << "' needs a positive bandwidth";
  if (!(memory > 0))
    return emitError() << "device '" << name << "' needs a positive memory";
  if (!isFiniteNonNegative(launch))
    return emitError() << "device '" << name
                       << "' needs a finite, non-negative launch overhead";
  if (slots == 0 || slots > kMaxDeviceSlots)
    return emitError() << "device '" << name << "' needs between 1 and "
                       << kMaxDeviceSlots << " slots";
  // 0 means "not given".
  for (auto [key, value] : {std::pair<StringRef, double>(
                                "peak_f16", peakF16Value.convertToDouble()),
                            {"peak_int8", peakInt8Value.convertToDouble()}})
    if (!isFiniteNonNegative(value))
      return emitError() << "device '" << name << "' needs a positive finite "
                         << key;
  llvm::StringSet<> ops;
  for (StringAttr op : unsupported) {
    if (!op || op.getValue().empty() || op.getValue() == "*")
      return emitError() << "device '" << name
                         << "' lists an empty op kind as unsupported";
    if (!ops.insert(op.getValue()).second)
      return emitError() << "device '" << name << "' lists '" << op.getValue()
                         << "' twice as unsupported";
  }
  if (runtime && !runtime.empty()) {
    Device device;
    device.name = name.str();
    llvm::json::Value keys = attrToJson(runtime);
    if (llvm::Error err = readDeviceRuntimeJson(*keys.getAsObject(), device))
      return emitError() << llvm::toString(std::move(err));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// LinkAttr
//===----------------------------------------------------------------------===//

Attribute LinkAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  std::string source, target;
  std::optional<double> bandwidth;
  double latency = 0;
  NamedAttrList runtime;
  auto positional = [&](unsigned) -> ParseResult {
    return failure(parser.parseString(&source) || parser.parseArrow() ||
                   parser.parseString(&target));
  };
  auto keyed = [&](StringRef key, SMLoc keyLoc) -> ParseResult {
    if (key == "bandwidth")
      return parseNumber(parser, bandwidth.emplace());
    if (key == "latency")
      return parseNumber(parser, latency);
    if (isOneOf(key, kLinkRuntimeKeys))
      return parseRuntimeEntry(parser, key, runtime);
    return unknownKey(parser, keyLoc, key,
                      "bandwidth, latency, pageable_bandwidth, "
                      "pageable_latency, host_memory, synchronous, dispatch");
  };
  if (parseEntries(parser, 1, positional, keyed))
    return {};
  if (!bandwidth) {
    parser.emitError(loc) << "link '" << source << "' -> '" << target
                          << "' needs a 'bandwidth'";
    return {};
  }
  return parser.getChecked<LinkAttr>(
      loc, parser.getContext(), source, target, APFloat(*bandwidth),
      APFloat(latency), runtime.getDictionary(parser.getContext()));
}

void LinkAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printer.printString(getSource());
  printer << " -> ";
  printer.printString(getTarget());
  printer << ", bandwidth = ";
  printNumber(printer, getBandwidth().convertToDouble());
  printer << ", latency = ";
  printNumber(printer, getLatency().convertToDouble());
  printRuntimeEntries(printer, getRuntime());
  printer << ">";
}

LogicalResult
LinkAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                 StringRef source, StringRef target, APFloat bandwidthValue,
                 APFloat latencyValue, DictionaryAttr runtime) {
  double bandwidth = bandwidthValue.convertToDouble();
  double latency = latencyValue.convertToDouble();
  if (source.empty() || target.empty())
    return emitError() << "link endpoints must be non-empty device names";
  if (source == target)
    return emitError() << "link '" << source << "' -> '" << target
                       << "' must connect two different devices";
  if (!(bandwidth > 0))
    return emitError() << "link '" << source << "' -> '" << target
                       << "' needs a positive bandwidth";
  if (!isFiniteNonNegative(latency))
    return emitError() << "link '" << source << "' -> '" << target
                       << "' needs a finite, non-negative latency";
  if (runtime && !runtime.empty()) {
    Link link;
    llvm::json::Value keys = attrToJson(runtime);
    if (llvm::Error err = readLinkRuntimeJson(*keys.getAsObject(), link))
      return emitError() << "link '" << source << "' -> '" << target
                         << "': " << llvm::toString(std::move(err));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// PlatformAttr
//===----------------------------------------------------------------------===//

Attribute PlatformAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  std::string name, host;
  bool overlap = true;
  SmallVector<DeviceAttr> devices;
  SmallVector<LinkAttr> links;
  DictionaryAttr runtime = DictionaryAttr::get(parser.getContext());
  auto positional = [&](unsigned) { return parser.parseString(&name); };
  auto keyed = [&](StringRef key, SMLoc keyLoc) -> ParseResult {
    if (key == "host")
      return parser.parseString(&host);
    if (key == "overlap") {
      if (succeeded(parser.parseOptionalKeyword("true")))
        overlap = true;
      else if (succeeded(parser.parseOptionalKeyword("false")))
        overlap = false;
      else
        return parser.emitError(parser.getCurrentLocation(),
                                "expected 'true' or 'false'");
      return success();
    }
    if (key == "devices")
      return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        return parser.parseAttribute(devices.emplace_back());
      });
    if (key == "links")
      return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        return parser.parseAttribute(links.emplace_back());
      });
    if (key == "runtime")
      return parser.parseAttribute(runtime);
    return unknownKey(parser, keyLoc, key,
                      "host, overlap, devices, links, runtime");
  };
  if (parseEntries(parser, 1, positional, keyed))
    return {};
  return parser.getChecked<PlatformAttr>(loc, parser.getContext(), name, host,
                                         overlap, devices, links, runtime);
}

void PlatformAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printer.printString(getName());
  if (!getHost().empty()) {
    printer << ", host = ";
    printer.printString(getHost());
  }
  printer << ", overlap = " << (getOverlap() ? "true" : "false")
          << ", devices = [";
  llvm::interleaveComma(getDevices(), printer,
                        [&](DeviceAttr device) { printer << device; });
  printer << "], links = [";
  llvm::interleaveComma(getLinks(), printer,
                        [&](LinkAttr link) { printer << link; });
  printer << "]";
  if (getRuntime() && !getRuntime().empty())
    printer << ", runtime = " << getRuntime();
  printer << ">";
}

DeviceAttr PlatformAttr::lookupDevice(StringRef name) const {
  for (DeviceAttr device : getDevices())
    if (device.getName() == name)
      return device;
  return {};
}

LogicalResult
PlatformAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                     StringRef name, StringRef host, bool overlap,
                     ArrayRef<DeviceAttr> devices, ArrayRef<LinkAttr> links,
                     DictionaryAttr runtime) {
  if (devices.empty())
    return emitError() << "platform '" << name << "' has no devices";
  llvm::StringSet<> names;
  for (DeviceAttr device : devices)
    if (!names.insert(device.getName()).second)
      return emitError() << "platform '" << name << "' has two devices named '"
                         << device.getName() << "'";
  if (!host.empty() && !names.contains(host))
    return emitError() << "platform '" << name << "' names unknown host '"
                       << host << "'";
  if (runtime && !runtime.empty()) {
    if (host.empty())
      return emitError() << "platform '" << name
                         << "' has a runtime but no host to dispatch from";
    if (llvm::Expected<Runtime> parsed = parseRuntimeJson(attrToJson(runtime));
        !parsed)
      return emitError() << "platform '" << name
                         << "': " << llvm::toString(parsed.takeError());
  }
  llvm::StringSet<> pairs;
  for (LinkAttr link : links) {
    for (StringRef end : {link.getSource(), link.getTarget()})
      if (!names.contains(end))
        return emitError() << "platform '" << name
                           << "' has a link to unknown device '" << end << "'";
    if (!pairs.insert((link.getSource() + "\n" + link.getTarget()).str())
             .second)
      return emitError() << "platform '" << name << "' has two links '"
                         << link.getSource() << "' -> '" << link.getTarget()
                         << "'";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// CostAttr
//===----------------------------------------------------------------------===//

Attribute CostAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  double flops = 0, bytes = 0, outputBytes = 0, memory = 0;
  DictionaryAttr times = DictionaryAttr::get(parser.getContext());
  auto keyed = [&](StringRef key, SMLoc keyLoc) -> ParseResult {
    if (key == "flops")
      return parseNumber(parser, flops);
    if (key == "bytes")
      return parseNumber(parser, bytes);
    if (key == "output_bytes")
      return parseNumber(parser, outputBytes);
    if (key == "memory")
      return parseNumber(parser, memory);
    if (key == "times")
      return parser.parseAttribute(times);
    return unknownKey(parser, keyLoc, key,
                      "flops, bytes, output_bytes, memory, times");
  };
  if (parseEntries(parser, 0, nullptr, keyed))
    return {};
  return parser.getChecked<CostAttr>(loc, parser.getContext(), APFloat(flops),
                                     APFloat(bytes), APFloat(outputBytes),
                                     APFloat(memory), times);
}

void CostAttr::print(AsmPrinter &printer) const {
  printer << "<flops = ";
  printNumber(printer, getFlops().convertToDouble());
  printer << ", bytes = ";
  printNumber(printer, getBytes().convertToDouble());
  printer << ", output_bytes = ";
  printNumber(printer, getOutputBytes().convertToDouble());
  printer << ", memory = ";
  printNumber(printer, getMemory().convertToDouble());
  printer << ", times = " << getTimes() << ">";
}

LogicalResult
CostAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                 APFloat flopsValue, APFloat bytesValue,
                 APFloat outputBytesValue, APFloat memoryValue,
                 DictionaryAttr times) {
  double flops = flopsValue.convertToDouble();
  double bytes = bytesValue.convertToDouble();
  double outputBytes = outputBytesValue.convertToDouble();
  double memory = memoryValue.convertToDouble();
  if (!isFiniteNonNegative(flops) || !isFiniteNonNegative(bytes) ||
      !isFiniteNonNegative(outputBytes) || !isFiniteNonNegative(memory))
    return emitError() << "cost figures must be finite and non-negative";
  for (NamedAttribute time : times) {
    auto seconds = dyn_cast<FloatAttr>(time.getValue());
    if (!seconds || !isFiniteNonNegative(seconds.getValueAsDouble()))
      return emitError() << "time on device '" << time.getName().getValue()
                         << "' must be a finite, non-negative float";
  }
  return success();
}
