//===- OutputFile.cpp - Files the partition pass writes -------------------===//

#include "OutputFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace diviml;

llvm::Expected<OutputFile> OutputFile::open(llvm::StringRef what,
                                            llvm::StringRef path) {
  OutputFile result;
  if (path == "-")
    return result;
  std::error_code error;
  result.file = std::make_unique<llvm::ToolOutputFile>(path, error,
                                                       llvm::sys::fs::OF_Text);
  if (error)
    return llvm::createStringError(error, "cannot write " + what.str() + " '" +
                                              path.str() +
                                              "': " + error.message());
  return result;
}

llvm::raw_ostream &OutputFile::os() { return file ? file->os() : llvm::errs(); }

void OutputFile::commit() {
  if (file)
    file->keep();
  os().flush();
}
