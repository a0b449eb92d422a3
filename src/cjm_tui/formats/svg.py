"""A map as an SVG picture of what the terminal shows: the grid and the curve,
rendered by Rich (``text.render``) into a recording console."""

from __future__ import annotations

import io

from ..model.journey import JourneyMap

DEFAULT_WIDTH = 120


def to_svg(m: JourneyMap, width: int = DEFAULT_WIDTH) -> str:
    from rich.console import Console

    from .text import render

    console = Console(
        record=True,
        width=width,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        highlight=False,
    )
    console.print(render(m, width))
    title = (m.title or "cjm").replace("\n", " ")
    return console.export_svg(title=title)
