//===- PlanExport.cpp - A placed function as a JSON execution plan --------===//
//
// `diviml-translate --export-plan` writes the entry function of a module as a
// flat list of ops in program order, with operand and result value ids, types
// (printed and structured), attributes (printed, and as JSON values where they
// have a natural JSON form), constant values and the device of every op, so
// that an executor (tools/diviml-measure) never parses MLIR text. It reads a
// partitioned module (`diviml.device` on every op), the lowered one (the
// per-device functions are inlined back, `diviml.transfer`s dropped: the
// executor moves values itself), or a module without placement (devices null).
// Schema: docs/formats.md.
//
//===----------------------------------------------------------------------===//

#include "PlatformConversion.h"
#include "ProblemBuilder.h"

#include "diviml/Dialect/Diviml.h"
#include "diviml/Passes/Translations.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace diviml;
namespace json = llvm::json;

namespace {

/// The most elements a non-splat constant may have in a plan.
constexpr int64_t kMaxConstantElements = 1 << 20;

template <typename T> std::string printed(T printable) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printable.print(os);
  return text;
}

/// The structured form of a type: tensors give shape and element type, a
/// `!tosa.shape<n>` its rank, anything else only its printed form.
json::Object typeInfo(Type type) {
  json::Object info{{"type", printed(type)}};
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    info["kind"] = "tensor";
    json::Array shape;
    for (int64_t dim : tensor.getShape())
      shape.push_back(ShapedType::isDynamic(dim) ? json::Value(nullptr)
                                                 : json::Value(dim));
    info["shape"] = std::move(shape);
    info["element"] = printed(tensor.getElementType());
  } else if (type.getDialect().getNamespace() == "tosa" &&
             StringRef(printed(type)).starts_with("!tosa.shape<")) {
    info["kind"] = "shape";
  } else {
    info["kind"] = "other";
  }
  return info;
}

