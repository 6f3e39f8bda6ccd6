//===- CheckTransfers.cpp - Every tensor reaches its device by transfer ---===//
//
// A lowered program is only correct on real devices if each tensor is read
// where it lives. On one host every transfer is a plain copy, so running the
// program cannot tell a dropped transfer from a kept one; this pass can. It
// follows the location of every tensor through the functions that are not
// device functions, in both lowering modes (outlined calls, ops in place).
//
//===----------------------------------------------------------------------===//

#include "PlatformConversion.h"

#include "diviml/Passes/Passes.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace diviml {
#define GEN_PASS_DEF_DIVIMLCHECKTRANSFERS
#include "diviml/Passes/Passes.h.inc"
} // namespace diviml

using namespace mlir;
using namespace diviml;

namespace {

class LocationChecker {
public:
  LocationChecker(func::FuncOp func, StringAttr home, SymbolTable &symbols)
      : func(func), home(home), symbols(symbols) {}

  LogicalResult run() {
    Block &block = func.getBody().front();
    for (BlockArgument arg : block.getArguments())
      location[arg] = home;
    bool ok = true;
    for (Operation &op : block) {
      if (auto transfer = dyn_cast<TransferOp>(op)) {
        StringAttr from = location.lookup(transfer.getInput());
        if (from && from != transfer.getSourceAttr()) {
          transfer.emitError()
              << "moves a tensor from '" << transfer.getSource()
              << "' but it lives on '" << from.getValue() << "'";
          ok = false;
        }
        location[transfer.getResult()] = transfer.getTargetAttr();
        continue;
      }
      StringAttr device = deviceOf(op);
      if (!device)
        continue;
      auto check = [&](Value value, StringRef what) {
        StringAttr at = location.lookup(value);
        if (!at || at == device || !isa<TensorType>(value.getType()))
          return;
        op.emitError() << what << " lives on '" << at.getValue()
                       << "' but is read on '" << device.getValue()
                       << "': a diviml.transfer is missing";
        ok = false;
      };
      for (OpOperand &operand : op.getOpOperands())
        check(operand.get(),
              ("operand #" + Twine(operand.getOperandNumber())).str());
      visitUsedValuesDefinedAbove(op.getRegions(), [&](OpOperand *operand) {
        check(operand->get(), "a value captured by a region");
      });
      for (Value result : op.getResults())
        location[result] = device;
    }
    return success(ok);
  }

private:
  /// Where `op` runs: the return runs on the home device, a call on its
  /// callee's device, a placed op on its own; other ops (constants, ops of
  /// the driver) do not say.
  StringAttr deviceOf(Operation &op) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      return home;
    if (auto call = dyn_cast<func::CallOp>(op))
      if (auto callee = symbols.lookup<func::FuncOp>(call.getCallee()))
        if (auto device = callee->getAttrOfType<StringAttr>(
                DivimlDialect::kDeviceAttrName))
          return device;
    return op.getAttrOfType<StringAttr>(DivimlDialect::kDeviceAttrName);
  }

  func::FuncOp func;
  StringAttr home;
  SymbolTable &symbols;
  llvm::DenseMap<Value, StringAttr> location;
};

struct CheckTransfersPass
    : public diviml::impl::DivimlCheckTransfersBase<CheckTransfersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    PlatformAttr platform = lookupPlatform(module);
    if (!platform)
      return; // Nothing was placed.
    Platform core = platformFromAttr(platform);
    StringAttr home =
        StringAttr::get(&getContext(), core.devices[homeDevice(core)].name);
    SymbolTable symbols(module);
    bool ok = true;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && llvm::hasSingleElement(func.getBody()) &&
          !func->hasAttr(DivimlDialect::kDeviceAttrName))
        ok &= succeeded(LocationChecker(func, home, symbols).run());
    if (!ok)
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace
