// A module whose @main calls other functions gets one answer: callees are
// inlined into their callers first (renamed <callee>/<op>) and are not
// partitioned on their own; a private callee left without callers is
// erased. The chain of lit/partition/hand-computed.mlir split over a call:
// the same 4e-4 s as one function, not two answers added up.
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy report=%t.json" | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// IR-NOT: func.func private @second
// IR-LABEL: func.func @main(
// IR: arith.negf {{.*}}diviml.device = "gpu0"{{.*}}diviml.name = "a"
// IR: arith.negf {{.*}}diviml.device = "gpu0"{{.*}}diviml.name = "second/b"
// IR-NOT: call
// IR: return

// REPORT:      "functions": [
// REPORT:        "name": "main",
// REPORT:        "placement": {
// REPORT-NEXT:     "a": "gpu0",
// REPORT-NEXT:     "second/b": "gpu0"
// REPORT-NEXT:   },
// REPORT:        "value": 0.0004{{0*[0-9]?$}}
// REPORT-NEXT:   }
// REPORT-NEXT: ],
// REPORT:      "value": 0.0004{{0*[0-9]?$}}

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func private @second(%y: tensor<250000xf32>) -> tensor<250000xf32> {
    %b = arith.negf %y {diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32> loc("b")
    return %b : tensor<250000xf32>
  }
  func.func @main(%x: tensor<250000xf32>) -> tensor<250000xf32> {
    %a = arith.negf %x {diviml.name = "a", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    %r = func.call @second(%a) : (tensor<250000xf32>) -> tensor<250000xf32>
    return %r : tensor<250000xf32>
  }
}