/// An attribute as a JSON value where it has a natural one; std::nullopt
/// otherwise (the printed form in "attributes" still holds it).
std::optional<json::Value> attrValue(Attribute attr) {
  if (auto b = dyn_cast<BoolAttr>(attr))
    return json::Value(b.getValue());
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return json::Value(i.getValue().getSExtValue());
  if (auto f = dyn_cast<FloatAttr>(attr))
    return json::Value(f.getValueAsDouble());
  if (auto s = dyn_cast<StringAttr>(attr))
    return json::Value(s.getValue().str());
  if (auto t = dyn_cast<TypeAttr>(attr))
    return json::Value(printed(t.getValue()));
  if (auto a = dyn_cast<DenseI64ArrayAttr>(attr))
    return json::Value(json::Array(a.asArrayRef()));
  if (auto a = dyn_cast<DenseI32ArrayAttr>(attr))
    return json::Value(json::Array(a.asArrayRef()));
  if (auto a = dyn_cast<DenseBoolArrayAttr>(attr))
    return json::Value(json::Array(a.asArrayRef()));
  // Enum attributes (tosa rounding_mode, resize mode, nan_mode) print as
  // `#tosa<name VALUE>` or `VALUE`: keep the last word.
  std::string text = printed(attr);
  StringRef word = StringRef(text).rtrim(">").rsplit(' ').second;
  if (word.empty())
    word = text;
  if (!word.empty() &&
      llvm::all_of(word, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return json::Value(word.str());
  return std::nullopt;
}

/// One element of a dense constant as a JSON number (integers, i1 as 0/1).
json::Value elementValue(Attribute element) {
  if (auto f = dyn_cast<FloatAttr>(element))
    return f.getValueAsDouble();
  auto i = cast<IntegerAttr>(element);
  if (i.getType().isInteger(1))
    return int64_t(i.getValue().getBoolValue());
  if (i.getType().isUnsignedInteger())
    return int64_t(i.getValue().getZExtValue());
  return i.getValue().getSExtValue();
}

class PlanWriter {
public:
  explicit PlanWriter(ModuleOp module) : module(module), symbols(module) {}

  LogicalResult write(raw_ostream &os);

private:
  int valueId(Value value);
  LogicalResult emitBody(Block &block, StringAttr device,
                         ArrayRef<int> argumentIds, SmallVectorImpl<int> &out,
                         unsigned depth);
  LogicalResult emitOp(Operation *op, StringAttr device);

  ModuleOp module;
  SymbolTable symbols;
  llvm::DenseMap<Value, int> ids;
  json::Array values, ops;
  llvm::StringSet<> names;
  std::string functionName;
  bool placed = false, unplaced = false;
};

int PlanWriter::valueId(Value value) {
  auto [it, inserted] = ids.try_emplace(value, int(values.size()));
  if (inserted)
    values.push_back(typeInfo(value.getType()));
  return it->second;
}

LogicalResult PlanWriter::emitOp(Operation *op, StringAttr device) {
  json::Object entry;
  std::string name = opName(op);
  if (name.empty() || !names.insert(name).second) {
    std::string base =
        name.empty() ? functionName + "/" + op->getName().stripDialect().str()
                     : name;
    unsigned index = ops.size();
    do
      name = base + "_" + std::to_string(index++);
    while (!names.insert(name).second);
  }
  entry["name"] = name;
  entry["op"] = op->getName().getStringRef().str();
  entry["location"] = printed(op->getLoc());
  json::Array operands, operandTypes, results, resultTypes;
  for (Value operand : op->getOperands()) {
    auto it = ids.find(operand);
    if (it == ids.end())
      return op->emitError() << "uses a value defined outside the function "
                                "body; the plan cannot express it";
    operands.push_back(it->second);
    operandTypes.push_back(printed(operand.getType()));
  }
  for (Value result : op->getResults()) {
    results.push_back(valueId(result));
    resultTypes.push_back(printed(result.getType()));
  }
  entry["operands"] = std::move(operands);
  entry["operand_types"] = std::move(operandTypes);
  entry["results"] = std::move(results);
  entry["result_types"] = std::move(resultTypes);

  json::Object attributes, attributeValues;
  bool isConstant = op->hasTrait<OpTrait::ConstantLike>();
  for (NamedAttribute attr : op->getAttrs()) {
    StringRef key = attr.getName().getValue();
    if (key.starts_with("diviml."))
      continue;
    if (isConstant && isa<ElementsAttr>(attr.getValue()))
      continue;
    attributes[key] = printed(attr.getValue());
    if (std::optional<json::Value> value = attrValue(attr.getValue()))
      attributeValues[key] = std::move(*value);
  }
  entry["attributes"] = std::move(attributes);
  entry["attribute_values"] = std::move(attributeValues);

  if (isConstant) {
    ElementsAttr elements;
    for (NamedAttribute attr : op->getAttrs())
      if ((elements = dyn_cast<ElementsAttr>(attr.getValue())))
        break;
    auto dense = dyn_cast_or_null<DenseElementsAttr>(elements);
    if (!dense)
      return op->emitError()
             << "constant has no dense value (dense_resource or elided); the "
                "plan needs its values";
    json::Object constant;
    if (dense.isSplat()) {
      constant["splat"] = elementValue(dense.getSplatValue<Attribute>());
    } else {
      if (dense.getNumElements() > kMaxConstantElements)
        return op->emitError()
               << "constant of " << dense.getNumElements()
               << " distinct elements is larger than the plan allows ("
               << kMaxConstantElements << ")";
      json::Array list;
      for (Attribute element : dense.getValues<Attribute>())
        list.push_back(elementValue(element));
      constant["values"] = std::move(list);
    }
    entry["constant"] = std::move(constant);
    entry["device"] = nullptr;
  } else if (device) {
    entry["device"] = device.getValue().str();
    placed = true;
  } else {
    entry["device"] = nullptr;
    unplaced = true;
  }
  ops.push_back(std::move(entry));
  return success();
}

LogicalResult PlanWriter::emitBody(Block &block, StringAttr device,
                                   ArrayRef<int> argumentIds,
                                   SmallVectorImpl<int> &out, unsigned depth) {
  for (auto [arg, id] : llvm::zip(block.getArguments(), argumentIds))
    ids[arg] = id;
  for (Operation &op : block) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value operand : ret.getOperands())
        out.push_back(ids.lookup(operand));
      return success();
    }
    if (auto transfer = dyn_cast<TransferOp>(op)) {
      ids[transfer.getResult()] = ids.lookup(transfer.getOperand());
      continue;
    }
    if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
      auto calleeDevice = callee ? callee->getAttrOfType<StringAttr>(
                                       DivimlDialect::kDeviceAttrName)
                                 : StringAttr();
      if (calleeDevice && !callee.isExternal() && depth == 0) {
        SmallVector<int> arguments, results;
        for (Value operand : call.getOperands())
          arguments.push_back(ids.lookup(operand));
        if (failed(emitBody(callee.front(), calleeDevice, arguments, results,
                            depth + 1)))
          return failure();
        for (auto [result, id] : llvm::zip(call.getResults(), results))
          ids[result] = id;
        continue;
      }
    }
    if (op.getNumRegions() != 0)
      return op.emitError() << "'" << op.getName()
                            << "' has regions; the plan export takes only "
                               "flat function bodies";
    StringAttr opDevice =
        op.getAttrOfType<StringAttr>(DivimlDialect::kDeviceAttrName);
    if (failed(emitOp(&op, opDevice ? opDevice : device)))
      return failure();
  }
  return success();
}

