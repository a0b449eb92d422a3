"""A map as CSV, one row per card, and back.

Columns (in this order; import finds them by header name, in any order):

    stage_id, stage, lane_id, lane, position, text, tags, emotion, source,
    stage_emotion, stage_feeling

- ``position`` counts from 1 within the stage's lane; ``tags`` are joined with
  ``;``; ``emotion`` is the card's own, −2…+2 or empty.
- The first rows declare the lanes in order (``stage_id`` and ``text`` empty), so
  lanes without cards and the lane order survive a round trip; a stage with no
  cards gets one row with ``lane_id`` empty.
- Safe in a spreadsheet: a text cell that begins with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return (or ``'``, so that the rule can be undone exactly)
  gets a leading ``'``, so it is never run as a formula. Import removes it.
- Control characters other than newline and tab (terminal escape sequences) are
  written as visible ``\x1b``-style text, so printing the file is harmless.
"""

from __future__ import annotations

import csv
import io

from ..model.journey import EMOTION_MAX, EMOTION_MIN, Card, JourneyMap, Lane, Stage, slugify, valid_id
from ..store.errors import MapError
from . import visible

COLUMNS = (
    "stage_id", "stage", "lane_id", "lane", "position", "text", "tags", "emotion", "source",
    "stage_emotion", "stage_feeling",
)
_RISKY = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + cell if cell.startswith(_RISKY) else cell


