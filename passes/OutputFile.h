//===- OutputFile.h - Files the partition pass writes -----------*- C++ -*-===//
//
// The report, trace and DOT paths are opened before anything is solved, so
// that a bad path fails in a second, not after a long solve. `-` means
// stderr: the IR goes to stdout and the two must not mix.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_OUTPUTFILE_H
#define DIVIML_PASSES_OUTPUTFILE_H

#include "llvm/Support/ToolOutputFile.h"

#include <memory>
#include <optional>
#include <string>

namespace diviml {

class OutputFile {
public:
  /// Opens `path` ("-": stderr) for writing; returns an error message that
  /// names `what` (e.g. "report") on failure.
  static llvm::Expected<OutputFile> open(llvm::StringRef what,
                                         llvm::StringRef path);

  llvm::raw_ostream &os();
  /// Keeps the file; a file never committed is removed when destroyed.
  void commit();

private:
  std::unique_ptr<llvm::ToolOutputFile> file;
};

} // namespace diviml

#endif // DIVIML_PASSES_OUTPUTFILE_H
