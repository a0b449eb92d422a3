#!/bin/sh
# Run every benchmark this folder owns, one after the other (about 3 minutes).
# Usage: bench/run_all.sh            (from the repository root, with .venv set up)
set -e
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
date '+%Y-%m-%d %H:%M'; uptime
$PY bench/bench_store.py
$PY bench/bench_editor.py "$@"
