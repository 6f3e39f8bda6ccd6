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

/// The largest number a platform file may hold (bytes, B/s, FLOP/s,
/// seconds): far above any machine, far below what overflows the sums and
/// solver coefficients built from it. Larger values are errors; "inf" is
/// accepted where docs/formats.md says so.
constexpr double kMaxPlatformNumber = 1e24;

/// Parses a platform; errors name the offending field or device.
llvm::Expected<Platform> parsePlatformJson(llvm::StringRef text);
/// The inverse of parsePlatformJson.
llvm::json::Value platformToJson(const Platform &platform);

/// The runtime keys of a device (`dispatch`, `dispatch_by_class`,
/// `first_touch_bandwidth`, `efficiency`), of a link (`pageable_bandwidth`,
/// `pageable_latency`, `host_memory`, `synchronous`, `dispatch`) and the
/// platform's `runtime` object, as in the JSON format: the dialect's
/// attributes carry them in the same shape. Readers reject any other key.
llvm::Error readDeviceRuntimeJson(const llvm::json::Object &object,
                                  Device &device);
llvm::json::Object deviceRuntimeToJson(const Device &device);
llvm::Error readLinkRuntimeJson(const llvm::json::Object &object, Link &link);
llvm::json::Object linkRuntimeToJson(const Link &link);
llvm::Expected<Runtime> parseRuntimeJson(const llvm::json::Value &value);
llvm::json::Value runtimeJson(const Runtime &runtime);

/// Names of the built-in platforms.
llvm::ArrayRef<llvm::StringRef> presetPlatformNames();
/// A built-in platform, or std::nullopt for an unknown name.
std::optional<Platform> presetPlatform(llvm::StringRef name);

} // namespace diviml

#endif // DIVIML_MODEL_PLATFORMIO_H
