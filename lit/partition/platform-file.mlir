// A platform read from a JSON file is attached to the module and used.
// RUN: diviml-opt %s --diviml-partition="platform=%S/../Inputs/cpu-gpu.json objective=throughput" | FileCheck %s
// RUN: diviml-opt %s --diviml-partition="platform=cpu-2gpu" | FileCheck %s --check-prefix=PRESET
// RUN: diviml-opt %s --diviml-partition 2>&1 | FileCheck %s --check-prefix=DEFAULT

// CHECK: diviml.platform = #diviml.platform<"cpu-gpu-file", host = "cpu", overlap = true, devices = [#diviml.device<"cpu", cpu, peak_flops = 1.000000e+12, bandwidth = 1.000000e+11, launch = 0.000000e+00, slots = 1>, #diviml.device<"gpu0", gpu, peak_flops = 1.000000e+13, bandwidth = 1.000000e+12, memory = 1.600000e+10, launch = 0.000000e+00, slots = 1>], links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.000000e+10, latency = 0.000000e+00>, #diviml.link<"gpu0" -> "cpu", bandwidth = 1.000000e+10, latency = 0.000000e+00>]>
// CHECK: tosa.matmul {{.*}}diviml.device = "{{cpu|gpu0}}"

// PRESET: diviml.platform = #diviml.platform<"cpu-2gpu", host = "cpu"
// PRESET-SAME: #diviml.device<"gpu0", gpu, peak_flops = 3.870000e+13
// PRESET-SAME: #diviml.device<"gpu1", gpu, peak_flops = 1.134000e+13

// DEFAULT: remark: no platform given and the module has no 'diviml.platform'; using preset 'cpu-2gpu'
// DEFAULT: diviml.platform = #diviml.platform<"cpu-2gpu"

func.func @main(%a: tensor<1x64x64xf32>, %b: tensor<1x64x64xf32>) -> tensor<1x64x64xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %0 = tosa.matmul %a, %b, %zp, %zp : (tensor<1x64x64xf32>, tensor<1x64x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x64x64xf32>
  return %0 : tensor<1x64x64xf32>
}
