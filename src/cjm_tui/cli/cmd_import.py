"""`cjm import FILE -o MAP.cjm.toml`: make a map from a Mermaid journey or the
CSV or JSON that `cjm export` writes."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
Make a map from a Mermaid `journey` diagram (also inside a ```mermaid fence in
Markdown), or from the CSV or JSON that `cjm export` writes. The format is
found from the suffix (.mmd .mermaid .md .csv .json) or the content; --from
forces it. Nothing is written when the input has a problem."""

EPILOG = """\
examples:
  cjm import journey.mmd -o journey.cjm.toml
  cjm import README.md -o journey.cjm.toml     (the first mermaid journey fence)
  cjm import map.csv -o map.cjm.toml --force   (replace an existing map)"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="FILE", help="the file to import, or - for standard input")
    p.add_argument("-o", "--output", metavar="MAP", help="the map file to write (default: FILE's name with .cjm.toml)")
    p.add_argument("--from", dest="source", choices=("mermaid", "csv", "json"), help="the input format (default: detect)")
    p.add_argument("--force", action="store_true", help="replace MAP if it exists")


def detect(path: str, text: str) -> str:
    from pathlib import Path

    suffix = Path(path).suffix.lower()
    if suffix in (".mmd", ".mermaid", ".md", ".markdown"):
        return "mermaid"
    if suffix in (".csv", ".json"):
        return suffix[1:]
    body = text.lstrip("\ufeff \t\r\n")
    if body.startswith(("{", "[")):
        return "json"
    first = body.split("\n", 1)[0].lower()
    if "," in first and ("text" in first and ("stage" in first or "lane" in first)):
        return "csv"
    return "mermaid"


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..formats import importer
    from ..store import codec, files
    from ..store.errors import MapError
    from ..store.schema import SUFFIX

    if args.path == "-":
        text, name = sys.stdin.read(), "<stdin>"
    else:
        text, name = files.read_text(args.path), args.path
    output = args.output
    if not output:
        if args.path == "-":
            raise MapError("reading standard input: say where to write the map with -o MAP.cjm.toml", name)
        output = str(Path(args.path).name.split(".")[0] + SUFFIX)
    out = Path(output)
    if out.exists() and not args.force and output != "-":
        raise MapError("already exists; use --force to replace it, or choose another -o", output)
    fmt = args.source or detect(name, text)
    m, warnings = importer(fmt)(text, name)
    if not m.title:
        m.title = Path(name).name.split(".")[0] if args.path != "-" else "Imported journey"
    data = codec.dumps(m)
    # what we write must read back as the same map
    files.loads_fast(data, output)
    for w in warnings:
        print(f"cjm: {w}", file=sys.stderr)
    if output == "-":
        sys.stdout.write(data)
        return 0
    try:
        files.atomic_write(out, data)
    except OSError as exc:
        raise MapError(f"cannot write: {exc.strerror or exc}", output) from None
    cards = m.card_count()
    print(f"cjm: wrote {output} ({fmt}: {len(m.stages)} stages, {cards} cards)", file=sys.stderr)
    return 0
