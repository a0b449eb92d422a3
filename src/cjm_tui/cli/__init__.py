"""The `cjm` command line.

``cjm [PATH]`` opens the editor; ``cjm COMMAND ...`` runs a subcommand. Each
subcommand lives in its own module ``cjm_tui.cli.cmd_<name>`` exposing
``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Modules are imported only when their command runs, so ``cjm check`` and
``cjm show`` never import Textual and start fast.

Exit codes: 0 success; 1 the command worked and found problems (``check``
findings at error level, ``diff`` differences, ``merge`` conflicts);
2 bad input or usage (unreadable or invalid map, bad arguments).
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import argparse

from .. import __version__

#: command name -> one-line help (kept here so `cjm --help` imports no command module)
COMMANDS: dict[str, str] = {
    "edit": "open a map in the editor (the default: `cjm PATH`)",
    "show": "print a map to the terminal",
    "present": "walk through a map stage by stage, full screen, read-only",
    "export": "write a map as markdown, html, csv, json, mermaid or svg",
    "import": "make a map from a Mermaid journey, or the csv/json that export writes",
    "new": "create a map from a template",
    "templates": "list the templates `cjm new` knows",
    "check": "lint maps for journey-mapping pitfalls",
    "diff": "show what changed between two maps, or a map and a git revision",
    "merge": "three-way merge of maps (a git merge driver)",
    "git-setup": "set up git to diff and merge maps with cjm",
    "serve": "serve the editor to a web browser on localhost",
}

EPILOG = """\
editor options (cjm [PATH] ...):
  --theme NAME   dark, light, high-contrast, colour-blind, monochrome, or your own
  --ascii        ASCII only (no braille or box drawing)
  --read-only    look without saving
  In the editor press ? for every key.

commands:
{commands}

Run `cjm COMMAND --help` for a command's options.
Exit codes: 0 ok, 1 problems found (check, diff, merge), 2 bad input or usage.
"""


def _parser_class():
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # exit 2 with one clear line
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}: error: {message}\n")

    return _Parser


def _top_parser() -> argparse.ArgumentParser:
    import argparse

    _Parser = _parser_class()
    lines = "\n".join(f"  {name:<10} {text}" for name, text in COMMANDS.items())
    p = _Parser(
        prog="cjm",
        description="cjm: customer journey maps in the terminal, kept as TOML files that diff cleanly in git.",
        epilog=EPILOG.format(commands=lines),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="cjm [PATH] [options]\n       cjm COMMAND [args]",
    )
    p.add_argument("--version", action="version", version=f"cjm {__version__}")
    return p


def command_parser(name: str) -> argparse.ArgumentParser:
    import argparse

    _Parser = _parser_class()
    module = importlib.import_module(f"cjm_tui.cli.cmd_{name.replace('-', '_')}")
    prog = "cjm" if name == "edit" else f"cjm {name}"
    parser = _Parser(
        prog=prog,
        description=getattr(module, "DESCRIPTION", COMMANDS[name]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=getattr(module, "EPILOG", None),
    )
    module.add_arguments(parser)
    parser.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help", "--version"):
        _top_parser().parse_args(args[:1])
        return 0
    if args and args[0] in COMMANDS:
        name, rest = args[0], args[1:]
    else:
        name, rest = "edit", args
    if name == "edit" and len(rest) <= 1 and not any(a.startswith("-") for a in rest):
        # `cjm PATH`, the everyday case: no options to parse, so argparse is not loaded
        # (it is ~10 ms of the editor's start-up)
        from types import SimpleNamespace

        from . import cmd_edit

        ns = SimpleNamespace(path=rest[0] if rest else None, theme=None, read_only=False, ascii=False, _run=cmd_edit.run)
    else:
        ns = command_parser(name).parse_args(rest)
    from ..store.errors import MapError

    try:
        return int(ns._run(ns) or 0)
    except MapError as exc:
        print(f"cjm: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `cjm show map | head`: the reader left; not an error
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            return 0
