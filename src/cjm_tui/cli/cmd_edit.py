"""`cjm [PATH]`: open the editor."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import argparse

DESCRIPTION = "Open a journey map in the editor. With no PATH, pick from the maps under this folder."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", help="the map file (*.cjm.toml); created if it does not exist")
    p.add_argument("--theme", help="colour theme: dark, light, high-contrast, colour-blind, monochrome, or one of yours")
    p.add_argument("--read-only", action="store_true", help="open without saving changes")
    p.add_argument("--ascii", action="store_true", help="draw with ASCII only (no braille or box drawing)")


def run(args: argparse.Namespace) -> int:
    import gc

    # Start-up makes a few hundred thousand objects (Textual, the map, the widgets) that
    # live as long as the editor, and the collector would scan them all several times
    # before the first frame (~15 ms, one full pass alone ~10). It is switched back on,
    # with those objects frozen out of later passes, once the first screen is up
    # (CjmApp._after_first_paint); Textual pauses it the same way while scrolling.
    # Not when the picker opens first: that is a session of its own, of any length.
    if args.path is not None:
        gc.disable()
    try:
        from ..ui.app import run_editor

        return run_editor(args)
    finally:
        gc.enable()
