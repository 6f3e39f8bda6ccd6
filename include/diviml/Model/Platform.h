//===- Platform.h - Devices and links of a heterogeneous node ---*- C++ -*-===//
//
// The scheduling core's view of a machine: devices that run ops and links that
// move tensors between them. Free of MLIR so it can be unit-tested and reused.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_MODEL_PLATFORM_H
#define DIVIML_MODEL_PLATFORM_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace diviml {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// The most ops a device may run at once: simulations keep per-slot state.
constexpr unsigned kMaxDeviceSlots = 4096;

enum class DeviceKind { Cpu, Gpu, Accel };

/// The fraction of the roofline an op class achieves on a device, as a
/// function of the op's size (FLOPs or bytes, see docs/cost-model.md):
/// log(efficiency) is linear in log(size) between points and flat outside
/// them. Efficiencies above 1 are real (caches beat the measured peak).
struct EfficiencyCurve {
  /// (size, efficiency) points, sizes strictly increasing, all positive.
  std::vector<std::pair<double, double>> points;

  double at(double size) const;
  bool operator==(const EfficiencyCurve &other) const {
    return points == other.points;
  }
};

llvm::StringRef stringifyDeviceKind(DeviceKind kind);
std::optional<DeviceKind> symbolizeDeviceKind(llvm::StringRef text);

struct Device {
  std::string name;
  DeviceKind kind = DeviceKind::Cpu;
  /// Peak compute in FLOP/s; used only by cost estimation, not by schedulers.
  double peakFlops = 0;
  /// Memory bandwidth in B/s; used only by cost estimation.
  double memoryBandwidth = 0;
  /// Bytes the device can hold; kInfinity when unlimited.
  double memoryCapacity = kInfinity;
  /// Fixed cost of launching one kernel, seconds; used by cost estimation.
  double launchOverhead = 0;
  /// How many ops the device runs at once (CPU cores, GPU streams).
  unsigned slots = 1;
  /// Peak FLOP/s of f16 and bf16 arithmetic (tensor cores); 0 when not
  /// given, and then peakFlops applies.
  double peakFlopsF16 = 0;
  /// Peak op/s of 8-bit integer arithmetic; 0 when not given, and then
  /// peakFlops applies.
  double peakOpsInt8 = 0;
  /// Op kinds the device cannot run: full op names ("tosa.gather") or
  /// prefixes ending in '*' ("tosa.reduce_*"). Cost estimation gives such
  /// ops no time on the device, so no placement can put them there.
  std::vector<std::string> unsupportedOps;

  // The runtime's view of the device (used when Platform::runtime is set).
  /// Host seconds the dispatching thread spends issuing one op to this
  /// device. For ops that run on the dispatching thread itself, the per-op
  /// overhead on top of the op's time.
  double dispatch = 0;
  /// Per op class overrides of `dispatch` (classes in docs/cost-model.md).
  std::map<std::string, double> dispatchByClass;
  /// Bytes/s at which freshly allocated memory of this device is first
  /// written (page faults); 0 when free. Charged for every op output and
  /// every copy that lands on the device.
  double firstTouchBandwidth = 0;
  /// Achieved efficiency per op class; a class without a curve gets the
  /// plain roofline.
  std::map<std::string, EfficiencyCurve> efficiency;

  /// Whether the device can run ops named `opName` (see unsupportedOps).
  bool supports(llvm::StringRef opName) const;
  /// The peak for arithmetic on elements of `bits`-wide floats (`isFloat`)
  /// or integers: peakFlopsF16 for floats of at most 16 bits, peakOpsInt8
  /// for integers of at most 8 bits, when given; peakFlops otherwise.
  double peakFor(bool isFloat, unsigned bits) const;
};

