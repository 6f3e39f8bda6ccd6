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
  /// Budgets are counted work, not seconds, so that the answer is the same
  /// on any machine under any load (docs/split.md, *Budget*); the time
  /// limit is only a safety cap. MILP work is MilpLimits::workLimit's unit,
  /// about 4e6 a second on the reference 2-core machine (the old time
  /// shares x 4e6).
  ///
  /// Without refinement the module MILPs share this many iterations, or
  /// minModuleWork x 1.5 per module if that is more (~2 s): split without
  /// refinement is meant to be a quick default (`milp` is the exact
  /// algorithm).
  double forwardWork = 8e6;
  /// With refinement: the module MILPs' and the windows' work.
  double refineForwardWork = 8e6;
  double windowWork = 4e6;
  /// A module's candidates are compared after a greedy rollout of the
  /// nodes of this many following modules.
  unsigned lookaheadModules = 2;
  /// Skip the MILP of a module when its share of the work is below this.
  double minModuleWork = 8e4;
  /// No module or window MILP gets more than this, even when the one
  /// module is the whole problem: a long budget on one module's latency
  /// MILP rarely pays (docs/split.md). 0 turns the MILPs off.
  double maxModuleWork = 1e6;
  /// A latency module or window MILP is not built when its job pairs
  /// times this exceed its share of the work (MilpOptions::workPerJobPair):
  /// on dense graphs the proxies of earlier producers make models that
  /// cannot even solve their root LP in a share, and GLPK's model building
  /// and presolve, which no iteration count sees, would take the time.
  double workPerJobPair = 80;
  /// With refinement: the local search's work (LocalSearchLimits::work),
  /// half for the descent from split's solution, the rest for the
  /// baselines', and its convergence horizon (kicks without improvement).
  double searchWork = 4e7;
  unsigned searchHorizon = 96;
  /// With refinement on graphs of more ops than this, refineForwardWork,
  /// windowWork and searchWork are scaled by fullBudgetOps / ops, so that
  /// the whole refinement takes about as long at 10k or 50k ops as at
  /// fullBudgetOps (a second or two) while smaller graphs get the full
  /// budgets: on large graphs the module MILPs and the search gain little
  /// per unit of work (docs/split.md, *Budget*).
  unsigned fullBudgetOps = 1000;
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
