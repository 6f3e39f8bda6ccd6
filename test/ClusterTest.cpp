//===- ClusterTest.cpp - Servers x counts expand to devices and links -----===//

#include "diviml/Model/Cluster.h"
#include "diviml/Model/PlatformIO.h"

#include "gtest/gtest.h"

using namespace diviml;

namespace {

std::string print(const llvm::json::Value &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return text;
}

std::string print(const Platform &platform) {
  return print(platformToJson(platform));
}

ClusterSpec parseSpec(llvm::StringRef text) {
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(text);
  EXPECT_TRUE(bool(value));
  if (!value) {
    llvm::consumeError(value.takeError());
    return {};
  }
  llvm::Expected<ClusterSpec> spec = parseClusterJson(*value->getAsObject());
  EXPECT_TRUE(bool(spec));
  if (!spec) {
    llvm::consumeError(spec.takeError());
    return {};
  }
  return *spec;
}

// Two servers of one template (a CPU host and a GPU over PCIe) and one of a
// CPU-only template; NICs of 10 and 5 GB/s.
constexpr llvm::StringRef kSmallCluster = R"({
  "name": "small",
  "server_templates": [
    {"name": "gpubox", "host": "cpu", "nic_bandwidth": 1e10,
     "nic_latency": 2e-6,
     "devices": [
       {"name": "cpu", "kind": "cpu", "peak_flops": 1e12, "bandwidth": 1e11},
       {"name": "gpu", "kind": "gpu", "peak_flops": 1e13, "bandwidth": 1e12,
        "memory": 8e10}],
     "links": [{"from": "cpu", "to": "gpu", "bandwidth": 2e10,
                "latency": 1e-5, "bidirectional": true}]},
    {"name": "cpubox", "nic_bandwidth": 5e9, "nic_latency": 3e-6,
     "devices": [
       {"name": "cpu", "kind": "cpu", "peak_flops": 2e12,
        "bandwidth": 1e11}]}],
  "servers": [{"template": "gpubox", "count": 2},
              {"template": "cpubox", "count": 1}]
})";

TEST(ClusterTest, SmallClusterExpandsToNamedDevicesAndNicLinks) {
  llvm::Expected<Platform> p = parsePlatformJson(kSmallCluster);
  ASSERT_TRUE(bool(p)) << llvm::toString(p.takeError());
  ASSERT_EQ(p->numDevices(), 5u);
  EXPECT_EQ(p->devices[0].name, "s0.cpu");
  EXPECT_EQ(p->devices[3].name, "s1.gpu");
  EXPECT_EQ(p->devices[4].name, "s2.cpu");
  EXPECT_EQ(p->devices[3].memoryCapacity, 8e10);
  // Host: the first server's host.
  ASSERT_TRUE(p->host.has_value());
  EXPECT_EQ(*p->host, 0u);
  // 2 x 2 links inside the GPU servers; 25 ordered pairs minus 2 x 4 and 1
  // inside servers = 16 inter-server links.
  EXPECT_EQ(p->links.size(), 4u + 16u);
  // Inside a server: the PCIe link.
  EXPECT_DOUBLE_EQ(p->transferTime(0, 1, 1e9), 1e-5 + 1e9 / 2e10);
  // s0.gpu -> s1.gpu: both NICs, 10 GB/s, 2 + 2 us; direct, not via host.
  std::optional<llvm::SmallVector<Leg, 2>> legs = p->route(1, 3);
  ASSERT_TRUE(legs.has_value());
  EXPECT_EQ(legs->size(), 1u);
  EXPECT_DOUBLE_EQ(p->transferTime(1, 3, 1e9), 4e-6 + 1e9 / 1e10);
  // s1.gpu -> s2.cpu: the slower NIC sets the bandwidth, latencies add.
  EXPECT_DOUBLE_EQ(p->transferTime(3, 4, 1e9), 5e-6 + 1e9 / 5e9);
  ClusterSpec spec = parseSpec(kSmallCluster);
  EXPECT_EQ(spec.numServers(), 3u);
  EXPECT_EQ(spec.serverOf(1), 0u);
  EXPECT_EQ(spec.serverOf(2), 1u);
  EXPECT_EQ(spec.serverOf(4), 2u);
  EXPECT_FALSE(spec.serverOf(5).has_value());
}

