// A module with a function of its own and one in a nested module.

module {
  func.func @outer(%x: tensor<16xf32>) -> tensor<16xf32> {
    %0 = math.exp %x : tensor<16xf32>
    return %0 : tensor<16xf32>
  }

  module @inner {
    func.func @inner(%x: tensor<16xf32>) -> tensor<16xf32> {
      %0 = math.exp %x : tensor<16xf32>
      return %0 : tensor<16xf32>
    }
  }
}
