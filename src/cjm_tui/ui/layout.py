"""Grid geometry: column widths and the line layout of lanes and cards.

Pure computation over the model (no Textual), so it is tested directly and the
grid widget only has to look lines up. The body is a list of lane rows; each
row is as tall as its tallest cell across *all* stages, so rows line up when
scrolling sideways. Cards are wrapped once per (text, width) and cached.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from ..model import JourneyMap, Lane
from ..model.journey import Card, emotion_number
from .textfit import literal, wrap

#: header lines above the body: stage name, emotion, rule
HEADER_LINES = 3
CARD_INDENT = 2
#: the narrowest a stage column gets while more than one shows
MIN_STAGE_W = 22


def card_text_width(stage_w: int) -> int:
    """Cells for card text in a stage column: separator, marker and a space each side."""
    return max(4, stage_w - 1 - 1 - CARD_INDENT - 1)


def column_geometry(width: int, n_stages: int) -> tuple[int, int, int]:
    """(lane column width, stage column width, visible stage count) for *width* cells.

    At 80 columns two stage columns show; wider terminals show more, each
    about 30 cells, never narrower than 22. When every stage fits at 22 or more,
    all show: the whole journey on one screen beats wider columns.
    """
    # 16 at 80 columns: "Opportunities" (13) fits beside a space each side; the two stage
    # columns keep their 32 cells
    lane_w = 16 if width < 100 else 18
    avail = max(10, width - lane_w)
    if n_stages <= 0:
        return lane_w, avail, 1  # one empty column holds the "add a stage" hint
    k = max(1, avail // 30)
    if avail // max(k, 2) >= MIN_STAGE_W:
        k = max(k, 2)
    if avail // n_stages >= MIN_STAGE_W:
        k = n_stages
    k = min(k, n_stages)
    stage_w = max(12, avail // k)
    return lane_w, stage_w, k


@dataclass
class CardLines:
    """The wrapped lines of one card and where it starts inside its cell."""

    start: int
    lines: tuple[str, ...]
    #: a line index >= this holds tags (shown dim)
    tag_from: int


@dataclass
class CellLayout:
    cards: list[CardLines] = field(default_factory=list)
    height: int = 0

    def card_at(self, rel: int) -> int | None:
        """The index of the card drawn at line *rel* of the cell."""
        for i, c in enumerate(self.cards):
            if c.start <= rel < c.start + len(c.lines):
                return i
        return None


@dataclass
class BodyLayout:
    lanes: list[Lane]
    lane_start: list[int]
    lane_height: list[int]
    cells: dict[tuple[str, str], CellLayout]
    question_lines: dict[str, tuple[str, ...]]
    lane_name_lines: dict[str, tuple[str, ...]]
    total: int
    #: body lines [start, end) kept free for the inline editor (see build_body's *gap*)
    gap_rows: tuple[int, int] | None = None

    def lane_at(self, line: int) -> int:
        """Index (into ``lanes``) of the lane row holding body line *line*."""
        return max(0, bisect_right(self.lane_start, line) - 1)

    def cell(self, stage_id: str, lane_id: str) -> CellLayout:
        return self.cells.get((stage_id, lane_id)) or _EMPTY


_EMPTY = CellLayout()


def card_lines(card: Card, width: int, ascii_only: bool = False, own: str | None = None) -> tuple[tuple[str, ...], int]:
    """The card's wrapped lines and where its tags start. *own*: this editor's conflict
    label (a version marked with it is shown as "you, <label>")."""
    text = literal(card.text) if card.text else "(empty)"
    prefix = ""
    if card.conflict:
        who = literal(card.conflict)
        if own is not None and card.conflict == own:
            who = f"you, {who}"
        prefix = f"{'!!' if ascii_only else '⚠'} {who}: "
    lines = wrap(prefix + text, width)
    tag_from = len(lines)
    extra = []
    if card.tags:
        extra.append(" ".join("#" + literal(t) for t in card.tags))
    if card.emotion is not None:
        extra.append(f"emotion {emotion_number(card.emotion)}")
    if card.source:
        extra.append("source: " + literal(card.source))
    if extra:
        lines = lines + wrap((" - " if ascii_only else " · ").join(extra), width)
    return lines, tag_from


@dataclass(frozen=True)
class Gap:
    """Room kept in one cell for the inline editor: *lines* blank lines before card
    *index* (a new card), or in place of it (*replace*: the card being edited). The
    cells below move down, so the editor hides no other card."""

    stage_id: str
    lane_id: str
    index: int
    lines: int
    replace: bool = False


def build_body(
    m: JourneyMap, stage_w: int, lane_w: int, ascii_only: bool = False, gap: Gap | None = None, own: str | None = None
) -> BodyLayout:
    """Lay out every visible lane row. Cost is linear in cards; wraps are cached."""
    text_w = card_text_width(stage_w)
    gap_rows: tuple[int, int] | None = None
    lanes = [lane for lane in m.lanes if not lane.hidden]
    cells: dict[tuple[str, str], CellLayout] = {}
    questions: dict[str, tuple[str, ...]] = {}
    names: dict[str, tuple[str, ...]] = {}
    lane_start: list[int] = []
    lane_height: list[int] = []
    y = 0
    for lane in lanes:
        # a space each side of the name, so it never touches the rule
        names[lane.id] = wrap(literal(lane.name), max(4, lane_w - 3))
        q = wrap(literal(lane.question), text_w) if lane.question else ()
        questions[lane.id] = q
        height = max(len(names[lane.id]), 1)
        for stage in m.stages:
            cards = stage.peek(lane.id)
            here = gap is not None and gap.stage_id == stage.id and gap.lane_id == lane.id
            if not cards and not here:
                # the question shows in empty cells: only then does it need rows
                height = max(height, len(q))
                continue
            cell = CellLayout()
            h = 0
            for i, card in enumerate(cards):
                if here and i == gap.index:
                    gap_rows = (y + h, y + h + gap.lines)
                    if gap.replace:
                        cell.cards.append(CardLines(h, ("",) * gap.lines, gap.lines))
                        h += gap.lines
                        continue
                    h += gap.lines
                lines, tag_from = card_lines(card, text_w, ascii_only, own)
                cell.cards.append(CardLines(h, lines, tag_from))
                h += len(lines)
            if here and gap.index >= len(cards):
                gap_rows = (y + h, y + h + gap.lines)
                h += gap.lines
            cell.height = h
            cells[(stage.id, lane.id)] = cell
            if h > height:
                height = h
        lane_start.append(y)
        lane_height.append(height)
        y += height + 1  # one rule line under each lane
    return BodyLayout(lanes, lane_start, lane_height, cells, questions, names, y, gap_rows)
