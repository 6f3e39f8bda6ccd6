"""TOSA semantics of the executor, each against a hand-computed small case."""
import unittest

import torch

from tests.support import apply

t = torch.tensor
f32 = torch.float32
ZP = t([0.0])


class ConvolutionTest(unittest.TestCase):
    def test_conv2d_asymmetric_pad(self):
        # 2x2 input, 2x2 ones kernel, pad top=1 bottom=0 left=0 right=1:
        # padded rows [0 0 0], [1 2 0], [3 4 0]; bias 10.
        x = t([1.0, 2, 3, 4]).reshape(1, 2, 2, 1)
        w = torch.ones(1, 2, 2, 1)
        y = apply("conv2d", [x, w, t([10.0]), ZP, ZP], [1, 2, 2, 1],
                  pad=[1, 0, 0, 1], stride=[1, 1], dilation=[1, 1])
        self.assertEqual(y.reshape(2, 2).tolist(), [[13, 12], [20, 16]])

    def test_conv2d_weight_layout_is_ohwi(self):
        x = t([1.0, 2]).reshape(1, 1, 1, 2)
        w = t([[1.0, 10], [100, 1000]]).reshape(2, 1, 1, 2)  # [OC, KH, KW, IC]
        y = apply("conv2d", [x, w, t([0.0, 0]), ZP, ZP], [1, 1, 1, 2],
                  pad=[0, 0, 0, 0], stride=[1, 1], dilation=[1, 1])
        self.assertEqual(y.reshape(-1).tolist(), [21, 2100])

    def test_conv2d_stride_and_dilation(self):
        x = torch.arange(16.0).reshape(1, 4, 4, 1)
        w = t([1.0, -1]).reshape(1, 1, 2, 1)
        # dilation 2 in x: x[i, j] - x[i, j+2]; stride 2 in y, 1 in x.
        y = apply("conv2d", [x, w, t([0.0]), ZP, ZP], [1, 2, 2, 1],
                  pad=[0, 0, 0, 0], stride=[2, 1], dilation=[1, 2])
        self.assertEqual(y.reshape(2, 2).tolist(), [[-2, -2], [-2, -2]])

    def test_depthwise_channel_order(self):
        x = t([1.0, 2]).reshape(1, 1, 1, 2)
        w = t([1.0, 2, 3, 4]).reshape(1, 1, 2, 2)  # [KH, KW, C, M]
        y = apply("depthwise_conv2d", [x, w, torch.zeros(4), ZP, ZP], [1, 1, 1, 4],
                  pad=[0, 0, 0, 0], stride=[1, 1], dilation=[1, 1])
        self.assertEqual(y.reshape(-1).tolist(), [1, 2, 6, 8])  # channel c*M + m

    def test_transpose_conv2d(self):
        x = t([1.0, 2]).reshape(1, 1, 2, 1)
        w = t([1.0, 10]).reshape(1, 1, 2, 1)
        y = apply("transpose_conv2d", [x, w, t([0.0]), ZP, ZP], [1, 1, 4, 1],
                  out_pad=[0, 0, 0, 0], stride=[1, 2])
        self.assertEqual(y.reshape(-1).tolist(), [1, 10, 2, 20])

    def test_conv3d(self):
        x = torch.ones(1, 2, 1, 1, 1)
        w = t([1.0, 2]).reshape(1, 2, 1, 1, 1)  # [OC, KD, KH, KW, IC]
        y = apply("conv3d", [x, w, t([0.5]), ZP, ZP], [1, 2, 1, 1, 1],
                  pad=[0, 1, 0, 0, 0, 0], stride=[1, 1, 1], dilation=[1, 1, 1])
        self.assertEqual(y.reshape(-1).tolist(), [3.5, 1.5])


class MatmulTest(unittest.TestCase):
    def test_batched(self):
        a = t([[1.0, 2, 3], [4, 5, 6]]).reshape(1, 2, 3)
        b = t([[1.0, 0], [0, 1], [1, 1]]).reshape(1, 3, 2)
        y = apply("matmul", [a, b, ZP, ZP], [1, 2, 2])
        self.assertEqual(y.reshape(2, 2).tolist(), [[4, 5], [10, 11]])

    def test_int8_zero_point(self):
        a = t([1, 2], dtype=torch.int8).reshape(1, 1, 2)
        b = t([3, 4], dtype=torch.int8).reshape(1, 2, 1)
        y = apply("matmul", [a, b, t([1], dtype=torch.int8), t([0], dtype=torch.int8)],
                  [1, 1, 1], element="i32")
        self.assertEqual(y.dtype, torch.int32)
        self.assertEqual(y.item(), 4)  # (1-1)*3 + (2-1)*4


