//===- MsrTranslation.cpp - Tarnawski et al. workloads <-> IR -------------===//
//
// Import: the core reads the workload (MsrFormat.h); this file writes the
// problem as IR: the platform as `diviml.platform`, every node as a
// `diviml.node` whose `diviml.cost` holds its times, memory and output size,
// so that diviml-partition reproduces the problem exactly. Export: the
// placement of a partitioned module in the artifact's split format.
//
//===----------------------------------------------------------------------===//

#include "PlatformConversion.h"
#include "ProblemBuilder.h"

#include "diviml/Dialect/Diviml.h"
#include "diviml/Passes/Translations.h"
#include "diviml/Workloads/MsrFormat.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace diviml;

static OwningOpRef<Operation *> importMsr(llvm::SourceMgr &sourceMgr,
                                          MLIRContext *context) {
  context->loadDialect<DivimlDialect, func::FuncDialect>();
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  Location fileLoc =
      FileLineColLoc::get(context, buffer->getBufferIdentifier(), 1, 1);
  llvm::Expected<Problem> problem = importMsrJson(buffer->getBuffer());
  if (!problem) {
    emitError(fileLoc) << "cannot import workload: "
                       << llvm::toString(problem.takeError());
    return {};
  }
  // The workload gives times, not rates: the device rates are placeholders
  // that nothing reads, since every op carries its own diviml.cost.
  Platform platform = problem->platform;
  platform.name = "msr";
  for (Device &device : platform.devices) {
    device.peakFlops = std::max(device.peakFlops, 1.0);
    device.memoryBandwidth = std::max(device.memoryBandwidth, 1.0);
  }
  FailureOr<PlatformAttr> platformAttr = platformToAttr(fileLoc, platform);
  if (failed(platformAttr))
    return {};

  OpBuilder builder(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  (*module)->setAttr(DivimlDialect::kPlatformAttrName, *platformAttr);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType({}, {}));
  builder.setInsertionPointToEnd(func.addEntryBlock());

  auto tensorType = RankedTensorType::get({1}, builder.getF32Type());
  SmallVector<Value> values(problem->numNodes());
  for (unsigned v : problem->topologicalOrder()) {
    const Node &node = problem->nodes[v];
    SmallVector<NamedAttribute> times;
    for (unsigned d = 0, e = problem->numDevices(); d != e; ++d)
      if (node.canRunOn(d))
        times.push_back(builder.getNamedAttr(
            platform.devices[d].name, builder.getF64FloatAttr(node.time[d])));
    auto cost = CostAttr::get(context, llvm::APFloat(0.0), llvm::APFloat(0.0),
                              llvm::APFloat(problem->outputBytes(v)),
                              llvm::APFloat(node.memory),
                              builder.getDictionaryAttr(times));
    SmallVector<Value> inputs;
    for (unsigned u : problem->predecessors(v))
      inputs.push_back(values[u]);
    auto op =
        NodeOp::create(builder, NameLoc::get(builder.getStringAttr(node.name)),
                       tensorType, inputs);
    op->setAttr(DivimlDialect::kNameAttrName, builder.getStringAttr(node.name));
    op->setAttr(DivimlDialect::kCostAttrName, cost);
    if (node.colocationGroup >= 0)
      op->setAttr(DivimlDialect::kColocateAttrName,
                  builder.getStringAttr("color" +
                                        std::to_string(node.colocationGroup)));
    values[v] = op.getResult();
  }
  func::ReturnOp::create(builder, fileLoc);
  return OwningOpRef<Operation *>(module.release());
}

static LogicalResult exportMsrSplitOf(Operation *op, raw_ostream &os) {
  auto module = dyn_cast<ModuleOp>(op);
  PlatformAttr platformAttr = module ? lookupPlatform(module) : PlatformAttr();
  if (!platformAttr)
    return op->emitError() << "needs a module with a 'diviml.platform'; run "
                              "diviml-partition first";
  // Only names and devices matter to the split format.
  Problem problem(platformFromAttr(platformAttr));
  Solution solution;
  WalkResult walk = module.walk([&](Operation *inner) {
    if (!isa<NodeOp>(inner))
      return WalkResult::advance();
    auto device =
        inner->getAttrOfType<StringAttr>(DivimlDialect::kDeviceAttrName);
    if (!device) {
      inner->emitError() << "has no 'diviml.device'; run diviml-partition "
                            "first";
      return WalkResult::interrupt();
    }
    Node node;
    node.name = opName(inner);
    problem.addNode(std::move(node));
    solution.device.push_back(*problem.platform.findDevice(device.getValue()));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  os << exportMsrSplit(problem, solution) << "\n";
  return success();
}

void diviml::registerMsrTranslations(
    void (*registerDialects)(DialectRegistry &registry)) {
  static TranslateToMLIRRegistration importRegistration(
      "import-msr-json",
      "import a Tarnawski et al. (NeurIPS 2020) workload as diviml.node ops",
      importMsr);
  static TranslateFromMLIRRegistration exportRegistration(
      "export-msr-split",
      "write the placement of diviml.node ops in the Tarnawski et al. split "
      "format",
      exportMsrSplitOf, registerDialects);
}
