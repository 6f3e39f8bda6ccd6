//===- TosaWriter.cpp - Emit TOSA MLIR text for whole networks ------------===//

#include "TosaWriter.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace diviml::modelgen {

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

std::string tensorType(const Tensor &t) {
  std::string s = "tensor<";
  for (int64_t d : t.dims)
    s += std::to_string(d) + "x";
  return s + t.elementType + ">";
}

std::string formatFloat(double value) {
  std::string s;
  raw_string_ostream(s) << format("%.6e", value);
  return s;
}

static std::string joinInts(ArrayRef<int64_t> values) {
  std::string s;
  for (auto [i, v] : enumerate(values))
    s += (i ? ", " : "") + std::to_string(v);
  return s;
}

static std::string shapeType(size_t rank) {
  return "!tosa.shape<" + std::to_string(rank) + ">";
}

[[noreturn]] static void geometryError(StringRef name, const Twine &what) {
  report_fatal_error(Twine("diviml-modelgen: op '") + name + "': " + what);
}

Tensor TosaWriter::newValue(Dims dims, StringRef elementType) {
  return Tensor{"%v" + std::to_string(nextValue++), std::move(dims),
                elementType.str()};
}

std::string TosaWriter::location(StringRef name) {
  // Name locations are op names for the partitioner: a clash is a bug in
  // the model description, not a user error.
  if (!usedNames.insert(name).second)
    report_fatal_error(Twine("diviml-modelgen: duplicate op name '") + name +
                       "'");
  return (" loc(\"" + name + "\")").str();
}

Tensor TosaWriter::beginFunction(ArrayRef<int64_t> inputDims,
                                 StringRef elementType) {
  input = Tensor{"%input", Dims(inputDims), elementType.str()};
  return input;
}

Tensor TosaWriter::addInput(StringRef name, ArrayRef<int64_t> dims,
                            StringRef elementType) {
  Tensor t{"%input" + std::to_string(extraInputs.size() + 1), Dims(dims),
           elementType.str()};
  // Checks the name like any op's: arguments are named for reports too.
  location(name);
  extraInputs.push_back({t, name.str()});
  return t;
}

void TosaWriter::endFunction(const Tensor &value) {
  result = value;
  out << "    return " << value.ssa << " : " << tensorType(value)
      << location("output") << "\n";
}

void TosaWriter::print(raw_ostream &os, StringRef moduleName,
                       ArrayRef<std::string> header) const {
  for (const std::string &line : header)
    os << "// " << line << "\n";
  os << "module @" << moduleName << " {\n";
  os << "  func.func @main(" << input.ssa << ": " << tensorType(input)
     << " loc(\"input\")";
  for (const auto &[arg, name] : extraInputs)
    os << ", " << arg.ssa << ": " << tensorType(arg) << " loc(\"" << name
       << "\")";
  os << ") -> " << tensorType(result) << " {\n";
  os << body;
  os << "  }\n}\n";
}

Tensor TosaWriter::constant(StringRef name, ArrayRef<int64_t> dims,
                            double value) {
  Tensor t = newValue(Dims(dims));
  std::string type = tensorType(t);
  out << "    " << t.ssa << " = \"tosa.const\"() {values = dense<"
      << formatFloat(value) << "> : " << type << "} : () -> " << type
      << location(name) << "\n";
  count("tosa.const");
  return t;
}

Tensor TosaWriter::scalar(StringRef name, int rank, double value) {
  return constant(name, Dims(rank, 1), value);
}

Tensor TosaWriter::shapeConstant(StringRef name, ArrayRef<int64_t> values) {
  Tensor t = newValue(Dims{static_cast<int64_t>(values.size())}, "index");
  out << "    " << t.ssa << " = tosa.const_shape {values = dense<["
      << joinInts(values) << "]> : tensor<" << values.size()
      << "xindex>} : () -> " << shapeType(values.size()) << location(name)
      << "\n";
  count("tosa.const_shape");
  return t;
}

