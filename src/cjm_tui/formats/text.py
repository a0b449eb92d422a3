"""A map rendered for the terminal: stages in bands that fit the width, cards
by lane, the emotion of each stage, and a curve under each band.

Two paths share one layout:

- ``plain(m, width)`` returns text with no escape codes, written with the
  standard library only (``cjm show`` piped into a file or a pager: fast,
  no Rich import);
- ``render(m, width)`` returns a Rich renderable (colours, box lines) for a
  terminal and for ``export --to svg``. Rich is imported only here.

Card text is always shown literally: Rich markup in a card prints as typed,
and control characters (terminal escape sequences) are shown as ``\\x1b``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..model.journey import EMOTION_WORDS, KIND_LABELS, JourneyMap, Lane, Stage, emotion_symbol
from . import visible

#: a stage column is never narrower than this (text cells)
MIN_COLUMN = 18
#: the lane label column is at most this wide
MAX_LABEL = 16
#: rows of the text curve, top to bottom
CURVE_ROWS = (2, 1, 0, -1, -2)

EMOTION_STYLES = {
    -2: "bold red",
    -1: "dark_orange",
    0: "grey62",
    1: "green",
    2: "bold bright_green",
}


# -- width of text in terminal cells -------------------------------------------------


def char_width(ch: str) -> int:
    if ch in "\u200b\u200c\u200d\ufe0f\ufe0e":
        return 0
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def cell_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def _chop(word: str, width: int) -> list[str]:
    """Split one over-long word into pieces of at most *width* cells."""
    out, cur, w = [], "", 0
    for ch in word:
        cw = char_width(ch)
        if w + cw > width and cur:
            out.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur:
        out.append(cur)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap *text* to *width* cells; newlines in the text are kept."""
    width = max(1, width)
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split()
        if not words:
            lines.append("")
            continue
        cur, cur_w = "", 0
        for word in words:
            ww = cell_width(word)
            if ww > width:
                if cur:
                    lines.append(cur)
                pieces = _chop(word, width)
                lines.extend(pieces[:-1])
                cur, cur_w = pieces[-1], cell_width(pieces[-1])
                continue
            if not cur:
                cur, cur_w = word, ww
            elif cur_w + 1 + ww <= width:
                cur += " " + word
                cur_w += 1 + ww
            else:
                lines.append(cur)
                cur, cur_w = word, ww
        lines.append(cur)
    return lines


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


# -- layout ---------------------------------------------------------------------------


