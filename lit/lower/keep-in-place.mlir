// outline=false: ops stay in @main with their device; one transfer per
// (value, destination device), right before its first user there; values
// captured by a region are moved too; constants are not; the result goes
// back to the home device. The output passes diviml-check-transfers.
// RUN: diviml-opt %s --diviml-lower-to-devices=outline=false | FileCheck %s
// RUN: diviml-opt %s --diviml-lower-to-devices=outline=false --diviml-check-transfers --verify-each > /dev/null
// Running it again adds nothing.
// RUN: diviml-opt %s --diviml-lower-to-devices=outline=false --diviml-lower-to-devices=outline=false | FileCheck %s
// Through the pipeline option too.
// RUN: diviml-opt %s --pass-pipeline='builtin.module(diviml-pipeline{algorithm=greedy outline=false})' | FileCheck %s --check-prefix=PIPE

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>)
// CHECK-NOT: func.call
// CHECK: %[[C:.*]] = arith.constant
// CHECK-NEXT: %[[TX:.*]] = diviml.transfer %[[X]] from "cpu" to "gpu0"
// CHECK-NEXT: %[[A:.*]] = math.exp %[[TX]] {diviml.device = "gpu0"}
// CHECK-NEXT: %[[B:.*]] = math.sin %[[TX]] {diviml.device = "gpu0"}
// CHECK-NEXT: %[[TA:.*]] = diviml.transfer %[[A]] from "gpu0" to "cpu"
// CHECK-NEXT: %[[D:.*]] = arith.addf %[[TA]], %[[C]] {diviml.device = "cpu"}
// CHECK-NEXT: %[[TD:.*]] = diviml.transfer %[[D]] from "cpu" to "gpu0"
// CHECK-NEXT: %[[E:.*]] = scf.execute_region
// CHECK-NEXT: arith.mulf %[[TD]], %[[TD]]
// CHECK: } {diviml.device = "gpu0"}
// CHECK-NEXT: %[[TB:.*]] = diviml.transfer %[[B]] from "gpu0" to "cpu"
// CHECK-NEXT: %[[TE:.*]] = diviml.transfer %[[E]] from "gpu0" to "cpu"
// CHECK-NEXT: return %[[TB]], %[[TE]]
// CHECK-NOT: diviml.transfer
// CHECK-NOT: func.func

// PIPE-LABEL: func.func @main(
// PIPE-NOT: call
// PIPE: diviml.device =
// PIPE: return

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
    %c = arith.constant dense<1.0> : tensor<4xf32>
    %a = math.exp %x {diviml.device = "gpu0"} : tensor<4xf32>
    %b = math.sin %x {diviml.device = "gpu0"} : tensor<4xf32>
    %d = arith.addf %a, %c {diviml.device = "cpu"} : tensor<4xf32>
    %e = scf.execute_region -> tensor<4xf32> {
      %m = arith.mulf %d, %d : tensor<4xf32>
      scf.yield %m : tensor<4xf32>
    } {diviml.device = "gpu0"}
    return %b, %e : tensor<4xf32>, tensor<4xf32>
  }
}
