//===- JsonInput.h - Parsing untrusted JSON safely --------------*- C++ -*-===//
//
// llvm::json::parse recurses once per nesting level and keeps the last of
// duplicate keys; on hostile input the first overflows the stack and the
// second hides typos. Every JSON reader of diviml (platforms, profiles,
// Tarnawski workloads) goes through parseJsonInput() instead.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_MODEL_JSONINPUT_H
#define DIVIML_MODEL_JSONINPUT_H

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstddef>
#include <optional>

namespace diviml {

/// The deepest nesting of arrays and objects accepted. diviml's formats nest
/// at most 6 levels; the limit leaves room while keeping the parser's
/// recursion far from any stack limit.
constexpr unsigned kMaxJsonDepth = 64;

/// The largest JSON text accepted, in bytes.
constexpr size_t kMaxJsonBytes = size_t(1) << 30;

/// Parses `text` after checking its size, its nesting depth (outside
/// strings) and that no object repeats a key. Errors name `what` and, for
/// depth and duplicate keys, the line and column.
llvm::Expected<llvm::json::Value> parseJsonInput(llvm::StringRef text,
                                                 llvm::StringRef what);

/// The number `value` holds, or std::nullopt: how the platform, profile and
/// workload readers read numbers. A negative zero reads as 0: no file means the
/// sign, and kept it would be written back as "-0" and turn a division by zero
/// into -inf.
std::optional<double> getJsonNumber(const llvm::json::Value &value);
/// getJsonNumber of `object`'s member `key`; std::nullopt when it is absent.
std::optional<double> getJsonNumber(const llvm::json::Object &object,
                                    llvm::StringRef key);

} // namespace diviml

#endif // DIVIML_MODEL_JSONINPUT_H
