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
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from ..model import JourneyMap, emotion_label
from .layout import (
    HEADER_LINES,
    BodyLayout,
    Gap,
    build_body,
    column_geometry,
)
from .textfit import fit as _fit
from .textfit import literal

#: what the cursor shows in an empty cell of a lane with no guiding question
EMPTY_HINT = "(empty: press a to add a card)"
EMPTY_HINT_SHORT = "(a adds a card)"

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


class GridColumn(Widget):
    """One column of the grid on screen (the lane names, or the j-th visible stage).

    It holds no state: its lines come from the grid, which owns layout and cursor."""

    DEFAULT_CSS = "GridColumn { height: 1fr; width: 30; }"

    def __init__(self, grid: JourneyGrid, slot: int) -> None:
        super().__init__()
        self.grid = grid
        self.slot = slot

    def render_line(self, y: int) -> Strip:
        return self.grid.column_line(self.slot, y)


class GridSep(Widget):
    """The one-cell rule right of a column. A widget of its own so that a cursor
    move, which repaints the cards beside it, never resends it."""

    DEFAULT_CSS = "GridSep { height: 1fr; width: 1; }"

    def __init__(self, grid: JourneyGrid, slot: int) -> None:
        super().__init__()
        self.grid = grid
        self.slot = slot

    def render_line(self, y: int) -> Strip:
        return self.grid.separator_line(self.slot, y)


@dataclass(frozen=True)
class Cursor:
    stage: int = 0
    lane: int = 0
    card: int = 0


