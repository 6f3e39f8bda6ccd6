//===- MilpLatency.cpp - The latency MILP ---------------------------------===//
//
// The evaluator's list simulation as a MILP (docs/milp.md). One priority
// order pi over the nodes (position variables kappa plus pairwise order
// binaries) decides every queue: each device slot and each link serves its
// jobs in booking order, where a node books the legs of its inputs in
// predecessor order just before it runs, and a leg is booked by the first
// consumer in pi that needs it. A job starts after the k-th largest end
// among the jobs booked before it on a k-slot device (the evaluator's
// "earliest free slot"), after the previous leg on its link, and after
// its data. Big-M constants come from the warm start's makespan.
//
//===----------------------------------------------------------------------===//

#include "MilpLatency.h"

#include "diviml/Model/Solution.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FormatVariadic.h"

#include "spdlog/spdlog.h"

#include <algorithm>
#include <numeric>

using namespace diviml;
using namespace diviml::milp;

namespace {

/// sum(terms) + constant.
struct Expr {
  std::vector<MilpTerm> terms;
  double constant = 0;

  static Expr var(unsigned v, double coef = 1) { return {{{v, coef}}, 0}; }
  static Expr constantOf(double c) { return {{}, c}; }
  Expr &add(const Expr &other, double coef = 1) {
    for (const MilpTerm &t : other.terms)
      terms.push_back({t.var, coef * t.coef});
    constant += coef * other.constant;
    return *this;
  }
  /// 1 - this, for indicators.
  Expr complement() const {
    Expr result = constantOf(1);
    result.add(*this, -1);
    return result;
  }
};

/// A job of a queue: an op or a leg that takes time on a device or link.
struct Job {
  bool isOp;
  /// Node (op) or index into Instance::legs (leg).
  unsigned index;
};

/// Device (capacity = slots) or link (capacity 1) and the jobs it may
/// serve, each with the indicator that it does.
struct Queue {
  unsigned capacity;
  std::string name;
  std::vector<std::pair<unsigned, Expr>> jobs;
};

/// How two jobs a < b are ordered in pi: by a binary (1: a first) or fixed.
struct PairOrder {
  int var = -1;
  bool aFirst = false, bFirst = false;
};

/// A slack binary of a k-slot queue: job `a` (booked before `b`) may still
/// run when `b` starts.
struct SlotSlack {
  unsigned var, a, b, queue;
};

class LatencyBuilder {
public:
  LatencyBuilder(const Instance &instance, double scale, double upperBound);

  MilpModel model;
  /// Every variable for a list schedule of `placement`.
  std::vector<double> startValues(const std::vector<unsigned> &placement,
                                  const ListSchedule &schedule) const;
  Solution readSolution(llvm::ArrayRef<double> values) const;

private:
  void addNodeVariables();
  void addLegVariables();
  void addQueues();
  void addPairRows(unsigned q, unsigned a, unsigned b);
  PairOrder pairOrder(unsigned a, unsigned b);

  Expr start(unsigned job) const;
  Expr end(unsigned job) const;
  Expr key(unsigned job) const;
  Expr exists(unsigned job) const;
  /// start(b) >= end(a) unless some indicator is 0.
  void addFollows(unsigned a, unsigned b, llvm::ArrayRef<Expr> indicators,
                  const llvm::Twine &name);
  /// key(a) + gap <= key(b) unless some indicator is 0.
  void addKeyBefore(unsigned a, unsigned b, llvm::ArrayRef<Expr> indicators);
  void addGreaterEqual(const Expr &lhs, double rhs, const llvm::Twine &name) {
    model.addGreaterEqual(lhs.terms, rhs - lhs.constant, name.str());
  }
  Expr placedOn(unsigned v, llvm::ArrayRef<unsigned> devices) const {
    Expr e;
    place.addSum(e.terms, v, devices);
    return e;
  }
  bool comparable(unsigned v, unsigned w) const {
    return reach[v].test(w) || reach[w].test(v);
  }
  unsigned legJob(unsigned leg) const { return jobOfLeg[leg]; }

