module attributes {diviml.platform = #diviml.platform<"rt", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11, dispatch = 1.0e-4>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12, dispatch = 2.0e-5>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10, synchronous = true, dispatch = 1.0e-5>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10, synchronous = true, dispatch = 1.0e-5>],
    runtime = {flavour = "eager", host_threads = 1, host_ops_on_dispatch_thread = true}>} {
  func.func @main(%x: tensor<250000xf32>) -> tensor<250000xf32> {
    %a = arith.negf %x {diviml.name = "a", diviml.device = "cpu", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    %b = arith.negf %a {diviml.name = "b", diviml.cost = #diviml.cost<output_bytes = 1.0e6,
        times = {cpu = 1.0e-3 : f64, gpu0 = 1.0e-4 : f64}>} : tensor<250000xf32>
    return %b : tensor<250000xf32>
  }
}
