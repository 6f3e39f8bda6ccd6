//===- TosaWriter.h - Emit TOSA MLIR text for whole networks ----*- C++ -*-===//
//
// A small text emitter for TOSA (MLIR 22 syntax) used by diviml-modelgen.
// It writes one `func.func @main` with every op carrying a name location,
// infers result shapes itself (PyTorch floor semantics for windows), and
// counts multiply-accumulates of conv2d, depthwise_conv2d and matmul so the
// generated header can be cross-checked by a FLOP counter. It deliberately
// does not link MLIR: the output is plain text verified by mlir-opt.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TOOLS_MODELGEN_TOSAWRITER_H
#define DIVIML_TOOLS_MODELGEN_TOSAWRITER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace diviml::modelgen {

using Dims = llvm::SmallVector<int64_t, 4>;

/// An SSA value of the function being written: its name and ranked type.
struct Tensor {
  std::string ssa;
  Dims dims;
  std::string elementType = "f32";

  /// Dimension `index`, counted from the back when negative.
  int64_t dim(int index) const {
    return dims[index < 0 ? index + rank() : index];
  }
  int rank() const { return static_cast<int>(dims.size()); }
  int64_t numElements() const;
};

/// Convolution geometry in PyTorch terms (symmetric padding, floor output).
struct ConvSpec {
  int64_t outChannels = 0;
  int64_t kernelH = 1, kernelW = 1;
  int64_t strideH = 1, strideW = 1;
  int64_t padH = 0, padW = 0;
  bool hasBias = false; // Bias values are zero when false (BN follows).
};

/// Splat values used for all weights: they only have to parse and verify.
inline constexpr double kWeightValue = 1.0e-2;

class TosaWriter {
public:
  /// Starts `func.func @main` with a single argument of the given type.
  Tensor beginFunction(llvm::ArrayRef<int64_t> inputDims,
                       llvm::StringRef elementType = "f32");
  /// Adds another argument after the first, named `name` by its location
  /// (an LLM's KV cache).
  Tensor addInput(llvm::StringRef name, llvm::ArrayRef<int64_t> dims,
                  llvm::StringRef elementType = "f32");
  void endFunction(const Tensor &result);
  /// Writes `module @moduleName { ... }` preceded by `header` lines, each
  /// printed as an MLIR comment.
  void print(llvm::raw_ostream &os, llvm::StringRef moduleName,
             llvm::ArrayRef<std::string> header) const;

  // Constants.
  Tensor constant(llvm::StringRef name, llvm::ArrayRef<int64_t> dims,
                  double value);
  /// A rank-`rank` all-ones-shaped constant holding one scalar, for
  /// broadcasting against tensors of that rank.
  Tensor scalar(llvm::StringRef name, int rank, double value);

  // Compute ops (these are the ones whose MACs are counted).
  Tensor conv2d(llvm::StringRef name, const Tensor &x, const ConvSpec &spec);
  Tensor depthwiseConv2d(llvm::StringRef name, const Tensor &x, int64_t kernel,
                         int64_t stride, int64_t pad);
  Tensor matmul(llvm::StringRef name, const Tensor &a, const Tensor &b);
  /// x: [1, rows, in] -> [1, rows, outFeatures] with weight `name.weight`
  /// and, if `hasBias`, an add of `name.bias` (op `name.bias_add`).
  Tensor linear(llvm::StringRef name, const Tensor &x, int64_t outFeatures,
                bool hasBias = true);

  // Pooling, PyTorch geometry (padded positions excluded from averages).
  Tensor maxPool2d(llvm::StringRef name, const Tensor &x, int64_t kernel,
                   int64_t stride, int64_t pad);
  Tensor avgPool2d(llvm::StringRef name, const Tensor &x, int64_t kernel,
                   int64_t stride, int64_t pad);

