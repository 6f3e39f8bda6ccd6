//===- PlatformIO.h - Platforms from JSON files and presets -----*- C++ -*-===//
//
// The JSON platform format is documented in docs/formats.md; the presets and
// the sources of their numbers in docs/platforms.md.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_MODEL_PLATFORMIO_H
#define DIVIML_MODEL_PLATFORMIO_H

#include "diviml/Model/Platform.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace diviml {

/// Parses a platform; errors name the offending field or device.
llvm::Expected<Platform> parsePlatformJson(llvm::StringRef text);
/// The inverse of parsePlatformJson.
llvm::json::Value platformToJson(const Platform &platform);

/// Names of the built-in platforms.
llvm::ArrayRef<llvm::StringRef> presetPlatformNames();
/// A built-in platform, or std::nullopt for an unknown name.
std::optional<Platform> presetPlatform(llvm::StringRef name);

} // namespace diviml

#endif // DIVIML_MODEL_PLATFORMIO_H
