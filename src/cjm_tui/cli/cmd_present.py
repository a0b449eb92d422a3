"""`cjm present FILE`: walk through a map stage by stage, full screen, read-only."""

from __future__ import annotations

import argparse
from pathlib import Path

DESCRIPTION = (
    "Show a map one stage at a time for a standup: the stage name, its emotion and its cards by lane, "
    "with the emotion curve, the stages named under it and this one marked. Right, left or space to step, q to quit. Read-only; "
    "reloads when the file changes on disk."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the map file")
    p.add_argument("--stage", help="start at this stage (id, name or number)")
    p.add_argument("--ascii", action="store_true", help="draw with ASCII only")


def run(args: argparse.Namespace) -> int:
    from ..store.files import load_fast

    path = Path(args.file)
    m = load_fast(path)  # bad file: exit 2 before the screen is taken
    start = 0
    if args.stage:
        wanted = args.stage.strip().lower()
        for i, s in enumerate(m.stages):
            if wanted in (s.id, s.name.lower(), str(i + 1)):
                start = i
                break
        else:
            from ..store.errors import MapError

            names = ", ".join(s.name for s in m.stages)
            raise MapError(f"no stage {args.stage!r}; stages: {names}", path)
    from ..ui.present import PresentApp

    PresentApp(path, ascii_only=args.ascii, start=start).run()
    return 0
