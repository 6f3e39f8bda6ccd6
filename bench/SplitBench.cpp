//===- SplitBench.cpp - Figures for the split heuristic -------------------===//
//
// Prints the markdown tables of docs/split-bench.md, one section per
// criterion of the split heuristic (docs/split.md):
//
//   randwire  split vs greedy and HEFT on RandWire-style WS/ER/BA DAGs
//   quality   split vs the full MILP where the MILP proves optimality
//   speed     split's time vs the full MILP's time to the same value
//   msr       split on the Tarnawski et al. workloads vs the lower bound
//   large     split on 10k- and 50k-op random graphs
//   modules   community weighting and module options compared
//   bounds    the lower bounds against the best values found (issue 18)
//
// Usage: diviml-split-bench [--section NAME]... [--msr-dir DIR]
//        [--solver glpk|cbc] [--seeds N]
// Without --section every section runs. Times are wall-clock seconds on a
// shared machine: medians, and noisy.
//
//===----------------------------------------------------------------------===//

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Milp/Milp.h"
#include "diviml/Model/PlatformIO.h"
#include "diviml/Split/LatencySegments.h"
#include "diviml/Split/LocalSearch.h"
#include "diviml/Split/Split.h"
#include "diviml/Workloads/MsrFormat.h"
#include "diviml/Workloads/RandWire.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include "spdlog/spdlog.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace diviml;

namespace {

struct BenchOptions {
  std::set<std::string> sections;
  std::string msrDir = "../shared/workloads/msr";
  std::string solver = "glpk";
  unsigned seeds = 2;
  /// Only RandWire graphs of at most this many nodes (quick runs).
  unsigned maxNodes = ~0u;
  /// --search-work: the segments section's local search work and horizon
  /// (x 1e-5 + 200).
  double searchWork = 2e7;
  /// Print every split run's stats to stderr.
  bool verbose = false;
  bool wants(llvm::StringRef section) const {
    return sections.empty() || sections.count(section.str());
  }
};

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Run {
  double value = kInfinity;
  double seconds = 0;
  std::string status;
  AlgorithmResult result;
  bool ok = false;
};

bool verboseRuns = false;

/// --verbose: a split run's stats on stderr.
void printStats(const Problem &problem, const AlgorithmOptions &options,
                const AlgorithmResult &result) {
  std::fprintf(stderr, "split %s%s, %u nodes:",
               stringifyObjective(options.objective).str().c_str(),
               options.refine ? " refine" : "", problem.numNodes());
  std::vector<std::string> keys;
  for (const auto &entry : result.stats)
    keys.push_back(entry.getKey().str());
  llvm::sort(keys);
  for (const std::string &key : keys)
    std::fprintf(stderr, " %s=%g", key.c_str(), result.stats.lookup(key));
  std::fprintf(stderr, "\n");
}

Run runNamed(llvm::StringRef name, const Problem &problem,
             const AlgorithmOptions &options) {
  Run run;
  double start = now();
  llvm::Expected<AlgorithmResult> result = runAlgorithm(name, problem, options);
  run.seconds = now() - start;
  if (!result) {
    run.status = "error: " + llvm::toString(result.takeError());
    return run;
  }
  run.value = evaluate(problem, result->solution, options.objective).value;
  run.status = stringifySolveStatus(result->status).str();
  if (verboseRuns && name == "split")
    printStats(problem, options, *result);
  run.result = std::move(*result);
  run.ok = true;
  return run;
}

Run runSplit(const Problem &problem, const AlgorithmOptions &options,
             const SplitOptions &split) {
  Run run;
  double start = now();
  llvm::Expected<AlgorithmResult> result =
      scheduleSplit(problem, options, split);
  run.seconds = now() - start;
  if (!result) {
    run.status = "error: " + llvm::toString(result.takeError());
    return run;
  }
  if (llvm::Error err = verify(problem, result->solution)) {
    run.status = "invalid: " + llvm::toString(std::move(err));
    return run;
  }
  run.value = evaluate(problem, result->solution, options.objective).value;
  run.status = stringifySolveStatus(result->status).str();
  if (verboseRuns)
    printStats(problem, options, *result);
  run.result = std::move(*result);
  run.ok = true;
  return run;
}

double median(std::vector<double> values) {
  if (values.empty())
    return 0;
  llvm::sort(values);
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid]
                           : 0.5 * (values[mid - 1] + values[mid]);
}

double geomean(const std::vector<double> &values) {
  if (values.empty())
    return 0;
  double sum = 0;
  for (double v : values)
    sum += std::log(v);
  return std::exp(sum / values.size());
}

/// Engineering notation for seconds and values.
std::string fmt(double value) {
  if (value == kInfinity)
    return "inf";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.5g", value);
  return buffer;
}

Platform cpu2gpu() { return *presetPlatform("cpu-2gpu"); }

std::string instanceName(const RandWireOptions &options) {
  return llvm::formatv("{0}-{1}-s{2}", stringifyRandomGraphKind(options.kind),
                       options.nodes, options.seed)
      .str();
}

/// Split's time limit for a graph of `n` nodes (refinement on).
double splitSeconds(unsigned n) { return std::min(5.0, 1.0 + n / 60.0); }

//===----------------------------------------------------------------------===//
// randwire
//===----------------------------------------------------------------------===//

