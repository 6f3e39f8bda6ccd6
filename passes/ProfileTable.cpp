//===- ProfileTable.cpp - Measured op times that override estimates -------===//

#include "ProfileTable.h"

#include "diviml/Model/JsonInput.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace mlir;
using namespace diviml;
namespace json = llvm::json;

namespace {

llvm::Error profileError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Parses `text` with `parse` (mlir::parseType or mlir::parseAttribute),
/// turning the parser's diagnostic into the error message instead of
/// letting it reach the context's handler.
template <typename T, typename ParseFn>
llvm::Expected<T> parseQuietly(llvm::StringRef text, MLIRContext *context,
                               ParseFn parse, const llvm::Twine &what) {
  std::string message;
  T result;
  {
    ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
      if (message.empty())
        message = diag.str();
      return success();
    });
    size_t numRead = 0;
    result = parse(text, context, &numRead, /*isKnownNullTerminated=*/false);
    if (result && numRead != text.size()) {
      result = {};
      message = "unexpected trailing text";
    }
  }
  if (!result)
    return profileError(what + ": cannot parse '" + text + "'" +
                        (message.empty() ? "" : ": " + message));
  return result;
}

llvm::Expected<SmallVector<Type>> parseTypes(const json::Value &value,
                                             MLIRContext *context,
                                             const llvm::Twine &what) {
  const json::Array *items = value.getAsArray();
  if (!items)
    return profileError(what + " must be an array of type strings");
  SmallVector<Type> types;
  for (const json::Value &item : *items) {
    std::optional<llvm::StringRef> text = item.getAsString();
    if (!text)
      return profileError(what + " must be an array of type strings");
    llvm::Expected<Type> type = parseQuietly<Type>(
        *text, context,
        [](llvm::StringRef s, MLIRContext *c, size_t *n, bool t) {
          return mlir::parseType(s, c, n, t);
        },
        what);
    if (!type)
      return type.takeError();
    types.push_back(*type);
  }
  return types;
}

llvm::Error parseEntry(const json::Value &value, unsigned index,
                       MLIRContext *context, ProfileEntry &entry,
                       std::string &opName) {
  std::string what = llvm::formatv("entries[{0}]", index).str();
  const json::Object *object = value.getAsObject();
  if (!object)
    return profileError(what + " must be an object");
  for (const auto &member : *object) {
    llvm::StringRef key = member.first;
    if (key != "op" && key != "operands" && key != "results" &&
        key != "attributes" && key != "times" && key != "description")
      return profileError(what + " has unknown key '" + key +
                          "'; expected op, operands, results, attributes, "
                          "times, description");
  }
  std::optional<llvm::StringRef> op = object->getString("op");
  if (!op || op->empty())
    return profileError(what + " needs a non-empty string 'op'");
  opName = op->str();
  what += " ('" + opName + "')";
  if (const json::Value *operands = object->get("operands")) {
    llvm::Expected<SmallVector<Type>> types =
        parseTypes(*operands, context, what + ": 'operands'");
    if (!types)
      return types.takeError();
    entry.operands = std::move(*types);
  }
  if (const json::Value *results = object->get("results")) {
    llvm::Expected<SmallVector<Type>> types =
        parseTypes(*results, context, what + ": 'results'");
    if (!types)
      return types.takeError();
    entry.results = std::move(*types);
  }
  if (const json::Value *attributes = object->get("attributes")) {
    const json::Object *dict = attributes->getAsObject();
    if (!dict)
      return profileError(what + ": 'attributes' must map names to "
                                 "attribute strings");
    for (const auto &member : *dict) {
      std::optional<llvm::StringRef> text = member.second.getAsString();
      if (!text)
        return profileError(what + ": attribute '" +
                            llvm::StringRef(member.first) +
                            "' must be an attribute string");
      llvm::Expected<Attribute> attr = parseQuietly<Attribute>(
          *text, context,
          [](llvm::StringRef s, MLIRContext *c, size_t *n, bool t) {
            return mlir::parseAttribute(s, c, Type(), n, t);
          },
          what + ": attribute '" + llvm::StringRef(member.first) + "'");
      if (!attr)
        return attr.takeError();
      entry.attributes.push_back(NamedAttribute(
          StringAttr::get(context, llvm::StringRef(member.first)), *attr));
    }
  }
  const json::Object *times = object->getObject("times");
  if (!times || times->empty())
    return profileError(what + " needs a non-empty object 'times'");
  for (const auto &member : *times) {
    std::optional<double> seconds = getJsonNumber(member.second);
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0)
      return profileError(what + ": time on '" + llvm::StringRef(member.first) +
                          "' must be a finite, non-negative number");
    entry.times[llvm::StringRef(member.first)] = *seconds;
  }
  return llvm::Error::success();
}

} // namespace

