//===- DivimlOps.td - diviml operations --------------------*- tablegen -*-===//

#ifndef DIVIML_OPS
#define DIVIML_OPS

include "diviml/Dialect/DivimlDialect.td"
include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Diviml_TransferOp : Diviml_Op<"transfer", [
    Pure, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<BufferizableOpInterface, [
      "bufferizesToAllocation", "bufferizesToMemoryRead",
      "bufferizesToMemoryWrite", "getAliasingValues", "bufferize",
      "getBufferType"]>]> {
  let summary = "Moves a tensor from one device to another";
  let description = [{
    ```mlir
    %1 = diviml.transfer %0 from "cpu" to "gpu0" : tensor<1x64xf32>
    ```
    Both devices must be named in the `diviml.platform` of the enclosing module
    and must differ.

    Bufferization (`one-shot-bufferize`): the result is a new buffer with an
    identity layout in the default memory space, allocated with the
    bufferization options' allocator and filled by their copy function
    (`memref.alloc` + `memref.copy` by default): a copy into memory of the
    destination device, executed by the host when the program runs on one
    machine.
  }];
  let arguments = (ins AnyTensor:$input, StrAttr:$source, StrAttr:$target);
  let results = (outs AnyTensor:$result);
  let assemblyFormat =
      "$input `from` $source `to` $target attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Diviml_NodeOp : Diviml_Op<"node", [NoMemoryEffect]> {
  let summary = "An opaque op of a placement problem written as IR";
  let description = [{
    ```mlir
    %2 = diviml.node(%0, %1 : tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
           {diviml.name = "7", diviml.cost = #diviml.cost<...>}
    ```
    Stands for a computation whose cost is known only through its
    `diviml.cost` attribute, e.g. a node of a profiled workload imported by
    `diviml-translate --import-msr-json`. It is never rematerialised, even
    without inputs.
  }];
  let arguments = (ins Variadic<AnyTensor>:$inputs);
  let results = (outs AnyTensor:$result);
  let assemblyFormat = [{
    (`(` $inputs^ `:` type($inputs) `)`)? `->` type($result) attr-dict
  }];
  let hasVerifier = 1;
}

#endif // DIVIML_OPS
