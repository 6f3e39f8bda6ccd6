//===- MilpThroughput.cpp - The throughput MILP ---------------------------===//
//
// minimise P subject to: every device's busy time per sample (compute plus
// charged transfer legs, over its slots) <= P, every link's load <= P,
// memory, colocation; a leg (tensor u over link l) counts once however many
// consumers need it. Written out in docs/milp.md.
//
//===----------------------------------------------------------------------===//

#include "MilpCommon.h"

#include "diviml/Model/Solution.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace diviml;
using namespace diviml::milp;

/// Whether leg `leg` is used by `placement`: its producer on a source and
/// some consumer on a device where the route crosses the link.
static bool legUsed(const LegInfo &leg,
                    const std::vector<unsigned> &placement) {
  if (!llvm::is_contained(leg.sources, placement[leg.producer]))
    return false;
  for (unsigned i = 0, e = leg.consumers.size(); i != e; ++i)
    if (llvm::is_contained(leg.consumerDevices[i], placement[leg.consumers[i]]))
      return true;
  return false;
}

double milp::throughputPeriod(const Instance &instance,
                              const std::vector<unsigned> &placement) {
  const Problem &problem = instance.problem;
  const Platform &platform = problem.platform;
  const MilpBoundary &boundary = instance.boundary;
  std::vector<double> load(instance.numDevices, 0),
      linkLoad(instance.numLinks, 0);
  if (!boundary.deviceLoad.empty())
    load = boundary.deviceLoad;
  if (!boundary.linkLoad.empty())
    linkLoad = boundary.linkLoad;
  for (unsigned v = 0; v != instance.numNodes; ++v)
    load[placement[v]] += instance.nodeTime(v, placement[v]);
  for (const LegInfo &leg : instance.legs) {
    if (!legUsed(leg, placement))
      continue;
    const Link &link = platform.links[leg.link];
    linkLoad[leg.link] += leg.duration;
    if (platform.chargesDevice(link.from))
      load[link.from] += leg.duration;
    if (platform.chargesDevice(link.to))
      load[link.to] += leg.duration;
  }
  double period = 0;
  for (unsigned d = 0; d != instance.numDevices; ++d)
    period = std::max(period, load[d] / platform.devices[d].slots);
  for (double l : linkLoad)
    period = std::max(period, l);
  return period;
}

namespace {

/// The model and where its variables are.
struct ThroughputModel {
  MilpModel model;
  PlacementVariables place;
  /// Per leg: the continuous "leg used" indicator, or -1 for free legs
  /// (they add nothing to any load).
  std::vector<int> used;
  unsigned period = 0;
};

ThroughputModel buildModel(const Instance &instance, double scale,
                           double upperBound) {
  const Problem &problem = instance.problem;
  const Platform &platform = problem.platform;
  const MilpBoundary &boundary = instance.boundary;
  ThroughputModel tm;
  MilpModel &model = tm.model;
  tm.place = addPlacement(model, instance);
  const PlacementVariables &place = tm.place;
  tm.period = model.addContinuous(0, upperBound / scale, "P");
  model.setObjective(tm.period, 1);

  // used >= [producer on a source] + [consumer on a destination] - 1 for
  // every consumer: the AND of two one-hot sums, OR-ed over consumers.
  // Minimising P pushes it down to exactly that OR wherever it matters.
  tm.used.assign(instance.legs.size(), -1);
  for (unsigned i = 0, e = instance.legs.size(); i != e; ++i) {
    const LegInfo &leg = instance.legs[i];
    if (leg.isFree())
      continue;
    unsigned used = model.addContinuous(
        0, 1, llvm::formatv("used_{0}_{1}", leg.producer, leg.link).str());
    tm.used[i] = used;
    for (unsigned c = 0, ce = leg.consumers.size(); c != ce; ++c) {
      std::vector<MilpTerm> row = {{used, 1}};
      place.addSum(row, leg.producer, leg.sources, -1);
      place.addSum(row, leg.consumers[c], leg.consumerDevices[c], -1);
      model.addGreaterEqual(row, -1,
                            llvm::formatv("need_{0}_{1}_{2}", leg.producer,
                                          leg.link, leg.consumers[c])
                                .str());
    }
  }

  // The used legs of every link and charged device, in leg order (one pass
  // over the legs, not one per device and per link: a cluster has
  // thousands of links).
  std::vector<std::vector<unsigned>> legsOfLink(instance.numLinks),
      legsOfDevice(instance.numDevices);
  for (unsigned i = 0, e = instance.legs.size(); i != e; ++i) {
    if (tm.used[i] < 0)
      continue;
    const Link &link = platform.links[instance.legs[i].link];
    legsOfLink[instance.legs[i].link].push_back(i);
    legsOfDevice[link.from].push_back(i);
    if (link.to != link.from)
      legsOfDevice[link.to].push_back(i);
  }
  // Device d: (accumulated + compute + charged legs) / slots <= P.
  for (unsigned d = 0; d != instance.numDevices; ++d) {
    std::vector<MilpTerm> row;
    for (unsigned v = 0; v != instance.numNodes; ++v)
      if (instance.nodeTime(v, d) != 0)
        place.addTerm(row, v, d, instance.nodeTime(v, d) / scale);
    if (platform.chargesDevice(d))
      for (unsigned i : legsOfDevice[d])
        row.push_back(
            {unsigned(tm.used[i]), instance.legs[i].duration / scale});
    row.push_back({tm.period, -double(platform.devices[d].slots)});
    double before = boundary.deviceLoad.empty() ? 0 : boundary.deviceLoad[d];
    model.addLessEqual(row, -before / scale,
                       llvm::formatv("device_{0}", d).str());
  }
  // Link l: accumulated + legs <= P.
  for (unsigned l = 0; l != instance.numLinks; ++l) {
    std::vector<MilpTerm> row;
    for (unsigned i : legsOfLink[l])
      row.push_back({unsigned(tm.used[i]), instance.legs[i].duration / scale});
    double before = boundary.linkLoad.empty() ? 0 : boundary.linkLoad[l];
    if (row.empty() && before == 0)
      continue;
    row.push_back({tm.period, -1});
    model.addLessEqual(row, -before / scale,
                       llvm::formatv("link_{0}", l).str());
  }
  return tm;
}

/// Every variable of `tm` for `placement`.
std::vector<double> startValues(const Instance &instance,
                                const ThroughputModel &tm,
                                const std::vector<unsigned> &placement,
                                double scale) {
  std::vector<double> values(tm.model.numVariables(), 0);
  setPlacement(tm.place, placement, values);
  for (unsigned i = 0, e = instance.legs.size(); i != e; ++i)
    if (tm.used[i] >= 0)
      values[tm.used[i]] = legUsed(instance.legs[i], placement) ? 1 : 0;
  values[tm.period] = throughputPeriod(instance, placement) / scale;
  return values;
}

/// A time unit that keeps the model's numbers near 1.
double timeScale(const Instance &instance, double upperBound) {
  if (upperBound > 0 && upperBound < kInfinity)
    return upperBound;
  double total = 0;
  for (unsigned v = 0; v != instance.numNodes; ++v) {
    double fastest = kInfinity;
    for (unsigned d : instance.allowed[v])
      fastest = std::min(fastest, instance.nodeTime(v, d));
    if (fastest < kInfinity)
      total += fastest;
  }
  return total > 0 ? total / instance.numDevices : 1;
}

} // namespace

