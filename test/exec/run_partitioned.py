#!/usr/bin/env python3
"""Runs a model before and after partitioning and checks the outputs agree.

The unpartitioned program and the partitioned one (diviml-partition on a
three-device platform, then diviml-lower-to-devices) get the same harness: an
@entry function that builds deterministic inputs, calls @main and prints, for
every result, its element count and a position-weighted hash of its bits.
Both go through the same upstream passes (TOSA to linalg, one-shot-bufferize,
LLVM) and run with mlir-runner; every diviml.transfer becomes a host copy.
The partitioned module must use several devices, pass diviml-check-transfers,
and print exactly what the unpartitioned one prints, side effects included.

--break damages the lowered module on purpose, to show that the check fails:
drop-transfer removes the first transfer, swap-calls moves the first device
call of @main whose results the next call does not need past that call.
"""
import argparse
import re
import shlex
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

TOSA_TO_LINALG = ("func.func(tosa-to-linalg-named,tosa-to-linalg,"
                  "tosa-to-arith,tosa-to-tensor)")
BUFFERIZE = ("one-shot-bufferize{bufferize-function-boundaries "
             "function-boundary-type-conversion=identity-layout-map}")
TO_LLVM = ("buffer-deallocation-pipeline,convert-linalg-to-loops,"
           "convert-scf-to-cf,expand-strided-metadata,lower-affine,"
           "convert-math-to-llvm,convert-math-to-libm,"
           "convert-to-llvm,reconcile-unrealized-casts")


def run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        sys.exit("FAIL: command failed: %s\n%s" %
                 (" ".join(map(str, cmd)), result.stderr[-4000:]))
    return result.stdout


def tensor_dims(type_text):
    m = re.fullmatch(r"tensor<((?:\d+x)*)(\w+)>", type_text)
    if not m:
        sys.exit("FAIL: unsupported type %s (static tensors only)" % type_text)
    return [int(d) for d in m.group(1).split("x") if d], m.group(2)


def main_signature(text):
    m = re.search(r"func\.func @main\((.*?)\)\s*->\s*(\(.*?\)|tensor<[^>]*>)",
                  text)
    if not m:
        sys.exit("FAIL: no func.func @main returning tensors")
    args = re.findall(r"%[\w.]+: (tensor<[^>]*>)", m.group(1))
    results = re.findall(r"tensor<[^>]*>", m.group(2))
    return args, results


