// A device that declares op kinds unsupported gets no time for them, so no
// placement puts them there. Inputs/accel-platform.json has an accelerator
// 10x faster than the gpu that cannot run tosa.gather nor tosa.reduce_*.
// RUN: diviml-opt %s --diviml-annotate-costs="platform=%S/Inputs/accel-platform.json" | FileCheck %s
// RUN: diviml-opt %s --diviml-partition="platform=%S/Inputs/accel-platform.json" | FileCheck %s --check-prefix=PART
// The preset gpu-accel: its DLA cannot run gather, matmul or erf.
// RUN: diviml-opt %s --diviml-annotate-costs="platform=gpu-accel" | FileCheck %s --check-prefix=PRESET
// RUN: not diviml-opt %s --diviml-partition="platform=%S/Inputs/empty-unsupported-platform.json" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not diviml-opt %s --diviml-partition="platform=%S/Inputs/zero-f16-platform.json" 2>&1 | FileCheck %s --check-prefix=ZERO

// The JSON keys become the optional #diviml.device parameters.
// CHECK-LABEL: module attributes {diviml.platform = #diviml.platform<"accel-json"
// CHECK-SAME: #diviml.device<"cpu", cpu, peak_flops = 1.000000e+11, bandwidth = 1.000000e+10, launch = 0.000000e+00, slots = 1>
// CHECK-SAME: #diviml.device<"acc", accel, peak_flops = 1.000000e+13, bandwidth = 1.000000e+12, launch = 0.000000e+00, slots = 1, peak_f16 = 2.000000e+13, peak_int8 = 4.000000e+13, unsupported = ["tosa.gather", "tosa.reduce_*"]>
module {
  func.func @main(%idx: tensor<1x64xi32>) -> (tensor<1x64x1xf32>, tensor<1x64x64xf32>) {
    %table = "tosa.const"() <{values = dense<1.0> : tensor<1x1000x64xf32>}> : () -> tensor<1x1000x64xf32>
    // Bytes 2 * 16384 + 256 = 33024: gpu 3.3024e-7 s, cpu 3.3024e-6 s.
    // CHECK: tosa.gather {{.*}}times = {cpu = 3.302400e-06 : f64, gpu = 3.302400e-07 : f64}>
    // PART: tosa.gather {{.*}}diviml.device = "{{cpu|gpu}}"
    // PRESET: tosa.gather {{.*}}times = {cpu = {{[^,]*}}, gpu = {{[^,}]*}}}>
    %g = tosa.gather %table, %idx : (tensor<1x1000x64xf32>, tensor<1x64xi32>) -> tensor<1x64x64xf32>
    // CHECK: tosa.reduce_sum {{.*}}times = {cpu = {{[^,]*}}, gpu = {{[^,}]*}}}>
    // PART: tosa.reduce_sum {{.*}}diviml.device = "{{cpu|gpu}}"
    %s = tosa.reduce_sum %g {axis = 2 : i32} : (tensor<1x64x64xf32>) -> tensor<1x64x1xf32>
    // exp runs everywhere; the accelerator is fastest:
    // bytes 2 * 16384 = 32768: acc 3.2768e-8, gpu 3.2768e-7.
    // CHECK: tosa.exp {{.*}}times = {acc = 3.276800e-08 : f64, cpu = 3.276800e-06 : f64, gpu = 3.276800e-07 : f64}>
    // PART: tosa.exp {{.*}}diviml.device = "acc"
    // PRESET: tosa.exp {{.*}}times = {cpu = {{[^,]*}}, gpu = {{[^,}]*}}}>
    %e = tosa.exp %g : (tensor<1x64x64xf32>) -> tensor<1x64x64xf32>
    // PRESET: tosa.clamp {{.*}}times = {cpu = {{[^,]*}}, dla = {{[^,]*}}, gpu = {{[^,}]*}}}>
    %c = tosa.clamp %e {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x64x64xf32>) -> tensor<1x64x64xf32>
    return %s, %c : tensor<1x64x1xf32>, tensor<1x64x64xf32>
  }
}
// EMPTY: error: malformed platform file '{{.*}}empty-unsupported-platform.json': device 'acc': 'unsupported' must hold non-empty strings
// ZERO: error: malformed platform file '{{.*}}zero-f16-platform.json': device 'acc': 'peak_f16' must be a positive finite number
