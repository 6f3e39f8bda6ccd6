// algorithm=given scores the placement the ops carry, on a platform whose
// runtime dispatches every op and blocks on copies; the numbers are computed
// by hand below.
// RUN: diviml-opt %s --diviml-partition="algorithm=given report=%t.json" | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=LAT < %t.json
// RUN: diviml-opt %s --diviml-partition="algorithm=given objective=throughput report=%t.tp.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=TP < %t.tp.json
//
// The argument (1e6 bytes) is on the host cpu; a is given gpu0, b the cpu.
// The copy up is blocking: the host issues it (1e-5) and waits for it
// (1e6 / 1e10 = 1e-4): 0 -> 1.1e-4. Dispatching a costs the host 2e-5, so a
// runs 1.3e-4 -> 2.3e-4. The copy down waits for gpu0 and takes 1.1e-4:
// 2.3e-4 -> 3.4e-4. b runs on the host thread for its dispatch (1e-4) and
// its time (1e-3): 3.4e-4 -> 1.44e-3. Host busy: 1.1e-4 + 2e-5 + 1.1e-4 +
// 1.1e-3 = 1.34e-3.
// LAT-DAG: "algorithm": "given"
// LAT-DAG: "value": 0.00144{{0*[0-9]?,?$}}
// LAT-DAG: "host_busy": 0.00134{{0*[0-9]?,?$}}
// LAT-DAG: "a": "gpu0"
// LAT-DAG: "b": "cpu"
// Throughput: the host spends 1.34e-3 per sample, more than any device
// (cpu 1.1e-3, gpu0 1e-4) or link (1e-4): it sets the time per sample.
// TP-DAG: "value": 0.00134{{0*[0-9]?,?$}}
// The op devices are kept as they are.
// IR: arith.negf {{.*}}diviml.device = "gpu0"
// IR: arith.negf {{.*}}diviml.device = "cpu"

// Ops without a device are an error at the first of them, unless complete=true
// places them with the default algorithm.
// RUN: not diviml-opt %S/Inputs/given-incomplete.mlir --diviml-partition="algorithm=given" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: given-incomplete.mlir:10:{{[0-9]+}}: error: algorithm=given needs a 'diviml.device' on every placed op; 1 op has none (this is the first; complete=true places them)
// RUN: diviml-opt %S/Inputs/given-incomplete.mlir --diviml-partition="algorithm=given complete=true report=%t.c.json" | FileCheck %s --check-prefix=COMPLETE
// COMPLETE: arith.negf {{.*}}diviml.device = "cpu"
// COMPLETE: arith.negf {{.*}}diviml.device = "gpu0"
// RUN: not diviml-opt %S/Inputs/given-unknown.mlir --diviml-partition="algorithm=given" -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: given-unknown.mlir:8:10: error: 'arith.negf' op 'diviml.device' names unknown device 'tpu'; platform 'rt' has: cpu, gpu0
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy complete=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=IGNORED
// IGNORED: warning: option 'complete' has no effect with algorithm=greedy; it completes algorithm=given

module attributes {diviml.platform = #diviml.platform<"rt", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11, dispatch = 1.0e-4>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12, dispatch = 2.0e-5>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10, synchronous = true, dispatch = 1.0e-5>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10, synchronous = true, dispatch = 1.0e-5>],
    runtime = {flavour = "eager", host_threads = 1, host_ops_on_dispatch_thread = true}>} {
  func.func @main(%x: tensor<250000xf32>) -> tensor<250000xf32> {
    %a = arith.negf %x {diviml.name = "a", diviml.device = "gpu0", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    %b = arith.negf %a {diviml.name = "b", diviml.device = "cpu", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    return %b : tensor<250000xf32>
  }
}
