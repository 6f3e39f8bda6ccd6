"""`profile --values program` (every op timed with the values one run of the
program gives it), subnormal floats and `--flush-denormal`, and profiling a
module that is already placed."""
import json
import os
import shutil
import tempfile
import unittest

import torch

from tests.support import SRC, measure, run, tool

# x + tiny keeps x (tiny is far below half an ulp of x); tiny + tiny is
# subnormal, and so are both operands of the last add.
SUBNORMAL_MODULE = """
func.func @main(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %tiny = "tosa.const"() {values = dense<1.0e-39> : tensor<64x64xf32>} : () -> tensor<64x64xf32>
  %a = tosa.add %x, %tiny : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %b = tosa.add %tiny, %tiny : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %c = tosa.add %b, %b : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %d = tosa.sub %c, %a : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  return %d : tensor<64x64xf32>
}
"""


def flush_supported() -> bool:
    supported = torch.set_flush_denormal(True)
    torch.set_flush_denormal(False)
    return supported


class ProgramValuesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="diviml-measure-values-")
        cls.module = os.path.join(cls.dir, "subnormal.mlir")
        with open(cls.module, "w") as f:
            f.write(SUBNORMAL_MODULE)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def profile(self, name, *extra):
        out = os.path.join(self.dir, name)
        measure("profile", self.module, "-o", out, "--values", "program", "--devices", "cpu",
                "--budget", "0.001", "--peak-size", "64", "--progress", "off", *extra)
        with open(out) as f:
            return json.load(f)

    def subnormal_by_op(self, table):
        return {o["name"]: o["subnormal"] for d in table["measurements"]["ops"] for o in d["ops"]}

    def test_every_op_is_timed_and_its_signature_gets_the_mean(self):
        table = self.profile("p.json")
        self.assertEqual(table["measurements"]["values"], "program")
        adds = next(d for d in table["measurements"]["ops"] if d["op"] == "tosa.add")
        self.assertEqual(adds["count"], 3)
        self.assertEqual(len(adds["ops"]), 3)
        entry = next(e for e in table["entries"] if e["op"] == "tosa.add")
        mean = sum(o["devices"]["cpu"]["seconds"] for o in adds["ops"]) / 3
        self.assertAlmostEqual(entry["times"]["cpu"], mean, delta=1e-12)
        self.assertEqual(sorted(e["op"] for e in table["entries"]), ["tosa.add", "tosa.sub"])

    def test_subnormal_operands_are_counted(self):
        fractions = self.subnormal_by_op(self.profile("p2.json"))
        # x (normal) + tiny; tiny + tiny; b + b with b = 2e-39; c - a.
        self.assertEqual(fractions, {"main/add_1": 0.5, "main/add_2": 1.0, "main/add_3": 1.0,
                                     "main/sub_4": 0.5})

    @unittest.skipUnless(flush_supported(), "this CPU cannot flush subnormals")
    def test_flush_denormal_makes_computed_subnormals_zero(self):
        fractions = self.subnormal_by_op(self.profile("p3.json", "--flush-denormal"))
        # Even the constant is zero once the CPU flushes: it is built by a
        # CPU operation.
        self.assertEqual(fractions, {"main/add_1": 0.0, "main/add_2": 0.0, "main/add_3": 0.0,
                                     "main/sub_4": 0.0})
        out = measure("run", self.module, "--flush-denormal", "--reps", "1", "--warmup", "1", "--json")
        self.assertTrue(json.loads(out.stdout)["flush_denormal"])


class PlacedModuleProfileTest(unittest.TestCase):
    def test_a_placed_module_profiles_like_the_unplaced_one(self):
        # It used to fail with a KeyError on the first placed op.
        example = os.path.join(SRC, "examples", "inception_block.mlir")
        with tempfile.TemporaryDirectory() as tmp:
            placed = os.path.join(tmp, "placed.mlir")
            run([tool("diviml-opt"), example, "-o", placed,
                 "--diviml-partition=platform=cpu-2gpu algorithm=greedy"])
            tables = []
            for module, name in ((placed, "placed.json"), (example, "plain.json")):
                out = os.path.join(tmp, name)
                measure("profile", module, "-o", out, "--devices", "cpu", "--budget", "0.001",
                        "--peak-size", "64", "--progress", "off")
                with open(out) as f:
                    tables.append(json.load(f))
            signatures = [[(e["op"], e["operands"], e["results"]) for e in t["entries"]] for t in tables]
            self.assertEqual(signatures[0], signatures[1])
            self.assertEqual(len(signatures[0]), 13)


if __name__ == "__main__":
    unittest.main()
