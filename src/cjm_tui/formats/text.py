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
With ``ascii_only`` every decoration (box lines, bullets, emotion marks,
quotation marks, separators) is ASCII; the map's own text is kept as written.
"""

from __future__ import annotations

from ..model.journey import EMOTION_WORDS, KIND_LABELS, Card, JourneyMap, Lane, Stage, emotion_label, emotion_number, emotion_symbol
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
    import unicodedata  # only for text that is not ASCII

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


class Layout:
    """Column widths for a map at a width: ``label │ stage │ stage …``."""

    __slots__ = ("width", "label", "column", "per_band")

    def __init__(self, width: int, label: int, column: int, per_band: int) -> None:
        self.width = width
        self.label = label  # width of the lane label column
        self.column = column  # width of each stage column
        self.per_band = per_band  # stages per band

    def bands(self, stages: list[Stage]) -> list[list[Stage]]:
        """The stages in as few bands as fit, spread evenly (5 stages at 4 a band
        make 3 + 2, not 4 + 1; 10 make 4 + 3 + 3): no stage is left alone at the end."""
        if not stages:
            return [[]]
        count = -(-len(stages) // self.per_band)
        size, extra = divmod(len(stages), count)
        out, start = [], 0
        for k in range(count):
            end = start + size + (k < extra)
            out.append(stages[start:end])
            start = end
        return out

    def centers(self, count: int) -> list[int]:
        """The x of each stage column's middle in a line of the band."""
        # "label │ col │ col": label, then per column " │ " + column
        return [self.label + 3 + i * (self.column + 3) + self.column // 2 for i in range(count)]


def layout(m: JourneyMap, width: int) -> Layout:
    width = max(40, width)
    names = [cell_width(lane.name) for lane in m.lanes] or [7]
    label = max(13, min(MAX_LABEL, max(names)))  # 13: room for "-2 frustrated"
    room = width - label
    fit = max(1, min(len(m.stages) or 1, room // (MIN_COLUMN + 3)))
    # as few bands as fit, as few stages per band as that number of bands needs,
    # so the bands are balanced and the columns as wide as they can be
    count = -(-(len(m.stages) or 1) // fit)
    per_band = -(-(len(m.stages) or 1) // count)
    column = max(8, (room - 3 * per_band) // per_band)
    return Layout(width, label, column, per_band)


def visible_lanes(m: JourneyMap) -> list[Lane]:
    return [lane for lane in m.lanes if not lane.hidden]




def quoted(text: str, ascii_only: bool = False) -> str:
    return f'"{text}"' if ascii_only else f"“{text}”"


def header_lines(m: JourneyMap, ascii_only: bool = False) -> list[tuple[str, str]]:
    """(label, text) pairs describing the map and its persona; label "" for the title.

    With *ascii_only* the decorations (separators, quotation marks) are ASCII; the
    map's own text is kept as written."""
    out: list[tuple[str, str]] = []
    title = m.title or "Untitled journey"
    kind = KIND_LABELS.get(m.kind, m.kind)
    out.append(("", f"{title}  ({kind})"))
    for label, value in (("Scenario", m.scenario), ("Goal", m.goal), ("Timescale", m.timescale)):
        if value:
            out.append((label, value))
    p = m.persona
    if p.name or p.role:
        out.append(("Persona", (" - " if ascii_only else " · ").join(x for x in (p.name, p.role) if x)))
    if p.quote:
        out.append(("Quote", quoted(p.quote, ascii_only)))
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


# -- styled lines, shared by the plain and the Rich output ------------------------------

#: a piece of a line: (text, style name or "")
Piece = tuple[str, str]
Line = list[Piece]


def card_lines(card: Card, width: int, ascii_only: bool = False) -> list[Line]:
    """One card, wrapped to *width* with a hanging indent, as styled lines."""
    bullet = "* " if ascii_only else "• "
    extras: list[Piece] = []
    if card.emotion is not None:
        extras.append((emotion_symbol(card.emotion, ascii_only), EMOTION_STYLES[card.emotion]))
    for tag in card.tags:
        extras.append(("#" + visible(tag).replace("\n", " "), "cyan"))
    wrapped = wrap(visible(card.text), max(1, width - 2))
    lines: list[Line] = [[(bullet if i == 0 else "  ", "dim"), (w, "")] for i, w in enumerate(wrapped)]
    used = cell_width(wrapped[-1]) + 2
    for text, style in extras:
        w = cell_width(text)
        if used + 1 + w <= width:
            lines[-1].append((" " + text, style))
            used += 1 + w
        else:  # on a line of its own; whole, unless it is longer than a line
            for piece in _break_tag(text, max(1, width - 2)):
                lines.append([("  ", ""), (piece, style)])
            used = cell_width(lines[-1][-1][0]) + 2
    return lines


def _break_tag(tag: str, width: int) -> list[str]:
    """A tag in pieces of at most *width* cells: whole if it fits, else broken after
    the hyphens, underscores, dots or slashes between its words (``#moment-that-`` /
    ``matters``); only a word longer than the width is cut inside."""
    if cell_width(tag) <= width:
        return [tag]
    words, cur = [], ""
    for ch in tag:
        cur += ch
        if ch in "-_./":
            words.append(cur)
            cur = ""
    if cur:
        words.append(cur)
    out: list[str] = []
    line = ""
    for word in words:
        if cell_width(line + word) <= width:
            line += word
            continue
        if line:
            out.append(line)
        if cell_width(word) > width:
            *full, line = _chop(word, width)
            out.extend(full)
        else:
            line = word
    if line:
        out.append(line)
    return out


def curve_lines(scores: list[int | None], lay: Layout, ascii_only: bool = False) -> list[Line]:
    """A small text chart: one row per emotion score, a mark under each stage."""
    centers = lay.centers(len(scores))
    total = (centers[-1] + 2) if centers else lay.label
    rows: list[Line] = []
    for row in CURVE_ROWS:
        line = [" "] * total
        for i, score in enumerate(scores):
            if score == row:
                mark = emotion_symbol(score, ascii_only)
                for j, ch in enumerate(mark):
                    if centers[i] + j < total:
                        line[centers[i] + j] = ch
            elif score is not None and (score > row > 0 or score < row < 0):
                line[centers[i]] = ":" if ascii_only else "┊"
        label = pad(f"{emotion_number(row):>2} {EMOTION_WORDS[row]}", lay.label)
        rows.append([(label, "dim"), ("".join(line[lay.label :]).rstrip(), EMOTION_STYLES[row])])
    return rows


#: the header's label column: wide enough for "Frustrations: ", at most this wide
HEADER_LABEL_MIN = 14
HEADER_LABEL_MAX = 22


def header(m: JourneyMap, lay: Layout, ascii_only: bool = False) -> list[Line]:
    """Title, then "Label: value" lines with the values aligned in one column.

    The column fits the longest label (persona fields of the user's own, such
    as "Family status", included) up to a cap; a label longer than that goes
    on a line of its own with its value indented under it, so a label never
    runs into its value."""
    pairs = header_lines(m, ascii_only)
    widest = max((cell_width(label) + 2 for label, _ in pairs if label), default=HEADER_LABEL_MIN)
    indent = max(HEADER_LABEL_MIN, min(widest, HEADER_LABEL_MAX, lay.width // 3))
    out: list[Line] = []
    for label, text in pairs:
        if not label:
            out.extend([(w, "bold")] for w in wrap(text, lay.width))
            continue
        body = wrap(text, max(10, lay.width - indent))
        head = label + ":"
        if cell_width(head) + 1 <= indent:
            out.append([(pad(head, indent), "bold cyan"), (body[0], "")])
            body = body[1:]
        else:
            out.extend([(w, "bold cyan")] for w in wrap(head, lay.width))
        out.extend([(" " * indent, ""), (b, "")] for b in body)
    return out


def band_lines(band: list[Stage], lanes: list[Lane], lay: Layout, ascii_only: bool = False) -> list[Line]:
    """The grid of one band of stages: names, emotions, then cards lane by lane."""
    bar = " | " if ascii_only else " │ "
    rule_ch = "-" if ascii_only else "─"
    cross = "-+-" if ascii_only else "─┼─"
    rule: Line = [(rule_ch * lay.label + cross + cross.join(rule_ch * lay.column for _ in band), "dim")]
    out: list[Line] = []

    def row(label: list[Line], cells: list[list[Line]]) -> None:
        height = max([len(label)] + [len(c) for c in cells])
        blank: Line = []
        for k in range(height):
            line: Line = []
            lab = label[k] if k < len(label) else blank
            line.extend(lab)
            line.append((" " * (lay.label - sum(cell_width(t) for t, _ in lab)), ""))
            for c in cells:
                line.append((bar, "dim"))
                cell = c[k] if k < len(c) else blank
                line.extend(cell)
                line.append((" " * (lay.column - sum(cell_width(t) for t, _ in cell)), ""))
            out.append(line)

    row([[("Stage", "bold")]], [[[(w, "bold")] for w in wrap(visible(s.name), lay.column)] for s in band])
    emotions = []
    for s in band:
        cell: list[Line] = [[(emotion_label(s.emotion, ascii_only), EMOTION_STYLES.get(s.emotion, "dim"))]]
        if s.feeling:
            cell.extend([(w, "italic")] for w in wrap(quoted(visible(s.feeling), ascii_only), lay.column))
        emotions.append(cell)
    row([[("Emotion", "bold")]], emotions)
    for lane in lanes:
        out.append(rule)
        cells = []
        for s in band:
            lines: list[Line] = []
            for card in s.peek(lane.id):
                lines.extend(card_lines(card, lay.column, ascii_only))
            cells.append(lines)
        row([[(w, "bold cyan")] for w in wrap(visible(lane.name), lay.label)], cells)
    out.append(rule)
    return out


def _join(line: Line) -> str:
    return "".join(t for t, _ in line).rstrip()


# -- plain text --------------------------------------------------------------------


def plain(m: JourneyMap, width: int = 100, *, ascii_only: bool = False) -> str:
    """The map as plain text: no escape codes, lines at most *width* cells."""
    lay = layout(m, width)
    out = [_join(line) for line in header(m, lay, ascii_only)]
    if not m.stages:
        out += ["", "(no stages)"]
        return "\n".join(out) + "\n"
    lanes = visible_lanes(m)
    for band in lay.bands(m.stages):
        out.append("")
        out.extend(_join(line) for line in band_lines(band, lanes, lay, ascii_only))
        out.extend(_join(line) for line in curve_lines([s.emotion for s in band], lay, ascii_only))
    return "\n".join(out) + "\n"


# -- Rich --------------------------------------------------------------------------


def render(m: JourneyMap, width: int = 100, *, ascii_only: bool = False, curve: bool = True):
    """The map as a Rich renderable laid out for *width* cells (same layout as ``plain``)."""
    from rich.console import Group

    lay = layout(m, width)
    parts: list = [_Lines(header(m, lay, ascii_only))]
    if not m.stages:
        parts.append(_Lines([[("(no stages)", "italic")]]))
        return Group(*parts)
    curve_fn = None
    if curve:
        try:
            from .curve import render_curve as curve_fn  # written by another helper
        except ImportError:
            curve_fn = None
    lanes = visible_lanes(m)
    for band in lay.bands(m.stages):
        parts.append(_Lines([[]] + band_lines(band, lanes, lay, ascii_only)))
        scores = [s.emotion for s in band]
        drawn = None
        if curve_fn is not None:
            centers = lay.centers(len(band))
            points = []
            for i, s in enumerate(band):
                own = [c.emotion for cards in s.cells.values() for c in cards if c.emotion is not None]
                points.extend((i, (k + 0.5) / len(own), e) for k, e in enumerate(own))
            try:
                drawn = curve_fn(
                    scores, centers[-1] + lay.column // 2 + 2, 7,
                    centers=centers, card_points=points or None, ascii_only=ascii_only,
                )
            except Exception:  # a curve that fails must not stop the map printing
                drawn = None
        parts.append(drawn if drawn is not None else _Lines(curve_lines(scores, lay, ascii_only)))
    return Group(*parts)


class _Lines:
    """Pre-laid-out styled lines as a Rich renderable: Segments straight out, no
    re-wrapping (a 10,000-card map renders in well under a second)."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines

    def __rich_console__(self, console, options):
        from rich.segment import Segment
        from rich.style import Style

        styles: dict[str, Style | None] = {"": None}
        newline = Segment.line()
        for line in self.lines:
            # one segment per run of a style: fewer segments, faster output and SVG
            run_text, run_name = "", ""
            for text, name in line:
                if name == run_name or not text:
                    run_text += text
                    continue
                if run_text:
                    yield Segment(run_text, self._style(console, styles, run_name))
                run_text, run_name = text, name
            if run_text.rstrip():
                yield Segment(run_text.rstrip() if not run_name else run_text, self._style(console, styles, run_name))
            yield newline

    @staticmethod
    def _style(console, styles: dict, name: str):
        if name not in styles:
            styles[name] = console.get_style(name)
        return styles[name]

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        widest = max((sum(cell_width(t) for t, _ in line) for line in self.lines), default=0)
        return Measurement(widest, widest)
