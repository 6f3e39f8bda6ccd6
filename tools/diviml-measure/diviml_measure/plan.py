"""Execution plans: the JSON that `diviml-translate --export-plan` writes
(docs/formats.md). The Python side reads plans, never MLIR text."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any, Optional


class PlanError(Exception):
    """A plan that cannot be produced or read."""


@dataclass
class ValueInfo:
    type: str
    kind: str  # "tensor", "shape" or "other"
    shape: Optional[list[int]]
    element: Optional[str]


@dataclass
class PlanOp:
    name: str
    op: str
    location: str
    operands: list[int]
    results: list[int]
    operand_types: list[str]
    result_types: list[str]
    attributes: dict[str, str]
    attribute_values: dict[str, Any]
    constant: Optional[dict[str, Any]]
    device: Optional[str]

    def attr(self, key: str, default: Any = None) -> Any:
        return self.attribute_values.get(key, default)

    def where(self) -> str:
        return f"'{self.name}' ({self.location})"


@dataclass
class Plan:
    function: str
    inputs: list[int]
    outputs: list[int]
    values: list[ValueInfo]
    ops: list[PlanOp]
    platform: Optional[dict[str, Any]]

    def devices(self) -> list[str]:
        """Device names that the ops use, in order of first use."""
        seen: list[str] = []
        for op in self.ops:
            if op.device is not None and op.device not in seen:
                seen.append(op.device)
        return seen

    def device_kinds(self) -> dict[str, str]:
        if not self.platform:
            return {}
        return {d["name"]: d["kind"] for d in self.platform["devices"]}

    def home(self) -> Optional[str]:
        return self.platform["home"] if self.platform else None


def plan_from_json(data: dict[str, Any]) -> Plan:
    if data.get("format") != "diviml-plan" or data.get("version") != 1:
        raise PlanError("not a diviml plan (format 'diviml-plan', version 1)")
    values = [ValueInfo(v["type"], v["kind"], v.get("shape"), v.get("element"))
              for v in data["values"]]
    ops = [PlanOp(o["name"], o["op"], o["location"], o["operands"], o["results"],
                  o["operand_types"], o["result_types"], o["attributes"],
                  o["attribute_values"], o.get("constant"), o.get("device"))
           for o in data["ops"]]
    return Plan(data["function"], data["inputs"], data["outputs"], values, ops,
                data.get("platform"))


def find_tool(name: str, explicit: Optional[str] = None) -> str:
    """A diviml tool: `explicit`, $DIVIML_<NAME>, next to the launcher
    ($DIVIML_TOOLS_DIR), or on PATH."""
    variable = "DIVIML_" + name.split("-", 1)[1].upper()
    candidates = [explicit, os.environ.get(variable)]
    tools = os.environ.get("DIVIML_TOOLS_DIR")
    if tools:
        candidates.append(os.path.join(tools, name))
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    found = shutil.which(name)
    if not found:
        raise PlanError(f"cannot find {name}: set {variable} or put it on PATH")
    return found


def find_translate(explicit: Optional[str] = None) -> str:
    """diviml-translate (see find_tool); --translate overrides."""
    return find_tool("diviml-translate", explicit)


def load_plan(path: str, translate: Optional[str] = None) -> Plan:
    """A plan from a `.json` plan file, or exported from an MLIR module."""
    if path.endswith(".json"):
        with open(path) as f:
            return plan_from_json(json.load(f))
    tool = find_translate(translate)
    proc = subprocess.run([tool, "--export-plan", path], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise PlanError(f"diviml-translate --export-plan {path} failed:\n"
                        + proc.stderr.strip())
    return plan_from_json(json.loads(proc.stdout))
