// A profiled table overrides the roofline for the ops it names, and only
// for them. Inputs/profile.json has
//   - tosa.conv2d with these exact operand/result types, stride 1 and pad 1:
//     gpu 0.5 s, cpu 1e-3 s (by device kind);
//   - tosa.exp with any types: gpu 2.5e-4 s (kind), npu 7e-4 s (by name;
//     a name wins over a kind).
// RUN: diviml-opt %s --diviml-annotate-costs="profile=%S/Inputs/profile.json" | FileCheck %s
// The partition pass reads the same table: without it the conv runs on
// the gpu (the npu is as fast); measured slow there, it moves to the npu.
// RUN: diviml-opt %s --diviml-partition="profile=%S/Inputs/profile.json" | FileCheck %s --check-prefix=PART
// RUN: diviml-opt %s --diviml-partition | FileCheck %s --check-prefix=NOPROF
// RUN: not diviml-opt %s --diviml-annotate-costs="profile=%S/Inputs/bad-profile.json" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not diviml-opt %s --diviml-partition="profile=%S/Inputs/typo-profile.json" 2>&1 | FileCheck %s --check-prefix=TYPO
// RUN: not diviml-opt %s --diviml-partition="profile=%S/Inputs/missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING

module attributes {diviml.platform = #diviml.platform<"hand", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e11, bandwidth = 1.0e10>,
               #diviml.device<"gpu", gpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"npu", accel, peak_flops = 1.0e12, bandwidth = 1.0e11>],
    links = [#diviml.link<"cpu" -> "gpu", bandwidth = 1.0e10>, #diviml.link<"gpu" -> "cpu", bandwidth = 1.0e10>,
             #diviml.link<"cpu" -> "npu", bandwidth = 1.0e10>, #diviml.link<"npu" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%in: tensor<1x8x8x4xf32>) -> (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>, tensor<1x8x8x4xf32>) {
    %w = "tosa.const"() <{values = dense<1.0> : tensor<16x3x3x4xf32>}> : () -> tensor<16x3x3x4xf32>
    %bias = "tosa.const"() <{values = dense<0.0> : tensor<16xf32>}> : () -> tensor<16xf32>
    %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    // Measured on cpu and gpu; npu keeps the roofline: FLOPs and bytes as
    // in tosa.mlir (73728, 7496): max(7.3728e-8, 7.496e-8) = 7.496e-8.
    // CHECK: tosa.conv2d {{.*}}diviml.cost = #diviml.cost<flops = 7.372800e+04, bytes = 7.496000e+03, output_bytes = 4.096000e+03, memory = 6.468000e+03, times = {cpu = 1.000000e-03 : f64, gpu = 5.000000e-01 : f64, npu = 7.496000e-08 : f64}>
    // PART: tosa.conv2d {{.*}}diviml.device = "npu"
    // NOPROF: tosa.conv2d {{.*}}diviml.device = "gpu"
    %conv = tosa.conv2d %in, %w, %bias, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<16x3x3x4xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
    // Stride 2 (and pad) make another signature: roofline everywhere. FLOPs 2 * 4*4*16
    // * 36 = 18432; bytes 1024 + 2304 + 64 + 8 + 1024 = 4424;
    // gpu max(1.8432e-8, 4.424e-8) = 4.424e-8.
    // CHECK: tosa.conv2d {{.*}}diviml.cost = #diviml.cost<flops = 1.843200e+04, bytes = 4.424000e+03, {{.*}}gpu = 4.424000e-08 : f64
    %conv2 = tosa.conv2d %in, %w, %bias, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>, tensor<16x3x3x4xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x16xf32>
    %mult = tosa.const_shape {values = dense<[1, 2, 2, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %up = tosa.tile %conv2, %mult : (tensor<1x4x4x16xf32>, !tosa.shape<4>) -> tensor<1x8x8x16xf32>
    // exp: no cpu entry, so the cpu keeps its roofline
    // max(256/1e11, 2048/1e10) = 2.048e-7.
    // CHECK: tosa.exp {{.*}}diviml.cost = #diviml.cost<flops = 2.560000e+02, bytes = 2.048000e+03, output_bytes = 1.024000e+03, memory = 1.024000e+03, times = {cpu = 2.048000e-07 : f64, gpu = 2.500000e-04 : f64, npu = 7.000000e-04 : f64}>
    %exp = tosa.exp %in : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
    return %conv, %up, %exp : tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>, tensor<1x8x8x4xf32>
  }
}
// BAD: error: malformed profile '{{.*}}bad-profile.json': entries[0] ('tosa.conv2d'): 'operands': cannot parse 'tensor<1x8xq32>'
// TYPO: error: malformed profile '{{.*}}typo-profile.json': entries[0] has unknown key 'time'; expected op, operands, results, attributes, times, description
// MISSING: error: cannot read profile '{{.*}}missing.json': No such file or directory
