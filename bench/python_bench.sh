#!/usr/bin/env bash
# Runs bench/python_bench.py in a virtual environment of its own with the
# package built from bindings/python and its peers, backoff and tenacity.
# Extra arguments go to the benchmark (--rounds N, --scale X).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
venv="$top/${BACKOFF_BUILD_DIR:-build}/python-bench-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q backoff tenacity
"$venv/bin/pip" install -q --force-reinstall --no-deps "$top/bindings/python"
"$venv/bin/python" "$top/bench/python_bench.py" "$@"
