//===- OpWork.cpp - FLOPs and bytes of an op from its shapes --------------===//
//
// The counts of docs/cost-model.md, by dialect. Conventions:
// - Bytes are those of shaped operands and results (a tensor operand is read
//   once, a result written once); scalars and !tosa.shape values are free.
// - A multiply-accumulate is 2 FLOPs; every other arithmetic op, transcendental
//   ones included, is 1; type conversions are 0 (they fuse into loads).
// - Ops the model does not know get one FLOP per result element and a
//   `fallback` message, which the passes turn into a remark.
//
//===----------------------------------------------------------------------===//

#include "CostModel.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

using namespace mlir;
using namespace diviml;

Type diviml::storageElementType(Type element) {
  if (auto quantized = dyn_cast_if_present<quant::QuantizedType>(element))
    return quantized.getStorageType();
  return element;
}

namespace {

double elementBytes(Type type) {
  Type element = storageElementType(getElementTypeOrSelf(type));
  if (element.isIntOrFloat())
    return std::max(1u, (element.getIntOrFloatBitWidth() + 7) / 8);
  if (auto complex = dyn_cast<ComplexType>(element))
    return 2 * elementBytes(complex.getElementType());
  return 8; // index and anything else: one machine word
}

/// Counts elements and bytes of shaped values, noting dynamic dimensions.
struct Shapes {
  bool dynamic = false;
  /// The size a dynamic dimension is taken to have (the dim-hint option).
  double dimHint = 1;

  double elements(Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped)
      return 0;
    if (!shaped.hasRank()) {
      dynamic = true;
      return dimHint;
    }
    double count = 1;
    for (int64_t dim : shaped.getShape()) {
      if (ShapedType::isDynamic(dim)) {
        dynamic = true;
        count *= dimHint;
      } else {
        count *= double(dim);
      }
    }
    return count;
  }
  double elements(Value value) { return elements(value.getType()); }
  double bytes(Type type) {
    return isa<ShapedType>(type) ? elements(type) * elementBytes(type) : 0;
  }
  double bytes(Value value) { return bytes(value.getType()); }
  double bytes(ValueRange values) {
    double total = 0;
    for (Value value : values)
      total += bytes(value);
    return total;
  }
  /// Static dimension `index` of `value` (dimHint when dynamic, 1 when
  /// absent).
  double dim(Value value, unsigned index) {
    auto shaped = dyn_cast<ShapedType>(value.getType());
    if (!shaped || !shaped.hasRank() || index >= shaped.getRank())
      return 1;
    if (shaped.isDynamicDim(index)) {
      dynamic = true;
      return dimHint;
    }
    return double(shaped.getDimSize(index));
  }
};

bool isConstant(Operation *op) {
  return op->getNumOperands() == 0 && op->hasTrait<OpTrait::ConstantLike>();
}

/// arith ops that only convert between types.
bool isConversion(StringRef name) {
  static const llvm::StringSet<> names = {
      "arith.extf",         "arith.extsi",         "arith.extui",
      "arith.truncf",       "arith.trunci",        "arith.sitofp",
      "arith.uitofp",       "arith.fptosi",        "arith.fptoui",
      "arith.bitcast",      "arith.index_cast",    "arith.index_castui",
      "arith.scaling_extf", "arith.scaling_truncf"};
  return names.contains(name);
}

/// Arithmetic ops in a payload region (linalg body, tensor.generate):
/// arith and math ops other than constants and conversions.
double payloadOps(Region &region) {
  double count = 0;
  region.walk([&](Operation *op) {
    StringRef dialect = op->getName().getDialectNamespace();
    if ((dialect == "arith" || dialect == "math") && !isConstant(op) &&
        !isConversion(op->getName().getStringRef()))
      ++count;
  });
  return count;
}

//===----------------------------------------------------------------------===//
// TOSA
//===----------------------------------------------------------------------===//

