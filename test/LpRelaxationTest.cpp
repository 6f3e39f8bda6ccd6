//===- LpRelaxationTest.cpp - Primal and dual paths of the LP bound -------===//

#include "diviml/Bounds/LpRelaxation.h"
#include "RandomProblem.h"

#include "diviml/Model/Platform.h"

#include "gtest/gtest.h"

using namespace diviml;

namespace {

LoadBalancingLp randomLp(uint64_t seed, bool withMemory) {
  diviml::testing::Random random(seed);
  unsigned numDev = random.between(1u, 6u), numItems = random.between(1u, 60u);
  LoadBalancingLp lp;
  for (unsigned d = 0; d != numDev; ++d) {
    lp.slots.push_back(random.between(1u, 3u));
    lp.capacity.push_back(withMemory && d != 0 ? random.between(0u, 400u)
                                               : kInfinity);
  }
  for (unsigned i = 0; i != numItems; ++i) {
    std::vector<double> times;
    for (unsigned d = 0; d != numDev; ++d)
      times.push_back(d != 0 && random.chance(0.2)
                          ? kInfinity
                          : random.between(0u, 100u) * 0.5);
    lp.time.push_back(times);
    lp.memory.push_back(random.between(0u, 50u));
  }
  lp.minT = random.chance(0.5) ? random.between(0u, 60u) : 0;
  return lp;
}

TEST(LpRelaxationTest, DualCuttingPlanesMatchTheSimplex) {
  for (uint64_t seed = 0; seed != 120; ++seed) {
    LoadBalancingLp lp = randomLp(seed, /*withMemory=*/false);
    double primal = solveLoadBalancingBound(lp, LpMethod::Primal);
    double dual = solveLoadBalancingBound(lp, LpMethod::Dual);
    EXPECT_NEAR(dual, primal, 1e-6 * std::max(1.0, primal)) << "seed " << seed;
  }
}

TEST(LpRelaxationTest, EveryMultiplierGivesALowerBound) {
  for (uint64_t seed = 500; seed != 600; ++seed) {
    LoadBalancingLp lp = randomLp(seed, /*withMemory=*/true);
    double primal = solveLoadBalancingBound(lp, LpMethod::Primal);
    // The dual path boxes the memory multipliers: at most the LP optimum,
    // and on these small instances it reaches it.
    double dual = solveLoadBalancingBound(lp, LpMethod::Dual);
    EXPECT_LE(dual, primal * (1 + 1e-9) + 1e-9) << "seed " << seed;
    EXPECT_NEAR(dual, primal, 1e-6 * std::max(1.0, primal)) << "seed " << seed;
    diviml::testing::Random random(seed);
    for (unsigned trial = 0; trial != 10; ++trial) {
      std::vector<double> perSlot, perByte;
      for (unsigned d = 0; d != lp.slots.size(); ++d) {
        perSlot.push_back(random.unit());
        perByte.push_back(random.chance(0.5) ? random.unit() * 0.1 : 0);
      }
      EXPECT_LE(lagrangianBound(lp, perSlot, perByte),
                primal * (1 + 1e-9) + 1e-9)
          << "seed " << seed;
    }
  }
}

TEST(LpRelaxationTest, ZeroCapacityClosesTheDevice) {
  // Two items of 4 s anywhere; device 1 holds no bytes and item 0 has
  // some, so item 0 stays on device 0 and item 1 goes to device 1: T = 4.
  LoadBalancingLp lp;
  lp.slots = {1, 1};
  lp.capacity = {kInfinity, 0};
  lp.time = {{4, 4}, {4, 4}};
  lp.memory = {1, 0};
  for (LpMethod method : {LpMethod::Primal, LpMethod::Dual})
    EXPECT_NEAR(solveLoadBalancingBound(lp, method), 4, 1e-7);
  // Without memory the work (8 s) is shared: T = 4.
  lp.memory = {0, 0};
  lp.time = {{6, 6}, {2, 2}};
  for (LpMethod method : {LpMethod::Primal, LpMethod::Dual})
    EXPECT_NEAR(solveLoadBalancingBound(lp, method), 4, 1e-7);
  // With memory on the big item it must stay on device 0: T = 6.
  lp.memory = {1, 0};
  for (LpMethod method : {LpMethod::Primal, LpMethod::Dual})
    EXPECT_NEAR(solveLoadBalancingBound(lp, method), 6, 1e-7);
}

} // namespace
