// Bad or unusual input gets a located diagnostic and no crash.
// RUN: diviml-opt %s -split-input-file -verify-diagnostics --allow-unregistered-dialect --diviml-partition=platform=cpu-2gpu

// A function without tensor ops is left alone with a warning.
// expected-warning @+1 {{'@scalars' holds no tensor op; nothing to partition}}
func.func @scalars(%a: i32, %b: i32) -> i32 {
  %0 = arith.addi %a, %b : i32
  return %0 : i32
}

// -----

// An op the cost model does not know falls back to one FLOP per result
// element, and says so.
func.func @unknown(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-remark @+1 {{no cost model for 'mystery.op'; estimated as one FLOP per result element}}
  %0 = "mystery.op"(%x) : (tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Dynamic dimensions are counted as 1 (dim-hint), with one warning per
// function.
// expected-warning @+1 {{'@dynamic': 1 op has dynamic dimensions, each taken to be 1 in its cost (set dim-hint=<size>)}}
func.func @dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = math.exp %x : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// Control flow inside the function is not modelled.
// expected-error @+1 {{diviml-partition needs single-block function bodies; '@branches' has 2 blocks}}
func.func @branches(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = math.exp %x : tensor<8xf32>
  cf.br ^next(%0 : tensor<8xf32>)
^next(%1: tensor<8xf32>):
  return %1 : tensor<8xf32>
}

// -----

// An op whose weights fit no device: reported before any algorithm runs.
// expected-error @+1 {{cannot partition '@huge': node 'huge/exp_0' needs 2.400e+11 bytes, more than any device that can run it holds}}
func.func @huge(%x: tensor<30000000000xf64>) -> tensor<30000000000xf64> {
  %0 = math.exp %x : tensor<30000000000xf64>
  return %0 : tensor<30000000000xf64>
}

// -----

// A colocation group whose members share no device.
module {
  // expected-error @+1 {{cannot partition '@split': colocation group of node 'x' has no device that runs all its 2 nodes}}
  func.func @split(%x: tensor<8xf32>) -> tensor<8xf32> {
    %0 = math.exp %x {diviml.name = "x", diviml.colocate = "g", diviml.cost = #diviml.cost<times = {cpu = 1.0 : f64}>} : tensor<8xf32>
    %1 = math.exp %0 {diviml.name = "y", diviml.colocate = "g", diviml.cost = #diviml.cost<times = {gpu0 = 1.0 : f64}>} : tensor<8xf32>
    return %1 : tensor<8xf32>
  }
}

// -----

// A cyclic use through a region op never reaches the pass: the verifier
// rejects it at the use (the pass checks acyclicity again for graph regions).
func.func @cyclic(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "test.region"() ({
    // expected-error @+1 {{operand #0 does not dominate this use}}
    %1 = math.exp %2 : tensor<4xf32>
    "test.yield"(%1) : (tensor<4xf32>) -> ()
  }) : () -> tensor<4xf32>
  // expected-note @+1 {{operand defined here (op in a parent region)}}
  %2 = math.exp %0 : tensor<4xf32>
  return %2 : tensor<4xf32>
}
