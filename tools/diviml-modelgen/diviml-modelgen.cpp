//===- diviml-modelgen.cpp - Write TOSA MLIR for real network shapes ------===//
//
// Usage: diviml-modelgen MODEL [options] [-o FILE]
//
// Writes one module with `func.func @main` in the TOSA dialect of MLIR 22,
// every op named by a location, weights as splat constants. The header
// comment records the model, its options and the generator's own count of
// multiply-accumulates so that FLOP counters can be cross-checked.
//
//===----------------------------------------------------------------------===//

#include "Models.h"
#include "TosaWriter.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using namespace llvm;
using namespace diviml::modelgen;

static cl::OptionCategory category("diviml-modelgen options");

static cl::opt<std::string> modelName(cl::Positional, cl::Required,
                                      cl::desc("<model>"), cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
static cl::opt<int64_t> batch("batch", cl::desc("Batch size (all models)"),
                              cl::init(1), cl::cat(category));
static cl::opt<int64_t> layers("layers", cl::desc("Transformer layers"),
                               cl::init(12), cl::cat(category));
static cl::opt<int64_t> hidden("hidden", cl::desc("Transformer hidden size"),
                               cl::init(768), cl::cat(category));
static cl::opt<int64_t> heads("heads", cl::desc("Attention heads"),
                              cl::init(12), cl::cat(category));
static cl::opt<int64_t> seqLen("seq-len", cl::desc("Sequence length"),
                               cl::init(128), cl::cat(category));
static cl::opt<int64_t> ffn("ffn",
                            cl::desc("Feed-forward width (default 4*hidden)"),
                            cl::init(0), cl::cat(category));
static cl::opt<int64_t>
    vocab("vocab", cl::desc("Vocabulary (default BERT 30522, GPT-2 50257)"),
          cl::init(0), cl::cat(category));
static cl::opt<int64_t>
    kvHeads("kv-heads", cl::desc("LLM key/value heads (default: --heads)"),
            cl::init(0), cl::cat(category));
static cl::opt<std::string> mode("mode",
                                 cl::desc("LLM pass: prefill or decode"),
                                 cl::init("prefill"), cl::cat(category));
static cl::opt<int64_t> context("context",
                                cl::desc("LLM decode: tokens in the KV cache"),
                                cl::init(0), cl::cat(category));
static cl::opt<std::string>
    kvCache("kv-cache",
            cl::desc("LLM decode: the KV cache as function inputs (input) or "
                     "as tensors resident with their layer (resident)"),
            cl::init("input"), cl::cat(category));
static cl::opt<std::string>
    sizePreset("size",
               cl::desc("LLM shape preset: 7b, 13b or 70b (Llama 2); explicit "
                        "shape options override it"),
               cl::cat(category));
static cl::opt<int64_t> nodes("nodes", cl::desc("RandWire nodes per stage (N)"),
                              cl::init(32), cl::cat(category));
static cl::opt<int64_t> channels("channels", cl::desc("RandWire channels (C)"),
                                 cl::init(78), cl::cat(category));
static cl::opt<uint64_t> seed("seed", cl::desc("RandWire graph seed"),
                              cl::init(1), cl::cat(category));
static cl::opt<int64_t> kNeighbours("k", cl::desc("WS: ring neighbours K"),
                                    cl::init(4), cl::cat(category));
static cl::opt<double>
    probability("p",
                cl::desc("WS rewiring / ER edge probability (default 0.75 "
                         "for WS, 0.2 for ER)"),
                cl::cat(category));
static cl::opt<int64_t> mEdges("m", cl::desc("BA: edges per new node M"),
                               cl::init(5), cl::cat(category));

namespace {
using Builder = Error (*)(TosaWriter &, const ModelOptions &, Notes &);

struct ModelEntry {
  const char *name;
  const char *moduleName;
  Builder build;
  std::vector<cl::Option *> options; // Besides --batch and -o.
};
} // namespace

static std::vector<ModelEntry> models() {
  std::vector<cl::Option *> transformer = {&layers, &hidden, &heads,
                                           &seqLen, &ffn,    &vocab};
  std::vector<cl::Option *> randwire = {&nodes, &channels, &seed};
  std::vector<cl::Option *> llm = {&sizePreset, &layers,  &hidden, &heads,
                                   &kvHeads,    &ffn,     &vocab,  &seqLen,
                                   &mode,       &context, &kvCache};
  auto with = [](std::vector<cl::Option *> base,
                 std::initializer_list<cl::Option *> extra) {
    base.insert(base.end(), extra);
    return base;
  };
  return {
      {"resnet50", "resnet50", buildResNet50, {}},
      {"vgg16", "vgg16", buildVgg16, {}},
      {"inception-v3", "inception_v3", buildInceptionV3, {}},
      {"googlenet", "googlenet", buildGoogLeNet, {}},
      {"mobilenet-v2", "mobilenet_v2", buildMobileNetV2, {}},
      {"bert-base", "bert_base", buildBertEncoder, transformer},
      {"gpt2", "gpt2", buildGpt2Decoder, transformer},
      {"llm", "llm", buildLlm, llm},
      {"randwire-ws", "randwire_ws", buildRandWireWS,
       with(randwire, {&kNeighbours, &probability})},
      {"randwire-er", "randwire_er", buildRandWireER,
       with(randwire, {&probability})},
      {"randwire-ba", "randwire_ba", buildRandWireBA,
       with(randwire, {&mEdges})},
  };
}

/// Sets the shape options --size names that the command line left unset,
/// so the header's option line shows the shape written. Llama 2 (Touvron et
/// al. 2023, table 1 and the released config.json files); docs/zoo.md.
static std::optional<std::string> applySizePreset() {
  struct Shape {
    const char *name;
    int64_t layers, hidden, heads, kvHeads, ffn, vocab;
  };
  static const Shape shapes[] = {{"7b", 32, 4096, 32, 32, 11008, 32000},
                                 {"13b", 40, 5120, 40, 40, 13824, 32000},
                                 {"70b", 80, 8192, 64, 8, 28672, 32000}};
  const Shape *shape =
      find_if(shapes, [](const Shape &s) { return sizePreset == s.name; });
  if (shape == std::end(shapes))
    return "--size must be 7b, 13b or 70b, not '" + sizePreset + "'";
  auto set = [](cl::opt<int64_t> &opt, int64_t value) {
    if (!opt.getNumOccurrences())
      opt.setValue(value);
  };
  set(layers, shape->layers);
  set(hidden, shape->hidden);
  set(heads, shape->heads);
  set(kvHeads, shape->kvHeads);
  set(ffn, shape->ffn);
  set(vocab, shape->vocab);
  return std::nullopt;
}

static int fail(const Twine &message) {
  WithColor::error(errs(), "diviml-modelgen") << message << "\n";
  return 1;
}

/// "--seq-len=128" with the value as the user sees it.
static std::string describe(cl::Option *opt) {
  // Every option here is an int64_t opt except --seed, --p and the strings.
  std::string value;
  if (opt == &mode || opt == &kvCache || opt == &sizePreset) {
    value = static_cast<cl::opt<std::string> *>(opt)->getValue();
    if (value.empty())
      value = "none";
  } else if (opt == &seed)
    value = std::to_string(seed.getValue());
  else if (opt == &probability)
    value = formatv("{0}", probability.getValue()).str();
  else
    value = std::to_string(static_cast<cl::opt<int64_t> *>(opt)->getValue());
  bool isDefaultSentinel = (opt == &ffn || opt == &vocab ||
                            opt == &probability || opt == &kvHeads) &&
                           opt->getNumOccurrences() == 0 &&
                           (value == "0" || opt == &probability);
  return "--" + opt->ArgStr.str() + "=" +
         (isDefaultSentinel ? std::string("model-default") : value);
}

static std::string formatGiga(uint64_t count) {
  return formatv("{0:F3} G", count / 1.0e9).str();
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  std::vector<ModelEntry> entries = models();
  std::string overview = "diviml-modelgen: TOSA MLIR for real network "
                         "shapes\n\nModels:";
  for (const ModelEntry &e : entries)
    overview += std::string(" ") + e.name;
  cl::ParseCommandLineOptions(argc, argv, overview);

  auto entry =
      find_if(entries, [](const ModelEntry &e) { return modelName == e.name; });
  if (entry == entries.end()) {
    std::string known;
    for (const ModelEntry &e : entries)
      known += std::string(known.empty() ? "" : ", ") + e.name;
    return fail("unknown model '" + modelName + "' (known models: " + known +
                ")");
  }

  // An option the model ignores is almost always a mistake: reject it.
  std::vector<cl::Option *> all = {
      &layers,  &hidden,   &heads,   &seqLen,      &ffn,         &vocab,
      &nodes,   &channels, &seed,    &kNeighbours, &probability, &mEdges,
      &kvHeads, &mode,     &context, &kvCache,     &sizePreset};
  for (cl::Option *opt : all) {
    if (opt->getNumOccurrences() == 0 || is_contained(entry->options, opt))
      continue;
    std::string accepted = "--batch";
    for (cl::Option *o : entry->options)
      accepted += ", --" + o->ArgStr.str();
    return fail("option --" + opt->ArgStr + " does not apply to model '" +
                entry->name + "' (it accepts " + accepted + ")");
  }

  if (sizePreset.getNumOccurrences())
    if (std::optional<std::string> message = applySizePreset())
      return fail(*message);

  ModelOptions options;
  options.batch = batch;
  options.layers = layers;
  options.hidden = hidden;
  options.heads = heads;
  options.seqLen = seqLen;
  options.ffn = ffn;
  options.vocab = vocab;
  options.kvHeads = kvHeads;
  options.context = context;
  options.mode = mode;
  options.kvCache = kvCache;
  options.nodes = nodes;
  options.channels = channels;
  options.seed = seed;
  options.k = kNeighbours;
  if (probability.getNumOccurrences())
    options.p = probability;
  options.m = mEdges;

  TosaWriter writer;
  Notes notes;
  if (Error e = entry->build(writer, options, notes))
    return fail(toString(std::move(e)));

  std::vector<std::string> header;
  header.push_back("Generated by diviml-modelgen: weights are splat "
                   "placeholders, shapes are the real ones.");
  header.push_back(std::string("model: ") + entry->name);
  std::string optionText = describe(&batch);
  for (cl::Option *opt : entry->options)
    optionText += " " + describe(opt);
  header.push_back("options: " + optionText);
  header.push_back("input: " + tensorType(writer.functionInput()) +
                   ", output: " + tensorType(writer.functionResult()));
  for (std::string &note : notes)
    header.push_back(std::move(note));
  header.push_back(formatv("macs: {0} ({1}; counted: conv2d {2}, "
                           "depthwise_conv2d {3}, matmul {4})",
                           writer.totalMacs(), formatGiga(writer.totalMacs()),
                           writer.convMacs(), writer.depthwiseMacs(),
                           writer.matmulMacs())
                       .str());
  header.push_back(formatv("flops: {0} (2 per MAC; elementwise ops, pooling "
                           "and reductions not counted)",
                           2 * writer.totalMacs())
                       .str());
  std::vector<std::pair<std::string, unsigned>> counts;
  for (const auto &kv : writer.opCounts())
    counts.emplace_back(kv.getKey().str(), kv.getValue());
  std::sort(counts.begin(), counts.end());
  std::string countText;
  for (auto &[op, n] : counts)
    countText += formatv("{0}{1}={2}", countText.empty() ? "" : " ", op, n);
  header.push_back("ops: " + countText);

  std::error_code ec;
  ToolOutputFile out(outputFile, ec, sys::fs::OF_Text);
  if (ec)
    return fail("cannot open '" + outputFile + "': " + ec.message());
  writer.print(out.os(), entry->moduleName, header);
  out.keep();
  return 0;
}
