// Side effects across devices: two prints, each pinned by its cost to its own
// device (a device absent from `times` cannot run the op), on values that do
// not depend on each other, so that only the lowering's effect order keeps
// the first print first.
module {
  func.func private @printMemrefF32(tensor<*xf32> {bufferization.access = "read"}) attributes {llvm.emit_c_interface}
  func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %a = tosa.add %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %ua = tensor.cast %a {diviml.cost = #diviml.cost<times = {gpu0 = 1.0e-6 : f64}>} : tensor<2x3xf32> to tensor<*xf32>
    func.call @printMemrefF32(%ua) {diviml.cost = #diviml.cost<times = {gpu0 = 1.0e-6 : f64}>} : (tensor<*xf32>) -> ()
    %s = "tosa.const"() {values = dense<3.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
    %b = tosa.sub %x, %s : (tensor<2x3xf32>, tensor<1x1xf32>) -> tensor<2x3xf32>
    %ub = tensor.cast %b {diviml.cost = #diviml.cost<times = {gpu1 = 1.0e-6 : f64}>} : tensor<2x3xf32> to tensor<*xf32>
    func.call @printMemrefF32(%ub) {diviml.cost = #diviml.cost<times = {gpu1 = 1.0e-6 : f64}>} : (tensor<*xf32>) -> ()
    %c = tosa.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    return %c : tensor<2x3xf32>
  }
}
