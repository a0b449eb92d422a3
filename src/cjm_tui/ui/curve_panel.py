"""The emotion curve panel under the grid.

The drawing is formats.curve's (plotext); this widget lines the stage points up
with the grid's columns and repaints only the cells that changed, so moving the
current-stage marker costs a few bytes rather than a whole panel.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from ..formats.curve import render_curve
from ..model import JourneyMap

#: the panel shows at these terminal heights and up
MIN_SCREEN_HEIGHT = 22


def panel_height(screen_height: int) -> int:
    """Curve rows for a terminal *screen_height* rows tall (0: hidden)."""
    if screen_height < MIN_SCREEN_HEIGHT:
        return 0
    # heights the plot fills: five score rows (+ the axis line), or nine (+ axis)
    if screen_height < 30:
        return 5
    if screen_height < 40:
        return 6
    return 10


def _single_width(text: str) -> bool:
    """Braille, box drawing and the curve's marks take one cell each."""
    return all(ch.isascii() or 0x2500 <= ord(ch) <= 0x28FF for ch in text)


def _runs(cells: list[int], gap: int = 4) -> list[tuple[int, int]]:
    """Sorted cell indexes as [left, right) runs; runs closer than *gap* cells join
    (a cursor move costs more than a few unchanged cells)."""
    runs: list[tuple[int, int]] = []
    for i in cells:
        if runs and i - runs[-1][1] < gap:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


class CurveSlice(Widget):
    """A vertical slice of the panel, lined up with one grid column. Textual
    repaints a changed line from a widget's left edge, so slices keep a moving
    marker's repaint to the columns it moves between."""

    DEFAULT_CSS = "CurveSlice { height: 1fr; width: 10; }"

    def __init__(self, panel: CurvePanel) -> None:
        super().__init__()
        self.panel = panel
        self.x0 = 0

    def render_line(self, y: int) -> Strip:
        return self.panel.slice_line(self.x0, self.size.width, y)


class CurvePanel(Widget):
    DEFAULT_CSS = """
    CurvePanel { height: 5; layout: horizontal; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] = []
        self._lines: list[str] = []
        self._widths: list[int] = []
        #: the panel's style when the strips were made (rich_style is costly to look up)
        self._base: Style | None = None
        #: (x0, width, y) -> the slice's line, until the strips change
        self._cut: dict[tuple[int, int, int], Strip] = {}

    def compose(self):
        # slices for the grid's columns at the terminal's width now, so the first
        # frame needs no remount (the app passes the same widths to set_columns)
        from .layout import column_geometry

        width = self.app.size.width or 80
        journey = getattr(self.app, "history", None)
        n = len(journey.map.stages) if journey is not None else 0
        lane_w, stage_w, k = column_geometry(width, n)
        widths = [lane_w] + [stage_w] * k
        widths.append(max(0, width - sum(widths)))
        self._widths = [w for w in widths if w > 0]
        x = 0
        for w in self._widths:
            sl = CurveSlice(self)
            sl.x0 = x
            sl.styles.width = w
            x += w
            yield sl

    def set_columns(self, widths: list[int]) -> None:
        """Slice the panel like the grid's columns (cell widths, left to right)."""
        widths = [w for w in widths if w > 0]
        if widths == self._widths:
            return
        self._widths = widths
        slices = list(self.query(CurveSlice))
        if len(slices) < len(widths):
            new = [CurveSlice(self) for _ in range(len(widths) - len(slices))]
            self.mount_all(new)
            slices += new
        for extra in slices[len(widths) :]:
            extra.remove()
        x = 0
        for sl, w in zip(slices, widths):
            sl.x0 = x
            sl.styles.width = w
            x += w
        for sl in slices[: len(widths)]:
            sl.refresh()

    def slice_line(self, x0: int, width: int, y: int) -> Strip:
        key = (x0, width, y)
        strip = self._cut.get(key)
        if strip is None:
            base = self._base if self._base is not None else self.rich_style
            if y < len(self._strips):
                strip = self._strips[y].crop(x0, x0 + width).adjust_cell_length(width, base)
            else:
                strip = Strip.blank(width, base)
            self._cut[key] = strip
        return strip

    def notify_style_update(self) -> None:
        self._base = None
        self._cut = {}
        super().notify_style_update()

    def _refresh_cells(self, y: int, left: int, right: int) -> None:
        """Repaint line *y* between cells *left* and *right* (exclusive), on the slices
        covering them and only those cells."""
        x = 0
        for sl, w in zip(self.query(CurveSlice), self._widths):
            a, b = max(left, x), min(right, x + w)
            if a < b:
                sl.refresh(Region(a - x, y, b - a, 1))
            x += w

    def show_curve(
        self,
        journey: JourneyMap,
        *,
        centers: list[float],
        current: int | None,
        ascii_only: bool,
        colors: dict[str, str] | None,
        width: int | None = None,
    ) -> bool:
        """Draw the curve; returns False when it cannot be drawn legibly at this size."""
        width = width or self.size.width
        height = self.styles.height.value if self.styles.height else 5
        height = int(height)
        scores = [s.emotion for s in journey.stages]
        card_points = []
        for i, stage in enumerate(journey.stages):
            own = [c.emotion for lane in journey.lanes for c in stage.peek(lane.id) if c.emotion is not None]
            for k, score in enumerate(own):
                card_points.append((i, (k + 0.5) / len(own), score))
        text = None
        if width and scores:
            text = render_curve(
                scores,
                width,
                height,
                centers=centers,
                current=current,
                card_points=card_points or None,
                ascii_only=ascii_only,
                colors=colors,
            )
        if text is None:
            return False
        self._set_text(text, width, height)
        return True

    def show_hint(self, hint: str, width: int) -> None:
        """A line of text instead of a curve (no stage has a score yet)."""
        height = int(self.styles.height.value) if self.styles.height else 5
        self._set_text(Text(hint, style="italic"), width, height)

    def _set_text(self, text: Text, width: int, height: int) -> None:
        lines = text.split("\n", allow_blank=True)
        base = self.rich_style
        strips = []
        plain = []
        for line in list(lines)[:height]:
            segs = [Segment(s.text, base + s.style if isinstance(s.style, Style) else base) for s in line.render(self.app.console)]
            strips.append(Strip(segs).adjust_cell_length(width, base))
            plain.append(line.plain + "|" + "".join(str(sp.style) + str(sp.start) for sp in line.spans))
        while len(strips) < height:
            strips.append(Strip.blank(width, base))
            plain.append("")
        old = self._lines
        self._strips = strips
        self._lines = plain
        self._base = base
        self._cut = {}
        if len(old) != len(plain):
            for sl in self.query(CurveSlice):
                sl.refresh()
            return
        for y, (a, b) in enumerate(zip(old, plain)):
            if a == b:
                continue
            ta, tb = a.split("|", 1)[0], b.split("|", 1)[0]
            if ta == tb or len(ta) != len(tb) or not (ta.isascii() or _single_width(ta + tb)):
                self._refresh_cells(y, 0, width)
                continue
            # only the cells that differ: the current-stage mark leaves one place and
            # appears at another, so each run of changed cells is sent on its own
            for left, right in _runs([i for i, (ca, cb) in enumerate(zip(ta, tb)) if ca != cb]):
                self._refresh_cells(y, left, right)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._strips) or 1
