//===- PlatformIO.cpp - Platforms from JSON files and presets -------------===//

#include "diviml/Model/PlatformIO.h"
#include "diviml/Model/JsonInput.h"

#include "ClusterIO.h"

#include "diviml/Model/Cluster.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

using namespace diviml;
namespace json = llvm::json;

namespace {

bool inRange(double value) { return value >= 0 && value <= kMaxPlatformNumber; }

llvm::Error formatError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Reads the members of one JSON object, rejecting keys nobody asked for so
/// that a typo in a platform file is an error rather than a silent default.
class ObjectReader {
public:
  ObjectReader(const json::Object &object, std::string what)
      : object(object), what(std::move(what)) {}

  /// Reads a number from 0 to kMaxPlatformNumber, or "inf" where `allowInf`
  /// (a JSON number too large for a double, such as 1e999, is not "inf": it
  /// is more likely a mistake than a wish for an unlimited resource).
  llvm::Error number(llvm::StringRef key, double &value, bool required,
                     bool allowInf = false) {
    used.insert(key);
    const json::Value *member = object.get(key);
    if (!member) {
      if (required)
        return formatError(what + " needs '" + key + "'");
      return llvm::Error::success();
    }
    std::string expected =
        llvm::formatv("a number from 0 to {0:e0}{1}", kMaxPlatformNumber,
                      allowInf ? " or \"inf\"" : "")
            .str();
    if (std::optional<llvm::StringRef> text = member->getAsString();
        allowInf && text && *text == "inf") {
      value = kInfinity;
      return llvm::Error::success();
    }
    std::optional<double> number = getJsonNumber(*member);
    if (!number || !inRange(*number))
      return formatError(what + ": '" + key + "' must be " + expected);
    value = *number;
    return llvm::Error::success();
  }

  llvm::Error string(llvm::StringRef key, std::string &value, bool required) {
    used.insert(key);
    const json::Value *member = object.get(key);
    if (!member) {
      if (required)
        return formatError(what + " needs '" + key + "'");
      return llvm::Error::success();
    }
    std::optional<llvm::StringRef> text = member->getAsString();
    if (!text)
      return formatError(what + ": '" + key + "' must be a string");
    value = text->str();
    return llvm::Error::success();
  }

  llvm::Error boolean(llvm::StringRef key, bool &value) {
    used.insert(key);
    const json::Value *member = object.get(key);
    if (!member)
      return llvm::Error::success();
    std::optional<bool> flag = member->getAsBoolean();
    if (!flag)
      return formatError(what + ": '" + key + "' must be true or false");
    value = *flag;
    return llvm::Error::success();
  }

  /// Reads an optional array of non-empty strings.
  llvm::Error strings(llvm::StringRef key, std::vector<std::string> &values) {
    used.insert(key);
    const json::Value *member = object.get(key);
    if (!member)
      return llvm::Error::success();
    const json::Array *items = member->getAsArray();
    if (!items)
      return formatError(what + ": '" + key + "' must be an array of strings");
    for (const json::Value &item : *items) {
      std::optional<llvm::StringRef> text = item.getAsString();
      if (!text || text->empty())
        return formatError(what + ": '" + key +
                           "' must hold non-empty strings");
      values.push_back(text->str());
    }
    return llvm::Error::success();
  }

  const json::Array *array(llvm::StringRef key) {
    used.insert(key);
    return object.getArray(key);
  }

  const json::Value *member(llvm::StringRef key) {
    used.insert(key);
    return object.get(key);
  }

  /// Reads an optional non-negative finite number.
  llvm::Error nonNegative(llvm::StringRef key, double &value) {
    if (llvm::Error err = number(key, value, false)) {
      llvm::consumeError(std::move(err));
      return formatError(what + ": '" + key +
                         "' must be a non-negative finite number");
    }
    return llvm::Error::success();
  }

