"""`cjm diff`: what changed between two maps, in journey terms.

    cjm diff OLD NEW             two map files
    cjm diff FILE                the last commit (HEAD) against the file on disk
    cjm diff REV FILE            a git revision of FILE against the file on disk
    cjm diff REV1 REV2 FILE      two git revisions of FILE
    cjm diff --textconv FILE     one fact per line, for git's diff.cjm.textconv
    cjm diff PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE
                                 git's external diff driver (diff.cjm.command)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

DESCRIPTION = """\
Show what changed between two versions of a journey map, in the map's own
terms ("stage Buy: pain point added: …", "Use: emotion +1 → -1",
"stage Try moved after Buy"), rather than as lines of TOML.

  cjm diff OLD NEW            two map files
  cjm diff FILE               HEAD's version of FILE against the file on disk
  cjm diff REV FILE           e.g. cjm diff HEAD~3 map.cjm.toml
  cjm diff REV1 REV2 FILE     two revisions of FILE
  cjm diff --textconv FILE    one fact per line (git's textconv; see `cjm git-setup`)

Also works as git's external diff driver (git passes 7 arguments):
  git config diff.cjm.command "cjm diff"    (or `cjm git-setup --external-diff`)"""

EPILOG = """\
With no differences it says so in one line ("no changes: ..."); as git's
textconv or external diff driver, and with --format json, it prints only the
facts or changes.

exit codes: 0 no differences; 1 differences (like diff(1)); 2 a file or
revision could not be read. As git's textconv or external diff driver it
exits 0 whenever it printed something, because git stops on a non-zero exit."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("args", nargs="+", metavar="ARG", help="OLD NEW | FILE | REV FILE | REV1 REV2 FILE")
    p.add_argument("--textconv", action="store_true", help="print FILE as one normalised fact per line")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the output (default: auto, when writing to a terminal and NO_COLOR is unset)")


# -- reading versions ---------------------------------------------------------------


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    except FileNotFoundError:
        from ..store.errors import MapError

        raise MapError("git is not installed (needed to read a revision)") from None


def _git_version(rev: str, file: str) -> tuple[str, str]:
    """(text, label) of *file* at git revision *rev*; the path is taken relative to
    the file's own folder, so it works from anywhere inside or outside the repo."""
    from ..store.errors import MapError

    p = Path(file)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise MapError("no such folder", folder)
    res = _git(["show", f"{rev}:./{p.name}"], folder)
    if res.returncode != 0:
        msg = res.stderr.decode("utf-8", "replace").strip().splitlines()
        msg = msg[-1] if msg else "git show failed"
        if msg.startswith("fatal: "):
            msg = msg[7:]
        raise MapError(f"cannot read revision {rev}: {msg}", file)
    try:
        text = res.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise MapError(f"revision {rev} is not UTF-8 text", file) from None
    return text.removeprefix("\ufeff"), f"{rev}:{file}"


def _load_text(text: str, label: str):
    from ..store.files import loads_fast

    return loads_fast(text, label)


def _read_file(path: str):
    """(text, map) of the file at *path*."""
    from ..store.files import read_text

    if path == os.devnull:
        from ..model import JourneyMap

        return "", JourneyMap()  # git passes /dev/null for an added or deleted file
    text = read_text(path)
    return text, _load_text(text, path)


def _load_file(path: str):
    return _read_file(path)[1]


def _is_file(path: str) -> bool:
    return path == os.devnull or Path(path).is_file()


# -- output ------------------------------------------------------------------------

_COLORS = {"added": "32", "removed": "31", "moved": "36", "renamed": "33", "changed": "33"}
_MARKS = {"added": "+", "removed": "-", "moved": ">", "renamed": "~", "changed": "~"}


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _safe(text: str) -> str:
    """Card text is shown literally: control characters (escape sequences) never reach the terminal raw."""
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in text)


def render(changes, color: bool = False) -> str:
    lines = []
    for c in changes:
        line = f"{_MARKS.get(c.action, '~')} {_safe(c.text)}"
        if color:
            line = f"\x1b[{_COLORS.get(c.action, '0')}m{line}\x1b[0m"
        lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")