  const Instance &instance;
  const Problem &problem;
  unsigned n;
  double scale, upper, bigM;
  /// Keys kappa + offset lie in [0, n]; distinct jobs sharing a queue
  /// differ by at least keyGap.
  double keyGap, keyM;
  std::vector<llvm::BitVector> reach;
  PlacementVariables place;
  std::vector<unsigned> startVar, kappaVar;
  unsigned makespanVar = 0;
  std::vector<std::vector<int>> orderVar;
  std::vector<unsigned> legStart;
  std::vector<int> legUsed, legKeyVar;
  std::vector<std::vector<unsigned>> legBeta;
  std::vector<Job> jobs;
  std::vector<unsigned> jobOfLeg;
  std::vector<Queue> queues;
  llvm::DenseMap<uint64_t, PairOrder> pairs;
  std::vector<SlotSlack> slacks;
};

} // namespace

LatencyBuilder::LatencyBuilder(const Instance &instance, double scale,
                               double upperBound)
    : instance(instance), problem(instance.problem), n(instance.numNodes),
      scale(scale), upper(upperBound / scale) {
  keyGap = 1.0 / (n + 1);
  keyM = n + 1;
  // Times of unused legs sit at their lower bounds, which can pass the
  // makespan by two legs and the boundary's latest ready time.
  double horizon = upperBound, maxLeg = 0, maxOp = 0;
  const MilpBoundary &boundary = instance.boundary;
  for (const std::vector<double> *times :
       {&boundary.releaseTime, &boundary.deviceReady, &boundary.linkReady})
    for (double t : *times)
      horizon = std::max(horizon, t);
  for (const LegInfo &leg : instance.legs)
    maxLeg = std::max(maxLeg, leg.duration);
  for (unsigned v = 0; v != n; ++v)
    for (unsigned d : instance.allowed[v])
      maxOp = std::max(maxOp, instance.nodeTime(v, d));
  bigM = (horizon + 2 * maxLeg + maxOp) / scale + 1;

  reach.assign(n, llvm::BitVector(n));
  llvm::ArrayRef<unsigned> topo = problem.topologicalOrder();
  for (auto it = topo.rbegin(); it != topo.rend(); ++it)
    for (unsigned w : problem.successors(*it)) {
      reach[*it].set(w);
      reach[*it] |= reach[w];
    }

  place = addPlacement(model, instance);
  addNodeVariables();
  addLegVariables();
  addQueues();
}

Expr LatencyBuilder::start(unsigned job) const {
  const Job &j = jobs[job];
  return Expr::var(j.isOp ? startVar[j.index] : legStart[j.index]);
}

Expr LatencyBuilder::end(unsigned job) const {
  Expr e = start(job);
  const Job &j = jobs[job];
  if (j.isOp) {
    for (unsigned d : instance.allowed[j.index])
      if (instance.nodeTime(j.index, d) != 0)
        place.addTerm(e.terms, j.index, d,
                      instance.nodeTime(j.index, d) / scale);
  } else {
    e.constant += instance.legs[j.index].duration / scale;
  }
  return e;
}

Expr LatencyBuilder::key(unsigned job) const {
  const Job &j = jobs[job];
  if (j.isOp)
    // After the legs its own scheduling books (ranks 1..n-1).
    return Expr::var(kappaVar[j.index]).add(Expr::constantOf(n * keyGap));
  const LegInfo &leg = instance.legs[j.index];
  if (legKeyVar[j.index] >= 0)
    return Expr::var(legKeyVar[j.index]);
  unsigned w = leg.consumers.front();
  return Expr::var(kappaVar[w])
      .add(
          Expr::constantOf(predecessorRank(problem, leg.producer, w) * keyGap));
}

Expr LatencyBuilder::exists(unsigned job) const {
  const Job &j = jobs[job];
  return j.isOp ? Expr::constantOf(1) : Expr::var(legUsed[j.index]);
}

