"""The diviml-measure command line: one subcommand per module."""
from __future__ import annotations

import argparse
import sys
from typing import Optional

from diviml_measure import profile, run


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="diviml-measure",
        description="profile the ops of a model and run placed programs on this machine's devices")
    parser.add_argument("--translate", default=None, help="path of diviml-translate")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module, text in (("profile", profile, "time every op signature of a module"),
                               ("run", run, "run a placed module for real")):
        p = sub.add_parser(name, help=text, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(handler=module.main)
    args = parser.parse_args(argv)
    # Errors the user can act on end the program with one line, not a trace.
    from diviml_measure.executor import DeviceError
    from diviml_measure.plan import PlanError
    from diviml_measure.tosa import UnsupportedOp
    try:
        return args.handler(args)
    except (DeviceError, PlanError, UnsupportedOp) as e:
        print(f"diviml-measure: error: {e}", file=sys.stderr)
        return 1
