// diviml-check-transfers finds a tensor read where it does not live: a call
// whose operand was not moved to the callee's device, a transfer from the
// wrong device, a placed op reading another device's value, a result not
// moved home.
// RUN: diviml-opt %s --diviml-check-transfers --split-input-file --verify-diagnostics

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{operand #0 lives on 'cpu' but is read on 'gpu0': a diviml.transfer is missing}}
    %0 = call @main_gpu0_0(%x) : (tensor<4xf32>) -> tensor<4xf32>
    // expected-error @+1 {{moves a tensor from 'cpu' but it lives on 'gpu0'}}
    %1 = diviml.transfer %0 from "cpu" to "gpu0" : tensor<4xf32>
    %2 = math.exp %1 {diviml.device = "gpu0"} : tensor<4xf32>
    // expected-error @+1 {{operand #0 lives on 'gpu0' but is read on 'cpu'}}
    %3 = math.sin %2 {diviml.device = "cpu"} : tensor<4xf32>
    // expected-error @+1 {{operand #0 lives on 'gpu0' but is read on 'cpu'}}
    return %2 : tensor<4xf32>
  }
  func.func private @main_gpu0_0(%x: tensor<4xf32>) -> tensor<4xf32> attributes {diviml.device = "gpu0", no_inline} {
    %0 = math.exp %x : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// -----

// A correct module passes and is left as it is.
module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    %0 = diviml.transfer %x from "cpu" to "gpu0" : tensor<4xf32>
    %1 = call @main_gpu0_0(%0) : (tensor<4xf32>) -> tensor<4xf32>
    %2 = diviml.transfer %1 from "gpu0" to "cpu" : tensor<4xf32>
    return %2 : tensor<4xf32>
  }
  func.func private @main_gpu0_0(%x: tensor<4xf32>) -> tensor<4xf32> attributes {diviml.device = "gpu0", no_inline} {
    %0 = math.exp %x : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}
