// An op's existing 'diviml.device' (an earlier run, a hand-written hint) is
// not a constraint: the partition replaces it and warns when it moves an op.
// Costs as in hand-computed.mlir, where greedy puts both ops on gpu0.
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy" -verify-diagnostics | FileCheck %s
// Running the partition again keeps its own placement: no warning.
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy" -verify-diagnostics | diviml-opt --diviml-partition="algorithm=greedy" 2>&1 | FileCheck %s --check-prefix=AGAIN

// CHECK: arith.negf {{.*}}diviml.device = "gpu0"
// CHECK: arith.negf {{.*}}diviml.device = "gpu0"
// AGAIN-NOT: warning
// AGAIN: diviml.device = "gpu0"
// AGAIN-NOT: warning

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  // expected-warning @+1 {{'@main': replaced the 'diviml.device' of 1 op (first 'a' from "cpu" to "gpu0"); existing device attributes are not placement constraints}}
  func.func @main(%x: tensor<250000xf32>) -> tensor<250000xf32> {
    %a = arith.negf %x {diviml.device = "cpu", diviml.name = "a",
        diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    // Already where the partition puts it: not counted.
    %b = arith.negf %a {diviml.device = "gpu0", diviml.name = "b",
        diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    return %b : tensor<250000xf32>
  }
}
