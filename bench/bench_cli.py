"""Benchmark `cjm show` and `cjm export`: start-up against a same-run reference,
and a 10,000-card map.

    .venv/bin/python bench/bench_cli.py [--runs 30] [--sample samples/joan-vacuum.cjm.toml]

What is timed (wall clock of a fresh process, median of --runs, runs interleaved
so that machine noise hits both sides alike):
- reference: `python -c "import tomllib"` with the same interpreter;
- `cjm show SAMPLE` piped (plain text, no Rich: what CI and hooks see) and
  `cjm show SAMPLE --color always` (the Rich path a terminal gets; informative);
- on a 10,000-card map made by bench/gen.py: `cjm show` both ways and
  `cjm export --to FORMAT` for every format.

Targets (issue 5, item 9): show on a sample within 3x the reference; show and
export on a 10,000-card map under 2 s. Exit status 1 when a target is missed.
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

FORMATS = ("markdown", "html", "csv", "json", "mermaid", "svg")
ENV: dict[str, str] | None = None


def _time(cmd: list[str]) -> float:
    return time_command(cmd, ENV, ok=(0,))


def _median_ms(cmd: list[str], runs: int) -> float:
    _time(cmd)
    return statistics.median(_time(cmd) for _ in range(runs)) * 1000


def main(argv: list[str] | None = None) -> int:
    global ENV
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--sample", default=str(ROOT / "samples" / "joan-vacuum.cjm.toml"))
    p.add_argument("--cards", type=int, default=10_000)
    p.add_argument("--no-bytecode", action="store_true",
                   help="keep PYTHONDONTWRITEBYTECODE as it is (by default the children cache bytecode, "
                        "in a temporary PYTHONPYCACHEPREFIX, as an installed cjm does)")
    args = p.parse_args(argv)

    pycache = tempfile.TemporaryDirectory()
    if not args.no_bytecode:
        ENV = bytecode_env(pycache.name)

    cjm = cjm_command()
    ref_cmd = [sys.executable, "-c", "import tomllib"]
    show_cmd = cjm + ["show", args.sample]
    rich_cmd = cjm + ["show", args.sample, "--color", "always", "--width", "120"]
    for cmd in (ref_cmd, show_cmd, rich_cmd):  # warm the file and bytecode caches
        _time(cmd)
    ref, show, rich = [], [], []
    for _ in range(args.runs):
        ref.append(_time(ref_cmd))
        show.append(_time(show_cmd))
        rich.append(_time(rich_cmd))
    ref_ms = statistics.median(ref) * 1000
    show_ms = statistics.median(show) * 1000
    rich_ms = statistics.median(rich) * 1000
    ratio = show_ms / ref_ms

    from gen import make_map

    from cjm_tui.store.codec import dumps

    big_runs = max(3, args.runs // 6)
    results: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / f"big{args.cards}.cjm.toml"
        big.write_text(dumps(make_map(args.cards)), encoding="utf-8")
        lines = big.read_text(encoding="utf-8").count("\n")
        results.append(("show (plain)", _median_ms(cjm + ["show", str(big)], big_runs)))
        results.append(("show --color always", _median_ms(cjm + ["show", str(big), "--color", "always"], big_runs)))
        for fmt in FORMATS:
            results.append((f"export --to {fmt}", _median_ms(cjm + ["export", str(big), "--to", fmt], big_runs)))
    pycache.cleanup()

    ok_ratio = ratio <= 3.0
    ok_big = all(ms < 2000 for _, ms in results)
    mode = "no bytecode cache" if args.no_bytecode else "bytecode cached, as installed"
    name = Path(args.sample).name
    print(f"runs: {args.runs} (median wall clock of a fresh process; {mode})")
    print(f"reference  python -c 'import tomllib'          {ref_ms:8.1f} ms")
    print(f"cjm show   {name:<34} {show_ms:8.1f} ms   ratio {ratio:.2f}x  (target <= 3x) {'ok' if ok_ratio else 'MISSED'}")
    print(f"cjm show   {name + ' --color always':<34} {rich_ms:8.1f} ms   ratio {rich_ms / ref_ms:.2f}x  (Rich, for information)")
    print(f"{args.cards:,}-card map ({lines:,} lines), median of {big_runs}, target < 2000 ms each:")
    for label, ms in results:
        print(f"  cjm {label:<28} {ms:8.1f} ms   {'ok' if ms < 2000 else 'MISSED'}")
    return 0 if ok_ratio and ok_big else 1


if __name__ == "__main__":
    raise SystemExit(main())
