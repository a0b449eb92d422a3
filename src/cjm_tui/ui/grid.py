"""The journey grid: stages as columns, lanes as rows, drawn with the Line API.

Only visible lines are rendered (``render_line``), so a cursor move costs the
same at 100 cards as at 10,000. The stage headers stay on top and the lane
names stay on the left whatever the scroll. A cursor move repaints only the
regions that changed (old and new card, header names, lane labels), which
keeps what goes over an SSH link to a few hundred bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ..model import EMOTION_WORDS, JourneyMap, emotion_symbol
from .layout import HEADER_LINES, BodyLayout, build_body, card_text_width, column_geometry
from .textfit import fit, literal

COMPONENTS = (
    "grid--header",
    "grid--header-current",
    "grid--lane",
    "grid--lane-current",
    "grid--card",
    "grid--card-cursor",
    "grid--empty-cursor",
    "grid--question",
    "grid--rule",
    "grid--meta",
    "grid--conflict",
    "grid--match",
    "grid--hint",
    "grid--emotion-neg2",
    "grid--emotion-neg1",
    "grid--emotion-0",
    "grid--emotion-pos1",
    "grid--emotion-pos2",
    "grid--emotion-none",
)


@dataclass(frozen=True)
class Cursor:
    stage: int = 0
    lane: int = 0
    card: int = 0


class JourneyGrid(Widget, can_focus=True):
    """Renders a JourneyMap; the app owns editing, the grid owns the cursor and scroll."""

    COMPONENT_CLASSES = set(COMPONENTS)

    DEFAULT_CSS = """
    JourneyGrid { height: 1fr; }
    """

    class CursorMoved(Message):
        def __init__(self, grid: JourneyGrid) -> None:
            super().__init__()
            self.grid = grid

    def __init__(self, journey: JourneyMap, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.journey = journey
        self.ascii_only = ascii_only
        self.cursor = Cursor()
        self.first_col = 0
        self.top = 0
        self.lane_w, self.stage_w, self.n_visible = column_geometry(80, len(journey.stages))
        self.body: BodyLayout | None = None
        self._styles: dict[str, Style] = {}
        self._style_key: object = None
        self.find_text: str = ""

    # -- layout --------------------------------------------------------------
    def on_resize(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        """Recompute geometry for the current size and map (after resize or edits)."""
        width = self.size.width or 80
        self.lane_w, self.stage_w, self.n_visible = column_geometry(width, len(self.journey.stages))
        self.body = build_body(self.journey, self.stage_w, self.lane_w)
        self._clamp_cursor()
        self._scroll_to_cursor()
        self.refresh()

    def set_map(self, journey: JourneyMap) -> None:
        self.journey = journey
        self.relayout()

    def map_changed(self, header_only: bool = False) -> None:
        if header_only:
            self.refresh(Region(0, 0, self.size.width, HEADER_LINES))
            return
        self.relayout()

    @property
    def body_height(self) -> int:
        return max(1, self.size.height - HEADER_LINES)

    # -- cursor ----------------------------------------------------------------
    def lanes(self):
        return self.body.lanes if self.body else [lane for lane in self.journey.lanes if not lane.hidden]

    def current(self) -> tuple[str | None, str | None, int]:
        """(stage id, lane id, card index) under the cursor; ids None when there are none."""
        stages = self.journey.stages
        lanes = self.lanes()
        sid = stages[self.cursor.stage].id if stages else None
        lid = lanes[self.cursor.lane].id if lanes else None
        return sid, lid, self.cursor.card

    def current_cards(self):
        sid, lid, _ = self.current()
        if sid is None or lid is None:
            return []
        return self.journey.stage(sid).peek(lid)

    def _clamp_cursor(self) -> None:
        n_s = len(self.journey.stages)
        n_l = len(self.lanes())
        s = min(max(0, self.cursor.stage), max(0, n_s - 1))
        lane = min(max(0, self.cursor.lane), max(0, n_l - 1))
        self.cursor = Cursor(s, lane, self.cursor.card)
        n_c = len(self.current_cards())
        self.cursor = Cursor(s, lane, min(max(0, self.cursor.card), max(0, n_c - 1)))

    def move_to(self, stage: int | None = None, lane: int | None = None, card: int | None = None) -> None:
        old = self.cursor
        self.cursor = Cursor(
            old.stage if stage is None else stage,
            old.lane if lane is None else lane,
            old.card if card is None else card,
        )
        self._clamp_cursor()
        if self.cursor == old:
            return
        scrolled = self._scroll_to_cursor()
        if scrolled:
            self.refresh()
        else:
            self._refresh_cursor_change(old, self.cursor)
        self.post_message(self.CursorMoved(self))

    def focus_ids(self, stage_id: str | None, lane_id: str | None, card: int | None) -> None:
        """Put the cursor on a place named by ids (after undo/redo, find, merge)."""
        stage = self.cursor.stage
        lane = self.cursor.lane
        if stage_id is not None:
            ids = self.journey.stage_ids()
            if stage_id in ids:
                stage = ids.index(stage_id)
        if lane_id is not None:
            ids = [lane.id for lane in self.lanes()]
            if lane_id in ids:
                lane = ids.index(lane_id)
        old = self.cursor
        self.cursor = Cursor(stage, lane, 0 if card is None else card)
        self._clamp_cursor()
        self._scroll_to_cursor()
        self.refresh()
        if old != self.cursor:
            self.post_message(self.CursorMoved(self))

    def _card_span(self, cur: Cursor) -> tuple[int, int]:
        """Body lines [start, end) of the card (or empty cell line) under *cur*."""
        if self.body is None or not self.body.lanes or not self.journey.stages:
            return (0, 1)
        lane = self.body.lanes[cur.lane]
        base = self.body.lane_start[cur.lane]
        stage = self.journey.stages[cur.stage]
        cell = self.body.cell(stage.id, lane.id)
        if not cell.cards:
            return (base, base + 1)
        c = cell.cards[min(cur.card, len(cell.cards) - 1)]
        return (base + c.start, base + c.start + len(c.lines))

    def _scroll_to_cursor(self) -> bool:
        """Adjust first_col/top so the cursor shows. True when the view moved."""
        old = (self.first_col, self.top)
        s = self.cursor.stage
        if s < self.first_col:
            self.first_col = s
        elif self.n_visible and s >= self.first_col + self.n_visible:
            self.first_col = s - self.n_visible + 1
        self.first_col = max(0, min(self.first_col, max(0, len(self.journey.stages) - self.n_visible)))
        a, b = self._card_span(self.cursor)
        if self.body and self.cursor.card == 0 and self.body.lanes:
            a = min(a, self.body.lane_start[self.cursor.lane])
        h = self.body_height
        if a < self.top:
            self.top = a
        elif b > self.top + h:
            self.top = max(0, min(a, b - h))
        total = self.body.total if self.body else 0
        self.top = max(0, min(self.top, max(0, total - h)))
        return old != (self.first_col, self.top)

    def _refresh_cursor_change(self, old: Cursor, new: Cursor) -> None:
        regions = []
        w = self.size.width
        for cur in (old, new):
            a, b = self._card_span(cur)
            col = cur.stage - self.first_col
            if 0 <= col < self.n_visible:
                x = self.lane_w + col * self.stage_w
                regions.append(Region(x, HEADER_LINES + a - self.top, self.stage_w, b - a))
            if self.body and self.body.lanes:
                lane_top = self.body.lane_start[cur.lane]
                regions.append(Region(0, HEADER_LINES + lane_top - self.top, self.lane_w, self.body.lane_height[cur.lane]))
        if old.stage != new.stage:
            regions.append(Region(0, 0, w, 2))
        self.refresh(*regions)

    # -- scrolling without moving the cursor -----------------------------------
    def scroll_lines(self, n: int) -> None:
        total = self.body.total if self.body else 0
        top = max(0, min(self.top + n, max(0, total - self.body_height)))
        if top != self.top:
            self.top = top
            self.refresh()

    # -- rendering ---------------------------------------------------------------
    def _style(self, name: str) -> Style:
        key = (self.app.theme, id(self.app.stylesheet))
        if key != self._style_key:
            self._styles = {}
            self._style_key = key
        style = self._styles.get(name)
        if style is None:
            base = self.rich_style
            style = base + self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        self._styles = {}
        self._style_key = None
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y < HEADER_LINES:
            return self._header_line(y, width)
        if self.body is None:
            return Strip.blank(width, self.rich_style)
        line = self.top + (y - HEADER_LINES)
        return self._body_line(line, width)

    def _emotion_style(self, score: int | None) -> Style:
        if score is None:
            return self._style("grid--emotion-none")
        return self._style(
            {-2: "grid--emotion-neg2", -1: "grid--emotion-neg1", 0: "grid--emotion-0", 1: "grid--emotion-pos1", 2: "grid--emotion-pos2"}[score]
        )

    def _header_line(self, y: int, width: int) -> Strip:
        stages = self.journey.stages
        segs: list[Segment] = []
        lw, sw = self.lane_w, self.stage_w
        rule = self._style("grid--rule")
        if y == 2:
            segs.append(Segment("─" * (lw - 1) + "┼", rule))
            for j in range(self.n_visible):
                segs.append(Segment("─" * (sw - 1) + ("┼" if j < self.n_visible - 1 else "─"), rule))
            return Strip(segs).adjust_cell_length(width, rule)
        hint = self._style("grid--hint")
        if not stages:
            text = "No stages yet: press s then a to add one" if y == 0 else ""
            return Strip([Segment(fit(text, width), hint)])
        n = len(stages)
        if y == 0:
            label = f"stage {self.cursor.stage + 1}/{n}"
        else:
            left = self.first_col
            right = n - self.first_col - self.n_visible
            label = (f"◀{left} " if left else "") + (f"{right}▶" if right > 0 else "")
        segs.append(Segment(fit(" " + label, lw - 1), hint))
        segs.append(Segment("│", rule))
        for j in range(self.n_visible):
            idx = self.first_col + j
            if idx >= n:
                break
            stage = stages[idx]
            current = idx == self.cursor.stage
            if y == 0:
                style = self._style("grid--header-current" if current else "grid--header")
                name = literal(stage.name).replace("\n", " ")
                segs.append(Segment(fit(" " + name, sw - 1), style))
            else:
                score = stage.emotion
                sym = emotion_symbol(score, self.ascii_only)
                if score is None:
                    text = f" {sym} no score"
                else:
                    text = f" {sym} {score:+d} {EMOTION_WORDS[score]}"
                    if score == 0:
                        text = f" {sym} 0 {EMOTION_WORDS[0]}"
                if stage.feeling:
                    text += " · " + literal(stage.feeling).replace("\n", " ")
                segs.append(Segment(fit(text, sw - 1), self._emotion_style(score)))
            segs.append(Segment("│", rule))
        return Strip(segs).adjust_cell_length(width, self.rich_style)

    def _body_line(self, line: int, width: int) -> Strip:
        body = self.body
        assert body is not None
        base = self.rich_style
        if not body.lanes or line >= body.total:
            if not body.lanes and line == 0:
                return Strip([Segment(fit(" No lanes shown: press r then a to add one", width), self._style("grid--hint"))])
            return Strip.blank(width, base)
        li = body.lane_at(line)
        lane = body.lanes[li]
        rel = line - body.lane_start[li]
        lw, sw = self.lane_w, self.stage_w
        rule = self._style("grid--rule")
        if rel >= body.lane_height[li]:  # the rule under a lane
            segs = [Segment("─" * (lw - 1) + "┼", rule)]
            for j in range(self.n_visible):
                segs.append(Segment("─" * (sw - 1) + ("┼" if j < self.n_visible - 1 else "─"), rule))
            return Strip(segs).adjust_cell_length(width, rule)
        current_lane = li == self.cursor.lane
        names = body.lane_name_lines[lane.id]
        name = names[rel] if rel < len(names) else ""
        segs = [
            Segment(fit(" " + name, lw - 1), self._style("grid--lane-current" if current_lane else "grid--lane")),
            Segment("│", rule),
        ]
        stages = self.journey.stages
        text_w = card_text_width(sw)
        for j in range(self.n_visible):
            idx = self.first_col + j
            if idx >= len(stages):
                break
            stage = stages[idx]
            cell = body.cell(stage.id, lane.id)
            is_cursor_cell = current_lane and idx == self.cursor.stage
            if not cell.cards:
                q = body.question_lines.get(lane.id, ())
                if is_cursor_cell and rel == 0:
                    text = q[0] if q else "(empty: press a to add a card)"
                    segs.append(Segment(fit("  " + text, sw - 1), self._style("grid--empty-cursor")))
                elif rel < len(q):
                    segs.append(Segment(fit("  " + q[rel], sw - 1), self._style("grid--question")))
                else:
                    segs.append(Segment(" " * (sw - 1), base))
                segs.append(Segment("│", rule))
                continue
            ci = cell.card_at(rel) if rel < cell.height else None
            if ci is None:
                segs.append(Segment(" " * (sw - 1), base))
            else:
                card = stage.peek(lane.id)[ci]
                cl = cell.cards[ci]
                k = rel - cl.start
                on_cursor = is_cursor_cell and ci == self.cursor.card
                if on_cursor:
                    style = self._style("grid--card-cursor")
                elif k >= cl.tag_from:
                    style = self._style("grid--meta")
                elif card.conflict:
                    style = self._style("grid--conflict")
                else:
                    style = self._style("grid--card")
                marker = ("* " if self.ascii_only else "• ") if k == 0 else "  "
                text = cl.lines[k]
                if self.find_text and not on_cursor and self.find_text.lower() in card.text.lower() and k < cl.tag_from:
                    style = self._style("grid--match")
                segs.append(Segment(fit(" " + marker + text, sw - 1), style))
            segs.append(Segment("│", rule))
        return Strip(segs).adjust_cell_length(width, base)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return viewport.height
