//===- RandWire.cpp - Randomly wired networks (Xie et al. 2019) -----------===//
//
// The small computation regime of Table 1: a conv1/conv2 stem (both stride
// 2), then three randomly wired stages conv3 (N nodes, C channels), conv4
// (N, 2C) and conv5 (N, 4C), then ReLU, a 1x1 conv to 1280 with BN, global
// pooling and a 1000-way fc. (N/2 nodes belong to the regular regime's
// high-resolution conv2 stage, which this tool does not build.) Each stage's
// graph is drawn independently and made a DAG by orienting edges from lower to
// higher node index. A node sums its inputs with weights (sigmoid of a learned
// scalar, folded here into the constant), then applies ReLU -> 3x3 separable
// conv -> BN. Nodes without predecessors read the stage input with stride 2;
// the stage output is the unweighted mean of the nodes without successors.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"
#include "Models.h"

#include "diviml/Workloads/RandWire.h"

#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace diviml::modelgen {

namespace {
enum class GraphModel { WS, ER, BA };

struct RandWireConfig {
  GraphModel model;
  int64_t k, m;
  double p;
};
} // namespace

static ConvSpec conv(int64_t outChannels, int64_t kernel, int64_t stride,
                     int64_t pad) {
  ConvSpec s;
  s.outChannels = outChannels;
  s.kernelH = s.kernelW = kernel;
  s.strideH = s.strideW = stride;
  s.padH = s.padW = pad;
  return s;
}

static Expected<RandWireConfig> checkOptions(GraphModel model,
                                             const ModelOptions &o) {
  if (Error e = checkBatch(o))
    return std::move(e);
  if (Error e = checkRange("--nodes", o.nodes, 2, 10000))
    return std::move(e);
  if (Error e = checkRange("--channels", o.channels, 2, 1 << 14))
    return std::move(e);
  RandWireConfig c;
  c.model = model;
  c.k = o.k;
  c.m = o.m;
  c.p = o.p.value_or(model == GraphModel::WS ? 0.75 : 0.2);
  if (model != GraphModel::BA && !(c.p >= 0 && c.p <= 1))
    return optionError("--p must be a probability in [0, 1] (got " +
                       formatv("{0}", c.p) + ")");
  if (model == GraphModel::WS && (c.k < 2 || c.k % 2 != 0 || c.k >= o.nodes))
    return optionError("--k must be even, at least 2 and less than --nodes (" +
                       Twine(o.nodes) + "); got " + Twine(c.k));
  if (model == GraphModel::BA && (c.m < 1 || c.m >= o.nodes))
    return optionError("--m must be at least 1 and less than --nodes (" +
                       Twine(o.nodes) + "); got " + Twine(c.m));
  return c;
}

/// The stage's random graph as a DAG: predecessors and successors per node,
/// every edge oriented from the lower to the higher index. The graph comes
/// from the core's generator (the one the benches use); stage s of seed S
/// draws with seed 3 * S + s so that stages are independent.
struct Dag {
  std::vector<std::vector<int>> preds, succs;
  int size() const { return preds.size(); }
};

static Dag drawGraph(const RandWireConfig &c, int nodes, uint64_t seed) {
  RandWireOptions options;
  options.kind = c.model == GraphModel::WS   ? RandomGraphKind::WattsStrogatz
                 : c.model == GraphModel::ER ? RandomGraphKind::ErdosRenyi
                                             : RandomGraphKind::BarabasiAlbert;
  options.nodes = nodes;
  options.seed = seed;
  options.degree = c.model == GraphModel::WS   ? c.k
                   : c.model == GraphModel::BA ? c.m
                                               : 0;
  options.probability = c.p;
  Dag dag;
  dag.preds.resize(nodes);
  dag.succs.resize(nodes);
  // randomGraphEdges() lists pairs (a, b) with a < b in sorted order, so
  // every adjacency list comes out sorted.
  for (auto [a, b] : randomGraphEdges(options)) {
    dag.succs[a].push_back(b);
    dag.preds[b].push_back(a);
  }
  return dag;
}

/// Sum of `inputs`, each scaled by its own aggregation weight (none when
/// there is a single input: a lone weight is folded into the next conv).
static Tensor weightedSum(TosaWriter &w, const std::string &name,
                          ArrayRef<Tensor> inputs) {
  if (inputs.size() == 1)
    return inputs.front();
  Tensor acc;
  for (auto [i, t] : enumerate(inputs)) {
    // sigmoid(0) = 0.5: the value of an untrained aggregation weight.
    Tensor weight = w.scalar(formatv("{0}.w{1}", name, i).str(), 4, 0.5);
    Tensor scaled = w.mul(formatv("{0}.mul{1}", name, i).str(), t, weight);
    acc = i == 0 ? scaled
                 : w.add(formatv("{0}.add{1}", name, i).str(), acc, scaled);
  }
  return acc;
}