class JourneyGrid(Widget, can_focus=True):
    """Renders a JourneyMap; the app owns editing, the grid owns the cursor and scroll."""

    COMPONENT_CLASSES = set(COMPONENTS)

    DEFAULT_CSS = """
    JourneyGrid { height: 1fr; layout: horizontal; }
    """

    #: called at once (not through the message queue) when the cursor moves, so the
    #: status line and curve repaint in the same frame as the grid
    cursor_listener = None

    #: called after a resize has laid the grid out or scrolled it (the curve, the status
    #: line and an open card editor follow the columns)
    resize_listener = None
    #: called after every new layout (an edit, a merge, undo): an open card editor
    #: finds its card again
    layout_listener = None

    def _cursor_moved(self) -> None:
        if self.cursor_listener is not None:
            self.cursor_listener()

    def __init__(self, journey: JourneyMap, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.journey = journey
        self.ascii_only = ascii_only
        self.cursor = Cursor()
        self.first_col = 0
        self.top = 0
        self.lane_w, self.stage_w, self.n_visible = column_geometry(80, len(journey.stages))
        self.body: BodyLayout | None = None
        #: the width the body was laid out for
        self._body_width = 0
        #: room kept for the inline card editor while it is open
        self.gap: Gap | None = None
        self._styles: dict[str, Style] = {}
        self._style_key: object = None
        self.find_text: str = ""
        #: this editor's label on its own version of a conflicting card (set when sync starts)
        self.own_label: str | None = None

    # -- layout --------------------------------------------------------------
    def on_resize(self) -> None:
        if self.body is not None and self.size.width == self._body_width:
            # the columns are as they were (the first layout, or a change of height
            # only): keep the cursor in view without laying every card out again
            if self._scroll_to_cursor():
                self.refresh()
        else:
            self.relayout()
        if self.resize_listener is not None:
            self.resize_listener()

    def relayout(self) -> None:
        """Recompute geometry for the current size and map (after resize or edits)."""
        if not self.size.width:
            # an edit before the first layout (keys typed ahead): lay out for the width
            # compose assumed, since the first frame is drawn before the first resize
            self._build(self.app.size.width or 80)
            self._sync_columns()
            self._clamp_cursor()
            return
        self._build(self.size.width)
        self._sync_columns()
        self._clamp_cursor()
        self._scroll_to_cursor()
        self.refresh()
        if self.layout_listener is not None:
            self.layout_listener()

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
        self._cursor_moved()

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
        # no card named (a stage or lane op): stay on the same card of the cell
        self.cursor = Cursor(stage, lane, old.card if card is None else card)
        self._clamp_cursor()
        self._scroll_to_cursor()
        self.refresh()
        if old != self.cursor:
            self._cursor_moved()

    def _card_span(self, cur: Cursor) -> tuple[int, int]:
        """Body lines [start, end) of the card (or empty cell line) under *cur*."""
        if self.body is None or not self.body.lanes or not self.journey.stages:
            return (0, 1)
        lane = self.body.lanes[cur.lane]
        base = self.body.lane_start[cur.lane]
        stage = self.journey.stages[cur.stage]
        cell = self.body.cell(stage.id, lane.id)
        if not cell.cards:
            # an empty cell under the cursor is marked on every line of its question
            return (base, base + max(1, len(self.body.question_lines.get(lane.id, ()))))
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
        """Repaint only what a cursor move changes: the old and new card, and the
        stage header and lane label when the stage or lane changed."""
        regions = []
        h = self.body_height
        for cur in (old, new):
            a, b = self._card_span(cur)
            col = cur.stage - self.first_col
            if 0 <= col < self.n_visible:
                x = self.lane_w + col * self.stage_w
                top = max(a, self.top)
                bottom = min(b, self.top + h)
                if bottom > top:
                    regions.append(Region(x, HEADER_LINES + top - self.top, self.stage_w, bottom - top))
            if old.lane != new.lane and self.body and self.body.lanes:
                lane = self.body.lanes[cur.lane]
                n = len(self.body.lane_name_lines.get(lane.id, ())) or 1
                regions.append(Region(0, HEADER_LINES + self._name_top(cur.lane) - self.top, self.lane_w, n))
        if old.stage != new.stage:
            for cur in (old, new):
                col = cur.stage - self.first_col
                if 0 <= col < self.n_visible:
                    regions.append(Region(self.lane_w + col * self.stage_w, 0, self.stage_w, 1))
            regions.append(Region(0, 0, self.lane_w, 1))  # "stage n/m"
        self.refresh(*regions)

    def _name_top(self, li: int) -> int:
        """The body line lane *li*'s name starts on: the lane's first line, or the
        first one on screen when the lane's top has scrolled away (the name stays in
        view as long as any of its lane does)."""
        body = self.body
        assert body is not None
        start, height = body.lane_start[li], body.lane_height[li]
        n = len(body.lane_name_lines.get(body.lanes[li].id, ())) or 1
        return max(start, min(self.top, start + height - n))

    def more_below(self) -> bool:
        """Whether more of the map lies below the screen (the rule under the last lane
        does not count)."""
        return self.body is not None and self.top + self.body_height < self.body.total - 1

    # -- scrolling without moving the cursor -----------------------------------
    def scroll_lines(self, n: int) -> None:
        total = self.body.total if self.body else 0
        top = max(0, min(self.top + n, max(0, total - self.body_height)))
        if top != self.top:
            self.top = top
            self.refresh()

    # -- rendering ---------------------------------------------------------------
    def _style(self, name: str) -> Style:
        """The grid's style plus component class *name* ("" for the grid's own)."""
        key = (self.app.theme, id(self.app.stylesheet))
        if key != self._style_key:
            self._styles = {}
            self._style_key = key
        style = self._styles.get(name)
        if style is None:
            # rich_style walks the ancestors each time: look it up once per theme
            base = self._styles.get("")
            if base is None:
                base = self._styles[""] = self.rich_style
            style = base if not name else base + self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        self._styles = {}
        self._style_key = None
        super().notify_style_update()

    # -- columns: one child widget per visible column -----------------------------
    # Textual repaints a changed line from the left edge of the widget that holds
    # it; with one widget per column a cursor move repaints a column's width, not
    # the terminal's, which is what keeps a move to a few hundred bytes.
    def _build(self, width: int) -> None:
        self.lane_w, self.stage_w, self.n_visible = column_geometry(width, len(self.journey.stages))
        self.body = build_body(self.journey, self.stage_w, self.lane_w, self.ascii_only, self.gap, self.own_label)
        self._body_width = width

    def reveal(self, start: int, end: int) -> None:
        """Scroll the least that shows body lines [start, end) (their top if too tall)."""
        h = self.body_height
        top = self.top
        if end > top + h:
            top = end - h
        if start < top:
            top = start
        if top != self.top:
            self.top = max(0, top)
            self.refresh()

    def compose(self):
        # columns and cards laid out for the terminal's width now (the grid spans it),
        # so the first frame shows the map and the first resize event changes nothing
        self._build(self.app.size.width or 80)
        lanes = GridColumn(self, -1)
        lanes.styles.width = self.lane_w - 1
        yield lanes
        yield GridSep(self, -1)
        for j in range(self.n_visible):
            col = GridColumn(self, j)
            col.styles.width = self.stage_w - 1
            yield col
            yield GridSep(self, j)

    def _sync_columns(self) -> None:
        """Mount or remove stage columns (each a column and its rule) to match the
        visible count; size them."""
        cols = list(self.query(GridColumn))
        if not cols:
            return  # not composed yet: compose makes them
        lanes_col = cols[0]
        if lanes_col.styles.width is None or lanes_col.styles.width.value != self.lane_w - 1:
            lanes_col.styles.width = self.lane_w - 1
        have = len(cols) - 1
        want = max(0, self.n_visible)
        if have < want:
            new: list[Widget] = []
            for j in range(have, want):
                new += [GridColumn(self, j), GridSep(self, j)]
            self.mount_all(new)
        elif have > want:
            for child in list(self.children):
                if isinstance(child, (GridColumn, GridSep)) and child.slot >= want:
                    child.remove()
        for col in self.query(GridColumn):
            if col.slot >= 0 and (col.styles.width is None or col.styles.width.value != self.stage_w - 1):
                col.styles.width = self.stage_w - 1

    def _fit(self, text: str, width: int) -> str:
        return _fit(text, width, "~" if self.ascii_only else "…")

    def _rules(self) -> tuple[str, str, str, str]:
        """(vertical, horizontal, crossing, right end) rule characters; ASCII in ASCII mode."""
        return ("|", "-", "+", "+") if self.ascii_only else ("│", "─", "┼", "┤")

    def separator_line(self, slot: int, y: int) -> Strip:
        rule = self._style("grid--rule")
        last = slot == self.n_visible - 1
        v, _, cross, end = self._rules()
        if y == 2:
            ch = end if last else cross
        elif y < HEADER_LINES:
            ch = v
        else:
            line = self.top + (y - HEADER_LINES)
            body = self.body
            if body is None or not body.lanes or line >= body.total:
                ch = " " if body is None or line >= body.total else v
            else:
                li = body.lane_at(line)
                ch = (end if last else cross) if line - body.lane_start[li] >= body.lane_height[li] else v
            if slot >= 0 and self.first_col + slot >= len(self.journey.stages):
                ch = " "
        return Strip([Segment(ch, rule)])

    def refresh(self, *regions: Region, **kwargs) -> Widget:  # type: ignore[override]
        """Refresh *regions* (grid coordinates) on the columns they cover; all when none."""
        columns = list(self.query(GridColumn)) if self.is_mounted else []
        if not columns or kwargs.get("layout") or kwargs.get("repaint") is False:
            return super().refresh(*regions, **kwargs)
        if not regions:
            for child in self.children:
                child.refresh()
            return self
        for region in regions:
            for col in columns:
                x0 = 0 if col.slot < 0 else self.lane_w + col.slot * self.stage_w
                w = (self.lane_w if col.slot < 0 else self.stage_w) - 1
                left, right = max(region.x, x0), min(region.right, x0 + w)
                if left < right:
                    col.refresh(Region(left - x0, region.y, right - left, region.height))
        return self

    def column_line(self, slot: int, y: int) -> Strip:
        """Line *y* of column *slot* (-1: the lane names; j: the j-th visible stage),
        without the rule at its right (a GridSep draws that)."""
        width = (self.lane_w if slot < 0 else self.stage_w) - 1
        if y < HEADER_LINES:
            segs = self._header_cell(slot, y)
        elif self.body is None:
            return Strip.blank(width, self._style(""))
        else:
            segs = self._body_cell(slot, self.top + (y - HEADER_LINES))
        return Strip(segs).adjust_cell_length(width, self._style(""))

    def _emotion_style(self, score: int | None) -> Style:
        if score is None:
            return self._style("grid--emotion-none")
        return self._style(
            {-2: "grid--emotion-neg2", -1: "grid--emotion-neg1", 0: "grid--emotion-0", 1: "grid--emotion-pos1", 2: "grid--emotion-pos2"}[score]
        )

    def _header_cell(self, slot: int, y: int) -> list[Segment]:
        stages = self.journey.stages
        lw, sw = self.lane_w, self.stage_w
        rule = self._style("grid--rule")
        hz = self._rules()[1]
        if y == 2:
            return [Segment(hz * ((lw if slot < 0 else sw) - 1), rule)]
        hint = self._style("grid--hint")
        if not stages:
            if slot == 0 and y == 0:
                return [Segment(" No stages yet: press s then a to add one", hint)]
            return []
        n = len(stages)
        if slot < 0:
            if y == 0:
                label = f"stage {self.cursor.stage + 1}/{n}"
            else:
                left = self.first_col
                right = n - self.first_col - self.n_visible
                lt, rt = ("<", ">") if self.ascii_only else ("◀", "▶")
                if left and right > 0:
                    label = f"{lt}{left} more {right}{rt}"
                elif left:
                    label = f"{lt} {left} more"
                elif right > 0:
                    label = f"{right} more {rt}"
                else:
                    label = ""
            return [Segment(self._fit(" " + label, lw - 1), hint)]
        idx = self.first_col + slot
        if idx >= n:
            return []
        stage = stages[idx]
        if y == 0:
            current = idx == self.cursor.stage
            style = self._style("grid--header-current" if current else "grid--header")
            name = literal(stage.name).replace("\n", " ")
            seg = Segment(self._fit(" " + name, sw - 1), style)
        else:
            score = stage.emotion
            text = " " + emotion_label(score, self.ascii_only)
            if stage.feeling:
                text += (" - " if self.ascii_only else " · ") + literal(stage.feeling).replace("\n", " ")
            seg = Segment(self._fit(text, sw - 1), self._emotion_style(score))
        return [seg]

    def _body_cell(self, slot: int, line: int) -> list[Segment]:
        body = self.body
        assert body is not None
        base = self._style("")
        lw, sw = self.lane_w, self.stage_w
        if not body.lanes or line >= body.total:
            if not body.lanes and line == 0 and slot < 0:
                return [Segment(" No lanes shown: press r then a to add one", self._style("grid--hint"))]
            return []
        li = body.lane_at(line)
        lane = body.lanes[li]
        rel = line - body.lane_start[li]
        rule = self._style("grid--rule")
        current_lane = li == self.cursor.lane
        if slot < 0 and line == self.top + self.body_height - 1 and self.more_below():
            # the last line on screen, with more of the map below it: say so (naming the
            # lane that starts here, if one does)
            arrow = "v" if self.ascii_only else "▼"
            starts = rel == 0 and self._name_top(li) == line
            more = f" {arrow} more below"
            if starts:
                name = body.lane_name_lines[lane.id][0]
                # the arrow takes the leading space when the name needs the room
                more = f" {arrow} {name}" if len(name) + 3 <= lw - 2 else f"{arrow}{name}"
            style = self._style("grid--lane-current" if starts and current_lane else "grid--hint")
            return [Segment(self._fit(more, lw - 2) + " ", style)]  # a space before the rule, as names keep
        if rel >= body.lane_height[li]:  # the rule under a lane
            return [Segment(self._rules()[1] * ((lw if slot < 0 else sw) - 1), rule)]
        if slot < 0:
            names = body.lane_name_lines[lane.id]
            k = line - self._name_top(li)
            name = names[k] if 0 <= k < len(names) else ""
            style = self._style("grid--lane-current" if current_lane else "grid--lane")
            return [Segment(self._fit(" " + name, lw - 1), style)]
        stages = self.journey.stages
        idx = self.first_col + slot
        if idx >= len(stages):
            return []
        stage = stages[idx]
        cell = body.cell(stage.id, lane.id)
        is_cursor_cell = current_lane and idx == self.cursor.stage
        if not cell.cards:
            q = body.question_lines.get(lane.id, ())
            if is_cursor_cell and rel < max(1, len(q)):
                if q:
                    text = q[rel]
                else:
                    text = EMPTY_HINT if len(EMPTY_HINT) + 2 <= sw - 1 else EMPTY_HINT_SHORT
                seg = Segment(self._fit("  " + text, sw - 1), self._style("grid--empty-cursor"))
            elif rel < len(q):
                seg = Segment(self._fit("  " + q[rel], sw - 1), self._style("grid--question"))
            else:
                seg = Segment(" " * (sw - 1), base)
            return [seg]
        ci = cell.card_at(rel) if rel < cell.height else None
        if ci is None:
            return [Segment(" " * (sw - 1), base)]
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
        elif self.find_text and self.find_text.lower() in card.text.lower():
            style = self._style("grid--match")
        else:
            style = self._style("grid--card")
        marker = ("* " if self.ascii_only else "• ") if k == 0 else "  "
        return [Segment(self._fit(" " + marker + cl.lines[k], sw - 1), style)]

