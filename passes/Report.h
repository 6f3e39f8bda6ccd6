//===- Report.h - The JSON report of diviml-partition -----------*- C++ -*-===//
//
// Schema in docs/report.md.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_REPORT_H
#define DIVIML_PASSES_REPORT_H

#include "Explain.h"

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Evaluation/Evaluate.h"

#include "llvm/Support/JSON.h"

#include <string>
#include <utility>
#include <vector>

namespace diviml {

/// What partitioning one function produced.
struct FunctionReport {
  std::string name;
  unsigned numOps = 0;
  Evaluation evaluation;
  double lowerBound = 0;
  /// Which bound gave `lowerBound` (LowerBoundResult::source, or "solver"
  /// when the algorithm's own bound was larger) and the seconds it took.
  std::string boundSource = "none";
  double boundSeconds = 0;
  SolveStatus status = SolveStatus::Heuristic;
  double solveSeconds = 0;
  llvm::StringMap<double> stats;
  /// (op name, device name) in program order.
  std::vector<std::pair<std::string, std::string>> placement;
  /// Per device: ops placed there.
  std::vector<unsigned> opsPerDevice;
  /// The problem solved and its answer, for the trace and the DOT graph.
  Problem problem;
  Solution solution;
  /// Per placed op (the first nodes of `problem`): FLOPs and bytes.
  std::vector<double> flops, bytes;
  /// fastest-single on the same problem, always computed for comparison.
  double baselineValue = kInfinity;
  TransferSummary transfers;
  /// Latency only.
  CriticalPath critical;
};

struct PartitionReport {
  Objective objective = Objective::Latency;
  std::string algorithm;
  Platform platform;
  std::vector<FunctionReport> functions;

  llvm::json::Value toJson() const;
};

/// Writes `report` as indented JSON.
void writeReport(const PartitionReport &report, llvm::raw_ostream &os);

} // namespace diviml

#endif // DIVIML_PASSES_REPORT_H
