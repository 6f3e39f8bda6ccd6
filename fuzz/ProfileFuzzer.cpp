//===- ProfileFuzzer.cpp - libFuzzer target: profile (op times) JSON ------===//
//
// Feeds arbitrary bytes to ProfileTable::parse, whose entries hold MLIR type
// and attribute strings parsed in a context with the builtin dialect. An
// error is the right answer to bad input; only a crash, a hang or a
// sanitizer report is a finding.
//
//===----------------------------------------------------------------------===//

#include "ProfileTable.h"

#include "mlir/IR/MLIRContext.h"

#include <cstdint>

using namespace diviml;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // One context for the whole run: types and attributes are uniqued in it,
  // so it grows, but building one per input would dominate the run time.
  static mlir::MLIRContext *context = new mlir::MLIRContext();
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<ProfileTable> table = ProfileTable::parse(text, context);
  if (!table) {
    llvm::consumeError(table.takeError());
    return 0;
  }
  Device cpu;
  cpu.name = "cpu0";
  Platform platform;
  platform.devices.push_back(cpu);
  (void)table->unusableTimes(platform);
  return 0;
}
