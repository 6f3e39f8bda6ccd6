// diviml-opt registers every upstream dialect, like mlir-opt (issue 14):
// memref, vector, affine and ub were rejected as unregistered.
// RUN: diviml-opt %s | FileCheck %s
// CHECK: memref.load
// CHECK: affine.for
// CHECK: ub.poison
// CHECK: vector.extract

func.func @f(%m: memref<4xf32>, %v: vector<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %x = memref.load %m[%c0] : memref<4xf32>
  affine.for %i = 0 to 4 {
  }
  %p = ub.poison : f32
  %e = vector.extract %v[0] : f32 from vector<4xf32>
  return %x : f32
}
