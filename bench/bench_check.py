"""Benchmark `cjm check`: start-up against a same-run reference, and a 10,000-card map.

    .venv/bin/python bench/bench_check.py [--runs 30] [--sample samples/joan-vacuum.cjm.toml]

What is timed (wall clock of a fresh process, median of --runs, runs interleaved
so that machine noise hits both sides alike):
- reference: `python -c "import tomllib"` with the same interpreter;
- `cjm check SAMPLE` through the installed console script (what pre-commit runs);
- `cjm check` on a 10,000-card map written by bench/gen.py (target: under 2 s).

Targets (issue 5, item 9): check on a sample within 3x the reference; a
10,000-card map under 2 s. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from proc import bytecode_env, cjm_command, time_command  # noqa: E402


ENV: dict[str, str] | None = None


def _time(cmd: list[str]) -> float:
    return time_command(cmd, ENV, ok=(0, 1))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--sample", default=str(ROOT / "samples" / "joan-vacuum.cjm.toml"))
    p.add_argument("--cards", type=int, default=10_000)
    p.add_argument("--no-bytecode", action="store_true",
                   help="keep PYTHONDONTWRITEBYTECODE as it is (by default the children cache bytecode, "
                        "in a temporary PYTHONPYCACHEPREFIX, as an installed cjm does)")
    args = p.parse_args(argv)
    global ENV
    pycache = tempfile.TemporaryDirectory()
    if not args.no_bytecode:
        # pip compiles an installed package's bytecode; an editable checkout run with
        # PYTHONDONTWRITEBYTECODE=1 recompiles every module on every start instead.
        ENV = bytecode_env(pycache.name)

    cjm = cjm_command()
    ref_cmd = [sys.executable, "-c", "import tomllib"]
    check_cmd = cjm + ["check", args.sample]
    for cmd in (ref_cmd, check_cmd):  # warm the file cache
        _time(cmd)
    ref, check = [], []
    for _ in range(args.runs):
        ref.append(_time(ref_cmd))
        check.append(_time(check_cmd))
    ref_ms = statistics.median(ref) * 1000
    check_ms = statistics.median(check) * 1000
    ratio = check_ms / ref_ms

    from gen import make_map

    from cjm_tui.store.codec import dumps

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / f"big{args.cards}.cjm.toml"
        m = make_map(args.cards)
        # some findings to report, so the place-to-line work is timed too
        for k, stage in enumerate(m.stages):
            if k % 2:
                stage.emotion = None
        big.write_text(dumps(m), encoding="utf-8")
        big_cmd = cjm + ["check", str(big)]
        _time(big_cmd)
        big_runs = [_time(big_cmd) for _ in range(max(3, args.runs // 6))]
        big_ms = statistics.median(big_runs) * 1000
        lines = big.read_text(encoding="utf-8").count("\n")

    ok_ratio = ratio <= 3.0
    ok_big = big_ms < 2000
    pycache.cleanup()
    mode = "no bytecode cache" if args.no_bytecode else "bytecode cached, as installed"
    print(f"runs: {args.runs} (median wall clock of a fresh process; {mode})")
    print(f"reference  python -c 'import tomllib'      {ref_ms:8.1f} ms")
    print(f"cjm check  {Path(args.sample).name:<30} {check_ms:8.1f} ms   ratio {ratio:.2f}x  (target <= 3x) "
          f"{'ok' if ok_ratio else 'MISSED'}")
    print(f"cjm check  {args.cards:,}-card map ({lines:,} lines)   {big_ms:8.1f} ms   (target < 2000 ms) "
          f"{'ok' if ok_big else 'MISSED'}")
    return 0 if ok_ratio and ok_big else 1


if __name__ == "__main__":
    raise SystemExit(main())
