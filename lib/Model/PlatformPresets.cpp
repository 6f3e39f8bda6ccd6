//===- PlatformPresets.cpp - Built-in platforms ---------------------------===//
//
// Every number is a vendor datasheet figure; docs/platforms.md gives the
// derivation and the source of each.
//
//===----------------------------------------------------------------------===//

#include "PlatformPresetsCluster.h"
#include "PlatformPresetsH200.h"
#include "PresetSupport.h"

#include "diviml/Model/PlatformIO.h"

using namespace diviml;

namespace {

/// The DiviML paper's kind of evaluation node: one server CPU and two
/// different GPUs, each on its own PCIe 3.0 x16 slot; GPU-to-GPU copies are
/// staged through host memory.
Platform cpu2gpu() {
  Platform p;
  p.name = "cpu-2gpu";
  // Xeon Gold 6226R-class: 16 cores x 2.9 GHz x 64 FP32 FLOP/cycle
  // (2 AVX-512 FMA units); 6 channels of DDR4-2933; 192 GB.
  p.devices.push_back(
      {"cpu", DeviceKind::Cpu, 2.9696e12, 1.408e11, 1.92e11, 2.0e-6, 4});
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

/// A DGX A100-class datacentre node: two host CPUs (one device) and eight
/// A100 SXM4 80 GB GPUs, all-to-all over NVLink 3 through NVSwitch; each GPU
/// reaches the host over PCIe 4.0 x16.
Platform dgx8gpu() {
  Platform p;
  p.name = "dgx-8gpu";
  // 2x EPYC 7742-class: 128 cores x 2.25 GHz x 32 FP32 FLOP/cycle (two
  // 256-bit FMA pipes); 2 x 8 channels of DDR4-3200 = 409.6 GB/s; 1 TB.
  // Eight slots of 16 cores each.
  p.devices.push_back(
      {"cpu", DeviceKind::Cpu, 9.216e12, 4.096e11, 1.0e12, 2.0e-6, 8});
  // A100 SXM4 80 GB: 19.5 TFLOP/s FP32 (without TF32 tensor cores), 312
  // TFLOP/s FP16/BF16 and 624 TOPS INT8 on tensor cores (dense), 2039 GB/s
  // HBM2e.
  for (unsigned g = 0; g != 8; ++g) {
    std::string name = "gpu" + std::to_string(g);
    Device gpu{name, DeviceKind::Gpu, 1.95e13, 2.039e12, 8.0e10, 5.0e-6, 1};
    gpu.peakFlopsF16 = 3.12e14;
    gpu.peakOpsInt8 = 6.24e14;
    p.devices.push_back(std::move(gpu));
  }
  p.host = 0;
  // PCIe 4.0 x16: 31.5 GB/s raw; ~24 GB/s achieved, the same ~76 % of raw
  // as PCIe 3.0 in cpu-2gpu; ~10 us per copy as there.
  for (unsigned g = 1; g <= 8; ++g)
    connect(p, 0, g, 2.4e10, 1.0e-5);
  // NVLink 3: 12 links x 25 GB/s per direction = 300 GB/s each way between
  // any two GPUs through NVSwitch.
  for (unsigned a = 1; a <= 8; ++a)
    for (unsigned b = a + 1; b <= 8; ++b)
      connect(p, a, b, 3.0e11, 1.0e-5);
  return p;
}

/// A Jetson AGX Orin 64 GB-class module: Arm CPU, an Ampere GPU and one of
/// its two DLA cores, all sharing 204.8 GB/s of LPDDR5. The DLA runs only
/// the layers of TensorRT's DLA list; the ops it cannot run are listed.
Platform gpuAccel() {
  Platform p;
  p.name = "gpu-accel";
  // 12x Cortex-A78AE at 2.2 GHz x 16 FP32 FLOP/cycle (two 128-bit FMA
  // pipes); four slots of three cores.
  p.devices.push_back(
      {"cpu", DeviceKind::Cpu, 4.224e11, 2.048e11, 6.4e10, 2.0e-6, 4});
  // 2048 CUDA cores x 2 x 1.3 GHz = 5.3 TFLOP/s FP32; tensor cores 42.5
  // TFLOP/s FP16 and 85 TOPS INT8 dense (half the sparse 85 and 170).
  Device gpu{"gpu", DeviceKind::Gpu, 5.325e12, 2.048e11, 6.4e10, 5.0e-6, 1};
  gpu.peakFlopsF16 = 4.25e13;
  gpu.peakOpsInt8 = 8.5e13;
  p.devices.push_back(std::move(gpu));
  // One NVDLA v2 core: 105 sparse INT8 TOPS for two cores = 26.25 TOPS
  // dense per core. It has no FP32 path (TensorRT runs FP32 layers in FP16),
  // and its FP16 rate, not published for Orin, is taken as half the INT8
  // rate as on Xavier's DLA. Submitting a DLA task costs more than a CUDA
  // launch: 20 us is an assumption.
  Device dla{"dla", DeviceKind::Accel, 1.3125e13, 2.048e11, 6.4e10, 2.0e-5, 1};
  dla.peakFlopsF16 = 1.3125e13;
  dla.peakOpsInt8 = 2.625e13;
  dla.unsupportedOps = {
      "tosa.argmax",         "tosa.cast",       "tosa.cond_if",
      "tosa.custom",         "tosa.erf",        "tosa.exp",
      "tosa.fft2d",          "tosa.gather",     "tosa.log",
      "tosa.matmul",         "tosa.reduce_all", "tosa.reduce_any",
      "tosa.reduce_product", "tosa.reduce_sum", "tosa.rfft2d",
      "tosa.scatter",        "tosa.table",      "tosa.while_loop"};
  p.devices.push_back(std::move(dla));
  p.host = 0;
  // Unified memory: a tensor changes engine without a bus transfer, but
  // TensorRT reformats it between GPU and DLA layouts, one read and one
  // write through LPDDR5: 204.8 / 2 GB/s; ~10 us to synchronise.
  connect(p, 0, 1, 1.024e11, 1.0e-5);
  connect(p, 0, 2, 1.024e11, 1.0e-5);
  connect(p, 1, 2, 1.024e11, 1.0e-5);
  return p;
}

} // namespace

llvm::ArrayRef<llvm::StringRef> diviml::presetPlatformNames() {
  static const llvm::StringRef names[] = {
      "cpu-2gpu",        "dgx-8gpu",        "gpu-accel",    "h200-node",
      "h200-node-graph", "cluster-mixed-4", "cluster-dgx-8"};
  return names;
}

std::optional<Platform> diviml::presetPlatform(llvm::StringRef name) {
  if (name == "cpu-2gpu")
    return cpu2gpu();
  if (name == "dgx-8gpu")
    return dgx8gpu();
  if (name == "h200-node")
    return h200Node();
  if (name == "h200-node-graph")
    return h200NodeGraph();
  if (name == "gpu-accel")
    return gpuAccel();
  if (std::optional<ClusterSpec> cluster = presetCluster(name))
    return llvm::cantFail(expandCluster(*cluster));
  return std::nullopt;
}