// One f32 zero point and one i8 shift are shared by the whole function:
// they are operands TOSA requires but carry no information for f32 models.
Tensor TosaWriter::zeroPoint() {
  if (zeroPointSsa.empty())
    zeroPointSsa = constant("zero_point", {1}, 0.0).ssa;
  return Tensor{zeroPointSsa, Dims{1}, "f32"};
}

Tensor TosaWriter::mulShift() {
  if (mulShiftSsa.empty()) {
    Tensor t = newValue(Dims{1}, "i8");
    out << "    " << t.ssa
        << " = \"tosa.const\"() {values = dense<0> : tensor<1xi8>} : () -> "
           "tensor<1xi8>"
        << location("mul_shift") << "\n";
    count("tosa.const");
    mulShiftSsa = t.ssa;
  }
  return Tensor{mulShiftSsa, Dims{1}, "i8"};
}

TosaWriter::Window TosaWriter::window(StringRef name, int64_t in,
                                      int64_t kernel, int64_t stride,
                                      int64_t pad) {
  if (in + 2 * pad < kernel)
    geometryError(name, Twine("kernel ") + Twine(kernel) +
                            " larger than padded input " + Twine(in));
  Window w;
  w.out = (in + 2 * pad - kernel) / stride + 1;
  w.padBefore = pad;
  // TOSA needs (in + before + after - kernel) to be an exact multiple of
  // the stride; PyTorch floors instead, so shrink the trailing padding.
  w.padAfter = (w.out - 1) * stride + kernel - in - pad;
  w.crop = 0;
  if (w.padAfter < 0) {
    w.crop = -w.padAfter;
    w.padAfter = 0;
  }
  return w;
}

Tensor TosaWriter::cropForWindows(StringRef name, const Tensor &x,
                                  const Window &h, const Window &w) {
  if (h.crop == 0 && w.crop == 0)
    return x;
  return slice((name + ".crop").str(), x, {0, 0, 0, 0},
               {x.dim(0), x.dim(1) - h.crop, x.dim(2) - w.crop, x.dim(3)});
}

Tensor TosaWriter::conv2d(StringRef name, const Tensor &x,
                          const ConvSpec &spec) {
  Window h = window(name, x.dim(1), spec.kernelH, spec.strideH, spec.padH);
  Window w = window(name, x.dim(2), spec.kernelW, spec.strideW, spec.padW);
  Tensor in = cropForWindows(name, x, h, w);
  int64_t inChannels = x.dim(3);
  // TOSA conv2d weights are [OC, KH, KW, IC].
  Tensor weight = constant(
      (name + ".weight").str(),
      {spec.outChannels, spec.kernelH, spec.kernelW, inChannels}, kWeightValue);
  Tensor bias = constant((name + ".bias").str(), {spec.outChannels}, 0.0);
  Tensor zp = zeroPoint();
  Tensor y = newValue(Dims{x.dim(0), h.out, w.out, spec.outChannels});
  out << "    " << y.ssa << " = tosa.conv2d " << in.ssa << ", " << weight.ssa
      << ", " << bias.ssa << ", " << zp.ssa << ", " << zp.ssa
      << formatv(" {{acc_type = f32, dilation = array<i64: 1, 1>, pad = "
                 "array<i64: {0}, {1}, {2}, {3}>, stride = array<i64: {4}, "
                 "{5}>} : (",
                 h.padBefore, h.padAfter, w.padBefore, w.padAfter, spec.strideH,
                 spec.strideW)
      << tensorType(in) << ", " << tensorType(weight) << ", "
      << tensorType(bias) << ", " << tensorType(zp) << ", " << tensorType(zp)
      << ") -> " << tensorType(y) << location(name) << "\n";
  count("tosa.conv2d");
  convMacCount += static_cast<uint64_t>(y.numElements()) * spec.kernelH *
                  spec.kernelW * inChannels;
  return y;
}

