//===- PlatformPresets.cpp - Built-in platforms ---------------------------===//
//
// Every number is a vendor datasheet figure; docs/platforms.md gives the
// derivation and the source of each.
//
//===----------------------------------------------------------------------===//

#include "diviml/Core/PlatformIO.h"

using namespace diviml;

namespace {

/// Adds links both ways between `a` and `b`.
void connect(Platform &platform, unsigned a, unsigned b, double bandwidth,
             double latency) {
  platform.links.push_back({a, b, bandwidth, latency});
  platform.links.push_back({b, a, bandwidth, latency});
}

/// The DiviML paper's kind of evaluation node: one server CPU and two
/// different GPUs, each on its own PCIe 3.0 x16 slot; GPU-to-GPU copies are
/// staged through host memory.
Platform cpu2gpu() {
  Platform p;
  p.name = "cpu-2gpu";
  // Xeon Gold 6226R-class: 16 cores x 2.9 GHz x 64 FP32 FLOP/cycle
  // (2 AVX-512 FMA units); 6 channels of DDR4-2933; 192 GB.
  p.devices.push_back({"cpu", DeviceKind::Cpu, 2.9696e12, 1.408e11, 1.92e11,
                       2.0e-6, 4});
  // RTX A6000-class: 38.7 TFLOP/s FP32, 768 GB/s GDDR6, 48 GB.
  p.devices.push_back(
      {"gpu0", DeviceKind::Gpu, 3.87e13, 7.68e11, 4.8e10, 5.0e-6, 1});
  // GTX 1080 Ti-class: 11.3 TFLOP/s FP32, 484 GB/s GDDR5X, 11 GB.
  p.devices.push_back(
      {"gpu1", DeviceKind::Gpu, 1.134e13, 4.84e11, 1.1e10, 5.0e-6, 1});
  p.host = 0;
  // PCIe 3.0 x16: 15.75 GB/s raw, ~12 GB/s achieved by pinned cudaMemcpy;
  // ~10 us per copy of launch and synchronisation latency.
  connect(p, 0, 1, 1.2e10, 1.0e-5);
  connect(p, 0, 2, 1.2e10, 1.0e-5);
  return p;
}

} // namespace

llvm::ArrayRef<llvm::StringRef> diviml::presetPlatformNames() {
  static const llvm::StringRef names[] = {"cpu-2gpu"};
  return names;
}

std::optional<Platform> diviml::presetPlatform(llvm::StringRef name) {
  if (name == "cpu-2gpu")
    return cpu2gpu();
  return std::nullopt;
}
