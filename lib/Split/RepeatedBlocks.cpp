//===- RepeatedBlocks.cpp - Identical layers by name and structure -------===//
//
// Names only propose the blocks; every claim a plan relies on (costs,
// memory, wiring) is checked, so a model whose layers differ in any way
// gets std::nullopt and the ordinary search.
//
//===----------------------------------------------------------------------===//

#include "diviml/Split/Symmetry.h"

#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

using namespace diviml;

namespace {

/// Splits "main/layer12.attn.qkv" into 12 and "main/layer*.attn.qkv".
std::optional<std::pair<unsigned, std::string>>
parseLayerName(llvm::StringRef name) {
  for (size_t at = name.find("layer"); at != llvm::StringRef::npos;
       at = name.find("layer", at + 1)) {
    if (at > 0 && std::isalnum(static_cast<unsigned char>(name[at - 1])))
      continue;
    size_t digits = at + 5, end = digits;
    while (end < name.size() &&
           std::isdigit(static_cast<unsigned char>(name[end])))
      ++end;
    if (end == digits || end >= name.size() || name[end] != '.')
      continue;
    unsigned index = 0;
    if (name.substr(digits, end - digits).getAsInteger(10, index))
      continue;
    return std::make_pair(
        index, (name.substr(0, at) + "layer*" + name.substr(end)).str());
  }
  return std::nullopt;
}

using EdgeKey = std::tuple<unsigned, unsigned, double>;

} // namespace

std::optional<RepeatedBlocks>
diviml::findRepeatedBlocks(const Problem &problem) {
  unsigned n = problem.numNodes();
  constexpr unsigned kNone = ~0u;
  std::map<unsigned, llvm::StringMap<unsigned>> byIndex;
  for (unsigned v = 0; v != n; ++v)
    if (auto parsed = parseLayerName(problem.nodes[v].name))
      if (!byIndex[parsed->first].try_emplace(parsed->second, v).second)
        return std::nullopt; // Two ops of one block under one masked name.
  if (byIndex.size() < 2 || byIndex.begin()->first != 0 ||
      byIndex.rbegin()->first != byIndex.size() - 1)
    return std::nullopt;

  // Position p of every block: block 0's p-th masked name in sorted order.
  std::vector<std::string> keys;
  for (const auto &entry : byIndex.at(0))
    keys.push_back(entry.getKey().str());
  std::sort(keys.begin(), keys.end());
  RepeatedBlocks result;
  std::vector<unsigned> blockOf(n, kNone), position(n, kNone);
  for (auto &[index, names] : byIndex) {
    if (names.size() != keys.size())
      return std::nullopt;
    std::vector<unsigned> block;
    for (const std::string &key : keys) {
      auto it = names.find(key);
      if (it == names.end())
        return std::nullopt;
      unsigned v = it->second;
      blockOf[v] = index;
      position[v] = block.size();
      block.push_back(v);
    }
    result.blocks.push_back(std::move(block));
  }
  unsigned numBlocks = result.blocks.size();
  // Same costs: every time, memory and flag of position p equal block 0's.
  for (unsigned b = 1; b != numBlocks; ++b)
    for (unsigned p = 0; p != keys.size(); ++p) {
      const Node &x = problem.nodes[result.blocks[0][p]];
      const Node &y = problem.nodes[result.blocks[b][p]];
      if (x.time != y.time || x.memory != y.memory ||
          x.dispatch != y.dispatch || x.external != y.external ||
          x.colocationGroup >= 0 || y.colocationGroup >= 0)
        return std::nullopt;
    }

  // Same wiring. Per block: its inner edges, the edges to the next block,
  // the edges from externals that feed it alone, and to externals that
  // only it feeds; as (position, position, bytes) multisets.
  std::vector<std::vector<EdgeKey>> inner(numBlocks), next(numBlocks),
      fromExternal(numBlocks), toExternal(numBlocks);
  auto onlyFeeds = [&](unsigned u, unsigned b) {
    return llvm::all_of(problem.successors(u),
                        [&](unsigned w) { return blockOf[w] == b; });
  };
  auto onlyFedBy = [&](unsigned w, unsigned b) {
    return llvm::all_of(problem.predecessors(w),
                        [&](unsigned u) { return blockOf[u] == b; });
  };
  for (const Edge &e : problem.edges) {
    unsigned bu = blockOf[e.src], bw = blockOf[e.dst];
    if (bu != kNone && bw == bu) {
      inner[bu].push_back({position[e.src], position[e.dst], e.bytes});
    } else if (bu != kNone && bw != kNone) {
      if (bw != bu + 1)
        return std::nullopt;
      next[bu].push_back({position[e.src], position[e.dst], e.bytes});
    } else if (bw != kNone) {
      if (problem.nodes[e.src].external && onlyFeeds(e.src, bw))
        fromExternal[bw].push_back({0, position[e.dst], e.bytes});
      else if (bw != 0)
        return std::nullopt;
    } else if (bu != kNone) {
      if (problem.nodes[e.dst].external && onlyFedBy(e.dst, bu))
        toExternal[bu].push_back({position[e.src], 0, e.bytes});
      else if (bu != numBlocks - 1)
        return std::nullopt;
    }
  }
  for (auto *lists : {&inner, &next, &fromExternal, &toExternal}) {
    for (std::vector<EdgeKey> &list : *lists)
      std::sort(list.begin(), list.end());
    // The last block has no next block: compare the others only.
    unsigned last = lists == &next ? numBlocks - 1 : numBlocks;
    for (unsigned b = 1; b < last; ++b)
      if ((*lists)[b] != (*lists)[0])
        return std::nullopt;
  }

  // The epilogue: nodes outside the blocks that depend on a block (or on
  // the epilogue); the rest precede the blocks.
  std::vector<bool> after(n, false);
  for (unsigned v : problem.topologicalOrder()) {
    if (blockOf[v] != kNone)
      continue;
    for (unsigned u : problem.predecessors(v))
      if (blockOf[u] != kNone || after[u])
        after[v] = true;
    (after[v] ? result.epilogue : result.prologue).push_back(v);
  }
  return result;
}