@dataclass
class Layout:
    width: int
    label: int  # width of the lane label column
    column: int  # width of each stage column
    per_band: int  # stages per band

    def bands(self, stages: list[Stage]) -> list[list[Stage]]:
        n = self.per_band
        return [stages[i : i + n] for i in range(0, len(stages), n)] or [[]]

    def centers(self, count: int) -> list[int]:
        """The x of each stage column's middle, in a line of the band (plain and rich)."""
        # "label │ col │ col": label, then per column " │ " + column
        return [self.label + 3 + i * (self.column + 3) + self.column // 2 for i in range(count)]


def layout(m: JourneyMap, width: int) -> Layout:
    width = max(40, width)
    names = [cell_width(lane.name) for lane in m.lanes] or [7]
    label = max(13, min(MAX_LABEL, max(names)))  # 13: room for "-2 frustrated"
    room = width - label
    per_band = max(1, min(len(m.stages) or 1, room // (MIN_COLUMN + 3)))
    column = max(8, (room - 3 * per_band) // per_band)
    return Layout(width, label, column, per_band)


def visible_lanes(m: JourneyMap) -> list[Lane]:
    return [lane for lane in m.lanes if not lane.hidden]


def emotion_label(score: int | None, ascii_only: bool = False) -> str:
    if score is None:
        return f"{emotion_symbol(None, ascii_only)} not set"
    return f"{emotion_symbol(score, ascii_only)} {score:+d} {EMOTION_WORDS[score]}"


def header_lines(m: JourneyMap) -> list[tuple[str, str]]:
    """(label, text) pairs describing the map and its persona; label "" for the title."""
    out: list[tuple[str, str]] = []
    title = m.title or "Untitled journey"
    kind = KIND_LABELS.get(m.kind, m.kind)
    out.append(("", f"{title}  ({kind})"))
    for label, value in (("Scenario", m.scenario), ("Goal", m.goal), ("Timescale", m.timescale)):
        if value:
            out.append((label, value))
    p = m.persona
    if p.name or p.role:
        out.append(("Persona", " · ".join(x for x in (p.name, p.role) if x)))
    if p.quote:
        out.append(("Quote", f"“{p.quote}”"))
    if p.goals:
        out.append(("Goals", "; ".join(p.goals)))
    if p.frustrations:
        out.append(("Frustrations", "; ".join(p.frustrations)))
    for key, value in p.other.items():
        text = "; ".join(value) if isinstance(value, list) else value
        out.append((key.replace("_", " ").capitalize(), text))
    if m.notes:
        out.append(("Notes", m.notes))
    return [(label, visible(text)) for label, text in out]


def card_lines(stage: Stage, lane_id: str, width: int, ascii_only: bool = False) -> list[str]:
    bullet = "*" if ascii_only else "•"
    lines: list[str] = []
    for card in stage.peek(lane_id):
        text = visible(card.text)
        extra = []
        if card.emotion is not None:
            extra.append(emotion_symbol(card.emotion, ascii_only))
        if card.tags:
            extra.append(" ".join("#" + visible(t) for t in card.tags))
        if extra:
            text = f"{text} ({' '.join(extra)})"
        wrapped = wrap(text, width - 2)
        lines.append(f"{bullet} {wrapped[0]}")
        lines.extend("  " + w for w in wrapped[1:])
    return lines


def curve_lines(scores: list[int | None], lay: Layout, ascii_only: bool = False) -> list[str]:
    """A small text chart: one row per emotion score, a mark under each stage."""
    centers = lay.centers(len(scores))
    total = (centers[-1] + 2) if centers else lay.label
    rows = []
    for row in CURVE_ROWS:
        label = f"{row:+d} {EMOTION_WORDS[row]}"
        line = [" "] * total
        for i, score in enumerate(scores):
            if score == row:
                mark = emotion_symbol(score, ascii_only)
                for j, ch in enumerate(mark):
                    if centers[i] + j < total:
                        line[centers[i] + j] = ch
            elif score is not None and (score > row > 0 or score < row < 0):
                line[centers[i]] = ":" if ascii_only else "┊"
        rows.append((pad(label, lay.label) + "".join(line[lay.label :])).rstrip())
    return rows


# -- plain text --------------------------------------------------------------------


def plain(m: JourneyMap, width: int = 100, *, ascii_only: bool = False) -> str:
    """The map as plain text: no escape codes, lines at most *width* cells."""
    lay = layout(m, width)
    out: list[str] = []
    for label, text in header_lines(m):
        if not label:
            out.extend(wrap(text, lay.width))
            out.append("=" * min(lay.width, cell_width(text)))
        else:
            body = wrap(text, max(10, lay.width - 14))
            out.append(pad(label + ":", 14) + body[0])
            out.extend(" " * 14 + b for b in body[1:])
    lanes = visible_lanes(m)
    bar = " | " if ascii_only else " │ "
    cross = "-+-" if ascii_only else "─┼─"
    rule_ch = "-" if ascii_only else "─"
    if not m.stages:
        out.append("")
        out.append("(no stages)")
        return "\n".join(out) + "\n"
    for band in lay.bands(m.stages):
        out.append("")
        rule = rule_ch * lay.label + cross + cross.join(rule_ch * lay.column for _ in band)

        def row(label_lines: list[str], cells: list[list[str]]) -> None:
            height = max([len(label_lines)] + [len(c) for c in cells])
            for k in range(height):
                parts = [pad(label_lines[k] if k < len(label_lines) else "", lay.label)]
                for c in cells:
                    parts.append(pad(c[k] if k < len(c) else "", lay.column))
                out.append(bar.join(parts).rstrip())

        row(["Stage"], [wrap(visible(s.name), lay.column) for s in band])
        row(["Emotion"], [[emotion_label(s.emotion, ascii_only)] + (wrap("“" + visible(s.feeling) + "”", lay.column) if s.feeling else []) for s in band])
        for lane in lanes:
            out.append(rule)
            row(wrap(visible(lane.name), lay.label), [card_lines(s, lane.id, lay.column, ascii_only) for s in band])
        out.append(rule)
        out.extend(curve_lines([s.emotion for s in band], lay, ascii_only))
    return "\n".join(out) + "\n"


# -- Rich --------------------------------------------------------------------------


def render(m: JourneyMap, width: int = 100, *, ascii_only: bool = False, curve: bool = True):
    """The map as a Rich renderable (a Group), laid out for *width* cells."""
    from rich import box
    import io

    from rich.console import Console, Group
    from rich.table import Table
    from rich.text import Text

    lay = layout(m, width)
    measure = Console(width=width, file=io.StringIO(), color_system=None)
    parts: list = []
    for label, text in header_lines(m):
        if not label:
            parts.append(Text(text, style="bold"))
        else:
            t = Text()
            t.append(f"{label}: ", style="bold cyan")
            t.append(text)
            parts.append(t)
    lanes = visible_lanes(m)
    if not m.stages:
        parts.append(Text("(no stages)", style="italic"))
        return Group(*parts)

    curve_fn = None
    if curve:
        try:
            from .curve import render_curve as curve_fn  # written by another helper
        except ImportError:
            curve_fn = None

    table_box = box.ASCII if ascii_only else box.ROUNDED
    for band in lay.bands(m.stages):
        # widths so that the table's edges line up with the plain layout
        table = Table(
            box=table_box,
            show_header=True,
            show_lines=True,
            padding=(0, 1),
            pad_edge=False,
            show_edge=False,
        )
        table.add_column(Text("Stage", style="bold"), width=lay.label, overflow="fold")
        for s in band:
            table.add_column(Text(visible(s.name), style="bold"), width=lay.column, overflow="fold")
        emo_cells = []
        for s in band:
            t = Text(emotion_label(s.emotion, ascii_only), style=EMOTION_STYLES.get(s.emotion, "dim"))
            if s.feeling:
                t.append("\n“" + visible(s.feeling) + "”", style="italic")
            emo_cells.append(t)
        table.add_row(Text("Emotion", style="bold"), *emo_cells)
        for lane in lanes:
            cells = []
            for s in band:
                t = Text()
                for k, card in enumerate(s.peek(lane.id)):
                    body = Text(visible(card.text))
                    if card.emotion is not None:
                        body.append(" " + emotion_symbol(card.emotion, ascii_only), style=EMOTION_STYLES[card.emotion])
                    if card.tags:
                        body.append(" " + " ".join("#" + visible(tag) for tag in card.tags), style="cyan")
                    # wrap here so continuation lines hang under the bullet
                    for j, line in enumerate(body.wrap(measure, max(1, lay.column - 2), overflow="fold")):
                        if k or j:
                            t.append("\n")
                        t.append(("* " if ascii_only else "• ") if j == 0 else "  ", style="dim")
                        t.append_text(line)
                cells.append(t)
            table.add_row(Text(visible(lane.name), style="bold cyan"), *cells)
        parts.append(Text(""))
        parts.append(table)
        scores = [s.emotion for s in band]
        drawn = None
        if curve_fn is not None:
            centers = lay.centers(len(band))
            try:
                points = []
                for i, s in enumerate(band):
                    own = [c.emotion for cards in s.cells.values() for c in cards if c.emotion is not None]
                    points.extend((i, (k + 0.5) / len(own), e) for k, e in enumerate(own))
                drawn = curve_fn(
                    scores, centers[-1] + lay.column // 2 + 2, 7,
                    centers=centers, card_points=points or None, ascii_only=ascii_only,
                )
            except Exception:  # a curve that fails must not stop the map printing
                drawn = None
        if drawn is not None:
            parts.append(drawn)
        else:
            parts.append(_rich_curve(scores, lay, ascii_only))
    return Group(*parts)


def _rich_curve(scores: list[int | None], lay: Layout, ascii_only: bool):
    from rich.text import Text

    t = Text()
    lines = curve_lines(scores, lay, ascii_only)
    for row, line in zip(CURVE_ROWS, lines):
        label, rest = line[: lay.label], line[lay.label :]
        t.append(label, style="dim")
        t.append(rest, style=EMOTION_STYLES[row])
        t.append("\n")
    t.rstrip()
    return t
