//===- DivimlOps.cpp - diviml operations ----------------------------------===//

#include "diviml/Dialect/Diviml.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace diviml;

#define GET_OP_CLASSES
#include "diviml/Dialect/DivimlOps.cpp.inc"

LogicalResult TransferOp::verify() {
  if (getSource() == getTarget())
    return emitOpError() << "moves a tensor from '" << getSource()
                         << "' to itself";
  PlatformAttr platform = lookupPlatform(*this);
  if (!platform)
    return emitOpError()
           << "needs a 'diviml.platform' attribute on an enclosing module";
  for (StringRef device : {getSource(), getTarget()})
    if (!platform.lookupDevice(device))
      return emitOpError() << "names unknown device '" << device
                           << "'; platform '" << platform.getName()
                           << "' has no such device";
  return success();
}

LogicalResult NodeOp::verify() {
  if (!(*this)->hasAttr(DivimlDialect::kCostAttrName))
    return emitOpError() << "needs a 'diviml.cost' attribute: it has no other "
                            "source of cost";
  return success();
}

//===----------------------------------------------------------------------===//
// Bufferization: a transfer is a copy into a fresh buffer, so the destination
// device never aliases the source's memory.
//===----------------------------------------------------------------------===//

bool TransferOp::bufferizesToAllocation(Value) { return true; }

bool TransferOp::bufferizesToMemoryRead(OpOperand &,
                                        const bufferization::AnalysisState &) {
  return true;
}

bool TransferOp::bufferizesToMemoryWrite(OpOperand &,
                                         const bufferization::AnalysisState &) {
  return false;
}

bufferization::AliasingValueList
TransferOp::getAliasingValues(OpOperand &,
                              const bufferization::AnalysisState &) {
  return {};
}

FailureOr<bufferization::BufferLikeType> TransferOp::getBufferType(
    Value value, const bufferization::BufferizationOptions &options,
    const bufferization::BufferizationState &, SmallVector<Value> &) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type) {
    emitOpError() << "cannot bufferize a transfer of an unranked tensor";
    return failure();
  }
  return cast<bufferization::BufferLikeType>(MemRefType::get(
      type.getShape(), type.getElementType(), MemRefLayoutAttrInterface(),
      options.defaultMemorySpaceFn(type).value_or(nullptr)));
}

LogicalResult
TransferOp::bufferize(RewriterBase &rewriter,
                      const bufferization::BufferizationOptions &options,
                      bufferization::BufferizationState &state) {
  FailureOr<Value> source =
      bufferization::getBuffer(rewriter, getInput(), options, state);
  if (failed(source))
    return failure();
  SmallVector<Value> invocationStack;
  FailureOr<bufferization::BufferLikeType> type =
      getBufferType(getResult(), options, state, invocationStack);
  if (failed(type))
    return failure();
  auto memrefType = cast<MemRefType>(*type);
  SmallVector<Value> dynamicSizes;
  for (auto [dim, size] : llvm::enumerate(memrefType.getShape()))
    if (ShapedType::isDynamic(size))
      dynamicSizes.push_back(
          memref::DimOp::create(rewriter, getLoc(), *source, dim));
  FailureOr<Value> copy =
      options.createAlloc(rewriter, getLoc(), memrefType, dynamicSizes);
  if (failed(copy) ||
      failed(options.createMemCpy(rewriter, getLoc(), *source, *copy)))
    return failure();
  bufferization::replaceOpWithBufferizedValues(rewriter, *this, *copy);
  return success();
}
