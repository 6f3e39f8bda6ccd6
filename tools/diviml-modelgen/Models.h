//===- Models.h - Network descriptions of diviml-modelgen -------*- C++ -*-===//
//
// Each model writes its whole graph into a TosaWriter. Options are checked
// by the model before anything is written, so a bad option is reported as
// an llvm::Error and never yields half a module.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TOOLS_MODELGEN_MODELS_H
#define DIVIML_TOOLS_MODELGEN_MODELS_H

#include "TosaWriter.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diviml::modelgen {

/// Every option of the tool; each model reads only the ones it documents.
/// A value of 0 (or negative for `p`) means "the model's own default".
struct ModelOptions {
  int64_t batch = 1;
  // Transformers.
  int64_t layers = 12, hidden = 768, heads = 12, seqLen = 128;
  int64_t ffn = 0;   // 0: 4 * hidden.
  int64_t vocab = 0; // 0: BERT 30522, GPT-2 50257, LLM 32000.
  // Decoder-only LLMs.
  int64_t kvHeads = 0; // 0: as many as heads.
  int64_t context = 0; // Cached tokens in decode mode.
  std::string mode = "prefill";
  std::string kvCache = "input";
  // Randomly wired networks.
  int64_t nodes = 32, channels = 78;
  uint64_t seed = 1;
  int64_t k = 4;
  std::optional<double> p; // Unset: WS 0.75, ER 0.2.
  int64_t m = 5;
};

/// Lines the model adds to the header comment (graph statistics etc.).
using Notes = std::vector<std::string>;

llvm::Error buildResNet50(TosaWriter &w, const ModelOptions &o, Notes &notes);
llvm::Error buildVgg16(TosaWriter &w, const ModelOptions &o, Notes &notes);
llvm::Error buildInceptionV3(TosaWriter &w, const ModelOptions &o,
                             Notes &notes);
llvm::Error buildGoogLeNet(TosaWriter &w, const ModelOptions &o, Notes &notes);
llvm::Error buildMobileNetV2(TosaWriter &w, const ModelOptions &o,
                             Notes &notes);
llvm::Error buildBertEncoder(TosaWriter &w, const ModelOptions &o,
                             Notes &notes);
llvm::Error buildGpt2Decoder(TosaWriter &w, const ModelOptions &o,
                             Notes &notes);
llvm::Error buildLlm(TosaWriter &w, const ModelOptions &o, Notes &notes);
llvm::Error buildRandWireWS(TosaWriter &w, const ModelOptions &o, Notes &notes);
llvm::Error buildRandWireER(TosaWriter &w, const ModelOptions &o, Notes &notes);
llvm::Error buildRandWireBA(TosaWriter &w, const ModelOptions &o, Notes &notes);

/// An error for a bad option value; main prints it after "error: ".
llvm::Error optionError(const llvm::Twine &message);
/// Error unless lo <= value <= hi, naming the flag.
llvm::Error checkRange(llvm::StringRef flag, int64_t value, int64_t lo,
                       int64_t hi);
/// Shared check: batch must be positive.
llvm::Error checkBatch(const ModelOptions &o);

} // namespace diviml::modelgen

#endif // DIVIML_TOOLS_MODELGEN_MODELS_H
