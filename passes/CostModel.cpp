//===- CostModel.cpp - Op costs from tensor shapes ------------------------===//

#include "CostModel.h"

#include "diviml/Dialect/Diviml.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace diviml;

namespace {

struct ShapeInfo {
  double elements = 1;
  bool dynamic = false;
};

ShapeInfo shapeOf(Type type) {
  ShapeInfo info;
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped)
    return info;
  if (!shaped.hasRank()) {
    info.dynamic = true;
    return info;
  }
  for (int64_t dim : shaped.getShape()) {
    if (ShapedType::isDynamic(dim))
      info.dynamic = true;
    else
      info.elements *= double(dim);
  }
  return info;
}

double elementBytes(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (element.isIntOrFloat())
    return std::max(1u, (element.getIntOrFloatBitWidth() + 7) / 8);
  if (auto complex = dyn_cast<ComplexType>(element))
    return 2 * elementBytes(complex.getElementType());
  return 8; // index and anything else: one machine word
}

/// Static dimension `index` of `value`'s type (1 when dynamic or absent).
double dimOf(Value value, unsigned index) {
  auto shaped = dyn_cast<ShapedType>(value.getType());
  if (!shaped || !shaped.hasRank() || index >= shaped.getRank() ||
      shaped.isDynamicDim(index))
    return 1;
  return double(shaped.getDimSize(index));
}

double elementsOf(Value value) { return shapeOf(value.getType()).elements; }

/// Ops that only move or view data: no arithmetic.
bool isDataMovement(StringRef name) {
  static const llvm::StringSet<> names = {
      "tosa.reshape",         "tosa.transpose",        "tosa.slice",
      "tosa.concat",          "tosa.pad",              "tosa.gather",
      "tosa.scatter",         "tosa.tile",             "tosa.reverse",
      "tosa.identity",        "tensor.extract_slice",  "tensor.insert_slice",
      "tensor.expand_shape",  "tensor.collapse_shape", "tensor.concat",
      "tensor.pad",           "tensor.reshape",        "tensor.cast",
      "tensor.empty",         "tensor.splat",          "tensor.from_elements",
      "tensor.extract",       "tensor.insert",         "tensor.dim",
      "tensor.gather",        "tensor.scatter",        "tensor.bitcast",
      "tensor.pack",          "tensor.unpack",         "linalg.transpose",
      "linalg.broadcast",     "linalg.copy",           "linalg.fill"};
  return names.contains(name);
}

/// FLOPs of the ops whose arithmetic is not one op per output element.
/// Returns std::nullopt for ops this function does not model.
std::optional<double> structuredFlops(Operation *op) {
  StringRef name = op->getName().getStringRef();
  if (op->getNumResults() == 0)
    return std::nullopt;
  Value result = op->getResult(0);
  double outElements = elementsOf(result);
  // NHWC convolutions: weights [OC, KH, KW, IC] (transpose: input-sized).
  if (name == "tosa.conv2d" && op->getNumOperands() >= 2) {
    Value weight = op->getOperand(1);
    return 2 * outElements * dimOf(weight, 1) * dimOf(weight, 2) *
           dimOf(weight, 3);
  }
  if (name == "tosa.conv3d" && op->getNumOperands() >= 2) {
    Value weight = op->getOperand(1);
    return 2 * outElements * dimOf(weight, 1) * dimOf(weight, 2) *
           dimOf(weight, 3) * dimOf(weight, 4);
  }
  // Depthwise weights [KH, KW, C, M]; every output sees KH*KW inputs.
  if (name == "tosa.depthwise_conv2d" && op->getNumOperands() >= 2) {
    Value weight = op->getOperand(1);
    return 2 * outElements * dimOf(weight, 0) * dimOf(weight, 1);
  }
  // Every input element is scattered through a KH x KW x OC kernel.
  if (name == "tosa.transpose_conv2d" && op->getNumOperands() >= 2) {
    Value weight = op->getOperand(1);
    return 2 * elementsOf(op->getOperand(0)) * dimOf(weight, 0) *
           dimOf(weight, 1) * dimOf(weight, 2);
  }
  // [N, H, C] x [N, C, W] -> [N, H, W].
  if (name == "tosa.matmul" && op->getNumOperands() >= 2)
    return 2 * outElements * dimOf(op->getOperand(0), 2);
  if (name == "tosa.avg_pool2d" || name == "tosa.max_pool2d") {
    auto kernel = op->getAttrOfType<DenseI64ArrayAttr>("kernel");
    double window = 1;
    if (kernel)
      for (int64_t k : kernel.asArrayRef())
        window *= double(k);
    return outElements * window;
  }
  if (name.starts_with("tosa.reduce_") || name == "tosa.argmax")
    return elementsOf(op->getOperand(0));
  // Structured ops: one payload evaluation per point of the iteration space.
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    double points = 1;
    for (int64_t range : linalgOp.getStaticLoopRanges())
      if (!ShapedType::isDynamic(range))
        points *= double(range);
    double payload = 0;
    for (Operation &inner : linalgOp.getBlock()->without_terminator()) {
      (void)inner;
      ++payload;
    }
    return points * std::max(payload, 1.0);
  }
  return std::nullopt;
}