  /// Reads an optional object of non-negative finite numbers.
  llvm::Error numberMap(llvm::StringRef key,
                        std::map<std::string, double> &values) {
    used.insert(key);
    const json::Value *member = object.get(key);
    if (!member)
      return llvm::Error::success();
    const json::Object *entries = member->getAsObject();
    if (!entries)
      return formatError(what + ": '" + key + "' must be an object");
    for (const auto &[name, value] : *entries) {
      std::optional<double> number = getJsonNumber(value);
      if (!number || !inRange(*number))
        return formatError(what + ": '" + key + "." + llvm::StringRef(name) +
                           "' must be a non-negative finite number");
      values[name.str()] = *number;
    }
    return llvm::Error::success();
  }

  /// Reads an optional object of efficiency curves: class -> [[size, eff]..].
  llvm::Error curves(llvm::StringRef key,
                     std::map<std::string, EfficiencyCurve> &values) {
    used.insert(key);
    const json::Value *member = object.get(key);
    if (!member)
      return llvm::Error::success();
    const json::Object *entries = member->getAsObject();
    if (!entries)
      return formatError(what + ": '" + key + "' must be an object");
    for (const auto &[name, value] : *entries) {
      std::string where = what + ": '" + key.str() + "." + name.str() + "'";
      const json::Array *points = value.getAsArray();
      if (!points || points->empty())
        return formatError(where + " must be a non-empty array of [size, "
                                   "efficiency] pairs");
      EfficiencyCurve curve;
      for (const json::Value &point : *points) {
        const json::Array *pair = point.getAsArray();
        std::optional<double> size, eff;
        if (pair && pair->size() == 2) {
          size = getJsonNumber((*pair)[0]);
          eff = getJsonNumber((*pair)[1]);
        }
        if (!size || !eff || !(*size > 0) || !(*eff > 0) || !inRange(*size) ||
            !inRange(*eff))
          return formatError(where + " must hold [size, efficiency] pairs of "
                                     "positive finite numbers");
        if (!curve.points.empty() && !(*size > curve.points.back().first))
          return formatError(where + ": sizes must increase strictly");
        curve.points.push_back({*size, *eff});
      }
      values[name.str()] = std::move(curve);
    }
    return llvm::Error::success();
  }