bool isTosaElementwise(StringRef op) {
  static const llvm::StringSet<> names = {
      // unary
      "abs", "bitwise_not", "ceil", "clz", "cos", "exp", "floor", "log",
      "logical_not", "negate", "reciprocal", "rsqrt", "sin", "erf", "sigmoid",
      "tanh", "clamp", "table", "rescale",
      // binary
      "add", "arithmetic_right_shift", "bitwise_and", "bitwise_or",
      "bitwise_xor", "intdiv", "logical_and", "logical_left_shift",
      "logical_right_shift", "logical_or", "logical_xor", "maximum", "minimum",
      "mul", "pow", "sub", "equal", "greater", "greater_equal",
      // ternary
      "select"};
  return names.contains(op);
}

/// Fills `work` for TOSA op `op` (name without "tosa."); false if unknown.
bool tosaWork(Operation *op, StringRef name, Shapes &s, OpWork &work) {
  auto in = [&](unsigned i) { return op->getOperand(i); };
  double out = op->getNumResults() ? s.elements(op->getResult(0)) : 0;
  // Convolutions: NHWC input, weights [OC, KH, KW, IC] (conv3d: [OC, KD, KH,
  // KW, IC]); every output element is a dot product over the window.
  std::optional<double> macs;
  if (name == "conv2d") {
    macs = out * s.dim(in(1), 1) * s.dim(in(1), 2) * s.dim(in(1), 3);
  } else if (name == "conv3d") {
    macs = out * s.dim(in(1), 1) * s.dim(in(1), 2) * s.dim(in(1), 3) *
           s.dim(in(1), 4);
  } else if (name == "depthwise_conv2d") {
    // Weights [KH, KW, C, M]: each output sees a KH x KW window of one
    // channel.
    macs = out * s.dim(in(1), 0) * s.dim(in(1), 1);
  } else if (name == "transpose_conv2d") {
    // Weights [OC, KH, KW, IC]: each input element is scattered through a
    // KH x KW x OC kernel.
    macs =
        s.elements(in(0)) * s.dim(in(1), 0) * s.dim(in(1), 1) * s.dim(in(1), 2);
  } else if (name == "matmul") {
    // [N, H, C] x [N, C, W] -> [N, H, W].
    macs = out * s.dim(in(0), 2);
  }
  if (macs) {
    // The bias add and zero points are not counted.
    work.macFlops = work.flops = 2 * *macs;
    work.computeType = getElementTypeOrSelf(in(0).getType());
    return true;
  }
  if (name == "avg_pool2d" || name == "max_pool2d") {
    auto kernel = op->getAttrOfType<DenseI64ArrayAttr>("kernel");
    double window = 1;
    if (kernel)
      for (int64_t k : kernel.asArrayRef())
        window *= double(k);
    // One add or comparison per window element; avg also divides once.
    work.flops = out * window + (name == "avg_pool2d" ? out : 0);
    return true;
  }
  // One combining op per input element.
  if (name.starts_with("reduce_") || name == "argmax") {
    work.flops = s.elements(in(0));
    return true;
  }
  if (isTosaElementwise(name)) {
    work.flops = out;
    return true;
  }
  if (name == "cast")
    return true; // a conversion: bytes only
  // Views: no data moves, no kernel runs.
  if (name == "reshape" || name == "identity") {
    work.bytes = 0;
    work.free = true;
    return true;
  }
  // Shape arithmetic on !tosa.shape values.
  if (name.ends_with("_shape") || name == "dim") {
    work.bytes = 0;
    work.free = true;
    return true;
  }
  // Data movement: the default bytes (every tensor operand read, the result
  // written) except where an op reads only part of an operand.
  if (name == "transpose" || name == "tile" || name == "reverse" ||
      name == "pad" || name == "concat" || name == "scatter")
    return true;
  if (name == "slice") {
    work.bytes = 2 * s.bytes(op->getResult(0));
    return true;
  }
  if (name == "gather") {
    // Reads only the gathered rows of the values, plus the indices.
    work.bytes = 2 * s.bytes(op->getResult(0)) + s.bytes(in(1));
    return true;
  }
  if (name == "resize") {
    // Bilinear: 4 taps, a multiply-add each.
    auto mode = op->getAttr("mode");
    std::string text;
    llvm::raw_string_ostream os(text);
    if (mode)
      mode.print(os);
    if (StringRef(text).contains("BILINEAR"))
      work.flops = 8 * out;
    return true;
  }
  // FFTs of N x H x W: 5 H W log2(H W) real FLOPs per complex transform;
  // the real one does half.
  if (name == "fft2d" || name == "rfft2d") {
    double plane = s.dim(in(0), 1) * s.dim(in(0), 2);
    work.flops = (name == "fft2d" ? 5.0 : 2.5) * s.dim(in(0), 0) * plane *
                 std::log2(std::max(plane, 2.0));
    return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// linalg
//===----------------------------------------------------------------------===//

bool linalgWork(Operation *op, Shapes &s, OpWork &work) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    // One payload evaluation per point of the iteration space.
    double points = 1;
    for (int64_t range : linalgOp.getStaticLoopRanges()) {
      if (ShapedType::isDynamic(range)) {
        s.dynamic = true;
        points *= s.dimHint;
      } else {
        points *= double(range);
      }
    }
    work.flops = points * payloadOps(op->getRegion(0));
    if (linalg::isaContractionOpInterface(linalgOp) ||
        linalg::isaConvolutionOpInterface(linalgOp))
      work.macFlops = work.flops;
    // Inputs are read; inits are written, and read too when the payload
    // uses them (accumulation).
    work.bytes = 0;
    for (OpOperand *input : linalgOp.getDpsInputOperands())
      work.bytes += s.bytes(input->get());
    for (OpOperand &init : linalgOp.getDpsInitsMutable())
      work.bytes += s.bytes(init.get()) *
                    (linalgOp.payloadUsesValueFromOperand(&init) ? 2 : 1);
    if (linalgOp.getNumDpsInputs() > 0)
      work.computeType =
          getElementTypeOrSelf(linalgOp.getDpsInputOperand(0)->get());
    return true;
  }
  StringRef name = op->getName().stripDialect();
  // max, subtract, exp, sum, divide per element.
  if (name == "softmax") {
    work.flops = 5 * s.elements(op->getOperand(0));
    work.bytes = s.bytes(op->getOperand(0)) + s.bytes(op->getResult(0));
    return true;
  }
  if (name == "pack" || name == "unpack")
    return true;
  return false;
}

