//===- ProfileTable.h - Measured op times that override estimates -*- C++
//-*-===//
//
// A JSON file maps op signatures (op name, operand and result types, key
// attributes) to measured seconds per device kind or device name. The format
// is documented in docs/cost-model.md.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_PROFILETABLE_H
#define DIVIML_PASSES_PROFILETABLE_H

#include "diviml/Model/Platform.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace diviml {

/// One measured op signature.
struct ProfileEntry {
  /// Operand and result types to match; std::nullopt matches any.
  std::optional<llvm::SmallVector<mlir::Type>> operands, results;
  /// Attributes that must be present on the op with these values.
  llvm::SmallVector<mlir::NamedAttribute> attributes;
  /// Seconds per device name or device kind ("cpu", "gpu", "accel").
  llvm::StringMap<double> times;

  bool matches(mlir::Operation *op) const;
  /// The measured time on `device`: by its name, else by its kind.
  std::optional<double> timeOn(const Device &device) const;
};

class ProfileTable {
public:
  /// Parses the JSON `text`; types and attributes are parsed in `context`.
  /// Errors name the entry and the key.
  static llvm::Expected<ProfileTable> parse(llvm::StringRef text,
                                            mlir::MLIRContext *context);
  /// Reads and parses the file at `path`.
  static llvm::Expected<ProfileTable> load(llvm::StringRef path,
                                           mlir::MLIRContext *context);

  /// The first entry that matches `op`, or null.
  const ProfileEntry *lookup(mlir::Operation *op) const;
  unsigned size() const { return numEntries; }
  /// "op name: key" for every time whose key is neither a device of
  /// `platform` nor a device kind (such times can never apply).
  std::vector<std::string> unusableTimes(const Platform &platform) const;

private:
  /// Entries by op name, in file order.
  llvm::StringMap<std::vector<ProfileEntry>> entries;
  unsigned numEntries = 0;
};

} // namespace diviml

#endif // DIVIML_PASSES_PROFILETABLE_H
