"""Editor: an outside change seen -> merged -> screen settled, as the map grows.

Issue 6 asks that noticing and merging an outside change settles the screen in
under 100 ms after the change is seen. The editor looks at the file every
second; this measures what happens once it has seen a change: read and parse
the new file (tomllib), merge three ways with our own unsaved edit, swap the
map in, lay the grid out again, and render one full frame. The reference, run
in the same process, is a bare parse of the same file with tomllib.

    .venv/bin/python bench/bench_sync.py [--sizes 100,2000,10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import gen  # noqa: E402

from cjm_tui.store import codec  # noqa: E402
from cjm_tui.store.document import MapDocument  # noqa: E402
from cjm_tui.ui.app import CjmApp  # noqa: E402


async def measure(path: Path, runs: int) -> tuple[list[float], list[float]]:
    merged, reloaded = [], []
    app = CjmApp(MapDocument.open(path), autosave_delay=30)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        for i in range(runs):
            for pending in (True, False):
                if pending:
                    await pilot.press("plus" if i % 2 == 0 else "minus")  # an unsaved edit of ours
                else:
                    app.saver.flush()
                text = path.read_text(encoding="utf-8")
                m = codec.parse(text)[0]
                stage = m.stages[-1]
                lane = next(iter(stage.cells))
                stage.cells[lane][0].text += f" outside {i}{pending}"
                path.write_text(codec.dumps(m), encoding="utf-8")
                t0 = time.perf_counter()
                app.check_disk()
                app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
                (merged if pending else reloaded).append((time.perf_counter() - t0) * 1000)
                await pilot.pause(0.05)
                app.saver.flush()
    return merged, reloaded


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,2000,10000")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    print(f"{'cards':>7} {'merge+settle ms':>16} {'reload+settle ms':>17} {'ref tomllib ms':>15} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"m{n}.cjm.toml"
            path.write_text(codec.dumps(gen.make_map(n)), encoding="utf-8")
            merged, reloaded = asyncio.run(measure(path, args.runs))
            text = path.read_text(encoding="utf-8")
            ref = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                tomllib.loads(text)
                ref.append((time.perf_counter() - t0) * 1000)
            mm, rm, ref_m = statistics.median(merged), statistics.median(reloaded), statistics.median(ref)
            print(f"{n:>7} {mm:>16.1f} {rm:>17.1f} {ref_m:>15.1f} {mm / ref_m:>6.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
