// FLOPs, bytes and times of one TOSA op of each kind, against hand-computed
// numbers. The platform has round numbers and no launch overhead, except on
// the npu:
//   cpu: 1e11 FLOP/s, 1e10 B/s, 2 slots -> 5e10 FLOP/s and 5e9 B/s per op
//   gpu: 1e12 FLOP/s (f16 4e12, int8 8e12), 1e11 B/s
//   npu: 1e12 FLOP/s, 1e12 B/s, 1 us launch; cannot run gather or reduce_*
// time = max(flops / peak, bytes / bandwidth) (+ launch on the npu).
// RUN: diviml-opt %s --diviml-annotate-costs | FileCheck %s
// The pass keeps existing annotations: a second run changes nothing.
// RUN: diviml-opt %s --diviml-annotate-costs > %t.once.mlir
// RUN: diviml-opt %t.once.mlir --diviml-annotate-costs > %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir
// RUN: diviml-opt %s --diviml-annotate-costs="totals=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TOTAL

module attributes {diviml.platform = #diviml.platform<"hand", host = "cpu",
    devices = [#diviml.device<"cpu", cpu, peak_flops = 1.0e11, bandwidth = 1.0e10, slots = 2>,
               #diviml.device<"gpu", gpu, peak_flops = 1.0e12, bandwidth = 1.0e11, peak_f16 = 4.0e12, peak_int8 = 8.0e12>,
               #diviml.device<"npu", accel, peak_flops = 1.0e12, bandwidth = 1.0e12, launch = 1.0e-6,
                              unsupported = ["tosa.gather", "tosa.reduce_*"]>],
    links = [#diviml.link<"cpu" -> "gpu", bandwidth = 1.0e10>, #diviml.link<"gpu" -> "cpu", bandwidth = 1.0e10>,
             #diviml.link<"cpu" -> "npu", bandwidth = 1.0e10>, #diviml.link<"npu" -> "cpu", bandwidth = 1.0e10>]>} {
  func.func @ops(%in: tensor<1x8x8x4xf32>, %a: tensor<2x4x8xf32>, %b: tensor<2x8x16xf32>,
                 %cond: tensor<1x8x8x4xi1>, %idx: tensor<1x8xi32>) {
    // A weight: no time, no traffic; 16*3*3*4 * 4 B = 2304 B resident.
    // CHECK: %[[W:.*]] = "tosa.const"() <{values = dense<1.000000e+00> : tensor<16x3x3x4xf32>}> {diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 0.000000e+00, output_bytes = 2.304000e+03, memory = 2.304000e+03, times = {cpu = 0.000000e+00 : f64, gpu = 0.000000e+00 : f64, npu = 0.000000e+00 : f64}>}
    %w = "tosa.const"() <{values = dense<1.0> : tensor<16x3x3x4xf32>}> : () -> tensor<16x3x3x4xf32>
    %bias = "tosa.const"() <{values = dense<0.0> : tensor<16xf32>}> : () -> tensor<16xf32>
    %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>

    // conv2d 3x3, pad 1, 4 -> 16 channels: MACs = 8*8*16 * 3*3*4 = 36864,
    // FLOPs = 73728. Bytes: input 1024 + weight 2304 + bias 64 + two zero
    // points 4 + 4 + output 8*8*16*4 = 4096 -> 7496. Memory: output 4096 +
    // the constants it reads, each once: 2304 + 64 + 4 -> 6468.
    // gpu: max(73728/1e12 = 7.3728e-8, 7496/1e11 = 7.496e-8) = 7.496e-8.
    // cpu: max(73728/5e10 = 1.47456e-6, 7496/5e9 = 1.4992e-6) = 1.4992e-6.
    // npu: max(7.3728e-8, 7496/1e12) + 1e-6 = 1.073728e-6.
    // CHECK: tosa.conv2d {{.*}}diviml.cost = #diviml.cost<flops = 7.372800e+04, bytes = 7.496000e+03, output_bytes = 4.096000e+03, memory = 6.468000e+03, times = {cpu = 1.499200e-06 : f64, gpu = 7.496000e-08 : f64, npu = 1.0737{{[0-9]*}}{{[eE]}}-{{0?}}6 : f64}>
    %conv = tosa.conv2d %in, %w, %bias, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<16x3x3x4xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>

    // depthwise 3x3, multiplier 2: output 1x8x8x8 = 512 elements, MACs =
    // 512 * 3*3 = 4608, FLOPs 9216. Bytes: 1024 + weight 3*3*4*2*4 = 288 +
    // bias 32 + 4 + 4 + output 2048 = 3400; memory 2048 + 288 + 32 + 4 = 2372.
    // gpu: max(9.216e-9, 3.4e-8) = 3.4e-8.
    // CHECK: tosa.depthwise_conv2d {{.*}}diviml.cost = #diviml.cost<flops = 9.216000e+03, bytes = 3.400000e+03, output_bytes = 2.048000e+03, memory = 2.372000e+03, times = {cpu = {{6\.8|6\.79}}{{[0-9]*[eE]-0?}}7 : f64, gpu = 3.400000e-08 : f64
    %dw = "tosa.const"() <{values = dense<1.0> : tensor<3x3x4x2xf32>}> : () -> tensor<3x3x4x2xf32>
    %db = "tosa.const"() <{values = dense<0.0> : tensor<8xf32>}> : () -> tensor<8xf32>
    %depth = tosa.depthwise_conv2d %in, %dw, %db, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>

    // transpose_conv2d, weights [OC=8, 3, 3, IC=4], stride 1: output
    // (8-1)+3 = 10 -> 1x10x10x8. Every input element meets 8*3*3 weights:
    // MACs = 256 * 72 = 18432, FLOPs 36864. Bytes: 1024 + 8*3*3*4*4 = 1152
    // + 32 + 4 + 4 + 800*4 = 3200 -> 5416; memory 3200 + 1152 + 32 + 4 = 4388.
    // gpu: max(3.6864e-8, 5.416e-8) = 5.416e-8.
    // CHECK: tosa.transpose_conv2d {{.*}}diviml.cost = #diviml.cost<flops = 3.686400e+04, bytes = 5.416000e+03, output_bytes = 3.200000e+03, memory = 4.388000e+03, times = {cpu = {{.*}}, gpu = 5.416000e-08 : f64
    %tw = "tosa.const"() <{values = dense<1.0> : tensor<8x3x3x4xf32>}> : () -> tensor<8x3x3x4xf32>
    %tconv = tosa.transpose_conv2d %in, %tw, %db, %z, %z {acc_type = f32, out_pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x10x10x8xf32>

    // matmul [2,4,8] x [2,8,16]: MACs = 2*4*16 * 8 = 1024, FLOPs 2048.
    // Bytes: 256 + 1024 + 4 + 4 + 512 = 1800; memory 512 + 4 = 516.
    // gpu: max(2.048e-9, 1.8e-8) = 1.8e-8.
    // CHECK: tosa.matmul {{.*}}diviml.cost = #diviml.cost<flops = 2.048000e+03, bytes = 1.800000e+03, output_bytes = 5.120000e+02, memory = 5.160000e+02, times = {cpu = 3.600000e-07 : f64, gpu = 1.800000e-08 : f64
    %mm = tosa.matmul %a, %b, %z, %z : (tensor<2x4x8xf32>, tensor<2x8x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x16xf32>

    // avg_pool2d 2x2 stride 2 -> 1x4x4x4 = 64 outputs; 4 adds + 1 divide
    // each: 320 FLOPs. Bytes 1024 + 4 + 4 + 256 = 1288; gpu 1.288e-8.
    // CHECK: tosa.avg_pool2d {{.*}}diviml.cost = #diviml.cost<flops = 3.200000e+02, bytes = 1.288000e+03, output_bytes = 2.560000e+02, memory = 2.600000e+02, times = {cpu = {{.*}}, gpu = 1.288000e-08 : f64
    %avg = tosa.avg_pool2d %in, %z, %z {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>

    // max_pool2d 3x3 stride 2 -> 64 outputs x 9 comparisons = 576 FLOPs.
    // Bytes 1024 + 256 = 1280; gpu 1.28e-8.
    // CHECK: tosa.max_pool2d {{.*}}diviml.cost = #diviml.cost<flops = 5.760000e+02, bytes = 1.280000e+03, output_bytes = 2.560000e+02, memory = 2.560000e+02, times = {cpu = {{.*}}, gpu = 1.280000e-08 : f64
    %max = tosa.max_pool2d %in {kernel = array<i64: 3, 3>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>

    // Elementwise: one FLOP per output element (256).
    // exp: bytes 1024 + 1024 = 2048; gpu 2.048e-8.
    // CHECK: tosa.exp {{.*}}diviml.cost = #diviml.cost<flops = 2.560000e+02, bytes = 2.048000e+03, output_bytes = 1.024000e+03, memory = 1.024000e+03, times = {cpu = 4.096000e-07 : f64, gpu = 2.048000e-08 : f64
    %exp = tosa.exp %in : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
    // add with a broadcast 1x1x1x4 constant: bytes 1024 + 16 + 1024 = 2064,
    // memory 1024 + 16 = 1040.
    // CHECK: tosa.add {{.*}}diviml.cost = #diviml.cost<flops = 2.560000e+02, bytes = 2.064000e+03, output_bytes = 1.024000e+03, memory = 1.040000e+03
    %c4 = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x4xf32>}> : () -> tensor<1x1x1x4xf32>
    %add = tosa.add %in, %c4 : (tensor<1x8x8x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x8x8x4xf32>
    // select: an i1 condition is 1 byte per element: 256 + 3 * 1024 = 3328.
    // CHECK: tosa.select {{.*}}diviml.cost = #diviml.cost<flops = 2.560000e+02, bytes = 3.328000e+03, output_bytes = 1.024000e+03
    %sel = tosa.select %cond, %exp, %add : (tensor<1x8x8x4xi1>, tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>

    // Reductions: one op per input element (256). Bytes 1024 + 8*8*4 = 1280.
    // The npu cannot run reduce_*: no time there.
    // CHECK: tosa.reduce_sum {{.*}}diviml.cost = #diviml.cost<flops = 2.560000e+02, bytes = 1.280000e+03, output_bytes = 2.560000e+02, memory = 2.560000e+02, times = {cpu = 2.560000e-07 : f64, gpu = 1.280000e-08 : f64}>
    %rsum = tosa.reduce_sum %in {axis = 3 : i32} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x1xf32>
    // CHECK: tosa.argmax {{.*}}diviml.cost = #diviml.cost<flops = 2.560000e+02, bytes = 1.280000e+03, output_bytes = 2.560000e+02, memory = 2.560000e+02, times = {cpu = 2.560000e-07 : f64, gpu = 1.280000e-08 : f64, npu = {{.*}}}>
    %amax = tosa.argmax %in {axis = 3 : i32} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8xi32>

    // Data movement: no FLOPs.
    // reshape is a view: no bytes, no time anywhere.
    // CHECK: tosa.reshape {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 0.000000e+00, output_bytes = 1.024000e+03, memory = 1.024000e+03, times = {cpu = 0.000000e+00 : f64, gpu = 0.000000e+00 : f64, npu = 0.000000e+00 : f64}>
    %shape = tosa.const_shape {values = dense<[1, 64, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %resh = tosa.reshape %in, %shape : (tensor<1x8x8x4xf32>, !tosa.shape<3>) -> tensor<1x64x4xf32>
    // transpose reads and writes everything: 2048 B, gpu 2.048e-8.
    // CHECK: tosa.transpose {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 2.048000e+03, output_bytes = 1.024000e+03, memory = 1.024000e+03, times = {cpu = 4.096000e-07 : f64, gpu = 2.048000e-08 : f64
    %tr = tosa.transpose %in {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x8x8xf32>
    // slice reads only the 1x4x4x4 window: 2 * 256 = 512 B.
    // CHECK: tosa.slice {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 5.120000e+02, output_bytes = 2.560000e+02, memory = 2.560000e+02, times = {cpu = 1.024000e-07 : f64, gpu = 5.120000e-09 : f64
    %start = tosa.const_shape {values = dense<[0, 2, 2, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %size = tosa.const_shape {values = dense<[1, 4, 4, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %sl = tosa.slice %in, %start, %size : (tensor<1x8x8x4xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x4x4xf32>
    // concat of two 1024 B inputs into 2048 B: 4096 B.
    // CHECK: tosa.concat {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 4.096000e+03, output_bytes = 2.048000e+03
    %cat = tosa.concat %in, %exp {axis = 3 : i32} : (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) -> tensor<1x8x8x8xf32>
    // pad to 1x10x10x4: 1024 + pad value 4 + 1600 = 2628.
    // CHECK: tosa.pad {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 2.628000e+03, output_bytes = 1.600000e+03, memory = 1.604000e+03
    %padding = tosa.const_shape {values = dense<[0, 0, 1, 1, 1, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
    %pad = tosa.pad %in, %padding, %z : (tensor<1x8x8x4xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x10x10x4xf32>
    // gather 8 rows of 16 from a 100-row table: reads the 512 B of rows
    // and 32 B of indices, writes 512 B -> 1056 B. The table (6400 B) is a
    // weight of the gather: memory 512 + 6400 = 6912. The npu cannot run it.
    // CHECK: tosa.gather {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 1.056000e+03, output_bytes = 5.120000e+02, memory = 6.912000e+03, times = {cpu = 2.112000e-07 : f64, gpu = 1.056000e-08 : f64}>
    %table = "tosa.const"() <{values = dense<1.0> : tensor<1x100x16xf32>}> : () -> tensor<1x100x16xf32>
    %gat = tosa.gather %table, %idx : (tensor<1x100x16xf32>, tensor<1x8xi32>) -> tensor<1x8x16xf32>
    // tile x2 on channels: 1024 + 2048 = 3072.
    // CHECK: tosa.tile {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 3.072000e+03, output_bytes = 2.048000e+03
    %mult = tosa.const_shape {values = dense<[1, 1, 1, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %tile = tosa.tile %in, %mult : (tensor<1x8x8x4xf32>, !tosa.shape<4>) -> tensor<1x8x8x8xf32>
    return
  }

  // Peaks by element type. Both matmuls are compute bound on the gpu.
  func.func @precision(%h: tensor<1x128x128xf16>, %q: tensor<1x256x256xi8>) {
    // f16 [1,128,128] x [1,128,128]: FLOPs 2 * 128^3 = 4194304. Bytes
    // 3 * 32768 + 2 + 2 = 98308. gpu at the f16 peak:
    // max(4194304/4e12 = 1.048576e-6, 98308/1e11 = 9.8308e-7) = 1.048576e-6
    // (at the f32 peak it would be 4.194304e-6).
    // CHECK-LABEL: func.func @precision
    // CHECK: tosa.matmul {{.*}}diviml.cost = #diviml.cost<flops = 4194304.0, bytes = 9.830800e+04, {{.*}}gpu = 1.048576{{[0-9]*[eE]-0?}}6 : f64
    %zh = "tosa.const"() <{values = dense<0.0> : tensor<1xf16>}> : () -> tensor<1xf16>
    %mh = tosa.matmul %h, %h, %zh, %zh : (tensor<1x128x128xf16>, tensor<1x128x128xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<1x128x128xf16>
    // i8 [1,256,256] x [1,256,256] -> i32: FLOPs 2 * 256^3 = 33554432.
    // Bytes 2 * 65536 + 1 + 1 + 65536 * 4 = 393218. gpu at the int8 peak:
    // max(33554432/8e12 = 4.194304e-6, 3.93218e-6) = 4.194304e-6.
    // CHECK: tosa.matmul {{.*}}diviml.cost = #diviml.cost<flops = 33554432.0, bytes = 3.932180e+05, {{.*}}gpu = {{4\.194304|4\.194303}}{{[0-9]*[eE]-0?}}6 : f64
    %z8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %mq = tosa.matmul %q, %q, %z8, %z8 : (tensor<1x256x256xi8>, tensor<1x256x256xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x256x256xi32>
    return
  }

  // Softmax over rows of 8, as the model zoo spells it:
  //   reduce_max 16 + sub 16 + exp 16 + reduce_sum 16 + reciprocal 2 +
  //   mul 16 = 82 FLOPs.
  // Bytes: reduce_max 64 + 8 = 72; sub 64 + 8 + 64 = 136; exp 128;
  //   reduce_sum 72; reciprocal 8 + 8 = 16; mul 64 + 8 + 1 (shift) + 64 = 137
  //   -> 561. Weights: the i8 shift, 1 B.
  // TOTAL: remark: '@softmax': 82 FLOPs (0 in convolutions and matrix products = 2 x MACs), 561 bytes moved, 1 bytes of weights, 7 ops
  func.func @softmax(%s: tensor<2x8xf32>) -> tensor<2x8xf32> {
    %m = tosa.reduce_max %s {axis = 1 : i32} : (tensor<2x8xf32>) -> tensor<2x1xf32>
    %d = tosa.sub %s, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
    %e = tosa.exp %d : (tensor<2x8xf32>) -> tensor<2x8xf32>
    %sum = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<2x8xf32>) -> tensor<2x1xf32>
    %r = tosa.reciprocal %sum : (tensor<2x1xf32>) -> tensor<2x1xf32>
    %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %y = tosa.mul %e, %r, %shift : (tensor<2x8xf32>, tensor<2x1xf32>, tensor<1xi8>) -> tensor<2x8xf32>
    return %y : tensor<2x8xf32>
  }
}
