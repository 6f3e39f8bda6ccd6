//===- JsonPrint.cpp - Readable JSON for calibrated platforms -------------===//

#include "JsonPrint.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace diviml;
namespace json = llvm::json;

namespace {

void printNumber(llvm::raw_ostream &os, double value) {
  char text[40];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(text, sizeof(text), "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value)
      break;
  }
  os << text;
}

/// Whether every element is a scalar, or a pair of scalars: such an array
/// goes on one line ([size, efficiency] points included).
bool isFlat(const json::Array &array) {
  return std::all_of(array.begin(), array.end(), [](const json::Value &v) {
    if (const json::Array *inner = v.getAsArray())
      return std::none_of(inner->begin(), inner->end(),
                          [](const json::Value &w) {
                            return w.getAsArray() || w.getAsObject();
                          });
    return !v.getAsObject();
  });
}

void print(llvm::raw_ostream &os, const json::Value &value, unsigned indent,
           bool inline_) {
  std::string pad(indent, ' ');
  if (const json::Object *object = value.getAsObject()) {
    std::vector<llvm::StringRef> keys;
    for (const auto &member : *object)
      keys.push_back(member.first);
    std::sort(keys.begin(), keys.end());
    os << "{";
    for (size_t i = 0; i != keys.size(); ++i) {
      os << (i ? ",\n" : "\n") << pad << "  ";
      json::OStream(os).value(keys[i]);
      os << ": ";
      print(os, *object->get(keys[i]), indent + 2, false);
    }
    os << (keys.empty() ? "}" : "\n" + pad + "}");
    return;
  }
  if (const json::Array *array = value.getAsArray()) {
    bool flat = inline_ || isFlat(*array);
    os << "[";
    for (size_t i = 0; i != array->size(); ++i) {
      if (flat)
        os << (i ? ", " : "");
      else
        os << (i ? ",\n" : "\n") << pad << "  ";
      print(os, (*array)[i], indent + 2, flat);
    }
    os << (flat || array->empty() ? "]" : "\n" + pad + "]");
    return;
  }
  if (std::optional<double> number = value.getAsNumber();
      number && value.kind() == json::Value::Number) {
    if (std::optional<int64_t> integer = value.getAsInteger())
      os << *integer;
    else
      printNumber(os, *number);
    return;
  }
  json::OStream(os).value(value);
}

} // namespace

void diviml::printJson(llvm::raw_ostream &os, const json::Value &value,
                       unsigned indent) {
  print(os, value, indent, false);
}
