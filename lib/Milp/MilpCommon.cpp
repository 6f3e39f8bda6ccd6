//===- MilpCommon.cpp - Instance data and placement variables -------------===//

#include "MilpCommon.h"

#include "diviml/Evaluation/Evaluate.h"
#include "diviml/Model/Solution.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <map>

using namespace diviml;
using namespace diviml::milp;

static llvm::Error boundaryError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "bad MILP boundary: " + message);
}

llvm::Error milp::checkBoundary(const Problem &problem,
                                const MilpBoundary &boundary) {
  unsigned n = problem.numNodes(), numDev = problem.numDevices(),
           numLinks = problem.platform.links.size();
  auto checkTimes = [&](const std::vector<double> &values, unsigned size,
                        llvm::StringRef what) -> llvm::Error {
    if (!values.empty() && values.size() != size)
      return boundaryError(llvm::formatv("{0} has {1} entries, expected {2}",
                                         what, values.size(), size));
    for (double value : values)
      if (!std::isfinite(value) || value < 0)
        return boundaryError(llvm::formatv(
            "{0} holds {1}; values must be finite and >= 0", what, value));
    return llvm::Error::success();
  };
  if (llvm::Error err = checkTimes(boundary.releaseTime, n, "releaseTime"))
    return err;
  if (llvm::Error err = checkTimes(boundary.deviceReady, numDev, "deviceReady"))
    return err;
  if (llvm::Error err = checkTimes(boundary.linkReady, numLinks, "linkReady"))
    return err;
  if (llvm::Error err = checkTimes(boundary.memoryUsed, numDev, "memoryUsed"))
    return err;
  if (llvm::Error err = checkTimes(boundary.deviceLoad, numDev, "deviceLoad"))
    return err;
  if (llvm::Error err = checkTimes(boundary.linkLoad, numLinks, "linkLoad"))
    return err;
  if (!boundary.fixedDevice.empty() && boundary.fixedDevice.size() != n)
    return boundaryError(
        llvm::formatv("fixedDevice has {0} entries, expected {1}",
                      boundary.fixedDevice.size(), n));
  for (unsigned v = 0, e = boundary.fixedDevice.size(); v != e; ++v) {
    std::optional<unsigned> d = boundary.fixedDevice[v];
    if (d && (*d >= numDev || !problem.nodes[v].canRunOn(*d)))
      return boundaryError(llvm::formatv(
          "node '{0}' is fixed to device {1}, where it cannot run",
          problem.nodes[v].name, *d));
  }
  return llvm::Error::success();
}

/// Devices a and b can be swapped without changing any value: the platform
/// says the hardware and links are the same; the node times and boundary
/// values must agree too.
static bool interchangeable(const Problem &problem,
                            const MilpBoundary &boundary,
                            const LinkIndex &links, unsigned a, unsigned b) {
  for (const Node &node : problem.nodes)
    if (node.time[a] != node.time[b])
      return false;
  for (const std::optional<unsigned> &fixed : boundary.fixedDevice)
    if (fixed && (*fixed == a || *fixed == b))
      return false;
  auto same = [&](const std::vector<double> &values, unsigned p, unsigned q) {
    return values.empty() || values[p] == values[q];
  };
  if (!same(boundary.deviceReady, a, b) || !same(boundary.memoryUsed, a, b) ||
      !same(boundary.deviceLoad, a, b))
    return false;
  // Links swap with the devices: a<->c maps to b<->c, a<->b to b<->a.
  const Platform &platform = problem.platform;
  auto linkValuesAgree = [&](std::optional<unsigned> p,
                             std::optional<unsigned> q) {
    if (!p || !q)
      return !p && !q;
    return same(boundary.linkReady, *p, *q) && same(boundary.linkLoad, *p, *q);
  };
  auto image = [&](unsigned d) { return d == a ? b : d == b ? a : d; };
  for (unsigned x = 0, e = platform.numDevices(); x != e; ++x)
    for (unsigned y = 0; y != e; ++y)
      if (x != y &&
          !linkValuesAgree(links.find(x, y), links.find(image(x), image(y))))
        return false;
  return true;
}