  /// Fails on a key that no accessor read.
  llvm::Error finish() const {
    for (const auto &member : object)
      if (!used.contains(member.first))
        return formatError(what + " has unknown key '" +
                           llvm::StringRef(member.first) + "'");
    return llvm::Error::success();
  }

private:
  const json::Object &object;
  std::string what;
  llvm::StringSet<> used;
};

/// The keys of a device that describe how a runtime uses it.
llvm::Error readDeviceRuntimeKeys(ObjectReader &reader, Device &device) {
  if (llvm::Error err = reader.nonNegative("dispatch", device.dispatch))
    return err;
  if (llvm::Error err =
          reader.numberMap("dispatch_by_class", device.dispatchByClass))
    return err;
  if (llvm::Error err = reader.nonNegative("first_touch_bandwidth",
                                           device.firstTouchBandwidth))
    return err;
  return reader.curves("efficiency", device.efficiency);
}

/// The keys of a link that describe its copies beyond the DMA figures.
llvm::Error readLinkRuntimeKeys(ObjectReader &reader, Link &link) {
  std::string memory = "pinned";
  if (llvm::Error err =
          reader.nonNegative("pageable_bandwidth", link.pageableBandwidth))
    return err;
  if (llvm::Error err =
          reader.nonNegative("pageable_latency", link.pageableLatency))
    return err;
  if (llvm::Error err = reader.string("host_memory", memory, false))
    return err;
  if (memory != "pinned" && memory != "pageable")
    return formatError("a link's 'host_memory' must be \"pinned\" or "
                       "\"pageable\", not '" +
                       memory + "'");
  link.pageable = memory == "pageable";
  if (link.pageable && !(link.pageableBandwidth > 0))
    return formatError("a link with pageable host memory needs "
                       "'pageable_bandwidth'");
  if (llvm::Error err = reader.boolean("synchronous", link.synchronous))
    return err;
  return reader.nonNegative("dispatch", link.dispatch);
}

void deviceRuntimeKeysToJson(const Device &device, json::Object &object) {
  if (device.dispatch > 0)
    object["dispatch"] = device.dispatch;
  if (!device.dispatchByClass.empty()) {
    json::Object classes;
    for (const auto &[name, seconds] : device.dispatchByClass)
      classes[name] = seconds;
    object["dispatch_by_class"] = std::move(classes);
  }
  if (device.firstTouchBandwidth > 0)
    object["first_touch_bandwidth"] = device.firstTouchBandwidth;
  if (!device.efficiency.empty()) {
    json::Object curves;
    for (const auto &[name, curve] : device.efficiency) {
      json::Array points;
      for (auto [size, eff] : curve.points)
        points.push_back(json::Array{size, eff});
      curves[name] = std::move(points);
    }
    object["efficiency"] = std::move(curves);
  }
}

void linkRuntimeKeysToJson(const Link &link, json::Object &object) {
  if (link.pageableBandwidth > 0) {
    object["pageable_bandwidth"] = link.pageableBandwidth;
    object["pageable_latency"] = link.pageableLatency;
  }
  if (link.pageable)
    object["host_memory"] = "pageable";
  if (link.synchronous)
    object["synchronous"] = true;
  if (link.dispatch > 0)
    object["dispatch"] = link.dispatch;
}

llvm::Error readRuntime(const json::Value &value, Runtime &runtime) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return formatError("the platform's 'runtime' must be an object");
  ObjectReader reader(*object, "the runtime");
  double threads = 1;
  if (llvm::Error err = reader.string("flavour", runtime.flavour, false))
    return err;
  if (runtime.flavour != "eager" && runtime.flavour != "graph")
    return formatError("the runtime's 'flavour' must be \"eager\" or "
                       "\"graph\", not '" +
                       runtime.flavour + "'");
  if (llvm::Error err = reader.number("host_threads", threads, false))
    return err;
  if (!(threads >= 1 && threads <= kMaxDeviceSlots) ||
      threads != unsigned(threads))
    return formatError(llvm::formatv("the runtime's 'host_threads' must be an "
                                     "integer from 1 to {0}",
                                     kMaxDeviceSlots)
                           .str());
  runtime.hostThreads = unsigned(threads);
  if (llvm::Error err = reader.boolean("host_ops_on_dispatch_thread",
                                       runtime.hostOpsOnDispatchThread))
    return err;
  return reader.finish();
}

json::Value runtimeToJson(const Runtime &runtime) {
  return json::Object{
      {"flavour", runtime.flavour},
      {"host_threads", runtime.hostThreads},
      {"host_ops_on_dispatch_thread", runtime.hostOpsOnDispatchThread}};
}

llvm::Error readDevice(const json::Value &value, unsigned index,
                       Device &device) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return formatError(llvm::formatv("devices[{0}] must be an object", index));
  std::optional<llvm::StringRef> name = object->getString("name");
  if (!name || name->empty())
    return formatError(
        llvm::formatv("devices[{0}] needs a non-empty string 'name'", index));
  device.name = name->str();
  ObjectReader reader(*object, "device '" + device.name + "'");
  std::string kind;
  double slots = 1;
  if (llvm::Error err = reader.string("name", device.name, true))
    return err;
  if (llvm::Error err = reader.string("kind", kind, true))
    return err;
  std::optional<DeviceKind> parsedKind = symbolizeDeviceKind(kind);
  if (!parsedKind)
    return formatError("device '" + device.name + "': unknown kind '" + kind +
                       "'; expected cpu, gpu or accel");
  device.kind = *parsedKind;
  if (llvm::Error err = reader.number("peak_flops", device.peakFlops, true))
    return err;
  if (llvm::Error err = reader.number("bandwidth", device.memoryBandwidth, true,
                                      /*allowInf=*/true))
    return err;
  if (llvm::Error err = reader.number("memory", device.memoryCapacity, false,
                                      /*allowInf=*/true))
    return err;
  if (llvm::Error err = reader.number("launch", device.launchOverhead, false))
    return err;
  if (llvm::Error err = reader.number("slots", slots, false))
    return err;
  if (llvm::Error err = reader.number("peak_f16", device.peakFlopsF16, false))
    return err;
  if (llvm::Error err = reader.number("peak_int8", device.peakOpsInt8, false))
    return err;
  for (auto [key, value] :
       {std::pair<llvm::StringRef, double>("peak_f16", device.peakFlopsF16),
        {"peak_int8", device.peakOpsInt8}})
    if (object->get(key) && !(value > 0))
      return formatError("device '" + device.name + "': '" + key +
                         "' must be a positive finite number");
  if (llvm::Error err = reader.strings("unsupported", device.unsupportedOps))
    return err;
  if (llvm::Error err = readDeviceRuntimeKeys(reader, device))
    return err;
  if (!(slots >= 1 && slots <= kMaxDeviceSlots) || slots != unsigned(slots))
    return formatError(llvm::formatv("device '{0}': 'slots' must be an integer "
                                     "from 1 to {1}",
                                     device.name, kMaxDeviceSlots)
                           .str());
  device.slots = unsigned(slots);
  return reader.finish();
}

