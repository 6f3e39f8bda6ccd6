//===- SplitSupport.h - Pieces shared by split and local search -*- C++ -*-===//
//
// Private to lib/Split. Colocation groups and memory as nodes are placed and
// removed again, throughput loads kept up to date under single moves, and
// the sub-problem a MILP sees when some nodes are free and the others fixed.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_SPLITSUPPORT_H
#define DIVIML_LIB_SPLITSUPPORT_H

#include "TwoDeviceBalance.h"
#include "diviml/Milp/Milp.h"
#include "diviml/Model/Support.h"

#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace diviml::split {

constexpr unsigned kUnplaced = ~0u;

/// Colocation groups; a lone node is a group of its own.
struct Groups {
  explicit Groups(const Problem &problem);
  std::vector<unsigned> groupOf;
  std::vector<std::vector<unsigned>> members;
  std::vector<double> memory;
};

/// Resident memory per device under a partial placement, with a group's
/// whole memory reserved on its device as soon as one member is placed.
class Occupancy {
public:
  Occupancy(const Problem &problem, const Groups &groups);
  /// The device of `v`'s group, or kUnplaced.
  unsigned groupDevice(unsigned v) const {
    return groupDevices[groups.groupOf[v]];
  }
  /// Whether `v` may go to `d`: its group is there already, or every
  /// member runs on `d` and the group fits.
  bool canPlace(unsigned v, unsigned d) const;
  /// Records `v` on `d`; canPlace(v, d) must hold.
  void place(unsigned v, unsigned d);
  /// Forgets `v`; its group's memory is released with its last member.
  void remove(unsigned v);
  const std::vector<double> &used() const { return memoryUsed; }

private:
  const Problem &problem;
  const Groups &groups;
  std::vector<unsigned> groupDevices, placedMembers;
  std::vector<double> memoryUsed;
};

/// Throughput loads of a partial placement: compute of placed nodes, and
/// for every placed producer the legs its tensor takes to the devices of
/// its placed consumers (deduplicated by link, as evaluate() does).
class LoadTracker {
public:
  LoadTracker(const Problem &problem, const RouteTable &routes);
  void place(unsigned v, unsigned d);
  void remove(unsigned v);
  /// A trial: changes after beginTrial() are undone by endTrial(), which
  /// restores the loads bit for bit. Trials do not nest.
  void beginTrial();
  void endTrial();
  unsigned device(unsigned v) const { return placement[v]; }
  const std::vector<unsigned> &devices() const { return placement; }
  /// max(load[d] / slots[d], linkLoad[l]): beyond kScannedEntries devices
  /// and links (a cluster has quadratically many links) kept as changes
  /// come, O(1); else a scan, cheaper than keeping it.
  double maxLoad() const;
  /// Sum of the squares of the same quantities, the tie-breaker that
  /// prefers balanced loads, added up afresh.
  double spread() const;
  /// The same, beyond kScannedEntries kept as changes come, so it may
  /// differ from spread() in the last bits (restored exactly by
  /// endTrial()): O(1).
  double keptSpread() const {
    return largest.empty() ? spread() : sumOfSquares;
  }
  const std::vector<double> &deviceLoads() const { return load; }
  const std::vector<double> &linkLoads() const { return linkLoad; }
  /// Adds -1 x the legs of `u`'s tensor to `deviceLoad` / `linkLoad`.
  void subtractLegs(unsigned u, std::vector<double> &deviceLoad,
                    std::vector<double> &linkLoad) const;

private:
  /// Adds sign x the legs `u`'s tensor takes now.
  void applyLegs(unsigned u, double sign);
  void legsOf(unsigned u, llvm::SmallVectorImpl<unsigned> &links) const;
  /// Entry e of the loads: device e's load per slot, or link
  /// e - numDevices's load; refresh() records its new value.
  void refresh(unsigned e, double value);
  void addToDevice(unsigned d, double t);
  void addToLink(unsigned l, double t);

