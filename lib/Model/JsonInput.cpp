//===- JsonInput.cpp - Parsing untrusted JSON safely ----------------------===//

#include "diviml/Model/JsonInput.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <vector>

using namespace diviml;

namespace {

/// One open array or object of the scan.
struct Level {
  bool isObject;
  /// In an object: the next string is a key.
  bool expectKey;
  llvm::StringSet<> keys;
};

/// Line and column (1-based) of byte `offset`, for messages.
std::pair<unsigned, unsigned> position(llvm::StringRef text, size_t offset) {
  llvm::StringRef before = text.take_front(offset);
  unsigned line = 1 + before.count('\n');
  size_t lastNewline = before.rfind('\n');
  unsigned column =
      offset - (lastNewline == llvm::StringRef::npos ? 0 : lastNewline + 1) + 1;
  return {line, column};
}

/// Walks the text as JSON tokens without recursion. Malformed text that the
/// walk does not need to understand is left for llvm::json::parse to report.
llvm::Error scan(llvm::StringRef text, llvm::StringRef what) {
  std::vector<Level> stack;
  auto error = [&](size_t offset, const llvm::Twine &message) {
    auto [line, column] = position(text, offset);
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}, line {1}, column {2}: {3}", what, line, column,
                      message.str()));
  };
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    switch (c) {
    case '[':
    case '{':
      if (stack.size() >= kMaxJsonDepth)
        return error(i, llvm::formatv("JSON nests deeper than {0} levels",
                                      kMaxJsonDepth));
      stack.push_back({c == '{', c == '{', {}});
      break;
    case ']':
    case '}':
      if (!stack.empty())
        stack.pop_back();
      break;
    case ',':
      if (!stack.empty() && stack.back().isObject)
        stack.back().expectKey = true;
      break;
    case ':':
      if (!stack.empty() && stack.back().isObject)
        stack.back().expectKey = false;
      break;
    case '"': {
      size_t start = i++;
      while (i < e && text[i] != '"')
        i += text[i] == '\\' ? 2 : 1;
      if (i >= e)
        return llvm::Error::success(); // Unterminated: the parser says so.
      if (!stack.empty() && stack.back().isObject && stack.back().expectKey) {
        // Raw comparison: keys spelt with different escapes pass here.
        llvm::StringRef key = text.slice(start + 1, i);
        if (!stack.back().keys.insert(key).second)
          return error(start, "duplicate key '" + key + "'");
      }
      break;
    }
    default:
      break;
    }
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<llvm::json::Value> diviml::parseJsonInput(llvm::StringRef text,
                                                         llvm::StringRef what) {
  if (text.size() > kMaxJsonBytes)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: {1} bytes of JSON, more than the {2} accepted",
                      what, text.size(), kMaxJsonBytes));
  if (llvm::Error err = scan(text, what))
    return std::move(err);
  return llvm::json::parse(text);
}

std::optional<double> diviml::getJsonNumber(const llvm::json::Value &value) {
  std::optional<double> number = value.getAsNumber();
  if (number && *number == 0)
    return 0.0;
  return number;
}

std::optional<double> diviml::getJsonNumber(const llvm::json::Object &object,
                                            llvm::StringRef key) {
  const llvm::json::Value *member = object.get(key);
  return member ? getJsonNumber(*member) : std::nullopt;
}