double milp::throughputModelTerms(const Instance &instance) {
  // Placement: each (node, allowed device) in its one-hot row, a memory
  // row and a device row.
  double terms = 0;
  for (unsigned v = 0; v != instance.numNodes; ++v)
    terms += 3.0 * instance.allowed[v].size();
  // Each charged leg: its "used" rows (the indicator, the producer's
  // sources, the consumer's devices), its link row and two device rows.
  for (const LegInfo &leg : instance.legs) {
    if (leg.isFree())
      continue;
    terms += 3;
    for (const std::vector<unsigned> &devices : leg.consumerDevices)
      terms += 1.0 + leg.sources.size() + devices.size();
  }
  return terms + instance.numDevices + instance.numLinks;
}

llvm::Expected<MilpOutcome>
milp::solveThroughputMilp(const Instance &instance, const MilpOptions &options,
                          const std::vector<unsigned> *start,
                          MilpSolver &solver) {
  double upperBound = start ? throughputPeriod(instance, *start) : kInfinity;
  double scale = timeScale(instance, upperBound);
  ThroughputModel tm = buildModel(instance, scale, upperBound);
  MilpSolveOptions solveOptions;
  solveOptions.timeLimit = options.timeLimit;
  solveOptions.workLimit = options.workLimit;
  solveOptions.relativeGap = options.relativeGap;
  if (options.progress)
    solveOptions.progress = [&](double incumbent, double bound) {
      options.progress(incumbent * scale, bound * scale);
    };
  if (start) {
    std::vector<double> values = startValues(instance, tm, *start, scale);
    for (unsigned j = 0, e = values.size(); j != e; ++j)
      solveOptions.warmStart.push_back({j, values[j]});
  }
  llvm::Expected<MilpResult> result = solver.solve(tm.model, solveOptions);
  if (!result)
    return result.takeError();
  MilpOutcome outcome;
  if (llvm::Error err =
          finishOutcome(instance, options, tm.model, *result, scale, outcome))
    return std::move(err);
  outcome.solution.device = readPlacement(instance, tm.place, result->values);
  outcome.value =
      solutionValue(instance, Objective::Throughput, outcome.solution);
  return outcome;
}

MilpPointCheck milp::checkThroughputPoint(const Instance &instance,
                                          const Solution &solution) {
  double upperBound = throughputPeriod(instance, solution.device);
  double scale = timeScale(instance, upperBound);
  ThroughputModel tm = buildModel(instance, scale, upperBound);
  std::vector<double> values =
      startValues(instance, tm, solution.device, scale);
  MilpPointCheck check;
  check.violation = tm.model.maxViolation(values, &check.worst);
  check.objective = tm.model.objectiveValue(values) * scale;
  return check;
}
