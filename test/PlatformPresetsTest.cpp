//===- PlatformPresetsTest.cpp - Presets, op support, per-type peaks ------===//

#include "diviml/Model/PlatformIO.h"

#include "gtest/gtest.h"

using namespace diviml;

namespace {

TEST(DeviceTest, UnsupportedOpsByNameAndPrefix) {
  Device dla;
  dla.unsupportedOps = {"tosa.gather", "tosa.reduce_*"};
  EXPECT_FALSE(dla.supports("tosa.gather"));
  EXPECT_FALSE(dla.supports("tosa.reduce_sum"));
  EXPECT_FALSE(dla.supports("tosa.reduce_"));
  // A name is not a prefix: tosa.gather_nd is another op.
  EXPECT_TRUE(dla.supports("tosa.gather_nd"));
  EXPECT_TRUE(dla.supports("tosa.conv2d"));
  EXPECT_TRUE(Device().supports("tosa.gather"));
}

TEST(DeviceTest, PeakByElementType) {
  Device gpu;
  gpu.peakFlops = 1e12;
  EXPECT_EQ(gpu.peakFor(/*isFloat=*/true, 16), 1e12); // nothing given
  gpu.peakFlopsF16 = 4e12;
  gpu.peakOpsInt8 = 8e12;
  EXPECT_EQ(gpu.peakFor(true, 32), 1e12);
  EXPECT_EQ(gpu.peakFor(true, 16), 4e12); // f16 and bf16
  EXPECT_EQ(gpu.peakFor(true, 8), 4e12);  // 8-bit floats: at least f16 rate
  EXPECT_EQ(gpu.peakFor(false, 8), 8e12);
  EXPECT_EQ(gpu.peakFor(false, 32), 1e12); // i32 arithmetic
}

TEST(PlatformIOTest, OptionalDeviceKeysRoundTrip) {
  llvm::StringRef text = R"({"name": "p", "devices": [
      {"name": "a", "kind": "accel", "peak_flops": 1e12, "bandwidth": 1e11,
       "peak_f16": 2e12, "peak_int8": 4e12,
       "unsupported": ["tosa.gather", "tosa.reduce_*"]},
      {"name": "c", "kind": "cpu", "peak_flops": 1e11, "bandwidth": 1e10}]})";
  llvm::Expected<Platform> parsed = parsePlatformJson(text);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const Device &a = parsed->devices[0];
  EXPECT_EQ(a.peakFlopsF16, 2e12);
  EXPECT_EQ(a.peakOpsInt8, 4e12);
  EXPECT_EQ(a.unsupportedOps,
            (std::vector<std::string>{"tosa.gather", "tosa.reduce_*"}));
  EXPECT_EQ(parsed->devices[1].peakFlopsF16, 0);
  EXPECT_TRUE(parsed->devices[1].unsupportedOps.empty());

  std::string printed;
  llvm::raw_string_ostream os(printed);
  os << platformToJson(*parsed);
  // Keys that are not set are not written.
  EXPECT_EQ(llvm::StringRef(printed).count("peak_f16"), 1u);
  llvm::Expected<Platform> again = parsePlatformJson(printed);
  ASSERT_TRUE(bool(again)) << llvm::toString(again.takeError());
  EXPECT_EQ(again->devices[0].unsupportedOps, a.unsupportedOps);
  EXPECT_EQ(again->devices[0].peakOpsInt8, 4e12);
}

TEST(PlatformIOTest, RejectsBadOptionalDeviceKeys) {
  auto error = [](llvm::StringRef device) {
    std::string text = (R"({"devices": [{"name": "a", "kind": "gpu",
        "peak_flops": 1, "bandwidth": 1, )" +
                        device + "}]}")
                           .str();
    llvm::Expected<Platform> parsed = parsePlatformJson(text);
    return parsed ? std::string() : llvm::toString(parsed.takeError());
  };
  EXPECT_EQ(error(R"("peak_f16": 0)"),
            "device 'a': 'peak_f16' must be a positive finite number");
  EXPECT_EQ(error(R"("peak_int8": "inf")"),
            "device 'a': 'peak_int8' must be a number from 0 to 1e+24");
  EXPECT_EQ(error(R"("unsupported": "tosa.gather")"),
            "device 'a': 'unsupported' must be an array of strings");
  EXPECT_EQ(error(R"("unsupported": [3])"),
            "device 'a': 'unsupported' must hold non-empty strings");
}

TEST(PlatformIOTest, DevicesDifferingInSupportAreNotInterchangeable) {
  Platform p = *presetPlatform("cpu-2gpu");
  p.devices[2] = p.devices[1];
  p.devices[2].name = "gpu1";
  EXPECT_EQ(p.identicalDeviceClasses().size(), 2u); // {cpu}, {gpu0, gpu1}
  p.devices[2].unsupportedOps = {"tosa.erf"};
  EXPECT_EQ(p.identicalDeviceClasses().size(), 3u);
}

