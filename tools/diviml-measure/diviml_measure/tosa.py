"""TOSA semantics in PyTorch: one kernel per op kind of the cost model's TOSA
table (docs/cost-model.md), following the TOSA 1.0 specification: NHWC
activations, weights [OC,KH,KW,IC] (depthwise [KH,KW,C,M]), pads
[top,bottom,left,right] (asymmetric allowed), matmul [N,H,C] x [N,C,W], zero
points and shift operands, `!tosa.shape` operands as Python lists.

Integer convolutions, products and pools are computed exactly in float64 and
converted to the result type; f16/bf16 products on the CPU are computed in
f32 (PyTorch has no CPU kernels for them) and converted back.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import torch
import torch.nn.functional as F

from diviml_measure.plan import PlanOp, ValueInfo


class UnsupportedOp(Exception):
    """An op, element type or attribute value the executor does not run."""


DTYPES: dict[str, torch.dtype] = {
    "f64": torch.float64, "f32": torch.float32, "f16": torch.float16,
    "bf16": torch.bfloat16, "i1": torch.bool, "i8": torch.int8,
    "i16": torch.int16, "i32": torch.int32, "i64": torch.int64,
    "ui8": torch.uint8, "index": torch.int64,
}

# Ops that run no kernel (time 0 in the cost model): not profiled.
FREE_OPS = {"tosa.const", "tosa.const_shape", "tosa.reshape", "tosa.identity",
            "tosa.dim", "arith.constant"}
SHAPE_OPS = {"tosa.const_shape", "tosa.dim", "tosa.add_shape", "tosa.sub_shape",
             "tosa.mul_shape", "tosa.div_floor_shape", "tosa.div_ceil_shape",
             "tosa.mod_shape", "tosa.max_shape", "tosa.min_shape",
             "tosa.exp2_shape", "tosa.log2_ceil_shape", "tosa.log2_floor_shape",
             "tosa.concat_shape", "tosa.slice_shape"}
FREE_OPS |= SHAPE_OPS


def torch_dtype(element: str | None, where: str = "") -> torch.dtype:
    if element not in DTYPES:
        raise UnsupportedOp(f"element type '{element}' is not supported{where}")
    return DTYPES[element]


def is_int(dtype: torch.dtype) -> bool:
    return not dtype.is_floating_point and dtype != torch.bool


def int_range(dtype: torch.dtype) -> tuple[int, int]:
    info = torch.iinfo(dtype)
    return info.min, info.max


def constant_tensor(op: PlanOp, info: ValueInfo, device: torch.device | str) -> Any:
    """The value of a constant op: a tensor, or a list for `!tosa.shape`."""
    const = op.constant or {}
    if info.kind == "shape":
        if "values" in const:
            return [int(v) for v in const["values"]]
        return [int(const["splat"])]
    dtype = torch_dtype(info.element, f" (constant {op.where()})")
    shape = info.shape or []
    if "splat" in const:
        return torch.full(shape, const["splat"], dtype=dtype, device=device)
    return torch.tensor(const["values"], dtype=dtype, device=device).reshape(shape)


# --- shape arithmetic --------------------------------------------------------

def _elementwise_shape(fn: Callable[[int, int], int]) -> Callable[..., list[int]]:
    return lambda op, a, infos: [fn(x, y) for x, y in zip(a[0], a[1])]


def _div_ceil(x: int, y: int) -> int:
    return -((-x) // y)


SHAPE_KERNELS: dict[str, Callable[..., list[int]]] = {
    "tosa.add_shape": _elementwise_shape(lambda x, y: x + y),
    "tosa.sub_shape": _elementwise_shape(lambda x, y: x - y),
    "tosa.mul_shape": _elementwise_shape(lambda x, y: x * y),
    "tosa.div_floor_shape": _elementwise_shape(lambda x, y: x // y),
    "tosa.div_ceil_shape": _elementwise_shape(_div_ceil),
    "tosa.mod_shape": _elementwise_shape(lambda x, y: x % y),
    "tosa.max_shape": _elementwise_shape(max),
    "tosa.min_shape": _elementwise_shape(min),
    "tosa.exp2_shape": lambda op, a, infos: [2 ** x for x in a[0]],
    "tosa.log2_ceil_shape": lambda op, a, infos: [math.ceil(math.log2(x)) for x in a[0]],
    "tosa.log2_floor_shape": lambda op, a, infos: [math.floor(math.log2(x)) for x in a[0]],
    "tosa.concat_shape": lambda op, a, infos: [x for s in a for x in s],
    "tosa.slice_shape": lambda op, a, infos: list(a[0][op.attr("start"):op.attr("start") + op.attr("size")]),
    "tosa.dim": lambda op, a, infos: [infos[op.operands[0]].shape[op.attr("axis")]],
}


# --- helpers -----------------------------------------------------------------

def _work_dtype(dtype: torch.dtype, device: torch.device) -> torch.dtype:
    """The dtype products are computed in: exact float64 for integers, f32
    for half types on the CPU."""
    if not dtype.is_floating_point:
        return torch.float64
    if dtype in (torch.float16, torch.bfloat16) and device.type == "cpu":
        return torch.float32
    return dtype


def _finish(x: torch.Tensor, out: ValueInfo) -> torch.Tensor:
    """Converts a float result to the result type: integers round to nearest
    and saturate, as a TOSA accumulator never overflows its type."""
    dtype = torch_dtype(out.element)
    if x.dtype == dtype:
        return x
    if is_int(dtype) and x.dtype.is_floating_point:
        lo, hi = int_range(dtype)
        return torch.round(x).clamp(lo, hi).to(dtype)
    return x.to(dtype)


def _zp(t: Any) -> float:
    return float(t.reshape(-1)[0]) if isinstance(t, torch.Tensor) else 0.0


def _nchw(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 3, 1, 2)


def _nhwc(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1)


def _pad_nchw(x: torch.Tensor, p: Sequence[int], value: float = 0.0) -> tuple[torch.Tensor, tuple[int, int]]:
    """TOSA pad [top,bottom,left,right] on an NCHW view: symmetric pads go to
    the kernel, asymmetric ones are applied first."""
    if p[0] == p[1] and p[2] == p[3]:
        return x, (p[0], p[2])
    return F.pad(x, (p[2], p[3], p[0], p[1]), value=value), (0, 0)


def _int_inputs(xs: Sequence[torch.Tensor], zps: Sequence[Any], work: torch.dtype) -> list[torch.Tensor]:
    out = []
    for x, zp in zip(xs, zps):
        y = x.to(work)
        if not x.dtype.is_floating_point and zp is not None and _zp(zp) != 0:
            y = y - _zp(zp)
        out.append(y)
    return out


# --- kernels -----------------------------------------------------------------

Kernel = Callable[[PlanOp, list, list[ValueInfo]], list[torch.Tensor]]
KERNELS: dict[str, Kernel] = {}


def kernel(*names: str) -> Callable[[Kernel], Kernel]:
    def register(fn: Kernel) -> Kernel:
        for n in names:
            KERNELS["tosa." + n] = fn
        return fn
    return register


@kernel("conv2d", "depthwise_conv2d")
def _conv2d(op, a, out):
    x, w, bias = a[0], a[1], a[2]
    work = _work_dtype(x.dtype, x.device)
    x, w = _int_inputs([x, w], [a[3], a[4]], work)
    stride, dil, pad = op.attr("stride"), op.attr("dilation"), op.attr("pad")
    if op.op == "tosa.conv2d":
        weight, groups = w.permute(0, 3, 1, 2), 1
    else:
        kh, kw, c, m = w.shape
        weight, groups = w.permute(2, 3, 0, 1).reshape(c * m, 1, kh, kw), c
    xx, pp = _pad_nchw(_nchw(x), pad)
    b = bias.to(work)
    fused = b if b.numel() == weight.shape[0] else None
    y = _nhwc(F.conv2d(xx, weight, fused, stride=stride, padding=pp,
                       dilation=dil, groups=groups))
    if fused is None:
        y = y + b
    return [_finish(y, out[0])]


@kernel("conv3d")
def _conv3d(op, a, out):
    x, w, bias = a[0], a[1], a[2]
    work = _work_dtype(x.dtype, x.device)
    x, w = _int_inputs([x, w], [a[3], a[4]], work)
    p = op.attr("pad")  # [d0, d1, top, bottom, left, right]
    xx = F.pad(x.permute(0, 4, 1, 2, 3), (p[4], p[5], p[2], p[3], p[0], p[1]))
    y = F.conv3d(xx, w.permute(0, 4, 1, 2, 3), None, stride=op.attr("stride"),
                 dilation=op.attr("dilation"))
    return [_finish(y.permute(0, 2, 3, 4, 1) + bias.to(work), out[0])]


@kernel("transpose_conv2d")
def _transpose_conv2d(op, a, out):
    x, w, bias = a[0], a[1], a[2]
    work = _work_dtype(x.dtype, x.device)
    x, w = _int_inputs([x, w], [a[3], a[4]], work)
    # out[iy*sy + top + ky] += x[iy] * w[ky]: the full transposed convolution,
    # then out_pad (negative values crop).
    full = F.conv_transpose2d(_nchw(x), w.permute(3, 0, 1, 2), None,
                              stride=op.attr("stride"))
    t, b, l, r = op.attr("out_pad")
    y = _nhwc(F.pad(full, (l, r, t, b)))
    return [_finish(y + bias.to(work), out[0])]


@kernel("matmul")
def _matmul(op, a, out):
    work = _work_dtype(a[0].dtype, a[0].device)
    x, y = _int_inputs([a[0], a[1]], [a[2], a[3]], work)
    return [_finish(torch.bmm(x, y), out[0])]


def _pool_sums(x: torch.Tensor, kern, stride, pad) -> torch.Tensor:
    xx = F.pad(x, (pad[2], pad[3], pad[0], pad[1]))
    return F.avg_pool2d(xx, kern, stride, 0, divisor_override=1)


@kernel("avg_pool2d")
def _avg_pool2d(op, a, out):
    x = a[0]
    kern, stride, pad = op.attr("kernel"), op.attr("stride"), op.attr("pad")
    work = _work_dtype(x.dtype, x.device)
    xn = _nchw(x.to(work))
    if is_int(x.dtype):
        xn = xn - _zp(a[1])
    if (pad[0] == pad[1] and pad[2] == pad[3] and pad[0] <= kern[0] // 2
            and pad[2] <= kern[1] // 2):
        y = F.avg_pool2d(xn, kern, stride, (pad[0], pad[2]), count_include_pad=False)
    else:  # the divisor counts only the elements inside the input
        ones = torch.ones_like(xn[:1, :1])
        y = _pool_sums(xn, kern, stride, pad) / _pool_sums(ones, kern, stride, pad)
    y = _nhwc(y)
    if is_int(x.dtype):
        y = torch.floor(y + 0.5) + _zp(a[2])
    return [_finish(y, out[0])]


@kernel("max_pool2d")
def _max_pool2d(op, a, out):
    x = a[0]
    kern, stride, pad = op.attr("kernel"), op.attr("stride"), op.attr("pad")
    work = _work_dtype(x.dtype, x.device)
    xn = _nchw(x.to(work))
    if (pad[0] == pad[1] and pad[2] == pad[3] and pad[0] <= kern[0] // 2
            and pad[2] <= kern[1] // 2):
        y = F.max_pool2d(xn, kern, stride, (pad[0], pad[2]))
    else:
        y = F.max_pool2d(F.pad(xn, (pad[2], pad[3], pad[0], pad[1]), value=-math.inf),
                         kern, stride, 0)
    return [_finish(_nhwc(y), out[0])]


def _unary(fn: Callable[[torch.Tensor], torch.Tensor]) -> Kernel:
    return lambda op, a, out: [_finish(fn(a[0]), out[0])]


def _float_unary(fn: Callable[[torch.Tensor], torch.Tensor]) -> Kernel:
    def run(op, a, out):
        x = a[0]
        if x.dtype in (torch.float16, torch.bfloat16) and x.device.type == "cpu":
            x = x.float()
        return [_finish(fn(x), out[0])]
    return run


for _name, _fn in {"exp": torch.exp, "log": torch.log, "sin": torch.sin,
                   "cos": torch.cos, "reciprocal": torch.reciprocal,
                   "rsqrt": torch.rsqrt, "erf": torch.erf,
                   "sigmoid": torch.sigmoid, "tanh": torch.tanh,
                   "ceil": torch.ceil, "floor": torch.floor}.items():
    KERNELS["tosa." + _name] = _float_unary(_fn)
KERNELS["tosa.abs"] = _unary(torch.abs)
KERNELS["tosa.bitwise_not"] = _unary(torch.bitwise_not)
KERNELS["tosa.logical_not"] = _unary(torch.logical_not)


@kernel("negate")
def _negate(op, a, out):
    x = a[0]
    if not is_int(x.dtype):
        return [_finish(-x, out[0])]
    y = -(x.to(torch.int64) - int(_zp(a[1]))) + int(_zp(a[2]))
    lo, hi = int_range(x.dtype)
    return [y.clamp(lo, hi).to(x.dtype)]


@kernel("clz")
def _clz(op, a, out):
    x = a[0].to(torch.int64) & 0xFFFFFFFF
    bits = sum(((x >> k) != 0).to(torch.int64) for k in range(32))
    return [_finish(32 - bits, out[0])]


@kernel("clamp")
def _clamp(op, a, out):
    lo, hi = op.attr("min_val"), op.attr("max_val")
    if lo is None or hi is None:
        raise UnsupportedOp(f"clamp without numeric min_val/max_val at {op.where()}")
    return [torch.clamp(a[0], lo, hi)]


@kernel("table")
def _table(op, a, out):
    x, table = a[0], a[1].to(torch.int64)
    if x.dtype == torch.int8:
        return [_finish(table[x.to(torch.int64) + 128], out[0])]
    if x.dtype == torch.int16:  # 513 entries, 7 fractional bits interpolated
        idx = x.to(torch.int64) + 32768
        base, frac = idx >> 7, idx & 0x7F
        lo, hi = table[base], table[base + 1]
        return [_finish((lo << 7) + (hi - lo) * frac, out[0])]
    raise UnsupportedOp(f"tosa.table on {x.dtype} at {op.where()}")


@kernel("rescale")
def _rescale(op, a, out):
    x, multiplier, shift = a[0], a[1].to(torch.int64), a[2].to(torch.int64)
    value = x.to(torch.int64)
    if op.attr("input_unsigned") and x.dtype != torch.uint8:
        value = value & ((1 << (8 * x.element_size())) - 1)
    value = value - int(_zp(a[3]))
    mode = str(op.attr("rounding_mode", "SINGLE_ROUND"))
    double_round = op.attr("scale32", True) and mode == "DOUBLE_ROUND"
    rounding = torch.where(shift > 0, torch.ones_like(shift) << (shift - 1).clamp(min=0),
                           torch.zeros_like(shift))
    if double_round:
        rounding = rounding + torch.where(shift > 31, torch.full_like(shift, 1 << 30),
                                          torch.zeros_like(shift)) * torch.where(
            value >= 0, torch.ones_like(value), -torch.ones_like(value))
    y = (value * multiplier + rounding) >> shift
    y = y + int(_zp(a[4]))
    dtype = torch_dtype(out[0].element)
    if op.attr("output_unsigned"):
        lo, hi = 0, (1 << (8 * torch.empty((), dtype=dtype).element_size())) - 1
    else:
        lo, hi = int_range(dtype)
    return [y.clamp(lo, hi).to(dtype)]


def _binary(fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> Kernel:
    return lambda op, a, out: [_finish(fn(a[0], a[1]), out[0])]


KERNELS.update({
    "tosa.add": _binary(torch.add), "tosa.sub": _binary(torch.sub),
    "tosa.maximum": _binary(torch.maximum), "tosa.minimum": _binary(torch.minimum),
    "tosa.pow": _binary(torch.pow),
    "tosa.bitwise_and": _binary(torch.bitwise_and),
    "tosa.bitwise_or": _binary(torch.bitwise_or),
    "tosa.bitwise_xor": _binary(torch.bitwise_xor),
    "tosa.logical_and": _binary(torch.logical_and),
    "tosa.logical_or": _binary(torch.logical_or),
    "tosa.logical_xor": _binary(torch.logical_xor),
    "tosa.equal": _binary(torch.eq), "tosa.greater": _binary(torch.gt),
    "tosa.greater_equal": _binary(torch.ge),
    "tosa.intdiv": _binary(lambda x, y: torch.div(x, y, rounding_mode="trunc")),
})


@kernel("mul")
def _mul(op, a, out):
    x, y = a[0], a[1]
    shift = int(_zp(a[2])) if len(a) > 2 and is_int(x.dtype) else 0
    if shift == 0:
        return [_finish(x * y, out[0])]
    product = x.to(torch.int64) * y.to(torch.int64)
    return [((product + (1 << (shift - 1))) >> shift).to(torch_dtype(out[0].element))]


def _bits(x: torch.Tensor) -> int:
    return 8 * x.element_size()


@kernel("logical_left_shift")
def _shl(op, a, out):
    x, s = a[0].to(torch.int64), a[1].to(torch.int64)
    y = (x << s) & ((1 << _bits(a[0])) - 1)
    half = 1 << (_bits(a[0]) - 1)
    return [torch.where(y >= half, y - 2 * half, y).to(a[0].dtype)]


@kernel("logical_right_shift")
def _shr(op, a, out):
    x = a[0].to(torch.int64) & ((1 << _bits(a[0])) - 1)
    y = x >> a[1].to(torch.int64)
    half = 1 << (_bits(a[0]) - 1)
    return [torch.where(y >= half, y - 2 * half, y).to(a[0].dtype)]


@kernel("arithmetic_right_shift")
def _sar(op, a, out):
    x, s = a[0].to(torch.int64), a[1].to(torch.int64)
    y = x >> s
    if op.attr("round"):
        y = y + torch.where(s > 0, (x >> (s - 1).clamp(min=0)) & 1, torch.zeros_like(y))
    return [y.to(a[0].dtype)]


@kernel("select")
def _select(op, a, out):
    return [torch.where(a[0], a[1], a[2])]


def _reduce(fn: Callable[[torch.Tensor, int], torch.Tensor]) -> Kernel:
    def run(op, a, out):
        return [_finish(fn(a[0], op.attr("axis")), out[0])]
    return run


KERNELS.update({
    "tosa.reduce_sum": _reduce(lambda x, d: torch.sum(x, dim=d, keepdim=True)),
    "tosa.reduce_product": _reduce(lambda x, d: torch.prod(x, dim=d, keepdim=True)),
    "tosa.reduce_max": _reduce(lambda x, d: torch.amax(x, dim=d, keepdim=True)),
    "tosa.reduce_min": _reduce(lambda x, d: torch.amin(x, dim=d, keepdim=True)),
    "tosa.reduce_all": _reduce(lambda x, d: torch.all(x, dim=d, keepdim=True)),
    "tosa.reduce_any": _reduce(lambda x, d: torch.any(x, dim=d, keepdim=True)),
    "tosa.argmax": _reduce(lambda x, d: torch.argmax(x, dim=d)),
})


@kernel("cast")
def _cast(op, a, out):
    x, dtype = a[0], torch_dtype(out[0].element)
    if dtype == torch.bool:
        return [x != 0]
    if is_int(dtype) and x.dtype.is_floating_point:
        lo, hi = int_range(dtype)  # round half to even, saturate
        return [torch.round(x).clamp(lo, hi).to(dtype)]
    return [x.to(dtype)]


@kernel("reshape")
def _reshape(op, a, out):
    shape = out[0].shape if out[0].shape and None not in out[0].shape else a[1]
    return [a[0].reshape(shape)]


KERNELS["tosa.identity"] = lambda op, a, out: [a[0]]


@kernel("transpose")
def _transpose(op, a, out):
    return [a[0].permute(*op.attr("perms")).contiguous()]


@kernel("tile")
def _tile(op, a, out):
    return [a[0].repeat(*a[1])]


@kernel("reverse")
def _reverse(op, a, out):
    return [torch.flip(a[0], [op.attr("axis")])]


@kernel("pad")
def _pad(op, a, out):
    padding = a[1]  # [d0 before, d0 after, d1 before, ...]
    torch_pad: list[int] = []
    for d in reversed(range(len(padding) // 2)):
        torch_pad += [padding[2 * d], padding[2 * d + 1]]
    value = a[2].reshape(-1)[0].item()
    return [F.pad(a[0], torch_pad, value=value)]


@kernel("concat")
def _concat(op, a, out):
    return [torch.cat(list(a), dim=op.attr("axis"))]


@kernel("slice")
def _slice(op, a, out):
    start, size = a[1], a[2]
    index = tuple(slice(s, s + n) for s, n in zip(start, size))
    return [a[0][index].contiguous()]


@kernel("gather")
def _gather(op, a, out):
    values, indices = a[0], a[1].long()
    n, w = indices.shape
    return [torch.gather(values, 1, indices.unsqueeze(-1).expand(n, w, values.shape[2]))]


@kernel("scatter")
def _scatter(op, a, out):
    values, indices, update = a[0], a[1].long(), a[2]
    n, w = indices.shape
    return [values.scatter(1, indices.unsqueeze(-1).expand(n, w, values.shape[2]), update)]


@kernel("resize")
def _resize(op, a, out):
    x = a[0]
    sy_n, sy_d, sx_n, sx_d = a[1]
    oy_off, ox_off = a[2]
    _, ih, iw, _ = x.shape
    _, oh, ow, _ = out[0].shape
    mode = str(op.attr("mode"))
    floating = x.dtype.is_floating_point
    dev = x.device

    def axis(o: int, scale_n: int, scale_d: int, offset: int, size: int):
        pos = torch.arange(o, device=dev, dtype=torch.int64) * scale_d + offset
        i = torch.div(pos, scale_n, rounding_mode="floor")
        r = pos - i * scale_n
        i0 = i.clamp(min=0)
        i1 = (i + 1).clamp(max=size - 1)
        return i0, i1, r

    y0, y1, ry = axis(oh, sy_n, sy_d, oy_off, ih)
    x0, x1, rx = axis(ow, sx_n, sx_d, ox_off, iw)
    if mode.startswith("NEAREST"):
        yi = torch.where(2 * ry >= sy_n, y1, y0)
        xi = torch.where(2 * rx >= sx_n, x1, x0)
        return [x[:, yi][:, :, xi]]
    if mode != "BILINEAR":
        raise UnsupportedOp(f"resize mode '{mode}' at {op.where()}")
    if floating:
        dy = (ry.to(x.dtype) / sy_n).view(1, -1, 1, 1)
        dx = (rx.to(x.dtype) / sx_n).view(1, 1, -1, 1)
        uy, ux = 1.0, 1.0
        v = x
    else:  # integer: the result is scaled by scale_y_n * scale_x_n
        dy, dx = ry.view(1, -1, 1, 1), rx.view(1, 1, -1, 1)
        uy, ux = sy_n, sx_n
        v = x.to(torch.int64)
    r0, r1 = v[:, y0], v[:, y1]
    acc = (r0[:, :, x0] * (uy - dy) * (ux - dx) + r0[:, :, x1] * (uy - dy) * dx
           + r1[:, :, x0] * dy * (ux - dx) + r1[:, :, x1] * dy * dx)
    return [_finish(acc, out[0])]


@kernel("fft2d")
def _fft2d(op, a, out):
    z = torch.complex(a[0].float(), a[1].float())
    y = torch.fft.ifft2(z, norm="forward") if op.attr("inverse") else torch.fft.fft2(z)
    return [_finish(y.real, out[0]), _finish(y.imag, out[1])]


@kernel("rfft2d")
def _rfft2d(op, a, out):
    y = torch.fft.rfft2(a[0].float())
    return [_finish(y.real.contiguous(), out[0]), _finish(y.imag.contiguous(), out[1])]


def check_supported(op: PlanOp) -> None:
    """Raises UnsupportedOp naming the op and its location."""
    if op.constant is not None or op.op in SHAPE_KERNELS or op.op in KERNELS:
        return
    raise UnsupportedOp(f"unsupported op '{op.op}' ({op.name}) at {op.location}")


def run_op(op: PlanOp, args: list, results: list[ValueInfo]) -> list[torch.Tensor]:
    """Runs one non-constant, non-shape op on the device of its operands."""
    fn = KERNELS.get(op.op)
    if fn is None:
        raise UnsupportedOp(f"unsupported op '{op.op}' ({op.name}) at {op.location}")
    return fn(op, args, results)
