// Two devices of 100 bytes; three ops of 60 bytes each: every op fits a device
// alone, but any two of them overflow it, so no placement exists.
#p = #diviml.platform<"small", host = "cpu", devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11, memory = 100.0>, #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12, memory = 100.0>], links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>, #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>
module attributes {diviml.platform = #p} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    %a = math.exp %x {diviml.cost = #diviml.cost<memory = 60.0, output_bytes = 16.0, times = {cpu = 1.0 : f64, gpu0 = 1.0 : f64}>} : tensor<4xf32>
    %b = math.exp %a {diviml.cost = #diviml.cost<memory = 60.0, output_bytes = 16.0, times = {cpu = 1.0 : f64, gpu0 = 1.0 : f64}>} : tensor<4xf32>
    %c = math.exp %b {diviml.cost = #diviml.cost<memory = 60.0, output_bytes = 16.0, times = {cpu = 1.0 : f64, gpu0 = 1.0 : f64}>} : tensor<4xf32>
    return %c : tensor<4xf32>
  }
}