void LatencyBuilder::addFollows(unsigned a, unsigned b,
                                llvm::ArrayRef<Expr> indicators,
                                const llvm::Twine &name) {
  // start(b) - end(a) + M * sum(1 - I) >= 0.
  Expr lhs = start(b);
  lhs.add(end(a), -1);
  for (const Expr &indicator : indicators)
    lhs.add(indicator.complement(), bigM);
  addGreaterEqual(lhs, 0, name);
}

void LatencyBuilder::addKeyBefore(unsigned a, unsigned b,
                                  llvm::ArrayRef<Expr> indicators) {
  // key(b) - key(a) - gap + keyM * sum(1 - I) >= 0.
  Expr lhs = key(b);
  lhs.add(key(a), -1);
  for (const Expr &indicator : indicators)
    lhs.add(indicator.complement(), keyM);
  addGreaterEqual(lhs, keyGap, "key");
}

void LatencyBuilder::addNodeVariables() {
  const MilpBoundary &boundary = instance.boundary;
  startVar.resize(n);
  kappaVar.resize(n);
  for (unsigned v = 0; v != n; ++v) {
    double release =
        boundary.releaseTime.empty() ? 0 : boundary.releaseTime[v] / scale;
    startVar[v] = model.addContinuous(release, std::max(release, upper),
                                      llvm::formatv("S_{0}", v).str());
    kappaVar[v] =
        model.addContinuous(0, n - 1, llvm::formatv("kappa_{0}", v).str());
  }
  makespanVar = model.addContinuous(0, upper, "makespan");
  model.setObjective(makespanVar, 1);
  jobs.clear();
  for (unsigned v = 0; v != n; ++v)
    jobs.push_back({true, v});

  for (unsigned v = 0; v != n; ++v) {
    if (problem.successors(v).empty()) {
      Expr row = Expr::var(makespanVar);
      row.add(end(v), -1);
      addGreaterEqual(row, 0, llvm::formatv("makespan_{0}", v));
    }
    for (unsigned w : problem.successors(v)) {
      Expr row = Expr::var(startVar[w]);
      row.add(end(v), -1);
      addGreaterEqual(row, 0, llvm::formatv("dep_{0}_{1}", v, w));
      Expr order = Expr::var(kappaVar[w]);
      order.add(Expr::var(kappaVar[v]), -1);
      addGreaterEqual(order, 1, llvm::formatv("pi_{0}_{1}", v, w));
    }
    if (!boundary.deviceReady.empty()) {
      Expr row = Expr::var(startVar[v]);
      for (unsigned d : instance.allowed[v])
        if (boundary.deviceReady[d] != 0)
          place.addTerm(row.terms, v, d, -boundary.deviceReady[d] / scale);
      addGreaterEqual(row, 0, llvm::formatv("ready_{0}", v));
    }
  }
  // pi is a total order: kappa is a permutation of 0..n-1.
  orderVar.assign(n, std::vector<int>(n, -1));
  for (unsigned v = 0; v != n; ++v)
    for (unsigned w = v + 1; w != n; ++w) {
      if (comparable(v, w))
        continue;
      unsigned o = model.addBinary(llvm::formatv("o_{0}_{1}", v, w).str());
      orderVar[v][w] = o;
      Expr vFirst = Expr::var(kappaVar[w]);
      vFirst.add(Expr::var(kappaVar[v]), -1).add(Expr::var(o), -double(n));
      addGreaterEqual(vFirst, 1 - double(n), "pi");
      Expr wFirst = Expr::var(kappaVar[v]);
      wFirst.add(Expr::var(kappaVar[w]), -1).add(Expr::var(o), double(n));
      addGreaterEqual(wFirst, 1, "pi");
    }
}

