//===- Layers.h - Composite layers built from TOSA ops ----------*- C++ -*-===//
//
// Layers that the TOSA op set spells as several ops: inference batch norm
// (folded to mul + add), layer norm, softmax, GELU, multi-head attention and
// the usual pooled classifier head. Every op is named `<name>.<part>`.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TOOLS_MODELGEN_LAYERS_H
#define DIVIML_TOOLS_MODELGEN_LAYERS_H

#include "TosaWriter.h"

namespace diviml::modelgen {

/// Inference batch norm on NHWC folded to a per-channel scale and shift:
/// ops `<name>.mul` and `<name>.add`.
Tensor batchNorm(TosaWriter &w, llvm::StringRef name, const Tensor &x);

enum class Activation { None, Relu, Relu6 };

/// conv (zero bias) -> batch norm -> activation, named `<name>.conv`,
/// `<name>.bn.*` and `<name>.relu` / `<name>.relu6`.
Tensor convBnAct(TosaWriter &w, llvm::StringRef name, const Tensor &x,
                 const ConvSpec &spec, Activation act);

/// Global average pool, flatten, fully connected: [B,H,W,C] -> [B,classes].
/// The reshapes are named "flatten" and "logits": one head per model.
Tensor classifierHead(TosaWriter &w, const Tensor &x, int64_t classes,
                      llvm::StringRef poolName = "avgpool",
                      llvm::StringRef fcName = "fc");

/// Layer norm over the last axis of x: [1, rows, width].
Tensor layerNorm(TosaWriter &w, llvm::StringRef name, const Tensor &x);

/// Softmax along `axis` as reduce_max, sub, exp, reduce_sum, reciprocal,
/// mul.
Tensor softmax(TosaWriter &w, llvm::StringRef name, const Tensor &x, int axis);

/// Exact GELU 0.5 x (1 + erf(x / sqrt 2)) (BERT).
Tensor geluErf(TosaWriter &w, llvm::StringRef name, const Tensor &x);
/// Tanh GELU approximation (GPT-2's gelu_new).
Tensor geluTanh(TosaWriter &w, llvm::StringRef name, const Tensor &x);

/// Scaled dot-product attention over heads. q, k, v: [1, batch*seq, hidden];
/// returns the merged context [1, batch*seq, hidden]. A causal model adds
/// the mask constant `<name>.causal_mask` to the scores.
Tensor multiHeadAttention(TosaWriter &w, llvm::StringRef name, const Tensor &q,
                          const Tensor &k, const Tensor &v, int64_t batch,
                          int64_t seqLen, int64_t heads, bool causal);

} // namespace diviml::modelgen

#endif // DIVIML_TOOLS_MODELGEN_LAYERS_H