def harness(args, results, int_range):
    """@entry: deterministic inputs, the call, a hash per result."""
    lines = ["func.func @entry() {",
             "  %c0 = arith.constant 0 : index",
             "  %c1 = arith.constant 1 : index",
             "  %h0 = arith.constant 0 : i64",
             "  %mul = arith.constant 1000003 : i64"]
    names = []
    for n, type_text in enumerate(args):
        dims, elem = tensor_dims(type_text)
        ivs = ["%%i%d" % k for k in range(len(dims))]
        lines.append("  %%in%d = tensor.generate {" % n)
        lines.append("  ^bb0(%s):" % ", ".join(v + ": index" for v in ivs))
        lines.append("    %lin0 = arith.constant 0 : index")
        prev = "%lin0"
        for k, (iv, dim) in enumerate(zip(ivs, dims)):
            lines.append("    %%d%d = arith.constant %d : index" % (k, dim))
            lines.append("    %%s%d = arith.muli %s, %%d%d : index" %
                         (k, prev, k))
            lines.append("    %%lin%d = arith.addi %%s%d, %s : index" %
                         (k + 1, k, iv))
            prev = "%%lin%d" % (k + 1)
        lines.append("    %%l = arith.index_cast %s : index to i64" % prev)
        # Small integers: exact in every type, no library call involved.
        modulus = int_range if elem.startswith("i") else 1009
        lines.append("    %%k = arith.constant %d : i64" % (7919 + 13 * n))
        lines.append("    %%m = arith.constant %d : i64" % modulus)
        lines.append("    %lk = arith.muli %l, %k : i64")
        lines.append("    %r = arith.remui %lk, %m : i64")
        if elem.startswith("i"):
            lines.append("    %%v = arith.trunci %%r : i64 to %s" % elem)
        else:
            lines.append("    %%f = arith.uitofp %%r : i64 to %s" % elem)
            lines.append("    %%sc = arith.constant %f : %s" %
                         (1.0 / modulus, elem))
            lines.append("    %%half = arith.constant 0.5 : %s" % elem)
            lines.append("    %%g = arith.mulf %%f, %%sc : %s" % elem)
            lines.append("    %%v = arith.subf %%g, %%half : %s" % elem)
        lines.append("    tensor.yield %%v : %s" % elem)
        lines.append("  } : %s" % type_text)
        names.append("%%in%d" % n)
    lines.append("  %%out:%d = call @main(%s) : (%s) -> (%s)" %
                 (len(results), ", ".join(names), ", ".join(args),
                  ", ".join(results)))
    for n, type_text in enumerate(results):
        dims, elem = tensor_dims(type_text)
        count = 1
        for d in dims:
            count *= d
        flat = "%%out#%d" % n
        if len(dims) != 1:
            reassoc = "[[%s]]" % ", ".join(str(k) for k in range(len(dims)))
            if not dims:
                reassoc = "[]"
            lines.append("  %%flat%d = tensor.collapse_shape %s %s : %s "
                         "into tensor<%dx%s>" %
                         (n, flat, reassoc, type_text, count, elem))
            flat = "%%flat%d" % n
        lines.append("  %%n%d = arith.constant %d : index" % (n, count))
        lines.append("  %%hash%d:2 = scf.for %%j = %%c0 to %%n%d step %%c1 "
                     "iter_args(%%acc = %%h0, %%nz = %%h0) -> (i64, i64) {"
                     % (n, n))
        lines.append("    %%x = tensor.extract %s[%%j] : tensor<%dx%s>" %
                     (flat, count, elem))
        # The bits, so that the comparison is exact.
        value = "%x"
        if elem == "f32":
            lines.append("    %e = arith.bitcast %x : f32 to i32")
            value, elem = "%e", "i32"
        lines.append("    %%e64 = arith.extui %s : %s to i64" % (value, elem))
        lines.append("    %a = arith.muli %acc, %mul : i64")
        lines.append("    %b = arith.addi %a, %e64 : i64")
        lines.append("    %zero = arith.cmpi eq, %e64, %h0 : i64")
        lines.append("    %one = arith.constant 1 : i64")
        lines.append("    %inc = arith.select %zero, %h0, %one : i64")
        lines.append("    %nz1 = arith.addi %nz, %inc : i64")
        lines.append("    scf.yield %b, %nz1 : i64, i64")
        lines.append("  }")
        lines.append("  %%cnt%d = arith.constant %d : i64" % (n, count))
        lines.append("  vector.print %%cnt%d : i64" % n)
        lines.append("  vector.print %%hash%d#1 : i64" % n)
        lines.append("  vector.print %%hash%d#0 : i64" % n)
    lines += ["  return", "}"]
    return "\n".join(lines) + "\n"


def vary_weights(text):
    """Splat f32 weights (diviml-modelgen's placeholders) made to vary.

    With equal weights every feature of a layer is equal and a layer norm
    outputs zeros, which would hide any error. Each splat constant of two
    elements or more becomes the same value plus a small deterministic
    ripple, written as hex; single elements (TOSA zero points) stay.
    """
    salt = [0]

    def replace(m):
        dims = [int(d) for d in m.group(2).split("x") if d]
        count = 1
        for d in dims:
            count *= d
        if count < 2:
            return m.group(0)
        salt[0] += 1
        base = float(m.group(1))
        values = [base + 0.01 * (((k * 7919 + salt[0] * 131) % 1009) / 1009.0
                                 - 0.5) for k in range(count)]
        return 'dense<"0x%s"> : tensor<%sf32>' % (
            struct.pack("<%df" % count, *values).hex().upper(), m.group(2))

    return re.sub(r"dense<([-+0-9.eE]+)> : tensor<((?:\d+x)+)f32>", replace,
                  text)


def splice(module_text, extra):
    """Adds `extra` as the last ops of the (single) top-level module."""
    end = module_text.rstrip().rfind("}")
    if re.search(r"^module\b", module_text, re.M):
        return module_text[:end] + extra + "}\n"
    return module_text + "\n" + extra


def main_body_range(text):
    start = text.index("func.func @main(")
    end = text.index("\n  }\n", start) if "\n  }\n" in text[start:] else len(
        text)
    return start, end


def drop_transfer(text):
    start, end = main_body_range(text)
    body = text[start:end]
    m = re.search(r"\n\s*(%\w+) = diviml\.transfer (%[\w#]+) from .*", body)
    if not m:
        sys.exit("FAIL: no transfer to drop")
    print("break: dropping %s" % m.group(0).strip())
    body = body[:m.start()] + body[m.end():]
    body = re.sub(re.escape(m.group(1)) + r"(?![\w#])", m.group(2), body)
    return text[:start] + body + text[end:]


