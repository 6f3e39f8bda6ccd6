//===- Trace.cpp - The schedule as Chrome/Perfetto trace JSON -------------===//
//
// Chrome's Trace Event Format: complete events ("ph": "X") with `ts` and
// `dur` in microseconds, grouped into processes (a device, the links, the
// runtime host) and threads (a slot, a link, a host thread) named by
// metadata events ("ph": "M").
//
//===----------------------------------------------------------------------===//

#include "Trace.h"

#include "diviml/Model/Support.h"

#include <algorithm>

using namespace diviml;
namespace json = llvm::json;

namespace {

/// Pipeline periods shown for throughput, at most.
constexpr unsigned kMaxPeriods = 12;
/// Samples that complete in a throughput trace after the pipeline fills.
constexpr unsigned kSamples = 3;

struct Slice {
  std::string name, category;
  /// Device index, or numDevices + link index, or the host track group.
  unsigned track;
  double start, end;
  json::Object args;
};

class TraceBuilder {
public:
  explicit TraceBuilder(const PartitionReport &report)
      : report(report), platform(report.platform),
        numDevices(platform.numDevices()) {}

  json::Value build();

private:
  unsigned linkTrack(unsigned link) const { return numDevices + link; }
  unsigned hostTrack() const { return numDevices + platform.links.size(); }
  std::string linkName(unsigned link) const {
    const Link &l = platform.links[link];
    return platform.devices[l.from].name + "->" + platform.devices[l.to].name;
  }
  json::Object opArgs(const FunctionReport &fn, unsigned node) const;
  void addLatency(const FunctionReport &fn, double offset);
  void addThroughput(const FunctionReport &fn, double offset);
  /// Threads of a track group: how many, and each slice's thread.
  unsigned lanes(unsigned track) const;
  json::Array emit();

  const PartitionReport &report;
  const Platform &platform;
  unsigned numDevices;
  std::vector<Slice> slices;
};

} // namespace

json::Object TraceBuilder::opArgs(const FunctionReport &fn,
                                  unsigned node) const {
  json::Object args{
      {"function", "@" + fn.name},
      {"device", platform.devices[fn.solution.device[node]].name}};
  if (node < fn.flops.size()) {
    args["flops"] = fn.flops[node];
    args["bytes"] = fn.bytes[node];
  }
  return args;
}

void TraceBuilder::addLatency(const FunctionReport &fn, double offset) {
  const Problem &problem = fn.problem;
  for (const ScheduleEvent &event : fn.evaluation.events) {
    const std::string &node = problem.nodes[event.node].name;
    double start = offset + event.start, end = offset + event.end;
    switch (event.kind) {
    case ScheduleEvent::Kind::Op: {
      if (problem.nodes[event.node].external)
        break; // arguments and results: no work
      json::Object args = opArgs(fn, event.node);
      args["start_seconds"] = start;
      args["finish_seconds"] = end;
      slices.push_back({node, "op", event.where, start, end, std::move(args)});
      break;
    }
    case ScheduleEvent::Kind::Transfer: {
      const Link &link = platform.links[event.where];
      json::Object args{{"function", "@" + fn.name},
                        {"tensor", node},
                        {"bytes", event.bytes},
                        {"link", linkName(event.where)}};
      slices.push_back({node, "transfer", linkTrack(event.where), start, end,
                        json::Object(args)});
      // Without overlap the copy also holds a slot at each charged end.
      for (unsigned device : {link.from, link.to})
        if (platform.chargesDevice(device))
          slices.push_back({"copy " + node, "transfer", device, start, end,
                            json::Object(args)});
      break;
    }
    case ScheduleEvent::Kind::HostOp: {
      if (problem.nodes[event.node].external)
        break;
      bool runs = platform.runsOnDispatchThread(event.where);
      slices.push_back({(runs ? "run " : "dispatch ") + node, "host",
                        hostTrack(), start, end, opArgs(fn, event.node)});
      break;
    }
    case ScheduleEvent::Kind::HostTransfer:
      slices.push_back({"copy " + node, "host", hostTrack(), start, end,
                        json::Object{{"function", "@" + fn.name},
                                     {"tensor", node},
                                     {"link", linkName(event.where)}}});
      break;
    }
  }
}

