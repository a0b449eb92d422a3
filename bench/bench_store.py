"""Load and save times of map files as the map grows, against references in the same run.

    .venv/bin/python bench/bench_store.py                 # 100, 1,000, 10,000 cards
    .venv/bin/python bench/bench_store.py --sizes 1000 --profile 1000

What is timed (median of repeats, each on a file written by gen.py in a temp folder):
  load       read the file + codec.parse (tomlkit parse + schema -> JourneyMap + document)
  save       one card edited in the model, codec.dumps onto the loaded document
             (patch in place + tomlkit serialise) + files.atomic_write (fsync, rename)
  load+save  both, from a fresh read of the file (what `cjm` does on open and first autosave)
  load_fast  files.load_fast (stdlib tomllib + schema), used by printing commands
References, same data, same run:
  ref tomllib+json   tomllib.loads + json.dumps (the floor: C-speed parse, C-speed dump)
  ref tomlkit        tomlkit.parse + doc.as_string (the library floor under codec)
Growth = time per card at this size / time per card at the previous size (1.0 = linear).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen  # noqa: E402

import tomlkit  # noqa: E402

from cjm_tui.store import codec  # noqa: E402
from cjm_tui.store.files import atomic_write, load_fast, read_text  # noqa: E402

TARGET_MS = 150.0  # load+save at 1,000 cards


CPU: dict[str, float] = {}  # "n/figure" -> median CPU ms (process time), filled by median_ms


def median_ms(fn, repeats: int, budget_s: float, key: str = "") -> float:
    """Median wall time of fn() in ms: at least 3 runs, at most *repeats*, within *budget_s*.

    The median CPU time of this process is kept in CPU[key]: on a shared machine it is
    the steadier figure (other processes' load does not count), so growth uses it.
    """
    times, cpu = [], []
    start = time.perf_counter()
    gc.collect()
    for i in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        if i >= 2 and time.perf_counter() - start > budget_s:
            break
    if key:
        CPU[key] = statistics.median(cpu)
    return statistics.median(times)


def edit_one(m, i: int) -> None:
    """One user edit: the text of a card in the middle of the map."""
    stage = m.stages[len(m.stages) // 2]
    cards = stage.cards("actions")
    cards[len(cards) // 2].text = f"Edited card, revision {i}: the customer rereads the terms."


def bench_size(n: int, folder: Path, repeats: int, budget_s: float) -> dict[str, float]:
    path = folder / f"map{n}.cjm.toml"
    gen.write_map(gen.make_map(n), path)
    size = path.stat().st_size

    def load():
        return codec.parse(read_text(path), str(path))

    m, doc = load()
    counter = [0]

    def save():
        counter[0] += 1
        edit_one(m, counter[0])
        atomic_write(path, codec.dumps(m, doc))

    def load_save():
        counter[0] += 1
        m2, doc2 = load()
        edit_one(m2, counter[0])
        atomic_write(path, codec.dumps(m2, doc2))

    text = read_text(path)

    def ref_json():
        json.dumps(tomllib.loads(text))

    def ref_tomlkit():
        tomlkit.parse(text).as_string()

    def part(fn):
        return median_ms(fn, repeats, budget_s / 4)

    doc0 = tomlkit.parse(text)
    data0 = doc0.unwrap()
    m0 = codec.map_from_data(data0)
    parts = {
        "tomlkit.parse": part(lambda: tomlkit.parse(text)),
        "unwrap+schema": part(lambda: codec.map_from_data(doc0.unwrap())),
        "patch": part(lambda: (edit_one(m0, time.perf_counter_ns()), codec.patch(m0, doc0))),
        "as_string": part(doc0.as_string),
        "atomic_write": part(lambda: atomic_write(path, text)),
    }

    out = {"cards": n, "bytes": size, "parts": parts}
    out["load"] = median_ms(load, repeats, budget_s, f"{n}/load")
    out["save"] = median_ms(save, repeats, budget_s, f"{n}/save")
    out["load+save"] = median_ms(load_save, repeats, budget_s, f"{n}/load+save")
    out["load_fast"] = median_ms(lambda: load_fast(path), repeats, budget_s, f"{n}/load_fast")
    out["ref tomllib+json"] = median_ms(ref_json, repeats, budget_s, f"{n}/ref tomllib+json")
    out["ref tomlkit"] = median_ms(ref_tomlkit, repeats, budget_s, f"{n}/ref tomlkit")
    # sanity: the saved file reads back with tomllib to the same map
    assert load_fast(path).card_count() == n
    return out


def profile(n: int, folder: Path, top: int) -> str:
    path = folder / f"prof{n}.cjm.toml"
    gen.write_map(gen.make_map(n), path)
    pr = cProfile.Profile()
    pr.enable()
    for i in range(3):
        m, doc = codec.parse(read_text(path), str(path))
        edit_one(m, i)
        atomic_write(path, codec.dumps(m, doc))
    pr.disable()
    buf = io.StringIO()
    st = pstats.Stats(pr, stream=buf).strip_dirs()
    buf.write(f"== cProfile: 3 x load+save of {n} cards, by cumulative time ==\n")
    st.sort_stats("cumulative").print_stats(top)
    buf.write("== by own time ==\n")
    st.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


COLS = ("load", "save", "load+save", "load_fast", "ref tomllib+json", "ref tomlkit")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="load/save benchmark")
    ap.add_argument("--sizes", default="100,1000,10000", help="comma-separated card counts")
    ap.add_argument("--repeats", type=int, default=15, help="max repeats per figure (fewer at 10,000 cards)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="also cProfile load+save at N cards")
    ap.add_argument("--top", type=int, default=25, help="rows of profile output")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    t_start = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="cjm-bench-") as tmp:
        folder = Path(tmp)
        for n in sizes:
            budget = 4.0 if n <= 1000 else 12.0
            rows.append(bench_size(n, folder, args.repeats, budget))
        prof = profile(args.profile, folder, args.top) if args.profile else ""

    print(f"cjm store bench  python {sys.version.split()[0]}  tomlkit {tomlkit.__version__}  cpus {os.cpu_count()}")
    print("median ms per operation")
    head = f"{'cards':>7} {'bytes':>9} " + " ".join(f"{c:>16}" for c in COLS)
    print(head)
    for r in rows:
        print(f"{r['cards']:>7,} {r['bytes']:>9,} " + " ".join(f"{r[c]:>16.2f}" for c in COLS))
    print()
    print("ratios to references (same size)")
    print(f"{'cards':>7} {'load+save/tomllib+json':>24} {'load+save/tomlkit':>18} {'load/tomlkit':>13} {'load_fast/tomllib+json':>23}")
    for r in rows:
        print(
            f"{r['cards']:>7,} {r['load+save'] / r['ref tomllib+json']:>24.1f} {r['load+save'] / r['ref tomlkit']:>18.2f}"
            f" {r['load'] / r['ref tomlkit']:>13.2f} {r['load_fast'] / r['ref tomllib+json']:>23.2f}"
        )
    print()
    grow = ("load", "save", "load+save", "load_fast", "ref tomlkit")
    print("CPU time of this process, median ms (steadier than wall time on a shared machine; save also waits on fsync)")
    print(f"{'cards':>7} " + " ".join(f"{c:>12}" for c in grow))
    for r in rows:
        print(f"{r['cards']:>7,} " + " ".join(f"{CPU[str(r['cards']) + '/' + c]:>12.2f}" for c in grow))
    print()
    print("growth: CPU time per card vs previous size (1.00 = linear, >1 = worse than linear); wall time in ()")
    print(f"{'cards':>7} " + " ".join(f"{c:>14}" for c in grow))
    for prev, r in zip(rows, rows[1:]):
        f = prev["cards"] / r["cards"]
        cells = []
        for c in grow:
            g_cpu = CPU[f"{r['cards']}/{c}"] / CPU[f"{prev['cards']}/{c}"] * f
            cells.append(f"{g_cpu:.2f} ({r[c] / prev[c] * f:.2f})")
        print(f"{r['cards']:>7,} " + " ".join(f"{x:>14}" for x in cells))
    for r in rows:
        if r["cards"] == 1000:
            ok = r["load+save"] < TARGET_MS
            print(f"\ntarget: load+save of 1,000 cards < {TARGET_MS:.0f} ms: {r['load+save']:.1f} ms -> {'MET' if ok else 'MISSED'}")
    print()
    print("where the time goes (median ms; load = read + tomlkit.parse + unwrap+schema; save = patch + as_string + atomic_write)")
    names = list(rows[0]["parts"])
    print(f"{'cards':>7} " + " ".join(f"{c:>14}" for c in names))
    for r in rows:
        print(f"{r['cards']:>7,} " + " ".join(f"{r['parts'][c]:>14.2f}" for c in names))
    if prof:
        print()
        print(prof)
    print(f"(bench took {time.perf_counter() - t_start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