void LatencyBuilder::addLegVariables() {
  const Platform &platform = problem.platform;
  const MilpBoundary &boundary = instance.boundary;
  unsigned numLegs = instance.legs.size();
  legStart.resize(numLegs);
  legUsed.assign(numLegs, -1);
  legKeyVar.assign(numLegs, -1);
  legBeta.assign(numLegs, {});
  jobOfLeg.assign(numLegs, ~0u);
  for (unsigned i = 0; i != numLegs; ++i) {
    const LegInfo &leg = instance.legs[i];
    legStart[i] = model.addContinuous(
        0, bigM, llvm::formatv("T_{0}_{1}", leg.producer, leg.link).str());
  }
  for (unsigned i = 0; i != numLegs; ++i) {
    const LegInfo &leg = instance.legs[i];
    const Link &link = platform.links[leg.link];
    unsigned u = leg.producer;
    std::string tag = llvm::formatv("{0}_{1}", u, leg.link).str();
    Expr legStartExpr = Expr::var(legStart[i]);
    // The tensor is on the link's source: at the producer's finish, or at
    // its arrival on the host when staged.
    if (llvm::is_contained(leg.sources, link.from)) {
      Expr row = legStartExpr;
      row.add(Expr::var(startVar[u]), -1);
      for (unsigned d : instance.allowed[u])
        if (instance.nodeTime(u, d) != 0)
          place.addTerm(row.terms, u, d, -instance.nodeTime(u, d) / scale);
      row.add(placedOn(u, {link.from}).complement(), bigM);
      addGreaterEqual(row, 0, "from_" + tag);
    }
    for (unsigned a : leg.stagedSources) {
      int first = instance.legIndex[u][*platform.findLink(a, link.from)];
      Expr row = legStartExpr;
      row.add(Expr::var(legStart[first]), -1);
      row.add(placedOn(u, {a}).complement(), bigM);
      addGreaterEqual(row, instance.legs[first].duration / scale,
                      "staged_" + tag);
    }
    Expr onSource = placedOn(u, leg.sources);
    // Consumers on the link's destination wait for the tensor.
    for (unsigned c = 0, ce = leg.consumers.size(); c != ce; ++c) {
      unsigned w = leg.consumers[c];
      if (!llvm::is_contained(leg.consumerDevices[c], link.to))
        continue;
      Expr row = Expr::var(startVar[w]);
      row.add(legStartExpr, -1);
      row.add(onSource.complement(), bigM);
      row.add(placedOn(w, {link.to}).complement(), bigM);
      addGreaterEqual(row, leg.duration / scale,
                      llvm::formatv("arrive_{0}_{1}", tag, w));
    }
    if (leg.isFree())
      continue;

    // A leg that waits in queues: its "used" indicator and booking key.
    jobOfLeg[i] = jobs.size();
    jobs.push_back({false, i});
    if (!boundary.linkReady.empty() && boundary.linkReady[leg.link] != 0)
      addGreaterEqual(legStartExpr, boundary.linkReady[leg.link] / scale,
                      "linkready_" + tag);
    if (!boundary.deviceReady.empty())
      for (unsigned d : {link.from, link.to})
        if (platform.chargesDevice(d) && boundary.deviceReady[d] != 0)
          addGreaterEqual(legStartExpr, boundary.deviceReady[d] / scale,
                          "devready_" + tag);
    unsigned used = model.addContinuous(0, 1, "used_" + tag);
    legUsed[i] = used;
    std::vector<Expr> onDest;
    for (unsigned c = 0, ce = leg.consumers.size(); c != ce; ++c) {
      onDest.push_back(placedOn(leg.consumers[c], leg.consumerDevices[c]));
      // used >= need_c = AND(onSource, onDest_c).
      Expr row = Expr::var(used);
      row.add(onSource, -1).add(onDest[c], -1);
      addGreaterEqual(row, -1, "need_" + tag);
    }
    if (leg.consumers.size() == 1) {
      // used = need exactly; the key is the only consumer's.
      Expr bySource = onSource;
      bySource.add(Expr::var(used), -1);
      addGreaterEqual(bySource, 0, "usedsrc_" + tag);
      Expr byDest = onDest[0];
      byDest.add(Expr::var(used), -1);
      addGreaterEqual(byDest, 0, "useddst_" + tag);
      continue;
    }
    // Several consumers may need it: beta_c picks the booker, the first in
    // pi among those that need it.
    unsigned keyVar = model.addContinuous(0, n, "K_" + tag);
    legKeyVar[i] = keyVar;
    Expr sum = Expr::var(used, -1);
    for (unsigned c = 0, ce = leg.consumers.size(); c != ce; ++c) {
      unsigned w = leg.consumers[c];
      unsigned beta =
          model.addBinary(llvm::formatv("beta_{0}_{1}", tag, w).str());
      legBeta[i].push_back(beta);
      sum.add(Expr::var(beta));
      Expr bySource = onSource;
      bySource.add(Expr::var(beta), -1);
      addGreaterEqual(bySource, 0, "betasrc_" + tag);
      Expr byDest = onDest[c];
      byDest.add(Expr::var(beta), -1);
      addGreaterEqual(byDest, 0, "betadst_" + tag);
      double offset = predecessorRank(problem, u, w) * keyGap;
      // K >= kappa_w + offset when w books it.
      Expr low = Expr::var(keyVar);
      low.add(Expr::var(kappaVar[w]), -1).add(Expr::var(beta), -keyM);
      addGreaterEqual(low, offset - keyM, "keylow_" + tag);
      // K <= kappa_w + offset for every w that needs it.
      Expr high = Expr::var(kappaVar[w]);
      high.add(Expr::var(keyVar), -1)
          .add(onSource.complement(), keyM)
          .add(onDest[c].complement(), keyM);
      addGreaterEqual(high, -offset, "keyhigh_" + tag);
    }
    model.addEqual(sum.terms, 0, "booker_" + tag);
  }
}

