//===- DotGraph.cpp - The placed op graph as Graphviz DOT -----------------===//

#include "DotGraph.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace diviml;

/// Fill colours by device index (ColorBrewer Set3, readable with black text).
static const char *deviceColour(unsigned device) {
  static const char *const colours[] = {
      "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
      "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f"};
  return colours[device % std::size(colours)];
}

/// A DOT string literal.
static std::string quoted(llvm::StringRef text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n"; // a centred line break
      continue;
    }
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

static std::string humanBytes(double bytes) {
  if (bytes >= 1e6)
    return llvm::formatv("{0:f2} MB", bytes / 1e6);
  if (bytes >= 1e3)
    return llvm::formatv("{0:f1} kB", bytes / 1e3);
  return llvm::formatv("{0:f0} B", bytes);
}

static std::string humanSeconds(double seconds) {
  if (seconds >= 1e-3)
    return llvm::formatv("{0:f3} ms", seconds * 1e3);
  return llvm::formatv("{0:f1} us", seconds * 1e6);
}

void diviml::writeDot(const PartitionReport &report, llvm::raw_ostream &os) {
  const Platform &platform = report.platform;
  os << "digraph diviml {\n"
     << "  rankdir=TB;\n  compound=true;\n"
     << "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
        "fontsize=10];\n"
     << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  // A legend: one box per device.
  os << "  subgraph cluster_legend {\n    label=\"devices\";\n";
  for (unsigned d = 0, e = platform.numDevices(); d != e; ++d)
    os << "    legend_" << d << " [label="
       << quoted(platform.devices[d].name + " (" +
                 stringifyDeviceKind(platform.devices[d].kind).str() + ")")
       << ", fillcolor=" << quoted(deviceColour(d)) << "];\n";
  os << "  }\n";
  for (auto [f, fn] : llvm::enumerate(report.functions)) {
    const Problem &problem = fn.problem;
    const std::vector<unsigned> &device = fn.solution.device;
    auto id = [&, f = f](unsigned v) {
      return "f" + std::to_string(f) + "_n" + std::to_string(v);
    };
    for (unsigned d = 0, e = platform.numDevices(); d != e; ++d) {
      if (!llvm::is_contained(device, d))
        continue;
      os << "  subgraph cluster_f" << f << "_d" << d << " {\n"
         << "    label="
         << quoted("@" + fn.name + " on " + platform.devices[d].name)
         << ";\n    style=dashed;\n";
      for (unsigned v = 0, n = problem.numNodes(); v != n; ++v) {
        if (device[v] != d)
          continue;
        const Node &node = problem.nodes[v];
        if (node.external) {
          // A function argument or its results: where data enters and leaves.
          os << "    " << id(v) << " [label=" << quoted(node.name)
             << ", shape=ellipse, fillcolor=white];\n";
          continue;
        }
        os << "    " << id(v) << " [label="
           << quoted(node.name + "\n" + humanSeconds(node.time[d]))
           << ", fillcolor=" << quoted(deviceColour(d)) << "];\n";
      }
      os << "  }\n";
    }
    for (const Edge &edge : problem.edges) {
      unsigned from = device[edge.src], to = device[edge.dst];
      os << "  " << id(edge.src) << " -> " << id(edge.dst);
      if (from != to) {
        double seconds = platform.transferTime(from, to, edge.bytes);
        os << " [color=\"#d62728\", penwidth=2, label="
           << quoted(humanBytes(edge.bytes) + "\n" + humanSeconds(seconds))
           << "]";
      }
      os << ";\n";
    }
  }
  os << "}\n";
}
