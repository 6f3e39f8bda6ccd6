//===- MsrFormatTest.cpp - Import of Tarnawski et al. workloads -----------===//

#include "RandomProblem.h"

#include "diviml/Algorithms/Algorithms.h"
#include "diviml/Bounds/LowerBound.h"
#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Workloads/MsrFormat.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

using namespace diviml;
using namespace diviml::testing;

namespace {

std::string errorOf(llvm::Expected<Problem> problem) {
  return problem ? std::string() : llvm::toString(problem.takeError());
}

Problem importOrFail(llvm::StringRef text) {
  llvm::Expected<Problem> problem = importMsrJson(text);
  if (!problem) {
    ADD_FAILURE() << llvm::toString(problem.takeError());
    return Problem();
  }
  return std::move(*problem);
}

TEST(MsrFormatTest, ImportsTheHandMadeWorkload) {
  llvm::Expected<Problem> imported =
      importMsrFile(DIVIML_TEST_INPUTS "/msr-small.json");
  ASSERT_TRUE(bool(imported)) << llvm::toString(imported.takeError());
  const Problem &problem = *imported;
  // acc0 acc1 cpu0 cpu1; cpu0 is the host.
  ASSERT_EQ(problem.numDevices(), 4u);
  EXPECT_EQ(problem.platform.devices[1].name, "acc1");
  EXPECT_EQ(problem.platform.devices[1].kind, DeviceKind::Accel);
  EXPECT_EQ(problem.platform.devices[1].memoryCapacity, 100);
  EXPECT_EQ(problem.platform.devices[3].name, "cpu1");
  EXPECT_EQ(problem.platform.devices[3].memoryCapacity, kInfinity);
  EXPECT_EQ(problem.platform.host, std::optional<unsigned>(2));
  EXPECT_FALSE(problem.platform.transfersOverlapCompute);
  EXPECT_DOUBLE_EQ(problem.platform.transferTime(0, 2, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(problem.platform.transferTime(3, 2, 0.5), 0);
  ASSERT_EQ(problem.numNodes(), 5u);
  EXPECT_EQ(problem.nodes[2].name, "12");
  EXPECT_EQ(problem.nodes[2].time,
            (std::vector<double>{kInfinity, kInfinity, 5, 5}));
  EXPECT_EQ(problem.nodes[1].time, (std::vector<double>{3, 3, 6, 6}));
  EXPECT_EQ(problem.nodes[4].memory, 60);
  EXPECT_GE(problem.nodes[0].colocationGroup, 0);
  EXPECT_EQ(problem.nodes[0].colocationGroup, problem.nodes[3].colocationGroup);
  EXPECT_LT(problem.nodes[1].colocationGroup, 0);
  EXPECT_DOUBLE_EQ(problem.outputBytes(3), 2);

  // 10, 13 on acc0; 11 on acc1; 12 on cpu1; 14 on cpu0.
  Solution solution{{0, 1, 3, 0, 2}, {}, {}};
  Evaluation eval = evaluate(problem, solution, Objective::Throughput);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  // The paper's max load, by hand:
  // acc0 = 2 + 1 (compute) + 0.5 (10 feeds 11, 12) + 2 (13 feeds 14) = 5.5
  // acc1 = 3 + 0.5 (receives 10) + 1.5 (11 feeds 14) = 5
  // cpu0 = 4, cpu1 = 5; max = 5.5.
  EXPECT_EQ(eval.deviceLoad, (std::vector<double>{5.5, 5, 4, 5}));
  EXPECT_DOUBLE_EQ(eval.value, 5.5);

  // Latency (transfers hold the accelerators, not the host):
  // 10 acc0 0-2. 11: 10's tensor acc0->cpu0 2-2.5, cpu0->acc1 2.5-3;
  // 11 acc1 3-6. 12: staged copy at cpu0 (2.5), free hop to cpu1; 12 cpu1
  // 2.5-7.5. 13: acc0 is busy sending until 2.5; 13 2.5-3.5. 14 on cpu0:
  // 11's tensor 6-7.5, 12's free at 7.5, 13's 3.5-5.5; 14 7.5-11.5.
  eval = evaluate(problem, solution, Objective::Latency);
  ASSERT_TRUE(eval.feasible) << eval.reason;
  EXPECT_EQ(eval.start, (std::vector<double>{0, 3, 2.5, 2.5, 7.5}));
  EXPECT_DOUBLE_EQ(eval.value, 11.5);

  // 14 joins 10 and 13 on acc0: 40 + 30 + 60 > 100.
  solution.device[4] = 0;
  eval = evaluate(problem, solution, Objective::Throughput);
  EXPECT_FALSE(eval.feasible);
  EXPECT_NE(eval.reason.find("device 'acc0'"), std::string::npos)
      << eval.reason;

  EXPECT_EQ(exportMsrSplit(problem, Solution{{0, 1, 3, 0, 2}, {}, {}}),
            R"({"fpgas":[{"nodes":[10,13]},{"nodes":[11]}],)"
            R"("cpus":[{"nodes":[14]},{"nodes":[12]}]})");
}

TEST(MsrFormatTest, ErrorsNameTheField) {
  EXPECT_NE(errorOf(importMsrJson("{")).find("not valid JSON"),
            std::string::npos);
  EXPECT_EQ(errorOf(importMsrJson(R"({"maxFPGAs": 1, "maxCPUs": 1})")),
            "MSR workload: top level: 'maxSizePerFPGA' is missing or not a "
            "number from 0 to 1e+15");
  std::string header =
      R"({"maxSizePerFPGA": 10, "maxFPGAs": 1, "maxCPUs": 1, )";
  EXPECT_EQ(errorOf(importMsrJson(header + R"("nodes": [], "edges": 3})")),
            "MSR workload: 'edges' is missing or not an array");
  EXPECT_EQ(
      errorOf(
          importMsrJson(header + R"("nodes": [{"id": 4, "supportedOnFpga": 1,
             "cpuLatency": "slow", "fpgaLatency": 1, "size": 0}],
             "edges": []})")),
      "MSR workload: node 4: 'cpuLatency' is missing or not a number from 0 "
      "to 1e+15");
  EXPECT_EQ(
      errorOf(
          importMsrJson(header + R"("nodes": [{"id": 4, "supportedOnFpga": 2,
             "cpuLatency": 1, "fpgaLatency": 1, "size": 0}],
             "edges": []})")),
      "MSR workload: node 4: 'supportedOnFpga' is missing or not a boolean "
      "or 0/1");
  std::string node4 = R"({"id": 4, "supportedOnFpga": 1, "cpuLatency": 1,
                          "fpgaLatency": 1, "size": 0})";
  EXPECT_EQ(errorOf(importMsrJson(header + R"("nodes": [)" + node4 + "," +
                                  node4 + R"(], "edges": []})")),
            "MSR workload: node id 4 appears twice");
  EXPECT_EQ(errorOf(importMsrJson(header + R"("nodes": [)" + node4 +
                                  R"(], "edges": [{"sourceId": 4,
                                  "destId": 9, "cost": 1}]})")),
            "MSR workload: edges[0] (4 -> 9) names node 9, which does not "
            "exist");
  EXPECT_EQ(errorOf(importMsrJson(header + R"("nodes": [)" + node4 +
                                  R"(], "edges": [{"sourceId": 4,
                                  "destId": 4}]})")),
            "MSR workload: edges[0]: 'cost' is missing or not a number from 0 "
            "to 1e+15");
  EXPECT_EQ(errorOf(importMsrJson(
                R"({"maxSizePerFPGA": 10, "maxFPGAs": 1, "maxCPUs": 0,
                    "nodes": [], "edges": []})")),
            "MSR workload: 'maxCPUs' is 0, not in 1..4096 (cpu0 is the host)");
  EXPECT_NE(errorOf(importMsrFile("/nonexistent/msr.json"))
                .find("cannot read '/nonexistent/msr.json'"),
            std::string::npos);
}