class PoolTest(unittest.TestCase):
    def test_max_pool_pads_with_minus_infinity(self):
        x = -torch.arange(1.0, 10).reshape(1, 3, 3, 1)
        y = apply("max_pool2d", [x], [1, 3, 3, 1], kernel=[2, 2], stride=[1, 1], pad=[0, 1, 0, 1])
        self.assertEqual(y.reshape(3, 3).tolist(), [[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]])

    def test_avg_pool_asymmetric_counts_only_inputs(self):
        x = t([1.0, 2, 3, 4]).reshape(1, 2, 2, 1)
        y = apply("avg_pool2d", [x, ZP, ZP], [1, 2, 2, 1], kernel=[2, 2], stride=[1, 1],
                  pad=[1, 0, 1, 0], acc_type="f32")
        self.assertEqual(y.reshape(2, 2).tolist(), [[1, 1.5], [2, 2.5]])

    def test_avg_pool_symmetric(self):
        x = t([1.0, 2, 3, 4]).reshape(1, 2, 2, 1)
        y = apply("avg_pool2d", [x, ZP, ZP], [1, 2, 2, 1], kernel=[3, 3], stride=[1, 1],
                  pad=[1, 1, 1, 1], acc_type="f32")
        self.assertEqual(y.reshape(-1).tolist(), [2.5] * 4)


class ReductionTest(unittest.TestCase):
    x = t([[1.0, 2, 3], [4, 5, 6]])

    def test_reductions_keep_the_axis(self):
        self.assertEqual(apply("reduce_sum", [self.x], [2, 1], axis=1).tolist(), [[6], [15]])
        self.assertEqual(apply("reduce_max", [self.x], [1, 3], axis=0).tolist(), [[4, 5, 6]])
        self.assertEqual(apply("reduce_min", [self.x], [2, 1], axis=1).tolist(), [[1], [4]])
        self.assertEqual(apply("reduce_product", [self.x], [2, 1], axis=1).tolist(), [[6], [120]])
        b = t([[True, False], [True, True]])
        self.assertEqual(apply("reduce_all", [b], [2, 1], axis=1).tolist(), [[False], [True]])
        self.assertEqual(apply("reduce_any", [b], [1, 2], axis=0).tolist(), [[True, True]])

    def test_int_sum_stays_i32(self):
        y = apply("reduce_sum", [t([[1, 2]], dtype=torch.int32)], [1, 1], axis=1)
        self.assertEqual((y.dtype, y.item()), (torch.int32, 3))

    def test_argmax_drops_the_axis(self):
        y = apply("argmax", [t([[1.0, 9, 3], [7, 5, 6]])], [2], element="i32", axis=1)
        self.assertEqual((y.dtype, y.tolist()), (torch.int32, [1, 0]))


class DataMovementTest(unittest.TestCase):
    def test_transpose(self):
        y = apply("transpose", [t([[1.0, 2, 3], [4, 5, 6]])], [3, 2], perms=[1, 0])
        self.assertEqual(y.tolist(), [[1, 4], [2, 5], [3, 6]])

    def test_slice_takes_shape_operands(self):
        x = torch.arange(12.0).reshape(3, 4)
        self.assertEqual(apply("slice", [x, [1, 1], [2, 2]], [2, 2]).tolist(), [[5, 6], [9, 10]])

    def test_gather(self):
        v = t([[0.0, 1], [10, 11], [20, 21]]).reshape(1, 3, 2)
        y = apply("gather", [v, t([[2, 0]], dtype=torch.int32)], [1, 2, 2])
        self.assertEqual(y.tolist(), [[[20, 21], [0, 1]]])

    def test_scatter(self):
        v = torch.zeros(1, 3, 1)
        y = apply("scatter", [v, t([[2]], dtype=torch.int32), t([[[5.0]]])], [1, 3, 1])
        self.assertEqual(y.reshape(-1).tolist(), [0, 0, 5])

    def test_concat(self):
        y = apply("concat", [t([[1.0], [2]]), t([[3.0, 4], [5, 6]])], [2, 3], axis=1)
        self.assertEqual(y.tolist(), [[1, 3, 4], [2, 5, 6]])

    def test_pad_with_constant(self):
        y = apply("pad", [t([[1.0, 2]]), [1, 0, 0, 2], t([7.0])], [2, 4])
        self.assertEqual(y.tolist(), [[7, 7, 7, 7], [1, 2, 7, 7]])

    def test_tile_reverse_reshape(self):
        x = t([[1.0, 2]])
        self.assertEqual(apply("tile", [x, [2, 1]], [2, 2]).tolist(), [[1, 2], [1, 2]])
        self.assertEqual(apply("reverse", [x], [1, 2], axis=1).tolist(), [[2, 1]])
        self.assertEqual(apply("reshape", [x, [2, 1]], [2, 1]).tolist(), [[1], [2]])

    def test_resize(self):
        x = t([1.0, 2]).reshape(1, 1, 2, 1)
        near = apply("resize", [x, [2, 1, 2, 1], [0, 0], [0, 0]], [1, 1, 3, 1], mode="NEAREST_NEIGHBOR")
        self.assertEqual(near.reshape(-1).tolist(), [1, 2, 2])
        bil = apply("resize", [x, [2, 1, 2, 1], [0, 0], [0, 0]], [1, 1, 3, 1], mode="BILINEAR")
        self.assertEqual(bil.reshape(-1).tolist(), [1, 1.5, 2])


