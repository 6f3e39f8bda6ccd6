// A function without an explicit module, for the location of module-level errors.

func.func @main(%x: tensor<16xf32>) -> tensor<16xf32> {
  %0 = math.exp %x : tensor<16xf32>
  return %0 : tensor<16xf32>
}