Tensor TosaWriter::depthwiseConv2d(StringRef name, const Tensor &x,
                                   int64_t kernel, int64_t stride,
                                   int64_t pad) {
  Window h = window(name, x.dim(1), kernel, stride, pad);
  Window w = window(name, x.dim(2), kernel, stride, pad);
  Tensor in = cropForWindows(name, x, h, w);
  int64_t channels = x.dim(3);
  // TOSA depthwise weights are [KH, KW, C, multiplier].
  Tensor weight = constant((name + ".weight").str(),
                           {kernel, kernel, channels, 1}, kWeightValue);
  Tensor bias = constant((name + ".bias").str(), {channels}, 0.0);
  Tensor zp = zeroPoint();
  Tensor y = newValue(Dims{x.dim(0), h.out, w.out, channels});
  out << "    " << y.ssa << " = tosa.depthwise_conv2d " << in.ssa << ", "
      << weight.ssa << ", " << bias.ssa << ", " << zp.ssa << ", " << zp.ssa
      << formatv(" {{acc_type = f32, dilation = array<i64: 1, 1>, pad = "
                 "array<i64: {0}, {1}, {2}, {3}>, stride = array<i64: {4}, "
                 "{4}>} : (",
                 h.padBefore, h.padAfter, w.padBefore, w.padAfter, stride)
      << tensorType(in) << ", " << tensorType(weight) << ", "
      << tensorType(bias) << ", " << tensorType(zp) << ", " << tensorType(zp)
      << ") -> " << tensorType(y) << location(name) << "\n";
  count("tosa.depthwise_conv2d");
  depthwiseMacCount += static_cast<uint64_t>(y.numElements()) * kernel * kernel;
  return y;
}

Tensor TosaWriter::matmul(StringRef name, const Tensor &a, const Tensor &b) {
  if (a.rank() != 3 || b.rank() != 3 || a.dim(0) != b.dim(0) ||
      a.dim(2) != b.dim(1))
    geometryError(name, "matmul operands must be [N,H,C] x [N,C,W]");
  Tensor zp = zeroPoint();
  Tensor y = newValue(Dims{a.dim(0), a.dim(1), b.dim(2)});
  out << "    " << y.ssa << " = tosa.matmul " << a.ssa << ", " << b.ssa << ", "
      << zp.ssa << ", " << zp.ssa << " : (" << tensorType(a) << ", "
      << tensorType(b) << ", " << tensorType(zp) << ", " << tensorType(zp)
      << ") -> " << tensorType(y) << location(name) << "\n";
  count("tosa.matmul");
  matmulMacCount += static_cast<uint64_t>(y.numElements()) * a.dim(2);
  return y;
}

Tensor TosaWriter::linear(StringRef name, const Tensor &x, int64_t outFeatures,
                          bool hasBias) {
  Tensor weight = constant((name + ".weight").str(), {1, x.dim(2), outFeatures},
                           kWeightValue);
  Tensor y = matmul(name, x, weight);
  if (!hasBias)
    return y;
  Tensor bias = constant((name + ".bias").str(), {1, 1, outFeatures}, 0.0);
  return add((name + ".bias_add").str(), y, bias);
}

