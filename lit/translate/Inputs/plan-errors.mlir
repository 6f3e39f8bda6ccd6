// Inputs of lit/translate/export-plan.mlir: modules --export-plan refuses.
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %a = tosa.abs %x {diviml.device = "cpu"} : (tensor<2xf32>) -> tensor<2xf32> loc("a")
  %b = tosa.abs %a : (tensor<2xf32>) -> tensor<2xf32> loc("b")
  return %b : tensor<2xf32>
}

// -----

func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %r = scf.execute_region -> tensor<2xf32> {
    scf.yield %x : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
func.func @g(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
