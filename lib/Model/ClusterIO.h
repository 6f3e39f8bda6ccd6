//===- ClusterIO.h - Platform JSON readers shared with clusters -*- C++ -*-===//
//
// Private to lib/Model: a server template is read as a platform object of
// its own, and a platform object with `servers` is read as a cluster.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_MODEL_CLUSTERIO_H
#define DIVIML_LIB_MODEL_CLUSTERIO_H

#include "diviml/Model/Platform.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace diviml {

/// parsePlatformJson on parsed JSON.
llvm::Expected<Platform> parsePlatformJsonValue(const llvm::json::Value &root);

} // namespace diviml

#endif // DIVIML_LIB_MODEL_CLUSTERIO_H
