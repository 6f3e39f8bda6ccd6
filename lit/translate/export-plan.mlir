// --export-plan: a placed function as JSON (docs/formats.md): value ids,
// types printed and structured, attributes printed and as JSON values,
// constants' splat and dense values, shape constants, devices; the lowered
// module gives the same ops; errors for mixed placement and regions.

// RUN: diviml-translate --export-plan %s | FileCheck %s
// RUN: diviml-opt %s --diviml-lower-to-devices | diviml-translate --export-plan | FileCheck %s --check-prefix=LOWERED
// RUN: not diviml-translate --export-plan %S/Inputs/plan-errors.mlir --split-input-file 2>&1 | FileCheck %s --check-prefix=ERR

// CHECK: "format": "diviml-plan",
// CHECK-NEXT: "function": "main",
// CHECK-NEXT: "inputs": [
// CHECK-NEXT: 0
// CHECK: "constant": {
// CHECK-NEXT: "values": [
// CHECK-NEXT: 1,
// CHECK-NEXT: 2
// CHECK: "device": null,
// CHECK-NEXT: "location": "loc(\"w\")",
// CHECK-NEXT: "name": "w",
// CHECK-NEXT: "op": "tosa.const",
// CHECK: "splat": 0
// CHECK: "name": "zp",
// CHECK: "constant": {
// CHECK-NEXT: "splat": 0
// CHECK: "name": "start",
// CHECK-NEXT: "op": "tosa.const_shape",
// CHECK: "name": "b",
// CHECK: "attribute_values": {
// CHECK-NEXT: "acc_type": "f32",
// CHECK-NEXT: "dilation": [
// CHECK: "pad": [
// CHECK-NEXT: 1,
// CHECK-NEXT: 0,
// CHECK-NEXT: 0,
// CHECK-NEXT: 1
// CHECK: "attributes": {
// CHECK-NEXT: "acc_type": "f32",
// CHECK-NEXT: "dilation": "array<i64: 1, 1>",
// CHECK-NEXT: "pad": "array<i64: 1, 0, 0, 1>",
// CHECK: "device": "gpu0",
// CHECK-NEXT: "location": "loc(\"conv\")",
// CHECK-NEXT: "name": "conv",
// CHECK-NEXT: "op": "tosa.conv2d",
// CHECK-NEXT: "operand_types": [
// CHECK-NEXT: "tensor<1x2x2x1xf32>",
// CHECK: "operands": [
// CHECK-NEXT: 0,
// CHECK-NEXT: 2,
// CHECK-NEXT: 6,
// CHECK-NEXT: 3,
// CHECK-NEXT: 3
// CHECK: "results": [
// CHECK-NEXT: 7
// CHECK: "device": "cpu",
// CHECK: "name": "crop",
// CHECK-NEXT: "op": "tosa.slice",
// CHECK: "operands": [
// CHECK-NEXT: 7,
// CHECK-NEXT: 4,
// CHECK-NEXT: 5
// CHECK: "outputs": [
// CHECK-NEXT: 8
// CHECK: "platform": {
// CHECK-NEXT: "devices": [
// CHECK-NEXT: {
// CHECK-NEXT: "kind": "cpu",
// CHECK-NEXT: "name": "cpu"
// CHECK: "kind": "gpu",
// CHECK-NEXT: "name": "gpu0"
// CHECK: "home": "cpu",
// CHECK: "values": [
// CHECK-NEXT: {
// CHECK-NEXT: "element": "f32",
// CHECK-NEXT: "kind": "tensor",
// CHECK-NEXT: "shape": [
// CHECK-NEXT: 1,
// CHECK-NEXT: 2,
// CHECK-NEXT: 2,
// CHECK-NEXT: 1
// CHECK-NEXT: ],
// CHECK-NEXT: "type": "tensor<1x2x2x1xf32>"
// CHECK: "kind": "shape",
// CHECK-NEXT: "type": "!tosa.shape<4>"
// CHECK: "version": 1

// The lowered module: the regions' ops inlined with their devices, the
// transfers dropped.
// LOWERED: "device": "gpu0",
// LOWERED: "op": "tosa.conv2d",
// LOWERED: "device": "cpu",
// LOWERED: "op": "tosa.slice",
// LOWERED-NOT: diviml.transfer

// ERR: error: op 'b' has no 'diviml.device' while others have one
// ERR: error: 'scf.execute_region' has regions; the plan export takes only flat function bodies
// ERR: error: --export-plan needs a public function '@main' or exactly one public function with a body; found 2

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu", overlap = true, devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e+12, bandwidth = 1.0e+11, launch = 0.0, slots = 1>, #diviml.device<"gpu0", gpu, peak_flops = 1.0e+13, bandwidth = 1.0e+12, launch = 0.0, slots = 1>], links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e+10, latency = 0.0>, #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e+10, latency = 0.0>]>} {
func.func @main(%x: tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32> {
  %w = "tosa.const"() {values = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32> loc("w")
  %wr = "tosa.const"() {values = dense<1.0> : tensor<1x2x2x1xf32>} : () -> tensor<1x2x2x1xf32> loc("wr")
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32> loc("zp")
  %start = tosa.const_shape {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4> loc("start")
  %size = tosa.const_shape {values = dense<1> : tensor<4xindex>} : () -> !tosa.shape<4> loc("size")
  %b = "tosa.const"() {values = dense<1.0> : tensor<1xf32>} : () -> tensor<1xf32> loc("b")
  %c = tosa.conv2d %x, %wr, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 1>, stride = array<i64: 1, 1>, diviml.device = "gpu0"} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32> loc("conv")
  %s = tosa.slice %c, %start, %size {diviml.device = "cpu"} : (tensor<1x2x2x1xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x1x1xf32> loc("crop")
  return %s : tensor<1x1x1x1xf32>
}
}
