"""`cjm git-setup [--global]`: let git diff and merge maps with cjm."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

DESCRIPTION = """\
Set git up to diff and merge journey maps with cjm:

  .gitattributes      *.cjm.toml diff=cjm merge=cjm
  diff.cjm.textconv   cjm diff --textconv    (`git diff` shows one fact per line)
  merge.cjm.driver    cjm merge %O %A %B     (branches merge by stage, lane and card)
  merge.cjm.name      cjm journey map merge

Safe to run again: it changes only what is missing and says what it did.
With --global it writes your global git config and global attributes file
(core.attributesFile, or ~/.config/git/attributes) instead of the repo's."""

ATTRIBUTES_LINE = "*.cjm.toml diff=cjm merge=cjm"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--global", dest="global_", action="store_true",
                   help="set up git for every repository of this user, not just this one")
    p.add_argument("--external-diff", action="store_true",
                   help="also set diff.cjm.command, so `git diff` prints cjm's semantic diff instead of lines")


def _git(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def cjm_command() -> str:
    """How git should call cjm: `cjm` when that is on PATH, else this very program."""
    on_path = shutil.which("cjm")
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if on_path and (argv0 is None or argv0.name != "cjm" or Path(on_path).resolve() == argv0.resolve()):
        return "cjm"
    if argv0 is not None and argv0.name == "cjm" and argv0.exists():
        return shlex.quote(str(argv0.resolve()))
    return f"{shlex.quote(sys.executable)} -m cjm_tui"


def _attributes_file(root: Path | None) -> Path:
    if root is not None:
        return root / ".gitattributes"
    res = _git(["config", "--global", "--get", "core.attributesFile"])
    if res.returncode == 0 and res.stdout.strip():
        return Path(os.path.expanduser(res.stdout.strip()))
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "git" / "attributes"


def _has_line(text: str) -> bool:
    want = ATTRIBUTES_LINE.split()
    return any(line.split() == want for line in text.splitlines())


def _ensure_attributes(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    if text is not None and _has_line(text):
        return f"{path}: already has `{ATTRIBUTES_LINE}`"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        if text and not text.endswith("\n"):
            fh.write("\n")
        fh.write(ATTRIBUTES_LINE + "\n")
    return f"{path}: {'added' if text is not None else 'created with'} `{ATTRIBUTES_LINE}`"


def _ensure_config(scope: list[str], cwd: Path | None, key: str, value: str) -> str:
    res = _git(["config", *scope, "--get", key], cwd)
    if res.returncode == 0 and res.stdout.rstrip("\n") == value:
        return f"git config {key}: already `{value}`"
    old = res.stdout.rstrip("\n") if res.returncode == 0 else None
    set_res = _git(["config", *scope, key, value], cwd)
    if set_res.returncode != 0:
        raise RuntimeError(f"git config {key} failed: {set_res.stderr.strip()}")
    was = f" (was `{old}`)" if old else ""
    return f"git config {' '.join(scope)}{' ' if scope else ''}{key} = `{value}`{was}"


def run(args: argparse.Namespace) -> int:
    if shutil.which("git") is None:
        print("cjm git-setup: git is not installed", file=sys.stderr)
        return 2
    root: Path | None = None
    scope: list[str]
    if args.global_:
        scope = ["--global"]
    else:
        res = _git(["rev-parse", "--show-toplevel"])
        if res.returncode != 0:
            print("cjm git-setup: this folder is not inside a git repository. Run it in your repository, "
                  "or use `cjm git-setup --global` to set git up for all of them.", file=sys.stderr)
            return 2
        root = Path(res.stdout.strip())
        scope = ["--local"]
    cjm = cjm_command()
    settings = [
        ("diff.cjm.textconv", f"{cjm} diff --textconv"),
        ("merge.cjm.name", "cjm journey map merge"),
        ("merge.cjm.driver", f"{cjm} merge %O %A %B"),
    ]
    if args.external_diff:
        settings.append(("diff.cjm.command", f"{cjm} diff"))
    try:
        print(_ensure_attributes(_attributes_file(root)))
        for key, value in settings:
            print(_ensure_config(scope, root, key, value))
    except (OSError, RuntimeError) as exc:
        print(f"cjm git-setup: {exc}", file=sys.stderr)
        return 2
    if root is not None:
        print("commit .gitattributes so everyone gets it; each clone runs `cjm git-setup` once for the git config")
    return 0
