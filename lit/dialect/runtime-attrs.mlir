// The runtime keys of devices, links and platforms print in a form that parses
// back to the same attribute, and bad ones are located errors.
// RUN: diviml-opt %s --split-input-file --verify-diagnostics | FileCheck %s
// RUN: diviml-opt %s --split-input-file --verify-diagnostics | diviml-opt --split-input-file --verify-diagnostics | FileCheck %s

// CHECK: #diviml.platform<"rt", host = "cpu", overlap = true, devices = [
// CHECK-SAME: #diviml.device<"cpu", cpu, peak_flops = 1.000000e+12, bandwidth = 1.000000e+11, launch = 0.000000e+00, slots = 1, dispatch = 1.000000e-04 : f64, dispatch_by_class = {view = 2.000000e-05 : f64}, first_touch_bandwidth = 9.000000e+09 : f64>
// CHECK-SAME: #diviml.device<"gpu", gpu, peak_flops = 5.000000e+13, bandwidth = 4.000000e+12, launch = 0.000000e+00, slots = 1, dispatch = 2.000000e-05 : f64, efficiency = {conv = {{\[\[}}1.000000e+06, 1.000000e-01], [1.000000e+09, 8.000000e-01]]}>
// CHECK-SAME: #diviml.link<"cpu" -> "gpu", bandwidth = 5.000000e+10, latency = 1.000000e-05, dispatch = 1.000000e-05 : f64, host_memory = "pageable", pageable_bandwidth = 1.500000e+10 : f64, synchronous = true>
// CHECK-SAME: runtime = {flavour = "eager", host_ops_on_dispatch_thread = true, host_threads = 1 : i64}>
module attributes {diviml.platform = #diviml.platform<"rt", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11, dispatch = 1.0e-4,
                              dispatch_by_class = {view = 2.0e-5}, first_touch_bandwidth = 9.0e9>,
               #diviml.device<"gpu", gpu, peak_flops = 5.0e13, bandwidth = 4.0e12, dispatch = 2.0e-5,
                              efficiency = {conv = [[1.0e6, 0.1], [1.0e9, 0.8]]}>],
    links = [#diviml.link<"cpu" -> "gpu", bandwidth = 5.0e10, latency = 1.0e-5, pageable_bandwidth = 1.5e10,
                          host_memory = "pageable", synchronous = true, dispatch = 1.0e-5>],
    runtime = {flavour = "eager", host_threads = 1, host_ops_on_dispatch_thread = true}>} {}

// -----

// expected-error @+1 {{device 'a': 'dispatch' must be a non-negative finite number}}
module attributes {x.d = #diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0, dispatch = -1.0>} {}

// -----

// expected-error @+1 {{device 'a': 'efficiency.conv' must hold [size, efficiency] pairs of positive finite numbers}}
module attributes {x.d = #diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0, efficiency = {conv = [[1.0, 0.0]]}>} {}

// -----

// expected-error @+1 {{link 'a' -> 'b': a link's 'host_memory' must be "pinned" or "pageable", not 'paged'}}
module attributes {x.l = #diviml.link<"a" -> "b", bandwidth = 1.0, host_memory = "paged">} {}

// -----

// expected-error @+1 {{platform 'p' has a runtime but no host to dispatch from}}
module attributes {x.p = #diviml.platform<"p", devices = [#diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0>], links = [],
    runtime = {flavour = "eager"}>} {}

// -----

// expected-error @+1 {{platform 'p': the runtime's 'host_threads' must be an integer from 1 to 4096}}
module attributes {x.p = #diviml.platform<"p", host = "a", devices = [#diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0>], links = [],
    runtime = {host_threads = 0}>} {}
