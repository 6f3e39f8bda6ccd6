//===- MsrFormat.h - Tarnawski et al. (NeurIPS 2020) workloads -*- C++ -*-===//
//
// Import of the profiled DNN graphs published with "Efficient Algorithms for
// Device Placement of DNN Graph Operators" and export of a placement in that
// artifact's split format. The imported problem reproduces the paper's
// max-load throughput model exactly under evaluate() (docs/objectives.md).
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_WORKLOADS_MSRFORMAT_H
#define DIVIML_WORKLOADS_MSRFORMAT_H

#include "diviml/Model/Solution.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace diviml {

/// Builds a problem from the JSON text of one workload. Devices are
/// acc0..acc{maxFPGAs-1} (accel, memory maxSizePerFPGA) then
/// cpu0..cpu{maxCPUs-1} (cpu, unlimited memory), one slot each; cpu0 is the
/// host; transfers do not overlap compute. Links acc_i <-> cpu0 move 1 byte
/// per second with no latency, so an edge's `cost` (seconds) becomes its
/// bytes; links cpu_j <-> cpu0 are free (shared memory). Nodes keep the file's
/// order and are named by their decimal id; unsupported nodes get kInfinity
/// on accelerators; `colorClass` becomes the colocation group. Errors name
/// the offending field and node or edge. The result has passed check().
llvm::Expected<Problem> importMsrJson(llvm::StringRef text);

/// importMsrJson() of a file's contents.
llvm::Expected<Problem> importMsrFile(llvm::StringRef path);

/// The artifact's split format for copy 0 of `solution`:
/// {"fpgas":[{"nodes":[ids]},...],"cpus":[{"nodes":[ids]},...]} with one
/// entry per device in device order (cpu-kind devices under "cpus", all
/// others under "fpgas") and ids sorted. A node's id is its name read as an
/// integer, or its index when some name is not an integer.
std::string exportMsrSplit(const Problem &problem, const Solution &solution);

} // namespace diviml

#endif // DIVIML_WORKLOADS_MSRFORMAT_H