llvm::Error readLink(const json::Value &value, unsigned index,
                     Platform &platform) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return formatError(llvm::formatv("links[{0}] must be an object", index));
  ObjectReader reader(*object, llvm::formatv("links[{0}]", index).str());
  std::string from, to;
  Link link;
  bool bidirectional = false;
  if (llvm::Error err = reader.string("from", from, true))
    return err;
  if (llvm::Error err = reader.string("to", to, true))
    return err;
  if (llvm::Error err = reader.number("bandwidth", link.bandwidth, true,
                                      /*allowInf=*/true))
    return err;
  if (llvm::Error err = reader.number("latency", link.latency, false))
    return err;
  if (llvm::Error err = reader.boolean("bidirectional", bidirectional))
    return err;
  if (llvm::Error err = readLinkRuntimeKeys(reader, link))
    return err;
  if (llvm::Error err = reader.finish())
    return err;
  std::optional<unsigned> src = platform.findDevice(from);
  std::optional<unsigned> dst = platform.findDevice(to);
  if (!src || !dst)
    return formatError(llvm::formatv("links[{0}] names unknown device '{1}'",
                                     index, src ? to : from));
  link.from = *src;
  link.to = *dst;
  platform.links.push_back(link);
  if (bidirectional) {
    Link back = link;
    std::swap(back.from, back.to);
    platform.links.push_back(back);
  }
  return llvm::Error::success();
}

json::Value numberToJson(double value) {
  if (value == kInfinity)
    return "inf";
  return value;
}

} // namespace

llvm::Expected<Platform> diviml::parsePlatformJson(llvm::StringRef text) {
  llvm::Expected<json::Value> root = parseJsonInput(text, "the platform");
  if (!root)
    return root.takeError();
  return parsePlatformJsonValue(*root);
}

llvm::Expected<Platform>
diviml::parsePlatformJsonValue(const json::Value &root) {
  const json::Object *object = root.getAsObject();
  if (!object)
    return formatError("a platform file must hold a JSON object");
  if (object->get("servers") || object->get("server_templates")) {
    llvm::Expected<ClusterSpec> spec = parseClusterJson(*object);
    if (!spec)
      return spec.takeError();
    return expandCluster(*spec);
  }
  Platform platform;
  ObjectReader reader(*object, "the platform");
  std::string host;
  if (llvm::Error err = reader.string("name", platform.name, false))
    return std::move(err);
  if (llvm::Error err = reader.string("host", host, false))
    return std::move(err);
  if (object->get("host") && host.empty())
    return formatError("the platform's 'host' must name a device, not be "
                       "empty");
  if (llvm::Error err = reader.boolean("transfers_overlap_compute",
                                       platform.transfersOverlapCompute))
    return std::move(err);
  if (const json::Value *runtime = reader.member("runtime")) {
    if (llvm::Error err = readRuntime(*runtime, platform.runtime.emplace()))
      return std::move(err);
  }
  const json::Array *devices = reader.array("devices");
  if (!devices || devices->empty())
    return formatError("the platform needs a non-empty 'devices' array");
  const json::Array *links = reader.array("links");
  if (!links && object->get("links"))
    return formatError("the platform's 'links' must be an array");
  if (llvm::Error err = reader.finish())
    return std::move(err);
  llvm::StringSet<> names;
  for (unsigned i = 0, e = devices->size(); i != e; ++i) {
    Device device;
    if (llvm::Error err = readDevice((*devices)[i], i, device))
      return std::move(err);
    if (!names.insert(device.name).second)
      return formatError("two devices are named '" + device.name + "'");
    platform.devices.push_back(std::move(device));
  }
  if (!host.empty()) {
    platform.host = platform.findDevice(host);
    if (!platform.host)
      return formatError("'host' names unknown device '" + host + "'");
  }
  if (platform.runtime && !platform.host)
    return formatError("a platform with a 'runtime' needs a 'host': the "
                       "device whose thread dispatches the work");
  if (links)
    for (unsigned i = 0, e = links->size(); i != e; ++i)
      if (llvm::Error err = readLink((*links)[i], i, platform))
        return std::move(err);
  return platform;
}