/// A workload in the artifact's terms, kept apart from the importer so the
/// reference formula below does not share its code.
struct MsrWorkload {
  struct NodeData {
    int64_t id;
    bool supported;
    double cpuLatency, fpgaLatency;
    int64_t color; // -1: none.
  };
  struct EdgeData {
    unsigned src, dst; // Indices into nodes.
    double cost;
  };
  unsigned numAccels, numCpus;
  std::vector<NodeData> nodes;
  std::vector<EdgeData> edges;

  std::string toJson() const {
    llvm::json::Array nodeArray, edgeArray;
    for (const NodeData &node : nodes) {
      llvm::json::Object object{{"id", node.id},
                                {"supportedOnFpga", node.supported ? 1 : 0},
                                {"cpuLatency", node.cpuLatency},
                                {"fpgaLatency", node.fpgaLatency},
                                {"isBackwardNode", false},
                                {"size", 1.0}};
      if (node.color >= 0)
        object["colorClass"] = node.color;
      nodeArray.push_back(std::move(object));
    }
    for (const EdgeData &edge : edges)
      edgeArray.push_back(llvm::json::Object{{"sourceId", nodes[edge.src].id},
                                             {"destId", nodes[edge.dst].id},
                                             {"cost", edge.cost}});
    llvm::json::Object root{{"maxSizePerFPGA", 1e9},
                            {"maxFPGAs", numAccels},
                            {"maxCPUs", numCpus},
                            {"nodes", std::move(nodeArray)},
                            {"edges", std::move(edgeArray)}};
    return llvm::formatv("{0}", llvm::json::Value(std::move(root))).str();
  }

