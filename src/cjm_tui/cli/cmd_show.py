"""`cjm show FILE`: print a map to the terminal.

Piped (or with --color never), the output is plain text written without
importing Rich, so `cjm show` in a pre-commit hook or CI starts in a blink.
"""

from __future__ import annotations

import argparse
import os
import sys

DESCRIPTION = """\
Print a journey map: stages in bands that fit the width, cards by lane, the
emotion of each stage and a curve under them. In a terminal the output is in
colour (NO_COLOR is respected); piped, it is plain text with no escape codes."""

EPILOG = """\
examples:
  cjm show map.cjm.toml
  cjm show map.cjm.toml --stage buy --lane actions --lane "pain points"
  cjm show map.cjm.toml --width 80 | less"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="FILE", help="the map file (*.cjm.toml)")
    p.add_argument("--stage", action="append", metavar="NAME", help="show only this stage (id or name; repeatable)")
    p.add_argument("--lane", action="append", nargs="+", metavar="NAME", help="show only these lanes (id or name)")
    p.add_argument("--width", type=int, metavar="N", help="width in columns (default: the terminal's, or 100 when piped)")
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour and box lines: auto (when a terminal), always, never (plain text)",
    )
    p.add_argument(
        "--ascii",
        action="store_true",
        help="draw with ASCII only: box lines, bullets, emotion marks, quotation marks and separators; "
        "the map's own text (cards, names, persona) is printed as written, so it may still hold "
        "non-ASCII characters",
    )


def pick(items: list, wanted: list[str], what: str, path: str) -> list:
    """The items (stages or lanes) named by id or name, case-insensitively, in map order."""
    from ..store.errors import MapError

    chosen: set[str] = set()
    for name in wanted:
        key = name.strip().casefold()
        match = [x for x in items if x.id.casefold() == key or x.name.strip().casefold() == key]
        if not match:
            valid = ", ".join(f"{x.id} ({x.name})" if x.name != x.id else x.id for x in items) or "none"
            raise MapError(f"no {what} {name!r}; the {what}s are: {valid}", path)
        chosen.update(x.id for x in match)
    return [x for x in items if x.id in chosen]


def _width(args: argparse.Namespace, tty: bool) -> int:
    if args.width:
        return max(40, args.width)
    if tty:
        try:
            return os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError):
            pass
    try:
        return int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return 100


def run(args: argparse.Namespace) -> int:
    from ..store import files

    m = files.load_fast(args.path)
    if args.stage:
        m.stages = pick(m.stages, args.stage, "stage", args.path)
    if args.lane:
        wanted = [name for group in args.lane for name in group]
        lanes = pick(m.lanes, wanted, "lane", args.path)
        for lane in lanes:  # asked for by name: show it even if hidden in the editor
            lane.hidden = False
        m.lanes = lanes
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    rich = args.color == "always" or (args.color == "auto" and tty and os.environ.get("TERM") != "dumb")
    width = _width(args, tty)
    if not rich:
        from ..formats.text import plain

        sys.stdout.write(plain(m, width, ascii_only=args.ascii))
        sys.stdout.flush()
        return 0
    from rich.console import Console

    from ..formats.text import render

    console = Console(width=width, force_terminal=True if args.color == "always" else None, highlight=False)
    console.print(render(m, width, ascii_only=args.ascii))
    return 0
