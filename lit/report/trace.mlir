// trace= writes the evaluator's schedule as Chrome/Perfetto trace JSON, one
// event per line. The chain of lit/partition/hand-computed.mlir: the
// argument moves cpu -> gpu0 in [0, 1e-4] s, a runs in [1e-4, 2e-4], b in
// [2e-4, 3e-4], b's result moves back in [3e-4, 4e-4] (the latency).
// Times in the trace are microseconds.
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy trace=%t.json report=%t.report.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=LAT < %t.json
// RUN: %python -c "import json; t = json.load(open('%t.json')); print(len(t['traceEvents']))" | FileCheck %s --check-prefix=VALID
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy objective=throughput trace=%t.tp.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=TP < %t.tp.json

// Tracks: a process per device with a thread per slot, one for the links.
// LAT: {"traceEvents": [
// LAT-NEXT: {"args":{"name":"cpu (cpu)"},"name":"process_name","ph":"M","pid":1}
// LAT: {"args":{"name":"slot 0"},"name":"thread_name","ph":"M","pid":1,"tid":0}
// LAT: {"args":{"name":"gpu0 (gpu)"},"name":"process_name","ph":"M","pid":2}
// LAT: {"args":{"name":"links"},"name":"process_name","ph":"M","pid":3}
// LAT: {"args":{"name":"cpu->gpu0"},"name":"thread_name","ph":"M","pid":3,"tid":0}
// LAT: {"args":{"name":"gpu0->cpu"},"name":"thread_name","ph":"M","pid":3,"tid":1}
// Slices in time order: the argument on link cpu->gpu0 with its bytes, the
// ops on gpu0's slot with their FLOPs and bytes and the evaluator's
// start/finish, the result on gpu0->cpu.
// LAT-NEXT: {"args":{"bytes":1000000,"function":"@main","link":"cpu->gpu0","tensor":"<arg0>"},"cat":"transfer","dur":100{{(\.0*[0-9]*)?}},"name":"<arg0>","ph":"X","pid":3,"tid":0,"ts":0}
// LAT-NEXT: {"args":{"bytes":7,"device":"gpu0","finish_seconds":0.0002{{0*[0-9]?}},"flops":5,"function":"@main","start_seconds":0.0001{{0*[0-9]?}}},"cat":"op","dur":100{{(\.0*[0-9]*)?}},"name":"a","ph":"X","pid":2,"tid":0,"ts":100{{(\.0*[0-9]*)?}}}
// LAT-NEXT: {"args":{"bytes":0,"device":"gpu0","finish_seconds":0.0003{{0*[0-9]?}},"flops":0,"function":"@main","start_seconds":0.0002{{0*[0-9]?}}},"cat":"op","dur":{{100(\.0*[0-9]*)?|99\.99999[0-9]*}},"name":"b","ph":"X","pid":2,"tid":0,"ts":200{{(\.0*[0-9]*)?}}}
// LAT-NEXT: {"args":{"bytes":1000000,"function":"@main","link":"gpu0->cpu","tensor":"b"},"cat":"transfer","dur":{{100|99\.9999}}{{[0-9.]*}},"name":"b","ph":"X","pid":3,"tid":1,"ts":{{300|299\.99999}}{{[0-9.]*}}}
// LAT-NEXT: ]
// LAT-NEXT: "displayTimeUnit": "ns"
// VALID: 14

// Throughput, period 2e-4 s (200 us): a device's work on a sample and each
// crossing are pipeline stages. The argument crosses in stage 1, a and b
// run in stage 2, b's result crosses in stage 3 and reaches the results in
// stage 4; period k works on sample k - stage. Periods 0 to 6 are shown,
// so samples 0, 1 and 2 complete.
// TP: "period":1,"sample":0,"tensor":"<arg0>"},"cat":"transfer","dur":{{100|99\.9999}}{{[0-9.]*}},"name":"<arg0>","ph":"X","pid":3,"tid":0,"ts":200{{[0-9.]*}}}
// TP: "period":2,"sample":0},"cat":"op","dur":{{100|99\.9999}}{{[0-9.]*}},"name":"a","ph":"X","pid":2,"tid":0,"ts":400{{[0-9.]*}}}
// TP: "period":2,"sample":0},"cat":"op","dur":{{100|99\.9999}}{{[0-9.]*}},"name":"b","ph":"X","pid":2,"tid":0,"ts":500{{[0-9.]*}}}
// TP: "period":3,"sample":0,"tensor":"b"},"cat":"transfer","dur":{{100|99\.9999}}{{[0-9.]*}},"name":"b","ph":"X","pid":3,"tid":1,"ts":600{{[0-9.]*}}}
// TP: "period":6,"sample":3,"tensor":"b"},"cat":"transfer"
// TP-NOT: "period":7

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<250000xf32>) -> tensor<250000xf32> {
    %a = arith.negf %x {diviml.name = "a", diviml.cost = #diviml.cost<flops = 5.0, bytes = 7.0, output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    %b = arith.negf %a {diviml.name = "b", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    return %b : tensor<250000xf32>
  }
}

// The bundled example on every preset: slices on named tracks that never
// overlap, and the latency trace ends at the report's value.
// RUN: for p in cpu-2gpu dgx-8gpu gpu-accel h200-node; do for o in latency throughput; do \
// RUN:   diviml-opt %diviml_src/examples/inception_block.mlir --diviml-partition="platform=$p objective=$o algorithm=greedy trace=%t.$p.$o.json report=%t.$p.$o.r.json" -o /dev/null && \
// RUN:   %python %S/Inputs/check_trace.py %t.$p.$o.json %t.$p.$o.r.json; done; done | sort | FileCheck %s --check-prefix=ALL
// ALL-COUNT-4: latency: {{[0-9]+}} slices, 0 overlaps, ends at value: True
// ALL-COUNT-4: throughput: {{[0-9]+}} slices, 0 overlaps{{$}}
// ALL-NOT: {{.}}