//===----------------------------------------------------------------------===//
// tensor
//===----------------------------------------------------------------------===//

bool tensorWork(Operation *op, Shapes &s, OpWork &work) {
  StringRef name = op->getName().stripDialect();
  auto result = [&] { return op->getResult(0); };
  if (name == "expand_shape" || name == "collapse_shape" || name == "reshape" ||
      name == "cast" || name == "bitcast" || name == "empty" || name == "dim" ||
      name == "rank") {
    work.bytes = 0;
    work.free = true;
    return true;
  }
  if (name == "extract_slice") {
    work.bytes = 2 * s.bytes(result());
    return true;
  }
  // In place: only the source region is read and written.
  if (name == "insert_slice" || name == "parallel_insert_slice") {
    work.bytes = 2 * s.bytes(op->getOperand(0));
    return true;
  }
  if (name == "concat" || name == "pad" || name == "pack" || name == "unpack")
    return true;
  if (name == "gather") {
    work.bytes = 2 * s.bytes(result()) + s.bytes(op->getOperand(1));
    return true;
  }
  if (name == "scatter") {
    work.bytes = 2 * s.bytes(op->getOperand(0)) + s.bytes(op->getOperand(2));
    return true;
  }
  if (name == "splat" || name == "from_elements") {
    work.bytes = s.bytes(result());
    return true;
  }
  if (name == "generate") {
    work.flops = s.elements(result()) * payloadOps(op->getRegion(0));
    work.bytes = s.bytes(result());
    return true;
  }
  // One element read or written in place.
  if (name == "extract" || name == "insert") {
    work.bytes =
        elementBytes(op->getOperand(name == "insert" ? 1 : 0).getType());
    return true;
  }
  return false;
}

} // namespace

