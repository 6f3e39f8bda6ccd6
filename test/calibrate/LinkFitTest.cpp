//===- LinkFitTest.cpp - Affine copy fits ---------------------------------===//

#include "LinkFit.h"

#include <gtest/gtest.h>

using namespace diviml;

namespace {

TEST(LinkFit, ExactLine) {
  std::vector<CopySample> samples;
  for (double bytes : {4096.0, 65536.0, 1048576.0, 16777216.0, 268435456.0})
    samples.push_back({bytes, 1e-5 + bytes / 5e10});
  AffineFit fit = fitAffine(samples);
  EXPECT_NEAR(fit.latency / 1e-5, 1, 1e-6);
  EXPECT_NEAR(fit.bandwidth / 5e10, 1, 1e-6);
  EXPECT_NEAR(fit.maxError, 1, 1e-6);
}

TEST(LinkFit, IgnoresAnOutlier) {
  // A plain least-squares fit in seconds would follow the slow large copy.
  std::vector<CopySample> samples;
  for (double bytes : {1e4, 1e5, 1e6, 1e7, 1e8})
    samples.push_back({bytes, 2e-5 + bytes / 2e10});
  samples.push_back({1e8, 3 * (2e-5 + 1e8 / 2e10)});
  AffineFit fit = fitAffine(samples);
  EXPECT_NEAR(fit.latency / 2e-5, 1, 1e-3);
  EXPECT_NEAR(fit.bandwidth / 2e10, 1, 1e-3);
  EXPECT_NEAR(fit.medianError, 1, 1e-3);
  EXPECT_NEAR(fit.maxError, 3, 1e-2);
}

TEST(LinkFit, LatencyNeverNegative) {
  // Super-linear times (small copies relatively fast) would give a negative
  // intercept; the fit goes through the origin instead.
  std::vector<CopySample> samples{{1e5, 1e-6}, {1e6, 2e-5}, {1e7, 3e-4}};
  AffineFit fit = fitAffine(samples);
  EXPECT_EQ(fit.latency, 0);
  EXPECT_GT(fit.bandwidth, 0);
}

} // namespace
