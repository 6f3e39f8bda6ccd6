//===- LowerToDevices.cpp - Outline per-device regions with transfers -----===//
//
// Ops are grouped into clusters in program order: an op joins the latest
// cluster of its device unless one of its producers sits in a cluster created
// after that one, which keeps clusters numbered in topological order (and so
// the cluster graph acyclic) in linear time. Each cluster becomes a private
// function tagged with its device; the original function becomes a driver
// that calls the clusters in dependence order, with a `diviml.transfer` for
// every value that reaches a device other than the one holding it. Outlined
// functions are `no_inline`: an upstream inliner would otherwise merge every
// device back into the driver.
//
// With outline=false the ops stay in place, keeping their device, and only the
// transfers are inserted, for compilers that outline on their own.
//
//===----------------------------------------------------------------------===//

#include "PlatformConversion.h"
#include "ProblemBuilder.h"

#include "diviml/Passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace diviml {
#define GEN_PASS_DEF_DIVIMLLOWERTODEVICES
#include "diviml/Passes/Passes.h.inc"
} // namespace diviml

using namespace mlir;
using namespace diviml;

namespace {

struct Cluster {
  StringAttr device;
  SmallVector<Operation *> ops;
};

/// Values `op` reads: operands and values its regions capture from above.
SmallVector<Value> usedValues(Operation *op) {
  SmallVector<Value> used(op->getOperands());
  visitUsedValuesDefinedAbove(op->getRegions(), [&](OpOperand *operand) {
    used.push_back(operand->get());
  });
  return used;
}

class FunctionLowering {
public:
  FunctionLowering(func::FuncOp func, StringAttr home, SymbolTable &symbols)
      : func(func), home(home), symbols(symbols) {}

  LogicalResult run();
  LogicalResult keepInPlace();

private:
  LogicalResult formClusters();
  void outline(unsigned index, OpBuilder &driver);
  Value onDevice(Value value, StringAttr device, OpBuilder &driver);

  func::FuncOp func;
  /// Outlined functions follow the original one in call order.
  Operation *lastOutlined = func;
  StringAttr home;
  SymbolTable &symbols;
  std::vector<Cluster> clusters;
  llvm::DenseMap<Operation *, unsigned> clusterOf;
  /// Where a driver-level value currently lives.
  llvm::DenseMap<Value, StringAttr> location;
  /// Original value -> its value in the driver.
  IRMapping driverValue;
  /// (driver value, device) -> transferred copy.
  llvm::DenseMap<std::pair<Value, Attribute>, Value> transferred;
};

} // namespace

LogicalResult FunctionLowering::formClusters() {
  Block &block = func.getBody().front();
  // Latest region of each device.
  llvm::StringMap<unsigned> latest;
  std::optional<unsigned> lastEffectful;
  for (Operation &op : block.without_terminator()) {
    if (isRematerializable(&op))
      continue;
    auto device = op.getAttrOfType<StringAttr>(DivimlDialect::kDeviceAttrName);
    if (!device)
      return op.emitOpError()
             << "has no 'diviml.device'; run diviml-partition first";
    // Regions are numbered so that every edge between them goes from a lower
    // to a higher number, which keeps the region graph acyclic: the op may
    // join its device's latest region only if no producer sits in a later
    // one.
    unsigned newestProducer = 0;
    bool hasProducer = false;
    // Ops with side effects keep their program order: each depends on the
    // previous one.
    bool effectful = !isMemoryEffectFree(&op);
    if (effectful && lastEffectful) {
      newestProducer = *lastEffectful;
      hasProducer = true;
    }
    for (Value value : usedValues(&op))
      if (Operation *def = value.getDefiningOp()) {
        auto it = clusterOf.find(def);
        if (it != clusterOf.end()) {
          newestProducer = std::max(newestProducer, it->second);
          hasProducer = true;
        }
      }
    auto it = latest.find(device.getValue());
    unsigned chosen;
    if (it != latest.end() && (!hasProducer || newestProducer <= it->second)) {
      chosen = it->second;
    } else {
      chosen = clusters.size();
      clusters.push_back({device, {}});
      latest[device.getValue()] = chosen;
    }
    clusters[chosen].ops.push_back(&op);
    clusterOf[&op] = chosen;
    if (effectful)
      lastEffectful = chosen;
  }
  return success();
}