double diviml::typeBytes(Type type, bool &dynamic, double dimHint) {
  Shapes s;
  s.dimHint = dimHint;
  double bytes = s.bytes(type);
  dynamic |= s.dynamic;
  return bytes;
}

OpWork diviml::estimateOpWork(Operation *op, double dimHint) {
  OpWork work;
  work.opClass = opClass(op);
  Shapes s;
  s.dimHint = dimHint;
  work.outputBytes = s.bytes(op->getResults());
  work.memory = work.outputBytes;
  // Weights stay resident on the device of the op that consumes them (once,
  // however many operands name them).
  llvm::SetVector<Value> operands(op->operand_begin(), op->operand_end());
  for (Value operand : operands)
    if (Operation *def = operand.getDefiningOp(); def && isConstant(def))
      work.memory += s.bytes(operand);
  if (isConstant(op)) {
    // A weight: no kernel, no traffic, but it occupies memory.
    work.free = true;
    return work;
  }
  work.bytes = s.bytes(op->getOperands()) + work.outputBytes;
  for (Value value : llvm::concat<Value>(op->getOperands(), op->getResults()))
    if (isa<ShapedType>(value.getType())) {
      work.computeType = getElementTypeOrSelf(value.getType());
      break;
    }

  StringRef dialect = op->getName().getDialectNamespace();
  StringRef name = op->getName().getStringRef();
  bool known = false;
  if (dialect == "tosa")
    known = tosaWork(op, op->getName().stripDialect(), s, work);
  else if (dialect == "linalg")
    known = linalgWork(op, s, work);
  else if (dialect == "tensor")
    known = tensorWork(op, s, work);
  else if (dialect == "arith" || dialect == "math") {
    // Elementwise on tensors (or scalars): one op per result element.
    known = true;
    if (!isConversion(name))
      for (Value result : op->getResults())
        work.flops +=
            isa<ShapedType>(result.getType()) ? s.elements(result) : 1;
  } else if (isa<TransferOp>(op)) {
    known = true;
  }
  if (!known) {
    work.flops = 0;
    for (Value result : op->getResults())
      work.flops += s.elements(result);
    work.fallback = "no cost model for '" + name.str() +
                    "'; estimated as one FLOP per result element and its "
                    "operand and result bytes";
  }
  // Said once per function by the callers, not once per op.
  work.dynamic = s.dynamic;
  return work;
}

StringRef diviml::opClass(Operation *op) {
  StringRef dialect = op->getName().getDialectNamespace();
  StringRef name = op->getName().stripDialect();
  if (dialect == "tosa") {
    if (name == "conv2d" || name == "conv3d" || name == "transpose_conv2d")
      return "conv";
    if (name == "depthwise_conv2d")
      return "depthwise";
    if (name == "matmul")
      return "matmul";
    if (name == "avg_pool2d" || name == "max_pool2d")
      return "pool";
    if (name.starts_with("reduce_") || name == "argmax")
      return "reduction";
    if (isTosaElementwise(name))
      return "elementwise";
    if (name == "reshape" || name == "identity" || name == "const" ||
        name.ends_with("_shape") || name == "dim")
      return "view";
    if (name == "transpose" || name == "tile" || name == "reverse" ||
        name == "pad" || name == "concat" || name == "scatter" ||
        name == "slice" || name == "gather" || name == "resize" ||
        name == "cast")
      return "data-movement";
    return "";
  }
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    if (linalg::isaConvolutionOpInterface(linalgOp))
      return name.starts_with("depthwise") ? "depthwise" : "conv";
    if (linalg::isaContractionOpInterface(linalgOp))
      return "matmul";
    if (linalgOp.getNumReductionLoops() > 0)
      return "reduction";
    return "elementwise";
  }
  if (dialect == "tensor") {
    if (name == "expand_shape" || name == "collapse_shape" ||
        name == "reshape" || name == "bitcast" || name == "cast" ||
        name == "dim")
      return "view";
    return "data-movement";
  }
  return "";
}
