//===- PresetSupport.h - Building the built-in platforms ---------*- C++
//-*-===//
//
// Private to lib/Model: what every preset file uses to wire its devices.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_MODEL_PRESETSUPPORT_H
#define DIVIML_LIB_MODEL_PRESETSUPPORT_H

#include "diviml/Model/Platform.h"

namespace diviml {

/// Adds links both ways between `a` and `b`.
inline void connect(Platform &platform, unsigned a, unsigned b,
                    double bandwidth, double latency) {
  platform.links.push_back({a, b, bandwidth, latency});
  platform.links.push_back({b, a, bandwidth, latency});
}

} // namespace diviml

#endif // DIVIML_LIB_MODEL_PRESETSUPPORT_H
