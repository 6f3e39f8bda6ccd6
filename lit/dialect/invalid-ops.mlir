// Every verifier message of diviml.transfer and of the diviml.* attributes on
// ops, located at the offending op.
// RUN: diviml-opt %s -split-input-file -verify-diagnostics

#p = #diviml.platform<"p", host = "cpu", devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>, #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>]>

module attributes {diviml.platform = #p} {
  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{'diviml.transfer' op moves a tensor from 'cpu' to itself}}
    %0 = diviml.transfer %arg0 from "cpu" to "cpu" : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// -----

#p = #diviml.platform<"p", host = "cpu", devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>, #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>]>

module attributes {diviml.platform = #p} {
  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{'diviml.transfer' op names unknown device 'gpu7'; platform 'p' has no such device}}
    %0 = diviml.transfer %arg0 from "cpu" to "gpu7" : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// -----

func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'diviml.transfer' op needs a 'diviml.platform' attribute on an enclosing module}}
  %0 = diviml.transfer %arg0 from "cpu" to "gpu0" : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

#p = #diviml.platform<"p", host = "cpu", devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>, #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>]>

module attributes {diviml.platform = #p} {
  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{'arith.negf' op 'diviml.device' names unknown device 'gpu1'; platform 'p' has: cpu, gpu0}}
    %0 = arith.negf %arg0 {diviml.device = "gpu1"} : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// -----

func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.negf' op 'diviml.device' must be a string}}
  %0 = arith.negf %arg0 {diviml.device = 3 : i32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{'builtin.module' op 'diviml.platform' must be a #diviml.platform attribute}}
module attributes {diviml.platform = "cpu-2gpu"} {}

// -----

#p = #diviml.platform<"p", devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>]>
// expected-error @+1 {{'func.func' op 'diviml.platform' may only be attached to a builtin.module}}
func.func @f() attributes {diviml.platform = #p} {
  return
}

// -----

func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.negf' op 'diviml.name' must be a non-empty string}}
  %0 = arith.negf %arg0 {diviml.name = ""} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.negf' op 'diviml.colocate' must be a non-empty string}}
  %0 = arith.negf %arg0 {diviml.colocate = 1 : i32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.negf' op 'diviml.cost' must be a #diviml.cost attribute}}
  %0 = arith.negf %arg0 {diviml.cost = 1.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

#p = #diviml.platform<"p", devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>]>
module attributes {diviml.platform = #p} {
  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{'arith.negf' op 'diviml.cost' names unknown device 'gpu0'; platform 'p' has: cpu}}
    %0 = arith.negf %arg0 {diviml.cost = #diviml.cost<times = {gpu0 = 1.0 : f64}>} : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}

// -----

func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.negf' op unknown diviml attribute 'diviml.placement'}}
  %0 = arith.negf %arg0 {diviml.placement = "cpu"} : tensor<4xf32>
  return %0 : tensor<4xf32>
}