PairOrder LatencyBuilder::pairOrder(unsigned a, unsigned b) {
  uint64_t pairKey = uint64_t(a) * jobs.size() + b;
  auto found = pairs.find(pairKey);
  if (found != pairs.end())
    return found->second;
  PairOrder order;
  const Job &ja = jobs[a], &jb = jobs[b];
  if (ja.isOp && jb.isOp) {
    order.aFirst = reach[ja.index].test(jb.index);
    order.bFirst = reach[jb.index].test(ja.index);
    order.var = orderVar[ja.index][jb.index];
  } else {
    if (ja.isOp != jb.isOp) {
      // An op is booked after its ancestors' legs... and before the legs
      // of its descendants; a leg is booked no later than its consumers.
      unsigned v = ja.isOp ? ja.index : jb.index;
      const LegInfo &leg = instance.legs[ja.isOp ? jb.index : ja.index];
      bool opFirst = v == leg.producer || reach[v].test(leg.producer);
      bool legFirst = llvm::all_of(leg.consumers, [&](unsigned w) {
        return w == v || reach[w].test(v);
      });
      order.aFirst = ja.isOp ? opFirst : legFirst;
      order.bFirst = ja.isOp ? legFirst : opFirst;
    }
    if (!order.aFirst && !order.bFirst) {
      unsigned z = model.addBinary(llvm::formatv("z_{0}_{1}", a, b).str());
      order.var = z;
      addKeyBefore(a, b, {Expr::var(z), exists(a), exists(b)});
      addKeyBefore(b, a, {Expr::var(z).complement(), exists(a), exists(b)});
    }
  }
  pairs[pairKey] = order;
  return order;
}

void LatencyBuilder::addPairRows(unsigned q, unsigned a, unsigned b) {
  const Queue &queue = queues[q];
  const Expr &presentA = queue.jobs[a].second;
  const Expr &presentB = queue.jobs[b].second;
  unsigned ja = queue.jobs[a].first, jb = queue.jobs[b].first;
  if (jobs[ja].isOp && jobs[jb].isOp &&
      comparable(jobs[ja].index, jobs[jb].index))
    return; // The dependence chain orders them already.
  PairOrder order = pairOrder(ja, jb);
  auto addDirection = [&](unsigned first, unsigned second, bool fixed,
                          bool impossible, Expr firstIndicator) {
    if (impossible)
      return;
    std::vector<Expr> indicators = {presentA, presentB};
    if (!fixed)
      indicators.push_back(std::move(firstIndicator));
    if (queue.capacity > 1) {
      unsigned slack = model.addBinary(
          llvm::formatv("g_{0}_{1}_{2}", first, second, q).str());
      slacks.push_back({slack, first, second, q});
      indicators.push_back(Expr::var(slack).complement());
    }
    addFollows(first, second, indicators,
               llvm::formatv("queue{0}_{1}_{2}", q, first, second));
  };
  Expr z = order.var >= 0 ? Expr::var(order.var) : Expr::constantOf(0);
  addDirection(ja, jb, order.aFirst, order.bFirst, z);
  addDirection(jb, ja, order.bFirst, order.aFirst, z.complement());
}

