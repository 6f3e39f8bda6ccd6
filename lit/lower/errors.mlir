// RUN: diviml-opt %s -split-input-file -verify-diagnostics --diviml-lower-to-devices

#p = #diviml.platform<"p", host = "cpu", devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>, #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>]>
module attributes {diviml.platform = #p} {
  func.func @partial(%x: tensor<4xf32>) -> tensor<4xf32> {
    %a = math.exp %x {diviml.device = "gpu0"} : tensor<4xf32>
    // expected-error @+1 {{'math.tanh' op has no 'diviml.device'; run diviml-partition first}}
    %b = math.tanh %a : tensor<4xf32>
    return %b : tensor<4xf32>
  }
}

// -----

// Without a platform the device names cannot be checked: the verifier of the
// placement attribute passes, lowering refuses.
// expected-error @+1 {{ops carry 'diviml.device' but the module has no 'diviml.platform'; run diviml-partition first}}
func.func @orphan(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = math.exp %x {diviml.device = "gpu0"} : tensor<4xf32>
  return %a : tensor<4xf32>
}