Instance::Instance(const Problem &problem, const MilpBoundary &boundary)
    : problem(problem), boundary(boundary), routes(problem.platform),
      numNodes(problem.numNodes()), numDevices(problem.numDevices()),
      numLinks(problem.platform.links.size()) {
  // Colocation groups share one representative and one allowed set.
  representative.resize(numNodes);
  std::map<int, unsigned> firstOfGroup;
  for (unsigned v = 0; v != numNodes; ++v) {
    int group = problem.nodes[v].colocationGroup;
    representative[v] =
        group < 0 ? v : firstOfGroup.try_emplace(group, v).first->second;
  }
  allowed.assign(numNodes, {});
  for (unsigned v = 0; v != numNodes; ++v) {
    if (representative[v] != v)
      continue;
    for (unsigned d = 0; d != numDevices; ++d) {
      bool ok = true;
      for (unsigned w = v; w != numNodes && ok; ++w) {
        if (representative[w] != v)
          continue;
        ok = problem.nodes[w].canRunOn(d) &&
             (boundary.fixedDevice.empty() || !boundary.fixedDevice[w] ||
              *boundary.fixedDevice[w] == d);
      }
      if (ok)
        allowed[v].push_back(d);
    }
  }
  for (unsigned v = 0; v != numNodes; ++v)
    allowed[v] = allowed[representative[v]];

  // For every link, the (source, destination) device pairs routed over it.
  std::vector<std::vector<bool>> linkSource(
      numLinks, std::vector<bool>(numDevices, false)),
      linkDest(numLinks, std::vector<bool>(numDevices, false));
  for (unsigned a = 0; a != numDevices; ++a)
    for (unsigned d = 0; d != numDevices; ++d)
      if (const llvm::SmallVector<Leg, 2> *route = routes.route(a, d))
        for (const Leg &leg : *route) {
          linkSource[leg.link][a] = true;
          linkDest[leg.link][d] = true;
        }

  for (unsigned l = 0; l != numLinks; ++l)
    for (unsigned a = 0; a != numDevices; ++a)
      for (unsigned d = 0; d != numDevices; ++d)
        if (linkSource[l][a] && linkDest[l][d]) {
          const llvm::SmallVector<Leg, 2> *route = routes.route(a, d);
          productRoutes &= route && llvm::any_of(*route, [&](const Leg &leg) {
                             return leg.link == l;
                           });
        }

  legIndex.assign(numNodes, std::vector<int>(numLinks, -1));
  const Platform &platform = problem.platform;
  for (unsigned u = 0; u != numNodes; ++u) {
    if (problem.successors(u).empty())
      continue;
    for (unsigned l = 0; l != numLinks; ++l) {
      LegInfo leg;
      leg.producer = u;
      leg.link = l;
      leg.duration = platform.links[l].transferTime(problem.outputBytes(u));
      for (unsigned a : allowed[u])
        if (linkSource[l][a])
          leg.sources.push_back(a);
      if (leg.sources.empty())
        continue;
      for (unsigned w : problem.successors(u)) {
        std::vector<unsigned> devices;
        for (unsigned d : allowed[w])
          if (linkDest[l][d])
            devices.push_back(d);
        if (devices.empty())
          continue;
        leg.consumers.push_back(w);
        leg.consumerDevices.push_back(std::move(devices));
      }
      if (leg.consumers.empty())
        continue;
      for (unsigned a : leg.sources)
        if (a != platform.links[l].from)
          leg.stagedSources.push_back(a);
      legIndex[u][l] = legs.size();
      legs.push_back(std::move(leg));
    }
  }

  LinkIndex links(problem.platform);
  for (const std::vector<unsigned> &cls :
       problem.platform.identicalDeviceClasses()) {
    // Split the platform's class by the instance's own data.
    std::vector<std::vector<unsigned>> refined;
    for (unsigned d : cls) {
      auto it = llvm::find_if(refined, [&](const std::vector<unsigned> &r) {
        return interchangeable(problem, boundary, links, r.front(), d);
      });
      if (it == refined.end())
        refined.push_back({d});
      else
        it->push_back(d);
    }
    for (std::vector<unsigned> &r : refined)
      if (r.size() > 1)
        symmetricDevices.push_back(std::move(r));
  }
}