void LatencyBuilder::addQueues() {
  const Platform &platform = problem.platform;
  for (unsigned d = 0; d != instance.numDevices; ++d) {
    Queue queue{
        platform.devices[d].slots, llvm::formatv("device{0}", d).str(), {}};
    for (unsigned v = 0; v != n; ++v)
      if (place.x[v][d] >= 0)
        queue.jobs.push_back({v, Expr::var(place.x[v][d])});
    if (platform.chargesDevice(d))
      for (unsigned i = 0, e = instance.legs.size(); i != e; ++i) {
        const Link &link = platform.links[instance.legs[i].link];
        if (legUsed[i] >= 0 && (link.from == d || link.to == d))
          queue.jobs.push_back({legJob(i), Expr::var(legUsed[i])});
      }
    queues.push_back(std::move(queue));
  }
  for (unsigned l = 0; l != instance.numLinks; ++l) {
    Queue queue{1, llvm::formatv("link{0}", l).str(), {}};
    for (unsigned i = 0, e = instance.legs.size(); i != e; ++i)
      if (legUsed[i] >= 0 && instance.legs[i].link == l)
        queue.jobs.push_back({legJob(i), Expr::var(legUsed[i])});
    queues.push_back(std::move(queue));
  }
  // Load rows: a queue serves its jobs between its ready time and the
  // makespan, at most `capacity` at once. Redundant for integer points, they
  // lift the LP bound, which the pairwise big-M rows leave near zero.
  const MilpBoundary &boundary = instance.boundary;
  for (unsigned q = 0, qe = queues.size(); q != qe; ++q) {
    const Queue &queue = queues[q];
    bool isDevice = q < instance.numDevices;
    Expr load = Expr::var(makespanVar, -double(queue.capacity));
    for (const auto &[job, present] : queue.jobs) {
      const Job &j = jobs[job];
      double duration = j.isOp ? instance.nodeTime(j.index, q)
                               : instance.legs[j.index].duration;
      if (duration != 0)
        load.add(present, duration / scale);
    }
    const std::vector<double> &ready =
        isDevice ? boundary.deviceReady : boundary.linkReady;
    unsigned index = isDevice ? q : q - instance.numDevices;
    double readyTime = ready.empty() ? 0 : ready[index] / scale;
    model.addLessEqual(load.terms, -queue.capacity * readyTime,
                       "load_" + queue.name);
  }
  for (unsigned q = 0, qe = queues.size(); q != qe; ++q) {
    unsigned size = queues[q].jobs.size();
    if (size <= queues[q].capacity)
      continue; // Never full.
    size_t firstSlack = slacks.size();
    for (unsigned a = 0; a != size; ++a)
      for (unsigned b = a + 1; b != size; ++b)
        addPairRows(q, a, b);
    if (queues[q].capacity == 1)
      continue;
    // At most capacity-1 earlier jobs may still run when a job starts.
    llvm::DenseMap<unsigned, std::vector<MilpTerm>> perJob;
    for (size_t s = firstSlack; s != slacks.size(); ++s)
      perJob[slacks[s].b].push_back({slacks[s].var, 1});
    for (auto &[job, terms] : perJob)
      model.addLessEqual(terms, queues[q].capacity - 1.0,
                         llvm::formatv("slots{0}_{1}", q, job).str());
  }
}

