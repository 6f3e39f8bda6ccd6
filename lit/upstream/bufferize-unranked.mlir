// A transfer of an unranked tensor has no shape to allocate: bufferization
// fails with an error at the transfer instead of asserting.
// RUN: %mlir_opt %s --load-dialect-plugin=%diviml_plugin --verify-diagnostics --one-shot-bufferize

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<*xf32>) -> tensor<*xf32> {
    // expected-error @+2 {{cannot bufferize a transfer of an unranked tensor}}
    // expected-error @+1 {{failed to bufferize op}}
    %0 = diviml.transfer %x from "cpu" to "gpu0" : tensor<*xf32>
    return %0 : tensor<*xf32>
  }
}
