"""Helpers for editor tests: open a map in the app, read the screen as text."""

from __future__ import annotations

import io
import re
import os
from pathlib import Path

from rich.console import Console

from cjm_tui.store.document import MapDocument
from cjm_tui.ui.app import CjmApp

SNAPSHOTS = Path(__file__).parent / "snapshots"


def make_app(path: str | Path, **kwargs) -> CjmApp:
    """The editor as `cjm PATH` builds it, with a short autosave delay for tests."""
    kwargs.setdefault("autosave_delay", 0.05)
    return CjmApp(MapDocument.open(path), **kwargs)


def screen_text(app, styles: bool = False) -> str:
    """What the terminal shows, as text lines (trailing spaces removed); with *styles*,
    the colour and style codes (SGR) are kept and cursor moves dropped."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    text = console.export_text(styles=styles)
    if styles:
        text = re.sub(r"\x1b\[\d+;\d+H", "", text)
        return "\n".join(line.rstrip(" ") for line in text.splitlines()) + "\n"
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def assert_snapshot(name: str, text: str) -> None:
    """Compare *text* with tests/snapshots/NAME.txt; CJM_UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("CJM_UPDATE_SNAPSHOTS") or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not os.environ.get("CJM_UPDATE_SNAPSHOTS"):
            raise AssertionError(f"snapshot {path} was missing and has been written; check it and run again")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"screen differs from {path} (CJM_UPDATE_SNAPSHOTS=1 to accept)\n--- got ---\n{text}"