Tensor TosaWriter::pool(StringRef opName, StringRef name, const Tensor &x,
                        int64_t kernel, int64_t stride, int64_t pad) {
  Window h = window(name, x.dim(1), kernel, stride, pad);
  Window w = window(name, x.dim(2), kernel, stride, pad);
  Tensor in = cropForWindows(name, x, h, w);
  bool isAvg = opName == "avg_pool2d";
  Tensor zp = isAvg ? zeroPoint() : Tensor{};
  Tensor y = newValue(Dims{x.dim(0), h.out, w.out, x.dim(3)});
  out << "    " << y.ssa << " = tosa." << opName << " " << in.ssa;
  if (isAvg)
    out << ", " << zp.ssa << ", " << zp.ssa << " {acc_type = f32, ";
  else
    out << " {";
  out << formatv("kernel = array<i64: {0}, {0}>, pad = array<i64: {1}, {2}, "
                 "{3}, {4}>, stride = array<i64: {5}, {5}>} : (",
                 kernel, h.padBefore, h.padAfter, w.padBefore, w.padAfter,
                 stride)
      << tensorType(in);
  if (isAvg)
    out << ", " << tensorType(zp) << ", " << tensorType(zp);
  out << ") -> " << tensorType(y) << location(name) << "\n";
  count(("tosa." + opName).str());
  return y;
}

Tensor TosaWriter::maxPool2d(StringRef name, const Tensor &x, int64_t kernel,
                             int64_t stride, int64_t pad) {
  return pool("max_pool2d", name, x, kernel, stride, pad);
}

Tensor TosaWriter::avgPool2d(StringRef name, const Tensor &x, int64_t kernel,
                             int64_t stride, int64_t pad) {
  return pool("avg_pool2d", name, x, kernel, stride, pad);
}

Tensor TosaWriter::binary(StringRef opName, StringRef name, const Tensor &a,
                          const Tensor &b) {
  if (a.rank() != b.rank())
    geometryError(name, "elementwise operands must have equal ranks");
  Dims dims;
  for (int i = 0, e = a.rank(); i < e; ++i) {
    int64_t da = a.dim(i), db = b.dim(i);
    if (da != db && da != 1 && db != 1)
      geometryError(name, "operands are not broadcast-compatible");
    dims.push_back(std::max(da, db));
  }
  Tensor y = newValue(dims);
  out << "    " << y.ssa << " = tosa." << opName << " " << a.ssa << ", "
      << b.ssa;
  if (opName == "mul")
    out << ", " << mulShift().ssa;
  out << " : (" << tensorType(a) << ", " << tensorType(b);
  if (opName == "mul")
    out << ", tensor<1xi8>";
  out << ") -> " << tensorType(y) << location(name) << "\n";
  count(("tosa." + opName).str());
  return y;
}

Tensor TosaWriter::add(StringRef name, const Tensor &a, const Tensor &b) {
  return binary("add", name, a, b);
}

Tensor TosaWriter::sub(StringRef name, const Tensor &a, const Tensor &b) {
  return binary("sub", name, a, b);
}

Tensor TosaWriter::mul(StringRef name, const Tensor &a, const Tensor &b) {
  // The shift operand has to be defined before the op that uses it.
  mulShift();
  return binary("mul", name, a, b);
}

Tensor TosaWriter::clamp(StringRef name, const Tensor &x, double lo,
                         double hi) {
  Tensor y = newValue(x.dims);
  out << "    " << y.ssa << " = tosa.clamp " << x.ssa
      << " {max_val = " << formatFloat(hi)
      << " : f32, min_val = " << formatFloat(lo) << " : f32} : ("
      << tensorType(x) << ") -> " << tensorType(y) << location(name) << "\n";
  count("tosa.clamp");
  return y;
}

Tensor TosaWriter::relu(StringRef name, const Tensor &x) {
  // ReLU has no upper bound; clamp needs a finite f32, so use a value just
  // below FLT_MAX that cannot round past it when parsed.
  return clamp(name, x, 0.0, 3.4028e38);
}

Tensor TosaWriter::relu6(StringRef name, const Tensor &x) {
  return clamp(name, x, 0.0, 6.0);
}

Tensor TosaWriter::unary(StringRef opName, StringRef name, const Tensor &x) {
  Tensor y = newValue(x.dims);
  out << "    " << y.ssa << " = tosa." << opName << " " << x.ssa << " : ("
      << tensorType(x) << ") -> " << tensorType(y) << location(name) << "\n";
  count(("tosa." + opName).str());
  return y;
}

