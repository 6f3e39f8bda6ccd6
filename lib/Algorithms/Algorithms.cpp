//===- Algorithms.cpp - Algorithm registry and dispatch -------------------===//

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Baselines/Baselines.h"
#include "diviml/Milp/Milp.h"
#include "diviml/Split/Split.h"

#include "diviml/Model/DeviceReduction.h"
#include "diviml/Model/Support.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include "spdlog/spdlog.h"

using namespace diviml;

namespace {
using AlgorithmFn = llvm::Expected<AlgorithmResult> (*)(
    const Problem &, const AlgorithmOptions &);
struct RegisteredAlgorithm {
  llvm::StringRef name;
  AlgorithmFn run;
};
} // namespace

/// Every algorithm runAlgorithm() knows, in the order docs list them: adding
/// one is adding a line here.
static const RegisteredAlgorithm kAlgorithms[] = {
    {"fastest-single", scheduleFastestSingle},
    {"greedy", scheduleGreedy},
    {"heft", scheduleHeft},
    {"milp", scheduleMilp},
    {"split", scheduleSplit},
};

/// Renames the devices of a result on the reduced problem to the original
/// platform's.
static void expandResult(AlgorithmResult &result,
                         const ReducedProblem &reduced) {
  auto rename = [&](std::vector<unsigned> &devices) {
    for (unsigned &d : devices)
      d = reduced.kept[d];
  };
  rename(result.solution.device);
  for (std::vector<unsigned> &replica : result.solution.replicas)
    rename(replica);
  // fastest-single reports the device it chose by index.
  auto device = result.stats.find("device");
  if (device != result.stats.end())
    device->second = reduced.kept[unsigned(device->second)];
}

llvm::ArrayRef<llvm::StringRef> diviml::algorithmNames() {
  static const std::vector<llvm::StringRef> names = [] {
    std::vector<llvm::StringRef> result;
    for (const RegisteredAlgorithm &algorithm : kAlgorithms)
      result.push_back(algorithm.name);
    return result;
  }();
  return names;
}

llvm::Expected<AlgorithmResult>
diviml::runAlgorithm(llvm::StringRef name, const Problem &original,
                     const AlgorithmOptions &options) {
  const RegisteredAlgorithm *found =
      llvm::find_if(kAlgorithms, [&](const RegisteredAlgorithm &algorithm) {
        return algorithm.name == name;
      });
  if (found == std::end(kAlgorithms))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("unknown algorithm '{0}'; known algorithms: {1}", name,
                      llvm::join(algorithmNames(), ", ")));
  std::optional<Problem> storage;
  const Problem &problem = finalizedProblem(original, storage);
  spdlog::debug("running algorithm '{}' ({} objective)", name.str(),
                stringifyObjective(options.objective).str());
  std::optional<ReducedProblem> reduced;
  if (!options.dataParallel)
    reduced = reduceDevices(problem);
  if (reduced)
    spdlog::debug("algorithm '{}' runs on {} of the {} devices (the others "
                  "are interchangeable with those)",
                  name.str(), reduced->kept.size(), problem.numDevices());
  llvm::Expected<AlgorithmResult> result =
      found->run(reduced ? reduced->problem : problem, options);
  if (!result)
    return result.takeError();
  if (reduced)
    expandResult(*result, *reduced);
  // The MILPs model devices and links but not a runtime's host: what they
  // prove optimal is optimal for that model, and their bound stays valid
  // (the host only adds time), but the answer is not proven optimal.
  if (problem.platform.runtime && result->status == SolveStatus::Optimal)
    result->status = SolveStatus::Feasible;
  // Every answer that claims a solution must be valid; catch one that is not
  // here rather than in a report.
  bool hasSolution = result->status != SolveStatus::Infeasible &&
                     !(result->status == SolveStatus::Timeout &&
                       result->solution.device.empty());
  if (!hasSolution)
    return result;
  if (llvm::Error err = verify(problem, result->solution))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("algorithm '{0}' returned an invalid solution: {1}", name,
                      llvm::toString(std::move(err))));
  return result;
}