bool Instance::admits(const std::vector<unsigned> &placement) const {
  if (placement.size() != numNodes)
    return false;
  std::vector<double> memory(numDevices, 0);
  for (unsigned v = 0; v != numNodes; ++v) {
    if (!llvm::is_contained(allowed[v], placement[v]) ||
        placement[v] != placement[representative[v]])
      return false;
    memory[placement[v]] += problem.nodes[v].memory;
  }
  for (unsigned d = 0; d != numDevices; ++d)
    if (!fitsInMemory(memory[d] + memoryUsed(d),
                      problem.platform.devices[d].memoryCapacity))
      return false;
  return true;
}

void Instance::numberByFirstUse(std::vector<unsigned> &placement) const {
  for (const std::vector<unsigned> &cls : symmetricDevices) {
    std::vector<std::optional<unsigned>> rename(numDevices);
    unsigned used = 0;
    // Representatives in index order, as the symmetry rows read them.
    for (unsigned v = 0; v != numNodes; ++v) {
      unsigned d = placement[representative[v]];
      if (representative[v] == v && llvm::is_contained(cls, d) && !rename[d])
        rename[d] = cls[used++];
    }
    for (unsigned d : cls)
      if (!rename[d])
        rename[d] = cls[used++];
    for (unsigned &d : placement)
      if (rename[d])
        d = *rename[d];
  }
}

void PlacementVariables::addSum(std::vector<MilpTerm> &terms, unsigned v,
                                llvm::ArrayRef<unsigned> devices,
                                double coef) const {
  for (unsigned d : devices)
    addTerm(terms, v, d, coef);
}

PlacementVariables milp::addPlacement(MilpModel &model,
                                      const Instance &instance) {
  const Problem &problem = instance.problem;
  unsigned n = instance.numNodes, numDev = instance.numDevices;
  PlacementVariables vars;
  vars.x.assign(n, std::vector<int>(numDev, -1));
  for (unsigned v = 0; v != n; ++v) {
    unsigned rep = instance.representative[v];
    if (rep != v) {
      vars.x[v] = vars.x[rep];
      continue;
    }
    std::vector<MilpTerm> one;
    for (unsigned d : instance.allowed[v]) {
      vars.x[v][d] = model.addBinary(llvm::formatv("x_{0}_{1}", v, d).str());
      one.push_back({unsigned(vars.x[v][d]), 1});
    }
    // An empty row (no allowed device) makes the model infeasible, which
    // is the truth.
    model.addEqual(one, 1, llvm::formatv("assign_{0}", v).str());
  }
  for (unsigned d = 0; d != numDev; ++d) {
    double capacity = problem.platform.devices[d].memoryCapacity;
    if (capacity == kInfinity)
      continue;
    std::vector<MilpTerm> memory;
    for (unsigned v = 0; v != n; ++v)
      if (problem.nodes[v].memory != 0)
        vars.addTerm(memory, v, d, problem.nodes[v].memory);
    // The same relative slack as verify(), so both agree on what fits.
    model.addLessEqual(memory,
                       capacity * (1 + kMemorySlack) - instance.memoryUsed(d),
                       llvm::formatv("memory_{0}", d).str());
  }
  // Interchangeable devices are numbered by first use: a node may take the
  // j-th device of a class only if an earlier node took the (j-1)-th.
  for (const std::vector<unsigned> &cls : instance.symmetricDevices) {
    for (unsigned j = 1; j < cls.size(); ++j) {
      std::vector<MilpTerm> earlier;
      for (unsigned v = 0; v != n; ++v) {
        if (instance.representative[v] != v)
          continue;
        if (vars.x[v][cls[j]] >= 0) {
          std::vector<MilpTerm> row = {{unsigned(vars.x[v][cls[j]]), 1}};
          for (const MilpTerm &term : earlier)
            row.push_back({term.var, -1});
          model.addLessEqual(
              row, 0, llvm::formatv("symmetry_{0}_{1}", v, cls[j]).str());
        }
        vars.addTerm(earlier, v, cls[j - 1]);
      }
    }
  }
  return vars;
}