TEST(ClusterTest, CompactFormRoundTrips) {
  ClusterSpec spec = parseSpec(kSmallCluster);
  std::string printed = print(clusterToJson(spec));
  EXPECT_NE(printed.find("\"server_templates\""), std::string::npos);
  EXPECT_EQ(printed.find("\"s1.gpu\""), std::string::npos);
  ClusterSpec again = parseSpec(printed);
  EXPECT_EQ(print(clusterToJson(again)), printed);
  // The compact text, read as a platform, is the same expansion.
  llvm::Expected<Platform> fromText = parsePlatformJson(printed);
  ASSERT_TRUE(bool(fromText)) << llvm::toString(fromText.takeError());
  llvm::Expected<Platform> expanded = expandCluster(spec);
  ASSERT_TRUE(bool(expanded)) << llvm::toString(expanded.takeError());
  EXPECT_EQ(print(*fromText), print(*expanded));
  EXPECT_EQ(fromText->name, "small");
  // So is the expanded form, written device by device and read back.
  llvm::Expected<Platform> reread = parsePlatformJson(print(*expanded));
  ASSERT_TRUE(bool(reread)) << llvm::toString(reread.takeError());
  EXPECT_EQ(print(*reread), print(*expanded));

  // Every preset cluster round-trips too.
  for (llvm::StringRef name : {"cluster-mixed-4", "cluster-dgx-8"}) {
    std::optional<ClusterSpec> preset = presetCluster(name);
    ASSERT_TRUE(preset.has_value());
    std::string text = print(clusterToJson(*preset));
    EXPECT_EQ(print(clusterToJson(parseSpec(text))), text);
    llvm::Expected<Platform> platform = parsePlatformJson(text);
    ASSERT_TRUE(bool(platform)) << llvm::toString(platform.takeError());
    EXPECT_EQ(print(*platform), print(*presetPlatform(name)));
    // The compact form is a few kilobytes, not one object per link.
    EXPECT_LT(text.size(), 20000u);
  }
}

TEST(ClusterTest, BadClustersAreErrors) {
  auto error = [](llvm::StringRef text) {
    llvm::Expected<Platform> p = parsePlatformJson(text);
    if (p)
      return std::string("parsed");
    return llvm::toString(p.takeError());
  };
  constexpr llvm::StringRef server =
      R"({"name": "t", "nic_bandwidth": 1e10, "nic_latency": 0, "devices":
          [{"name": "c", "kind": "cpu", "peak_flops": 1, "bandwidth": 1}]})";
  EXPECT_EQ(error((R"({"server_templates": [)" + server +
                   R"(], "servers": [{"template": "u", "count": 1}]})")
                      .str()),
            "servers[0] needs 'template' naming a server template");
  EXPECT_EQ(error((R"({"server_templates": [)" + server +
                   R"(], "servers": [{"template": "t", "count": 0}]})")
                      .str()),
            "servers[0]: 'count' must be an integer from 1 to 4096");
  EXPECT_EQ(
      error(R"({"server_templates": [{"name": "t", "devices": []}],
                "servers": [{"template": "t", "count": 1}]})"),
      "server_templates[0] needs a positive finite number 'nic_bandwidth'");
  EXPECT_EQ(error((R"({"server_templates": [)" + server +
                   R"(], "servers": [{"template": "t", "count": 1}],
                      "devices": []})")
                      .str()),
            "the cluster has unknown key 'devices'");
  EXPECT_EQ(error((R"({"server_templates": [)" + server +
                   R"(], "servers": [{"template": "t", "count": 2}],
                      "host": "s2.c"})")
                      .str()),
            "the cluster's 'host' names unknown device 's2.c'");
}

TEST(ClusterTest, MixedPresetServersAndLinks) {
  Platform p = *presetPlatform("cluster-mixed-4");
  // Two A100 servers of 9 devices, two V100 servers of 5.
  ASSERT_EQ(p.numDevices(), 28u);
  EXPECT_EQ(presetCluster("cluster-mixed-4")->numServers(), 4u);
  std::optional<unsigned> a = p.findDevice("s0.gpu3");
  std::optional<unsigned> b = p.findDevice("s1.gpu3");
  std::optional<unsigned> v = p.findDevice("s2.gpu1");
  std::optional<unsigned> w = p.findDevice("s3.gpu3");
  ASSERT_TRUE(a && b && v && w);
  EXPECT_FALSE(p.findDevice("s2.gpu4").has_value());
  EXPECT_EQ(p.devices[*v].memoryCapacity, 3.2e10);
  // Intra: 2 x (16 + 56) + 2 x (8 + 12); inter: 28^2 - (2 x 81 + 2 x 25).
  EXPECT_EQ(p.links.size(), 184u + 572u);
  // A100 to A100 server: HDR at 24 GB/s, 5 + 5 us.
  EXPECT_DOUBLE_EQ(p.transferTime(*a, *b, 1e9), 1e-5 + 1e9 / 2.4e10);
  // A100 to V100 server: the EDR NIC's 12 GB/s.
  EXPECT_DOUBLE_EQ(p.transferTime(*a, *v, 1e9), 1e-5 + 1e9 / 1.2e10);
  // Inside a V100 server: NVLink 2 at 50 GB/s.
  EXPECT_DOUBLE_EQ(p.transferTime(*v, *p.findDevice("s2.gpu2"), 1e9),
                   1e-5 + 1e9 / 5e10);
  EXPECT_EQ(*p.host, *p.findDevice("s0.cpu"));
}

TEST(ClusterTest, DgxClusterIsEightDgxServers) {
  Platform p = *presetPlatform("cluster-dgx-8");
  ASSERT_EQ(p.numDevices(), 72u);
  EXPECT_EQ(p.links.size(), 8u * 72u + (72u * 72u - 8u * 81u));
  Platform dgx = *presetPlatform("dgx-8gpu");
  for (unsigned d = 0; d != 9; ++d) {
    EXPECT_EQ(p.devices[9 * 5 + d].name, "s5." + dgx.devices[d].name);
    EXPECT_EQ(p.devices[9 * 5 + d].peakFlopsF16, dgx.devices[d].peakFlopsF16);
  }
}

} // namespace
