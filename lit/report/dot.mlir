// dot= writes the placed op graph as Graphviz DOT: a legend of devices, a
// cluster per (function, device), ops filled with their device's colour and
// labelled with their time there, the argument and the results as
// ellipses, and the edges that cross devices in red with their bytes and
// transfer time (1e6 bytes over 1e10 B/s = 100 us).
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy dot=%t.dot" -o /dev/null
// RUN: FileCheck %s < %t.dot

// CHECK:      digraph diviml {
// CHECK:        subgraph cluster_legend {
// CHECK:          legend_0 [label="cpu (cpu)", fillcolor="[[CPU:#[0-9a-f]+]]"];
// CHECK-NEXT:     legend_1 [label="gpu0 (gpu)", fillcolor="[[GPU:#[0-9a-f]+]]"];
// CHECK:        subgraph cluster_f0_d0 {
// CHECK-NEXT:     label="@main on cpu";
// CHECK:          f0_n2 [label="<arg0>", shape=ellipse, fillcolor=white];
// CHECK-NEXT:     f0_n3 [label="<results>", shape=ellipse, fillcolor=white];
// CHECK:        subgraph cluster_f0_d1 {
// CHECK-NEXT:     label="@main on gpu0";
// CHECK:          f0_n0 [label="a\n100.0 us", fillcolor="[[GPU]]"];
// CHECK-NEXT:     f0_n1 [label="b\n100.0 us", fillcolor="[[GPU]]"];
// CHECK:        f0_n2 -> f0_n0 [color="#d62728", penwidth=2, label="1.00 MB\n100.0 us"];
// CHECK-NEXT:   f0_n0 -> f0_n1;
// CHECK-NEXT:   f0_n1 -> f0_n3 [color="#d62728", penwidth=2, label="1.00 MB\n100.0 us"];
// CHECK-NEXT: }

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
