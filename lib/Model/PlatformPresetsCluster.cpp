//===- PlatformPresetsCluster.cpp - Multi-server presets ------------------===//
//
// Datasheet figures as in PlatformPresets.cpp; docs/platforms.md gives the
// sources. A NIC's figures are what one transfer gets: the cluster model
// gives every pair of devices its own link (lib/Model/Cluster.cpp).
//
//===----------------------------------------------------------------------===//

#include "PlatformPresetsCluster.h"
#include "PresetSupport.h"

#include "diviml/Model/Cluster.h"
#include "diviml/Model/PlatformIO.h"

using namespace diviml;

namespace {

/// A DGX A100 (the `dgx-8gpu` preset) with one 200 Gb/s HDR InfiniBand
/// port per transfer: 25 GB/s raw, ~24 GB/s achieved by RDMA writes of
/// large messages; 5 us per NIC for the send or receive side of a
/// GPUDirect RDMA copy (an assumption: the wire and switch add ~1 us, the
/// rest is posting and completion).
ServerTemplate a100Server() {
  ServerTemplate tmpl;
  tmpl.server = *presetPlatform("dgx-8gpu");
  tmpl.server.name = "a100x8";
  tmpl.nicBandwidth = 2.4e10;
  tmpl.nicLatency = 5.0e-6;
  return tmpl;
}

/// A four-GPU V100 SXM2 32 GB server: two Xeon E5-2698 v4-class CPUs (one
/// device), the GPUs all-to-all over NVLink 2, each on PCIe 3.0 x16 to the
/// host, and a 100 Gb/s EDR InfiniBand NIC.
ServerTemplate v100Server() {
  ServerTemplate tmpl;
  Platform &p = tmpl.server;
  p.name = "v100x4";
  // 2 x 20 cores x 2.2 GHz x 32 FP32 FLOP/cycle (two 256-bit FMA pipes);
  // 2 x 4 channels of DDR4-2400 = 153.6 GB/s; 512 GB; four slots.
  p.devices.push_back(
      {"cpu", DeviceKind::Cpu, 2.816e12, 1.536e11, 5.12e11, 2.0e-6, 4});
  // V100 SXM2 32 GB: 15.7 TFLOP/s FP32, 125 TFLOP/s FP16 on tensor cores,
  // 900 GB/s HBM2. No INT8 tensor cores: INT8 runs at the FP32 peak here.
  for (unsigned g = 0; g != 4; ++g) {
    Device gpu{"gpu" + std::to_string(g),
               DeviceKind::Gpu,
               1.57e13,
               9.0e11,
               3.2e10,
               5.0e-6,
               1};
    gpu.peakFlopsF16 = 1.25e14;
    p.devices.push_back(std::move(gpu));
  }
  p.host = 0;
  // PCIe 3.0 x16: ~12 GB/s achieved, ~10 us per copy (as cpu-2gpu).
  for (unsigned g = 1; g <= 4; ++g)
    connect(p, 0, g, 1.2e10, 1.0e-5);
  // NVLink 2: six bricks of 25 GB/s per direction per GPU, two to each of
  // the three peers: 50 GB/s each way.
  for (unsigned a = 1; a <= 4; ++a)
    for (unsigned b = a + 1; b <= 4; ++b)
      connect(p, a, b, 5.0e10, 1.0e-5);
  // EDR InfiniBand: 12.5 GB/s raw, ~12 GB/s achieved; 5 us as above.
  tmpl.nicBandwidth = 1.2e10;
  tmpl.nicLatency = 5.0e-6;
  return tmpl;
}

} // namespace

ClusterSpec diviml::clusterMixed4Spec() {
  ClusterSpec spec;
  spec.name = "cluster-mixed-4";
  spec.templates = {a100Server(), v100Server()};
  spec.groups = {{0, 2}, {1, 2}};
  return spec;
}

ClusterSpec diviml::clusterDgx8Spec() {
  ClusterSpec spec;
  spec.name = "cluster-dgx-8";
  spec.templates = {a100Server()};
  spec.groups = {{0, 8}};
  return spec;
}

std::optional<ClusterSpec> diviml::presetCluster(llvm::StringRef name) {
  if (name == "cluster-mixed-4")
    return clusterMixed4Spec();
  if (name == "cluster-dgx-8")
    return clusterDgx8Spec();
  return std::nullopt;
}
