// An Inception (3a) block of GoogLeNet (Szegedy et al. 2015) at batch 8:
// four parallel branches over a 28x28x192 input, concatenated to 256
// channels. Weights are splat constants; op names are name locations.
func.func @main(%input: tensor<8x28x28x192xf32>) -> tensor<8x28x28x256xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w1 = "tosa.const"() {values = dense<0.01> : tensor<64x1x1x192xf32>} : () -> tensor<64x1x1x192xf32>
  %w2 = "tosa.const"() {values = dense<0.0> : tensor<64xf32>} : () -> tensor<64xf32>
  %b1.conv1x1 = tosa.conv2d %input, %w1, %w2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<8x28x28x192xf32>, tensor<64x1x1x192xf32>, tensor<64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<8x28x28x64xf32> loc("b1.conv1x1")
  %b1.conv1x1_relu = tosa.clamp %b1.conv1x1 {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<8x28x28x64xf32>) -> tensor<8x28x28x64xf32> loc("b1.conv1x1.relu")
  %w3 = "tosa.const"() {values = dense<0.01> : tensor<96x1x1x192xf32>} : () -> tensor<96x1x1x192xf32>
  %w4 = "tosa.const"() {values = dense<0.0> : tensor<96xf32>} : () -> tensor<96xf32>
  %b2.reduce = tosa.conv2d %input, %w3, %w4, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<8x28x28x192xf32>, tensor<96x1x1x192xf32>, tensor<96xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<8x28x28x96xf32> loc("b2.reduce")
  %b2.reduce_relu = tosa.clamp %b2.reduce {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<8x28x28x96xf32>) -> tensor<8x28x28x96xf32> loc("b2.reduce.relu")
  %w5 = "tosa.const"() {values = dense<0.01> : tensor<128x3x3x96xf32>} : () -> tensor<128x3x3x96xf32>
  %w6 = "tosa.const"() {values = dense<0.0> : tensor<128xf32>} : () -> tensor<128xf32>
  %b2.conv3x3 = tosa.conv2d %b2.reduce_relu, %w5, %w6, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<8x28x28x96xf32>, tensor<128x3x3x96xf32>, tensor<128xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<8x28x28x128xf32> loc("b2.conv3x3")
  %b2.conv3x3_relu = tosa.clamp %b2.conv3x3 {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<8x28x28x128xf32>) -> tensor<8x28x28x128xf32> loc("b2.conv3x3.relu")
  %w7 = "tosa.const"() {values = dense<0.01> : tensor<16x1x1x192xf32>} : () -> tensor<16x1x1x192xf32>
  %w8 = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %b3.reduce = tosa.conv2d %input, %w7, %w8, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<8x28x28x192xf32>, tensor<16x1x1x192xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<8x28x28x16xf32> loc("b3.reduce")
  %b3.reduce_relu = tosa.clamp %b3.reduce {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<8x28x28x16xf32>) -> tensor<8x28x28x16xf32> loc("b3.reduce.relu")
  %w9 = "tosa.const"() {values = dense<0.01> : tensor<32x5x5x16xf32>} : () -> tensor<32x5x5x16xf32>
  %w10 = "tosa.const"() {values = dense<0.0> : tensor<32xf32>} : () -> tensor<32xf32>
  %b3.conv5x5 = tosa.conv2d %b3.reduce_relu, %w9, %w10, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 1, 1>} : (tensor<8x28x28x16xf32>, tensor<32x5x5x16xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<8x28x28x32xf32> loc("b3.conv5x5")
  %b3.conv5x5_relu = tosa.clamp %b3.conv5x5 {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<8x28x28x32xf32>) -> tensor<8x28x28x32xf32> loc("b3.conv5x5.relu")
  %pool = tosa.max_pool2d %input {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<8x28x28x192xf32>) -> tensor<8x28x28x192xf32> loc("b4.pool")
  %w11 = "tosa.const"() {values = dense<0.01> : tensor<32x1x1x192xf32>} : () -> tensor<32x1x1x192xf32>
  %w12 = "tosa.const"() {values = dense<0.0> : tensor<32xf32>} : () -> tensor<32xf32>
  %b4.proj = tosa.conv2d %pool, %w11, %w12, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<8x28x28x192xf32>, tensor<32x1x1x192xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<8x28x28x32xf32> loc("b4.proj")
  %b4.proj_relu = tosa.clamp %b4.proj {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<8x28x28x32xf32>) -> tensor<8x28x28x32xf32> loc("b4.proj.relu")
  %cat = tosa.concat %b1.conv1x1_relu, %b2.conv3x3_relu, %b3.conv5x5_relu, %b4.proj_relu {axis = 3 : i32} : (tensor<8x28x28x64xf32>, tensor<8x28x28x128xf32>, tensor<8x28x28x32xf32>, tensor<8x28x28x32xf32>) -> tensor<8x28x28x256xf32> loc("concat")
  return %cat : tensor<8x28x28x256xf32>
}
