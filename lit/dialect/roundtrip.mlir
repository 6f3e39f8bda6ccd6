// Every attribute and op of the dialect prints in a form that parses back to
// the same IR, in the custom and in the generic form.
// RUN: diviml-opt %s | diviml-opt | FileCheck %s
// RUN: diviml-opt %s --mlir-print-op-generic | diviml-opt | FileCheck %s

// CHECK-LABEL: module attributes {diviml.platform = #diviml.platform<"rt", host = "cpu", overlap = false, devices = [
// CHECK-SAME: #diviml.device<"cpu", cpu, peak_flops = 1.000000e+12, bandwidth = 1.000000e+11, launch = 0.000000e+00, slots = 8>
// CHECK-SAME: #diviml.device<"gpu0", gpu, peak_flops = 2.500000e+13, bandwidth = 9.000000e+11, memory = 1.600000e+10, launch = 5.000000e-06, slots = 1>
// CHECK-SAME: #diviml.device<"npu", accel, peak_flops = 1.000000e+14, bandwidth = inf, memory = 8.000000e+09, launch = 9.9999999999999995E-7, slots = 2, peak_f16 = 2.000000e+14, peak_int8 = 4.000000e+14, unsupported = ["tosa.gather", "tosa.reduce_*"]>
// CHECK-SAME: links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.200000e+10, latency = 1.000000e-05>, #diviml.link<"gpu0" -> "cpu", bandwidth = inf, latency = 0.000000e+00>]>
module attributes {diviml.platform = #diviml.platform<"rt", host = "cpu", overlap = false,
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11, slots = 8>,
               #diviml.device<"gpu0", gpu, slots = 1, peak_flops = 2.5e13, bandwidth = 9.0e11, memory = 1.6e10, launch = 5.0e-6>,
               #diviml.device<"npu", accel, unsupported = ["tosa.gather", "tosa.reduce_*"], peak_int8 = 4.0e14,
                              peak_flops = 1.0e14, bandwidth = inf, memory = 8.0e9, launch = 1.0e-6, slots = 2, peak_f16 = 2.0e14>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.2e10, latency = 1.0e-5>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = inf>]>} {
  // CHECK-LABEL: func.func @f
  // CHECK-SAME: attributes {diviml.device = "gpu0"}
  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> attributes {diviml.device = "gpu0"} {
    // CHECK: %[[T:.*]] = diviml.transfer %{{.*}} from "cpu" to "gpu0" : tensor<4xf32>
    %0 = diviml.transfer %arg0 from "cpu" to "gpu0" : tensor<4xf32>
    // CHECK: arith.addf %[[T]], %[[T]] {diviml.colocate = "g", diviml.cost = #diviml.cost<flops = 4.000000e+00, bytes = 4.800000e+01, output_bytes = 1.600000e+01, memory = 1.600000e+01, times = {cpu = 9.9999999999999995E-7 : f64, gpu0 = 2.000000e-07 : f64}>, diviml.device = "gpu0", diviml.name = "add"}
    %1 = arith.addf %0, %0 {diviml.device = "gpu0", diviml.name = "add", diviml.colocate = "g",
        diviml.cost = #diviml.cost<flops = 4.0, bytes = 48.0, output_bytes = 16.0, memory = 16.0,
                                   times = {cpu = 1.0e-6 : f64, gpu0 = 2.0e-7 : f64}>} : tensor<4xf32>
    // CHECK: diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 0.000000e+00, output_bytes = 0.000000e+00, memory = 0.000000e+00, times = {}>
    %2 = arith.negf %1 {diviml.cost = #diviml.cost<>} : tensor<4xf32>
    // Integers with more than six significant digits print as decimals.
    // CHECK: diviml.cost = #diviml.cost<flops = 4194304.0, bytes = 123456789.0, output_bytes = 1.000000e+00, memory = 1.000000e+00, times = {}>
    %4 = arith.negf %2 {diviml.cost = #diviml.cost<flops = 4194304.0, bytes = 123456789.0, output_bytes = 1.0, memory = 1.0>} : tensor<4xf32>
    %3 = diviml.transfer %2 from "gpu0" to "cpu" : tensor<4xf32>
    return %3 : tensor<4xf32>
  }
}
