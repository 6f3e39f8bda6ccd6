//===- Strip.cpp - Remove diviml from a module for single-device flows ----===//
//
// Once a program runs on one device (or its transfers are bufferized), the
// diviml attributes only stand in the way: tools without the diviml dialect
// cannot parse `#diviml.platform`, and the `no_inline` of device functions
// keeps an inliner from merging them.
//
//===----------------------------------------------------------------------===//

#include "diviml/Passes/Passes.h"

namespace diviml {
#define GEN_PASS_DEF_DIVIMLSTRIP
#include "diviml/Passes/Passes.h.inc"
} // namespace diviml

using namespace mlir;
using namespace diviml;

namespace {
struct StripPass : public diviml::impl::DivimlStripBase<StripPass> {
  void runOnOperation() override {
    StringRef prefix = DivimlDialect::getDialectNamespace();
    getOperation()->walk([&](Operation *op) {
      if (auto transfer = dyn_cast<TransferOp>(op)) {
        transfer.replaceAllUsesWith(transfer.getInput());
        transfer.erase();
        return;
      }
      // Lowering made device functions no_inline; nothing else asked for it.
      if (auto func = dyn_cast<func::FuncOp>(op))
        if (func->hasAttr(DivimlDialect::kDeviceAttrName))
          func.setNoInline(false);
      SmallVector<StringAttr> names;
      for (NamedAttribute attr : op->getDiscardableAttrs())
        if (attr.getName().getValue().starts_with(prefix) &&
            attr.getName()
                .getValue()
                .drop_front(prefix.size())
                .starts_with("."))
          names.push_back(attr.getName());
      for (StringAttr name : names)
        op->removeDiscardableAttr(name);
    });
  }
};
} // namespace