bool ProfileEntry::matches(Operation *op) const {
  if (operands && !llvm::equal(*operands, op->getOperandTypes()))
    return false;
  if (results && !llvm::equal(*results, op->getResultTypes()))
    return false;
  return llvm::all_of(attributes, [&](NamedAttribute attr) {
    return op->getAttr(attr.getName()) == attr.getValue();
  });
}

std::optional<double> ProfileEntry::timeOn(const Device &device) const {
  auto byName = times.find(device.name);
  if (byName != times.end())
    return byName->second;
  auto byKind = times.find(stringifyDeviceKind(device.kind));
  if (byKind != times.end())
    return byKind->second;
  return std::nullopt;
}

llvm::Expected<ProfileTable> ProfileTable::parse(llvm::StringRef text,
                                                 MLIRContext *context) {
  llvm::Expected<json::Value> root = parseJsonInput(text, "the profile");
  if (!root)
    return root.takeError();
  const json::Object *object = root->getAsObject();
  if (!object)
    return profileError("a profile must hold a JSON object");
  // `measurements` holds what diviml-measure measured beside the op times
  // (dispatch, copies, peaks; docs/measure.md): kept for calibration, not
  // read by the passes.
  for (const auto &member : *object)
    if (member.first != "entries" && member.first != "description" &&
        member.first != "measurements")
      return profileError("the profile has unknown key '" +
                          llvm::StringRef(member.first) +
                          "'; expected entries, description, measurements");
  if (const json::Value *measurements = object->get("measurements"))
    if (!measurements->getAsObject())
      return profileError("the profile's 'measurements' must be an object");
  const json::Array *entries = object->getArray("entries");
  if (!entries)
    return profileError("the profile needs an 'entries' array");
  ProfileTable table;
  for (unsigned i = 0, e = entries->size(); i != e; ++i) {
    ProfileEntry entry;
    std::string opName;
    if (llvm::Error err = parseEntry((*entries)[i], i, context, entry, opName))
      return std::move(err);
    table.entries[opName].push_back(std::move(entry));
    ++table.numEntries;
  }
  return table;
}

llvm::Expected<ProfileTable> ProfileTable::load(llvm::StringRef path,
                                                MLIRContext *context) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path);
  if (!file)
    return profileError("cannot read profile '" + path +
                        "': " + file.getError().message());
  llvm::Expected<ProfileTable> table = parse((*file)->getBuffer(), context);
  if (!table)
    return profileError("malformed profile '" + path +
                        "': " + llvm::toString(table.takeError()));
  return table;
}

const ProfileEntry *ProfileTable::lookup(Operation *op) const {
  auto it = entries.find(op->getName().getStringRef());
  if (it == entries.end())
    return nullptr;
  for (const ProfileEntry &entry : it->second)
    if (entry.matches(op))
      return &entry;
  return nullptr;
}

std::vector<std::string>
ProfileTable::unusableTimes(const Platform &platform) const {
  std::vector<std::string> unusable;
  for (const auto &byOp : entries)
    for (const ProfileEntry &entry : byOp.getValue())
      for (const auto &time : entry.times) {
        llvm::StringRef key = time.getKey();
        bool known = symbolizeDeviceKind(key).has_value() ||
                     llvm::any_of(platform.devices, [&](const Device &d) {
                       return d.name == key;
                     });
        std::string item = (byOp.getKey() + ": " + key).str();
        if (!known && !llvm::is_contained(unusable, item))
          unusable.push_back(std::move(item));
      }
  llvm::sort(unusable);
  return unusable;
}
