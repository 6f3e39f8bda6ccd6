//===- MilpBench.cpp - Solve time and gap of the exact MILPs --------------===//
//
// Random DNN-like DAGs of growing size on a cpu-2gpu-like node, both
// objectives, every MILP backend, a time limit per solve. Prints a
// markdown table (docs/milp-bench.md holds one run and its command).
//
//   diviml-milp-bench [--time-limit S] [--sizes 10,20,...] [--seed N]
//                     [--solvers glpk,cbc] [--objectives latency,throughput]
//                     [--verbose]
//
//===----------------------------------------------------------------------===//

#include "RandomProblem.h"

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Milp/Milp.h"
#include "diviml/Solvers/MilpSolver.h"

#include "llvm/ADT/StringExtras.h"

#include "spdlog/spdlog.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace diviml;

namespace {

/// One CPU (host, 1 TFLOP/s-class) and two different GPUs, 10x and 15x
/// faster, each on its own PCIe 3.0 x16 link (12 GB/s, 10 us per copy);
/// GPU-to-GPU copies are staged through the host.
Platform benchPlatform() {
  Platform p;
  p.name = "cpu-2gpu-bench";
  p.devices = {{"cpu", DeviceKind::Cpu, 1e12},
               {"gpu0", DeviceKind::Gpu, 1e13},
               {"gpu1", DeviceKind::Gpu, 1.5e13}};
  p.devices[1].memoryCapacity = p.devices[2].memoryCapacity = 16e9;
  p.host = 0;
  for (unsigned g : {1u, 2u}) {
    p.links.push_back({0, g, 1.2e10, 1e-5});
    p.links.push_back({g, 0, 1.2e10, 1e-5});
  }
  return p;
}

/// A chain with skip connections and branches, like a DNN: every node
/// reads its predecessor, a third of them also an earlier node. Work
/// between 0.1 and 10 GFLOP, outputs between 0.1 and 10 MB, 1 in 10 ops
/// not supported by the second GPU.
Problem benchProblem(unsigned n, uint64_t seed) {
  diviml::testing::Random random(seed);
  Problem problem(benchPlatform());
  const Platform &platform = problem.platform;
  for (unsigned v = 0; v != n; ++v) {
    Node node;
    node.name = "op" + std::to_string(v);
    double flops = 1e8 * std::pow(100.0, random.unit());
    for (unsigned d = 0; d != platform.numDevices(); ++d)
      node.time.push_back(flops / platform.devices[d].peakFlops);
    if (random.chance(0.1))
      node.time[2] = kInfinity;
    node.memory = 1e6 * random.between(1u, 500u);
    problem.addNode(std::move(node));
  }
  for (unsigned v = 1; v < n; ++v) {
    double bytes = 1e5 * std::pow(100.0, random.unit());
    problem.addEdge(v - 1, v, bytes);
    if (v >= 2 && random.chance(1.0 / 3))
      problem.addEdge(random.below(v - 1), v, bytes);
  }
  problem.finalize();
  return problem;
}

std::vector<std::string> splitList(const char *text) {
  llvm::SmallVector<llvm::StringRef> parts;
  llvm::StringRef(text).split(parts, ',', -1, false);
  return {parts.begin(), parts.end()};
}

double bestHeuristic(const Problem &problem, Objective objective) {
  AlgorithmOptions options;
  options.objective = objective;
  double best = kInfinity;
  for (auto *schedule : {scheduleHeft, scheduleGreedy, scheduleFastestSingle})
    if (llvm::Expected<AlgorithmResult> result = schedule(problem, options))
      best =
          std::min(best, evaluate(problem, result->solution, objective).value);
    else
      llvm::consumeError(result.takeError());
  return best;
}

} // namespace

int main(int argc, char **argv) {
  double timeLimit = 10;
  std::vector<unsigned> sizes = {10, 20, 40, 80, 160};
  std::vector<std::string> solvers(milpSolverNames().begin(),
                                   milpSolverNames().end());
  std::vector<std::string> objectives = {"latency", "throughput"};
  uint64_t seed = 1;
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--verbose") {
      spdlog::set_level(spdlog::level::debug);
      --i;
      continue;
    }
    if (i + 1 == argc) {
      std::fprintf(stderr, "flag %s needs a value\n", flag.c_str());
      return 1;
    }
    if (flag == "--time-limit")
      timeLimit = std::atof(argv[i + 1]);
    else if (flag == "--seed")
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--solvers")
      solvers = splitList(argv[i + 1]);
    else if (flag == "--objectives")
      objectives = splitList(argv[i + 1]);
    else if (flag == "--sizes") {
      sizes.clear();
      for (const std::string &s : splitList(argv[i + 1]))
        sizes.push_back(std::atoi(s.c_str()));
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 1;
    }
  }

  std::printf("| nodes | objective | solver | status | MILP value | best "
              "heuristic | MILP bound | gap | core lower bound | seconds | "
              "variables (integer) | rows |\n");
  std::printf("|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (unsigned n : sizes) {
    Problem problem = benchProblem(n, seed + n);
    for (const std::string &objectiveName : objectives) {
      Objective objective = *symbolizeObjective(objectiveName);
      double heuristic = bestHeuristic(problem, objective);
      double certified = lowerBound(problem, objective);
      for (const std::string &solver : solvers) {
        AlgorithmOptions options;
        options.objective = objective;
        options.solver = solver;
        options.timeLimit = timeLimit;
        auto began = std::chrono::steady_clock::now();
        llvm::Expected<AlgorithmResult> result = scheduleMilp(problem, options);
        double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - began)
                             .count();
        if (!result) {
          std::printf("| %u | %s | %s | error: %s | | | | | | %.1f | | |\n", n,
                      objectiveName.c_str(), solver.c_str(),
                      llvm::toString(result.takeError()).c_str(), seconds);
          std::fflush(stdout);
          continue;
        }
        double value = evaluate(problem, result->solution, objective).value;
        double gap =
            value > 0 ? std::max(0.0, (value - result->bound) / value) : 0;
        std::printf("| %u | %s | %s | %s | %.6g | %.6g | %.6g | %.3f%% | "
                    "%.6g | %.1f | %.0f (%.0f) | %.0f |\n",
                    n, objectiveName.c_str(), solver.c_str(),
                    stringifySolveStatus(result->status).str().c_str(), value,
                    heuristic, result->bound, 100 * gap, certified, seconds,
                    result->stats["milp.variables"],
                    result->stats["milp.integerVariables"],
                    result->stats["milp.rows"]);
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
