//===- CostModel.cpp - Op times per device --------------------------------===//

#include "CostModel.h"
#include "ProfileTable.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace diviml;

double diviml::efficiencySize(const OpWork &work) {
  StringRef cls = work.opClass;
  bool byFlops =
      cls == "conv" || cls == "depthwise" || cls == "matmul" || cls == "pool";
  return byFlops ? work.flops : work.bytes;
}

double diviml::rooflineTime(const OpWork &work, const Device &device) {
  if (work.free)
    return 0;
  double peak = device.peakFlops;
  Type computeType = storageElementType(work.computeType);
  if (computeType && computeType.isIntOrFloat())
    peak = device.peakFor(isa<FloatType>(computeType),
                          computeType.getIntOrFloatBitWidth());
  double share = 1.0 / device.slots;
  double compute = work.flops / (peak * share);
  double memory = device.memoryBandwidth == kInfinity
                      ? 0.0
                      : work.bytes / (device.memoryBandwidth * share);
  double roof = std::max(compute, memory);
  auto curve = device.efficiency.find(work.opClass.str());
  if (curve != device.efficiency.end())
    roof /= curve->second.at(efficiencySize(work));
  return roof + device.launchOverhead;
}

OpCost diviml::estimateOpCost(Operation *op, const Platform &platform,
                              const ProfileTable *profile, double dimHint) {
  OpCost cost;
  StringRef name = op->getName().getStringRef();
  cost.time.assign(platform.numDevices(), kInfinity);
  if (auto annotated =
          op->getAttrOfType<CostAttr>(DivimlDialect::kCostAttrName)) {
    cost.flops = annotated.getFlops().convertToDouble();
    cost.bytes = annotated.getBytes().convertToDouble();
    cost.outputBytes = annotated.getOutputBytes().convertToDouble();
    cost.memory = annotated.getMemory().convertToDouble();
    for (unsigned d = 0, e = platform.numDevices(); d != e; ++d)
      if (auto seconds =
              annotated.getTimes().getAs<FloatAttr>(platform.devices[d].name);
          seconds && platform.devices[d].supports(name))
        cost.time[d] = seconds.getValueAsDouble();
    return cost;
  }

  OpWork work = estimateOpWork(op, dimHint);
  cost.flops = work.flops;
  cost.bytes = work.bytes;
  cost.outputBytes = work.outputBytes;
  cost.memory = work.memory;
  cost.fallback = std::move(work.fallback);
  cost.dynamic = work.dynamic;
  const ProfileEntry *measured = profile ? profile->lookup(op) : nullptr;
  bool allMeasured = true;
  for (unsigned d = 0, e = platform.numDevices(); d != e; ++d) {
    const Device &device = platform.devices[d];
    if (!device.supports(name))
      continue;
    std::optional<double> seconds;
    if (measured)
      seconds = measured->timeOn(device);
    allMeasured &= seconds.has_value();
    cost.time[d] = seconds ? *seconds : rooflineTime(work, device);
  }
  // Measured times make a shape fallback harmless.
  if (allMeasured) {
    cost.fallback.clear();
    cost.dynamic = false;
  }
  return cost;
}

void diviml::warnDynamicDimensions(Operation *func, unsigned count,
                                   double dimHint) {
  if (count == 0)
    return;
  std::string name = "function";
  if (auto symbol = func->getAttrOfType<StringAttr>("sym_name"))
    name = "'@" + symbol.str() + "'";
  func->emitWarning() << name << ": " << count
                      << (count == 1 ? " op has" : " ops have")
                      << " dynamic dimensions, each taken to be "
                      << static_cast<uint64_t>(dimHint)
                      << " in its cost (set dim-hint=<size>)";
}

CostAttr diviml::costToAttr(const OpCost &cost, const Platform &platform,
                            MLIRContext *context) {
  Builder builder(context);
  SmallVector<NamedAttribute> times;
  for (unsigned d = 0, e = platform.numDevices(); d != e; ++d)
    if (cost.time[d] != kInfinity)
      times.push_back(builder.getNamedAttr(
          platform.devices[d].name, builder.getF64FloatAttr(cost.time[d])));
  return CostAttr::get(context, APFloat(cost.flops), APFloat(cost.bytes),
                       APFloat(cost.outputBytes), APFloat(cost.memory),
                       builder.getDictionaryAttr(times));
}
