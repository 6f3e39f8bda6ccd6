//===- DivimlDialect.td - The diviml dialect ---------------*- tablegen -*-===//
//
// Devices, links and platforms as attributes, placement as a discardable
// attribute on ops, and an explicit op for moving a tensor between devices.
// The dialect knows nothing of placement algorithms.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_DIALECT
#define DIVIML_DIALECT

include "mlir/IR/OpBase.td"

def Diviml_Dialect : Dialect {
  let name = "diviml";
  let summary = "Placement of tensor programs on heterogeneous platforms";
  let description = [{
    The `diviml` dialect describes a heterogeneous platform (devices and the
    links between them) and where each op of a tensor program runs.

    * `#diviml.device`, `#diviml.link` and `#diviml.platform` describe the
      machine; a module carries its platform as `diviml.platform`.
    * `diviml.device = "<name>"` on an op (or on an outlined function) says
      which device runs it.
    * `diviml.name = "<name>"` gives an op a stable name for reports.
    * `diviml.cost = #diviml.cost<...>` carries an op's estimated or profiled
      cost per device.
    * `diviml.colocate = "<group>"` asks that all ops of a group share a device.
    * `diviml.lowered` (unit) marks a function that diviml-lower-to-devices
      has lowered: it is neither partitioned nor lowered again.
    * `diviml.transfer` moves a tensor from one device to another.
  }];
  let cppNamespace = "::diviml";
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    static constexpr ::llvm::StringLiteral kPlatformAttrName = "diviml.platform";
    static constexpr ::llvm::StringLiteral kDeviceAttrName = "diviml.device";
    static constexpr ::llvm::StringLiteral kNameAttrName = "diviml.name";
    static constexpr ::llvm::StringLiteral kCostAttrName = "diviml.cost";
    static constexpr ::llvm::StringLiteral kColocateAttrName = "diviml.colocate";
    static constexpr ::llvm::StringLiteral kLoweredAttrName = "diviml.lowered";

    void registerAttributes();
  }];
}

class Diviml_Op<string mnemonic, list<Trait> traits = []> :
    Op<Diviml_Dialect, mnemonic, traits>;

#endif // DIVIML_DIALECT
