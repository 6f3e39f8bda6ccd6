//===- JsonPrint.h - Readable JSON for calibrated platforms -----*- C++ -*-===//
//
// llvm::json prints every double with 17 digits (0.12790000000000001) and
// every array element on its own line; calibrated platforms are read and
// diffed by people, so this printer writes the shortest text that reads
// back to the same double, keeps arrays of scalars on one line and sorts
// object keys (deterministic output).
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_TOOLS_CALIBRATE_JSONPRINT_H
#define DIVIML_TOOLS_CALIBRATE_JSONPRINT_H

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace diviml {

void printJson(llvm::raw_ostream &os, const llvm::json::Value &value,
               unsigned indent = 0);

} // namespace diviml

#endif // DIVIML_TOOLS_CALIBRATE_JSONPRINT_H