Value FunctionLowering::onDevice(Value value, StringAttr device,
                                 OpBuilder &driver) {
  StringAttr from = location.lookup(value);
  // Scalars are passed by value with the call; only tensors are moved.
  if (!from || from == device || !isa<TensorType>(value.getType()))
    return value;
  auto key = std::make_pair(value, Attribute(device));
  auto it = transferred.find(key);
  if (it != transferred.end())
    return it->second;
  Value copy = TransferOp::create(driver, value.getLoc(), value, from, device);
  location[copy] = device;
  transferred[key] = copy;
  return copy;
}

void FunctionLowering::outline(unsigned index, OpBuilder &driver) {
  Cluster &cluster = clusters[index];
  llvm::SmallPtrSet<Operation *, 16> inCluster(cluster.ops.begin(),
                                               cluster.ops.end());
  // Inputs: values defined outside the cluster by placed ops or arguments.
  llvm::SetVector<Value> inputs;
  llvm::SetVector<Operation *> rematerialized;
  for (Operation *op : cluster.ops)
    for (Value value : usedValues(op)) {
      Operation *def = value.getDefiningOp();
      if (def && inCluster.contains(def))
        continue;
      if (def && isRematerializable(def)) {
        rematerialized.insert(def);
        continue;
      }
      if (def ||
          cast<BlockArgument>(value).getOwner() == &func.getBody().front())
        inputs.insert(value);
    }
  // Outputs: results used outside the cluster.
  SmallVector<Value> outputs;
  for (Operation *op : cluster.ops)
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) {
            Operation *top =
                func.getBody().front().findAncestorOpInBlock(*user);
            return !top || !inCluster.contains(top);
          }))
        outputs.push_back(result);

  // The outlined function.
  Location loc = cluster.ops.front()->getLoc();
  auto type = FunctionType::get(
      func.getContext(),
      llvm::to_vector(ValueRange(inputs.getArrayRef()).getTypes()),
      llvm::to_vector(ValueRange(outputs).getTypes()));
  std::string name = (func.getSymName() + "_" + cluster.device.getValue() +
                      "_" + std::to_string(index))
                         .str();
  OpBuilder moduleBuilder(func);
  moduleBuilder.setInsertionPointAfter(lastOutlined);
  auto outlined = func::FuncOp::create(moduleBuilder, loc, name, type);
  outlined.setPrivate();
  outlined->setAttr(DivimlDialect::kDeviceAttrName, cluster.device);
  outlined.setNoInline(true);
  symbols.insert(outlined);
  lastOutlined = outlined;
  Block *body = outlined.addEntryBlock();
  OpBuilder builder = OpBuilder::atBlockBegin(body);
  IRMapping mapping;
  for (auto [value, arg] : llvm::zip(inputs, body->getArguments()))
    mapping.map(value, arg);
  for (Operation *def : rematerialized)
    builder.clone(*def, mapping);
  for (Operation *op : cluster.ops)
    builder.clone(*op, mapping);
  SmallVector<Value> returned;
  for (Value output : outputs)
    returned.push_back(mapping.lookup(output));
  func::ReturnOp::create(builder, loc, returned);

  // The call in the driver, after moving the inputs to the cluster's device.
  SmallVector<Value> args;
  for (Value input : inputs)
    args.push_back(
        onDevice(driverValue.lookupOrDefault(input), cluster.device, driver));
  auto call = func::CallOp::create(driver, loc, outlined, args);
  for (auto [output, result] : llvm::zip(outputs, call.getResults())) {
    driverValue.map(output, result);
    location[result] = cluster.device;
  }
}

