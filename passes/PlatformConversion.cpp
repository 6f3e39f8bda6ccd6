//===- PlatformConversion.cpp - #diviml.platform <-> core Platform --------===//

#include "PlatformConversion.h"
#include "ModuleLocation.h"

#include "diviml/Model/PlatformIO.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace diviml;

Platform diviml::platformFromAttr(PlatformAttr attr) {
  Platform platform;
  platform.name = attr.getName().str();
  platform.transfersOverlapCompute = attr.getOverlap();
  for (DeviceAttr device : attr.getDevices()) {
    Device &core = platform.devices.emplace_back();
    core.name = device.getName().str();
    core.kind = device.getKind();
    core.peakFlops = device.getPeakFlops().convertToDouble();
    core.memoryBandwidth = device.getBandwidth().convertToDouble();
    core.memoryCapacity = device.getMemory().convertToDouble();
    core.launchOverhead = device.getLaunch().convertToDouble();
    core.slots = device.getSlots();
    core.peakFlopsF16 = device.getPeakF16().convertToDouble();
    core.peakOpsInt8 = device.getPeakInt8().convertToDouble();
    for (StringAttr op : device.getUnsupported())
      core.unsupportedOps.push_back(op.str());
    // The attribute verifier read these keys once already.
    if (DictionaryAttr runtime = device.getRuntime();
        runtime && !runtime.empty())
      llvm::cantFail(
          readDeviceRuntimeJson(*attrToJson(runtime).getAsObject(), core));
  }
  // Names resolve: the attribute verifier checked them.
  for (LinkAttr link : attr.getLinks()) {
    Link &core = platform.links.emplace_back();
    core.from = *platform.findDevice(link.getSource());
    core.to = *platform.findDevice(link.getTarget());
    core.bandwidth = link.getBandwidth().convertToDouble();
    core.latency = link.getLatency().convertToDouble();
    if (DictionaryAttr runtime = link.getRuntime(); runtime && !runtime.empty())
      llvm::cantFail(
          readLinkRuntimeJson(*attrToJson(runtime).getAsObject(), core));
  }
  if (!attr.getHost().empty())
    platform.host = platform.findDevice(attr.getHost());
  if (DictionaryAttr runtime = attr.getRuntime(); runtime && !runtime.empty())
    platform.runtime = llvm::cantFail(parseRuntimeJson(attrToJson(runtime)));
  return platform;
}

FailureOr<PlatformAttr> diviml::platformToAttr(Location loc,
                                               const Platform &platform) {
  MLIRContext *context = loc.getContext();
  auto emitError = [&] { return mlir::emitError(loc); };
  SmallVector<DeviceAttr> devices;
  for (const Device &device : platform.devices) {
    SmallVector<StringAttr> unsupported;
    for (const std::string &op : device.unsupportedOps)
      unsupported.push_back(StringAttr::get(context, op));
    DeviceAttr attr = DeviceAttr::getChecked(
        emitError, context, StringRef(device.name), device.kind,
        llvm::APFloat(device.peakFlops), llvm::APFloat(device.memoryBandwidth),
        llvm::APFloat(device.memoryCapacity),
        llvm::APFloat(device.launchOverhead), device.slots,
        llvm::APFloat(device.peakFlopsF16), llvm::APFloat(device.peakOpsInt8),
        ArrayRef<StringAttr>(unsupported),
        cast<DictionaryAttr>(jsonToAttr(context, deviceRuntimeToJson(device))));
    if (!attr)
      return failure();
    devices.push_back(attr);
  }
  SmallVector<LinkAttr> links;
  for (const Link &link : platform.links) {
    LinkAttr attr = LinkAttr::getChecked(
        emitError, context, StringRef(platform.devices[link.from].name),
        StringRef(platform.devices[link.to].name),
        llvm::APFloat(link.bandwidth), llvm::APFloat(link.latency),
        cast<DictionaryAttr>(jsonToAttr(context, linkRuntimeToJson(link))));
    if (!attr)
      return failure();
    links.push_back(attr);
  }
  std::string host = platform.host ? platform.devices[*platform.host].name : "";
  PlatformAttr attr = PlatformAttr::getChecked(
      emitError, context, StringRef(platform.name), StringRef(host),
      platform.transfersOverlapCompute, ArrayRef<DeviceAttr>(devices),
      ArrayRef<LinkAttr>(links),
      platform.runtime ? cast<DictionaryAttr>(jsonToAttr(
                             context, runtimeJson(*platform.runtime)))
                       : DictionaryAttr::get(context));
  if (!attr)
    return failure();
  return attr;
}

FailureOr<PlatformAttr> diviml::resolvePlatform(ModuleOp module,
                                                StringRef option) {
  Location loc = moduleDiagnosticLoc(module);
  if (option.empty()) {
    if (PlatformAttr attr = lookupPlatform(module))
      return attr;
    emitRemark(loc) << "no platform given and the module has no "
                       "'diviml.platform'; using preset 'cpu-2gpu'";
    option = "cpu-2gpu";
  }
  if (std::optional<Platform> preset = presetPlatform(option))
    return platformToAttr(loc, *preset);
  if (!option.ends_with(".json")) {
    std::string names;
    for (StringRef name : presetPlatformNames())
      names += (names.empty() ? "" : ", ") + name.str();
    return emitError(loc) << "unknown platform '" << option
                          << "': not a preset (" << names
                          << ") nor a .json file";
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(option);
  if (!file)
    return emitError(loc) << "cannot read platform file '" << option
                          << "': " << file.getError().message();
  llvm::Expected<Platform> platform = parsePlatformJson((*file)->getBuffer());
  if (!platform)
    return emitError(loc) << "malformed platform file '" << option
                          << "': " << llvm::toString(platform.takeError());
  if (platform->name.empty())
    platform->name = llvm::sys::path::stem(option).str();
  return platformToAttr(loc, *platform);
}

unsigned diviml::homeDevice(const Platform &platform) {
  if (platform.host)
    return *platform.host;
  for (unsigned d = 0, e = platform.numDevices(); d != e; ++d)
    if (platform.devices[d].kind == DeviceKind::Cpu)
      return d;
  return 0;
}
