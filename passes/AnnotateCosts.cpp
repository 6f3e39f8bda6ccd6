//===- AnnotateCosts.cpp - The diviml-annotate-costs pass -----------------===//
//
// Writes the cost model's estimate (CostModel.h) on every op as
// `diviml.cost`, so that it can be inspected, edited or replaced by measured
// numbers before diviml-partition reads it back.
//
//===----------------------------------------------------------------------===//

#include "CostModel.h"
#include "CostSetup.h"
#include "PlatformConversion.h"
#include "ProfileTable.h"

#include "diviml/Passes/Passes.h"

#include "llvm/Support/FormatVariadic.h"

namespace diviml {
#define GEN_PASS_DEF_DIVIMLANNOTATECOSTS
#include "diviml/Passes/Passes.h.inc"
} // namespace diviml

using namespace mlir;
using namespace diviml;

namespace {

/// What a function adds up to, for the `totals` remark.
struct Totals {
  double flops = 0;
  double macFlops = 0;
  double bytes = 0;
  double weightBytes = 0;
  unsigned ops = 0;
};

struct AnnotateCostsPass
    : public diviml::impl::DivimlAnnotateCostsBase<AnnotateCostsPass> {
  using DivimlAnnotateCostsBase::DivimlAnnotateCostsBase;

  void runOnOperation() override;
};

} // namespace

void AnnotateCostsPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<CostSetup> setup = setUpCosts(module, platform, profile);
  if (failed(setup))
    return signalPassFailure();
  const Platform &corePlatform = setup->platform;
  std::optional<ProfileTable> &table = setup->profile;

  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    Totals totals;
    unsigned dynamicOps = 0;
    for (Block &block : func.getBody())
      for (Operation &op : block.without_terminator()) {
        auto existing =
            op.getAttrOfType<CostAttr>(DivimlDialect::kCostAttrName);
        if (!existing) {
          OpCost cost = estimateOpCost(&op, corePlatform,
                                       table ? &*table : nullptr, dimHint);
          if (!cost.fallback.empty())
            op.emitRemark() << cost.fallback;
          dynamicOps += cost.dynamic;
          existing = costToAttr(cost, corePlatform, &getContext());
          op.setAttr(DivimlDialect::kCostAttrName, existing);
        }
        if (!this->totals)
          continue;
        ++totals.ops;
        totals.flops += existing.getFlops().convertToDouble();
        totals.bytes += existing.getBytes().convertToDouble();
        // The split between MACs and the rest is not in the attribute.
        totals.macFlops += estimateOpWork(&op).macFlops;
        if (op.getNumOperands() == 0 && op.hasTrait<OpTrait::ConstantLike>())
          totals.weightBytes += existing.getOutputBytes().convertToDouble();
      }
    warnDynamicDimensions(func, dynamicOps, dimHint);
    if (this->totals)
      emitRemark(func.getLoc()) << llvm::formatv(
          "'@{0}': {1:f0} FLOPs ({2:f0} in convolutions and matrix products "
          "= 2 x MACs), {3:f0} bytes moved, {4:f0} bytes of weights, {5} ops",
          func.getSymName(), totals.flops, totals.macFlops, totals.bytes,
          totals.weightBytes, totals.ops);
  }
}