LogicalResult FunctionLowering::run() {
  if (failed(formClusters()))
    return failure();
  if (clusters.empty())
    return success();
  Block &block = func.getBody().front();
  for (BlockArgument arg : block.getArguments())
    location[arg] = home;
  Operation *terminator = block.getTerminator();
  OpBuilder driver(terminator);
  // Region numbers are a topological order (see formClusters).
  for (unsigned index = 0, e = clusters.size(); index != e; ++index)
    outline(index, driver);
  // Results are expected where the arguments came from.
  for (OpOperand &operand : terminator->getOpOperands())
    operand.set(
        onDevice(driverValue.lookupOrDefault(operand.get()), home, driver));
  // The original ops are now dead; erase users before producers.
  SmallVector<Operation *> original =
      llvm::to_vector(llvm::make_pointer_range(block.without_terminator()));
  for (Operation *op : llvm::reverse(original))
    if (clusterOf.count(op) || (isRematerializable(op) && op->use_empty()))
      op->erase();
  return success();
}

LogicalResult FunctionLowering::keepInPlace() {
  Block &block = func.getBody().front();
  for (BlockArgument arg : block.getArguments())
    location[arg] = home;
  for (Operation &op : llvm::make_early_inc_range(block.without_terminator())) {
    // Transfers of an earlier run already say where their result lives.
    if (auto transfer = dyn_cast<TransferOp>(op)) {
      location[transfer.getResult()] = transfer.getTargetAttr();
      continue;
    }
    // Rematerialisable values (constants) are available everywhere.
    if (isRematerializable(&op))
      continue;
    auto device = op.getAttrOfType<StringAttr>(DivimlDialect::kDeviceAttrName);
    if (!device)
      return op.emitOpError()
             << "has no 'diviml.device'; run diviml-partition first";
    // Transfers go right before their first user on each device, so that
    // they dominate every later user there and program order is kept.
    OpBuilder builder(&op);
    for (OpOperand &operand : op.getOpOperands())
      operand.set(onDevice(operand.get(), device, builder));
    visitUsedValuesDefinedAbove(op.getRegions(), [&](OpOperand *operand) {
      operand->set(onDevice(operand->get(), device, builder));
    });
    for (Value result : op.getResults())
      location[result] = device;
  }
  Operation *terminator = block.getTerminator();
  OpBuilder builder(terminator);
  for (OpOperand &operand : terminator->getOpOperands())
    operand.set(onDevice(operand.get(), home, builder));
  return success();
}

namespace {
struct LowerToDevicesPass
    : public diviml::impl::DivimlLowerToDevicesBase<LowerToDevicesPass> {
  using DivimlLowerToDevicesBase::DivimlLowerToDevicesBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    PlatformAttr platform = lookupPlatform(module);
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() &&
          !func->hasAttr(DivimlDialect::kDeviceAttrName) &&
          !func->hasAttr(DivimlDialect::kLoweredAttrName))
        funcs.push_back(func);
    SymbolTable symbols(module);
    for (func::FuncOp func : funcs) {
      bool placed = false;
      func.walk([&](Operation *op) {
        placed |= op != func.getOperation() &&
                  op->hasAttr(DivimlDialect::kDeviceAttrName);
      });
      if (!placed)
        continue;
      if (!platform) {
        emitError(func.getLoc())
            << "ops carry 'diviml.device' but the module has no "
               "'diviml.platform'; run diviml-partition first";
        return signalPassFailure();
      }
      if (!llvm::hasSingleElement(func.getBody())) {
        emitError(func.getLoc())
            << "diviml-lower-to-devices needs single-block "
               "function bodies";
        return signalPassFailure();
      }
      Platform core = platformFromAttr(platform);
      StringAttr home =
          StringAttr::get(&getContext(), core.devices[homeDevice(core)].name);
      FunctionLowering lowering(func, home, symbols);
      if (failed(this->outline ? lowering.run() : lowering.keepInPlace()))
        return signalPassFailure();
      // Its calls to device functions carry no device: without the mark a
      // second partition + lowering would outline them again.
      func->setAttr(DivimlDialect::kLoweredAttrName,
                    UnitAttr::get(&getContext()));
    }
  }
};
} // namespace
