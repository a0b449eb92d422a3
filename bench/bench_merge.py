"""Three-way merge times as the map grows, against references in the same run.

    .venv/bin/python bench/bench_merge.py                    # 2,000 and 10,000 cards
    .venv/bin/python bench/bench_merge.py --sizes 2000 --edits 50 --repeat 9

For each size: a base map from gen.py, and two versions ("ours", "theirs"),
each with --edits random edits of its own (edit a card's text, add a card,
delete a card, tag a card, change a stage's emotion; now and then both sides
touch the same card, which makes a conflict). Timed, median of repeats:

  merge3       model.merge.merge3(base, ours, theirs): the merge itself (target: < 200 ms at 2,000)
  merge files  store.merge.merge_texts (what `cjm merge` does): tomllib for base and theirs,
               codec.parse (tomlkit) for ours, merge3, codec.dumps onto ours' document, read-back check
  editor       store.merge.merge_into_document: as above without parsing ours (the editor holds
               its map and document); what noticing an outside change costs
References, same data, same run:
  ref json     json.loads of the map as JSON (about the same size as the file)
  ref parse    one codec.parse of the same file (what opening the map costs)
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen  # noqa: E402

from cjm_tui.model import Card, JourneyMap  # noqa: E402
from cjm_tui.model.merge import merge3  # noqa: E402
from cjm_tui.store import codec  # noqa: E402
from cjm_tui.store.merge import merge_into_document, merge_texts  # noqa: E402
from cjm_tui.store.schema import map_to_data  # noqa: E402


def edit(m: JourneyMap, n: int, seed: int, tag: str) -> JourneyMap:
    m = m.copy()
    rng = random.Random(seed)
    for i in range(n):
        s = rng.choice(m.stages)
        lane = rng.choice(m.lanes).id
        cards = s.cards(lane)
        what = rng.random()
        if what < 0.5 and cards:
            cards[rng.randrange(len(cards))].text += f" ({tag} edit {i})"
        elif what < 0.7:
            cards.insert(rng.randrange(len(cards) + 1), Card(f"{tag} new card {i}"))
        elif what < 0.85 and cards:
            cards.pop(rng.randrange(len(cards)))
        elif what < 0.95 and cards:
            cards[rng.randrange(len(cards))].tags.append(f"{tag}{i}")
        else:
            s.emotion = rng.randint(-2, 2)
        if not cards:
            s.cells.pop(lane, None)
    return m


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(sizes: list[int], edits: int, repeat: int) -> list[dict]:
    rows = []
    for n in sizes:
        base = gen.make_map(n, seed=1)
        ours = edit(base, edits, 11, "ours")
        theirs = edit(base, edits, 22, "theirs")
        texts = [codec.dumps(m) for m in (base, ours, theirs)]
        as_json = json.dumps(map_to_data(base))
        r = merge3(base, ours, theirs)
        reps = max(3, repeat // 3)
        opened = [codec.parse(texts[1]) for _ in range(reps)]
        row = {
            "cards": n,
            "edits": edits,
            "conflicts": len(r.conflicts),
            "merge3": median_time(lambda: merge3(base, ours, theirs), repeat),
            "merge files": median_time(lambda: merge_texts(*texts), max(3, repeat // 3)),
            "editor": median_time(lambda: merge_into_document(texts[0], *opened.pop(), texts[2]), reps),
            "ref json": median_time(lambda: json.loads(as_json), repeat),
            "ref parse": median_time(lambda: codec.parse(texts[0]), max(3, repeat // 3)),
            "file KB": len(texts[0].encode()) / 1024,
        }
        rows.append(row)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    ap.add_argument("--edits", type=int, default=50, help="random edits on each side (default 50)")
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args()
    rows = run(args.sizes, args.edits, args.repeat)
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    ms = lambda s: f"{s * 1000:8.1f}"  # noqa: E731
    print(f"python {sys.version.split()[0]}, median of {args.repeat} (file merges: of {max(3, args.repeat // 3)})")
    print(f"{'cards':>6} {'KB':>6} {'confl':>5} | {'merge3 ms':>9} {'files ms':>9} {'editor ms':>9} | {'json ms':>8} {'parse ms':>8} | {'merge3/json':>11} {'merge3/parse':>12} {'files/parse':>11}")
    for r in rows:
        print(
            f"{r['cards']:>6} {r['file KB']:>6.0f} {r['conflicts']:>5} | {ms(r['merge3']):>9} {ms(r['merge files']):>9} {ms(r['editor']):>9} | "
            f"{ms(r['ref json']):>8} {ms(r['ref parse']):>8} | {r['merge3'] / r['ref json']:>11.1f} "
            f"{r['merge3'] / r['ref parse']:>12.2f} {r['merge files'] / r['ref parse']:>11.2f}"
        )
    target = next((r for r in rows if r["cards"] == 2000), None)
    if target is not None:
        verdict = "meets" if target["merge3"] < 0.2 else "MISSES"
        print(f"target: merge3 at 2,000 cards under 200 ms: {verdict} ({target['merge3'] * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
