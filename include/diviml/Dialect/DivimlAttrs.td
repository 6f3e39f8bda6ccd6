//===- DivimlAttrs.td - Devices, links, platforms, costs ---*- tablegen -*-===//

#ifndef DIVIML_ATTRS
#define DIVIML_ATTRS

include "diviml/Dialect/DivimlDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

class Diviml_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Diviml_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Diviml_DeviceAttr : Diviml_Attr<"Device", "device"> {
  let summary = "A device of a heterogeneous platform";
  let description = [{
    ```mlir
    #diviml.device<"gpu0", gpu, peak_flops = 2.78e13, bandwidth = 7.68e11,
                   memory = 2.4e10, launch = 5.0e-6, slots = 1>
    ```
    `peak_flops` is the device's total FLOP/s, `bandwidth` its memory
    bandwidth in B/s, `memory` its capacity in bytes (omitted: unlimited),
    `launch` the fixed cost of one kernel in seconds, `slots` how many ops it
    runs at once; each running op gets 1/slots of the peak and the bandwidth.

    Optional, printed only when set:
    ```mlir
    #diviml.device<"dla", accel, peak_flops = 1.3e13, bandwidth = 2.0e11,
                   peak_f16 = 1.3e13, peak_int8 = 2.6e13,
                   unsupported = ["tosa.gather", "tosa.reduce_*"]>
    ```
    `peak_f16` is the FLOP/s of f16/bf16 arithmetic and `peak_int8` the op/s
    of 8-bit integer arithmetic (0 when not given: `peak_flops` applies);
    `unsupported` lists the op kinds the device cannot run, by full op name
    or by a prefix ending in `*`.

    The runtime keys of the platform JSON format (docs/formats.md) follow as
    `key = value` entries with builtin attribute values:
    ```mlir
    #diviml.device<"gpu", gpu, ..., dispatch = 2.26e-05,
                   dispatch_by_class = {conv = 9.15e-05},
                   efficiency = {conv = [[2.6e+06, 2.76e-03], [3.0e+10, 0.687]]}>
    ```
  }];
  let parameters = (ins
    StringRefParameter<"unique device name">:$name,
    AttrParameter<"::diviml::DeviceKind", "cpu, gpu or accel">:$kind,
    APFloatParameter<"">:$peakFlops,
    APFloatParameter<"">:$bandwidth,
    APFloatParameter<"">:$memory,
    APFloatParameter<"">:$launch,
    "unsigned":$slots,
    APFloatParameter<"f16/bf16 peak, 0 when not given">:$peakF16,
    APFloatParameter<"int8 peak, 0 when not given">:$peakInt8,
    ArrayRefParameter<"::mlir::StringAttr", "op kinds it cannot run">:$unsupported,
    AttrParameter<"::mlir::DictionaryAttr", "runtime keys">:$runtime
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

def Diviml_LinkAttr : Diviml_Attr<"Link", "link"> {
  let summary = "A directed link between two devices";
  let description = [{
    ```mlir
    #diviml.link<"cpu" -> "gpu0", bandwidth = 1.2e10, latency = 1.0e-5>
    ```
    Moving `b` bytes over the link takes `latency + b / bandwidth` seconds.
    `bandwidth = inf` models shared memory. Device pairs without a link are
    staged through the platform's host. The link keys of the JSON format
    that describe the runtime's copies follow as `key = value` entries
    (`pageable_bandwidth = 1.05e+10, host_memory = "pageable",
    synchronous = true, dispatch = 1.08e-05`).
  }];
  let parameters = (ins
    StringRefParameter<"source device">:$source,
    StringRefParameter<"target device">:$target,
    APFloatParameter<"">:$bandwidth,
    APFloatParameter<"">:$latency,
    AttrParameter<"::mlir::DictionaryAttr", "runtime keys">:$runtime
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

def Diviml_PlatformAttr : Diviml_Attr<"Platform", "platform"> {
  let summary = "Devices and links of a heterogeneous machine";
  let description = [{
    ```mlir
    #diviml.platform<"cpu-2gpu", host = "cpu", overlap = true,
      devices = [#diviml.device<...>, ...], links = [#diviml.link<...>, ...]>
    ```
    `host` names the device through which device pairs without a direct link
    are staged; `overlap` says whether transfers overlap computation (DMA
    engines) or occupy the sending and receiving devices. An optional
    `runtime = {flavour = "eager", host_threads = 1, host_ops_on_dispatch_thread
    = true}` says that the host's threads dispatch every op and copy
    (docs/objectives.md); it needs a `host`.
  }];
  let parameters = (ins
    StringRefParameter<"platform name">:$name,
    StringRefParameter<"host device, empty when none">:$host,
    "bool":$overlap,
    ArrayRefParameter<"DeviceAttr">:$devices,
    ArrayRefParameter<"LinkAttr">:$links,
    AttrParameter<"::mlir::DictionaryAttr", "runtime, empty when none">:$runtime
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The device called `name`, or null.
    DeviceAttr lookupDevice(::llvm::StringRef name) const;
  }];
}

def Diviml_CostAttr : Diviml_Attr<"Cost", "cost"> {
  let summary = "Estimated or profiled cost of an op";
  let description = [{
    ```mlir
    #diviml.cost<flops = 2.0e9, bytes = 1.2e7, output_bytes = 4.0e6,
                 memory = 8.0e6, times = {cpu = 3.1e-3, gpu0 = 1.2e-4}>
    ```
    `times` maps device names to seconds; a device that is absent cannot run
    the op. `output_bytes` is the size of the op's result as moved between
    devices, `memory` the bytes it keeps resident (weights + output).
  }];
  let parameters = (ins
    APFloatParameter<"">:$flops,
    APFloatParameter<"">:$bytes,
    APFloatParameter<"">:$outputBytes,
    APFloatParameter<"">:$memory,
    "::mlir::DictionaryAttr":$times
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

#endif // DIVIML_ATTRS
