// A two-op chain with annotated costs on a two-device platform; the numbers
// in the report are computed by hand below.
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy report=%t.json" | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=LAT < %t.json
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy objective=throughput report=%t.tp.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=TP < %t.tp.json
// RUN: diviml-opt %s --diviml-partition="algorithm=milp report=%t.milp.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=MILP < %t.milp.json
// RUN: diviml-opt %s --diviml-partition="algorithm=milp solver=cbc report=%t.cbc.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=MILP < %t.cbc.json
//
// The argument (1e6 bytes) lives on the host cpu. Link cpu<->gpu0 moves 1e6
// bytes in 1e6 / 1e10 = 1e-4 s. Greedy (earliest finish time):
//   a: cpu finishes at 1e-3; gpu0 at 1e-4 (arg transfer) + 1e-4 = 2e-4 -> gpu0
//   b: gpu0 at 2e-4 + 1e-4 = 3e-4; cpu at 2e-4 + 1e-4 + 1e-3 -> gpu0
//   result back to cpu: 3e-4 + 1e-4 = 4e-4 s.
// Lower bound: the critical path over (op, device) pairs with transfer times.
// The argument and the result are on the cpu; a and b finish no earlier than
// 1e-3 and 2e-3 on the cpu, 2e-4 and 3e-4 on gpu0 (free transfers would give
// 1e-4 and 2e-4); the result is back at 3e-4 + 1e-4 = 4e-4 (the LP of load
// balancing gives only 1.82e-4). So the bound proves greedy optimal: gap 0.
// Throughput: both ops on gpu0 load it 2e-4 s per sample; each link carries
// 1e-4 s per sample; any op on the cpu costs 1e-3. Time per sample 2e-4,
// 5000 samples/s. The LP bound splits the work: 2e-4 * (1 - y) = 2e-3 * y
// gives y = 1/11 and 2e-4 * 10/11 = 1.818e-4; the packing bound keeps ops
// whole: below 2e-4 neither op fits the cpu (1e-3) and both do not fit
// gpu0, so the bound is 2e-4 (less 1e-9 relative against rounding): greedy
// is optimal here too.

// The only other placements take 1.3e-3 s (a on gpu0, b on cpu) or more, so
// 4e-4 is optimal: the MILP proves it, and its bound closes the gap.
// MILP-DAG: "status": "optimal"
// MILP-DAG: "value": 0.0004{{0*[0-9]?,?$}}
// MILP-DAG: "lower_bound": 0.000{{39999[0-9]*|40000[0-9]*|4}},
// MILP-DAG: "a": "gpu0"

// IR: module attributes {diviml.platform = #diviml.platform<"two"
// IR: arith.negf {{.*}}diviml.device = "gpu0"
// IR: arith.negf {{.*}}diviml.device = "gpu0"

// LAT-DAG: "algorithm": "greedy"
// LAT-DAG: "objective": "latency"
// LAT-DAG: "status": "heuristic"
// LAT-DAG: "value": 0.0004{{0*[0-9]?,?$}}
// LAT-DAG: "lower_bound": 0.0004{{0*[0-9]?,?$}}
// LAT-DAG: "gap": 0,
// LAT-DAG: "a": "gpu0"
// LAT-DAG: "b": "gpu0"
// LAT-DAG: "solve_seconds":
// LAT-DAG: "name": "cpu"

// TP-DAG: "objective": "throughput"
// TP-DAG: "value": 0.0002{{0*[0-9]?,?$}}
// TP-DAG: "samples_per_second": 5000{{(\.0*[0-9]?)?,?$}}
// TP-DAG: "lower_bound": 0.000199999999{{[0-9]*}},
// TP-DAG: "lower_bound_source": "packing"

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<250000xf32>) -> tensor<250000xf32> {
    %a = arith.negf %x {diviml.name = "a", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    %b = arith.negf %a {diviml.name = "b", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    return %b : tensor<250000xf32>
  }
}
