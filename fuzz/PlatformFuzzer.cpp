//===- PlatformFuzzer.cpp - libFuzzer target: platform JSON ---------------===//
//
// Feeds arbitrary bytes to parsePlatformJson (single platforms and the
// compact cluster form). An error is the right answer to bad input; only a
// crash, a hang or a sanitizer report is a finding. A platform that parses
// must survive being written and read again unchanged, and every device
// must have a defined transfer time to every other.
//
//===----------------------------------------------------------------------===//

#include "diviml/Model/PlatformIO.h"

#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>

using namespace diviml;

static std::string toText(const Platform &platform) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << platformToJson(platform);
  return text;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<Platform> platform = parsePlatformJson(text);
  if (!platform) {
    llvm::consumeError(platform.takeError());
    return 0;
  }
  std::string written = toText(*platform);
  llvm::Expected<Platform> reread = parsePlatformJson(written);
  if (!reread) {
    llvm::errs() << "platform written by platformToJson does not parse: "
                 << llvm::toString(reread.takeError()) << "\n"
                 << written << "\n";
    abort();
  }
  if (toText(*reread) != written) {
    llvm::errs() << "platform round trip changed it:\n" << written << "\n";
    abort();
  }
  unsigned n = platform->numDevices();
  if (n != 0 && std::isnan(platform->transferTime(0, n - 1, 1e6))) {
    llvm::errs() << "NaN transfer time\n";
    abort();
  }
  return 0;
}
