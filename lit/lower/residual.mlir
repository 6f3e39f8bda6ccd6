// A residual block spread over two devices: the main path (conv, relu) on
// gpu0, the shortcut projection and the add on the cpu. Lowering outlines one
// function per same-device region, moves every value that crosses devices
// with one diviml.transfer per (value, destination), and calls the regions in
// dependence order. The output re-parses and verifies.
// RUN: diviml-opt %s --diviml-lower-to-devices | FileCheck %s
// RUN: diviml-opt %s --diviml-lower-to-devices | diviml-opt --verify-each | FileCheck %s

// CHECK-LABEL: func.func @block(
// CHECK-SAME: %[[X:.*]]: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> attributes {diviml.lowered} {
// CHECK-NEXT:   %[[XG:.*]] = diviml.transfer %[[X]] from "cpu" to "gpu0" : tensor<1x8x8x4xf32>
// CHECK-NEXT:   %[[MAIN:.*]] = call @block_gpu0_0(%[[XG]]) : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
// CHECK-NEXT:   %[[BACK:.*]] = diviml.transfer %[[MAIN]] from "gpu0" to "cpu" : tensor<1x8x8x4xf32>
// CHECK-NEXT:   %[[SUM:.*]] = call @block_cpu_1(%[[X]], %[[BACK]]) : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
// CHECK-NEXT:   return %[[SUM]] : tensor<1x8x8x4xf32>

// Weights are cloned into the region that uses them.
// CHECK-LABEL: func.func private @block_gpu0_0(
// CHECK-SAME: attributes {diviml.device = "gpu0", no_inline}
// CHECK-DAG:    "tosa.const"() <{values = dense<{{.*}}> : tensor<4x3x3x4xf32>}>
// CHECK:        tosa.conv2d
// CHECK:        tosa.clamp
// CHECK-NOT:    tosa.add
// CHECK:        return

// CHECK-LABEL: func.func private @block_cpu_1(
// CHECK-SAME: attributes {diviml.device = "cpu", no_inline}
// CHECK:        tosa.mul
// CHECK:        tosa.add
// CHECK:        return

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10, latency = 1.0e-5>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10, latency = 1.0e-5>]>} {
  func.func @block(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
    %w = "tosa.const"() {values = dense<0.01> : tensor<4x3x3x4xf32>} : () -> tensor<4x3x3x4xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %scale = "tosa.const"() {values = dense<0.5> : tensor<1x1x1x4xf32>} : () -> tensor<1x1x1x4xf32>
    %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
    %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, diviml.device = "gpu0"} : (tensor<1x8x8x4xf32>, tensor<4x3x3x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
    %r = tosa.clamp %c {min_val = 0.0 : f32, max_val = 3.4e38 : f32, diviml.device = "gpu0"} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
    %s = tosa.mul %x, %scale, %shift {diviml.device = "cpu"} : (tensor<1x8x8x4xf32>, tensor<1x1x1x4xf32>, tensor<1xi8>) -> tensor<1x8x8x4xf32>
    %a = tosa.add %r, %s {diviml.device = "cpu"} : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
    return %a : tensor<1x8x8x4xf32>
  }
}
