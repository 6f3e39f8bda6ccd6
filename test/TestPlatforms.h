//===- TestPlatforms.h - Small hand-made platforms for the tests -*- C++
//-*-===//

#ifndef DIVIML_TEST_TESTPLATFORMS_H
#define DIVIML_TEST_TESTPLATFORMS_H

#include "diviml/Model/Platform.h"

#include <string>

namespace diviml::testing {

/// "cpu" (the host, device 0) plus `numGpus` GPUs "gpu0".., each linked both
/// ways to the host only, at `bandwidth` bytes/s with `latency` seconds.
inline Platform hostAndGpus(unsigned numGpus, double bandwidth,
                            double latency = 0) {
  Platform p;
  p.devices.push_back({"cpu", DeviceKind::Cpu});
  p.host = 0;
  for (unsigned g = 1; g <= numGpus; ++g) {
    p.devices.push_back({"gpu" + std::to_string(g - 1), DeviceKind::Gpu});
    p.links.push_back({0, g, bandwidth, latency});
    p.links.push_back({g, 0, bandwidth, latency});
  }
  return p;
}

} // namespace diviml::testing

#endif // DIVIML_TEST_TESTPLATFORMS_H
