//===- InlineCalls.cpp - Inline callees before partitioning ---------------===//

#include "InlineCalls.h"
#include "ProblemBuilder.h"

#include "diviml/Dialect/Diviml.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace diviml;

namespace {

/// Inlines func.func bodies whatever dialects they use: partitioning only
/// needs the ops side by side, not a legality proof from every dialect.
struct CallInliner : public InlinerInterface {
  CallInliner(MLIRContext *context, StringRef callee)
      : InlinerInterface(context), callee(callee) {}

  bool isLegalToInline(Operation *, Operation *, bool) const override {
    return true;
  }
  bool isLegalToInline(Region *, Region *, bool, IRMapping &) const override {
    return true;
  }
  bool isLegalToInline(Operation *, Region *, bool,
                       IRMapping &) const override {
    return true;
  }
  void handleTerminator(Operation *op,
                        ValueRange valuesToReplace) const override {
    for (auto [from, to] : llvm::zip(valuesToReplace, op->getOperands()))
      from.replaceAllUsesWith(to);
  }
  bool allowSingleBlockOptimization(
      iterator_range<Region::iterator>) const override {
    return true;
  }
  Value handleArgument(OpBuilder &, Operation *, Operation *, Value argument,
                       DictionaryAttr) const override {
    return argument;
  }
  Value handleResult(OpBuilder &, Operation *, Operation *, Value result,
                     DictionaryAttr) const override {
    return result;
  }
  /// Keeps report names readable and tells where an op came from.
  void processInlinedCallBlocks(
      Operation *, iterator_range<Region::iterator> blocks) const override {
    for (Block &block : blocks)
      for (Operation &op : block) {
        std::string name = opName(&op);
        if (name.empty())
          if (auto site = dyn_cast<CallSiteLoc>(op.getLoc()))
            if (auto named = dyn_cast<NameLoc>(site.getCallee()))
              name = named.getName().str();
        if (!name.empty())
          op.setAttr(DivimlDialect::kNameAttrName,
                     StringAttr::get(op.getContext(), callee + "/" + name));
      }
  }

  std::string callee;
};

void cloneBody(OpBuilder &, Region *src, Block *inlineBlock,
               Block *postInsertBlock, IRMapping &mapper, bool clone) {
  Region *into = inlineBlock->getParent();
  if (clone)
    src->cloneInto(into, postInsertBlock->getIterator(), mapper);
  else
    into->getBlocks().splice(postInsertBlock->getIterator(), src->getBlocks(),
                             src->begin(), src->end());
}

bool isPartitionable(func::FuncOp func) {
  return !func.isExternal() && !func->hasAttr(DivimlDialect::kDeviceAttrName) &&
         !func->hasAttr(DivimlDialect::kLoweredAttrName);
}

} // namespace

llvm::DenseSet<Operation *> diviml::inlineCalls(ModuleOp module) {
  SymbolTable symbols(module);
  llvm::DenseSet<Operation *> inlined;
  // Each round inlines one level of calls; a chain deeper than this is
  // recursion, which stays a call.
  constexpr unsigned kMaxDepth = 64;
  for (auto caller : module.getOps<func::FuncOp>()) {
    if (!isPartitionable(caller))
      continue;
    for (unsigned depth = 0; depth != kMaxDepth; ++depth) {
      SmallVector<func::CallOp> calls;
      caller.walk([&](func::CallOp call) { calls.push_back(call); });
      bool changed = false;
      for (func::CallOp call : calls) {
        auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
        if (!callee || callee == caller || !isPartitionable(callee) ||
            !llvm::hasSingleElement(callee.getBody()))
          continue;
        CallInliner interface(module.getContext(), callee.getSymName().str());
        if (failed(inlineCall(interface, cloneBody,
                              cast<CallOpInterface>(call.getOperation()),
                              cast<CallableOpInterface>(callee.getOperation()),
                              &callee.getBody())))
          continue;
        call.erase();
        inlined.insert(callee);
        changed = true;
      }
      if (!changed)
        break;
    }
  }
  for (Operation *callee : llvm::to_vector(inlined)) {
    auto func = cast<func::FuncOp>(callee);
    if (func.isPrivate() && SymbolTable::symbolKnownUseEmpty(func, module)) {
      inlined.erase(callee);
      func.erase();
    }
  }
  return inlined;
}