void milp::setPlacement(const PlacementVariables &vars,
                        const std::vector<unsigned> &placement,
                        std::vector<double> &values) {
  for (unsigned v = 0, n = vars.x.size(); v != n; ++v)
    for (unsigned d = 0, e = vars.x[v].size(); d != e; ++d)
      if (vars.x[v][d] >= 0)
        values[vars.x[v][d]] = placement[v] == d ? 1 : 0;
}

std::vector<unsigned> milp::readPlacement(const Instance &instance,
                                          const PlacementVariables &vars,
                                          llvm::ArrayRef<double> values) {
  std::vector<unsigned> placement(instance.numNodes, 0);
  for (unsigned v = 0; v != instance.numNodes; ++v) {
    double best = -1;
    for (unsigned d : instance.allowed[v]) {
      double value = values[vars.x[v][d]];
      if (value > best) {
        best = value;
        placement[v] = d;
      }
    }
  }
  return placement;
}

char InfeasibleError::ID = 0;

/// Whole byte counts without a fraction, others as doubles.
static std::string bytesText(double bytes) {
  if (bytes == std::floor(bytes) && std::fabs(bytes) < 9e15)
    return std::to_string(int64_t(bytes));
  return llvm::formatv("{0}", bytes).str();
}

llvm::Error milp::infeasibleError(const Instance &instance) {
  const Problem &problem = instance.problem;
  double need = 0, room = 0;
  for (const Node &node : problem.nodes)
    need += node.memory;
  for (unsigned d = 0; d != instance.numDevices; ++d)
    room += std::max(0.0, problem.platform.devices[d].memoryCapacity -
                              instance.memoryUsed(d));
  if (need > room * (1 + kMemorySlack))
    return llvm::make_error<InfeasibleError>(
        llvm::formatv("no placement fits in memory: the nodes need {0} bytes "
                      "but the devices have only {1} bytes free",
                      bytesText(need), bytesText(room)));
  return llvm::make_error<InfeasibleError>(
      "no placement satisfies the memory capacities together with the "
      "supported devices, colocation groups and fixed devices (the MILP is "
      "infeasible)");
}

llvm::Error milp::finishOutcome(const Instance &instance,
                                const MilpOptions &options,
                                const MilpModel &model,
                                const MilpResult &result, double scale,
                                MilpOutcome &outcome) {
  outcome.variables = model.numVariables();
  outcome.integerVariables = model.numIntegerVariables();
  outcome.rows = model.numRows();
  outcome.seconds = result.seconds;
  outcome.work = result.work;
  outcome.timeLimitHit = result.timeLimitHit;
  outcome.warmStartUsed = result.warmStartUsed;
  switch (result.status) {
  case MilpStatus::Infeasible:
    return infeasibleError(instance);
  case MilpStatus::NoSolution:
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("the {0} MILP found no solution within {1} s and had "
                      "no warm start",
                      options.solver, options.timeLimit));
  case MilpStatus::Optimal:
    outcome.status = SolveStatus::Optimal;
    break;
  case MilpStatus::Feasible:
    // Stopped early: on the requested gap, or else on time.
    outcome.status =
        options.relativeGap > 0 &&
                result.objective - result.bound <=
                    options.relativeGap * std::fabs(result.objective)
            ? SolveStatus::Feasible
            : SolveStatus::Timeout;
    break;
  }
  outcome.solverObjective = result.objective * scale;
  outcome.bound = std::max(0.0, result.bound * scale);
  return llvm::Error::success();
}

double milp::solutionValue(const Instance &instance, Objective objective,
                           const Solution &solution) {
  if (instance.boundary.empty())
    return evaluate(instance.problem, solution, objective).value;
  return objective == Objective::Latency
             ? latencyMakespan(instance, solution.device, solution.order)
             : throughputPeriod(instance, solution.device);
}