  const Problem &problem;
  const RouteTable &routes;
  unsigned numDevices;
  std::vector<unsigned> placement;
  /// consumers[u * numDevices + d]: placed successors of u on d.
  std::vector<unsigned> consumers;
  std::vector<double> load, linkLoad;
  /// Up to this many entries maxLoad() and keptSpread() scan them: the
  /// tree's upkeep on every change cost more than the scans on the
  /// Tarnawski platforms (resnet50_layers: 1.20 s against 0.97 s).
  static constexpr unsigned kScannedEntries = 128;
  /// Beyond: a max tree over the entries, largest[leaves + e] entry e and
  /// largest[i] the larger of its children (largest[1] the max load); empty
  /// when scanned.
  unsigned leaves = 0;
  std::vector<double> largest;
  double sumOfSquares = 0;
  /// In a trial: the old values of what changed, in order.
  bool inTrial = false;
  double sumOfSquaresBefore = 0;
  llvm::SmallVector<std::pair<double *, double>, 32> oldLoads;
  llvm::SmallVector<std::pair<unsigned *, unsigned>, 32> oldCounts;
};

/// The re-split of some groups between devices a and b as jobs for
/// balanceTwoDevices() when transfers load the devices
/// (`transfers_overlap_compute = false`): a group's job is what it adds to
/// a (b) when it is there rather than on the other device, with every node
/// outside it where `loads` has it, so that its transfer legs to and from
/// the rest (a send or a receive on a, on b, or on both) are charged; the
/// bases are the loads with every group on the other device of the pair.
/// Loads are per slot. Exact for one group at a time; the legs between two
/// re-split groups are counted as if the other stayed put, and a negative
/// job (a group whose legs cost its device more when it leaves) counts 0,
/// so the caller must judge the split by the real loads.
struct TwoDeviceModel {
  std::vector<TwoDeviceJob> jobs;
  double baseA = 0, baseB = 0;
};
TwoDeviceModel
transferAwareTwoDeviceModel(const Problem &problem, LoadTracker &loads,
                            llvm::ArrayRef<std::vector<unsigned>> groups,
                            unsigned a, unsigned b);

/// A MILP over some free nodes of a problem, the others fixed around them.
struct SubProblem {
  Problem problem;
  /// Sub-problem node -> node of the whole problem.
  std::vector<unsigned> original;
  /// Whether a sub-problem node is free (else a fixed proxy).
  std::vector<bool> isFree;
  /// Fixed nodes whose tensors the MILP models (placed producers of free
  /// nodes): their legs must be taken out of the boundary's loads.
  std::vector<unsigned> fixedProducers;
  /// fixedDevice and memoryUsed filled; times and loads by the caller.
  MilpBoundary boundary;

  /// The whole-problem placement of the free nodes, from a sub-problem
  /// solution, written into `placement`.
  void readPlacement(const Solution &solution,
                     std::vector<unsigned> &placement) const;
  /// The free nodes in the order of `solution.order`.
  std::vector<unsigned> freeOrder(const Solution &solution) const;
  /// A sub-problem solution: free nodes as in `placement`, proxies on
  /// their fixed devices, order = `order` (free nodes, a topological order)
  /// with the proxies first.
  Solution solutionOf(const std::vector<unsigned> &placement,
                      llvm::ArrayRef<unsigned> order) const;
};

/// Builds the sub-problem of `freeNodes` (a topological order). Proxies,
/// fixed to their devices with zero time and memory, stand for
///  - latency: the placed producers of free nodes (edges to free nodes);
///  - throughput: those, and every placed consumer of a free node or of
///    such a producer (edges from free nodes and those producers to all of
///    their consumers in the sub-problem), so that legs are deduplicated
///    exactly as in the whole problem.
/// Nodes keep their relative index order (inputs are booked in that
/// order). `placement` gives the fixed nodes (kUnplaced: neither free nor
/// placed, left out); `memoryUsed` the bytes of everything fixed. Free
/// members of a group placed elsewhere are fixed there with no memory; the
/// first free member of an unplaced group carries the memory of its
/// members outside the sub-problem and only the devices all of them run on.
SubProblem buildSubProblem(const Problem &problem, const Groups &groups,
                           llvm::ArrayRef<unsigned> freeNodes,
                           const std::vector<unsigned> &placement,
                           const std::vector<double> &memoryUsed,
                           Objective objective);

/// Seconds left until `deadline` (a steady-clock time in seconds).
double secondsNow();

} // namespace diviml::split

#endif // DIVIML_LIB_SPLITSUPPORT_H
