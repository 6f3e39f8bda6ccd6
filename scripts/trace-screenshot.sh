#!/usr/bin/env bash
# Renders a diviml trace with docs/trace-viewer.html in headless Chromium and
# saves a PNG: scripts/trace-screenshot.sh TRACE.json OUT.png [WIDTHxHEIGHT].
# Needs Debian's `chromium` (documentation only; no test uses it). The trace
# is inlined into a copy of the viewer, since a page opened from file://
# cannot read a file beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
trace="$1" out="$2" size="${3:-1400,700}"
page="$(mktemp --suffix=.html)"
trap 'rm -f "$page"' EXIT
python3 - "$root/docs/trace-viewer.html" "$trace" "$page" <<'PY'
import sys
viewer, trace, page = sys.argv[1:]
html = open(viewer).read()
data = open(trace).read().replace("</", "<\\/")
open(page, "w").write(html.replace("/*TRACE*/", data, 1))
PY
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size="${size/x/,}" --screenshot="$(realpath -m "$out")" "file://$page" 2>/dev/null
echo "wrote $out"
