//===- DivimlOps.cpp - diviml operations ----------------------------------===//

#include "diviml/Dialect/Diviml.h"

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
