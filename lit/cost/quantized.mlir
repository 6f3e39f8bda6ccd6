// Quantized TOSA (issue 14): diviml-opt reads `!quant.uniform` (it registers
// every upstream dialect, like mlir-opt), and the cost model computes on the
// storage type: an i8-quantized matmul takes the int8 peak (1e12 op/s here,
// 1000x the f32 peak) and its elements are 1 byte each.
// RUN: diviml-opt %s --diviml-annotate-costs | FileCheck %s
// 2 * 64^3 = 524288 ops at 1e12 op/s; bytes: 2 * 4096 (i8) + 16384 (i32) + 2
// (the zero points).
// CHECK: tosa.matmul
// CHECK-SAME: #diviml.cost<flops = 5.242880e+05, bytes = 2.457800e+04, output_bytes = 1.638400e+04, memory = 1.638600e+04, times = {cpu = 5.242880e-07 : f64}>

module attributes {diviml.platform = #diviml.platform<"hand", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e9, bandwidth = 1.0e15, peak_int8 = 1.0e12>]>} {
  func.func @main(%a: tensor<1x64x64x!quant.uniform<i8:f32, 0.1>>, %b: tensor<1x64x64x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x64x64xi32> {
    %azp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
    %bzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
    %0 = tosa.matmul %a, %b, %azp, %bzp : (tensor<1x64x64x!quant.uniform<i8:f32, 0.1>>, tensor<1x64x64x!quant.uniform<i8:f32, 0.1>>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x64x64xi32>
    return %0 : tensor<1x64x64xi32>
  }
}
