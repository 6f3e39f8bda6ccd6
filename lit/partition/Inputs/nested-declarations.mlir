// A nested module that holds only a declaration: nothing to partition there.

module {
  func.func @outer(%x: tensor<16xf32>) -> tensor<16xf32> {
    %0 = math.exp %x : tensor<16xf32>
    return %0 : tensor<16xf32>
  }

  module @inner {
    func.func private @external(tensor<16xf32>) -> tensor<16xf32>
  }
}
