// With a runtime, the trace has a track for each host thread: here one
// thread issues each gpu0 op in 1e-5 s without waiting for it. a is issued
// in [0, 10] us and b in [10, 20] us; the ops still run when their inputs
// are there: a in [100, 200] us, b in [200, 300] us (the argument's copy
// takes 1e6 / 1e10 s = 100 us). The report's host_busy is 2e-5.
// Arguments and results are no work: the host track has no slice for them.
// RUN: diviml-opt %s --diviml-partition="platform=%S/Inputs/runtime.json algorithm=greedy trace=%t.json report=%t.report.json" -o /dev/null
// RUN: FileCheck %s --implicit-check-not="run <" < %t.json
// RUN: FileCheck %s --check-prefix=REPORT < %t.report.json

// CHECK: {"args":{"name":"host runtime (eager)"},"name":"process_name","ph":"M","pid":4}
// CHECK: {"args":{"name":"thread 0"},"name":"thread_name","ph":"M","pid":4,"tid":0}
// CHECK: "cat":"host","dur":10{{(\.0*[0-9]*)?}},"name":"dispatch a","ph":"X","pid":4,"tid":0,"ts":0}
// CHECK: "cat":"host","dur":10{{(\.0*[0-9]*)?}},"name":"dispatch b","ph":"X","pid":4,"tid":0,"ts":10{{(\.0*[0-9]*)?}}}
// CHECK: "cat":"op","dur":100{{(\.0*[0-9]*)?}},"name":"a","ph":"X","pid":2,"tid":0,"ts":100{{(\.0*[0-9]*)?}}}
// CHECK: "cat":"op","dur":{{100|99\.9999}}{{[0-9.]*}},"name":"b","ph":"X","pid":2,"tid":0,"ts":200{{(\.0*[0-9]*)?}}}
// REPORT: "host_busy": 2.0000000{{[0-9]*}}e-05,

module {
  func.func @main(%x: tensor<250000xf32>) -> tensor<250000xf32> {
    %a = arith.negf %x {diviml.name = "a", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    %b = arith.negf %a {diviml.name = "b", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    return %b : tensor<250000xf32>
  }
}
