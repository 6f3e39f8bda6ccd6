//===- Algorithm.cpp - The shared algorithm interface ---------------------===//

#include "diviml/Baselines/Algorithm.h"

#include "llvm/Support/ErrorHandling.h"

using namespace diviml;

llvm::StringRef diviml::stringifySolveStatus(SolveStatus status) {
  switch (status) {
  case SolveStatus::Optimal:
    return "optimal";
  case SolveStatus::Feasible:
    return "feasible";
  case SolveStatus::Timeout:
    return "timeout";
  case SolveStatus::Infeasible:
    return "infeasible";
  case SolveStatus::Heuristic:
    return "heuristic";
  }
  llvm_unreachable("unknown solve status");
}

llvm::StringRef diviml::stringifyStopReason(StopReason reason) {
  switch (reason) {
  case StopReason::Optimal:
    return "optimal";
  case StopReason::Converged:
    return "converged";
  case StopReason::Completed:
    return "completed";
  case StopReason::Gap:
    return "gap";
  case StopReason::WorkLimit:
    return "work-limit";
  case StopReason::TimeLimit:
    return "time-limit";
  }
  llvm_unreachable("unknown stop reason");
}

void diviml::setStopReason(AlgorithmResult &result, StopReason reason) {
  for (StopReason other :
       {StopReason::Optimal, StopReason::Converged, StopReason::Completed,
        StopReason::Gap, StopReason::WorkLimit, StopReason::TimeLimit})
    result.stats.erase(("stop." + stringifyStopReason(other)).str());
  result.stats[("stop." + stringifyStopReason(reason)).str()] = 1;
}
