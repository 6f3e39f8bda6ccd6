//===- CostSetup.h - Platform and profile shared by the cost passes -*- C++
//-*-===//

#ifndef DIVIML_PASSES_COSTSETUP_H
#define DIVIML_PASSES_COSTSETUP_H

#include "ProfileTable.h"

#include "diviml/Dialect/Diviml.h"
#include "diviml/Model/Platform.h"

#include "mlir/IR/BuiltinOps.h"

#include <optional>

namespace diviml {

/// What diviml-annotate-costs and diviml-partition both start from.
struct CostSetup {
  PlatformAttr platformAttr;
  Platform platform;
  std::optional<ProfileTable> profile;
};

/// Resolves the platform option (see resolvePlatform), attaches it to the
/// module as `diviml.platform`, and loads the profile table when
/// `profilePath` is non-empty. Errors are emitted on the module, and so
/// are warnings for profile times that can never apply and for
/// `diviml.cost` annotations made for the platform being replaced.
mlir::FailureOr<CostSetup> setUpCosts(mlir::ModuleOp module,
                                      llvm::StringRef platformOption,
                                      llvm::StringRef profilePath);

} // namespace diviml

#endif // DIVIML_PASSES_COSTSETUP_H