std::vector<double>
LatencyBuilder::startValues(const std::vector<unsigned> &placement,
                            const ListSchedule &schedule) const {
  const Platform &platform = problem.platform;
  const MilpBoundary &boundary = instance.boundary;
  std::vector<double> values(model.numVariables(), 0);
  setPlacement(place, placement, values);
  for (unsigned v = 0; v != n; ++v) {
    values[startVar[v]] = schedule.start[v] / scale;
    values[kappaVar[v]] = schedule.position[v];
    for (unsigned w = v + 1; w != n; ++w)
      if (orderVar[v][w] >= 0)
        values[orderVar[v][w]] =
            schedule.position[v] < schedule.position[w] ? 1 : 0;
  }
  values[makespanVar] = schedule.makespan / scale;

  // Legs: booked ones as scheduled; the others at their lower bounds (first
  // hops before the host's second hops, which start from them).
  std::vector<unsigned> legOrder(instance.legs.size());
  std::iota(legOrder.begin(), legOrder.end(), 0);
  std::stable_partition(legOrder.begin(), legOrder.end(), [&](unsigned i) {
    return !platform.host ||
           platform.links[instance.legs[i].link].from != *platform.host;
  });
  for (unsigned i : legOrder) {
    const LegInfo &leg = instance.legs[i];
    const LegEvent &event = schedule.legs[i];
    const Link &link = platform.links[leg.link];
    unsigned u = leg.producer;
    if (legUsed[i] >= 0)
      values[legUsed[i]] = event.booked ? 1 : 0;
    if (event.booked) {
      values[legStart[i]] = event.start / scale;
    } else {
      double t = 0;
      if (placement[u] == link.from)
        t = std::max(t, schedule.finish[u] / scale);
      for (unsigned a : leg.stagedSources)
        if (placement[u] == a) {
          int first = instance.legIndex[u][*platform.findLink(a, link.from)];
          t = std::max(t, values[legStart[first]] +
                              instance.legs[first].duration / scale);
        }
      if (!leg.isFree()) {
        if (!boundary.linkReady.empty())
          t = std::max(t, boundary.linkReady[leg.link] / scale);
        if (!boundary.deviceReady.empty())
          for (unsigned d : {link.from, link.to})
            if (platform.chargesDevice(d))
              t = std::max(t, boundary.deviceReady[d] / scale);
      }
      values[legStart[i]] = t;
    }
    if (legKeyVar[i] >= 0 && event.booked) {
      values[legKeyVar[i]] = schedule.position[event.booker] +
                             predecessorRank(problem, u, event.booker) * keyGap;
      for (unsigned c = 0, ce = leg.consumers.size(); c != ce; ++c)
        values[legBeta[i][c]] = leg.consumers[c] == event.booker ? 1 : 0;
    }
  }

  // Queues: pair orders by booking key, slot slacks where an earlier job
  // still runs.
  auto jobKey = [&](unsigned job) {
    Expr k = key(job);
    double value = k.constant;
    for (const MilpTerm &t : k.terms)
      value += t.coef * values[t.var];
    return value;
  };
  auto jobExists = [&](unsigned job) {
    return jobs[job].isOp || schedule.legs[jobs[job].index].booked;
  };
  for (const auto &[pairKey, order] : pairs) {
    if (order.var < 0)
      continue;
    unsigned a = pairKey / jobs.size(), b = pairKey % jobs.size();
    if (jobs[a].isOp && jobs[b].isOp)
      continue; // Set from positions above.
    values[order.var] =
        jobExists(a) && jobExists(b) && jobKey(a) < jobKey(b) ? 1 : 0;
  }
  auto evaluateExpr = [&](const Expr &e) {
    double value = e.constant;
    for (const MilpTerm &t : e.terms)
      value += t.coef * values[t.var];
    return value;
  };
  for (const SlotSlack &slack : slacks) {
    const Queue &queue = queues[slack.queue];
    auto present = [&](unsigned job) {
      for (const auto &[j, indicator] : queue.jobs)
        if (j == job)
          return evaluateExpr(indicator) > 0.5;
      return false;
    };
    bool stillRunning =
        present(slack.a) && present(slack.b) &&
        jobKey(slack.a) < jobKey(slack.b) &&
        evaluateExpr(end(slack.a)) > evaluateExpr(start(slack.b)) + 1e-9;
    values[slack.var] = stillRunning ? 1 : 0;
  }
  return values;
}