Tensor TosaWriter::reduce(StringRef opName, StringRef name, const Tensor &x,
                          int axis) {
  Dims dims = x.dims;
  dims[axis] = 1;
  Tensor y = newValue(dims);
  out << "    " << y.ssa << " = tosa." << opName << " " << x.ssa
      << " {axis = " << axis << " : i32} : (" << tensorType(x) << ") -> "
      << tensorType(y) << location(name) << "\n";
  count(("tosa." + opName).str());
  return y;
}

Tensor TosaWriter::reshape(StringRef name, const Tensor &x,
                           ArrayRef<int64_t> dims) {
  int64_t elements = 1;
  for (int64_t d : dims)
    elements *= d;
  if (elements != x.numElements())
    geometryError(name, "reshape changes the number of elements");
  Tensor shape = shapeConstant((name + ".shape").str(), dims);
  Tensor y = newValue(Dims(dims), x.elementType);
  out << "    " << y.ssa << " = tosa.reshape " << x.ssa << ", " << shape.ssa
      << " : (" << tensorType(x) << ", " << shapeType(dims.size()) << ") -> "
      << tensorType(y) << location(name) << "\n";
  count("tosa.reshape");
  return y;
}

Tensor TosaWriter::transpose(StringRef name, const Tensor &x,
                             ArrayRef<int32_t> perms) {
  Dims dims;
  std::string permText;
  for (auto [i, p] : enumerate(perms)) {
    dims.push_back(x.dim(p));
    permText += (i ? ", " : "") + std::to_string(p);
  }
  Tensor y = newValue(dims, x.elementType);
  out << "    " << y.ssa << " = tosa.transpose " << x.ssa
      << " {perms = array<i32: " << permText << ">} : (" << tensorType(x)
      << ") -> " << tensorType(y) << location(name) << "\n";
  count("tosa.transpose");
  return y;
}

Tensor TosaWriter::concat(StringRef name, ArrayRef<Tensor> inputs, int axis) {
  Dims dims = inputs.front().dims;
  dims[axis] = 0;
  for (const Tensor &t : inputs)
    dims[axis] += t.dim(axis);
  Tensor y = newValue(dims, inputs.front().elementType);
  out << "    " << y.ssa << " = tosa.concat ";
  for (auto [i, t] : enumerate(inputs))
    out << (i ? ", " : "") << t.ssa;
  out << " {axis = " << axis << " : i32} : (";
  for (auto [i, t] : enumerate(inputs))
    out << (i ? ", " : "") << tensorType(t);
  out << ") -> " << tensorType(y) << location(name) << "\n";
  count("tosa.concat");
  return y;
}

Tensor TosaWriter::slice(StringRef name, const Tensor &x,
                         ArrayRef<int64_t> start, ArrayRef<int64_t> size) {
  Tensor startShape = shapeConstant((name + ".start").str(), start);
  Tensor sizeShape = shapeConstant((name + ".size").str(), size);
  Tensor y = newValue(Dims(size), x.elementType);
  out << "    " << y.ssa << " = tosa.slice " << x.ssa << ", " << startShape.ssa
      << ", " << sizeShape.ssa << " : (" << tensorType(x) << ", "
      << shapeType(start.size()) << ", " << shapeType(size.size()) << ") -> "
      << tensorType(y) << location(name) << "\n";
  count("tosa.slice");
  return y;
}

Tensor TosaWriter::gather(StringRef name, const Tensor &table,
                          const Tensor &ids) {
  Tensor y =
      newValue(Dims{table.dim(0), ids.dim(1), table.dim(2)}, table.elementType);
  out << "    " << y.ssa << " = tosa.gather " << table.ssa << ", " << ids.ssa
      << " : (" << tensorType(table) << ", " << tensorType(ids) << ") -> "
      << tensorType(y) << location(name) << "\n";
  count("tosa.gather");
  return y;
}

} // namespace diviml::modelgen