void randwireSection(const BenchOptions &bench) {
  std::printf("## Split vs greedy and HEFT on RandWire DAGs (cpu-2gpu)\n\n");
  std::printf("WS(4, 0.75), ER(0.2), BA(5) graphs of 50-300 nodes (+ input and "
              "output), seeds 1..%u; split with refine=true, max-module-size "
              "24, time limit min(5, 1 + n/60) s, GLPK. Values: latency in "
              "ms, throughput in ms per sample; ratio = split / baseline "
              "(below 1: split better).\n\n",
              bench.seeds);
  Platform platform = cpu2gpu();
  for (Objective objective : {Objective::Latency, Objective::Throughput}) {
    std::printf("### %s\n\n", stringifyObjective(objective).str().c_str());
    std::printf("| instance | ops | greedy | heft | split | split/greedy | "
                "split/heft | lower bound | modules | split s |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    std::vector<double> vsGreedy, vsHeft, seconds;
    unsigned winsGreedy = 0, winsHeft = 0, count = 0;
    for (RandomGraphKind kind :
         {RandomGraphKind::WattsStrogatz, RandomGraphKind::ErdosRenyi,
          RandomGraphKind::BarabasiAlbert})
      for (unsigned nodes : {50u, 100u, 200u, 300u})
        for (unsigned seed = 1; seed <= bench.seeds && nodes <= bench.maxNodes;
             ++seed) {
          RandWireOptions shape;
          shape.kind = kind;
          shape.nodes = nodes;
          shape.seed = seed;
          Problem problem = makeRandWireProblem(platform, shape);
          AlgorithmOptions options;
          options.objective = objective;
          options.solver = bench.solver;
          Run greedy = runNamed("greedy", problem, options);
          Run heft = runNamed("heft", problem, options);
          options.refine = true;
          options.timeLimit = splitSeconds(problem.numNodes());
          Run split = runSplit(problem, options, SplitOptions());
          double bound = lowerBound(problem, objective);
          if (!split.ok) {
            std::printf("| %s | %u | | | %s | | | | | |\n",
                        instanceName(shape).c_str(), problem.numNodes(),
                        split.status.c_str());
            continue;
          }
          ++count;
          vsGreedy.push_back(split.value / greedy.value);
          vsHeft.push_back(split.value / heft.value);
          winsGreedy += split.value < greedy.value * (1 - 1e-9);
          winsHeft += split.value < heft.value * (1 - 1e-9);
          seconds.push_back(split.seconds);
          std::printf("| %s | %u | %s | %s | %s | %.4f | %.4f | %s | %g | "
                      "%.2f |\n",
                      instanceName(shape).c_str(), problem.numNodes(),
                      fmt(1e3 * greedy.value).c_str(),
                      fmt(1e3 * heft.value).c_str(),
                      fmt(1e3 * split.value).c_str(), vsGreedy.back(),
                      vsHeft.back(), fmt(1e3 * bound).c_str(),
                      split.result.stats.lookup("modules"), split.seconds);
          std::fflush(stdout);
        }
    std::printf("\n%u instances. split / greedy: geometric mean %.4f, split "
                "better on %u; split / heft: geometric mean %.4f, split "
                "better on %u. Median split time %.2f s.\n\n",
                count, geomean(vsGreedy), winsGreedy, geomean(vsHeft), winsHeft,
                median(seconds));
  }
}

//===----------------------------------------------------------------------===//
// modules
//===----------------------------------------------------------------------===//

struct Variant {
  const char *name;
  bool refine;
  SplitOptions split;
  unsigned maxModuleSize = 24;
};

std::vector<Variant> variants() {
  std::vector<Variant> result;
  SplitOptions base;
  result.push_back({"default (bytes, merge, refine)", true, base});
  SplitOptions unit = base;
  unit.modules.weighting = EdgeWeighting::Unit;
  result.push_back({"unit edge weights", true, unit});
  SplitOptions chunks = base;
  chunks.modules.useCommunities = false;
  result.push_back({"topological chunks, no communities", true, chunks});
  SplitOptions noMerge = base;
  noMerge.modules.mergeSmall = false;
  result.push_back({"no merging of small modules", true, noMerge});
  SplitOptions noMilp = base;
  noMilp.maxModuleWork = 0;
  result.push_back(
      {"no MILP (heuristic candidates + local search)", true, noMilp});
  result.push_back({"no refinement", false, base});
  SplitOptions noLookahead = base;
  noLookahead.lookaheadModules = 0;
  result.push_back({"no lookahead", true, noLookahead});
  result.push_back({"max-module-size 8", true, base, 8});
  result.push_back({"max-module-size 12", true, base, 12});
  result.push_back({"no MILP, no refinement", false, noMilp});
  return result;
}

void modulesSection(const BenchOptions &bench) {
  std::printf("## Module options compared\n\n");
  std::printf("RandWire WS/ER/BA graphs of 100 ops (98 nodes), seed 1, "
              "cpu-2gpu, max-module-size 24, time limit min(5, 1 + n/60) "
              "s. Geometric mean of split / greedy (below 1: better) and "
              "median time.\n\n");
  Platform platform = cpu2gpu();
  std::vector<Variant> all = variants();
  for (Objective objective : {Objective::Latency, Objective::Throughput}) {
    std::printf("### %s\n\n", stringifyObjective(objective).str().c_str());
    std::printf("| variant | split / greedy | median s | modules (median) "
                "| modularity (median) |\n|---|---|---|---|---|\n");
    for (const Variant &variant : all) {
      std::vector<double> ratios, seconds, modules, modularity;
      for (RandomGraphKind kind :
           {RandomGraphKind::WattsStrogatz, RandomGraphKind::ErdosRenyi,
            RandomGraphKind::BarabasiAlbert})
        for (unsigned nodes : {98u}) {
          RandWireOptions shape;
          shape.kind = kind;
          shape.nodes = nodes;
          Problem problem = makeRandWireProblem(platform, shape);
          AlgorithmOptions options;
          options.objective = objective;
          options.solver = bench.solver;
          Run greedy = runNamed("greedy", problem, options);
          options.refine = variant.refine;
          options.maxModuleSize = variant.maxModuleSize;
          options.timeLimit = splitSeconds(problem.numNodes());
          Run split = runSplit(problem, options, variant.split);
          if (!split.ok || !greedy.ok)
            continue;
          ratios.push_back(split.value / greedy.value);
          seconds.push_back(split.seconds);
          modules.push_back(split.result.stats.lookup("modules"));
          modularity.push_back(split.result.stats.lookup("module-modularity"));
        }
      std::printf("| %s | %.4f | %.2f | %g | %.3f |\n", variant.name,
                  geomean(ratios), median(seconds), median(modules),
                  median(modularity));
      std::fflush(stdout);
    }
    std::printf("\n");
  }
}

//===----------------------------------------------------------------------===//
// quality
//===----------------------------------------------------------------------===//

void qualitySection(const BenchOptions &bench) {
  std::printf("## Quality against proven optima\n\n");
  std::printf(
      "Small RandWire graphs on cpu-2gpu; the full MILP (`milp`, GLPK, "
      "time limit 10 s) runs first and only the instances it proves "
      "optimal are kept. Split (refine=true, time limit 2 s) with the "
      "default max-module-size 24 (one module: the same MILP with split's "
      "time, then refinement) and with max-module-size 4 (several modules, "
      "so that the module MILPs, boundaries and refinement are what is "
      "measured). Gap = split / optimum - 1.\n\n");
  Platform platform = cpu2gpu();
  for (Objective objective : {Objective::Latency, Objective::Throughput}) {
    std::printf("### %s\n\n", stringifyObjective(objective).str().c_str());
    std::printf("| instance | ops | optimum | MILP s | split (24) gap | split "
                "(4) gap | modules (4) |\n|---|---|---|---|---|---|---|\n");
    unsigned kept = 0, within = 0, tried = 0;
    double worst = 0;
    std::vector<unsigned> sizes = objective == Objective::Latency
                                      ? std::vector<unsigned>{6, 8, 10}
                                      : std::vector<unsigned>{10, 14, 18};
    for (RandomGraphKind kind :
         {RandomGraphKind::WattsStrogatz, RandomGraphKind::ErdosRenyi,
          RandomGraphKind::BarabasiAlbert})
      for (unsigned nodes : sizes)
        for (unsigned seed = 1; seed <= 2; ++seed) {
          RandWireOptions shape;
          shape.kind = kind;
          shape.nodes = nodes;
          shape.seed = seed;
          Problem problem = makeRandWireProblem(platform, shape);
          AlgorithmOptions options;
          options.objective = objective;
          options.solver = bench.solver;
          options.timeLimit = 10;
          ++tried;
          Run milp = runNamed("milp", problem, options);
          if (!milp.ok || milp.result.status != SolveStatus::Optimal) {
            std::printf("| %s | %u | not proven (%s, %.1f s) | | | | |\n",
                        instanceName(shape).c_str(), problem.numNodes(),
                        milp.status.c_str(), milp.seconds);
            continue;
          }
          ++kept;
          options.refine = true;
          options.timeLimit = 2;
          Run whole = runSplit(problem, options, SplitOptions());
          options.maxModuleSize = 4;
          Run small = runSplit(problem, options, SplitOptions());
          double gapWhole = whole.value / milp.value - 1;
          double gapSmall = small.value / milp.value - 1;
          within += gapWhole <= 0.01 && gapSmall <= 0.01;
          worst = std::max({worst, gapWhole, gapSmall});
          std::printf("| %s | %u | %s | %.2f | %.3f%% | %.3f%% | %g |\n",
                      instanceName(shape).c_str(), problem.numNodes(),
                      fmt(1e3 * milp.value).c_str(), milp.seconds,
                      100 * gapWhole, 100 * gapSmall,
                      small.result.stats.lookup("modules"));
          std::fflush(stdout);
        }
    std::printf("\n%u of %u instances proven optimal by the MILP; split "
                "within 1 %% of the optimum (both settings) on %u of them; "
                "worst gap %.3f%%.\n\n",
                kept, tried, within, 100 * worst);
  }
}

//===----------------------------------------------------------------------===//
// speed
//===----------------------------------------------------------------------===//

/// The Tarnawski et al. workload files of `dir` ("throughput" or
/// "latency") under --msr-dir, sorted.
std::vector<std::string> msrFiles(const BenchOptions &bench,
                                  llvm::StringRef dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (llvm::sys::fs::directory_iterator it(bench.msrDir + "/" + dir.str(), ec),
       end;
       it != end && !ec; it.increment(ec))
    if (llvm::StringRef(it->path()).ends_with(".json"))
      files.push_back(it->path());
  llvm::sort(files);
  return files;
}

/// One instance of the speed comparison.
struct SpeedInstance {
  std::string name;
  Problem problem;
  /// The platform, or "Tarnawski" (for the per-group medians).
  std::string group;
  /// Values printed x this (ms for the RandWire graphs).
  double unit = 1;
};

/// RandWire graphs (WS/ER/BA, seed 1) of 100 and 300 ops on cpu-2gpu and
/// of 100 ops on dgx-8gpu and, for throughput, the Tarnawski et al.
/// workloads of at least 100 ops.
std::vector<SpeedInstance> speedInstances(const BenchOptions &bench,
                                          Objective objective) {
  std::vector<SpeedInstance> instances;
  for (auto [preset, nodes] :
       {std::pair{"cpu-2gpu", 98u}, {"cpu-2gpu", 298u}, {"dgx-8gpu", 98u}}) {
    if (nodes > bench.maxNodes)
      continue;
    Platform platform = *presetPlatform(preset);
    for (RandomGraphKind kind :
         {RandomGraphKind::WattsStrogatz, RandomGraphKind::ErdosRenyi,
          RandomGraphKind::BarabasiAlbert}) {
      RandWireOptions shape;
      shape.kind = kind;
      shape.nodes = nodes;
      instances.push_back({instanceName(shape) + " " + preset,
                           makeRandWireProblem(platform, shape), preset, 1e3});
    }
  }
  if (objective != Objective::Throughput)
    return instances;
  for (const char *dir : {"throughput", "latency"})
    for (const std::string &path : msrFiles(bench, dir)) {
      llvm::Expected<Problem> problem = importMsrFile(path);
      if (!problem) {
        std::fprintf(stderr, "speed: skipping %s: %s\n", path.c_str(),
                     llvm::toString(problem.takeError()).c_str());
        continue;
      }
      if (problem->numNodes() >= 100)
        instances.push_back({"msr " + std::string(dir) + "/" +
                                 llvm::sys::path::stem(path).str(),
                             std::move(*problem), "Tarnawski"});
    }
  return instances;
}

/// Split's time against the full MILP's time to split's value.
struct SpeedRatio {
  /// The lower end: the time the MILP provably needs / split's time.
  double lower = 0;
  /// The MILP did not reach split's value within 100x split's time (or was
  /// not built at all: `notBuilt`).
  bool beyond = false, notBuilt = false;
};

void speedSection(const BenchOptions &bench) {
  std::printf("## Speed against the full MILP\n\n");
  std::printf(
      "Graphs of at least 100 ops: RandWire WS/ER/BA graphs (seed 1) of 100 "
      "and 300 ops on cpu-2gpu (3 devices) and of 100 ops on dgx-8gpu (9 "
      "devices) for both objectives, and for throughput also the Tarnawski "
      "et al. workloads of at least 100 ops (on their own platforms; the "
      "devices column). Split runs with refine=true and a time limit of "
      "max(0.5, n / 200) s (0.5 s at 100 ops, 1.5 s at 300); the full MILP "
      "(`milp`, GLPK, warm-started from greedy, HEFT and fastest-single) "
      "then gets L = 100x split's wall time. If the MILP's value at L is "
      "still above split's, reaching split's value takes it more than L: "
      "the ratio is > 100. Otherwise the MILP is re-run with L/4, L/16, ... "
      "until it no longer reaches split's value, which brackets its time to "
      "reach it (ratio = the lower end of the bracket / split's time). "
      "\"not built\": the latency model exceeds the MILP's size guard (2 "
      "million job pairs, docs/milp.md), so `milp` returns its warm start "
      "at once and never reaches split's value. Values: RandWire in ms "
      "(per inference or per sample), Tarnawski in the format's unit.\n\n");
  std::printf("| objective | instance | ops | devices | split value | split "
              "s | MILP value at L | L s | MILP time to split's value | "
              "ratio |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  std::map<std::string, std::vector<SpeedRatio>> groups;
  std::vector<SpeedRatio> all[2];
  for (Objective objective : {Objective::Latency, Objective::Throughput})
    for (SpeedInstance &instance : speedInstances(bench, objective)) {
      const Problem &problem = instance.problem;
      AlgorithmOptions options;
      options.objective = objective;
      options.solver = bench.solver;
      options.refine = true;
      options.timeLimit = std::max(0.5, problem.numNodes() / 200.0);
      Run split = runSplit(problem, options, SplitOptions());
      options.refine = false;
      double limit = 100 * split.seconds;
      options.timeLimit = limit;
      Run milp = runNamed("milp", problem, options);
      SpeedRatio ratio;
      std::string reach, ratioText;
      if (milp.value > split.value * (1 + 1e-9)) {
        ratio.beyond = true;
        ratio.notBuilt = milp.result.stats.lookup("milp.built") == 0;
        ratio.lower = 100;
        reach = ratio.notBuilt ? "not built" : "> " + fmt(limit) + " s";
        ratioText = ratio.notBuilt ? "> 100 (not built)" : "> 100";
      } else {
        // Bracket: the MILP reaches split's value within `reached` but not
        // within `missed`.
        double reached = limit, missed = 0;
        for (double tryLimit = limit / 4; tryLimit >= 0.05; tryLimit /= 4) {
          options.timeLimit = tryLimit;
          Run shorter = runNamed("milp", problem, options);
          if (shorter.value > split.value * (1 + 1e-9)) {
            missed = tryLimit;
            break;
          }
          reached = tryLimit;
        }
        reach = fmt(missed) + " - " + fmt(reached) + " s";
        ratio.lower = missed / split.seconds;
        ratioText = fmt(ratio.lower) + " - " + fmt(reached / split.seconds);
      }
      all[objective == Objective::Throughput].push_back(ratio);
      groups[stringifyObjective(objective).str() + ", " + instance.group]
          .push_back(ratio);
      std::printf("| %s | %s | %u | %u | %s | %.2f | %s | %s | %s | %s |\n",
                  stringifyObjective(objective).str().c_str(),
                  instance.name.c_str(), problem.numNodes(),
                  problem.numDevices(),
                  fmt(instance.unit * split.value).c_str(), split.seconds,
                  fmt(instance.unit * milp.value).c_str(), fmt(limit).c_str(),
                  reach.c_str(), ratioText.c_str());
      std::fflush(stdout);
    }
  auto summary = [](const std::vector<SpeedRatio> &ratios) {
    std::vector<double> lower;
    unsigned beyond = 0, notBuilt = 0;
    for (const SpeedRatio &r : ratios) {
      lower.push_back(r.lower);
      beyond += r.beyond;
      notBuilt += r.notBuilt;
    }
    return llvm::formatv("{0} | {1} | {2} | {3}", ratios.size(),
                         fmt(median(lower)), beyond, notBuilt)
        .str();
  };
  std::printf("\nMedian of the ratios (lower ends; \"> 100\" counts as 100) "
              "and how many instances reach 100 (of which the MILP was not "
              "built):\n\n| graphs | instances | median ratio | >= 100 | not "
              "built |\n|---|---|---|---|---|\n");
  std::printf("| all, latency | %s |\n", summary(all[0]).c_str());
  std::printf("| all, throughput | %s |\n", summary(all[1]).c_str());
  for (const auto &[group, ratios] : groups)
    std::printf("| %s | %s |\n", group.c_str(), summary(ratios).c_str());
  std::printf("\n");
}

//===----------------------------------------------------------------------===//
// msr
//===----------------------------------------------------------------------===//

void msrSection(const BenchOptions &bench) {
  std::printf("## Tarnawski et al. workloads (throughput)\n\n");
  std::printf("Every file of `%s/{throughput,latency}` imported with "
              "importMsrFile() and solved for throughput (max load, the "
              "paper's objective), as in docs/msr-baselines.md. Split with "
              "refine=true, time limit 10 s, max-module-size 24, GLPK.\n\n",
              bench.msrDir.c_str());
  std::printf("| workload | ops | greedy | split | lower bound | split gap | "
              "modules | split s |\n|---|---|---|---|---|---|---|---|\n");
  for (const char *dir : {"throughput", "latency"}) {
    std::vector<std::string> files = msrFiles(bench, dir);
    if (files.empty())
      std::printf("| (no workloads in %s/%s) | | | | | | | |\n",
                  bench.msrDir.c_str(), dir);
    for (const std::string &path : files) {
      llvm::Expected<Problem> problem = importMsrFile(path);
      std::string name =
          std::string(dir) + "/" + llvm::sys::path::filename(path).str();
      if (!problem) {
        std::printf("| %s | error: %s | | | | | | |\n", name.c_str(),
                    llvm::toString(problem.takeError()).c_str());
        continue;
      }
      AlgorithmOptions options;
      options.objective = Objective::Throughput;
      options.solver = bench.solver;
      Run greedy = runNamed("greedy", *problem, options);
      options.refine = true;
      options.timeLimit = 10;
      Run split = runSplit(*problem, options, SplitOptions());
      double bound = throughputLowerBound(*problem);
      std::printf("| %s | %u | %s | %s | %s | %.2f%% | %g | %.2f |\n",
                  name.c_str(), problem->numNodes(), fmt(greedy.value).c_str(),
                  fmt(split.value).c_str(), fmt(bound).c_str(),
                  100 * (split.value / bound - 1),
                  split.result.stats.lookup("modules"), split.seconds);
      std::fflush(stdout);
    }
  }
  std::printf("\n");
}

//===----------------------------------------------------------------------===//
// defaults
//===----------------------------------------------------------------------===//

/// Why a run stopped, from its "stop.<reason>" stat.
std::string stopReason(const Run &run) {
  for (const auto &entry : run.result.stats)
    if (entry.getKey().starts_with("stop."))
      return entry.getKey().drop_front(5).str();
  return "-";
}

/// The pass's defaults (refine=true since issue 17) and the old quick
/// pipeline (refine=false) beside them on the shared Tarnawski workloads
/// against issue 17's targets: throughput, the peer's contiguous-split DP
/// optimum in at most max(1 s, the DP's time); latency, HEFT.
void defaultsSection(const BenchOptions &bench) {
  std::printf("## The pass's defaults on the Tarnawski workloads\n\n");
  std::printf(
      "Split with the pass's defaults (refine=true, time-limit 60 as a "
      "safety cap, GLPK), and the old quick pipeline (refine=false, the "
      "default before issue 17; same cap), on the files of "
      "`%s/{throughput,latency}`, each solved for the objective of its "
      "folder. Throughput targets: the optimum of the peer's contiguous-split "
      "DP (issue 17), to be met within max(1 s, the DP's time: `time "
      "target`); latency: HEFT. Values in the files' units; s: wall "
      "seconds; stop: the `stop.<reason>` stat.\n\n",
      bench.msrDir.c_str());
  // The peer DP's optimum and its time, seconds (issue 17).
  const std::map<std::string, std::pair<double, double>> dp = {
      {"bert24_layers", {17.7899, 0.01}},
      {"bert_l3_ops", {27.9186, 0.6}},
      {"gnmt_layers", {32.9107, 10.9}},
      {"resnet50_layers", {33.7747, 0.2}}};
  std::printf("| workload | ops | target | time target s | default | s | "
              "stop | default / target | quick | s | stop | quick / target "
              "|\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  double logDefault[2] = {0, 0}, logQuick[2] = {0, 0};
  unsigned count[2] = {0, 0};
  for (unsigned k = 0; k != 2; ++k) {
    const char *dir = k == 0 ? "throughput" : "latency";
    for (const std::string &path : msrFiles(bench, dir)) {
      llvm::Expected<Problem> problem = importMsrFile(path);
      std::string stem = llvm::sys::path::stem(path).str();
      std::string name = std::string(dir) + "/" + stem;
      if (!problem) {
        std::printf("| %s | error: %s |\n", name.c_str(),
                    llvm::toString(problem.takeError()).c_str());
        continue;
      }
      AlgorithmOptions options;
      options.objective = k == 0 ? Objective::Throughput : Objective::Latency;
      options.solver = bench.solver;
      double target, timeTarget = kInfinity;
      if (k == 0) {
        auto found = dp.find(stem);
        target = found == dp.end() ? kInfinity : found->second.first;
        if (found != dp.end())
          timeTarget = std::max(1.0, found->second.second);
      } else {
        target = runNamed("heft", *problem, options).value;
      }
      Run plain = runNamed("split", *problem, options);
      options.refine = false;
      Run quick = runNamed("split", *problem, options);
      logDefault[k] += std::log(plain.value / target);
      logQuick[k] += std::log(quick.value / target);
      ++count[k];
      std::printf("| %s | %u | %s | %s | %s | %.2f | %s | %.4f | %s | %.2f | "
                  "%s | %.4f |\n",
                  name.c_str(), problem->numNodes(), fmt(target).c_str(),
                  timeTarget == kInfinity
                      ? "-"
                      : llvm::formatv("{0}", timeTarget).str().c_str(),
                  fmt(plain.value).c_str(), plain.seconds,
                  stopReason(plain).c_str(), plain.value / target,
                  fmt(quick.value).c_str(), quick.seconds,
                  stopReason(quick).c_str(), quick.value / target);
      std::fflush(stdout);
    }
  }
  for (unsigned k = 0; k != 2; ++k)
    if (count[k])
      std::printf("\n%s: geometric mean of value / target: default %.4f, "
                  "quick %.4f.\n",
                  k == 0 ? "Throughput" : "Latency",
                  std::exp(logDefault[k] / count[k]),
                  std::exp(logQuick[k] / count[k]));
  std::printf("\n");
}

//===----------------------------------------------------------------------===//
// segments
//===----------------------------------------------------------------------===//

/// The contiguous-segment latency candidate (LatencySegments.h) alone on the
/// Tarnawski latency workloads: its DP estimate, the evaluator's value, the
/// value after improveLatencyOrder() and after a long local search (work
/// --search-work, default 2e7; horizon 200 + work / 1e5) from it, against HEFT
/// and the lower bound.
void segmentsSection(const BenchOptions &bench) {
  std::printf("## Contiguous segments on the Tarnawski latency workloads\n\n");
  std::printf("| workload | ops | HEFT | bound | segments | accel segs | "
              "estimate | value | s | reordered | + local search | s | "
              "best / HEFT |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const std::string &path : msrFiles(bench, "latency")) {
    llvm::Expected<Problem> problem = importMsrFile(path);
    std::string name = llvm::sys::path::stem(path).str();
    if (!problem) {
      std::printf("| %s | error: %s |\n", name.c_str(),
                  llvm::toString(problem.takeError()).c_str());
      continue;
    }
    AlgorithmOptions options;
    options.objective = Objective::Latency;
    double heft = runNamed("heft", *problem, options).value;
    double bound = lowerBound(*problem, Objective::Latency);
    auto start = std::chrono::steady_clock::now();
    std::optional<LatencySegmentsResult> found = latencySegments(*problem);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    if (!found) {
      std::printf("| %s | %u | %s | %s | skipped |\n", name.c_str(),
                  problem->numNodes(), fmt(heft).c_str(), fmt(bound).c_str());
      continue;
    }
    double value =
        evaluate(*problem, found->solution, Objective::Latency).value;
    Solution reordered = found->solution;
    improveLatencyOrder(*problem, reordered);
    double reorderedValue =
        evaluate(*problem, reordered, Objective::Latency).value;
    LocalSearchLimits limits;
    limits.work = bench.searchWork;
    limits.horizon = unsigned(200 + bench.searchWork * 1e-5);
    auto searchStart = std::chrono::steady_clock::now();
    improveByLocalSearch(*problem, reordered, Objective::Latency, limits);
    double searchSeconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - searchStart)
                               .count();
    double searched = evaluate(*problem, reordered, Objective::Latency).value;
    std::printf("| %s | %u | %s | %s | %u | %u | %s | %s | %.3f | %s | %s | "
                "%.2f | %.4f |\n",
                name.c_str(), problem->numNodes(), fmt(heft).c_str(),
                fmt(bound).c_str(), found->segments, found->limitedSegments,
                fmt(found->estimate).c_str(), fmt(value).c_str(), seconds,
                fmt(reorderedValue).c_str(), fmt(searched).c_str(),
                searchSeconds,
                std::min({value, reorderedValue, searched}) / heft);
    std::fflush(stdout);
  }
  std::printf("\n");
  // Speed on large graphs: WS(4, 0.75) RandWire graphs (width 512 and
  // 128, so that the weights fit) on cpu-2gpu, and long MSR-like chains
  // with a residual edge every 4 nodes on 14 accelerators and 8 cores.
  std::printf("| graph | ops | segments s | result | value | heft |\n"
              "|---|---|---|---|---|---|\n");
  auto row = [&](const std::string &name, const Problem &problem) {
    auto start = std::chrono::steady_clock::now();
    std::optional<LatencySegmentsResult> found = latencySegments(problem);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    AlgorithmOptions options;
    options.objective = Objective::Latency;
    double heft = runNamed("heft", problem, options).value;
    std::printf("| %s | %u | %.3f | %s | %s | %s |\n", name.c_str(),
                problem.numNodes(), seconds, found ? "found" : "skipped",
                found ? fmt(found->value).c_str() : "-", fmt(heft).c_str());
    std::fflush(stdout);
  };
  for (unsigned nodes : {9998u, 49998u}) {
    RandWireOptions shape;
    shape.nodes = nodes;
    shape.width = nodes < 20000 ? 512 : 128;
    row("RandWire WS, cpu-2gpu", makeRandWireProblem(cpu2gpu(), shape));
  }
  for (unsigned nodes : {2000u, 10000u, 50000u}) {
    std::string text = R"({"maxSizePerFPGA": 2e9, "maxFPGAs": 14, )"
                       R"("maxCPUs": 8, "nodes": [)";
    for (unsigned v = 0; v != nodes; ++v)
      text += (v ? "," : "") +
              llvm::formatv(R"({{"id": {0}, "supportedOnFpga": 1, )"
                            R"("fpgaLatency": {1}, "cpuLatency": {2}, )"
                            R"("size": {3}})",
                            v, 1 + v % 3, 10 * (1 + v % 3),
                            (1 + v % 5) * 1e8 / (1 + nodes / 2000))
                  .str();
    text += R"(], "edges": [)";
    for (unsigned v = 1; v != nodes; ++v) {
      text += (v > 1 ? "," : "") +
              llvm::formatv(R"({{"sourceId": {0}, "destId": {1}, )"
                            R"("cost": {2}})",
                            v - 1, v, 5 + v % 7)
                  .str();
      if (v % 4 == 0 && v >= 4)
        text += llvm::formatv(R"(,{{"sourceId": {0}, "destId": {1}, )"
                              R"("cost": {2}})",
                              v - 4, v, 5 + (v - 4) % 7)
                    .str();
    }
    text += "]}";
    llvm::Expected<Problem> problem = importMsrJson(text);
    if (!problem) {
      std::printf("| msr chain | error: %s |\n",
                  llvm::toString(problem.takeError()).c_str());
      continue;
    }
    row("MSR-like residual chain, 14 accelerators + 8 cores", *problem);
  }
  std::printf("\n");
}

//===----------------------------------------------------------------------===//
// large
//===----------------------------------------------------------------------===//

/// Peak resident memory of this process so far, MiB.
double peakMiB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

void largeSection(const BenchOptions &bench) {
  std::printf("## 10k- and 50k-op graphs\n\n");
  std::printf(
      "WS(4, 0.75) RandWire graphs of 9998 and 49998 nodes + input and "
      "output (10000 and 50000 ops, width 512 and 256 so that the weights "
      "fit the devices) on cpu-2gpu; split with the pass's defaults "
      "(refine=true, "
      "max-module-size 24, time-limit 60 as a cap, GLPK; budgets scaled by "
      "the graph's size, docs/split.md *Budget*), and the old quick pipeline "
      "(refine=false) beside it. Times in seconds; peak MiB: the bench "
      "process's peak resident memory after the row (it only grows).\n\n");
  std::printf("| ops | objective | pipeline | total s | communities+modules "
              "s | baselines s | forward s | windows s | local search s | in "
              "MILPs s | modules | MILPs run | search work | stop | value | "
              "greedy | heft | peak MiB |\n|---|---|---|---|---|---|---|---|"
              "---|---|---|---|---|---|---|---|---|\n");
  Platform platform = cpu2gpu();
  for (unsigned nodes : {9998u, 49998u}) {
    RandWireOptions shape;
    shape.nodes = nodes;
    // Narrower at 50k ops, so that the weights still fit the devices.
    shape.width = nodes < 20000 ? 512 : 256;
    double start = now();
    Problem problem = makeRandWireProblem(platform, shape);
    double generated = now() - start;
    for (Objective objective : {Objective::Latency, Objective::Throughput}) {
      AlgorithmOptions options;
      options.objective = objective;
      options.solver = bench.solver;
      Run greedy = runNamed("greedy", problem, options);
      Run heft = runNamed("heft", problem, options);
      for (bool refine : {true, false}) {
        options.refine = refine;
        Run run = runSplit(problem, options, SplitOptions());
        if (!run.ok) {
          std::printf("| %u | %s | %s | %s |\n", problem.numNodes(),
                      stringifyObjective(objective).str().c_str(),
                      refine ? "default" : "quick", run.status.c_str());
          continue;
        }
        const llvm::StringMap<double> &stats = run.result.stats;
        std::printf(
            "| %u | %s | %s | %.2f | %.3f | %.3f | %.2f | %.2f | "
            "%.2f | %.2f | %g | %g | %.3g | %s | %s | %s | %s | %.0f "
            "|\n",
            problem.numNodes(), stringifyObjective(objective).str().c_str(),
            refine ? "default" : "quick", run.seconds,
            stats.lookup("seconds.communities"),
            stats.lookup("seconds.baselines"), stats.lookup("seconds.forward"),
            stats.lookup("seconds.windows"),
            stats.lookup("seconds.local-search"), stats.lookup("seconds.milp"),
            stats.lookup("modules"), stats.lookup("modules.milp"),
            stats.lookup("local-search.work"), stopReason(run).c_str(),
            fmt(run.value).c_str(), fmt(greedy.value).c_str(),
            fmt(heft.value).c_str(), peakMiB());
        std::fflush(stdout);
      }
    }
    std::printf("\n%u ops: generating the graph took %.2f s; %u edges.\n\n",
                problem.numNodes(), generated, unsigned(problem.edges.size()));
  }
}

//===----------------------------------------------------------------------===//
// bounds
//===----------------------------------------------------------------------===//

/// The bound with and without the combinatorial bounds (a zero budget
/// turns them off: the bound before issue 18), and the time of the full one.
struct BoundRun {
  double previous = 0;
  LowerBoundResult full;
  double seconds = 0;
};

BoundRun runBounds(const Problem &problem, Objective objective) {
  BoundRun run;
  BoundBudget off;
  off.packingNodes = 0;
  off.pathCells = 0;
  run.previous = lowerBound(problem, objective, false, off);
  double start = now();
  run.full = computeLowerBound(problem, objective);
  run.seconds = now() - start;
  return run;
}

/// Lower bounds against the best value our algorithms find (issue 18): the
/// Tarnawski workloads, proven optima of small RandWire graphs, and the
/// RandWire graphs of the first section (previous vs new bound).
void boundsSection(const BenchOptions &bench) {
  std::printf("## Lower bounds\n\n");
  std::printf(
      "`computeLowerBound()` with its default budgets (docs/objectives.md) "
      "against the best value of fastest-single, greedy, heft, split "
      "(refine=true, time limit 60 s as a cap) and, up to 40 ops, the full "
      "MILP (time limit 10 s). *previous*: the same entry point with the "
      "combinatorial bounds' budgets at 0, i.e. the bound before issue 18. "
      "*source*: the bound that won; *work*: search nodes and DP cells; *s*: "
      "wall seconds of the full bound. Each file of "
      "`%s/{throughput,latency}` is solved for the objective of its "
      "folder.\n\n",
      bench.msrDir.c_str());
  std::printf("### Tarnawski et al. workloads\n\n");
  std::printf("| workload | ops | best | by | previous | previous / best | "
              "bound | bound / best | source | work | s |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const char *dir : {"throughput", "latency"}) {
    Objective objective = llvm::StringRef(dir) == "latency"
                              ? Objective::Latency
                              : Objective::Throughput;
    std::vector<double> before, after;
    for (const std::string &path : msrFiles(bench, dir)) {
      llvm::Expected<Problem> problem = importMsrFile(path);
      std::string name =
          std::string(dir) + "/" + llvm::sys::path::stem(path).str();
      if (!problem) {
        std::printf("| %s | error: %s |\n", name.c_str(),
                    llvm::toString(problem.takeError()).c_str());
        continue;
      }
      AlgorithmOptions options;
      options.objective = objective;
      options.solver = bench.solver;
      Run best;
      std::string by;
      auto consider = [&](const Run &run, const char *name) {
        if (run.ok && run.value < best.value) {
          best.value = run.value;
          by = name;
        }
      };
      for (const char *name : {"fastest-single", "greedy", "heft"})
        consider(runNamed(name, *problem, options), name);
      if (problem->numNodes() <= 40) {
        options.timeLimit = 10;
        consider(runNamed("milp", *problem, options), "milp");
      }
      options.refine = true;
      options.timeLimit = 60;
      consider(runSplit(*problem, options, SplitOptions()), "split");
      BoundRun bound = runBounds(*problem, objective);
      before.push_back(bound.previous / best.value);
      after.push_back(bound.full.value / best.value);
      std::printf("| %s | %u | %s | %s | %s | %.4f | %s | %.4f | %s | %llu | "
                  "%.3f |\n",
                  name.c_str(), problem->numNodes(), fmt(best.value).c_str(),
                  by.c_str(), fmt(bound.previous).c_str(), before.back(),
                  fmt(bound.full.value).c_str(), after.back(),
                  bound.full.source, (unsigned long long)bound.full.work,
                  bound.seconds);
      std::fflush(stdout);
    }
    double worst = after.empty() ? 0 : *llvm::min_element(after);
    std::printf("| **%s: geometric mean** | | | | | %.4f | | %.4f (worst "
                "%.4f) | | | |\n",
                dir, geomean(before), geomean(after), worst);
  }
  std::printf("\n");

  Platform platform = cpu2gpu();
  std::printf("### Proven optima (small RandWire graphs, cpu-2gpu)\n\n");
  std::printf("The full MILP (GLPK, time limit 10 s); only the instances it "
              "proves optimal are listed.\n\n");
  std::printf("| instance | objective | ops | optimum | previous / optimum | "
              "bound / optimum | source |\n|---|---|---|---|---|---|---|\n");
  for (Objective objective : {Objective::Latency, Objective::Throughput}) {
    std::vector<double> ratios;
    for (RandomGraphKind kind :
         {RandomGraphKind::WattsStrogatz, RandomGraphKind::ErdosRenyi,
          RandomGraphKind::BarabasiAlbert})
      for (unsigned nodes : {6u, 8u, 10u})
        for (unsigned seed = 1; seed <= 2; ++seed) {
          RandWireOptions shape;
          shape.kind = kind;
          shape.nodes = nodes;
          shape.seed = seed;
          Problem problem = makeRandWireProblem(platform, shape);
          AlgorithmOptions options;
          options.objective = objective;
          options.solver = bench.solver;
          options.timeLimit = 10;
          Run milp = runNamed("milp", problem, options);
          if (!milp.ok || milp.result.status != SolveStatus::Optimal)
            continue;
          BoundRun bound = runBounds(problem, objective);
          ratios.push_back(bound.full.value / milp.value);
          std::printf("| %s | %s | %u | %s | %.4f | %.4f | %s |\n",
                      instanceName(shape).c_str(),
                      stringifyObjective(objective).str().c_str(),
                      problem.numNodes(), fmt(1e3 * milp.value).c_str(),
                      bound.previous / milp.value, ratios.back(),
                      bound.full.source);
          std::fflush(stdout);
        }
    std::printf("| **%s: worst** | | | | | %.4f | |\n",
                stringifyObjective(objective).str().c_str(),
                ratios.empty() ? 0 : *llvm::min_element(ratios));
  }
  std::printf("\n");

  std::printf("### RandWire graphs of the first section (cpu-2gpu)\n\n");
  std::printf("Bounds only (ms), same instances as the tables above.\n\n");
  std::printf("| instance | objective | ops | previous | bound | bound / "
              "previous | source | s |\n|---|---|---|---|---|---|---|---|\n");
  unsigned weaker = 0, stronger = 0, total = 0;
  for (Objective objective : {Objective::Latency, Objective::Throughput})
    for (RandomGraphKind kind :
         {RandomGraphKind::WattsStrogatz, RandomGraphKind::ErdosRenyi,
          RandomGraphKind::BarabasiAlbert})
      for (unsigned nodes : {50u, 100u, 200u, 300u})
        for (unsigned seed = 1; seed <= bench.seeds && nodes <= bench.maxNodes;
             ++seed) {
          RandWireOptions shape;
          shape.kind = kind;
          shape.nodes = nodes;
          shape.seed = seed;
          Problem problem = makeRandWireProblem(platform, shape);
          BoundRun bound = runBounds(problem, objective);
          ++total;
          weaker += bound.full.value < bound.previous;
          stronger += bound.full.value > bound.previous;
          std::printf("| %s | %s | %u | %s | %s | %.4f | %s | %.3f |\n",
                      instanceName(shape).c_str(),
                      stringifyObjective(objective).str().c_str(),
                      problem.numNodes(), fmt(1e3 * bound.previous).c_str(),
                      fmt(1e3 * bound.full.value).c_str(),
                      bound.full.value / bound.previous, bound.full.source,
                      bound.seconds);
          std::fflush(stdout);
        }
  std::printf("\n%u instances: the bound is stronger on %u, weaker on %u.\n\n",
              total, stronger, weaker);
}

} // namespace

int main(int argc, char **argv) {
  BenchOptions bench;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value after %s\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--section")
      bench.sections.insert(value());
    else if (arg == "--msr-dir")
      bench.msrDir = value();
    else if (arg == "--solver")
      bench.solver = value();
    else if (arg == "--seeds")
      bench.seeds = std::stoi(value());
    else if (arg == "--verbose")
      bench.verbose = true;
    else if (arg == "--debug")
      spdlog::set_level(spdlog::level::debug);
    else if (arg == "--search-work")
      bench.searchWork = std::stod(value());
    else if (arg == "--max-nodes")
      bench.maxNodes = std::stoi(value());
    else {
      std::fprintf(
          stderr,
          "usage: %s [--section randwire|quality|speed|msr|large|"
          "defaults|modules|bounds]... [--msr-dir DIR] [--solver glpk|cbc] "
          "[--seeds N]\n",
          argv[0]);
      return 2;
    }
  }
  verboseRuns = bench.verbose;
  if (bench.wants("randwire"))
    randwireSection(bench);
  if (bench.wants("quality"))
    qualitySection(bench);
  if (bench.wants("speed"))
    speedSection(bench);
  if (bench.wants("msr"))
    msrSection(bench);
  if (bench.wants("large"))
    largeSection(bench);
  if (bench.wants("defaults"))
    defaultsSection(bench);
  if (bench.wants("segments"))
    segmentsSection(bench);
  if (bench.wants("modules"))
    modulesSection(bench);
  if (bench.wants("bounds"))
    boundsSection(bench);
  return 0;
}