Solution LatencyBuilder::readSolution(llvm::ArrayRef<double> values) const {
  Solution solution;
  solution.device = readPlacement(instance, place, values);
  solution.order.resize(n);
  std::iota(solution.order.begin(), solution.order.end(), 0);
  std::stable_sort(solution.order.begin(), solution.order.end(),
                   [&](unsigned v, unsigned w) {
                     return values[kappaVar[v]] < values[kappaVar[w]];
                   });
  return solution;
}

/// A makespan no schedule of any admissible placement exceeds: every job
/// starts by the latest boundary time plus all jobs booked before it.
static double serialBound(const Instance &instance) {
  const MilpBoundary &boundary = instance.boundary;
  double total = 0;
  for (const std::vector<double> *times :
       {&boundary.releaseTime, &boundary.deviceReady, &boundary.linkReady})
    for (double t : *times)
      total = std::max(total, t);
  for (unsigned v = 0; v != instance.numNodes; ++v) {
    double slowest = 0;
    for (unsigned d : instance.allowed[v])
      slowest = std::max(slowest, instance.nodeTime(v, d));
    total += slowest;
  }
  for (const LegInfo &leg : instance.legs)
    total += leg.duration;
  return total;
}

llvm::Expected<MilpOutcome> milp::solveLatencyMilp(const Instance &instance,
                                                   const MilpOptions &options,
                                                   const Solution *start,
                                                   MilpSolver &solver) {
  std::optional<ListSchedule> startSchedule;
  double upperBound = serialBound(instance);
  if (start) {
    startSchedule = simulateList(instance, start->device, start->order);
    upperBound = std::min(upperBound, startSchedule->makespan);
  }
  double scale = upperBound > 0 ? upperBound : 1;
  LatencyBuilder builder(instance, scale, upperBound);
  MilpSolveOptions solveOptions;
  solveOptions.timeLimit = options.timeLimit;
  solveOptions.workLimit = options.workLimit;
  solveOptions.relativeGap = options.relativeGap;
  if (options.progress)
    solveOptions.progress = [&](double incumbent, double bound) {
      options.progress(incumbent * scale, bound * scale);
    };
  if (startSchedule) {
    std::vector<double> values =
        builder.startValues(start->device, *startSchedule);
    std::string worst;
    double violation = builder.model.maxViolation(values, &worst);
    if (violation > 1e-6)
      spdlog::debug("milp: the warm start violates {} by {}", worst, violation);
    for (unsigned j = 0, e = values.size(); j != e; ++j)
      solveOptions.warmStart.push_back({j, values[j]});
  }
  spdlog::debug("milp: latency model with {} variables ({} integer), {} rows",
                builder.model.numVariables(),
                builder.model.numIntegerVariables(), builder.model.numRows());
  llvm::Expected<MilpResult> result = solver.solve(builder.model, solveOptions);
  if (!result)
    return result.takeError();
  MilpOutcome outcome;
  if (llvm::Error err = finishOutcome(instance, options, builder.model, *result,
                                      scale, outcome))
    return std::move(err);
  outcome.solution = builder.readSolution(result->values);
  outcome.value = solutionValue(instance, Objective::Latency, outcome.solution);
  return outcome;
}

MilpPointCheck milp::checkLatencyPoint(const Instance &instance,
                                       const Solution &solution) {
  ListSchedule schedule =
      simulateList(instance, solution.device, solution.order);
  double upperBound = schedule.makespan;
  double scale = upperBound > 0 ? upperBound : 1;
  LatencyBuilder builder(instance, scale, upperBound);
  std::vector<double> values = builder.startValues(solution.device, schedule);
  MilpPointCheck check;
  check.violation = builder.model.maxViolation(values, &check.worst);
  check.objective = builder.model.objectiveValue(values) * scale;
  return check;
}
