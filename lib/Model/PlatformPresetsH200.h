//===- PlatformPresetsH200.h - The measured CPU + H200 node -----*- C++ -*-===//
//
// Private to lib/Model: the presets `h200-node` (eager runtime) and
// `h200-node-graph` (graph replay).
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_MODEL_PLATFORMPRESETSH200_H
#define DIVIML_LIB_MODEL_PLATFORMPRESETSH200_H

#include "diviml/Model/Platform.h"

namespace diviml {

Platform h200Node();
Platform h200NodeGraph();

} // namespace diviml

#endif // DIVIML_LIB_MODEL_PLATFORMPRESETSH200_H
