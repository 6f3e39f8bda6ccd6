"""Helpers shared by the diviml-measure tests."""
from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, Optional

import torch

from diviml_measure.plan import PlanOp, ValueInfo
from diviml_measure.tosa import run_op

TOOLS = os.environ.get("DIVIML_TOOLS_DIR", "")
SRC = os.environ.get("DIVIML_SRC", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))
PACKAGE = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

ELEMENTS = {torch.float32: "f32", torch.int8: "i8", torch.int16: "i16", torch.int32: "i32",
            torch.bool: "i1", torch.int64: "i64"}


def tool(name: str) -> str:
    path = os.path.join(TOOLS, name)
    if not os.access(path, os.X_OK):
        raise AssertionError(f"{name} not found in DIVIML_TOOLS_DIR='{TOOLS}' (run from ctest)")
    return path


def measure(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs `python3 -m diviml_measure ARGS`."""
    env = dict(os.environ, PYTHONPATH=PACKAGE, DIVIML_TOOLS_DIR=TOOLS)
    proc = subprocess.run([sys.executable, "-m", "diviml_measure", *args], capture_output=True,
                          text=True, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"diviml-measure {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def run(command: list[str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed:\n{proc.stderr}")
    return proc


def info(shape: list[int], element: str = "f32") -> ValueInfo:
    return ValueInfo(f"tensor<{'x'.join(map(str, shape))}x{element}>", "tensor", shape, element)


def apply(op: str, args: list[Any], out: list[int], element: Optional[str] = None,
          results: int = 1, **attrs: Any) -> Any:
    """Runs TOSA op `op` (without the `tosa.` prefix) on `args`; the result
    has shape `out` and the element type of the first tensor operand unless
    `element` says otherwise; with `results` > 1, the list of results."""
    first = next(a for a in args if isinstance(a, torch.Tensor))
    element = element or ELEMENTS[first.dtype]
    plan_op = PlanOp("test", "tosa." + op, "loc(unknown)", list(range(len(args))),
                     list(range(len(args), len(args) + results)), [], [], {}, attrs, None, "cpu")
    outs = run_op(plan_op, args, [info(out, element)] * results)
    return outs if results > 1 else outs[0]
