// Scalars cross devices as call arguments, never through diviml.transfer (a
// tensor-only op); calls with side effects keep their program order even
// when data would allow a different one.
// RUN: diviml-opt %s --diviml-lower-to-devices | FileCheck %s
// RUN: diviml-opt %s --diviml-lower-to-devices | diviml-opt --verify-each > /dev/null

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>, %[[I:.*]]: index)
// CHECK: %[[R0:.*]]:2 = call @main_gpu0_0(%{{.*}}) : (tensor<4xf32>) -> (f32, tensor<4xf32>)
// CHECK-NOT: diviml.transfer %[[R0]]#0
// CHECK: call @main_cpu_1(%[[R0]]#0, %[[X]], %[[I]], %{{.*}})
// CHECK-NEXT: call @main_gpu0_2(
// CHECK-LABEL: func.func private @main_gpu0_0
// CHECK: call @log(
// CHECK-LABEL: func.func private @main_cpu_1
// CHECK: call @log(
// CHECK-LABEL: func.func private @main_gpu0_2
// CHECK: call @log(

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func private @log(tensor<4xf32>)
  func.func @main(%x: tensor<4xf32>, %i: index) -> tensor<4xf32> {
    %c0 = arith.constant 0 : index
    %a = math.exp %x {diviml.device = "gpu0"} : tensor<4xf32>
    func.call @log(%a) {diviml.device = "gpu0"} : (tensor<4xf32>) -> ()
    %s = tensor.extract %a[%c0] {diviml.device = "gpu0"} : tensor<4xf32>
    %b = tensor.insert %s into %x[%i] {diviml.device = "cpu"} : tensor<4xf32>
    func.call @log(%b) {diviml.device = "cpu"} : (tensor<4xf32>) -> ()
    // Independent of the cpu work by data, but logged after it.
    %c = math.sin %x {diviml.device = "gpu0"} : tensor<4xf32>
    func.call @log(%c) {diviml.device = "gpu0"} : (tensor<4xf32>) -> ()
    %d = arith.addf %b, %c {diviml.device = "cpu"} : tensor<4xf32>
    return %d : tensor<4xf32>
  }
}
