// A function without tensor ops (partition warns about it) and one with.
module {
  func.func @scalar(%x: f32) -> f32 {
    %0 = arith.negf %x : f32
    return %0 : f32
  }
  func.func @main(%x: tensor<16xf32>) -> tensor<16xf32> {
    %0 = math.exp %x : tensor<16xf32>
    return %0 : tensor<16xf32>
  }
}
