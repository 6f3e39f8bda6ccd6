//===- Layers.cpp - Composite layers built from TOSA ops ------------------===//

#include "Layers.h"

#include "llvm/ADT/Twine.h"

#include <cmath>

using namespace llvm;

namespace diviml::modelgen {

static std::string part(StringRef name, StringRef suffix) {
  return (name + Twine(".") + suffix).str();
}

Tensor batchNorm(TosaWriter &w, StringRef name, const Tensor &x) {
  int64_t channels = x.dim(-1);
  Tensor scale = w.constant(part(name, "scale"), {1, 1, 1, channels}, 1.0);
  Tensor shift = w.constant(part(name, "shift"), {1, 1, 1, channels}, 0.0);
  Tensor y = w.mul(part(name, "mul"), x, scale);
  return w.add(part(name, "add"), y, shift);
}

Tensor convBnAct(TosaWriter &w, StringRef name, const Tensor &x,
                 const ConvSpec &spec, Activation act) {
  Tensor y = w.conv2d(part(name, "conv"), x, spec);
  y = batchNorm(w, part(name, "bn"), y);
  switch (act) {
  case Activation::None:
    return y;
  case Activation::Relu:
    return w.relu(part(name, "relu"), y);
  case Activation::Relu6:
    return w.relu6(part(name, "relu6"), y);
  }
  return y;
}

Tensor classifierHead(TosaWriter &w, const Tensor &x, int64_t classes,
                      StringRef poolName, StringRef fcName) {
  // Global pooling is an avg_pool2d whose window is the whole feature map.
  Tensor pooled = w.avgPool2d(poolName, x, x.dim(1), 1, 0);
  int64_t batch = x.dim(0), features = x.dim(3);
  Tensor flat = w.reshape("flatten", pooled, {1, batch, features});
  Tensor logits = w.linear(fcName, flat, classes);
  return w.reshape("logits", logits, {batch, classes});
}

Tensor layerNorm(TosaWriter &w, StringRef name, const Tensor &x) {
  int64_t width = x.dim(-1);
  int axis = x.rank() - 1;
  Tensor invWidth = w.scalar(part(name, "inv_width"), x.rank(), 1.0 / width);
  Tensor eps = w.scalar(part(name, "eps"), x.rank(), 1.0e-5);
  Tensor gamma = w.constant(part(name, "gamma"), {1, 1, width}, 1.0);
  Tensor beta = w.constant(part(name, "beta"), {1, 1, width}, 0.0);

  Tensor sum = w.reduce("reduce_sum", part(name, "sum"), x, axis);
  Tensor mean = w.mul(part(name, "mean"), sum, invWidth);
  Tensor centered = w.sub(part(name, "center"), x, mean);
  Tensor square = w.mul(part(name, "square"), centered, centered);
  Tensor sqSum = w.reduce("reduce_sum", part(name, "var_sum"), square, axis);
  Tensor var = w.mul(part(name, "var"), sqSum, invWidth);
  Tensor varEps = w.add(part(name, "var_eps"), var, eps);
  Tensor rstd = w.unary("rsqrt", part(name, "rstd"), varEps);
  Tensor normed = w.mul(part(name, "normalize"), centered, rstd);
  Tensor scaled = w.mul(part(name, "gamma_mul"), normed, gamma);
  return w.add(part(name, "beta_add"), scaled, beta);
}

Tensor softmax(TosaWriter &w, StringRef name, const Tensor &x, int axis) {
  // Subtracting the row maximum keeps exp in range, as frameworks do.
  Tensor max = w.reduce("reduce_max", part(name, "max"), x, axis);
  Tensor shifted = w.sub(part(name, "sub"), x, max);
  Tensor exps = w.unary("exp", part(name, "exp"), shifted);
  Tensor sum = w.reduce("reduce_sum", part(name, "sum"), exps, axis);
  Tensor inv = w.unary("reciprocal", part(name, "reciprocal"), sum);
  return w.mul(part(name, "normalize"), exps, inv);
}

Tensor geluErf(TosaWriter &w, StringRef name, const Tensor &x) {
  int rank = x.rank();
  Tensor invSqrt2 =
      w.scalar(part(name, "inv_sqrt2"), rank, 1.0 / std::sqrt(2.0));
  Tensor one = w.scalar(part(name, "one"), rank, 1.0);
  Tensor half = w.scalar(part(name, "half"), rank, 0.5);
  Tensor scaled = w.mul(part(name, "scale"), x, invSqrt2);
  Tensor erf = w.unary("erf", part(name, "erf"), scaled);
  Tensor onePlus = w.add(part(name, "add_one"), erf, one);
  Tensor halfX = w.mul(part(name, "half_x"), x, half);
  return w.mul(part(name, "mul"), halfX, onePlus);
}

Tensor geluTanh(TosaWriter &w, StringRef name, const Tensor &x) {
  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
  int rank = x.rank();
  const double pi = 3.14159265358979323846;
  Tensor cubic = w.scalar(part(name, "cubic_coeff"), rank, 0.044715);
  Tensor sqrt2pi =
      w.scalar(part(name, "sqrt_2_over_pi"), rank, std::sqrt(2.0 / pi));
  Tensor one = w.scalar(part(name, "one"), rank, 1.0);
  Tensor half = w.scalar(part(name, "half"), rank, 0.5);
  Tensor sq = w.mul(part(name, "square"), x, x);
  Tensor cube = w.mul(part(name, "cube"), sq, x);
  Tensor cubeScaled = w.mul(part(name, "cube_scale"), cube, cubic);
  Tensor inner = w.add(part(name, "inner"), x, cubeScaled);
  Tensor arg = w.mul(part(name, "tanh_arg"), inner, sqrt2pi);
  Tensor th = w.unary("tanh", part(name, "tanh"), arg);
  Tensor onePlus = w.add(part(name, "add_one"), th, one);
  Tensor halfX = w.mul(part(name, "half_x"), x, half);
  return w.mul(part(name, "mul"), halfX, onePlus);
}

/// [1, B*S, H] -> [B*nh, S, hd], or [B*nh, hd, S] when `keysLayout`.
static Tensor splitHeads(TosaWriter &w, StringRef name, const Tensor &t,
                         int64_t batch, int64_t seqLen, int64_t heads,
                         bool keysLayout) {
  int64_t headDim = t.dim(2) / heads;
  Tensor x4 =
      w.reshape(part(name, "split"), t, {batch, seqLen, heads, headDim});
  if (keysLayout) {
    Tensor xt = w.transpose(part(name, "transpose"), x4, {0, 2, 3, 1});
    return w.reshape(part(name, "fold"), xt, {batch * heads, headDim, seqLen});
  }
  Tensor xt = w.transpose(part(name, "transpose"), x4, {0, 2, 1, 3});
  return w.reshape(part(name, "fold"), xt, {batch * heads, seqLen, headDim});
}

Tensor multiHeadAttention(TosaWriter &w, StringRef name, const Tensor &q,
                          const Tensor &k, const Tensor &v, int64_t batch,
                          int64_t seqLen, int64_t heads, bool causal) {
  int64_t hidden = q.dim(2), headDim = hidden / heads;
  Tensor qh =
      splitHeads(w, part(name, "q_heads"), q, batch, seqLen, heads, false);
  Tensor kh =
      splitHeads(w, part(name, "k_heads"), k, batch, seqLen, heads, true);
  Tensor vh =
      splitHeads(w, part(name, "v_heads"), v, batch, seqLen, heads, false);
  Tensor scores = w.matmul(part(name, "scores"), qh, kh);
  Tensor invSqrtD = w.scalar(part(name, "inv_sqrt_head_dim"), 3,
                             1.0 / std::sqrt(static_cast<double>(headDim)));
  scores = w.mul(part(name, "scale"), scores, invSqrtD);
  if (causal) {
    // 0 on and below the diagonal, -inf-like above; a splat stands in for
    // the triangle since only shapes matter here.
    Tensor mask =
        w.constant(part(name, "causal_mask"), {1, seqLen, seqLen}, 0.0);
    scores = w.add(part(name, "mask"), scores, mask);
  }
  Tensor probs = softmax(w, part(name, "softmax"), scores, 2);
  Tensor ctx = w.matmul(part(name, "context"), probs, vh);
  Tensor ctx4 =
      w.reshape(part(name, "unfold"), ctx, {batch, heads, seqLen, headDim});
  Tensor merged = w.transpose(part(name, "merge"), ctx4, {0, 2, 1, 3});
  return w.reshape(part(name, "merge_heads"), merged,
                   {1, batch * seqLen, hidden});
}

} // namespace diviml::modelgen
