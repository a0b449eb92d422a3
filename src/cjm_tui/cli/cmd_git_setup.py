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
  diff.cjm.textconv   CJM diff --textconv            (`git diff` shows one fact per line)
  merge.cjm.driver    CJM merge %O %A %B --name %P   (branches merge by stage, lane and card;
                                                      messages name the map, not git's temp file)
  merge.cjm.name      cjm journey map merge
  .gitignore          .*.cjm-presence/               (the marks an open editor leaves beside
                                                      a map, so `git status` stays clean)

CJM is the cjm running now, by absolute path (`/path/to/python -m cjm_tui`),
not a bare `cjm`: git runs drivers with the PATH of whatever started it (an
IDE, a GUI client, CI), which may not hold cjm. Run it again after moving cjm
to another environment.

Safe to run again: it changes only what is missing or out of date, and says
what it did.
With --global it writes your global git config, global attributes file
(core.attributesFile, or ~/.config/git/attributes) and global ignore file
(core.excludesFile, or ~/.config/git/ignore) instead of the repo's."""

ATTRIBUTES_LINE = "*.cjm.toml diff=cjm merge=cjm"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--global", dest="global_", action="store_true",
                   help="set up git for every repository of this user, not just this one")
    p.add_argument("--external-diff", action="store_true",
                   help="also set diff.cjm.command, so `git diff` prints cjm's semantic diff instead of lines")


def _git(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def cjm_command() -> str:
    """How git should call cjm: this very Python running this very cjm, by absolute path.

    Not a bare `cjm`: git runs drivers with the PATH of whatever started it (an IDE,
    a GUI client, a hook, CI), where the venv or pipx folder holding cjm is often
    missing, and then fails with `cjm: not found`. Not the `cjm` console script found
    on PATH either: that may belong to another install than the one running now.
    `<python> -m cjm_tui` is exactly the install running this command; it keeps
    working across upgrades in the same environment (run git-setup again after
    moving cjm to another one). The symlink of a venv's python is kept as it is:
    resolving it would leave the venv, and its packages, behind.
    """
    python = os.path.abspath(sys.executable) if sys.executable else ""
    if python and _runs(f"{shlex.quote(python)} -m cjm_tui"):
        return f"{shlex.quote(python)} -m cjm_tui"
    # cjm_tui importable only here (PYTHONPATH, zipapp ...): the console script, by its full path
    script = shutil.which("cjm")
    if script:
        return shlex.quote(os.path.abspath(script))
    return f"{shlex.quote(python)} -m cjm_tui" if python else "cjm"


def _runs(command: str) -> bool:
    """Does *command* start cjm (checked once, with `--version`)?"""
    try:
        res = subprocess.run([*shlex.split(command), "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, ValueError, subprocess.SubprocessError):
        return False
    return res.returncode == 0 and res.stdout.startswith("cjm")


def _git_file(root: Path | None, in_repo: str, setting: str, global_name: str) -> Path:
    """The repository's *in_repo* file, or with no repository (``--global``) the file git's
    *setting* names, else git's default ``$XDG_CONFIG_HOME/git/<global_name>``."""
    if root is not None:
        return root / in_repo
    res = _git(["config", "--global", "--get", setting])
    if res.returncode == 0 and res.stdout.strip():
        return Path(os.path.expanduser(res.stdout.strip()))
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "git" / global_name


def ignore_line() -> str:
    """The .gitignore rule for presence marks (store.presence: `.joan.cjm.toml.cjm-presence/`)."""
    from ..store.presence import FOLDER_SUFFIX

    return f".*{FOLDER_SUFFIX}/"


def _has_line(text: str, line: str = ATTRIBUTES_LINE) -> bool:
    want = line.split()
    return any(have.split() == want for have in text.splitlines())


def _has_ignore(text: str, line: str) -> bool:
    """Is *line* (``.*.cjm-presence/``) there already, as written or in an equivalent form?"""
    bare = line.rstrip("/")
    same = {bare, bare + "/", "**/" + bare, "**/" + bare + "/"}
    return any(have.strip() in same for have in text.splitlines())


def _ensure_line(path: Path, line: str, present=_has_line) -> str:
    """Append *line* to the file at *path* (created if missing) unless it is there;
    what was there is kept byte for byte. Returns what it did, for the user."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    if text is not None and present(text, line):
        return f"{path}: already has `{line}`"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        if text and not text.endswith("\n"):
            fh.write("\n")
        fh.write(line + "\n")
    return f"{path}: {'added' if text is not None else 'created with'} `{line}`"


def _ensure_attributes(path: Path) -> str:
    return _ensure_line(path, ATTRIBUTES_LINE)


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
        ("merge.cjm.driver", f"{cjm} merge %O %A %B --name %P"),
    ]
    if args.external_diff:
        settings.append(("diff.cjm.command", f"{cjm} diff"))
    try:
        print(_ensure_attributes(_git_file(root, ".gitattributes", "core.attributesFile", "attributes")))
        for key, value in settings:
            print(_ensure_config(scope, root, key, value))
        print(_ensure_line(_git_file(root, ".gitignore", "core.excludesFile", "ignore"), ignore_line(), _has_ignore)
              + " (marks an open editor leaves beside a map)")
    except (OSError, RuntimeError) as exc:
        print(f"cjm git-setup: {exc}", file=sys.stderr)
        return 2
    print(f"git runs cjm as `{cjm}`: this cjm, by absolute path, so git finds it whatever its PATH "
          "(IDEs, GUI clients and CI often lack cjm's folder); run `cjm git-setup` again if you "
          "reinstall cjm somewhere else")
    if root is not None:
        print("commit .gitattributes and .gitignore so everyone gets them; each clone runs `cjm git-setup` "
              "once for the git config")
    return 0
