//===- PlatformPresetsCluster.h - Multi-server presets ----------*- C++ -*-===//
//
// Private to lib/Model: the presets `cluster-mixed-4` and `cluster-dgx-8`.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_MODEL_PLATFORMPRESETSCLUSTER_H
#define DIVIML_LIB_MODEL_PLATFORMPRESETSCLUSTER_H

#include "diviml/Model/Cluster.h"

namespace diviml {

ClusterSpec clusterMixed4Spec();
ClusterSpec clusterDgx8Spec();

} // namespace diviml

#endif // DIVIML_LIB_MODEL_PLATFORMPRESETSCLUSTER_H
