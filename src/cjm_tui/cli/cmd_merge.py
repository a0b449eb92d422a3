"""`cjm merge BASE OURS THEIRS [-o OUT]`: three-way merge of maps; a git merge driver."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
Three-way merge of journey maps, matched by stage id, lane id and card.

Writes the merged map to OURS (or to -o OUT), keeping OURS' comments. As a git
merge driver: git config merge.cjm.driver "cjm merge %O %A %B" and, in
.gitattributes, `*.cjm.toml merge=cjm`.

Cards changed differently on both sides are both kept, marked
conflict = "ours" / conflict = "theirs"; other conflicts keep ours and add a
"merge conflict:" line to the map's notes. The file stays a valid map."""

EPILOG = "Exit status: 0 merged cleanly, 1 merged with conflicts (marked in the file), 2 bad input (nothing written)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("base", help="the common ancestor (git's %%O); an empty file or /dev/null for none")
    p.add_argument("ours", help="our version (git's %%A); the result is written here unless -o is given")
    p.add_argument("theirs", help="their version (git's %%B)")
    p.add_argument("-o", "--output", metavar="OUT", help="write the result here instead of over OURS ('-' for stdout)")
    p.add_argument("--name", metavar="PATH", help="the map's path to show in messages (git's %%P)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing unless there are conflicts")


def run(args: argparse.Namespace) -> int:
    from ..store.merge import merge_files

    to_stdout = args.output == "-"
    fm = merge_files(args.base, args.ours, args.theirs, out=args.output if not to_stdout else None, write=not to_stdout)
    if to_stdout:
        sys.stdout.write(fm.text)
        sys.stdout.flush()
    name = args.name or args.ours
    if not (args.quiet and fm.clean):
        print(fm.summary(f"cjm merge {name}"), file=sys.stderr)
    return 0 if fm.clean else 1
