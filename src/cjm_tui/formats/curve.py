"""The emotion curve: a line chart of the stages' emotion scores, drawn with plotext.

This is the only module in cjm that imports plotext (held on the 5.x API on purpose).
It knows nothing of Textual: it turns scores into a :class:`rich.text.Text` of exactly
``height`` lines of ``width`` cells, which the editor shows in a panel under the grid
and ``show`` can print.

Coordinates
    x is measured in terminal columns of the curve panel, 0 at its left edge, so that
    a stage's point can sit under its column in the grid: pass ``centers`` (one x per
    stage, fractional allowed, off-screen values allowed, the line is clipped). The
    first :func:`gutter_width` columns hold the y axis labels; a centre inside the gutter
    is off the plot. Without ``centers`` the stages are spread evenly over the plot.

    y is the emotion score, −2 (bottom row of the plot) … +2 (top row), each score on
    the row of its label (see :func:`score_row`).

Too small
    :func:`render_curve` returns ``None`` when the curve cannot be drawn legibly:
    fewer than :data:`MIN_HEIGHT` rows (five scores need five rows), fewer than
    :data:`MIN_PLOT_WIDTH` columns right of the gutter, or, with no ``centers``,
    fewer plot columns than stages (each stage needs a column of its own).

Colours
    ``colors`` maps the theme variable names below to colours or Rich styles (pass the
    Textual app's ``theme_variables``). A missing or unparsable name means "no style",
    so the curve is readable in monochrome: shape tells the marks apart, never colour.

    ============== ==========================================================
    curve-line     the line joining stage points
    curve-axis     the y axis and its labels
    curve-current  the current stage's point (and guide column when it has no score)
    emotion-neg2   points scored −2 (stages and cards); likewise
    …              emotion-neg1, emotion-0, emotion-pos1, emotion-pos2
    ============== ==========================================================

Marks (Unicode / ASCII): the line is braille dots / ``.``; a stage point ``●`` / ``o``;
the current stage ``◆`` / ``@`` (a stage with no score gets a guide column ``┊`` / ``:``); a card's own emotion
``•`` / ``+``. ASCII mode draws no braille and no box drawing, the axis is ``|``.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from plotext._figure import _figure_class
from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Span, Text

from cjm_tui.model.journey import EMOTION_MAX, EMOTION_MIN, EMOTION_WORDS, emotion_number

__all__ = [
    "MIN_HEIGHT",
    "MIN_PLOT_WIDTH",
    "COLOR_NAMES",
    "CurvePoint",
    "CurvePoints",
    "curve_points",
    "stage_centers",
    "gutter_width",
    "score_row",
    "plot_rows",
    "render_curve",
    "curve_too_small",
]

#: fewest rows: one per score −2…+2
MIN_HEIGHT = 5
#: fewest columns right of the y-axis gutter
MIN_PLOT_WIDTH = 8
#: rows needed before a bottom axis line is drawn under the plot
_AXIS_ROW_FROM = 7
#: rows needed before stage labels are drawn under the axis
_LABEL_ROW_FROM = 8

#: every theme variable render_curve reads
COLOR_NAMES: tuple[str, ...] = (
    "curve-line",
    "curve-axis",
    "curve-current",
    "emotion-neg2",
    "emotion-neg1",
    "emotion-0",
    "emotion-pos1",
    "emotion-pos2",
)

_SCORES = tuple(range(EMOTION_MIN, EMOTION_MAX + 1))
_EMOTION_VAR = {-2: "emotion-neg2", -1: "emotion-neg1", 0: "emotion-0", 1: "emotion-pos1", 2: "emotion-pos2"}


def _y_label(score: int) -> str:
    number = emotion_number(score).rjust(2)
    return f"{EMOTION_WORDS[score]} {number} "


_Y_LABELS = {s: _y_label(s) for s in _SCORES}
_LABEL_WIDTH = max(len(v) for v in _Y_LABELS.values())
_Y_LABELS = {s: v.rjust(_LABEL_WIDTH) for s, v in _Y_LABELS.items()}


def gutter_width(ascii_only: bool = False) -> int:
    """Columns at the left of the panel taken by the y labels and the axis line:
    the plot starts at this column. (The same in both modes.)"""
    return _LABEL_WIDTH + 1


# --------------------------------------------------------------------------- maths


@dataclass(frozen=True)
class CurvePoint:
    stage: int
    x: float
    score: int


@dataclass(frozen=True)
class CurvePoints:
    """Where each stage's point goes: ``points[i]`` is ``None`` for a stage with no
    score. ``runs`` are the pieces of the line: maximal runs of consecutive scored
    stages (a run of one is a lone point), so an unscored stage breaks the line."""

    points: tuple[CurvePoint | None, ...]
    runs: tuple[tuple[CurvePoint, ...], ...]


def stage_centers(count: int, left: float, right: float) -> list[float]:
    """*count* stage centres spread evenly over the columns ``left`` … ``right``
    (each stage gets an equal slice; its centre is the middle of its slice)."""
    if count <= 0:
        return []
    step = (right - left) / count
    return [left + (i + 0.5) * step for i in range(count)]


def curve_points(scores: Sequence[int | None], centers: Sequence[float] | None = None) -> CurvePoints:
    """One point per scored stage at its centre (default ``i + 0.5``, in stage units).

    Scores outside −2…+2 are clamped. ``centers`` must have one entry per score.
    """
    if centers is None:
        centers = [i + 0.5 for i in range(len(scores))]
    if len(centers) != len(scores):
        raise ValueError(f"{len(scores)} scores but {len(centers)} centres")
    points: list[CurvePoint | None] = []
    runs: list[tuple[CurvePoint, ...]] = []
    run: list[CurvePoint] = []
    for i, (score, x) in enumerate(zip(scores, centers)):
        if score is None:
            points.append(None)
            if run:
                runs.append(tuple(run))
                run = []
            continue
        p = CurvePoint(i, float(x), max(EMOTION_MIN, min(EMOTION_MAX, int(score))))
        points.append(p)
        run.append(p)
    if run:
        runs.append(tuple(run))
    return CurvePoints(tuple(points), tuple(runs))


def plot_rows(height: int, has_labels: bool = False) -> int:
    """Rows of the plot area at *height*: what is left after the axis line and the
    stage labels, cut down to 4k+1 rows so that the five scores are evenly spaced
    (the spare rows are left blank above the plot)."""
    rows = height
    if height >= _AXIS_ROW_FROM:
        rows -= 1
    if has_labels and height >= _LABEL_ROW_FROM:
        rows -= 1
    return 4 * ((rows - 1) // 4) + 1 if rows >= MIN_HEIGHT else rows


def score_row(score: int, rows: int) -> int:
    """The row, counted from the top of the plot area (*rows* high), where *score*
    and its label are drawn: +2 on the top row, −2 on the bottom row."""
    from_bottom = int(0.5 + (rows - 1) * (score - EMOTION_MIN) / (EMOTION_MAX - EMOTION_MIN) + 1e-9)
    return rows - 1 - from_bottom


def curve_too_small(width: int, height: int, stages: int = 0, centers_given: bool = True) -> bool:
    """True when a curve of this size cannot be drawn legibly (see module notes)."""
    plot_w = width - gutter_width()
    if height < MIN_HEIGHT or plot_w < MIN_PLOT_WIDTH:
        return True
    if not centers_given and plot_w < stages:
        return True
    return False


# ------------------------------------------------------------------------ drawing

# colour tags handed to plotext (it only knows its own colours): 256-colour codes used
# as labels and looked up again in the finished matrix
_TAG_LINE = 1
_TAG_AXIS = 2
_TAG_CURRENT = 3
_TAG_EMOTION = {s: 10 + s - EMOTION_MIN for s in _SCORES}
_TAG_NAMES = {
    _TAG_LINE: "curve-line",
    _TAG_AXIS: "curve-axis",
    _TAG_CURRENT: "curve-current",
    **{_TAG_EMOTION[s]: _EMOTION_VAR[s] for s in _SCORES},
}

_MARKS = {
    # (line, stage point, current point, guide, card point)
    False: ("braille", "●", "◆", "┊", "•"),
    True: (".", "o", "@", ":", "+"),
}

# what plotext draws with box drawing, in ASCII
_ASCII_TABLE = str.maketrans(
    {
        "│": "|",
        "─": "-",
        "┤": "|",
        "├": "|",
        "┼": "+",
        "┬": "-",
        "┴": "-",
        "└": "+",
        "┘": "+",
        "┌": "+",
        "┐": "+",
    }
)

_lock = threading.Lock()


def render_curve(
    scores: Sequence[int | None],
    width: int,
    height: int,
    *,
    centers: Sequence[float] | None = None,
    current: int | None = None,
    card_points: Sequence[tuple[int, float, int]] | None = None,
    ascii_only: bool = False,
    labels: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
) -> Text | None:
    """The curve as a Text of *height* lines, each exactly *width* cells, or ``None``
    when too small to be legible (see the module notes).

    scores       one per stage, −2…+2 or None (a gap in the line)
    centers      x (panel column) of each stage, one per score; None: spread evenly
    current      index of the current stage: a distinct point (a guide column if unscored)
    card_points  (stage index, offset within the stage 0…1, score) per card with its
                 own emotion, drawn inside that stage's slice of the x axis
    ascii_only   no braille, no box drawing: every character is ASCII
    labels       a name per stage, written under the axis (from 8 rows up), each clipped
                 to its stage's slice; stage numbers instead when the names have no room;
                 with *current*, that stage's label is bold and underlined
    colors       theme variable name → colour/style (see the module notes)

    The plot is cached by its inputs except *current*, which is drawn over it, so
    moving the cursor along the stages costs no plotting. The Text is the caller's.
    """
    if curve_too_small(width, height, len(scores), centers is not None):
        return None
    cols = None if centers is None else tuple(float(c) for c in centers)
    colors_key = _color_key(colors)
    lines, spans = _render_base(
        tuple(scores),
        int(width),
        int(height),
        cols,
        None if not card_points else tuple((int(s), float(o), int(e)) for s, o, e in card_points),
        bool(ascii_only),
        None if labels is None else tuple(labels),
        colors_key,
    )
    if current is not None and 0 <= current < len(scores):
        # drawn over the cached curve, so that moving along the stages costs no plot
        lines, spans = _overlay_current(
            list(lines), list(spans), scores, width, height, cols, current, ascii_only,
            None if labels is None else tuple(labels), colors_key,
        )
    return Text("\n".join(lines), spans=spans, end="", no_wrap=True, overflow="crop")


def _overlay_current(lines, spans, scores, width, height, centers, current, ascii_only, labels, colors_key):
    gutter = gutter_width(ascii_only)
    if centers is None:
        centers = stage_centers(len(scores), gutter, width)
    c = gutter + math.floor(centers[current] - gutter + 0.5)
    if not gutter <= c < width:
        return lines, spans
    has_labels = labels is not None and height >= _LABEL_ROW_FROM
    rows = plot_rows(height, has_labels)
    spare = height - rows - (height >= _AXIS_ROW_FROM) - has_labels
    _, _, current_m, guide_m, _ = _MARKS[ascii_only]
    style = _style(dict(colors_key).get("curve-current"))
    score = scores[current]
    mark_row = None if score is None else spare + score_row(max(EMOTION_MIN, min(EMOTION_MAX, int(score))), rows)
    if has_labels and labels is not None:
        _, ranges = _label_row(labels, _centers(len(scores), width, centers, ascii_only), width, ascii_only)
        if ranges[current] is not None:
            start = (height - 1) * (width + 1)
            a, b = ranges[current]
            spans.append(Span(start + a, start + b, Style(bold=True, underline=True) + (style or Style())))
    for r in range(spare, spare + rows):
        line = lines[r]
        if r == mark_row:
            ch = current_m
        elif mark_row is None and line[c] == " ":
            # a stage with no score: a guide column shows where it is; a scored
            # stage is marked by its point alone (moving it repaints two cells)
            ch = guide_m
        else:
            continue
        lines[r] = line[:c] + ch + line[c + 1 :]
        if style is not None:
            start = r * (width + 1) + c
            spans.append(Span(start, start + 1, style))
    return lines, spans


def _color_key(colors: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    if not colors:
        return ()
    return tuple((n, str(colors[n])) for n in COLOR_NAMES if colors.get(n))


@lru_cache(maxsize=64)
def _render_base(scores, width, height, centers, card_points, ascii_only, labels, colors):
    """The curve without the current-stage marks: (lines, spans), both tuples."""
    with _lock:
        markers, fullground = _draw(scores, width, height, centers, card_points, ascii_only, labels)
    lines, spans = _to_lines(markers, fullground, width, height, ascii_only, dict(colors))
    if labels is not None and height >= _LABEL_ROW_FROM:
        # the same arguments as _overlay_current's call, so that one is a cache hit
        row, _ = _label_row(labels, _centers(len(scores), width, centers, ascii_only), width, ascii_only)
        start = (height - 1) * (width + 1)
        spans = tuple(sp for sp in spans if sp.start < start)
        style = _style(dict(colors).get("curve-axis"))
        if style is not None and row.strip():
            spans += (Span(start, start + len(row), style),)
        lines = lines[:-1] + (row,)
    return lines, spans


def _centers(count: int, width: int, centers, ascii_only: bool) -> tuple[float, ...]:
    if centers is None:
        centers = stage_centers(count, gutter_width(ascii_only), width)
    return tuple(float(c) for c in centers)


#: a stage name is written when at least this many cells are free for it; otherwise
#: the stages are numbered
_MIN_NAME_CELLS = 4


@lru_cache(maxsize=64)
def _label_row(labels, centers, width, ascii_only):
    """The row under the axis: each stage's label centred under its tick and clipped
    to its slice of the axis (halfway to the neighbouring ticks, one cell apart), so
    no label runs into the next. Names when every on-plot stage has room for
    :data:`_MIN_NAME_CELLS` cells, else stage numbers (1, 2 …) where they fit.

    Returns (the row: *width* cells, and per stage the (start, end) of its label in
    the row's characters, or None where none is written)."""
    from rich.cells import cell_len, get_character_cell_size

    gutter = gutter_width(ascii_only)
    ticks = [gutter + math.floor(c - gutter + 0.5) for c in centers]
    on = [i for i, t in enumerate(ticks) if gutter <= t < width and labels[i]]
    # each stage's slice: from halfway to the previous tick to halfway to the next
    lo = {i: gutter for i in on}
    hi = {i: width for i in on}
    for a, b in zip(on, on[1:]):
        hi[a] = lo[b] = (ticks[a] + ticks[b] + 1) // 2
    room = {i: hi[i] - lo[i] - 1 for i in on}
    names = bool(on) and min(room.values()) >= _MIN_NAME_CELLS
    ellipsis = "~" if ascii_only else "…"

    def clip(text: str, cells: int) -> str:
        text = " ".join(text.split())
        if ascii_only and not text.isascii():
            text = "".join(ch if ch.isascii() else "?" for ch in text)
        if cell_len(text) <= cells:
            return text
        out, used = "", 0
        for ch in text:
            w = get_character_cell_size(ch)
            if used + w > cells - 1:
                break
            out += ch
            used += w
        return out.rstrip() + ellipsis

    row, col = "", 0  # the row so far, and the cells it covers
    ranges: list[tuple[int, int] | None] = [None] * len(labels)
    for i in on:
        text = clip(str(labels[i]), room[i]) if names else str(i + 1)
        w = cell_len(text)
        start = ticks[i] - (w - 1) // 2
        if names:
            start = max(lo[i], min(start, hi[i] - 1 - w))
        if not text or start < (col + 1 if row else 0) or start + w > width:
            continue  # numbers too close together: this one is left out
        row += " " * (start - col)
        ranges[i] = (len(row), len(row) + len(text))
        row += text
        col = start + w
    row += " " * (width - col)
    return row, tuple(ranges)


def _draw(scores, width, height, centers, card_points, ascii_only, labels):
    """Build the plot with a private plotext figure; return its marker and colour
    matrices, top row first."""
    n = len(scores)
    gutter = gutter_width(ascii_only)
    plot_w = width - gutter
    if centers is None:
        centers = stage_centers(n, gutter, width)
    has_labels = labels is not None and height >= _LABEL_ROW_FROM
    rows = plot_rows(height, has_labels)
    line_m, point_m, _, _, card_m = _MARKS[ascii_only]

    fig = _figure_class()  # a figure of our own: plotext's global one stays untouched
    fig._limit_size(False, False)
    spare = height - rows - (height >= _AXIS_ROW_FROM) - has_labels
    fig.plot_size(width, height - spare)
    fig.theme("clear")
    fig.monitor.set_ticks_color(_TAG_AXIS)
    fig.xaxes(height >= _AXIS_ROW_FROM, False)
    fig.yaxes(True, False)
    # x: plot column c (0-based, right of the gutter) is panel column gutter + c
    hd = not ascii_only
    # braille doubles the columns; x = c maps to sub-column 2c, i.e. column c
    x_hi = (plot_w - 0.5) if hd else (plot_w - 1)
    fig.xlim(0, x_hi if x_hi > 0 else 1)

    def mx(c: int) -> float:  # x of one-cell marks in column c
        return c * x_hi / (plot_w - 1) if hd else float(c)

    fig.ylim(EMOTION_MIN, EMOTION_MAX)
    fig.yticks(list(_SCORES), [_Y_LABELS[s] for s in _SCORES])
    if has_labels:
        # tick marks only: the labels are written by _label_row, each clipped to its
        # stage's slice (plotext would drop a label that overlaps its neighbour)
        ticks = [math.floor(c - gutter + 0.5) for c in centers]
        shown = [mx(t) for t, lab in zip(ticks, labels) if 0 <= t <= plot_w - 1 and lab]
        fig.xticks(shown, [""] * len(shown))
    else:
        fig.xticks([])

    # Everything is snapped to whole plot columns and to the rows of the y labels, so
    # that braille line ends (2×4 dots a cell) and one-cell marks share their cells.
    def col(x: float) -> int:
        return math.floor(x - gutter + 0.5)

    def lx(c: int) -> float:  # x of line dots in column c
        return float(c)

    def my(b: int) -> float:  # y of one-cell marks on row b (from the bottom)
        return EMOTION_MIN + b * (EMOTION_MAX - EMOTION_MIN) / (rows - 1)

    def ly(b: int) -> float:  # y of line dots on row b: second dot row of that cell
        if not hd:
            return my(b)
        return EMOTION_MIN + (4 * b + 1.25) * (EMOTION_MAX - EMOTION_MIN) / (4 * rows - 1)

    def row(score: int) -> int:
        return rows - 1 - score_row(score, rows)

    pts = curve_points(scores, centers)
    for run in pts.runs:
        if len(run) > 1:
            fig.plot([lx(col(p.x)) for p in run], [ly(row(p.score)) for p in run], marker=line_m, color=_TAG_LINE)
    # one-cell marks, grouped by mark and colour: one plotext signal each (fewer is faster)
    marks: dict[tuple[str, int], tuple[list[float], list[float]]] = {}

    def mark(m: str, tag: int, c: int, b: int) -> None:
        xs, ys = marks.setdefault((m, tag), ([], []))
        xs.append(mx(c))
        ys.append(my(b))

    if card_points:
        bounds = _stage_bounds(centers)
        for stage, offset, score in card_points:
            if not 0 <= stage < n:
                continue
            lo, hi = bounds[stage]
            o = min(1.0, max(0.0, float(offset)))
            score = max(EMOTION_MIN, min(EMOTION_MAX, int(score)))
            mark(card_m, _TAG_EMOTION[score], col(lo + o * (hi - lo)), row(score))
    for p in pts.points:
        if p is not None:
            mark(point_m, _TAG_EMOTION[p.score], col(p.x), row(p.score))
    for (m, tag), (xs, ys) in marks.items():
        fig.scatter(xs, ys, marker=m, color=tag)
    fig._set_sizes()
    fig._build_matrix()
    m = fig.monitor.matrix
    blank = [[" "] * width for _ in range(spare)]
    return blank + m.marker[::-1], blank + m.fullground[::-1]


def _stage_bounds(centers: Sequence[float]) -> list[tuple[float, float]]:
    """Each stage's slice of the x axis: halfway to its neighbours' centres."""
    n = len(centers)
    if n == 1:
        return [(centers[0] - 2.0, centers[0] + 2.0)]
    out = []
    for i, c in enumerate(centers):
        left = (centers[i - 1] + c) / 2 if i > 0 else c - (centers[1] - c) / 2
        right = (c + centers[i + 1]) / 2 if i < n - 1 else c + (c - centers[i - 1]) / 2
        # keep a margin so that neighbouring stages' cards never share a column
        span = right - left
        out.append((left + span * 0.15, right - span * 0.15))
    return out


_style_cache: dict[str, Style | None] = {}


def _style(value: str | None) -> Style | None:
    if not value:
        return None
    if value not in _style_cache:
        try:
            _style_cache[value] = Style.parse(value)
        except (StyleSyntaxError, ValueError, TypeError):
            _style_cache[value] = None
    return _style_cache[value]


def _to_lines(markers, fullground, width, height, ascii_only, colors):
    styles = {tag: _style(colors.get(name)) for tag, name in _TAG_NAMES.items()}
    lines: list[str] = []
    spans: list[Span] = []
    offset = 0
    for r in range(height):
        row = markers[r] if r < len(markers) else []
        cells = "".join(row[:width]).ljust(width)
        if ascii_only:
            cells = cells.translate(_ASCII_TABLE)
            if not cells.isascii():  # never let a stray glyph through
                cells = "".join(ch if ch.isascii() else "?" for ch in cells)
        lines.append(cells)
        colours = fullground[r] if r < len(fullground) else []
        start = 0
        prev = None
        for c in range(min(width, len(colours))):
            tag = colours[c]
            if tag != prev:
                if prev is not None and styles.get(prev) is not None and cells[start:c].strip():
                    spans.append(Span(offset + start, offset + c, styles[prev]))
                start, prev = c, tag
        end = min(width, len(colours))
        if prev is not None and styles.get(prev) is not None and cells[start:end].strip():
            spans.append(Span(offset + start, offset + end, styles[prev]))
        offset += width + 1
    return tuple(lines), tuple(spans)