/// A directed link. Moving `bytes` over it takes latency + bytes / bandwidth
/// with pinned (DMA-ready) host memory, or the pageable figures when the
/// runtime copies from or to pageable memory. A bandwidth of kInfinity with
/// zero latency models shared memory.
struct Link {
  unsigned from = 0;
  unsigned to = 0;
  double bandwidth = kInfinity;
  double latency = 0;
  /// Figures of copies through pageable host memory (0 bandwidth: not given).
  double pageableBandwidth = 0;
  double pageableLatency = 0;
  /// The runtime's copies on this link use pageable memory.
  bool pageable = false;
  /// With a runtime: the dispatching thread issues the copy and waits for
  /// it, after both ends have finished the work queued before it (a
  /// blocking copy, as PyTorch's `.to()`).
  bool synchronous = false;
  /// With a runtime: host seconds to issue one copy.
  double dispatch = 0;

  double transferTime(double bytes) const {
    if (pageable && pageableBandwidth > 0)
      return pageableLatency +
             (pageableBandwidth == kInfinity ? 0.0 : bytes / pageableBandwidth);
    return latency + (bandwidth == kInfinity ? 0.0 : bytes / bandwidth);
  }
};

/// How programs are executed: a host thread (the platform's `host` device)
/// that issues every op and every copy. Without a runtime a platform has
/// free dispatch, as before.
struct Runtime {
  /// "eager" (one dispatch per op) or "graph" (replayed command buffers);
  /// informational, the figures say the difference.
  std::string flavour = "eager";
  /// Threads that issue work (and run host-placed ops) at once.
  unsigned hostThreads = 1;
  /// Ops placed on the host device run on a dispatching thread, which does
  /// nothing else meanwhile (eager single-thread runtimes), rather than on
  /// other cores.
  bool hostOpsOnDispatchThread = true;

  bool operator==(const Runtime &other) const {
    return flavour == other.flavour && hostThreads == other.hostThreads &&
           hostOpsOnDispatchThread == other.hostOpsOnDispatchThread;
  }
};

/// One hop of a tensor's route between two devices.
struct Leg {
  unsigned from;
  unsigned to;
  unsigned link; ///< Index into Platform::links.
};

class Platform {
public:
  /// Preset or file name, for reports.
  std::string name;
  std::vector<Device> devices;
  std::vector<Link> links;
  /// The device through which pairs without a direct link are staged
  /// (device -> host -> device). Its side of any transfer costs it nothing.
  std::optional<unsigned> host;
  /// True when DMA engines let transfers overlap computation (the default).
  /// When false, a transfer also occupies the sending and the receiving
  /// device (except the host) for its duration.
  bool transfersOverlapCompute = true;
  /// The runtime whose host (`host`) dispatches work; see Runtime.
  std::optional<Runtime> runtime;

  unsigned numDevices() const { return devices.size(); }
  std::optional<unsigned> findDevice(llvm::StringRef name) const;
  /// Index of the direct link from -> to, if any.
  std::optional<unsigned> findLink(unsigned from, unsigned to) const;
  /// The legs a tensor takes from `from` to `to` (empty when from == to):
  /// the direct link if there is one, else from -> host -> to. Returns
  /// std::nullopt when the devices cannot reach each other.
  std::optional<llvm::SmallVector<Leg, 2>> route(unsigned from,
                                                 unsigned to) const;
  /// Time to move `bytes` from -> to along route() (kInfinity if unreachable).
  double transferTime(unsigned from, unsigned to, double bytes) const;
  /// Whether a transfer leg touching `device` costs that device compute time
  /// under the throughput model.
  bool chargesDevice(unsigned device) const {
    return !transfersOverlapCompute && (!host || *host != device);
  }
  /// Whether ops placed on `device` run on a dispatching host thread.
  bool runsOnDispatchThread(unsigned device) const {
    return runtime && host && *host == device &&
           runtime->hostOpsOnDispatchThread;
  }
  /// Host seconds to dispatch an op of `opClass` ("" for none) to `device`
  /// (0 without a runtime).
  double dispatchTime(unsigned device, llvm::StringRef opClass) const;
  /// Groups of devices with identical properties and identical links to every
  /// other device (interchangeable for symmetry breaking).
  std::vector<std::vector<unsigned>> identicalDeviceClasses() const;
};

} // namespace diviml

#endif // DIVIML_MODEL_PLATFORM_H