def swap_calls(text):
    """Moves a device call of @main past the next one, if nothing between
    them uses its results."""
    start, end = main_body_range(text)
    lines = text[start:end].split("\n")
    calls = [k for k, line in enumerate(lines) if " call @main_" in line]
    for a, b in zip(calls, calls[1:]):
        head = lines[a].split("call", 1)[0]
        defs = re.findall(r"%\w+", head)
        between = "\n".join(lines[a + 1:b + 1])
        if not any(re.search(re.escape(d) + r"(?![\w])", between)
                   for d in defs):
            print("break: moving\n  %s\nafter\n  %s" %
                  (lines[a].strip(), lines[b].strip()))
            lines.insert(b, lines.pop(a))
            return text[:start] + "\n".join(lines) + text[end:]
    sys.exit("FAIL: no two independent device calls to swap")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mlir-opt", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--runner-libs", required=True)
    parser.add_argument("--platform", required=True)
    parser.add_argument("--model", help="model .mlir file")
    parser.add_argument("--modelgen",
                        help="a diviml-modelgen command line writing the model")
    parser.add_argument("--algorithm", default="greedy")
    parser.add_argument("--int-range", type=int, default=16,
                        help="integer inputs are in [0, this)")
    parser.add_argument("--min-devices", type=int, default=2)
    parser.add_argument("--break", dest="breakage",
                        choices=["drop-transfer", "swap-calls"])
    opts = parser.parse_args()

    if opts.modelgen:
        model = run(shlex.split(opts.modelgen))
    else:
        model = Path(opts.model).read_text()
    model = vary_weights(model)
    args, results = main_signature(model)
    entry = harness(args, results, opts.int_range)
    opt = [opts.mlir_opt, "--load-dialect-plugin=" + opts.plugin,
           "--load-pass-plugin=" + opts.plugin]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def compile_and_run(name, text, pipeline):
            source = tmp / (name + ".mlir")
            source.write_text(text)
            llvm = tmp / (name + ".llvm.mlir")
            run(opt + [str(source), "--pass-pipeline=builtin.module(%s)" %
                       pipeline, "-o", str(llvm)])
            if "diviml" in llvm.read_text():
                sys.exit("FAIL: %s still mentions diviml after lowering" %
                         name)
            return run([opts.runner, str(llvm), "-e", "entry",
                        "-entry-point-result=void",
                        "-shared-libs=" + opts.runner_libs])

        reference = compile_and_run(
            "reference", splice(model, entry),
            ",".join(["diviml-strip", TOSA_TO_LINALG, BUFFERIZE, TO_LLVM]))

        source = tmp / "model.mlir"
        source.write_text(model)
        lowered = run(opt + [str(source), "--pass-pipeline=builtin.module("
                             "diviml-partition{platform=%s algorithm=%s},"
                             "diviml-lower-to-devices)" %
                             (opts.platform, opts.algorithm)])
        devices = set(re.findall(r'diviml\.device = "([^"]+)"', lowered))
        transfers = lowered.count("diviml.transfer")
        print("partitioned: %d devices (%s), %d transfers" %
              (len(devices), ", ".join(sorted(devices)), transfers))
        if len(devices) < opts.min_devices or transfers == 0:
            sys.exit("FAIL: the placement uses fewer than %d devices" %
                     opts.min_devices)
        if opts.breakage == "drop-transfer":
            lowered = drop_transfer(lowered)
        elif opts.breakage == "swap-calls":
            lowered = swap_calls(lowered)
        partitioned = compile_and_run(
            "partitioned", splice(lowered, entry),
            ",".join(["diviml-check-transfers", TOSA_TO_LINALG, BUFFERIZE,
                      "diviml-strip", TO_LLVM]))

    print("unpartitioned output:\n" + reference)
    # Per result: element count, non-zero elements, hash.
    printed = [int(v) for v in re.findall(r"^-?\d+$", reference, re.M)]
    if len(printed) < 3 or any(printed[k + 1] == 0
                               for k in range(0, len(printed) - 2, 3)):
        sys.exit("FAIL: a result is all zeros; the comparison would prove "
                 "nothing")
    # Buffer addresses differ from run to run.
    reference = re.sub(r"base@ = 0x[0-9a-f]+", "base@", reference)
    partitioned = re.sub(r"base@ = 0x[0-9a-f]+", "base@", partitioned)
    if partitioned != reference:
        print("partitioned output:\n" + partitioned)
        sys.exit("FAIL: the partitioned program prints something else")
    print("PASS: the partitioned program computes the same numbers")


if __name__ == "__main__":
    main()
