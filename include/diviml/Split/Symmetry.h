//===- Symmetry.h - Repeated blocks placed as a pipeline --------*- C++ -*-===//
//
// Transformers repeat one block (a layer) many times. When the blocks are
// identical op for op (same costs, same wiring), a throughput plan need not
// search each op's device: it places a whole block on one device (the
// pattern), assigns contiguous ranges of blocks to pipeline stages along a
// canonical order of the devices, and finds the best ranges exactly by
// dynamic programming. docs/split.md ("Symmetry") says what is exact and
// what is given up.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_SPLIT_SYMMETRY_H
#define DIVIML_SPLIT_SYMMETRY_H

#include "diviml/Baselines/Algorithm.h"

#include "llvm/ADT/ArrayRef.h"

#include <optional>
#include <vector>

namespace diviml {

/// Blocks named `layer<i>.` (any prefix before, e.g. `main/`), i = 0..L-1,
/// that are identical: position p of every block is the same op (name with
/// the index masked, times on every device, memory), the edges inside a
/// block are the same, block i feeds only block i + 1 (the same edges), a
/// node outside the blocks feeds only block 0 unless it is an external that
/// feeds one block only (the same way for every block), and only the last
/// block feeds the nodes after it.
struct RepeatedBlocks {
  /// blocks[i][p]: the node at position p of block i.
  std::vector<std::vector<unsigned>> blocks;
  /// Nodes outside the blocks that precede them, and the rest.
  std::vector<unsigned> prologue, epilogue;
};

/// The repeated blocks of a finalized problem, or std::nullopt when there
/// are fewer than two or any of the conditions above fails (then nothing
/// is assumed).
std::optional<RepeatedBlocks> findRepeatedBlocks(const Problem &problem);

/// Throughput plan of repeated blocks: stages on a subsequence of the
/// devices other than the host that run every block op, in index order
/// (canonical for identical servers and devices), each stage a contiguous
/// range of blocks, the prologue on the first stage, the epilogue on the
/// last, externals where they are fixed. The ranges minimise the largest of
/// the stage loads and the link loads between consecutive stages, within
/// every device's memory. Many-slot devices (a server's CPU) may instead
/// be helpers: stages on the one-slot devices only, each with a helper
/// that runs a prefix of the block's positions ordered by how cheaply it
/// runs them; evaluate() picks among those plans and the plain one.
/// Non-empty `devices` restricts the stages and helpers to those devices.
/// Fails (an error) when the problem has no repeated blocks or no stage
/// assignment fits; stats: blocks, block-size, chain, chunks, stages,
/// pipeline-estimate, offloaded (helped positions, when helpers won).
llvm::Expected<AlgorithmResult>
scheduleBlockPipeline(const Problem &problem, const AlgorithmOptions &options,
                      llvm::ArrayRef<unsigned> devices = {});

/// A lower bound on the period (seconds per sample) of any placement of
/// the problem's non-external nodes on `devices` alone, even one that
/// splits nodes between devices: for weights w_d >= 0 with
/// sum_d w_d slots_d = 1, period >= sum_v min_d w_d occupancy(v, d). w_d is
/// proportional to d's speed on the nodes all of `devices` run, which
/// makes the bound total work over total speed when devices differ by a
/// speed factor. Nodes none of them runs count 0.
double copyPeriodLowerBound(const Problem &problem,
                            llvm::ArrayRef<unsigned> devices);

/// Data parallelism for the block pipeline. On a cluster (every device but
/// the host named `s<i>.<local>`), servers whose devices cost every node
/// the same are of one kind. Copies come in families of images of each
/// other (routes inside a copy checked against the first copy's): for
/// every k that divides the number of servers of each kind, k copies each
/// taking the c-th k-th of every kind's servers; with several kinds also
/// per-kind families (none or k_t copies of each kind). A family's pipeline
/// is planned once on its first copy's devices and renamed onto the others
/// (nodes pinned to the host stay there: it feeds every copy), and the
/// grouping that evaluate() rates best is the answer, the pipeline over
/// every device included; a grouping whose copies' bounds
/// (copyPeriodLowerBound(), rates adding up) are no better than the best
/// plan so far is not planned. With options.refine, that grouping's plan is
/// then refined without breaking its pattern: a local search (counted
/// work) on each family's first copy whose moves change position p of
/// every block placed alike at once, the copies re-derived as images and
/// the whole judged by evaluate(), kept when better. Stats: those of
/// scheduleBlockPipeline, replicas (copies), replica-devices (devices of
/// copy 0), replica-families, groupings.pruned, value.final,
/// value.no-replicas (the
/// pipeline over every device, when it fits), value.unrefined and
/// pattern-moves (with refine).
llvm::Expected<AlgorithmResult>
scheduleReplicatedPipeline(const Problem &problem,
                           const AlgorithmOptions &options);

} // namespace diviml

#endif // DIVIML_SPLIT_SYMMETRY_H
