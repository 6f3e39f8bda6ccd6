// A lowered module is never lowered again: lowering marks the function it
// rewrites `diviml.lowered`, and partition and lowering both skip it. Here
// every op is fastest on the home cpu, so the lowered @main holds no
// transfer and only the mark tells it apart from a fresh function.
// RUN: diviml-opt %s --diviml-partition=algorithm=greedy --diviml-lower-to-devices \
// RUN:   --diviml-partition=algorithm=greedy --diviml-lower-to-devices 2>&1 | FileCheck %s

// CHECK: warning: '@main' is already lowered to devices; not partitioned again
// CHECK: func.func @main({{.*}} attributes {diviml.lowered}
// CHECK-NEXT: call @main_cpu_0(
// CHECK-NEXT: return
// CHECK-COUNT-1: func.func private @main_cpu_
// CHECK-NOT: func.func

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    %a = arith.negf %x {diviml.name = "a", diviml.cost = #diviml.cost<output_bytes = 16.0,
        times = {cpu = 1.0e-6 : f64, gpu0 = 1.0e-3 : f64}>} : tensor<4xf32>
    return %a : tensor<4xf32>
  }
}
