//===- Transformers.cpp - BERT encoder and GPT-2 decoder ------------------===//
//
// Both take token ids [batch, seq] (i32) and keep the hidden state as
// [1, batch*seq, hidden] so that every projection is one tosa.matmul against
// a [1, in, out] weight. Names follow the Hugging Face module paths.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"
#include "Models.h"

#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace diviml::modelgen {

static Error checkTransformerOptions(const ModelOptions &o) {
  if (Error e = checkBatch(o))
    return e;
  // Upper bounds keep element and MAC counts far from int64 overflow.
  if (Error e = checkRange("--layers", o.layers, 1, 1024))
    return e;
  if (Error e = checkRange("--hidden", o.hidden, 1, 1 << 16))
    return e;
  if (Error e = checkRange("--heads", o.heads, 1, 1 << 16))
    return e;
  if (Error e = checkRange("--seq-len", o.seqLen, 1, 1 << 16))
    return e;
  if (Error e = checkRange("--ffn", o.ffn, 0, 1 << 18))
    return e;
  if (Error e = checkRange("--vocab", o.vocab, 0, 1 << 22))
    return e;
  if (o.hidden % o.heads != 0)
    return optionError("--hidden (" + Twine(o.hidden) +
                       ") must be a multiple of --heads (" + Twine(o.heads) +
                       ")");
  return Error::success();
}

static std::string sizeNote(const ModelOptions &o, int64_t ffn, int64_t vocab) {
  return formatv("layers={0} hidden={1} heads={2} ffn={3} seq_len={4} "
                 "vocab={5} batch={6}",
                 o.layers, o.hidden, o.heads, ffn, o.seqLen, vocab, o.batch)
      .str();
}

/// Token ids [B,S] -> embeddings [B,S,H] via tosa.gather on the flattened
/// ids, plus the learned position embeddings of the first S positions.
static Tensor embed(TosaWriter &w, const Tensor &ids, StringRef wordName,
                    StringRef posName, int64_t vocab, int64_t hidden) {
  int64_t batch = ids.dim(0), seqLen = ids.dim(1);
  Tensor flatIds = w.reshape("flatten_ids", ids, {1, batch * seqLen});
  Tensor table = w.constant((wordName + ".weight").str(), {1, vocab, hidden},
                            kWeightValue);
  Tensor tokens = w.gather(wordName, table, flatIds);
  tokens = w.reshape("unflatten_embeddings", tokens, {batch, seqLen, hidden});
  Tensor positions = w.constant((posName + ".weight").str(),
                                {1, seqLen, hidden}, kWeightValue);
  return w.add(posName, tokens, positions);
}

Error buildBertEncoder(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  if (Error e = checkTransformerOptions(o))
    return e;
  int64_t ffn = o.ffn ? o.ffn : 4 * o.hidden;
  int64_t vocab = o.vocab ? o.vocab : 30522;
  int64_t rows = o.batch * o.seqLen;
  notes.push_back("BERT encoder (post-LN, exact erf GELU), no pooler: " +
                  sizeNote(o, ffn, vocab));

  Tensor ids = w.beginFunction({o.batch, o.seqLen}, "i32");
  Tensor x = embed(w, ids, "embeddings.word_embeddings",
                   "embeddings.position_embeddings", vocab, o.hidden);
  // Every token has type 0, so the token-type lookup is one broadcast row.
  Tensor tokenType = w.constant("embeddings.token_type_embeddings.weight",
                                {1, 1, o.hidden}, kWeightValue);
  x = w.add("embeddings.token_type_embeddings", x, tokenType);
  x = w.reshape("embeddings.flatten", x, {1, rows, o.hidden});
  x = layerNorm(w, "embeddings.LayerNorm", x);

  for (int64_t l = 0; l < o.layers; ++l) {
    std::string pre = formatv("encoder.layer.{0}", l).str();
    std::string att = pre + ".attention";
    Tensor q = w.linear(att + ".self.query", x, o.hidden);
    Tensor k = w.linear(att + ".self.key", x, o.hidden);
    Tensor v = w.linear(att + ".self.value", x, o.hidden);
    Tensor ctx = multiHeadAttention(w, att + ".self", q, k, v, o.batch,
                                    o.seqLen, o.heads, /*causal=*/false);
    Tensor y = w.linear(att + ".output.dense", ctx, o.hidden);
    y = w.add(att + ".output.residual", y, x);
    x = layerNorm(w, att + ".output.LayerNorm", y);

    Tensor h = w.linear(pre + ".intermediate.dense", x, ffn);
    h = geluErf(w, pre + ".intermediate.gelu", h);
    y = w.linear(pre + ".output.dense", h, o.hidden);
    y = w.add(pre + ".output.residual", y, x);
    x = layerNorm(w, pre + ".output.LayerNorm", y);
  }
  w.endFunction(
      w.reshape("last_hidden_state", x, {o.batch, o.seqLen, o.hidden}));
  return Error::success();
}

Error buildGpt2Decoder(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  if (Error e = checkTransformerOptions(o))
    return e;
  int64_t ffn = o.ffn ? o.ffn : 4 * o.hidden;
  int64_t vocab = o.vocab ? o.vocab : 50257;
  int64_t rows = o.batch * o.seqLen;
  notes.push_back("GPT-2 decoder (pre-LN, tanh GELU, causal mask, LM head "
                  "tied to wte): " +
                  sizeNote(o, ffn, vocab));

  Tensor ids = w.beginFunction({o.batch, o.seqLen}, "i32");
  Tensor x = embed(w, ids, "wte", "wpe", vocab, o.hidden);
  x = w.reshape("flatten_embeddings", x, {1, rows, o.hidden});

  for (int64_t l = 0; l < o.layers; ++l) {
    std::string pre = formatv("h.{0}", l).str();
    Tensor a = layerNorm(w, pre + ".ln_1", x);
    // GPT-2 projects q, k and v with one [H, 3H] matmul, then splits.
    Tensor qkv = w.linear(pre + ".attn.c_attn", a, 3 * o.hidden);
    Tensor q =
        w.slice(pre + ".attn.split_q", qkv, {0, 0, 0}, {1, rows, o.hidden});
    Tensor k = w.slice(pre + ".attn.split_k", qkv, {0, 0, o.hidden},
                       {1, rows, o.hidden});
    Tensor v = w.slice(pre + ".attn.split_v", qkv, {0, 0, 2 * o.hidden},
                       {1, rows, o.hidden});
    Tensor ctx = multiHeadAttention(w, pre + ".attn", q, k, v, o.batch,
                                    o.seqLen, o.heads, /*causal=*/true);
    Tensor y = w.linear(pre + ".attn.c_proj", ctx, o.hidden);
    x = w.add(pre + ".residual_1", x, y);

    Tensor m = layerNorm(w, pre + ".ln_2", x);
    m = w.linear(pre + ".mlp.c_fc", m, ffn);
    m = geluTanh(w, pre + ".mlp.gelu", m);
    m = w.linear(pre + ".mlp.c_proj", m, o.hidden);
    x = w.add(pre + ".residual_2", x, m);
  }
  x = layerNorm(w, "ln_f", x);
  Tensor logits = w.linear("lm_head", x, vocab, /*hasBias=*/false);
  w.endFunction(w.reshape("logits", logits, {o.batch, o.seqLen, vocab}));
  return Error::success();
}

} // namespace diviml::modelgen
