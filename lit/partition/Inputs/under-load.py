"""Runs a command while busy loops keep every CPU of the machine loaded.

Usage: under-load.py COMMAND [ARGS...]. Starts two busy processes per CPU,
runs the command, stops the busy processes it started, and exits with the
command's status. Used by determinism.test: the default pipeline's output
must not depend on how loaded the machine is.
"""
import os
import subprocess
import sys

BUSY = "while True: pass"

hogs = [
    subprocess.Popen([sys.executable, "-c", BUSY])
    for _ in range(2 * (os.cpu_count() or 1))
]
try:
    status = subprocess.call(sys.argv[1:])
finally:
    for hog in hogs:
        hog.kill()
    for hog in hogs:
        hog.wait()
sys.exit(status)
