//===- ProblemBuilder.cpp - A function body as a placement problem --------===//

#include "ProblemBuilder.h"
#include "CostModel.h"

#include "diviml/Dialect/Diviml.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace diviml;

bool diviml::isRematerializable(Operation *op) {
  // A diviml.node stands for real work even without inputs.
  return op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         isMemoryEffectFree(op) && !isa<NodeOp>(op);
}

static bool isTensorOp(Operation *op) {
  auto isTensor = [](Type type) { return isa<TensorType>(type); };
  return llvm::any_of(op->getOperandTypes(), isTensor) ||
         llvm::any_of(op->getResultTypes(), isTensor);
}

std::string diviml::opName(Operation *op) {
  if (auto name = op->getAttrOfType<StringAttr>(DivimlDialect::kNameAttrName))
    return name.str();
  if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
    return loc.getName().str();
  return "";
}

void diviml::assignOpNames(ArrayRef<Operation *> ops, StringRef prefix,
                           llvm::StringSet<> &taken) {
  unsigned index = 0;
  for (Operation *op : ops) {
    std::string name = opName(op);
    if (!name.empty() && taken.insert(name).second) {
      ++index;
      continue;
    }
    std::string base = name.empty()
                           ? (prefix + "/" + op->getName().stripDialect()).str()
                           : name;
    std::string unique;
    do
      unique = base + "_" + std::to_string(index++);
    while (!taken.insert(unique).second);
    op->setAttr(DivimlDialect::kNameAttrName,
                StringAttr::get(op->getContext(), unique));
  }
}

/// Names a node of a cycle: one that Kahn's algorithm never released.
static Operation *opOnCycle(const FunctionProblem &fp) {
  llvm::SmallVector<bool> released(fp.problem.numNodes(), false);
  for (unsigned v : fp.problem.topologicalOrder())
    released[v] = true;
  for (unsigned v = 0, e = fp.ops.size(); v != e; ++v)
    if (!released[v])
      return fp.ops[v];
  return nullptr;
}

FailureOr<std::optional<FunctionProblem>>
diviml::buildFunctionProblem(func::FuncOp func, const Platform &platform,
                             unsigned home, const ProfileTable *profile,
                             double dimHint) {
  Region &body = func.getBody();
  if (!llvm::hasSingleElement(body))
    return emitError(func.getLoc())
           << "diviml-partition needs single-block function bodies; '@"
           << func.getSymName() << "' has " << body.getBlocks().size()
           << " blocks";
  Block &block = body.front();

  FunctionProblem fp;
  fp.problem.platform = platform;
  llvm::DenseMap<Operation *, unsigned> nodeOf;
  bool anyTensor = llvm::any_of(func.getArgumentTypes(),
                                [](Type t) { return isa<TensorType>(t); });
  for (Operation &op : block.without_terminator()) {
    if (isRematerializable(&op))
      continue;
    anyTensor |= isTensorOp(&op);
    nodeOf[&op] = fp.ops.size();
    fp.ops.push_back(&op);
  }
  if (!anyTensor || fp.ops.empty())
    return std::optional<FunctionProblem>();

  unsigned numDevices = platform.numDevices();
  llvm::SmallVector<double> outputBytes;
  unsigned dynamicOps = 0;
  for (Operation *op : fp.ops) {
    OpCost cost = estimateOpCost(op, platform, profile, dimHint);
    if (!cost.fallback.empty()) {
      op->emitRemark() << cost.fallback;
      ++fp.fallbacks;
    }
    dynamicOps += cost.dynamic;
    fp.flops.push_back(cost.flops);
    fp.bytes.push_back(cost.bytes);
    Node node;
    node.name = opName(op);
    node.time.assign(cost.time.begin(), cost.time.end());
    node.memory = cost.memory;
    if (platform.runtime) {
      StringRef cls = opClass(op);
      for (unsigned d = 0; d != numDevices; ++d)
        node.dispatch.push_back(platform.dispatchTime(d, cls));
    }
    fp.problem.addNode(std::move(node));
    outputBytes.push_back(cost.outputBytes);
  }
  warnDynamicDimensions(func, dynamicOps, dimHint);
  // Colocation groups by name.
  llvm::StringMap<int> groups;
  for (auto [index, op] : llvm::enumerate(fp.ops))
    if (auto group =
            op->getAttrOfType<StringAttr>(DivimlDialect::kColocateAttrName))
      fp.problem.nodes[index].colocationGroup =
          groups.try_emplace(group.getValue(), groups.size()).first->second;

  auto pinnedToHome = [&](std::string name) {
    Node node;
    node.name = std::move(name);
    node.external = true;
    node.time.assign(numDevices, kInfinity);
    node.time[home] = 0;
    return fp.problem.addNode(std::move(node));
  };
  llvm::DenseMap<BlockArgument, unsigned> argNode;
  auto producerOf = [&](Value value) -> std::optional<unsigned> {
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      if (arg.getOwner() != &block)
        return std::nullopt;
      auto [it, inserted] = argNode.try_emplace(arg, 0);
      if (inserted)
        it->second =
            pinnedToHome("<arg" + std::to_string(arg.getArgNumber()) + ">");
      return it->second;
    }
    auto it = nodeOf.find(value.getDefiningOp());
    if (it == nodeOf.end())
      return std::nullopt;
    return it->second;
  };
  // Bytes moved from producer to consumer: the values the consumer uses,
  // or the producer's annotated output size.
  auto addUses = [&](unsigned consumer, ArrayRef<Value> values) {
    llvm::MapVector<unsigned, double> bytesFrom;
    llvm::SmallPtrSet<void *, 8> seen;
    for (Value value : values) {
      if (!seen.insert(value.getAsOpaquePointer()).second)
        continue;
      std::optional<unsigned> producer = producerOf(value);
      if (!producer)
        continue;
      bool dynamic = false;
      double bytes =
          *producer < fp.ops.size() &&
                  fp.ops[*producer]->hasAttr(DivimlDialect::kCostAttrName)
              ? outputBytes[*producer]
              : typeBytes(value.getType(), dynamic, dimHint);
      bytesFrom[*producer] = std::max(bytesFrom[*producer], 0.0) + bytes;
    }
    for (auto [producer, bytes] : bytesFrom)
      fp.problem.addEdge(producer, consumer, bytes);
  };
  for (auto [index, op] : llvm::enumerate(fp.ops)) {
    llvm::SmallVector<Value> used(op->getOperands());
    // Values that nested regions capture from above are inputs too.
    visitUsedValuesDefinedAbove(op->getRegions(), [&](OpOperand *operand) {
      used.push_back(operand->get());
    });
    addUses(index, used);
  }
  Operation *terminator = block.getTerminator();
  if (terminator->getNumOperands() > 0) {
    unsigned results = pinnedToHome("<results>");
    addUses(results, llvm::to_vector(terminator->getOperands()));
  }

  fp.problem.finalize();
  if (fp.problem.topologicalOrder().empty()) {
    Operation *culprit = opOnCycle(fp);
    return (culprit ? culprit : func.getOperation())->emitError()
           << "op is part of a cyclic use chain (through region ops or a "
              "graph region); diviml-partition needs an acyclic body";
  }
  return std::optional<FunctionProblem>(std::move(fp));
}
