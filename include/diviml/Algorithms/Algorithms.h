//===- Algorithms.h - Placement algorithms by name --------------*- C++ -*-===//
//
// The registry on top of every algorithm layer: runAlgorithm() dispatches by
// name for the passes, the tools and the benches. It brings the baselines'
// declarations along; Milp.h and Split.h declare the other two.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_ALGORITHMS_ALGORITHMS_H
#define DIVIML_ALGORITHMS_ALGORITHMS_H

#include "diviml/Baselines/Algorithm.h"
#include "diviml/Baselines/Baselines.h"

#include "llvm/ADT/ArrayRef.h"

namespace diviml {

/// Names accepted by runAlgorithm(), in the order docs list them.
llvm::ArrayRef<llvm::StringRef> algorithmNames();
/// Runs the algorithm called `name`; an unknown name is an error listing the
/// known ones. The problem must pass check(). A returned solution is
/// verify()'d (an invalid one is an error) unless the status is Infeasible,
/// or Timeout with an empty placement.
llvm::Expected<AlgorithmResult> runAlgorithm(llvm::StringRef name,
                                             const Problem &problem,
                                             const AlgorithmOptions &options);

} // namespace diviml

#endif // DIVIML_ALGORITHMS_ALGORITHMS_H
