"""The editor's speed in a real pseudo-terminal, against references run in the same process.

    .venv/bin/python bench/bench_editor.py                       # cjm, all figures
    .venv/bin/python bench/bench_editor.py --cmd "python bench/ref_apps/datatable.py" \\
        --keys right,down,right,down,left,up,left,up --no-emotion   # any program

``--cmd`` is a command template; ``{map}`` is replaced by the map file under test
(a copy in a temp folder: the editor autosaves); a template without ``{map}``
runs the same command for every map (to time a reference app). Figures (medians; see pty_harness.py for what "settled" means):

  launch sample / 2,000     spawn -> settled first screen      vs bare Textual app
  key @ 100/2,000/10,000    cursor key -> settled screen        vs DataTable 20x2000; 10k vs 100
  bytes/move @ 2,000        bytes written per cursor key        target median <= 1,000
  peak RSS @ 2,000          VmHWM after the key run             vs bare Textual app
  emotion @ 50 stages       + / - key -> settled screen         target <= 16 ms
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import gen  # noqa: E402
from pty_harness import KeyRun, PtyProcess, expand_keys  # noqa: E402

PY = sys.executable
BARE = [PY, str(HERE / "ref_apps" / "bare.py")]
TABLE = [PY, str(HERE / "ref_apps" / "datatable.py"), "2000", "20"]
TABLE_KEYS = "right,down,right,down,left,up,left,up"
CJM_KEYS = "j,l,k,h,down,right,up,left"  # every key moves on the generated maps; returns to the start
EMOTION_KEYS = "plus,plus,minus,minus"  # stays in range from -1 or 0 (see emotion_map)


def default_cmd() -> str:
    cjm = Path(PY).parent / "cjm"
    return f"{shlex.quote(str(cjm))} {{map}}" if cjm.exists() else f"{shlex.quote(PY)} -m cjm_tui {{map}}"


def argv_for(template: str, path: Path | None) -> list[str]:
    if path is None:
        return shlex.split(template.replace("{map}", ""))
    return [a.replace("{map}", str(path)) for a in shlex.split(template)]


@dataclass
class Launch:
    seconds: float | None
    error: str = ""


def launch_once(argv, cols, rows, settle, quit_keys, ready=None) -> Launch:
    p = PtyProcess(argv, cols, rows)
    t = p.wait_first_screen(settle, ready)
    err = ""
    if t is None or p.eof:
        err = "exited" if p.eof else "no screen"
        err += ": " + " | ".join(p.screen_text().splitlines()[-4:])[:400]
        t = None
    p.close(quit_keys)
    return Launch(t, err)


def launch_rounds(progs: dict[str, tuple[list[str], tuple[str, ...]]], runs, cols, rows, settle, ready=None) -> dict[str, Launch]:
    """Median launch of each program, launched in turn round after round (so load on a
    shared machine falls on all alike). A program that fails once is dropped."""
    times: dict[str, list[float]] = {name: [] for name in progs}
    failed: dict[str, Launch] = {}
    for _ in range(runs):
        for name, (argv, quit_keys) in progs.items():
            if name in failed:
                continue
            r = launch_once(argv, cols, rows, settle, quit_keys, ready if name != "bare" else None)
            if r.seconds is None:
                failed[name] = r
            else:
                times[name].append(r.seconds)
    return {name: failed.get(name) or Launch(statistics.median(times[name])) for name in progs}


@dataclass
class Keys:
    run: KeyRun | None
    launch: float | None
    rss_kb: int | None
    error: str = ""
    rows: float | None = None

    @property
    def median(self) -> float | None:
        return self.run.median_ms if self.run else None

    @property
    def bytes(self) -> float | None:
        return self.run.median_bytes if self.run and self.run.timings else None


def key_run(argv, keys: list[str], cols, rows, settle, quit_keys, deadline, ready=None) -> Keys:
    p = PtyProcess(argv, cols, rows)
    t = p.wait_first_screen(0.15, ready)
    if t is None or p.eof:
        err = ("exited" if p.eof else "no screen") + ": " + " | ".join(p.screen_text().splitlines()[-4:])[:400]
        p.close(quit_keys)
        return Keys(None, None, None, err)
    run = p.press_many(keys, settle, deadline)
    rss = p.peak_rss_kb()
    err = ""
    if p.eof:
        err = "exited during the keys: " + " | ".join(p.screen_text().splitlines()[-4:])[:400]
    elif run.no_response:
        err = f"{run.no_response} of {len(run.timings)} keys gave no output"
    rows_med = run.median_rows(p.out) if run.timings else None
    p.close(quit_keys)
    return Keys(run, t, rss or p.rusage_maxrss_kb, err, rows_med)


def emotion_map(n_cards: int, n_stages: int):
    m = gen.make_map(n_cards, n_stages, seed=1)
    for i, s in enumerate(m.stages):
        s.emotion = (-1, 0)[i % 2]  # +,+,-,- stays within -2..+2 from either
    return m


def fmt(v, unit="", digits=1):
    if v is None:
        return "n/a"
    if unit == "ms":
        return f"{v:.{digits}f} ms"
    if unit == "s":
        return f"{v * 1000:.0f} ms"
    if unit == "B":
        return f"{v:,.0f} B"
    if unit == "" and isinstance(v, float):
        return f"{v:g}"
    if unit == "kB":
        return f"{v / 1024:.1f} MB"
    return f"{v}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="editor speed in a pseudo-terminal")
    ap.add_argument("--cmd", default=default_cmd(), help="command template with {map} (default: cjm {map})")
    ap.add_argument("--sample", default=str(ROOT / "samples" / "joan-vacuum.cjm.toml"), help="sample map for the launch figure")
    ap.add_argument("--sizes", default="100,2000,10000", help="card counts for the key figures")
    ap.add_argument("--keys", default=CJM_KEYS, help=f"cursor key pattern for --cmd (default {CJM_KEYS})")
    ap.add_argument("--count", type=int, default=100, help="keys per run")
    ap.add_argument("--runs", type=int, default=5, help="launches per launch figure")
    ap.add_argument("--settle", type=float, default=0.03, help="quiet window after a key, s")
    ap.add_argument("--launch-settle", type=float, default=0.15, help="quiet window after the first screen, s")
    ap.add_argument("--quit", default="q,ctrl+q", help="keys that quit --cmd")
    ap.add_argument("--ready", default=None, help="text marking --cmd's first screen (default: any visible text)")
    ap.add_argument("--emotion-stages", type=int, default=50)
    ap.add_argument("--emotion-cards", type=int, default=1000)
    ap.add_argument("--no-emotion", action="store_true", help="skip the emotion figure")
    ap.add_argument("--no-vim", action="store_true", help="skip the vim reference")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--budget", type=float, default=170.0, help="stop sending keys after this many seconds")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="keep PYTHONDONTWRITEBYTECODE as it is (by default the children cache bytecode, "
                         "as an installed cjm and the installed Textual do)")
    args = ap.parse_args(argv)
    if not args.no_bytecode:
        # This machine sets PYTHONDONTWRITEBYTECODE=1, so an editable checkout would be
        # recompiled on every launch while Textual's bytecode (compiled at install) is
        # not: unfair to cjm and unlike a user's `pip install`. Cache it, and warm it.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        import subprocess

        subprocess.run([sys.executable, "-c", "import cjm_tui.cli.cmd_edit, cjm_tui.ui.app, cjm_tui.ui.themes, "
                        "cjm_tui.ui.settings, cjm_tui.formats.curve, cjm_tui.store.codec"], check=False)

    t_start = time.perf_counter()
    deadline = t_start + args.budget
    quit_keys = tuple(args.quit.split(","))
    ready = args.ready.encode() if args.ready else None
    sizes = [int(s) for s in args.sizes.split(",")]
    W, H = 120, 40
    res: dict[str, object] = {"cmd": args.cmd, "date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count()}
    notes: list[str] = []

    with tempfile.TemporaryDirectory(prefix="cjm-bench-") as tmp:
        folder = Path(tmp)
        maps: dict[str, Path] = {}
        sample = folder / Path(args.sample).name
        shutil.copy(args.sample, sample)
        maps["sample"] = sample
        for n in sorted(set(sizes) | {2000}):
            maps[str(n)] = folder / f"map{n}.cjm.toml"
            gen.write_map(gen.make_map(n), maps[str(n)])
        maps["emotion"] = folder / f"stages{args.emotion_stages}.cjm.toml"
        gen.write_map(emotion_map(args.emotion_cards, args.emotion_stages), maps["emotion"])

        def cmd(name: str) -> list[str]:
            return argv_for(args.cmd, maps[name])

        # -- references -------------------------------------------------------------
        print("references ...", file=sys.stderr)
        bare_keys = key_run(BARE, [], W, H, args.settle, ("ctrl+q",), deadline)  # for its RSS
        table = key_run(TABLE, expand_keys(TABLE_KEYS, args.count), W, H, args.settle, ("ctrl+q",), deadline)
        vim = None
        if not args.no_vim and shutil.which("vim"):
            vim = key_run(["vim", "-u", "NONE", "-n", str(HERE / "gen.py")], expand_keys("l,j,l,j,h,k,h,k", args.count),
                          W, H, args.settle, ("escape", ":", "q", "!", "enter"), deadline)
        elif not args.no_vim:
            notes.append("vim not installed: no vim reference")

        # -- the program under test ---------------------------------------------------
        print("launches ...", file=sys.stderr)
        launches = launch_rounds(
            {"bare": (BARE, ("ctrl+q",)), "sample": (cmd("sample"), quit_keys), "2000": (cmd("2000"), quit_keys)},
            args.runs, W, H, args.launch_settle, ready,
        )
        bare, l_sample, l_2000 = launches["bare"], launches["sample"], launches["2000"]
        keys: dict[str, Keys] = {}
        if l_sample.seconds:
            for n in sizes:
                print(f"keys at {n} cards ...", file=sys.stderr)
                keys[str(n)] = key_run(cmd(str(n)), expand_keys(args.keys, args.count), W, H, args.settle, quit_keys, deadline, ready)
            print("keys at 2000 cards, 80x24 ...", file=sys.stderr)
            keys["2000@80x24"] = key_run(cmd("2000"), expand_keys(args.keys, args.count), 80, 24, args.settle, quit_keys, deadline, ready)
            if not args.no_emotion:
                print("emotion ...", file=sys.stderr)
                keys["emotion"] = key_run(cmd("emotion"), expand_keys(EMOTION_KEYS, args.count), W, H, args.settle, quit_keys, deadline, ready)

    # -- report -----------------------------------------------------------------------
    def ratio(a, b):
        return None if a is None or b is None or b == 0 else a / b

    def med(k: str):
        return keys[k].median if k in keys else None

    rows = []  # (figure, value, reference name, reference value, ratio, target, verdict)

    def row(figure, value, unit, ref_name, ref_value, target_text="", ok=None):
        r = ratio(value, ref_value) if ref_value is not None else None
        verdict = "" if ok is None else ("MET" if ok else "MISSED")
        rows.append((figure, fmt(value, unit), ref_name, fmt(ref_value, unit) if ref_name else "",
                     f"{r:.2f}x" if r is not None else "", target_text, verdict))
        res[figure] = {"value": value, "reference": ref_name, "ref_value": ref_value, "ratio": r, "target": target_text, "verdict": verdict}

    k2000 = med("2000")
    k100 = med("100")
    k10000 = med("10000")
    r_s = ratio(l_sample.seconds, bare.seconds)
    r_2k = ratio(l_2000.seconds, bare.seconds)
    row("launch, sample", l_sample.seconds, "s", "bare Textual", bare.seconds, "<= 1.5x", None if r_s is None else r_s <= 1.5)
    row("launch, 2,000 cards", l_2000.seconds, "s", "bare Textual", bare.seconds, "<= 2x", None if r_2k is None else r_2k <= 2)
    for n in sizes:
        k = med(str(n))
        target, ok = "", None
        if n == 2000:
            target, ok = "<= 16 ms", None if k is None else k <= 16
        row(f"key, {n:,} cards", k, "ms", "DataTable 20x2000", table.median, target, ok)
    if k10000 is not None or k100 is not None:
        r = ratio(k10000, k100)
        row("key, 10,000 vs 100 cards", k10000, "ms", "cjm at 100 cards", k100, "<= 1.5x", None if r is None else r <= 1.5)
    row("key, 2,000 cards, 80x24", med("2000@80x24"), "ms", "DataTable 20x2000", table.median)
    b2000 = keys["2000"].bytes if "2000" in keys else None
    row("bytes per move, 2,000 cards", b2000, "B", "DataTable 20x2000", table.bytes, "median <= 1,000",
        None if b2000 is None else b2000 <= 1000)
    row("rows rewritten per move, 2,000", keys["2000"].rows if "2000" in keys else None, "", "DataTable 20x2000", table.rows)
    rss = keys["2000"].rss_kb if "2000" in keys else None
    row("peak RSS, 2,000 cards", rss, "kB", "bare Textual", bare_keys.rss_kb, "reported")
    if not args.no_emotion:
        e = med("emotion")
        row(f"emotion +/-, {args.emotion_stages} stages", e, "ms", "DataTable 20x2000", table.median, "<= 16 ms",
            None if e is None else e <= 16)
    if vim is not None:
        row("key, 2,000 cards (vs vim)", k2000, "ms", "vim -u NONE", vim.median)
        row("bytes per move (vs vim)", b2000, "B", "vim -u NONE", vim.bytes)

    print(f"\ncjm editor bench  {res['date']}  cpus {res['cpus']}  terminal 120x40 unless said  keys {args.count}/run")
    print(f"command: {args.cmd}")
    head = ("figure", "value", "reference", "ref value", "ratio", "target", "")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())

    print("\nreferences: bare launch", fmt(bare.seconds, "s"), "| DataTable key", fmt(table.median, "ms", 2),
          f"p90 {fmt(table.run.pct_ms(0.9) if table.run else None, 'ms', 2)}", "|", fmt(table.bytes, "B"), "per move",
          "| DataTable launch", fmt(table.launch, "s"), "RSS", fmt(table.rss_kb, "kB"))
    if vim is not None:
        print("            vim key", fmt(vim.median, "ms", 2), "|", fmt(vim.bytes, "B"), "per move | RSS", fmt(vim.rss_kb, "kB"))
    for name, k in keys.items():
        if k.run:
            print(f"  cjm {name:>12}: launch {fmt(k.launch, 's')}, key median {fmt(k.median, 'ms', 2)}, "
                  f"p90 {fmt(k.run.pct_ms(0.9), 'ms', 2)}, bytes {fmt(k.bytes, 'B')}, rows {fmt(k.rows)}, keys {len(k.run.timings)}, "
                  f"RSS {fmt(k.rss_kb, 'kB')}")
        if k.error:
            notes.append(f"{name}: {k.error}")
    for name, l in (("launch sample", l_sample), ("launch 2000", l_2000)):
        if l.error:
            notes.append(f"{name}: {l.error}")
    for n in notes:
        print("note:", n)
    print(f"(bench took {time.perf_counter() - t_start:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
