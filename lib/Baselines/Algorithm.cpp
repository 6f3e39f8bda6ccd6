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