json::Value diviml::platformToJson(const Platform &platform) {
  json::Array devices, links;
  for (const Device &device : platform.devices) {
    json::Object object{{"name", device.name},
                        {"kind", stringifyDeviceKind(device.kind)},
                        {"peak_flops", device.peakFlops},
                        {"bandwidth", numberToJson(device.memoryBandwidth)},
                        {"launch", device.launchOverhead},
                        {"slots", device.slots}};
    if (device.memoryCapacity != kInfinity)
      object["memory"] = device.memoryCapacity;
    if (device.peakFlopsF16 > 0)
      object["peak_f16"] = device.peakFlopsF16;
    if (device.peakOpsInt8 > 0)
      object["peak_int8"] = device.peakOpsInt8;
    if (!device.unsupportedOps.empty()) {
      json::Array ops;
      for (const std::string &op : device.unsupportedOps)
        ops.push_back(op);
      object["unsupported"] = std::move(ops);
    }
    deviceRuntimeKeysToJson(device, object);
    devices.push_back(std::move(object));
  }
  for (const Link &link : platform.links) {
    json::Object object{{"from", platform.devices[link.from].name},
                        {"to", platform.devices[link.to].name},
                        {"bandwidth", numberToJson(link.bandwidth)},
                        {"latency", link.latency}};
    linkRuntimeKeysToJson(link, object);
    links.push_back(std::move(object));
  }
  json::Object root{
      {"name", platform.name},
      {"transfers_overlap_compute", platform.transfersOverlapCompute},
      {"devices", std::move(devices)},
      {"links", std::move(links)}};
  if (platform.host)
    root["host"] = platform.devices[*platform.host].name;
  if (platform.runtime)
    root["runtime"] = runtimeToJson(*platform.runtime);
  return root;
}

llvm::Error diviml::readDeviceRuntimeJson(const json::Object &object,
                                          Device &device) {
  ObjectReader reader(object, "device '" + device.name + "'");
  if (llvm::Error err = readDeviceRuntimeKeys(reader, device))
    return err;
  return reader.finish();
}

json::Object diviml::deviceRuntimeToJson(const Device &device) {
  json::Object object;
  deviceRuntimeKeysToJson(device, object);
  return object;
}

llvm::Error diviml::readLinkRuntimeJson(const json::Object &object,
                                        Link &link) {
  ObjectReader reader(object, "a link");
  if (llvm::Error err = readLinkRuntimeKeys(reader, link))
    return err;
  return reader.finish();
}

json::Object diviml::linkRuntimeToJson(const Link &link) {
  json::Object object;
  linkRuntimeKeysToJson(link, object);
  return object;
}

llvm::Expected<Runtime> diviml::parseRuntimeJson(const json::Value &value) {
  Runtime runtime;
  if (llvm::Error err = readRuntime(value, runtime))
    return std::move(err);
  return runtime;
}

json::Value diviml::runtimeJson(const Runtime &runtime) {
  return runtimeToJson(runtime);
}
