// Ops of one device join one region unless that would make the region graph
// cyclic: a -> b -> c with a, c on gpu0 and b on cpu needs two gpu0 regions,
// while the independent d (gpu0) joins the first. A value used by two ops on
// another device is transferred once.
// RUN: diviml-opt %s --diviml-lower-to-devices | FileCheck %s

// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[T0:.*]] = diviml.transfer %[[X]] from "cpu" to "gpu0"
// CHECK-NEXT: %[[G0:.*]]:2 = call @chain_gpu0_0(%[[T0]])
// CHECK-NEXT: %[[T1:.*]] = diviml.transfer %[[G0]]#0 from "gpu0" to "cpu"
// CHECK-NEXT: %[[C1:.*]]:2 = call @chain_cpu_1(%[[T1]])
// CHECK-NEXT: %[[T2:.*]] = diviml.transfer %[[C1]]#0 from "cpu" to "gpu0"
// CHECK-NEXT: %[[T3:.*]] = diviml.transfer %[[C1]]#1 from "cpu" to "gpu0"
// CHECK-NEXT: %[[G2:.*]] = call @chain_gpu0_2(%[[T2]], %[[T3]], %[[G0]]#1)
// CHECK-NEXT: %[[T4:.*]] = diviml.transfer %[[G2]] from "gpu0" to "cpu"
// CHECK-NEXT: return %[[T4]]
// CHECK-NOT: diviml.transfer

// CHECK-LABEL: func.func private @chain_gpu0_0
// CHECK: math.exp
// CHECK: math.sin
// CHECK-LABEL: func.func private @chain_cpu_1
// CHECK: math.tanh
// CHECK: math.cos
// CHECK-LABEL: func.func private @chain_gpu0_2
// CHECK: arith.addf
// CHECK: arith.addf
// CHECK: arith.mulf

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @chain(%x: tensor<4xf32>) -> tensor<4xf32> {
    %a = math.exp %x {diviml.device = "gpu0"} : tensor<4xf32>
    %b = math.tanh %a {diviml.device = "cpu"} : tensor<4xf32>
    %d = math.sin %x {diviml.device = "gpu0"} : tensor<4xf32>
    %e = math.cos %b {diviml.device = "cpu"} : tensor<4xf32>
    %c = arith.addf %b, %b {diviml.device = "gpu0"} : tensor<4xf32>
    %f = arith.addf %c, %e {diviml.device = "gpu0"} : tensor<4xf32>
    %g = arith.mulf %f, %d {diviml.device = "gpu0"} : tensor<4xf32>
    return %g : tensor<4xf32>
  }
}