void TraceBuilder::addThroughput(const FunctionReport &fn, double offset) {
  const Problem &problem = fn.problem;
  const std::vector<unsigned> &device = fn.solution.device;
  double period = fn.evaluation.value;
  if (!(period > 0) || !std::isfinite(period))
    return;
  // Pipeline stages: a device's work on one sample is a stage, and so is
  // moving a tensor to another device (links are resources of their own),
  // so an op's stage grows by 2 per device crossing on the way to it. Stage
  // s works on sample k - s in period k; the output of v moves in stage
  // stage[v] + 1.
  std::vector<unsigned> stage(problem.numNodes(), 0);
  unsigned lastStage = 0;
  for (unsigned v : problem.topologicalOrder()) {
    for (unsigned u : problem.predecessors(v))
      stage[v] = std::max(stage[v], stage[u] + (device[u] != device[v]) * 2);
    lastStage = std::max(lastStage, stage[v]);
  }
  unsigned periods = std::min(kMaxPeriods, lastStage + kSamples);
  RouteTable routes(platform);
  // Per device, its slots' free times, and per link its free time: work of
  // a period starts at the period's start or when its slot is free, so an
  // op longer than the period runs on while other slots take the next.
  std::vector<std::vector<double>> slotFree(numDevices);
  for (unsigned d = 0; d != numDevices; ++d)
    slotFree[d].assign(platform.devices[d].slots, offset);
  std::vector<double> linkFree(platform.links.size(), offset);
  for (unsigned k = 0; k != periods; ++k) {
    double begin = offset + k * period;
    auto occupy = [&](unsigned d, double duration) {
      auto slot = std::min_element(slotFree[d].begin(), slotFree[d].end());
      double start = std::max(*slot, begin);
      *slot = start + duration;
      return start;
    };
    for (unsigned v : problem.topologicalOrder()) {
      if (stage[v] > k)
        continue; // its sample has not entered the pipeline yet
      json::Object args = opArgs(fn, v);
      args["sample"] = k - stage[v];
      args["period"] = k;
      double duration = problem.occupancy(v, device[v]);
      if (!problem.nodes[v].external) {
        double start = occupy(device[v], duration);
        slices.push_back({problem.nodes[v].name, "op", device[v], start,
                          start + duration, std::move(args)});
      }
      // Its output to other devices, each leg once, as the evaluator
      // charges it.
      llvm::SmallVector<unsigned, 4> legsUsed;
      llvm::SmallVector<Leg, 4> legs;
      for (unsigned w : problem.successors(v))
        if (device[w] != device[v])
          if (const llvm::SmallVector<Leg, 2> *route =
                  routes.route(device[v], device[w]))
            for (const Leg &leg : *route)
              if (!llvm::is_contained(legsUsed, leg.link)) {
                legsUsed.push_back(leg.link);
                legs.push_back(leg);
              }
      double bytes = problem.outputBytes(v);
      if (stage[v] + 1 > k)
        continue;
      for (const Leg &leg : legs) {
        double t = platform.links[leg.link].transferTime(bytes) +
                   problem.firstTouchTime(leg.to, bytes);
        if (t == 0)
          continue;
        double start = std::max(linkFree[leg.link], begin);
        linkFree[leg.link] = start + t;
        json::Object targs{{"function", "@" + fn.name},
                           {"tensor", problem.nodes[v].name},
                           {"bytes", bytes},
                           {"link", linkName(leg.link)},
                           {"sample", k - stage[v] - 1},
                           {"period", k}};
        slices.push_back({problem.nodes[v].name, "transfer",
                          linkTrack(leg.link), start, start + t,
                          json::Object(targs)});
        for (unsigned d : {leg.from, leg.to})
          if (platform.chargesDevice(d)) {
            double at = occupy(d, t);
            slices.push_back({"copy " + problem.nodes[v].name, "transfer", d,
                              at, at + t, json::Object(targs)});
          }
      }
    }
    if (platform.runtime && fn.evaluation.hostBusy > 0) {
      // The host's seconds per sample, shared by its threads.
      double share = fn.evaluation.hostBusy / platform.runtime->hostThreads;
      for (unsigned t = 0; t != platform.runtime->hostThreads; ++t)
        slices.push_back({"host work of one sample", "host", hostTrack(), begin,
                          begin + share, json::Object{{"period", k}}});
    }
  }
}

unsigned TraceBuilder::lanes(unsigned track) const {
  if (track < numDevices)
    return platform.devices[track].slots;
  if (track == hostTrack())
    return platform.runtime ? platform.runtime->hostThreads : 1;
  return 1;
}

