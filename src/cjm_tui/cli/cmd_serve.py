"""`cjm serve FILE`: the editor in a web browser on this machine (textual-serve).

Each browser tab runs its own `cjm FILE` process; they share the file the way
several terminals do (outside changes are merged, nothing is lost).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

DESCRIPTION = (
    "Serve the editor to a web browser on localhost, for a reviewer without a terminal. "
    "Every tab edits the same file; edits from all tabs and terminals are merged. "
    "Needs the optional extra: pip install 'cjm-tui[serve]'."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the map file")
    p.add_argument("--host", default="localhost", help="address to listen on (default: localhost; only this machine)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--theme", help="colour theme for the browser view")


def serve_command(path: Path, theme: str | None = None) -> str:
    """The command each browser tab runs."""
    cmd = [sys.executable, "-m", "cjm_tui", str(path.resolve())]
    if theme:
        cmd += ["--theme", theme]
    return shlex.join(cmd)


def run(args: argparse.Namespace) -> int:
    from ..store.files import load_fast

    path = Path(args.file)
    load_fast(path)  # a bad map: exit 2 before serving anything
    try:
        from textual_serve.server import Server
    except ImportError:
        print(
            "cjm serve needs textual-serve, an optional extra: pip install 'cjm-tui[serve]'",
            file=sys.stderr,
        )
        return 2
    print(f"cjm: serving {path} at http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr)
    Server(serve_command(path, args.theme), host=args.host, port=args.port, title=f"cjm · {path.name}").serve()
    return 0
