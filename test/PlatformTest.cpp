#include "TestPlatforms.h"
#include "diviml/Model/Problem.h"

#include "gtest/gtest.h"

using namespace diviml;

namespace {

Platform threeDevicesWithHost() {
  return diviml::testing::hostAndGpus(2, 1e9, 1e-5);
}

TEST(PlatformTest, StagesThroughHostWithoutDirectLink) {
  Platform p = threeDevicesWithHost();
  auto legs = p.route(1, 2);
  ASSERT_TRUE(legs.has_value());
  ASSERT_EQ(legs->size(), 2u);
  EXPECT_EQ((*legs)[0].to, 0u);
  // Two legs of 1e-5 + 1e6 / 1e9 each.
  EXPECT_DOUBLE_EQ(p.transferTime(1, 2, 1e6), 2 * (1e-5 + 1e-3));
  EXPECT_DOUBLE_EQ(p.transferTime(0, 1, 1e6), 1e-5 + 1e-3);
  EXPECT_DOUBLE_EQ(p.transferTime(1, 1, 1e6), 0);
}

TEST(PlatformTest, IdenticalGpusFormOneClass) {
  Platform p = threeDevicesWithHost();
  auto classes = p.identicalDeviceClasses();
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_EQ(classes[1], (std::vector<unsigned>{1, 2}));
  p.devices[2].slots = 2;
  EXPECT_EQ(p.identicalDeviceClasses().size(), 3u);
}

TEST(ProblemTest, CheckRejectsCycle) {
  Problem problem(threeDevicesWithHost());
  problem.addNode({"a", {1, 1, 1}});
  problem.addNode({"b", {1, 1, 1}});
  problem.addEdge(0, 1, 4);
  problem.addEdge(1, 0, 4);
  llvm::Error err = problem.check();
  ASSERT_TRUE(bool(err));
  EXPECT_NE(llvm::toString(std::move(err)).find("cycle"), std::string::npos);
}

TEST(ProblemTest, CheckRejectsNodeThatRunsNowhere) {
  Problem problem(threeDevicesWithHost());
  problem.addNode({"x", {kInfinity, kInfinity, kInfinity}});
  llvm::Error err = problem.check();
  ASSERT_TRUE(bool(err));
  EXPECT_EQ(llvm::toString(std::move(err)),
            "node 'x' cannot run on any device");
}

TEST(ProblemTest, CheckRejectsGroupWithoutCommonDevice) {
  Problem problem(threeDevicesWithHost());
  Node a{"a", {1, kInfinity, 1}}, b{"b", {kInfinity, 1, kInfinity}};
  a.colocationGroup = b.colocationGroup = 7;
  problem.addNode(a);
  problem.addNode(b);
  llvm::Error err = problem.check();
  ASSERT_TRUE(bool(err));
  EXPECT_NE(llvm::toString(std::move(err)).find("no device that runs all"),
            std::string::npos);
}

TEST(ProblemTest, CheckRejectsMemoryThatFitsNowhere) {
  Platform platform = threeDevicesWithHost();
  for (Device &d : platform.devices)
    d.memoryCapacity = 100;
  Problem problem(platform);
  Node big{"big", {1, 1, 1}};
  big.memory = 101;
  problem.addNode(big);
  EXPECT_TRUE(bool(problem.check()));
}

TEST(ProblemTest, TopologicalOrderIsStable) {
  Problem problem(threeDevicesWithHost());
  for (const char *name : {"a", "b", "c", "d"})
    problem.addNode({name, {1, 1, 1}});
  problem.addEdge(2, 0, 1);
  problem.addEdge(3, 1, 1);
  problem.finalize();
  EXPECT_EQ(std::vector<unsigned>(problem.topologicalOrder().begin(),
                                  problem.topologicalOrder().end()),
            (std::vector<unsigned>{2, 0, 3, 1}));
  EXPECT_FALSE(bool(problem.check()));
}

} // namespace