TEST(PresetTest, EveryPresetIsConnectedAndNamed) {
  for (llvm::StringRef name : presetPlatformNames()) {
    std::optional<Platform> p = presetPlatform(name);
    ASSERT_TRUE(p.has_value()) << name.str();
    EXPECT_EQ(p->name, name.str());
    for (unsigned a = 0; a != p->numDevices(); ++a)
      for (unsigned b = 0; b != p->numDevices(); ++b)
        EXPECT_TRUE(p->route(a, b).has_value())
            << name.str() << ": " << a << " -> " << b;
    // JSON round trip keeps every device field.
    std::string printed;
    llvm::raw_string_ostream os(printed);
    os << platformToJson(*p);
    llvm::Expected<Platform> again = parsePlatformJson(printed);
    ASSERT_TRUE(bool(again)) << llvm::toString(again.takeError());
    ASSERT_EQ(again->numDevices(), p->numDevices());
    for (unsigned d = 0; d != p->numDevices(); ++d) {
      EXPECT_EQ(again->devices[d].peakFlopsF16, p->devices[d].peakFlopsF16);
      EXPECT_EQ(again->devices[d].unsupportedOps, p->devices[d].unsupportedOps);
    }
  }
}

TEST(PresetTest, DgxHasEightInterchangeableGpus) {
  Platform p = *presetPlatform("dgx-8gpu");
  ASSERT_EQ(p.numDevices(), 9u);
  // 8 host links each way + 28 GPU pairs each way.
  EXPECT_EQ(p.links.size(), 16u + 56u);
  std::vector<std::vector<unsigned>> classes = p.identicalDeviceClasses();
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_EQ(classes[1].size(), 8u);
  // NVLink: 1 GB between two GPUs takes 10 us + 1e9 / 3e11 s.
  EXPECT_DOUBLE_EQ(p.transferTime(1, 8, 1e9), 1e-5 + 1e9 / 3e11);
}

TEST(PresetTest, GpuAccelDlaCannotRunGather) {
  Platform p = *presetPlatform("gpu-accel");
  std::optional<unsigned> dla = p.findDevice("dla");
  ASSERT_TRUE(dla.has_value());
  EXPECT_EQ(p.devices[*dla].kind, DeviceKind::Accel);
  EXPECT_FALSE(p.devices[*dla].supports("tosa.gather"));
  EXPECT_FALSE(p.devices[*dla].supports("tosa.matmul"));
  EXPECT_TRUE(p.devices[*dla].supports("tosa.conv2d"));
  EXPECT_TRUE(p.devices[*p.findDevice("gpu")].supports("tosa.gather"));
}

} // namespace

TEST(PresetTest, H200NodeHasTheMeasuredRuntime) {
  std::optional<Platform> eager = presetPlatform("h200-node");
  std::optional<Platform> graph = presetPlatform("h200-node-graph");
  ASSERT_TRUE(eager && graph);
  for (const Platform *p : {&*eager, &*graph}) {
    ASSERT_TRUE(p->runtime.has_value());
    EXPECT_EQ(p->devices[*p->host].name, "cpu");
    EXPECT_TRUE(p->runsOnDispatchThread(*p->host));
    for (const Link &link : p->links)
      EXPECT_TRUE(link.synchronous && link.pageable);
    EXPECT_FALSE(p->devices[*p->findDevice("gpu")].efficiency.empty());
  }
  unsigned gpu = *eager->findDevice("gpu");
  EXPECT_EQ(eager->runtime->flavour, "eager");
  EXPECT_GT(eager->dispatchTime(gpu, "conv"), eager->dispatchTime(gpu, "add"));
  EXPECT_EQ(graph->runtime->flavour, "graph");
  // Graph replay: the host issues no GPU op, the GPU's per-op floor drops.
  EXPECT_DOUBLE_EQ(graph->dispatchTime(gpu, "conv"), 0.0);
  EXPECT_DOUBLE_EQ(graph->devices[gpu].launchOverhead, 3.0e-6);
  EXPECT_DOUBLE_EQ(eager->devices[gpu].launchOverhead, 7.1e-6);
  // The presets survive the JSON format unchanged.
  std::string text;
  llvm::raw_string_ostream os(text);
  os << platformToJson(*eager);
  llvm::Expected<Platform> again = parsePlatformJson(text);
  ASSERT_TRUE(bool(again)) << llvm::toString(again.takeError());
  EXPECT_EQ(again->devices[gpu].efficiency, eager->devices[gpu].efficiency);
  EXPECT_EQ(again->devices[gpu].dispatchByClass,
            eager->devices[gpu].dispatchByClass);
}
