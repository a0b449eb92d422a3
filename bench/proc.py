"""Timing fresh `cjm` processes, shared by bench_cli.py and bench_check.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def cjm_command() -> list[str]:
    """The installed `cjm` next to this interpreter, else on PATH, else `python -m cjm_tui`."""
    script = Path(sys.executable).parent / "cjm"
    if script.exists():
        return [str(script)]
    found = shutil.which("cjm")
    return [found] if found else [sys.executable, "-m", "cjm_tui"]


def bytecode_env(pycache_dir: str) -> dict[str, str]:
    """The environment with bytecode caching on, in *pycache_dir*. This machine sets
    PYTHONDONTWRITEBYTECODE=1, so an editable checkout would recompile every module on
    every start, unlike an installed cjm (pip compiles its bytecode)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache_dir
    return env


def time_command(cmd: list[str], env: dict[str, str] | None, ok: tuple[int, ...] = (0,)) -> float:
    """Seconds one run of *cmd* takes; stops the bench if it exits with a code not in *ok*."""
    t = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - t
    if res.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {res.returncode}")
    return elapsed
