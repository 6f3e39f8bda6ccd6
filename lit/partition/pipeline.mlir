// The diviml-pipeline forwards its options to diviml-partition, then lowers.
// RUN: diviml-opt %s --pass-pipeline='builtin.module(diviml-pipeline{algorithm=milp solver=cbc time-limit=5 report=%t.json})' | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: diviml-opt %s --pass-pipeline='builtin.module(diviml-pipeline{algorithm=fastest-single objective=throughput})' | FileCheck %s --check-prefix=SINGLE

// CHECK: diviml.transfer %{{.*}} from "cpu" to "gpu0"
// CHECK: call @main_gpu0_0
// CHECK: func.func private @main_gpu0_0({{.*}}) -> {{.*}} attributes {diviml.device = "gpu0", no_inline}
// REPORT-DAG: "algorithm": "milp"
// REPORT-DAG: "status": "optimal"

// fastest-single: the whole function on the one device that runs it fastest.
// SINGLE: func.func private @main_gpu0_0
// SINGLE-NOT: func.func private

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<250000xf32>) -> tensor<250000xf32> {
    %a = math.exp %x {diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    %b = math.exp %a {diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    return %b : tensor<250000xf32>
  }
}
