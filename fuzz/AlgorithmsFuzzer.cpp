//===- AlgorithmsFuzzer.cpp - libFuzzer target: every placement algorithm -===//
//
// Decodes the input into the knobs of test/RandomProblem.h (seed, graph and
// platform size, runtime, colocation, memory) and an objective and an
// algorithm, then places the small problem that makes. PropertyTest checks
// the same on a fixed range of seeds; here libFuzzer picks them. A finding
// is a crash, a hang, a sanitizer report, an error from runAlgorithm, an
// infeasible answer or one below the certified lower bound.
//
//===----------------------------------------------------------------------===//

#include "RandomProblem.h"

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>

using namespace diviml;
using namespace diviml::testing;

[[noreturn]] static void fail(const llvm::Twine &message, uint64_t seed) {
  llvm::errs() << message << " (problem seed " << seed << ")\n";
  abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider input(data, size);
  uint64_t seed = input.ConsumeIntegral<uint64_t>();
  llvm::ArrayRef<llvm::StringRef> names = algorithmNames();
  llvm::StringRef name =
      names[input.ConsumeIntegralInRange<size_t>(0, names.size() - 1)];
  AlgorithmOptions options;
  options.objective =
      input.ConsumeBool() ? Objective::Throughput : Objective::Latency;
  options.dataParallel = input.ConsumeBool();
  options.refine = input.ConsumeBool();
  // A wall-clock cap keeps the exact solver within libFuzzer's timeout.
  options.timeLimit = 0.2;
  RandomProblemOptions generator;
  generator.maxNodes = input.ConsumeIntegralInRange<unsigned>(1, 16);
  generator.maxDevices = input.ConsumeIntegralInRange<unsigned>(1, 5);
  generator.maxFanout = input.ConsumeIntegralInRange<unsigned>(0, 4);
  generator.unsupported = input.ConsumeProbability<double>() * 0.5;
  generator.colocation = input.ConsumeProbability<double>() * 0.5;
  generator.minMemoryShare = input.ConsumeProbability<double>();
  generator.directLink = input.ConsumeProbability<double>();
  generator.runtime = input.ConsumeProbability<double>();

  Problem problem = makeRandomProblem(seed, generator);
  if (llvm::Error err = problem.check()) {
    llvm::consumeError(std::move(err));
    return 0;
  }
  llvm::Expected<AlgorithmResult> result = runAlgorithm(name, problem, options);
  if (!result)
    fail(name + ": " + llvm::toString(result.takeError()), seed);
  if (result->status == SolveStatus::Infeasible ||
      (result->status == SolveStatus::Timeout &&
       result->solution.device.empty()))
    return 0;
  Evaluation eval = evaluate(problem, result->solution, options.objective);
  if (!eval.feasible)
    fail(name + ": infeasible answer: " + eval.reason, seed);
  double bound = lowerBound(problem, options.objective, options.dataParallel);
  if (std::isnan(eval.value) || bound > eval.value * (1 + 1e-9))
    fail(llvm::formatv("{0}: value {1} below the bound {2}", name, eval.value,
                       bound),
         seed);
  return 0;
}