json::Array TraceBuilder::emit() {
  json::Array events;
  auto meta = [&](llvm::StringRef what, unsigned pid,
                  std::optional<unsigned> tid, json::Value value) {
    json::Object event{{"ph", "M"}, {"name", what}, {"pid", pid}};
    if (tid)
      event["tid"] = *tid;
    event["args"] = json::Object{
        {what.ends_with("name") ? "name" : "sort_index", std::move(value)}};
    events.push_back(std::move(event));
  };
  unsigned numTracks = hostTrack() + 1;
  // Processes: each device, then all links in one, then the host runtime.
  auto pidOf = [&](unsigned track) -> unsigned {
    if (track < numDevices)
      return track + 1;
    return track < hostTrack() ? numDevices + 1 : numDevices + 2;
  };
  for (unsigned d = 0; d != numDevices; ++d) {
    const Device &device = platform.devices[d];
    meta("process_name", pidOf(d), std::nullopt,
         device.name + " (" + stringifyDeviceKind(device.kind).str() + ")");
    meta("process_sort_index", pidOf(d), std::nullopt, d);
    for (unsigned s = 0; s != device.slots; ++s)
      meta("thread_name", pidOf(d), s, "slot " + std::to_string(s));
  }
  if (!platform.links.empty()) {
    meta("process_name", numDevices + 1, std::nullopt, "links");
    meta("process_sort_index", numDevices + 1, std::nullopt, numDevices);
    for (unsigned l = 0, e = platform.links.size(); l != e; ++l)
      meta("thread_name", numDevices + 1, l, linkName(l));
  }
  if (platform.runtime) {
    meta("process_name", numDevices + 2, std::nullopt,
         "host runtime (" + platform.runtime->flavour + ")");
    meta("process_sort_index", numDevices + 2, std::nullopt, numDevices + 1);
    for (unsigned t = 0; t != platform.runtime->hostThreads; ++t)
      meta("thread_name", numDevices + 2, t, "thread " + std::to_string(t));
  }
  // A slice goes to the first lane of its track that is free when it
  // starts: the simulator's slots are interchangeable, so this is a valid
  // assignment, as it never books more than `lanes` at once. The
  // throughput illustration can (an op longer than the period on a
  // multi-slot device): such a slice gets a lane of its own rather than
  // overlap another, which trace viewers would nest or reject.
  std::vector<unsigned> order(slices.size());
  for (unsigned i = 0, e = slices.size(); i != e; ++i)
    order[i] = i;
  llvm::stable_sort(order, [&](unsigned a, unsigned b) {
    return std::make_pair(slices[a].start, slices[a].end) <
           std::make_pair(slices[b].start, slices[b].end);
  });
  std::vector<std::vector<double>> laneFree(numTracks);
  for (unsigned t = 0; t != numTracks; ++t)
    laneFree[t].assign(lanes(t), -kInfinity);
  json::Array sliceEvents;
  for (unsigned i : order) {
    Slice &slice = slices[i];
    std::vector<double> &free = laneFree[slice.track];
    // Rounding of sums in the simulator: a lane free a hair after the start
    // is free.
    double slack = 1e-9 * std::max(1.0, std::abs(slice.start));
    auto lane = llvm::find_if(
        free, [&](double at) { return at <= slice.start + slack; });
    if (lane == free.end()) {
      free.push_back(slice.end);
      lane = std::prev(free.end());
    }
    *lane = slice.end;
    unsigned tid = slice.track < numDevices || slice.track == hostTrack()
                       ? unsigned(lane - free.begin())
                       : slice.track - numDevices;
    sliceEvents.push_back(json::Object{{"name", slice.name},
                                       {"cat", slice.category},
                                       {"ph", "X"},
                                       {"pid", pidOf(slice.track)},
                                       {"tid", tid},
                                       {"ts", slice.start * 1e6},
                                       {"dur", (slice.end - slice.start) * 1e6},
                                       {"args", std::move(slice.args)}});
  }
  for (unsigned t = 0; t != numTracks; ++t)
    if (t < numDevices || t == hostTrack())
      for (unsigned extra = lanes(t), e = laneFree[t].size(); extra < e;
           ++extra)
        meta("thread_name", pidOf(t), extra,
             "overlap " + std::to_string(extra - lanes(t)));
  for (json::Value &event : sliceEvents)
    events.push_back(std::move(event));
  return events;
}

json::Value TraceBuilder::build() {
  double offset = 0;
  for (const FunctionReport &fn : report.functions) {
    if (report.objective == Objective::Latency)
      addLatency(fn, offset);
    else
      addThroughput(fn, offset);
    // Functions run one after the other, as the report adds them up.
    double span = fn.evaluation.value;
    if (report.objective == Objective::Throughput) {
      span = 0;
      for (const Slice &slice : slices)
        span = std::max(span, slice.end - offset);
    }
    offset += std::isfinite(span) ? span : 0;
  }
  return json::Object{
      {"traceEvents", emit()},
      {"displayTimeUnit", "ns"},
      {"otherData",
       json::Object{{"objective", stringifyObjective(report.objective)},
                    {"algorithm", report.algorithm},
                    {"platform", platform.name},
                    {"time_unit", "microseconds"}}}};
}

json::Value diviml::traceJson(const PartitionReport &report) {
  return TraceBuilder(report).build();
}

void diviml::writeTrace(const PartitionReport &report, llvm::raw_ostream &os) {
  json::Value trace = traceJson(report);
  json::Object &root = *trace.getAsObject();
  os << "{\"traceEvents\": [\n";
  bool first = true;
  for (const json::Value &event : *root.getArray("traceEvents")) {
    os << (first ? "" : ",\n") << event;
    first = false;
  }
  os << "\n]";
  for (const auto &entry : root)
    if (entry.first != "traceEvents")
      os << ",\n\"" << entry.first << "\": " << entry.second;
  os << "}\n";
}
