"""A map as an SVG picture of what the terminal shows: the grid and the curve.

The map is rendered by Rich exactly as ``cjm show`` draws it in a terminal
(``text.render`` into a recording console), then the recorded segments are
written as SVG text here. Rich's own ``Console.export_svg`` does the same but
spends seconds on a 10,000-card map (one tag with many attributes per segment
plus a repr() of every segment); this writer does one ``<tspan>`` per styled
run, with a class per style, and takes a fraction of that.
"""

from __future__ import annotations

import io
from html import escape

from ..model.journey import JourneyMap

DEFAULT_WIDTH = 120
CHAR_W = 8.4  # px per cell at font-size 14
LINE_H = 17.0
PAD = 14.0
TOP = 34.0
BACKGROUND = "#1d2330"
FOREGROUND = "#e6e9ef"


def to_svg(m: JourneyMap, width: int = DEFAULT_WIDTH) -> str:
    from rich.console import Console
    from rich.segment import Segment
    from rich.terminal_theme import MONOKAI

    from .text import cell_width, render

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
    segments = list(Segment.filter_control(console._record_buffer))
    theme = MONOKAI
    classes: dict[str, int] = {}
    body: list[str] = []
    rows = 0
    for y, line in enumerate(Segment.split_and_crop_lines(segments, length=width, pad=False)):
        rows = y + 1
        x = 0
        spans: list[str] = []
        for text, style, _ in line:
            n = cell_width(text)
            if text.strip():
                rule = ""
                if style is not None:
                    parts = []
                    if style.color is not None and not style.color.is_default:
                        parts.append(f"fill:{style.color.get_truecolor(theme).hex}")
                    if style.bold:
                        parts.append("font-weight:bold")
                    if style.italic:
                        parts.append("font-style:italic")
                    if style.dim:
                        parts.append("opacity:0.6")
                    if style.underline:
                        parts.append("text-decoration:underline")
                    rule = ";".join(parts)
                attr = ""
                if rule:
                    number = classes.setdefault(rule, len(classes) + 1)
                    attr = f' class="s{number}"'
                spans.append(f'<tspan x="{PAD + x * CHAR_W:.1f}"{attr}>{escape(text)}</tspan>')
            x += n
        if spans:
            body.append(f'<text y="{TOP + (y + 1) * LINE_H:.1f}">{"".join(spans)}</text>')
    total_w = PAD * 2 + width * CHAR_W
    total_h = TOP + rows * LINE_H + PAD
    title = escape((m.title or "cjm").replace("\n", " "))
    css = "".join(f".s{n}{{{rule}}}" for rule, n in classes.items())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w:.0f} {total_h:.0f}" '
        f'width="{total_w:.0f}" height="{total_h:.0f}" role="img" aria-label="{title}">\n'
        f"<title>{title}</title>\n"
        "<style>"
        f"text{{font-family:'Fira Code','DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:14px;"
        f"fill:{FOREGROUND};white-space:pre}}{css}"
        "</style>\n"
        f'<rect width="100%" height="100%" rx="8" fill="{BACKGROUND}"/>\n'
        f'<text x="{total_w / 2:.1f}" y="22" text-anchor="middle" style="opacity:0.6">{title}</text>\n'
        + "\n".join(body)
        + "\n</svg>\n"
    )
