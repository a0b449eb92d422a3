"""`cjm export FILE --to FORMAT [-o OUT]`: write a map in another format."""

from __future__ import annotations

import argparse
import sys

FORMATS = ("markdown", "html", "csv", "json", "mermaid", "svg")

DESCRIPTION = """\
Write a map as Markdown (GitHub tables), a self-contained HTML page, CSV (one
row per card, safe in spreadsheets), JSON (see docs/json-schema.md), a Mermaid
journey diagram, or an SVG picture of the terminal view. Without -o the result
goes to standard output; with -o the file is replaced atomically."""

EPILOG = """\
examples:
  cjm export map.cjm.toml --to markdown > MAP.md
  cjm export map.cjm.toml -o map.html          (format from the suffix)
  cjm export map.cjm.toml --to mermaid | cjm import - -o copy.cjm.toml"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="FILE", help="the map file (*.cjm.toml)")
    p.add_argument("--to", choices=FORMATS, metavar="FORMAT", help=f"one of {', '.join(FORMATS)} (default: from -o's suffix)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (atomically) instead of standard output")
    p.add_argument("--width", type=int, default=120, metavar="N", help="width in columns of the svg picture (default 120)")


def run(args: argparse.Namespace) -> int:
    from ..formats import SUFFIXES, exporter
    from ..store import files
    from ..store.errors import MapError

    fmt = args.to
    if fmt is None:
        if args.output:
            from pathlib import Path

            fmt = SUFFIXES.get(Path(args.output).suffix.lower())
        if fmt is None:
            raise MapError(f"say which format with --to ({', '.join(FORMATS)})", args.output or args.path)
    m = files.load_fast(args.path)
    func = exporter(fmt)
    text = func(m, max(40, args.width)) if fmt == "svg" else func(m)
    if args.output and args.output != "-":
        try:
            files.atomic_write(args.output, text)
        except OSError as exc:
            raise MapError(f"cannot write: {exc.strerror or exc}", args.output) from None
        print(f"cjm: wrote {args.output} ({fmt})", file=sys.stderr)
    else:
        out = sys.stdout
        buffer = getattr(out, "buffer", None)
        if fmt == "csv" and buffer is not None:  # keep the CSV's own \r\n line ends
            out.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            out.write(text)
            out.flush()
    return 0