def restore(cell: str) -> str:
    """Undo ``neutralise``."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_RISKY) else cell


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def to_csv(m: JourneyMap) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)

    def safe(cell: str) -> str:
        # control characters (a terminal escape in a card) are written visibly:
        # `cat map.csv` must not drive the terminal
        return neutralise(visible(cell, tabs=False))

    for lane in m.lanes:
        w.writerow(["", "", lane.id, safe(lane.name), "", "", "", "", "", "", ""])
    for s in m.stages:
        stage_cols = [s.id, safe(s.name)]
        tail = [_num(s.emotion), safe(s.feeling or "")]
        wrote = False
        for lane in m.lanes:
            for pos, card in enumerate(s.peek(lane.id), start=1):
                w.writerow(
                    stage_cols
                    + [lane.id, safe(lane.name), str(pos), safe(card.text), safe(";".join(card.tags)),
                       _num(card.emotion), safe(card.source or "")]
                    + tail
                )
                wrote = True
        if not wrote:
            w.writerow(stage_cols + ["", "", "", "", "", "", ""] + tail)
    return buf.getvalue()


def _emotion(cell: str, path: str | None, line: int, column: str) -> int | None:
    cell = cell.strip()
    if not cell:
        return None
    try:
        value = int(cell.lstrip("'"))
    except ValueError:
        raise MapError(f"{column} {cell!r} should be a whole number from {EMOTION_MIN} to {EMOTION_MAX}", path, line) from None
    if not EMOTION_MIN <= value <= EMOTION_MAX:
        raise MapError(f"{column} {value} is out of range {EMOTION_MIN}…{EMOTION_MAX}", path, line)
    return value


def from_csv(text: str, path: str | None = None) -> tuple[JourneyMap, list[str]]:
    """Read the CSV that ``to_csv`` writes (or a hand-made one with the same headers)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise MapError("empty CSV file: expected a header row with stage, lane and text columns", path, 1) from None
    except csv.Error as exc:
        raise MapError(f"not valid CSV: {exc}", path, 1) from None
    names = [h.strip().lower().replace(" ", "_") for h in header]
    col = {name: i for i, name in reversed(list(enumerate(names)))}
    missing = []
    if "stage" not in col and "stage_id" not in col:
        missing.append("stage (or stage_id)")
    if "lane" not in col and "lane_id" not in col:
        missing.append("lane (or lane_id)")
    if "text" not in col:
        missing.append("text")
    if missing:
        raise MapError(
            f"CSV is missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"the header is: {', '.join(header) or '(empty)'}",
            path,
            1,
        )

    m = JourneyMap()
    lanes: dict[str, Lane] = {}
    lane_by_name: dict[str, str] = {}
    stages: dict[str, Stage] = {}
    stage_by_name: dict[str, str] = {}
    #: (stage id, lane id) -> [(position, row order, card)]
    cells: dict[tuple[str, str], list[tuple[float, int, Card]]] = {}

    def get(row: list[str], name: str) -> str:
        i = col.get(name)
        return restore(row[i]) if i is not None and i < len(row) else ""

    def lane_for(lane_id: str, name: str, line: int) -> str:
        if lane_id and lane_id in lanes:
            if name and lanes[lane_id].name == lane_id:
                lanes[lane_id].name = name
            return lane_id
        if not lane_id and name.casefold() in lane_by_name:
            return lane_by_name[name.casefold()]
        if lane_id and not valid_id(lane_id):
            raise MapError(f"lane_id {lane_id!r} should be lowercase letters, digits, _ or -", path, line)
        new_id = lane_id or slugify(name, set(lanes), "lane")
        lanes[new_id] = Lane(new_id, name or new_id)
        lane_by_name.setdefault((name or new_id).casefold(), new_id)
        return new_id

    def stage_for(stage_id: str, name: str, line: int) -> Stage:
        if stage_id and stage_id in stages:
            return stages[stage_id]
        if not stage_id and name.casefold() in stage_by_name:
            return stages[stage_by_name[name.casefold()]]
        if stage_id and not valid_id(stage_id):
            raise MapError(f"stage_id {stage_id!r} should be lowercase letters, digits, _ or -", path, line)
        new_id = stage_id or slugify(name, set(stages), "stage")
        stage = Stage(new_id, name or new_id)
        stages[new_id] = stage
        stage_by_name.setdefault((name or new_id).casefold(), new_id)
        return stage

    order = 0
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            stage_id, stage_name = get(row, "stage_id").strip(), get(row, "stage").strip()
            lane_id, lane_name = get(row, "lane_id").strip(), get(row, "lane").strip()
            text = get(row, "text")
            has_stage = bool(stage_id or stage_name)
            has_lane = bool(lane_id or lane_name)
            if not has_stage:
                if text:
                    raise MapError("this card has no stage: fill in the stage or stage_id column", path, line)
                if has_lane:
                    lane_for(lane_id, lane_name, line)
                continue
            stage = stage_for(stage_id, stage_name, line)
            emotion = _emotion(get(row, "stage_emotion"), path, line, "stage_emotion")
            if emotion is not None and stage.emotion is None:
                stage.emotion = emotion
            feeling = get(row, "stage_feeling").strip()
            if feeling and not stage.feeling:
                stage.feeling = feeling
            if not text and not has_lane:
                continue  # a stage with no cards
            if not has_lane:
                raise MapError("this card has no lane: fill in the lane or lane_id column", path, line)
            lid = lane_for(lane_id, lane_name, line)
            if not text:
                continue
            pos_cell = get(row, "position").strip()
            try:
                position = float(pos_cell) if pos_cell else float("inf")
            except ValueError:
                raise MapError(f"position {pos_cell!r} should be a number", path, line) from None
            tags = [t.strip() for t in get(row, "tags").split(";") if t.strip()]
            card = Card(text, tags, _emotion(get(row, "emotion"), path, line, "emotion"), get(row, "source") or None)
            cells.setdefault((stage.id, lid), []).append((position, order, card))
            order += 1
    except csv.Error as exc:
        raise MapError(f"not valid CSV: {exc}", path, reader.line_num) from None

    m.lanes = list(lanes.values())
    m.stages = list(stages.values())
    for (stage_id, lane_id), cards in cells.items():
        cards.sort(key=lambda c: (c[0], c[1]))
        stages[stage_id].cells[lane_id] = [c[2] for c in cards]
    if not m.stages:
        raise MapError("CSV has no stages: every card row needs a stage", path, 1)
    if path:
        from pathlib import Path

        m.title = Path(path).name.split(".")[0].replace("_", " ").replace("-", " ").strip().capitalize()
    return m, []
