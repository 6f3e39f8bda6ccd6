// diviml.transfer bufferizes as a copy into a fresh buffer: one-shot-bufferize
// (stock mlir-opt with the plugin) turns it into memref.alloc + memref.copy,
// and the device functions' calls take the copies.
// RUN: %mlir_opt %s --load-dialect-plugin=%diviml_plugin --load-pass-plugin=%diviml_plugin --pass-pipeline='builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map})' | FileCheck %s
// An --inline over the lowered module leaves the no_inline device functions
// (and their devices) alone.
// RUN: %mlir_opt %s --load-dialect-plugin=%diviml_plugin --inline | FileCheck %s --check-prefix=INLINE

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: memref<4x?xf32>
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[D:.*]] = memref.dim %[[X]], %[[C1]] : memref<4x?xf32>
// CHECK: %[[GPU:.*]] = memref.alloc(%[[D]]) {{.*}}: memref<4x?xf32>
// CHECK: memref.copy %[[X]], %[[GPU]] : memref<4x?xf32> to memref<4x?xf32>
// CHECK: %[[R:.*]] = call @main_gpu0_0(%[[GPU]])
// CHECK: %[[HOST:.*]] = memref.alloc({{.*}}) {{.*}}: memref<4x?xf32>
// CHECK: memref.copy %[[R]], %[[HOST]]
// CHECK: return %[[HOST]]
// CHECK-NOT: diviml.transfer

// INLINE-LABEL: func.func @main(
// INLINE: diviml.transfer
// INLINE-NEXT: call @main_gpu0_0(
// INLINE: func.func private @main_gpu0_0({{.*}} attributes {diviml.device = "gpu0", no_inline}

module attributes {diviml.platform = #diviml.platform<"two", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"gpu0", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"cpu" -> "gpu0", bandwidth = 1.0e10>,
             #diviml.link<"gpu0" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @main(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
    %0 = diviml.transfer %x from "cpu" to "gpu0" : tensor<4x?xf32>
    %1 = call @main_gpu0_0(%0) : (tensor<4x?xf32>) -> tensor<4x?xf32>
    %2 = diviml.transfer %1 from "gpu0" to "cpu" : tensor<4x?xf32>
    return %2 : tensor<4x?xf32>
  }
  func.func private @main_gpu0_0(%x: tensor<4x?xf32>) -> tensor<4x?xf32> attributes {diviml.device = "gpu0", no_inline} {
    %0 = linalg.exp ins(%x : tensor<4x?xf32>) outs(%x : tensor<4x?xf32>) -> tensor<4x?xf32>
    return %0 : tensor<4x?xf32>
  }
}

