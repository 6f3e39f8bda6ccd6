//===- Llm.cpp - Decoder-only language models (Llama style) ---------------===//
//
// Pre-norm decoder layers with RMSNorm, rotary position embedding, grouped
// query attention, a SwiGLU MLP and no biases, as in Llama 2. q, k and v
// come from one fused projection and gate and up from another, the way
// serving stacks fuse them (and the way the measured layer products in
// shared/measurements/h200-node/llm_ops.json are counted).
//
// Prefill reads `--seq-len` tokens and attends causally among them. Decode
// reads `--seq-len` new tokens (usually 1) and, per layer, a KV cache of
// `--context` earlier tokens: function arguments `layer{i}.k_cache` and
// `layer{i}.v_cache` by default, or resident splat tensors with
// `--kv-cache=resident`. Each layer concatenates the new keys and values to
// its cache, so the concat's result is the updated cache and the layer's
// memory counts it (docs/zoo.md).
//
// Every op of layer i is named `layer{i}.<part>` and the layers are
// identical op for op, which is what repeated-block detection looks for.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"
#include "Models.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace llvm;

namespace diviml::modelgen {

static std::string part(StringRef name, StringRef suffix) {
  return (name + Twine(".") + suffix).str();
}

/// x * rsqrt(mean(x^2) + eps) * weight over the last axis of [1, rows, H].
static Tensor rmsNorm(TosaWriter &w, StringRef name, const Tensor &x) {
  int64_t width = x.dim(2);
  Tensor invWidth =
      w.scalar(part(name, "inv_width"), 3, 1.0 / static_cast<double>(width));
  Tensor eps = w.scalar(part(name, "eps"), 3, 1.0e-5);
  Tensor weight = w.constant(part(name, "weight"), {1, 1, width}, 1.0);
  Tensor square = w.mul(part(name, "square"), x, x);
  Tensor sum = w.reduce("reduce_sum", part(name, "sum"), square, 2);
  Tensor mean = w.mul(part(name, "mean"), sum, invWidth);
  Tensor meanEps = w.add(part(name, "mean_eps"), mean, eps);
  Tensor rstd = w.unary("rsqrt", part(name, "rstd"), meanEps);
  Tensor normed = w.mul(part(name, "normalize"), x, rstd);
  return w.mul(part(name, "weight_mul"), normed, weight);
}

/// Rotary embedding as x * cos + rotate_half(x) * sin. The rotation is a
/// fixed permutation of each head's halves; a splat table stands in for the
/// position-dependent cos and sin, and x itself for rotate_half(x), since
/// only shapes and op counts matter here (two muls and an add per element,
/// as the real kernel).
static Tensor rope(TosaWriter &w, StringRef name, const Tensor &x) {
  Tensor cos = w.constant(part(name, "cos"), {1, x.dim(1), x.dim(2)}, 1.0);
  Tensor sin = w.constant(part(name, "sin"), {1, x.dim(1), x.dim(2)}, 0.0);
  Tensor a = w.mul(part(name, "mul_cos"), x, cos);
  Tensor b = w.mul(part(name, "mul_sin"), x, sin);
  return w.add(part(name, "add"), a, b);
}

/// [1, B*S, n*hd] -> [B, n, S, hd].
static Tensor toHeads(TosaWriter &w, StringRef name, const Tensor &t,
                      int64_t batch, int64_t seqLen, int64_t n,
                      int64_t headDim) {
  Tensor x4 = w.reshape(part(name, "split"), t, {batch, seqLen, n, headDim});
  return w.transpose(part(name, "transpose"), x4, {0, 2, 1, 3});
}

struct LlmShape {
  int64_t batch, seqLen, hidden, heads, kvHeads, headDim, context;
  bool decode;
};

/// Grouped-query attention. The g = heads / kvHeads query heads that share
/// one key/value head are folded into the rows of one matmul against it
/// (the query head index is kv * g + j), so keys and values are never
/// repeated.
static Tensor attention(TosaWriter &w, StringRef name, const Tensor &q,
                        const Tensor &k, const Tensor &v, const Tensor *kCache,
                        const Tensor *vCache, const LlmShape &s) {
  int64_t g = s.heads / s.kvHeads;
  int64_t bk = s.batch * s.kvHeads;
  Tensor qh = toHeads(w, part(name, "q_heads"), q, s.batch, s.seqLen, s.heads,
                      s.headDim);
  Tensor kh = toHeads(w, part(name, "k_heads"), k, s.batch, s.seqLen, s.kvHeads,
                      s.headDim);
  Tensor vh = toHeads(w, part(name, "v_heads"), v, s.batch, s.seqLen, s.kvHeads,
                      s.headDim);
  int64_t total = s.seqLen;
  if (kCache) {
    // [B, kv, context, hd] ++ [B, kv, S, hd]: the updated cache.
    kh = w.concat(part(name, "k_cache_append"), {*kCache, kh}, 2);
    vh = w.concat(part(name, "v_cache_append"), {*vCache, vh}, 2);
    total += s.context;
  }
  Tensor qf =
      w.reshape(part(name, "q_fold"), qh, {bk, g * s.seqLen, s.headDim});
  Tensor kt = w.transpose(part(name, "k_transpose"), kh, {0, 1, 3, 2});
  Tensor kf = w.reshape(part(name, "k_fold"), kt, {bk, s.headDim, total});
  Tensor vf = w.reshape(part(name, "v_fold"), vh, {bk, total, s.headDim});
  Tensor scores = w.matmul(part(name, "scores"), qf, kf);
  Tensor invSqrtD = w.scalar(part(name, "inv_sqrt_head_dim"), 3,
                             1.0 / std::sqrt(static_cast<double>(s.headDim)));
  scores = w.mul(part(name, "scale"), scores, invSqrtD);
  if (!s.decode) {
    // Prefill: causal among the new tokens (a splat stands in for the
    // triangle). Decode: every cached token is visible, no mask.
    Tensor mask =
        w.constant(part(name, "causal_mask"), {1, g * s.seqLen, total}, 0.0);
    scores = w.add(part(name, "mask"), scores, mask);
  }
  Tensor probs = softmax(w, part(name, "softmax"), scores, 2);
  Tensor ctx = w.matmul(part(name, "context"), probs, vf);
  Tensor ctx4 = w.reshape(part(name, "unfold"), ctx,
                          {s.batch, s.heads, s.seqLen, s.headDim});
  Tensor merged = w.transpose(part(name, "merge"), ctx4, {0, 2, 1, 3});
  return w.reshape(part(name, "merge_heads"), merged,
                   {1, s.batch * s.seqLen, s.hidden});
}

Error buildLlm(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  if (Error e = checkBatch(o))
    return e;
  if (Error e = checkRange("--layers", o.layers, 1, 1024))
    return e;
  if (Error e = checkRange("--hidden", o.hidden, 1, 1 << 16))
    return e;
  if (Error e = checkRange("--heads", o.heads, 1, 1 << 12))
    return e;
  if (Error e = checkRange("--kv-heads", o.kvHeads, 0, 1 << 12))
    return e;
  if (Error e = checkRange("--seq-len", o.seqLen, 1, 1 << 16))
    return e;
  if (Error e = checkRange("--context", o.context, 0, 1 << 20))
    return e;
  if (Error e = checkRange("--ffn", o.ffn, 0, 1 << 18))
    return e;
  if (Error e = checkRange("--vocab", o.vocab, 0, 1 << 22))
    return e;
  if (o.mode != "prefill" && o.mode != "decode")
    return optionError("--mode must be prefill or decode, not '" + o.mode +
                       "'");
  if (o.kvCache != "input" && o.kvCache != "resident")
    return optionError("--kv-cache must be input or resident, not '" +
                       o.kvCache + "'");
  bool decode = o.mode == "decode";
  if (decode && o.context < 1)
    return optionError("--mode=decode needs --context of at least 1");
  if (!decode && o.context != 0)
    return optionError("--context applies only to --mode=decode");
  int64_t kvHeads = o.kvHeads ? o.kvHeads : o.heads;
  if (o.hidden % o.heads != 0)
    return optionError("--hidden (" + Twine(o.hidden) +
                       ") must be a multiple of --heads (" + Twine(o.heads) +
                       ")");
  if (o.heads % kvHeads != 0)
    return optionError("--heads (" + Twine(o.heads) +
                       ") must be a multiple of --kv-heads (" + Twine(kvHeads) +
                       ")");
  // Llama's MLP width is 8/3 hidden rounded up to a multiple of 256.
  int64_t ffn = o.ffn ? o.ffn : (8 * o.hidden / 3 + 255) / 256 * 256;
  int64_t vocab = o.vocab ? o.vocab : 32000;
  LlmShape s{o.batch,
             o.seqLen,
             o.hidden,
             o.heads,
             kvHeads,
             o.hidden / o.heads,
             decode ? o.context : 0,
             decode};
  int64_t rows = s.batch * s.seqLen;
  int64_t kvWidth = kvHeads * s.headDim;
  notes.push_back(
      formatv("decoder-only LLM (RMSNorm, RoPE, GQA, SwiGLU, no biases), "
              "{0}: layers={1} hidden={2} heads={3} kv_heads={4} ffn={5} "
              "vocab={6} seq_len={7} context={8} batch={9} kv_cache={10}",
              o.mode, o.layers, o.hidden, o.heads, kvHeads, ffn, vocab,
              o.seqLen, s.context, o.batch, decode ? o.kvCache : "none")
          .str());
  int64_t layerWeights = o.hidden * (o.hidden + 2 * kvWidth) +
                         o.hidden * o.hidden + 3 * o.hidden * ffn +
                         2 * o.hidden;
  notes.push_back(
      formatv("weights: {0} per layer, {1} in all (f32: {2:F2} "
              "GB); KV cache: {3} bytes per layer",
              layerWeights,
              o.layers * layerWeights + 2 * vocab * o.hidden + o.hidden,
              4.0e-9 *
                  (o.layers * layerWeights + 2 * vocab * o.hidden + o.hidden),
              decode ? 2 * 4 * s.batch * kvWidth * (s.context + s.seqLen) : 0)
          .str());

  Tensor ids = w.beginFunction({o.batch, o.seqLen}, "i32");
  std::vector<Tensor> caches;
  if (decode)
    for (int64_t l = 0; l < o.layers; ++l)
      for (StringRef kind : {"k_cache", "v_cache"}) {
        std::string name = formatv("layer{0}.{1}", l, kind).str();
        Dims dims{s.batch, kvHeads, s.context, s.headDim};
        caches.push_back(o.kvCache == "input" ? w.addInput(name, dims)
                                              : w.constant(name, dims, 0.0));
      }

  Tensor flatIds = w.reshape("flatten_ids", ids, {1, rows});
  Tensor table =
      w.constant("embed_tokens.weight", {1, vocab, o.hidden}, kWeightValue);
  Tensor x = w.gather("embed_tokens", table, flatIds);

  for (int64_t l = 0; l < o.layers; ++l) {
    std::string pre = formatv("layer{0}", l).str();
    Tensor a = rmsNorm(w, pre + ".input_norm", x);
    Tensor qkv = w.linear(pre + ".attn.qkv", a, o.hidden + 2 * kvWidth,
                          /*hasBias=*/false);
    Tensor q =
        w.slice(pre + ".attn.split_q", qkv, {0, 0, 0}, {1, rows, o.hidden});
    Tensor k = w.slice(pre + ".attn.split_k", qkv, {0, 0, o.hidden},
                       {1, rows, kvWidth});
    Tensor v = w.slice(pre + ".attn.split_v", qkv, {0, 0, o.hidden + kvWidth},
                       {1, rows, kvWidth});
    q = rope(w, pre + ".attn.rope_q", q);
    k = rope(w, pre + ".attn.rope_k", k);
    const Tensor *kCache = decode ? &caches[2 * l] : nullptr;
    const Tensor *vCache = decode ? &caches[2 * l + 1] : nullptr;
    Tensor ctx = attention(w, pre + ".attn", q, k, v, kCache, vCache, s);
    Tensor y = w.linear(pre + ".attn.o_proj", ctx, o.hidden,
                        /*hasBias=*/false);
    x = w.add(pre + ".residual_1", x, y);

    Tensor m = rmsNorm(w, pre + ".post_attention_norm", x);
    Tensor gateUp = w.linear(pre + ".mlp.gate_up", m, 2 * ffn,
                             /*hasBias=*/false);
    Tensor gate =
        w.slice(pre + ".mlp.split_gate", gateUp, {0, 0, 0}, {1, rows, ffn});
    Tensor up =
        w.slice(pre + ".mlp.split_up", gateUp, {0, 0, ffn}, {1, rows, ffn});
    // SiLU(gate) = gate * sigmoid(gate).
    Tensor sig = w.unary("sigmoid", pre + ".mlp.silu.sigmoid", gate);
    Tensor act = w.mul(pre + ".mlp.silu.mul", gate, sig);
    Tensor h = w.mul(pre + ".mlp.gate_mul_up", act, up);
    Tensor down = w.linear(pre + ".mlp.down", h, o.hidden, /*hasBias=*/false);
    x = w.add(pre + ".residual_2", x, down);
  }
  x = rmsNorm(w, "norm", x);
  Tensor logits = w.linear("lm_head", x, vocab, /*hasBias=*/false);
  w.endFunction(w.reshape("logits", logits, {o.batch, o.seqLen, vocab}));
  return Error::success();
}

} // namespace diviml::modelgen