/// Whether the cost model knows `op`'s dialect: TOSA, linalg, tensor, arith
/// and math ops are elementwise unless modelled above.
bool isKnownDialect(Operation *op) {
  StringRef dialect = op->getName().getDialectNamespace();
  return dialect == "tosa" || dialect == "linalg" || dialect == "tensor" ||
         dialect == "arith" || dialect == "math";
}

bool isConstantProducer(Value value) {
  Operation *def = value.getDefiningOp();
  return def && def->getNumOperands() == 0 && def->hasTrait<OpTrait::ConstantLike>();
}

} // namespace

double diviml::typeBytes(Type type, bool &dynamic) {
  ShapeInfo info = shapeOf(type);
  dynamic |= info.dynamic;
  return info.elements * elementBytes(type);
}

OpCost diviml::estimateOpCost(Operation *op, const Platform &platform) {
  OpCost cost;
  bool dynamic = false;
  for (Value result : op->getResults())
    cost.outputBytes += typeBytes(result.getType(), dynamic);
  cost.bytes = cost.outputBytes;
  cost.memory = cost.outputBytes;
  for (Value operand : op->getOperands()) {
    double bytes = typeBytes(operand.getType(), dynamic);
    cost.bytes += bytes;
    // Weights stay resident on the device of the op that consumes them.
    if (isConstantProducer(operand))
      cost.memory += bytes;
  }

  if (auto annotated = op->getAttrOfType<CostAttr>(
          DivimlDialect::kCostAttrName)) {
    cost.flops = annotated.getFlops().convertToDouble();
    cost.bytes = annotated.getBytes().convertToDouble();
    cost.outputBytes = annotated.getOutputBytes().convertToDouble();
    cost.memory = annotated.getMemory().convertToDouble();
    cost.time.assign(platform.numDevices(), kInfinity);
    for (unsigned d = 0, e = platform.numDevices(); d != e; ++d)
      if (auto seconds = annotated.getTimes().getAs<FloatAttr>(
              platform.devices[d].name))
        cost.time[d] = seconds.getValueAsDouble();
    return cost;
  }

  StringRef name = op->getName().getStringRef();
  if (isDataMovement(name)) {
    cost.flops = 0;
  } else if (std::optional<double> flops = structuredFlops(op)) {
    cost.flops = *flops;
  } else {
    // Elementwise: one operation per result element.
    double elements = 0;
    for (Value result : op->getResults())
      elements += shapeOf(result.getType()).elements;
    cost.flops = elements;
    if (!isKnownDialect(op))
      cost.fallback = "no cost model for '" + name.str() +
                      "'; estimated as one FLOP per result element";
  }
  if (dynamic && cost.fallback.empty())
    cost.fallback = "'" + name.str() +
                    "' has dynamic dimensions; each counted as 1";

  cost.time.resize(platform.numDevices());
  for (unsigned d = 0, e = platform.numDevices(); d != e; ++d) {
    const Device &device = platform.devices[d];
    double peak = device.peakFlops / device.slots;
    double bandwidth = device.memoryBandwidth / device.slots;
    cost.time[d] =
        std::max(cost.flops / peak, bandwidth == kInfinity
                                        ? 0.0
                                        : cost.bytes / bandwidth) +
        device.launchOverhead;
  }
  return cost;
}
