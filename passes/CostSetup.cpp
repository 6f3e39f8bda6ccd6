//===- CostSetup.cpp - Platform and profile shared by the cost passes -----===//

#include "CostSetup.h"
#include "ModuleLocation.h"
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
  if (PlatformAttr previous = lookupPlatform(module);
      previous && previous != *platformAttr) {
    unsigned annotated = 0;
    module.walk([&](Operation *op) {
      annotated += op->hasAttr(DivimlDialect::kCostAttrName);
    });
    if (annotated)
      emitWarning(moduleDiagnosticLoc(module))
          << annotated << (annotated == 1 ? " op carries" : " ops carry")
          << " 'diviml.cost' made for platform '" << previous.getName()
          << "' (the module's 'diviml.platform'), which platform '"
          << platformAttr->getName()
          << "' now replaces: their times are used as they are, and "
             "devices absent from them cannot run the ops; annotate the "
             "source without 'diviml.cost' to re-estimate";
  }
  module->setAttr(DivimlDialect::kPlatformAttrName, *platformAttr);
  CostSetup setup;
  setup.platformAttr = *platformAttr;
  setup.platform = platformFromAttr(*platformAttr);
  if (!profilePath.empty()) {
    llvm::Expected<ProfileTable> loaded =
        ProfileTable::load(profilePath, module.getContext());
    if (!loaded)
      return emitError(moduleDiagnosticLoc(module))
             << llvm::toString(loaded.takeError());
    setup.profile = std::move(*loaded);
    std::vector<std::string> unusable =
        setup.profile->unusableTimes(setup.platform);
    if (!unusable.empty()) {
      InFlightDiagnostic warning = emitWarning(moduleDiagnosticLoc(module))
                                   << "profile '" << profilePath
                                   << "' gives times for devices that are "
                                      "neither on platform '"
                                   << setup.platform.name
                                   << "' nor a device kind; ignored: ";
      for (auto [i, item] : llvm::enumerate(unusable))
        warning << (i ? ", " : "") << item;
    }
  }
  return setup;
}