  // Elementwise ops; binary ops broadcast size-1 dimensions of equal ranks.
  Tensor add(llvm::StringRef name, const Tensor &a, const Tensor &b);
  Tensor sub(llvm::StringRef name, const Tensor &a, const Tensor &b);
  Tensor mul(llvm::StringRef name, const Tensor &a, const Tensor &b);
  Tensor clamp(llvm::StringRef name, const Tensor &x, double lo, double hi);
  Tensor relu(llvm::StringRef name, const Tensor &x);
  Tensor relu6(llvm::StringRef name, const Tensor &x);
  Tensor unary(llvm::StringRef opName, llvm::StringRef name, const Tensor &x);

  // Data movement and reductions.
  Tensor reduce(llvm::StringRef opName, llvm::StringRef name, const Tensor &x,
                int axis);
  Tensor reshape(llvm::StringRef name, const Tensor &x,
                 llvm::ArrayRef<int64_t> dims);
  Tensor transpose(llvm::StringRef name, const Tensor &x,
                   llvm::ArrayRef<int32_t> perms);
  Tensor concat(llvm::StringRef name, llvm::ArrayRef<Tensor> inputs, int axis);
  Tensor slice(llvm::StringRef name, const Tensor &x,
               llvm::ArrayRef<int64_t> start, llvm::ArrayRef<int64_t> size);
  /// table: [1, rows, width]; ids: [1, n] i32 -> [1, n, width].
  Tensor gather(llvm::StringRef name, const Tensor &table, const Tensor &ids);

  // Multiply-accumulate counts by op kind.
  uint64_t convMacs() const { return convMacCount; }
  uint64_t depthwiseMacs() const { return depthwiseMacCount; }
  uint64_t matmulMacs() const { return matmulMacCount; }
  uint64_t totalMacs() const {
    return convMacCount + depthwiseMacCount + matmulMacCount;
  }
  /// Number of emitted ops per op name (e.g. "tosa.conv2d"), constants
  /// included.
  const llvm::StringMap<unsigned> &opCounts() const { return opCount; }
  const Tensor &functionInput() const { return input; }
  const Tensor &functionResult() const { return result; }

private:
  /// Window geometry along one axis after converting PyTorch padding into
  /// the exact TOSA form (output size must divide exactly).
  struct Window {
    int64_t out, padBefore, padAfter, crop;
  };
  static Window window(llvm::StringRef name, int64_t in, int64_t kernel,
                       int64_t stride, int64_t pad);
  /// Crops bottom/right rows the window never reaches (TOSA forbids the
  /// negative padding that would otherwise be needed).
  Tensor cropForWindows(llvm::StringRef name, const Tensor &x, const Window &h,
                        const Window &w);
  Tensor pool(llvm::StringRef opName, llvm::StringRef name, const Tensor &x,
              int64_t kernel, int64_t stride, int64_t pad);
  Tensor binary(llvm::StringRef opName, llvm::StringRef name, const Tensor &a,
                const Tensor &b);
  Tensor shapeConstant(llvm::StringRef name, llvm::ArrayRef<int64_t> values);
  Tensor zeroPoint();
  Tensor mulShift();

  Tensor newValue(Dims dims, llvm::StringRef elementType = "f32");
  /// Checks that `name` is unique and returns ` loc("name")`.
  std::string location(llvm::StringRef name);
  void count(llvm::StringRef opName) { ++opCount[opName]; }

  std::string body;
  llvm::raw_string_ostream out{body};
  unsigned nextValue = 0;
  llvm::StringSet<> usedNames;
  llvm::StringMap<unsigned> opCount;
  Tensor input, result;
  /// Arguments after the first, with their location names.
  std::vector<std::pair<Tensor, std::string>> extraInputs;
  std::string zeroPointSsa, mulShiftSsa;
  uint64_t convMacCount = 0, depthwiseMacCount = 0, matmulMacCount = 0;
};

/// "tensor<1x224x224x3xf32>".
std::string tensorType(const Tensor &t);
/// Scientific notation MLIR parses exactly as a float literal.
std::string formatFloat(double value);

} // namespace diviml::modelgen

#endif // DIVIML_TOOLS_MODELGEN_TOSAWRITER_H