def _no_changes(old_label: str, new_label: str, texts: tuple[str, str]) -> str:
    """The line for two versions with no change in journey terms: identical, or
    different only in what is not part of the map."""
    if texts[0] == texts[1]:
        return f"no changes: {_safe(old_label)} and {_safe(new_label)} are identical\n"
    return ("no changes in journey terms: the files differ only in comments, layout or keys "
            "that are not part of the map\n")


def _print_diff(old, new, old_label: str, new_label: str, args: argparse.Namespace, header: bool,
                texts: tuple[str, str] | None = None) -> int:
    """Print the changes from *old* to *new*; exit code 1 when there are some.

    *texts*, the two files' texts, is given when a person asked (not git): then no
    changes is said in one line rather than with silence. Git's external driver and
    textconv print only changes and facts, so nothing is added to what git shows."""
    from ..model.diff import diff

    changes = diff(old, new)
    if args.format == "json":
        import json

        json.dump({"old": old_label, "new": new_label, "changes": [c.as_dict() for c in changes]},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif changes:
        color = _use_color(args.color)
        if header:
            head = f"cjm diff {_safe(old_label)} {_safe(new_label)}"
            sys.stdout.write((f"\x1b[1m{head}\x1b[0m" if color else head) + "\n")
        sys.stdout.write(render(changes, color))
    elif texts is not None:
        sys.stdout.write(_no_changes(old_label, new_label, texts))
    return 1 if changes else 0


def _textconv(path: str) -> int:
    from ..model.diff import facts
    from ..store.errors import MapError
    from ..store.files import read_text

    try:
        text = read_text(path)
    except MapError as exc:
        print(f"cjm: {exc}", file=sys.stderr)
        return 2
    try:
        m = _load_text(text, path)
    except MapError as exc:
        # an invalid map still diffs: show git its text as it is
        print(f"cjm: {exc} (showing the file as it is)", file=sys.stderr)
        sys.stdout.write(text)
        return 0
    sys.stdout.write("\n".join(_safe(f) for f in facts(m)) + "\n")
    return 0


def run(args: argparse.Namespace) -> int:
    a = args.args
    if args.textconv:
        if len(a) != 1:
            print("cjm diff --textconv: give exactly one FILE", file=sys.stderr)
            return 2
        return _textconv(a[0])
    if len(a) == 7:
        # git's external diff driver: path old-file old-hex old-mode new-file new-hex new-mode
        path, old_file, _oh, _om, new_file, _nh, _nm = a
        old = _load_file(old_file)
        new = _load_file(new_file)
        _print_diff(old, new, f"a/{path}", f"b/{path}", args, header=True)
        return 0
    if len(a) == 1:
        old_text, old_label = _git_version("HEAD", a[0])
        old = _load_text(old_text, old_label)
        new_text, new = _read_file(a[0])
        return _print_diff(old, new, old_label, a[0], args, header=False, texts=(old_text, new_text))
    if len(a) == 2:
        first, second = a
        if _is_file(first) and _is_file(second):
            (t1, m1), (t2, m2) = _read_file(first), _read_file(second)
            return _print_diff(m1, m2, first, second, args, header=False, texts=(t1, t2))
        if not _is_file(second):
            from ..store.errors import MapError

            raise MapError("no such file", second)
        old_text, old_label = _git_version(first, second)
        new_text, new = _read_file(second)
        return _print_diff(_load_text(old_text, old_label), new, old_label, second, args, header=False,
                           texts=(old_text, new_text))
    if len(a) == 3:
        rev1, rev2, file = a
        t1, l1 = _git_version(rev1, file)
        t2, l2 = _git_version(rev2, file)
        return _print_diff(_load_text(t1, l1), _load_text(t2, l2), l1, l2, args, header=False, texts=(t1, t2))
    print("cjm diff: give OLD NEW, FILE, REV FILE or REV1 REV2 FILE (see `cjm diff --help`)", file=sys.stderr)
    return 2
