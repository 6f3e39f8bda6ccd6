// FLOPs and bytes of linalg structured ops (iteration domain x payload
// arithmetic), linalg.softmax, tensor data movement and arith/math on
// tensors, against hand-computed numbers. One device: 1e12 FLOP/s,
// 1e11 B/s, no launch overhead; time = max(flops / 1e12, bytes / 1e11).
// An op the model does not know gets a remark and one FLOP per result
// element.
// RUN: diviml-opt %s --diviml-annotate-costs -verify-diagnostics | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>
module attributes {diviml.platform = #diviml.platform<"one",
    devices = [#diviml.device<"gpu", gpu, peak_flops = 1.0e12, bandwidth = 1.0e11>]>} {
  func.func private @external(tensor<4x16xf32>) -> tensor<4x16xf32>

  func.func @linalg(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %acc: tensor<4x16xf32>,
                    %x: tensor<4x16xf32>, %img: tensor<1x6x6x2xf32>, %filter: tensor<3x3x2x4xf32>,
                    %ha: tensor<4x8xf16>, %hb: tensor<8x16xf16>) {
    // matmul 4x8 * 8x16: 4*16*8 = 512 points x (mulf + addf) = 1024 FLOPs.
    // Bytes: A 128 + B 512 + the accumulator read and written 2 * 256 = 1152.
    // time max(1.024e-9, 1.152e-8) = 1.152e-8.
    // CHECK: linalg.matmul {diviml.cost = #diviml.cost<flops = 1.024000e+03, bytes = 1.152000e+03, output_bytes = 2.560000e+02, memory = 2.560000e+02, times = {gpu = 1.152000e-08 : f64}>}
    %mm = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%acc : tensor<4x16xf32>) -> tensor<4x16xf32>
    // f16 inputs, f32 accumulator: the two arith.extf of the payload are
    // conversions and not counted: 1024 FLOPs. Bytes 64 + 256 + 2 * 256 = 832.
    // CHECK: linalg.matmul {diviml.cost = #diviml.cost<flops = 1.024000e+03, bytes = 8.320000e+02,
    %hmm = linalg.matmul ins(%ha, %hb : tensor<4x8xf16>, tensor<8x16xf16>) outs(%acc : tensor<4x16xf32>) -> tensor<4x16xf32>

    // Elementwise generic: 64 points x (exp + mulf) = 128 FLOPs; the init
    // is only written: 256 + 256 = 512 bytes. tensor.empty costs nothing.
    // CHECK: tensor.empty() {diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 0.000000e+00, output_bytes = 2.560000e+02, memory = 2.560000e+02, times = {gpu = 0.000000e+00 : f64}>}
    // CHECK: linalg.generic {{.*}}diviml.cost = #diviml.cost<flops = 1.280000e+02, bytes = 5.120000e+02, output_bytes = 2.560000e+02
    %empty = tensor.empty() : tensor<4x16xf32>
    %gen = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<4x16xf32>) outs(%empty : tensor<4x16xf32>) {
    ^bb0(%in: f32, %out: f32):
      %two = arith.constant 2.0 : f32
      %e = math.exp %in : f32
      %m = arith.mulf %e, %two : f32
      linalg.yield %m : f32
    } -> tensor<4x16xf32>

