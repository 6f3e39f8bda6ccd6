//===- Split.h - The DiviML modularity split heuristic ----------*- C++ -*-===//
//
// The paper's way of scaling the exact MILP to real graphs (docs/split.md):
// cut the op graph into modules along communities of maximal modularity,
// order the modules as a DAG, solve them one by one with the MILP, each with
// everything placed before it fixed as boundary conditions, then optionally
// refine (re-solve windows of adjacent modules, local search). The answer is
// always judged by evaluate() on the whole problem.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_SPLIT_SPLIT_H
#define DIVIML_SPLIT_SPLIT_H

#include "diviml/Baselines/Algorithm.h"
#include "diviml/Split/Communities.h"

#include <vector>

namespace diviml {

/// What the community detection weighs an edge by.
enum class EdgeWeighting {
  /// The bytes of the producer's tensor (plus 1 % of the mean, so that
  /// zero-byte edges still tie their ends).
  Bytes,
  /// Every edge 1.
  Unit,
};

struct ModuleOptions {
  /// The largest module; larger ones are split recursively.
  unsigned maxModuleSize = 24;
  EdgeWeighting weighting = EdgeWeighting::Bytes;
  /// False: skip community detection, cut the topological order into
  /// chunks (the baseline the bench compares communities against).
  bool useCommunities = true;
  /// Merge consecutive modules while they fit in maxModuleSize.
  bool mergeSmall = true;
  double resolution = 1;
};

/// Modules in an order that is a topological order of the module graph:
/// every edge goes from a module to itself or to a later one.
struct ModulePlan {
  /// Each module lists its nodes in a topological order.
  std::vector<std::vector<unsigned>> modules;
  /// Communities found on the whole graph and their modularity (before
  /// the DAG repair and size limits).
  unsigned communities = 0;
  double modularity = 0;
  /// Modularity of the final modules, with the same edge weights.
  double moduleModularity = 0;
};

/// The undirected weighted graph the community detection sees: one edge
/// per (producer, distinct consumer).
std::vector<WeightedEdge> communityGraph(const Problem &problem,
                                         EdgeWeighting weighting);

/// The DAG repair: walks a topological order that stays inside the current
/// community as long as one of its nodes is ready (else it moves to the
/// community of the earliest ready node, by Problem::topologicalOrder()
/// position) and cuts the walk where the community changes. A community
/// whose contraction would close a cycle is thereby split into runs; the
/// runs, in walk order, form a DAG. `nodes` is a subset of the problem's
/// nodes (in any order), `community` gives each of them a label.
std::vector<std::vector<unsigned>>
communityRuns(const Problem &problem, llvm::ArrayRef<unsigned> nodes,
              llvm::ArrayRef<unsigned> community);

/// Communities, DAG repair, recursive splitting of modules larger than
/// maxModuleSize (communities of the module's own subgraph, else chunks of
/// its topological order), merging of small neighbours. `problem` must be
/// finalized.
ModulePlan buildModules(const Problem &problem, const ModuleOptions &options);

/// Knobs of the split heuristic beyond AlgorithmOptions (for the bench).
struct SplitOptions {
  ModuleOptions modules;
  /// Offer the greedy and HEFT placements as candidates (per module and
  /// for the final answer) and fastest-single's for the final answer, so
  /// split is never worse than any of them.
  bool useBaselines = true;
  /// Share of the time limit for the module MILPs when refining (the rest
  /// goes to windows and local search); without refinement they get all.
  double forwardShare = 0.5;
  /// Share of the time limit for window re-solves when refining.
  double windowShare = 0.25;
  /// A module's candidates are compared after a greedy rollout of the
  /// nodes of this many following modules.
  unsigned lookaheadModules = 2;
  /// Without refinement the module MILPs share this many seconds, or
  /// minModuleSeconds per module if that is more (never more than the time
  /// limit): split without refinement is meant to be a quick default
  /// (`milp` is the exact algorithm, refine=true uses the whole limit).
  double forwardSeconds = 2;
  /// Skip the MILP of a module when its share of the time is below this.
  double minModuleSeconds = 0.02;
  /// No module or window MILP gets more than this, even when the one
  /// module is the whole problem: a long budget on one module's latency
  /// MILP rarely pays (docs/split.md).
  double maxModuleSeconds = 0.25;
  /// A latency module or window MILP is not built when its job pairs
  /// (MilpOptions::secondsPerJobPair) need more than its share of the time:
  /// on dense graphs the proxies of earlier producers make models that
  /// cannot even solve their root LP in a share, and GLPK overruns it.
  double secondsPerJobPair = 2e-5;
  /// Throughput: when the problem has identical repeated blocks (layers),
  /// plan them as a pipeline of contiguous block ranges
  /// (diviml/Split/Symmetry.h) instead of searching op by op; false for
  /// comparison.
  bool useSymmetry = true;
};

/// The "split" algorithm: options.maxModuleSize, refine, timeLimit, solver
/// and objective. Stats: modules, communities, modularity,
/// module-modularity, seconds.{communities,baselines,forward,windows,
/// local-search,milp,total}, modules.milp (MILPs run), modules.skipped (of
/// those, latency models too large for their time), modules.optimal (proven
/// optimal under their boundary), modules.improved (MILP beat every heuristic
/// candidate), value.forward, value.final. Status Optimal only when the whole
/// problem was one module solved to optimality.
llvm::Expected<AlgorithmResult> scheduleSplit(const Problem &problem,
                                              const AlgorithmOptions &options);
llvm::Expected<AlgorithmResult> scheduleSplit(const Problem &problem,
                                              const AlgorithmOptions &options,
                                              const SplitOptions &split);

} // namespace diviml

#endif // DIVIML_SPLIT_SPLIT_H
