//===- CostSetup.cpp - Platform and profile shared by the cost passes -----===//

#include "CostSetup.h"
#include "PlatformConversion.h"

using namespace mlir;
using namespace diviml;

FailureOr<CostSetup> diviml::setUpCosts(ModuleOp module,
                                        StringRef platformOption,
                                        StringRef profilePath) {
  FailureOr<PlatformAttr> platformAttr =
      resolvePlatform(module, platformOption);
  if (failed(platformAttr))
    return failure();
  module->setAttr(DivimlDialect::kPlatformAttrName, *platformAttr);
  CostSetup setup;
  setup.platformAttr = *platformAttr;
  setup.platform = platformFromAttr(*platformAttr);
  if (!profilePath.empty()) {
    llvm::Expected<ProfileTable> loaded =
        ProfileTable::load(profilePath, module.getContext());
    if (!loaded)
      return emitError(module.getLoc()) << llvm::toString(loaded.takeError());
    setup.profile = std::move(*loaded);
  }
  return setup;
}
