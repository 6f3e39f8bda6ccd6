//===- Report.h - The JSON report of diviml-partition -----------*- C++ -*-===//
//
// Schema in docs/report.md.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_REPORT_H
#define DIVIML_PASSES_REPORT_H

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
  SolveStatus status = SolveStatus::Heuristic;
  double solveSeconds = 0;
  llvm::StringMap<double> stats;
  /// (op name, device name) in program order.
  std::vector<std::pair<std::string, std::string>> placement;
  /// Per device: ops placed there.
  std::vector<unsigned> opsPerDevice;
};

struct PartitionReport {
  Objective objective = Objective::Latency;
  std::string algorithm;
  Platform platform;
  std::vector<FunctionReport> functions;

  llvm::json::Value toJson() const;
};

/// Writes `report` to `path` ("-" for stdout); returns an error message on
/// failure.
std::optional<std::string> writeReport(const PartitionReport &report,
                                       llvm::StringRef path);

} // namespace diviml

#endif // DIVIML_PASSES_REPORT_H
