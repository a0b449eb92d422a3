"""`cjm new PATH [--template NAME] [--title T]`: create a map from a template."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

DESCRIPTION = """\
Create a new journey map from a template: lanes and stages with a guiding
question on each, ready to fill in. `cjm templates` lists the templates.
Never overwrites an existing file."""

SUFFIX = ".cjm.toml"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the new map file, e.g. maps/onboarding.cjm.toml")
    p.add_argument("-t", "--template", default=None, metavar="NAME",
                   help="template to start from (default: current-state; see `cjm templates`)")
    p.add_argument("--title", help="the map's title (default: from the file name)")


def title_from_path(path: Path) -> str:
    name = path.name
    for suffix in (SUFFIX, ".toml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    words = re.sub(r"[_\-.]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else ""


def run(args: argparse.Namespace) -> int:
    from ..model.templates import DEFAULT_TEMPLATE, TEMPLATES
    from ..store.errors import MapError

    name = args.template or DEFAULT_TEMPLATE
    if name not in TEMPLATES:
        print(f"cjm new: no template {name!r}; choose one of: {', '.join(TEMPLATES)}", file=sys.stderr)
        return 2
    path = Path(args.path)
    if path.exists() or path.is_symlink():
        raise MapError("already exists: not overwriting it (choose another name, or open it with `cjm "
                       f"{args.path}`)", path)
    if not path.name.endswith(SUFFIX):
        print(f"cjm new: warning: map files are named *{SUFFIX} so that `cjm check`, the pre-commit hook "
              f"and `cjm git-setup` find them; writing {path} anyway", file=sys.stderr)
    template = TEMPLATES[name]
    m = template.build(args.title or title_from_path(path) or None)

    from ..store.codec import dumps
    from ..store.files import atomic_write

    text = dumps(m)
    made = []
    if not path.parent.exists():
        path.parent.mkdir(parents=True)
        made.append(str(path.parent))
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise MapError(f"cannot write: {exc.strerror or exc}", path) from None
    if made:
        print(f"created folder {made[0]}")
    print(f"created {path} from template {name!r}: {len(m.stages)} stages × {len(m.lanes)} lanes, "
          f"title {m.title!r}")
    print(f"open it with:  cjm {_quote(str(path))}")
    print(f"then check it: cjm check {_quote(str(path))}")
    return 0


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)
