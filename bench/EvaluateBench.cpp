//===- EvaluateBench.cpp - Cost of the evaluator on large graphs ----------===//
//
// Evaluates a 100k-node random DAG under both objectives (the evaluator must
// stay well under a second there) and computes its lower bounds. With
// --msr-dir=DIR it also times the baselines and the evaluator on every *.json
// workload of DIR/throughput and DIR/latency (Tarnawski et al. format).
//
//===----------------------------------------------------------------------===//

#include "RandomProblem.h"

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Workloads/MsrFormat.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "benchmark/benchmark.h"

#include <cstring>
#include <string>
#include <vector>

using namespace diviml;

namespace {

const Problem &largeProblem() {
  static const Problem problem = [] {
    testing::RandomProblemOptions options;
    options.minNodes = options.maxNodes = 100000;
    options.minDevices = options.maxDevices = 4;
    options.window = 50;
    return testing::makeRandomProblem(7, options);
  }();
  return problem;
}

/// Every node on the host except every third one, spread over the others:
/// plenty of transfers, every route kind used.
Solution spreadSolution(const Problem &problem) {
  Solution solution;
  solution.device.resize(problem.numNodes());
  for (unsigned v = 0, n = problem.numNodes(); v != n; ++v) {
    const Node &node = problem.nodes[v];
    unsigned d = v % 3 == 0 ? 1 + (v / 3) % (problem.numDevices() - 1) : 0;
    // The host runs everything, so colocation groups stay whole there.
    if (!node.canRunOn(d) || node.colocationGroup >= 0)
      d = 0;
    solution.device[v] = d;
  }
  return solution;
}

void evaluateLarge(benchmark::State &state, Objective objective) {
  // Memory capacities are irrelevant to the cost of evaluation; lift them so
  // the spread placement is feasible.
  static const Problem problem = [] {
    Problem copy = largeProblem();
    for (Device &device : copy.platform.devices)
      device.memoryCapacity = kInfinity;
    copy.finalize();
    return copy;
  }();
  static const Solution solution = spreadSolution(problem);
  double value = 0;
  for (auto _ : state) {
    Evaluation eval = evaluate(problem, solution, objective);
    if (!eval.feasible)
      state.SkipWithError(eval.reason.c_str());
    // Not DoNotOptimize(value): its "+m,r" constraint garbles doubles with
    // GCC in Google Benchmark 1.7; evaluate() cannot be elided anyway.
    value = eval.value;
  }
  state.counters["nodes"] = problem.numNodes();
  state.counters["edges"] = problem.edges.size();
  state.counters["value"] = value;
}

void evaluateLatency(benchmark::State &state) {
  evaluateLarge(state, Objective::Latency);
}
void evaluateThroughput(benchmark::State &state) {
  evaluateLarge(state, Objective::Throughput);
}
BENCHMARK(evaluateLatency)->Unit(benchmark::kMillisecond);
BENCHMARK(evaluateThroughput)->Unit(benchmark::kMillisecond);

/// The lower bounds on the same graph (memory limits kept).
void boundLarge(benchmark::State &state, Objective objective) {
  const Problem &problem = largeProblem();
  double bound = 0;
  for (auto _ : state)
    bound = lowerBound(problem, objective);
  state.counters["bound"] = bound;
}
void latencyBound(benchmark::State &state) {
  boundLarge(state, Objective::Latency);
}
void throughputBound(benchmark::State &state) {
  boundLarge(state, Objective::Throughput);
}
BENCHMARK(latencyBound)->Unit(benchmark::kMillisecond);
BENCHMARK(throughputBound)->Unit(benchmark::kMillisecond);

/// Runs `algorithm` on a workload and evaluates its answer.
void runOnWorkload(benchmark::State &state, const Problem &problem,
                   std::string algorithm, Objective objective) {
  AlgorithmOptions options;
  options.objective = objective;
  double value = 0;
  for (auto _ : state) {
    llvm::Expected<AlgorithmResult> result =
        runAlgorithm(algorithm, problem, options);
    if (!result) {
      state.SkipWithError(llvm::toString(result.takeError()).c_str());
      break;
    }
    value = evaluate(problem, result->solution, objective).value;
  }
  state.counters["value"] = value;
}

/// Registers runOnWorkload for every workload under `dir`; returns false
/// when a file cannot be imported.
bool registerMsrWorkloads(const std::string &dir) {
  static std::vector<std::unique_ptr<Problem>> problems;
  for (const char *folder : {"throughput", "latency"}) {
    std::error_code ec;
    std::vector<std::string> files;
    for (llvm::sys::fs::directory_iterator it(dir + "/" + folder, ec), end;
         it != end && !ec; it.increment(ec))
      if (llvm::sys::path::extension(it->path()) == ".json")
        files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const std::string &file : files) {
      llvm::Expected<Problem> problem = importMsrFile(file);
      if (!problem) {
        llvm::errs() << llvm::toString(problem.takeError()) << "\n";
        return false;
      }
      problems.push_back(std::make_unique<Problem>(std::move(*problem)));
      const Problem &stored = *problems.back();
      std::string stem = llvm::sys::path::stem(file).str();
      Objective objective = std::strcmp(folder, "latency") == 0
                                ? Objective::Latency
                                : Objective::Throughput;
      for (llvm::StringRef algorithm : algorithmNames())
        benchmark::RegisterBenchmark(
            (std::string(folder) + "/" + stem + "/" + algorithm.str()).c_str(),
            [&stored, algorithm = algorithm.str(),
             objective](benchmark::State &state) {
              runOnWorkload(state, stored, algorithm, objective);
            })
            ->Unit(benchmark::kMillisecond);
    }
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  // Take our own flag out before Google Benchmark parses the rest.
  std::vector<char *> args;
  for (int i = 0; i != argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg.consume_front("--msr-dir=")) {
      if (!registerMsrWorkloads(arg.str()))
        return 1;
      continue;
    }
    args.push_back(argv[i]);
  }
  int count = args.size();
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data()))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