LogicalResult PlanWriter::write(raw_ostream &os) {
  // The entry: the public function `main`, else the only public function
  // with a body.
  SmallVector<func::FuncOp> candidates;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isExternal() && func.isPublic())
      candidates.push_back(func);
  func::FuncOp entry;
  for (func::FuncOp func : candidates)
    if (func.getSymName() == "main")
      entry = func;
  if (!entry && candidates.size() == 1)
    entry = candidates.front();
  if (!entry)
    return module.emitError()
           << "--export-plan needs a public function '@main' or exactly one "
              "public function with a body; found "
           << candidates.size();
  if (!entry.getBody().hasOneBlock())
    return entry.emitError() << "has several blocks; the plan export takes "
                                "only single-block functions";
  functionName = entry.getSymName().str();

  json::Array inputs;
  SmallVector<int> argumentIds, outputs;
  for (BlockArgument arg : entry.getArguments()) {
    int id = valueId(arg);
    argumentIds.push_back(id);
    inputs.push_back(id);
  }
  if (failed(emitBody(entry.front(), StringAttr(), argumentIds, outputs, 0)))
    return failure();
  if (placed && unplaced) {
    for (const json::Value &op : ops) {
      const json::Object *object = op.getAsObject();
      if (object->get("device")->kind() == json::Value::Null &&
          !object->get("constant"))
        return entry.emitError()
               << "op '" << *object->getString("name")
               << "' has no 'diviml.device' while others have one; run "
                  "diviml-partition on the whole function";
    }
  }

  json::Object plan{{"format", "diviml-plan"},
                    {"version", 1},
                    {"function", functionName},
                    {"inputs", std::move(inputs)},
                    {"outputs", json::Array(outputs)},
                    {"values", std::move(values)},
                    {"ops", std::move(ops)}};
  if (PlatformAttr platformAttr = lookupPlatform(module)) {
    Platform platform = platformFromAttr(platformAttr);
    json::Array devices;
    for (const Device &device : platform.devices)
      devices.push_back(
          json::Object{{"name", device.name},
                       {"kind", stringifyDeviceKind(device.kind).str()}});
    plan["platform"] =
        json::Object{{"name", platform.name},
                     {"home", platform.devices[homeDevice(platform)].name},
                     {"devices", std::move(devices)}};
  } else {
    plan["platform"] = nullptr;
  }
  os << llvm::formatv("{0:1}", json::Value(std::move(plan))) << "\n";
  return success();
}

LogicalResult exportPlan(Operation *op, raw_ostream &os) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    return op->emitError() << "--export-plan needs a builtin.module";
  return PlanWriter(module).write(os);
}

} // namespace

void diviml::registerPlanExport(
    void (*registerDialects)(DialectRegistry &registry)) {
  static TranslateFromMLIRRegistration registration(
      "export-plan",
      "write the entry function of a (partitioned, lowered or unplaced) "
      "module as a JSON execution plan for diviml-measure",
      exportPlan, registerDialects);
}