  /// The README's max-load formula; `device` < numAccels is an
  /// accelerator, the rest CPU cores.
  double maxLoad(const std::vector<unsigned> &device) const {
    std::vector<double> load(numAccels + numCpus, 0);
    for (unsigned v = 0; v != nodes.size(); ++v)
      load[device[v]] +=
          device[v] < numAccels ? nodes[v].fpgaLatency : nodes[v].cpuLatency;
    std::set<unsigned> sendsOut;
    std::set<std::pair<unsigned, unsigned>> receives; // (u, accelerator)
    for (const EdgeData &edge : edges) {
      unsigned from = device[edge.src], to = device[edge.dst];
      if (from == to)
        continue;
      if (from < numAccels && sendsOut.insert(edge.src).second)
        load[from] += edge.cost;
      if (to < numAccels && receives.insert({edge.src, to}).second)
        load[to] += edge.cost;
    }
    return *std::max_element(load.begin(), load.end());
  }
};

MsrWorkload randomWorkload(Random &random) {
  MsrWorkload workload;
  workload.numAccels = random.between(1u, 3u);
  workload.numCpus = random.between(1u, 3u);
  unsigned n = random.between(1u, 25u);
  for (unsigned v = 0; v != n; ++v) {
    int64_t color = random.chance(0.3) ? int64_t(random.below(4)) : -1;
    // Ids neither start at 0 nor follow the file order.
    workload.nodes.push_back({int64_t(1000 - 7 * v), random.chance(0.8),
                              double(random.between(0u, 20u)),
                              random.between(0u, 40u) * 0.25, color});
  }
  for (unsigned u = 0; u + 1 < n; ++u) {
    double cost = random.between(0u, 12u) * 0.5;
    for (unsigned i = 0, e = random.between(0u, 3u); i != e; ++i)
      workload.edges.push_back({u, random.between(u + 1, n - 1), cost});
  }
  return workload;
}

