//===- LatencySegments.h - Contiguous-segment placements for latency -*- C++
//-*-===//
//
// A latency candidate for split: cut a topological order into contiguous
// segments, each on one device, by an exact dynamic programme over an
// estimated cost (segment compute plus the transfer legs of the tensors that
// cross its ends). Aimed at nearly sequential graphs on many identical,
// memory-limited accelerators with charged transfers (the Tarnawski latency
// workloads), where memory forces the chain over several devices and the
// cuts decide the latency. The answer is a whole placement to be judged by
// evaluate(). Docs in docs/split.md.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_SPLIT_LATENCYSEGMENTS_H
#define DIVIML_SPLIT_LATENCYSEGMENTS_H

#include "diviml/Model/Problem.h"
#include "diviml/Model/Solution.h"

#include <optional>

namespace diviml {

struct LatencySegmentsOptions {
  /// DP cells (segment extensions times device counts) allowed. Segments on
  /// unlimited-memory devices are capped so that the count fits; below
  /// minSegmentCap nodes per segment the generator gives up (cheap size test).
  double maxCells = 1e7;
  unsigned minSegmentCap = 16;
  /// Skipped when the nodes' fastest times sum to more than this many times
  /// the longest path by them (graphs far from sequential).
  double maxParallelism = 4;
};

struct LatencySegmentsResult {
  Solution solution;
  /// The DP's own estimate of the latency (sum of segment costs), not the
  /// evaluator's value.
  double estimate = 0;
  /// evaluate()'s latency of the solution.
  double value = 0;
  /// Segments used, of them on the counted (memory-limited) device class.
  unsigned segments = 0, limitedSegments = 0;
};

/// The best contiguous segmentation under the estimate of two topological
/// orders (Problem::topologicalOrder(), and the same with each source moved
/// to just before its first consumer), the better by evaluate(); or
/// std::nullopt when the platform has no staging host, the
/// graph is too large for the cell budget, or no segmentation is valid.
/// Deterministic; the solution passes verify().
std::optional<LatencySegmentsResult>
latencySegments(const Problem &problem,
                const LatencySegmentsOptions &options = {});

} // namespace diviml

#endif // DIVIML_SPLIT_LATENCYSEGMENTS_H
