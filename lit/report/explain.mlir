// The report explains its answer: comparison with fastest-single, busy time
// and utilisation per device and link, transfers, the critical path, and
// ops keyed by function. Every number below is computed by hand.
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy report=%t.json" -o /dev/null
// RUN: FileCheck %s < %t.json
//
// Two independent ops a and b take 1e-3 s on either GPU (1e-2 on the cpu);
// the argument (1000 bytes) starts on the cpu and every link moves 1000
// bytes in 1000 / 1e10 = 1e-7 s. Greedy (earliest finish):
//   a -> gpu0: the argument arrives at 1e-7, a finishes at 1.0001e-3;
//   b -> gpu1: its own link, so also 1.0001e-3 (gpu0 would give 2.0001e-3);
//   both results are back on the cpu at 1.0002e-3 = the latency.
// fastest-single puts both on gpu0: b finishes at 2.0001e-3, its result is
// back at 2.0002e-3. Gain 1e-3 s, speedup 2.0002e-3 / 1.0002e-3 = 1.99980004.
// Utilisation of gpu0: 1e-3 / 1.0002e-3 = 0.99980004; of cpu->gpu0:
// 1e-7 / 1.0002e-3 = 9.998e-5.
// Transfers: the argument to gpu0 and to gpu1, a and b back: 4 x 1000 bytes.
// Critical path, from the results back: b's tensor arrived with a's, and a
// comes first, so results <- a (1e-7 s of transfer) <- argument (1e-7 s):
// compute 1e-3, communication 2e-7, no waiting; one op.

// CHECK:      "critical_path": {
// CHECK-NEXT:   "communication_seconds": {{2.0000000[0-9]*e-07|1.9999999[0-9]*e-07}},
// CHECK-NEXT:   "communication_share": 0.0001999600{{[0-9]*}},
// CHECK-NEXT:   "compute_seconds": 0.001,
// CHECK-NEXT:   "compute_share": 0.99980003{{[0-9]*}},
// CHECK-NEXT:   "ops": 1,
// CHECK-NEXT:   "waiting_seconds": {{0|[0-9.]+e-(1[5-9]|2[0-9])}}
// CHECK-NEXT: },
// CHECK:      "name": "gpu0",
// CHECK-NEXT: "ops": 1,
// CHECK-NEXT: "slots": 1,
// CHECK-NEXT: "utilisation": 0.99980003{{[0-9]*}}
// CHECK:      "fastest_single": {
// CHECK-NEXT:   "gain_seconds": {{0.001|0.00099999999[0-9]*|0.0010000000[0-9]*}},
// CHECK-NEXT:   "speedup": 1.9998000{{[0-9]*}},
// CHECK-NEXT:   "value": 0.0020002{{0*[0-9]?}}
// CHECK-NEXT: },
// Per function: the placement keyed by op, the same comparison.
// CHECK:      "functions": [
// CHECK:        "name": "main",
// CHECK:        "placement": {
// CHECK-NEXT:     "a": "gpu0",
// CHECK-NEXT:     "b": "gpu1"
// CHECK-NEXT:   },
// CHECK:        "transfers": {
// CHECK-NEXT:     "bytes": 4000,
// CHECK-NEXT:     "count": 4
// CHECK-NEXT:   },
// CHECK:      "links": [
// CHECK-NEXT:   {
// CHECK-NEXT:     "busy_seconds": {{1.0000000[0-9]*e-07|9.9999999[0-9]*e-08}},
// CHECK-NEXT:     "bytes": 1000,
// CHECK-NEXT:     "name": "cpu->gpu0",
// CHECK-NEXT:     "utilisation": 9.998000{{[0-9]*}}e-05
// CHECK-NEXT:   },
// CHECK:      "status": "heuristic",
// CHECK:      "value": 0.0010002{{0*[0-9]?}}

module attributes {diviml.platform = #diviml.platform<"three", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>,
               #diviml.device<"gpu1", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>,
             #diviml.link<"cpu" -> "gpu1", bandwidth = 1.0e10>,
             #diviml.link<"gpu1" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<250xf32>) -> (tensor<250xf32>, tensor<250xf32>) {
    %a = arith.negf %x {diviml.name = "a", diviml.cost = #diviml.cost<output_bytes = 1.0e3,
        times = {cpu = 1.0e-2 : f64, gpu0 = 1.0e-3 : f64, gpu1 = 1.0e-3 : f64}>} : tensor<250xf32>
    %b = math.exp %x {diviml.name = "b", diviml.cost = #diviml.cost<output_bytes = 1.0e3,
        times = {cpu = 1.0e-2 : f64, gpu0 = 1.0e-3 : f64, gpu1 = 1.0e-3 : f64}>} : tensor<250xf32>
    return %a, %b : tensor<250xf32>, tensor<250xf32>
  }
}