TEST(MsrFormatTest, EvaluatorReproducesThePapersMaxLoad) {
  Random random(42);
  unsigned compared = 0;
  for (unsigned trial = 0; trial != 200; ++trial) {
    MsrWorkload workload = randomWorkload(random);
    Problem problem = importOrFail(workload.toJson());
    ASSERT_EQ(problem.numNodes(), workload.nodes.size());
    unsigned numAccels = workload.numAccels;
    unsigned numDev = numAccels + workload.numCpus;
    // A colour class with an unsupported member must live on a CPU.
    std::map<int64_t, bool> colorNeedsCpu;
    for (const MsrWorkload::NodeData &node : workload.nodes)
      if (node.color >= 0)
        colorNeedsCpu[node.color] |= !node.supported;
    for (unsigned placementTrial = 0; placementTrial != 5; ++placementTrial) {
      std::vector<unsigned> device(workload.nodes.size());
      std::map<int64_t, unsigned> colorDevice;
      for (unsigned v = 0; v != device.size(); ++v) {
        const MsrWorkload::NodeData &node = workload.nodes[v];
        bool cpuOnly =
            node.color >= 0 ? colorNeedsCpu[node.color] : !node.supported;
        unsigned d = cpuOnly ? numAccels + random.below(workload.numCpus)
                             : random.below(numDev);
        if (node.color >= 0)
          d = colorDevice.try_emplace(node.color, d).first->second;
        device[v] = d;
      }
      Evaluation eval =
          evaluate(problem, Solution{device, {}, {}}, Objective::Throughput);
      ASSERT_TRUE(eval.feasible) << eval.reason;
      EXPECT_NEAR(eval.value, workload.maxLoad(device), 1e-9)
          << "trial " << trial;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 1000u);
}

/// Where the artifact's workloads are: $DIVIML_MSR_DIR, else shared/ beside
/// the repository. Empty when absent (a user's clone has none).
std::string msrWorkloadDir() {
  if (const char *dir = std::getenv("DIVIML_MSR_DIR"))
    return dir;
  return DIVIML_MSR_WORKLOADS;
}

TEST(MsrFormatTest, PublishedWorkloads) {
  std::string root = msrWorkloadDir();
  if (!llvm::sys::fs::is_directory(root + "/throughput"))
    GTEST_SKIP() << "no MSR workloads at " << root;
  std::printf("%-11s %-22s %-15s %14s %14s\n", "folder", "workload",
              "algorithm", "latency", "throughput");
  for (const char *folder : {"throughput", "latency"}) {
    std::error_code ec;
    std::vector<std::string> files;
    for (llvm::sys::fs::directory_iterator it(root + "/" + folder, ec), end;
         it != end && !ec; it.increment(ec))
      if (llvm::sys::path::extension(it->path()) == ".json")
        files.push_back(it->path());
    std::sort(files.begin(), files.end());
    ASSERT_FALSE(files.empty()) << folder;
    for (const std::string &file : files) {
      llvm::Expected<Problem> problem = importMsrFile(file);
      ASSERT_TRUE(bool(problem)) << llvm::toString(problem.takeError());
      std::string name = llvm::sys::path::stem(file).str();
      double bounds[2] = {latencyLowerBound(*problem),
                          throughputLowerBound(*problem)};
      std::printf("%-11s %-22s %-15s %14.6g %14.6g\n", folder, name.c_str(),
                  "lower-bound", bounds[0], bounds[1]);
      for (llvm::StringRef algorithm : algorithmNames()) {
        // The solver-based algorithms run to their time limit on these
        // graphs; bench/msr_baselines.py measures them.
        if (algorithm == "milp" || algorithm == "split")
          continue;
        double values[2];
        for (Objective objective :
             {Objective::Latency, Objective::Throughput}) {
          AlgorithmOptions options;
          options.objective = objective;
          llvm::Expected<AlgorithmResult> result =
              runAlgorithm(algorithm, *problem, options);
          ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
          Evaluation eval = evaluate(*problem, result->solution, objective);
          ASSERT_TRUE(eval.feasible) << eval.reason;
          values[objective == Objective::Throughput] = eval.value;
          EXPECT_LE(bounds[objective == Objective::Throughput], eval.value)
              << name << " " << algorithm.str();
        }
        std::printf("%-11s %-22s %-15s %14.6g %14.6g\n", folder, name.c_str(),
                    algorithm.str().c_str(), values[0], values[1]);
      }
    }
  }
}

} // namespace
