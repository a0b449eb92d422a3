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
    if screen_height < 30:
        return 5
    if screen_height < 40:
        return 7
    return 9


class CurvePanel(Widget):
    DEFAULT_CSS = """
    CurvePanel { height: 5; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] = []
        self._lines: list[str] = []
        self.empty_reason = ""

    def show_curve(
        self,
        journey: JourneyMap,
        *,
        centers: list[float],
        current: int | None,
        ascii_only: bool,
        colors: dict[str, str] | None,
    ) -> bool:
        """Draw the curve; returns False when it cannot be drawn legibly at this size."""
        width = self.size.width
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
        if len(old) != len(plain):
            self.refresh()
            return
        regions = [Region(0, y, width, 1) for y, (a, b) in enumerate(zip(old, plain)) if a != b]
        if regions:
            self.refresh(*regions)

    def render_line(self, y: int) -> Strip:
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._strips) or 1