static Tensor randomStage(TosaWriter &w, const std::string &stage,
                          const Tensor &x, const Dag &dag,
                          int64_t outChannels) {
  std::vector<Tensor> outputs(dag.size());
  for (int node = 0; node < dag.size(); ++node) {
    std::string pre = formatv("{0}.node{1}", stage, node).str();
    std::vector<Tensor> inputs;
    for (int p : dag.preds[node])
      inputs.push_back(outputs[p]);
    bool isInput = inputs.empty();
    Tensor y = isInput ? x : weightedSum(w, pre + ".agg", inputs);
    y = w.relu(pre + ".relu", y);
    y = w.depthwiseConv2d(pre + ".sepconv.dw", y, 3, isInput ? 2 : 1, 1);
    y = w.conv2d(pre + ".sepconv.pw", y, conv(outChannels, 1, 1, 0));
    outputs[node] = batchNorm(w, pre + ".bn", y);
  }
  std::vector<Tensor> sinks;
  for (int node = 0; node < dag.size(); ++node)
    if (dag.succs[node].empty())
      sinks.push_back(outputs[node]);
  if (sinks.size() == 1)
    return sinks.front();
  Tensor sum = sinks.front();
  for (size_t i = 1; i < sinks.size(); ++i)
    sum = w.add(formatv("{0}.output.add{1}", stage, i).str(), sum, sinks[i]);
  Tensor inv = w.scalar(stage + ".output.inv_count", 4, 1.0 / sinks.size());
  return w.mul(stage + ".output.mean", sum, inv);
}

static Error buildRandWire(GraphModel model, TosaWriter &w,
                           const ModelOptions &o, Notes &notes) {
  Expected<RandWireConfig> config = checkOptions(model, o);
  if (!config)
    return config.takeError();
  const RandWireConfig &c = *config;
  const char *generator = model == GraphModel::WS   ? "WS"
                          : model == GraphModel::ER ? "ER"
                                                    : "BA";
  std::string params = model == GraphModel::WS
                           ? formatv("k={0} p={1}", c.k, c.p).str()
                       : model == GraphModel::ER ? formatv("p={0}", c.p).str()
                                                 : formatv("m={0}", c.m).str();
  notes.push_back(formatv("RandWire-{0} small regime (Xie et al. 2019, Table "
                          "1): nodes={1} channels={2} seed={3} {4}",
                          generator, o.nodes, o.channels, o.seed, params)
                      .str());

  Tensor x = w.beginFunction({o.batch, 224, 224, 3});
  x = w.conv2d("conv1.conv", x, conv(o.channels / 2, 3, 2, 1));
  x = batchNorm(w, "conv1.bn", x);
  x = w.relu("conv2.relu", x);
  x = w.conv2d("conv2.conv", x, conv(o.channels, 3, 2, 1));
  x = batchNorm(w, "conv2.bn", x);

  const char *stageNames[] = {"conv3", "conv4", "conv5"};
  for (int s = 0; s < 3; ++s) {
    Dag dag = drawGraph(c, o.nodes, 3 * o.seed + s);
    int edges = 0, inputs = 0, outputs = 0;
    for (int n = 0; n < dag.size(); ++n) {
      edges += dag.succs[n].size();
      inputs += dag.preds[n].empty();
      outputs += dag.succs[n].empty();
    }
    notes.push_back(formatv("stage {0}: {1} nodes, {2} edges, {3} input "
                            "nodes, {4} output nodes, {5} channels",
                            stageNames[s], dag.size(), edges, inputs, outputs,
                            o.channels << s)
                        .str());
    x = randomStage(w, stageNames[s], x, dag, o.channels << s);
  }
  x = w.relu("classifier.relu", x);
  x = w.conv2d("classifier.conv", x, conv(1280, 1, 1, 0));
  x = batchNorm(w, "classifier.bn", x);
  w.endFunction(classifierHead(w, x, 1000));
  return Error::success();
}

Error buildRandWireWS(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  return buildRandWire(GraphModel::WS, w, o, notes);
}
Error buildRandWireER(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  return buildRandWire(GraphModel::ER, w, o, notes);
}
Error buildRandWireBA(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  return buildRandWire(GraphModel::BA, w, o, notes);
}

} // namespace diviml::modelgen
