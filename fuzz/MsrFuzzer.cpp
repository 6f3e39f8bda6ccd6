//===- MsrFuzzer.cpp - libFuzzer target: Tarnawski workload JSON ----------===//
//
// Feeds arbitrary bytes to importMsrJson. An error is the right answer to
// bad input; only a crash, a hang or a sanitizer report is a finding. A
// workload that imports is exported back in the artifact's split format with
// every op on the host, after verify() has judged that placement.
//
//===----------------------------------------------------------------------===//

#include "diviml/Workloads/MsrFormat.h"

#include <cstdint>

using namespace diviml;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<Problem> problem = importMsrJson(text);
  if (!problem) {
    llvm::consumeError(problem.takeError());
    return 0;
  }
  Solution onHost;
  onHost.device.assign(problem->numNodes(), *problem->platform.host);
  if (llvm::Error err = verify(*problem, onHost))
    llvm::consumeError(std::move(err));
  (void)exportMsrSplit(*problem, onHost);
  return 0;
}