    // conv 3x3, 2 -> 4 channels on 6x6: N*OH*OW*F*KH*KW*C = 1*4*4*4*3*3*2
    // = 1152 points x 2 = 2304 FLOPs. Bytes: image 288 + filter 288 +
    // accumulator 2 * 256 = 1088.
    // CHECK: linalg.conv_2d_nhwc_hwcf {{.*}}diviml.cost = #diviml.cost<flops = 2.304000e+03, bytes = 1.088000e+03, output_bytes = 2.560000e+02
    %cinit = tensor.empty() : tensor<1x4x4x4xf32>
    %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%img, %filter : tensor<1x6x6x2xf32>, tensor<3x3x2x4xf32>) outs(%cinit : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>

    // max pooling 3x3 on 2 channels: 1*4*4*2*3*3 = 288 points x 1 maximumf.
    // Bytes: image 288 + the 3x3 window operand 36 + accumulator 2 * 128 = 580.
    // CHECK: linalg.pooling_nhwc_max {{.*}}diviml.cost = #diviml.cost<flops = 2.880000e+02, bytes = 5.800000e+02, output_bytes = 1.280000e+02
    %window = tensor.empty() : tensor<3x3xf32>
    %pinit = tensor.empty() : tensor<1x4x4x2xf32>
    %pool = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%img, %window : tensor<1x6x6x2xf32>, tensor<3x3xf32>) outs(%pinit : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>

    // reduce over 16: 64 points x addf = 64 FLOPs; 256 + 2 * 16 = 288 bytes.
    // CHECK: linalg.reduce {{.*}}diviml.cost = #diviml.cost<flops = 6.400000e+01, bytes = 2.880000e+02, output_bytes = 1.600000e+01
    %rinit = tensor.empty() : tensor<4xf32>
    %red = linalg.reduce ins(%x : tensor<4x16xf32>) outs(%rinit : tensor<4xf32>) dimensions = [1]
      (%in: f32, %init: f32) {
        %s = arith.addf %in, %init : f32
        linalg.yield %s : f32
      }

    // fill writes 256 bytes and computes nothing; transpose moves 512.
    // CHECK: linalg.fill {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 2.560000e+02,
    // CHECK: linalg.transpose {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 5.120000e+02,
    %zero = arith.constant 0.0 : f32
    %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x16xf32>) -> tensor<4x16xf32>
    %tinit = tensor.empty() : tensor<16x4xf32>
    %tr = linalg.transpose ins(%x : tensor<4x16xf32>) outs(%tinit : tensor<16x4xf32>) permutation = [1, 0]

    // softmax: max, subtract, exp, sum, divide = 5 x 64 = 320 FLOPs;
    // 256 + 256 bytes.
    // CHECK: linalg.softmax {{.*}}diviml.cost = #diviml.cost<flops = 3.200000e+02, bytes = 5.120000e+02,
    %sm = linalg.softmax dimension(1) ins(%x : tensor<4x16xf32>) outs(%empty : tensor<4x16xf32>) -> tensor<4x16xf32>
    return
  }

  func.func @tensor_arith(%x: tensor<4x16xf32>, %h: tensor<4x8xf16>) {
    // extract_slice reads only the 2x8 window: 2 * 64 = 128 bytes;
    // insert_slice writes it back in place: 128.
    // CHECK-LABEL: func.func @tensor_arith
    // CHECK: tensor.extract_slice {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 1.280000e+02, output_bytes = 6.400000e+01
    // CHECK: tensor.insert_slice {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 1.280000e+02, output_bytes = 2.560000e+02
    %s = tensor.extract_slice %x[0, 0] [2, 8] [1, 1] : tensor<4x16xf32> to tensor<2x8xf32>
    %ins = tensor.insert_slice %s into %x[2, 8] [2, 8] [1, 1] : tensor<2x8xf32> into tensor<4x16xf32>
    // Reshapes are views: nothing moves.
    // CHECK: tensor.expand_shape {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 0.000000e+00, output_bytes = 2.560000e+02, memory = 2.560000e+02, times = {gpu = 0.000000e+00 : f64}>
    // CHECK: tensor.collapse_shape {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 0.000000e+00,
    %ex = tensor.expand_shape %x [[0, 1], [2]] output_shape [2, 2, 16] : tensor<4x16xf32> into tensor<2x2x16xf32>
    %co = tensor.collapse_shape %ex [[0, 1], [2]] : tensor<2x2x16xf32> into tensor<4x16xf32>
    // pad by 1 on every side to 6x18: 256 + 6*18*4 = 432 -> 688 bytes.
    // CHECK: tensor.pad
    // CHECK: } {diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 6.880000e+02, output_bytes = 4.320000e+02
    %pv = arith.constant 0.0 : f32
    %pad = tensor.pad %x low[1, 1] high[1, 1] {
    ^bb0(%i: index, %j: index):
      tensor.yield %pv : f32
    } : tensor<4x16xf32> to tensor<6x18xf32>
    // concat of two 256-byte tensors: 256 + 256 + 512 = 1024.
    // CHECK: tensor.concat {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 1.024000e+03, output_bytes = 5.120000e+02
    %cat = tensor.concat dim(0) %x, %co : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<8x16xf32>
    // arith/math on tensors: one FLOP per element (64); a conversion none.
    // CHECK: arith.addf {{.*}}diviml.cost = #diviml.cost<flops = 6.400000e+01, bytes = 7.680000e+02, output_bytes = 2.560000e+02
    // CHECK: math.exp {{.*}}diviml.cost = #diviml.cost<flops = 6.400000e+01, bytes = 5.120000e+02,
    // CHECK: arith.extf {{.*}}diviml.cost = #diviml.cost<flops = 0.000000e+00, bytes = 1.920000e+02, output_bytes = 1.280000e+02
    %sum = arith.addf %x, %ins : tensor<4x16xf32>
    %exp = math.exp %sum : tensor<4x16xf32>
    %ext = arith.extf %h : tensor<4x8xf16> to tensor<4x8xf32>
    // Unknown to the model: 64 result elements, bytes 256 + 256.
    // CHECK: call @external{{.*}}diviml.cost = #diviml.cost<flops = 6.400000e+01, bytes = 5.120000e+02,
    // expected-remark @+1 {{no cost model for 'func.call'; estimated as one FLOP per result element and its operand and result bytes}}
    %call = func.call @external(%exp) : (tensor<4x16xf32>) -> tensor<4x16xf32>
    return
  }
}
