"""Edits as operations. ``op.apply(map)`` changes the map and returns the inverse.

Undo, redo, the change log and merging all stand on this one mechanism: an
operation is a small value object; applying it yields another operation that
puts the map back exactly as it was.

Every operation also names a *focus*: where a cursor should go after it is
applied (stage id, lane id, card index), so the editor can follow undo/redo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .journey import (
    EMOTION_MAX,
    EMOTION_MIN,
    KINDS,
    MAP_FIELDS,
    PERSONA_LIST_FIELDS,
    PERSONA_TEXT_FIELDS,
    STAGE_FIELDS,
    Card,
    JourneyMap,
    Lane,
    Stage,
    emotion_number,
    valid_id,
)

Focus = tuple[str | None, str | None, int | None]


class OpError(ValueError):
    """An operation that cannot apply to this map (unknown id, bad index, bad value)."""


class Op:
    label = "edit"

    def apply(self, m: JourneyMap) -> Op:  # pragma: no cover - interface
        raise NotImplementedError

    def focus(self) -> Focus:
        return (None, None, None)

    def describe(self) -> str:
        return self.label


def _stage(m: JourneyMap, stage_id: str) -> Stage:
    try:
        return m.stage(stage_id)
    except KeyError:
        raise OpError(f"no stage {stage_id!r}") from None


def _lane(m: JourneyMap, lane_id: str) -> Lane:
    try:
        return m.lane(lane_id)
    except KeyError:
        raise OpError(f"no lane {lane_id!r}") from None


def _cell(m: JourneyMap, stage_id: str, lane_id: str) -> list[Card]:
    _lane(m, lane_id)
    return _stage(m, stage_id).cards(lane_id)


def _check_emotion(value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not EMOTION_MIN <= value <= EMOTION_MAX):
        raise OpError(f"emotion must be {EMOTION_MIN}…{EMOTION_MAX}")


def _check_card(card: Card) -> None:
    """Refuse a card the file could not hold (it would not load again)."""
    if not isinstance(card.text, str) or not all(isinstance(t, str) for t in card.tags):
        raise OpError("card text and tags must be text")
    _check_emotion(card.emotion)


def _check_id(value: str, what: str) -> None:
    if not isinstance(value, str) or not valid_id(value):
        raise OpError(f"{what} id {value!r} should be lowercase letters, digits, _ or -")
    if what == "lane" and value in STAGE_FIELDS:
        raise OpError(f"lane id {value!r} is reserved for a stage field")


def _tidy(stage: Stage, lane_id: str) -> None:
    if lane_id in stage.cells and not stage.cells[lane_id]:
        del stage.cells[lane_id]


# -- map and persona fields ---------------------------------------------------


@dataclass
class SetMapField(Op):
    name: str
    value: str
    label = "set field"

    def apply(self, m: JourneyMap) -> Op:
        if self.name not in MAP_FIELDS:
            raise OpError(f"unknown map field {self.name!r}")
        if self.name == "kind" and self.value not in KINDS:
            raise OpError(f"kind must be one of {', '.join(KINDS)}")
        old = getattr(m, self.name)
        setattr(m, self.name, self.value)
        return SetMapField(self.name, old)

    def describe(self) -> str:
        return f"set {self.name}"


@dataclass
class SetPersonaField(Op):
    """Set a persona field. Lists for goals/frustrations; ``None`` removes an other field."""

    name: str
    value: Any
    label = "set persona field"

    def apply(self, m: JourneyMap) -> Op:
        p = m.persona
        if self.name in PERSONA_TEXT_FIELDS:
            old = getattr(p, self.name)
            setattr(p, self.name, self.value or "")
            return SetPersonaField(self.name, old)
        if self.name in PERSONA_LIST_FIELDS:
            old = list(getattr(p, self.name))
            setattr(p, self.name, list(self.value or []))
            return SetPersonaField(self.name, old)
        old = p.other.get(self.name)
        if self.value is None or self.value == "" or self.value == []:
            p.other.pop(self.name, None)
        else:
            p.other[self.name] = list(self.value) if isinstance(self.value, list) else self.value
        return SetPersonaField(self.name, old if not isinstance(old, list) else list(old))

    def describe(self) -> str:
        return f"set persona {self.name}"


# -- stages ---------------------------------------------------------------------


@dataclass
class AddStage(Op):
    index: int
    stage: Stage
    label = "add stage"

    def apply(self, m: JourneyMap) -> Op:
        _check_id(self.stage.id, "stage")
        _check_emotion(self.stage.emotion)
        for cards in self.stage.cells.values():
            for card in cards:
                _check_card(card)
        if any(s.id == self.stage.id for s in m.stages):
            raise OpError(f"stage id {self.stage.id!r} is taken")
        if not 0 <= self.index <= len(m.stages):
            raise OpError("stage index out of range")
        m.stages.insert(self.index, self.stage.copy())
        return DeleteStage(self.stage.id)

    def focus(self) -> Focus:
        return (self.stage.id, None, None)

    def describe(self) -> str:
        return f"add stage {self.stage.name}"


@dataclass
class DeleteStage(Op):
    stage_id: str
    #: the stage's name, noted when applied (for "Undid: delete stage Purchase")
    name: str | None = field(default=None, compare=False, repr=False)
    label = "delete stage"

    def apply(self, m: JourneyMap) -> Op:
        idx = m.stage_index(self.stage_id) if self.stage_id in m.stage_ids() else -1
        if idx < 0:
            raise OpError(f"no stage {self.stage_id!r}")
        stage = m.stages.pop(idx)
        self.name = stage.name
        return AddStage(idx, stage)

    def describe(self) -> str:
        return f"delete stage {self.name or self.stage_id}"


@dataclass
class RenameStage(Op):
    stage_id: str
    name: str
    label = "rename stage"

    def apply(self, m: JourneyMap) -> Op:
        s = _stage(m, self.stage_id)
        old, s.name = s.name, self.name
        return RenameStage(self.stage_id, old)

    def focus(self) -> Focus:
        return (self.stage_id, None, None)

    def describe(self) -> str:
        return f"rename stage to {self.name}"


@dataclass
class MoveStage(Op):
    stage_id: str
    index: int
    label = "move stage"

    def apply(self, m: JourneyMap) -> Op:
        _stage(m, self.stage_id)
        old = m.stage_index(self.stage_id)
        if not 0 <= self.index < len(m.stages):
            raise OpError("stage index out of range")
        m.stages.insert(self.index, m.stages.pop(old))
        return MoveStage(self.stage_id, old)

    def focus(self) -> Focus:
        return (self.stage_id, None, None)


@dataclass
class SetStageField(Op):
    """emotion (int or None), feeling or question (str or None)."""

    stage_id: str
    name: str
    value: Any
    label = "set stage field"

    def apply(self, m: JourneyMap) -> Op:
        s = _stage(m, self.stage_id)
        if self.name not in ("emotion", "feeling", "question"):
            raise OpError(f"unknown stage field {self.name!r}")
        value = self.value
        if self.name == "emotion":
            _check_emotion(value)
        if self.name != "emotion" and value == "":
            value = None
        old = getattr(s, self.name)
        setattr(s, self.name, value)
        return SetStageField(self.stage_id, self.name, old)

    def focus(self) -> Focus:
        return (self.stage_id, None, None)

    def describe(self) -> str:
        if self.name == "emotion":
            return "clear emotion" if self.value is None else f"emotion {emotion_number(self.value)}"
        return f"set stage {self.name}"


# -- lanes ------------------------------------------------------------------------


@dataclass
class AddLane(Op):
    index: int
    lane: Lane
    #: cards of this lane per stage id (restored on undo of a delete)
    cells: dict[str, list[Card]] = field(default_factory=dict)
    label = "add lane"

    def apply(self, m: JourneyMap) -> Op:
        _check_id(self.lane.id, "lane")
        if any(lane.id == self.lane.id for lane in m.lanes):
            raise OpError(f"lane id {self.lane.id!r} is taken")
        if not 0 <= self.index <= len(m.lanes):
            raise OpError("lane index out of range")
        m.lanes.insert(self.index, self.lane.copy())
        for s in m.stages:
            cards = self.cells.get(s.id)
            if cards:
                s.cells[self.lane.id] = [c.copy() for c in cards]
        return DeleteLane(self.lane.id)

    def focus(self) -> Focus:
        return (None, self.lane.id, None)

    def describe(self) -> str:
        return f"add lane {self.lane.name}"


@dataclass
class DeleteLane(Op):
    lane_id: str
    #: the lane's name, noted when applied
    name: str | None = field(default=None, compare=False, repr=False)
    label = "delete lane"

    def apply(self, m: JourneyMap) -> Op:
        _lane(m, self.lane_id)
        idx = m.lane_index(self.lane_id)
        lane = m.lanes.pop(idx)
        self.name = lane.name
        cells = {}
        for s in m.stages:
            cards = s.cells.pop(self.lane_id, None)
            if cards:
                cells[s.id] = cards
        return AddLane(idx, lane, cells)

    def describe(self) -> str:
        return f"delete lane {self.name or self.lane_id}"


@dataclass
class RenameLane(Op):
    lane_id: str
    name: str
    label = "rename lane"

    def apply(self, m: JourneyMap) -> Op:
        lane = _lane(m, self.lane_id)
        old, lane.name = lane.name, self.name
        return RenameLane(self.lane_id, old)

    def focus(self) -> Focus:
        return (None, self.lane_id, None)


@dataclass
class MoveLane(Op):
    lane_id: str
    index: int
    label = "move lane"

    def apply(self, m: JourneyMap) -> Op:
        _lane(m, self.lane_id)
        old = m.lane_index(self.lane_id)
        if not 0 <= self.index < len(m.lanes):
            raise OpError("lane index out of range")
        m.lanes.insert(self.index, m.lanes.pop(old))
        return MoveLane(self.lane_id, old)

    def focus(self) -> Focus:
        return (None, self.lane_id, None)


@dataclass
class SetLaneField(Op):
    """question (str or None) or hidden (bool)."""

    lane_id: str
    name: str
    value: Any
    #: the lane's name, noted when applied (for "Undid: hide lane Thoughts")
    lane_name: str | None = field(default=None, compare=False, repr=False)
    label = "set lane field"

    def apply(self, m: JourneyMap) -> Op:
        lane = _lane(m, self.lane_id)
        self.lane_name = lane.name
        if self.name not in ("question", "hidden"):
            raise OpError(f"unknown lane field {self.name!r}")
        value = self.value
        if self.name == "question" and value == "":
            value = None
        if self.name == "hidden":
            value = bool(value)
        old = getattr(lane, self.name)
        setattr(lane, self.name, value)
        return SetLaneField(self.lane_id, self.name, old)

    def focus(self) -> Focus:
        return (None, self.lane_id, None)

    def describe(self) -> str:
        if self.name == "hidden":
            return f"{'hide' if self.value else 'show'} lane {self.lane_name or self.lane_id}"
        return f"set lane {self.name}"


# -- cards ------------------------------------------------------------------------


@dataclass
class InsertCard(Op):
    stage_id: str
    lane_id: str
    index: int
    card: Card
    label = "add card"

    def apply(self, m: JourneyMap) -> Op:
        _check_card(self.card)
        cards = _cell(m, self.stage_id, self.lane_id)
        if not 0 <= self.index <= len(cards):
            _tidy(m.stage(self.stage_id), self.lane_id)
            raise OpError("card index out of range")
        cards.insert(self.index, self.card.copy())
        return DeleteCard(self.stage_id, self.lane_id, self.index)

    def focus(self) -> Focus:
        return (self.stage_id, self.lane_id, self.index)

    def describe(self) -> str:
        return "add card"


@dataclass
class DeleteCard(Op):
    stage_id: str
    lane_id: str
    index: int
    label = "delete card"

    def apply(self, m: JourneyMap) -> Op:
        stage = _stage(m, self.stage_id)
        cards = stage.peek(self.lane_id)
        if not 0 <= self.index < len(cards):
            raise OpError("card index out of range")
        card = cards.pop(self.index)
        _tidy(stage, self.lane_id)
        return InsertCard(self.stage_id, self.lane_id, self.index, card)

    def focus(self) -> Focus:
        return (self.stage_id, self.lane_id, max(0, self.index - 1))

    def describe(self) -> str:
        return "delete card"


@dataclass
class ReplaceCard(Op):
    stage_id: str
    lane_id: str
    index: int
    card: Card
    label = "edit card"

    def apply(self, m: JourneyMap) -> Op:
        _check_card(self.card)
        cards = _stage(m, self.stage_id).peek(self.lane_id)
        if not 0 <= self.index < len(cards):
            raise OpError("card index out of range")
        old = cards[self.index]
        cards[self.index] = self.card.copy()
        return ReplaceCard(self.stage_id, self.lane_id, self.index, old)

    def focus(self) -> Focus:
        return (self.stage_id, self.lane_id, self.index)

    def describe(self) -> str:
        return "edit card"


@dataclass
class MoveCard(Op):
    """Move a card to another place (any stage, lane and index)."""

    stage_id: str
    lane_id: str
    index: int
    to_stage: str
    to_lane: str
    to_index: int
    label = "move card"

    def apply(self, m: JourneyMap) -> Op:
        src_stage = _stage(m, self.stage_id)
        src = src_stage.peek(self.lane_id)
        if not 0 <= self.index < len(src):
            raise OpError("card index out of range")
        dst = _cell(m, self.to_stage, self.to_lane)
        limit = len(dst) - (1 if dst is src else 0)
        if not 0 <= self.to_index <= limit:
            _tidy(m.stage(self.to_stage), self.to_lane)
            raise OpError("target index out of range")
        card = src.pop(self.index)
        dst.insert(self.to_index, card)
        _tidy(src_stage, self.lane_id)
        return MoveCard(self.to_stage, self.to_lane, self.to_index, self.stage_id, self.lane_id, self.index)

    def focus(self) -> Focus:
        return (self.to_stage, self.to_lane, self.to_index)

    def describe(self) -> str:
        return "move card"


@dataclass
class Batch(Op):
    """Several operations applied as one (one undo step)."""

    ops: list[Op]
    name: str = "edit"

    def apply(self, m: JourneyMap) -> Op:
        done: list[Op] = []
        try:
            for op in self.ops:
                done.append(op.apply(m))
        except OpError:
            for inv in reversed(done):
                inv.apply(m)
            raise
        return Batch(list(reversed(done)), self.name)

    def focus(self) -> Focus:
        for op in reversed(self.ops):
            f = op.focus()
            if f != (None, None, None):
                return f
        return (None, None, None)

    def describe(self) -> str:
        return self.name


@dataclass
class ReplaceMap(Op):
    """Replace the whole map's content in place (an outside change merged in).

    The map object stays the same (views hold it), its content becomes a copy of
    *new*; the inverse puts the old content back, so undo after a merge is exact.
    """

    new: JourneyMap
    name: str = "merge outside change"

    def apply(self, m: JourneyMap) -> Op:
        old = m.copy()
        fresh = self.new.copy()
        for f in ("title", "kind", "scenario", "goal", "timescale", "notes", "persona", "lanes", "stages"):
            setattr(m, f, getattr(fresh, f))
        return ReplaceMap(old, self.name)

    def describe(self) -> str:
        return self.name
