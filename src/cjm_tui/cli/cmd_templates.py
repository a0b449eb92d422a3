"""`cjm templates [NAME]`: list the templates `cjm new` knows, or show one."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
List the templates `cjm new --template NAME` can start a map from: kinds of
map (current state, future state, service blueprint, day in the life) and
the common stage sets from the journey-mapping literature. Give a NAME to see
its lanes and stages with their guiding questions."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="show this template's lanes, stages and questions")


def run(args: argparse.Namespace) -> int:
    from ..model.journey import KIND_LABELS
    from ..model.templates import DEFAULT_TEMPLATE, TEMPLATES

    if args.name:
        t = TEMPLATES.get(args.name)
        if t is None:
            print(f"cjm templates: no template {args.name!r}; choose one of: {', '.join(TEMPLATES)}", file=sys.stderr)
            return 2
        print(f"{t.name}: {t.summary} ({KIND_LABELS.get(t.kind, t.kind)})")
        print(f"  {t.source}")
        print("lanes:")
        for _id, name, question in t.lanes:
            print(f"  {name:<20} {question}")
        print("stages:")
        for name, question in t.stages:
            print(f"  {name:<20} {question}")
        print(f"\ncjm new my-journey.cjm.toml --template {t.name}")
        return 0
    width = max(len(n) for n in TEMPLATES)
    for t in TEMPLATES.values():
        default = " (default)" if t.name == DEFAULT_TEMPLATE else ""
        stages = " → ".join(name for name, _q in t.stages)
        print(f"{t.name:<{width}}  {KIND_LABELS.get(t.kind, t.kind)}{default}: {stages}")
    print("\ncjm new PATH --template NAME    create a map;  cjm templates NAME    show one")
    return 0