class ElementwiseTest(unittest.TestCase):
    def test_broadcast(self):
        x, y = t([[1.0], [2]]), t([[10.0, 20, 30]])
        self.assertEqual(apply("add", [x, y], [2, 3]).tolist(), [[11, 21, 31], [12, 22, 32]])
        self.assertEqual(apply("sub", [y, x], [2, 3]).tolist(), [[9, 19, 29], [8, 18, 28]])
        self.assertEqual(apply("maximum", [x, t([[1.5]])], [2, 1]).tolist(), [[1.5], [2]])
        self.assertEqual(apply("greater", [x, t([[1.5]])], [2, 1], element="i1").tolist(),
                         [[False], [True]])

    def test_mul_float_ignores_shift_int_rounds(self):
        shift = t([1], dtype=torch.int8)
        self.assertEqual(apply("mul", [t([3.0]), t([5.0]), t([0], dtype=torch.int8)], [1]).item(), 15)
        i = apply("mul", [t([3], dtype=torch.int32), t([5], dtype=torch.int32), shift], [1])
        self.assertEqual(i.item(), 8)  # (15 + 1) >> 1

    def test_integer_ops(self):
        i32 = torch.int32
        self.assertEqual(apply("intdiv", [t([-7], dtype=i32), t([2], dtype=i32)], [1]).item(), -3)
        self.assertEqual(apply("arithmetic_right_shift", [t([5], dtype=i32), t([1], dtype=i32)], [1],
                               round=True).item(), 3)
        self.assertEqual(apply("logical_right_shift", [t([-1], dtype=i32), t([28], dtype=i32)], [1]).item(), 15)
        self.assertEqual(apply("clz", [t([1, 0], dtype=i32)], [2]).tolist(), [31, 32])

    def test_unary_and_clamp(self):
        self.assertEqual(apply("clamp", [t([-1.0, 3, 9])], [3], min_val=0.0, max_val=6.0).tolist(), [0, 3, 6])
        self.assertEqual(apply("reciprocal", [t([4.0])], [1]).item(), 0.25)
        self.assertEqual(apply("rsqrt", [t([4.0])], [1]).item(), 0.5)
        self.assertEqual(apply("negate", [t([2.0]), ZP, ZP], [1]).item(), -2)
        self.assertEqual(apply("select", [t([True, False]), t([1.0, 2]), t([3.0, 4])], [2]).tolist(), [1, 4])

    def test_cast_rounds_half_to_even_and_saturates(self):
        y = apply("cast", [t([1.5, 2.5, -1.5, 300.0])], [4], element="i8")
        self.assertEqual(y.tolist(), [2, 2, -2, 127])

    def test_table_and_rescale(self):
        table = torch.arange(-128, 128, dtype=torch.int8).flip(0)  # table[i] = 127 - i
        y = apply("table", [t([-128, 0, 127], dtype=torch.int8), table], [3])
        self.assertEqual(y.tolist(), [127, -1, -128])
        r = apply("rescale", [t([100], dtype=torch.int32), t([1 << 30], dtype=torch.int32),
                              t([31], dtype=torch.int8), t([0], dtype=torch.int32), t([0], dtype=torch.int8)],
                  [1], element="i8", scale32=True, rounding_mode="SINGLE_ROUND", per_channel=False,
                  input_unsigned=False, output_unsigned=False)
        self.assertEqual(r.item(), 50)  # (100 * 2^30 + 2^30) >> 31

    def test_fft(self):
        re, im = apply("rfft2d", [t([[[1.0, 2]]])], [1, 1, 2], results=2)
        self.assertEqual((re.reshape(-1).tolist(), im.reshape(-1).tolist()), ([3, -1], [0, 0]))
        # forward: sum x[k] e^{-2 pi i k n / 4}; n = 1 of x = [0, 1, 0, 0] is -i
        x = t([[[0.0, 1, 0, 0]]])
        re, im = apply("fft2d", [x, torch.zeros_like(x)], [1, 1, 4], results=2, inverse=False)
        self.assertEqual([round(v, 6) for v in im.reshape(-1).tolist()], [0, -1, 0, 1])
        re, im = apply("fft2d", [x, torch.zeros_like(x)], [1, 1, 4], results=2, inverse=True)
        self.assertEqual([round(v, 6) for v in im.reshape(-1).tolist()], [0, 1, 0, -1])


if __name__ == "__main__":
    unittest.main()
