//===- DivimlDialect.cpp - Dialect registration and attribute checks ------===//

#include "diviml/Dialect/Diviml.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace diviml;

#include "diviml/Dialect/DivimlDialect.cpp.inc"

void DivimlDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "diviml/Dialect/DivimlOps.cpp.inc"
      >();
  registerAttributes();
}

PlatformAttr diviml::lookupPlatform(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto platform =
            op->getAttrOfType<PlatformAttr>(DivimlDialect::kPlatformAttrName))
      return platform;
  return {};
}

/// Lists the device names of `platform` for diagnostics.
static std::string deviceList(PlatformAttr platform) {
  std::string names;
  for (DeviceAttr device : platform.getDevices()) {
    if (!names.empty())
      names += ", ";
    names += device.getName();
  }
  return names;
}

/// Checks that `name` is a device of the platform visible from `op`, if any.
static LogicalResult verifyKnownDevice(Operation *op, StringRef attrName,
                                       StringRef name) {
  PlatformAttr platform = lookupPlatform(op);
  if (!platform || platform.lookupDevice(name))
    return success();
  return op->emitOpError() << "'" << attrName << "' names unknown device '"
                           << name << "'; platform '" << platform.getName()
                           << "' has: " << deviceList(platform);
}

LogicalResult DivimlDialect::verifyOperationAttribute(Operation *op,
                                                      NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  if (name == kPlatformAttrName) {
    if (!isa<PlatformAttr>(value))
      return op->emitOpError()
             << "'" << name << "' must be a #diviml.platform attribute";
    if (!isa<ModuleOp>(op))
      return op->emitOpError()
             << "'" << name << "' may only be attached to a builtin.module";
    return success();
  }
  if (name == kDeviceAttrName) {
    auto device = dyn_cast<StringAttr>(value);
    if (!device)
      return op->emitOpError() << "'" << name << "' must be a string";
    return verifyKnownDevice(op, name, device.getValue());
  }
  if (name == kNameAttrName || name == kColocateAttrName) {
    auto text = dyn_cast<StringAttr>(value);
    if (!text || text.getValue().empty())
      return op->emitOpError() << "'" << name << "' must be a non-empty string";
    return success();
  }
  if (name == kLoweredAttrName) {
    if (!isa<UnitAttr>(value))
      return op->emitOpError() << "'" << name << "' must be a unit attribute";
    return success();
  }
  if (name == kCostAttrName) {
    auto cost = dyn_cast<CostAttr>(value);
    if (!cost)
      return op->emitOpError()
             << "'" << name << "' must be a #diviml.cost attribute";
    for (NamedAttribute time : cost.getTimes())
      if (failed(verifyKnownDevice(op, name, time.getName().getValue())))
        return failure();
    return success();
  }
  return op->emitOpError() << "unknown diviml attribute '" << name << "'";
}
