// diviml-strip leaves a module upstream tools read without the plugin: no
// diviml attribute, no transfer (its input is used instead), device
// functions inlinable again (their no_inline came from the lowering); the
// no_inline of another function stays.
// RUN: diviml-opt %s --diviml-strip | FileCheck %s
// RUN: diviml-opt %s --diviml-strip | %mlir_opt --inline | FileCheck %s --check-prefix=INLINE

// CHECK: module {
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = call @main_gpu0_0(%[[X]])
// CHECK-NEXT: %[[S:.*]] = call @keep(%[[R]])
// CHECK-NEXT: return %[[S]]
// CHECK: func.func private @main_gpu0_0(%{{.*}}: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT: math.exp %{{.*}} : tensor<4xf32>
// CHECK: func.func private @keep({{.*}} attributes {no_inline}
// CHECK-NOT: diviml

// INLINE-LABEL: func.func @main(
// INLINE-NEXT: math.exp
// INLINE-NEXT: call @keep(

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    %0 = diviml.transfer %x from "cpu" to "gpu0" : tensor<4xf32>
    %1 = call @main_gpu0_0(%0) : (tensor<4xf32>) -> tensor<4xf32>
    %2 = diviml.transfer %1 from "gpu0" to "cpu" : tensor<4xf32>
    %3 = call @keep(%2) {diviml.name = "keep"} : (tensor<4xf32>) -> tensor<4xf32>
    return %3 : tensor<4xf32>
  }
  func.func private @main_gpu0_0(%x: tensor<4xf32>) -> tensor<4xf32> attributes {diviml.device = "gpu0", no_inline} {
    %0 = math.exp %x {diviml.device = "gpu0", diviml.name = "exp", diviml.cost = #diviml.cost<times = {gpu0 = 1.0e-6 : f64}>} : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
  func.func private @keep(%x: tensor<4xf32>) -> tensor<4xf32> attributes {no_inline} {
    return %x : tensor<4xf32>
  }
}
