"""Every operation has an exact inverse; History undoes and redoes whole sessions."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjm_tui.model import Card, History, JourneyMap, Lane, OpError, Stage
from cjm_tui.model.ops import (
    AddLane,
    AddStage,
    Batch,
    DeleteCard,
    DeleteLane,
    DeleteStage,
    InsertCard,
    MoveCard,
    MoveLane,
    MoveStage,
    RenameLane,
    RenameStage,
    ReplaceCard,
    SetLaneField,
    SetMapField,
    SetPersonaField,
    SetStageField,
)
from cjm_tui.store import codec
from cjm_tui.store.schema import map_to_data

from conftest import small_map


def snapshot(m: JourneyMap):
    """Everything a user can see or the file holds, order included (dict order too)."""
    data = map_to_data(m)
    persona = data.get("persona", {})
    return (data, list(persona), [list(s) for s in data.get("stages", [])])


# every kind of operation, each valid on small_map()
VALID_OPS = [
    SetMapField("title", "Joan buys a robot vacuum"),
    SetMapField("kind", "future"),
    SetMapField("scenario", "Her old vacuum broke"),
    SetMapField("goal", ""),
    SetMapField("notes", "From 12 interviews"),
    SetPersonaField("name", "Joanna"),
    SetPersonaField("quote", None),
    SetPersonaField("goals", ["Buy quickly", "Spend under 300"]),
    SetPersonaField("frustrations", []),
    SetPersonaField("age", "44"),
    SetPersonaField("age", None),
    SetPersonaField("family", "two kids"),
    SetPersonaField("channels", ["web", "store"]),
    AddStage(0, Stage("need", "Need")),
    AddStage(1, Stage("think", "Think", 2, "hopeful", "Why?", {"actions": [Card("Asks a friend")]})),
    AddStage(3, Stage("use", "Use")),
    DeleteStage("search"),
    DeleteStage("buy"),
    RenameStage("search", "Look around"),
    MoveStage("search", 2),
    MoveStage("buy", 0),
    SetStageField("compare", "emotion", -2),
    SetStageField("search", "emotion", None),
    SetStageField("search", "feeling", "curious"),
    SetStageField("search", "question", "Where does she look?"),
    AddLane(0, Lane("feelings", "Feelings", "How do they feel?")),
    AddLane(5, Lane("backstage", "Backstage")),
    DeleteLane("actions"),
    DeleteLane("thoughts"),
    RenameLane("pain_points", "Pains"),
    MoveLane("opportunities", 0),
    MoveLane("actions", 4),
    SetLaneField("actions", "question", "What does Joan do?"),
    SetLaneField("actions", "question", ""),
    SetLaneField("thoughts", "hidden", True),
    InsertCard("search", "actions", 0, Card("Asks a colleague")),
    InsertCard("search", "actions", 3, Card("Watches a video", ["video"])),
    InsertCard("compare", "actions", 0, Card("Opens two tabs")),
    DeleteCard("search", "actions", 1),
    DeleteCard("compare", "thoughts", 0),
    ReplaceCard("search", "actions", 0, Card("Searches on her phone")),
    ReplaceCard("compare", "thoughts", 0, Card("Which one is quieter?", ["doubt", "noise"], 1, "interview 3")),
    MoveCard("search", "actions", 0, "buy", "actions", 1),
    MoveCard("search", "actions", 0, "search", "actions", 2),
    MoveCard("search", "pain_points", 0, "compare", "opportunities", 0),
    MoveCard("compare", "thoughts", 0, "compare", "actions", 0),
    Batch([RenameStage("search", "Look"), InsertCard("search", "actions", 0, Card("x")), DeleteStage("buy")], "several"),
]


@pytest.mark.parametrize("op", VALID_OPS, ids=lambda o: f"{type(o).__name__}")
def test_op_then_inverse_restores_map(op):
    m = small_map()
    before = copy.deepcopy(m)
    inverse = op.apply(m)
    assert m != before or snapshot(m) != snapshot(before), f"{op} changed nothing"
    after = copy.deepcopy(m)
    redo = inverse.apply(m)
    assert m == before
    assert snapshot(m) == snapshot(before)
    # and the inverse of the inverse does the op again
    redo.apply(m)
    assert m == after


@pytest.mark.parametrize("op", VALID_OPS, ids=lambda o: f"{type(o).__name__}")
def test_op_inverse_restores_file_bytes(op):
    """Undo leaves the saved file exactly as it was, not just an equal map."""
    text = codec.dumps(small_map())
    m, doc = codec.parse(text)
    inverse = op.apply(m)
    codec.patch(m, doc)
    inverse.apply(m)
    assert codec.dumps(m, doc) == text


BAD_OPS = [
    SetMapField("colour", "red"),
    SetMapField("kind", "someday"),
    AddStage(0, Stage("search", "Search again")),
    AddStage(4, Stage("later", "Later")),
    AddStage(-1, Stage("later", "Later")),
    DeleteStage("nope"),
    RenameStage("nope", "x"),
    MoveStage("nope", 0),
    MoveStage("search", 3),
    MoveStage("search", -1),
    SetStageField("nope", "emotion", 1),
    SetStageField("search", "emotion", 3),
    SetStageField("search", "emotion", -3),
    SetStageField("search", "emotion", "2"),
    SetStageField("search", "emotion", True),
    SetStageField("search", "colour", "red"),
    AddLane(0, Lane("actions", "Actions again")),
    AddLane(6, Lane("extra", "Extra")),
    DeleteLane("nope"),
    RenameLane("nope", "x"),
    MoveLane("nope", 0),
    MoveLane("actions", 5),
    SetLaneField("nope", "question", "?"),
    SetLaneField("actions", "colour", "red"),
    InsertCard("nope", "actions", 0, Card("x")),
    InsertCard("search", "nope", 0, Card("x")),
    InsertCard("search", "actions", 4, Card("x")),
    InsertCard("search", "actions", -1, Card("x")),
    InsertCard("compare", "actions", 1, Card("x")),
    InsertCard("search", "actions", 0, Card("x", emotion=5)),
    DeleteCard("nope", "actions", 0),
    DeleteCard("search", "actions", 3),
    DeleteCard("search", "actions", -1),
    DeleteCard("compare", "actions", 0),
    ReplaceCard("search", "actions", 3, Card("x")),
    ReplaceCard("nope", "actions", 0, Card("x")),
    ReplaceCard("search", "actions", 0, Card("x", emotion=-9)),
    MoveCard("search", "actions", 5, "buy", "actions", 0),
    MoveCard("search", "actions", 0, "buy", "actions", 2),
    MoveCard("search", "actions", 0, "search", "actions", 3),
    MoveCard("search", "actions", 0, "nope", "actions", 0),
    MoveCard("search", "actions", 0, "buy", "nope", 0),
    MoveCard("search", "actions", 0, "compare", "actions", 1),
    Batch([RenameStage("search", "Look"), DeleteStage("buy"), DeleteStage("nope")]),
]


@pytest.mark.parametrize("op", BAD_OPS, ids=lambda o: f"{type(o).__name__}")
def test_bad_op_raises_and_leaves_map_unchanged(op):
    m = small_map()
    before = copy.deepcopy(m)
    with pytest.raises(OpError):
        op.apply(m)
    assert m == before
    assert snapshot(m) == snapshot(before)


@pytest.mark.parametrize(
    "op",
    [
        AddStage(0, Stage("Bad Id", "Bad")),
        AddStage(0, Stage("", "Empty")),
        AddLane(0, Lane("has space", "x")),
        # a lane id that is also a stage key would overwrite the stage's name in the file
        AddLane(0, Lane("name", "Name")),
        AddLane(0, Lane("emotion", "Emotion")),
    ],
    ids=lambda o: repr(getattr(o, "stage", getattr(o, "lane", None)).id),
)
def test_ops_refuse_ids_the_file_cannot_hold(op):
    m = small_map()
    before = copy.deepcopy(m)
    with pytest.raises(OpError):
        op.apply(m)
    assert m == before


def test_ids_never_change_on_rename():
    m = small_map()
    RenameStage("search", "Completely different").apply(m)
    RenameLane("actions", "Doings").apply(m)
    assert m.stage_ids() == ["search", "compare", "buy"]
    assert m.lane_ids()[0] == "actions"
    assert m.stage("search").name == "Completely different"
    assert m.lane("actions").name == "Doings"


def test_history_structure_changes_undo_redo():
    m = small_map()
    original = copy.deepcopy(m)
    h = History(m)
    steps = [
        AddStage(1, Stage("think", "Think", cells={"actions": [Card("Asks a friend")]})),
        AddLane(2, Lane("feelings", "Feelings")),
        InsertCard("think", "feelings", 0, Card("Unsure")),
        MoveCard("search", "actions", 1, "buy", "actions", 0),
        MoveCard("buy", "actions", 0, "think", "feelings", 1),
        MoveStage("buy", 0),
        MoveLane("feelings", 0),
        DeleteLane("actions"),
        DeleteStage("search"),
        RenameStage("think", "Ponder"),
        SetStageField("compare", "emotion", 2),
    ]
    states = [copy.deepcopy(m)]
    for op in steps:
        h.do(op)
        states.append(copy.deepcopy(h.map))
    assert h.map.stage_ids() == ["buy", "think", "compare"]
    assert [c.text for c in h.map.stage("think").peek("feelings")] == ["Unsure", "Clicks a search ad"]
    for i in reversed(range(len(steps))):
        assert h.undo() is not None
        assert h.map == states[i], f"undo of step {i} ({steps[i]})"
    assert h.map == original
    assert h.undo() is None and not h.can_undo()
    for i in range(len(steps)):
        assert h.redo() is not None
        assert h.map == states[i + 1], f"redo of step {i}"
    assert h.redo() is None
    # a new edit after undo drops the redo stack
    h.undo()
    h.undo()
    h.do(RenameStage("buy", "Checkout"))
    assert not h.can_redo()
    assert h.revision == len(steps) * 3 + 3  # do, undo, redo each step; 2 undos; 1 do


def test_history_failed_op_changes_nothing():
    h = History(small_map())
    with pytest.raises(OpError):
        h.do(DeleteStage("nope"))
    assert not h.can_undo() and h.revision == 0
    assert h.map == small_map()


# -- random sessions ----------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
NAME = TEXT.filter(lambda s: s.strip() != "")


@st.composite
def card(draw):
    return Card(
        draw(TEXT),
        draw(st.lists(NAME, max_size=2)),
        draw(st.one_of(st.none(), st.integers(-2, 2))),
        draw(st.one_of(st.none(), NAME)),
    )


def random_op(draw, m: JourneyMap):
    """A valid operation for the map as it is now."""
    stages, lanes = m.stage_ids(), m.lane_ids()
    choices = ["map", "persona", "add_stage", "add_lane"]
    if stages:
        choices += ["rename_stage", "move_stage", "stage_field", "del_stage"]
    if lanes:
        choices += ["rename_lane", "move_lane", "lane_field", "del_lane"]
    if stages and lanes:
        choices += ["insert"] * 3
    filled = [(s.id, lid) for s in m.stages for lid in lanes if s.peek(lid)]
    if filled:
        choices += ["delete", "replace", "move_card", "move_card"]
    kind = draw(st.sampled_from(choices))
    if kind == "map":
        field = draw(st.sampled_from(["title", "scenario", "goal", "timescale", "notes", "kind"]))
        value = draw(st.sampled_from(["current", "future", "day-in-the-life", "blueprint"])) if field == "kind" else draw(TEXT)
        return SetMapField(field, value)
    if kind == "persona":
        field = draw(st.sampled_from(["name", "role", "quote", "goals", "frustrations", "age", "channels"]))
        if field in ("goals", "frustrations", "channels"):
            return SetPersonaField(field, draw(st.lists(TEXT, max_size=3)))
        return SetPersonaField(field, draw(st.one_of(st.none(), TEXT)))
    if kind == "add_stage":
        name = draw(NAME)
        cells = {}
        if lanes and draw(st.booleans()):
            cells[draw(st.sampled_from(lanes))] = draw(st.lists(card(), min_size=1, max_size=2))
        return AddStage(draw(st.integers(0, len(stages))), Stage(m.new_stage_id(name), name, cells=cells))
    if kind == "add_lane":
        name = draw(NAME)
        return AddLane(draw(st.integers(0, len(lanes))), Lane(m.new_lane_id(name), name))
    if kind == "rename_stage":
        return RenameStage(draw(st.sampled_from(stages)), draw(NAME))
    if kind == "move_stage":
        return MoveStage(draw(st.sampled_from(stages)), draw(st.integers(0, len(stages) - 1)))
    if kind == "stage_field":
        field = draw(st.sampled_from(["emotion", "feeling", "question"]))
        value = draw(st.one_of(st.none(), st.integers(-2, 2))) if field == "emotion" else draw(st.one_of(st.none(), TEXT))
        return SetStageField(draw(st.sampled_from(stages)), field, value)
    if kind == "del_stage":
        return DeleteStage(draw(st.sampled_from(stages)))
    if kind == "rename_lane":
        return RenameLane(draw(st.sampled_from(lanes)), draw(NAME))
    if kind == "move_lane":
        return MoveLane(draw(st.sampled_from(lanes)), draw(st.integers(0, len(lanes) - 1)))
    if kind == "lane_field":
        if draw(st.booleans()):
            return SetLaneField(draw(st.sampled_from(lanes)), "hidden", draw(st.booleans()))
        return SetLaneField(draw(st.sampled_from(lanes)), "question", draw(st.one_of(st.none(), TEXT)))
    if kind == "del_lane":
        return DeleteLane(draw(st.sampled_from(lanes)))
    if kind == "insert":
        sid, lid = draw(st.sampled_from(stages)), draw(st.sampled_from(lanes))
        return InsertCard(sid, lid, draw(st.integers(0, len(m.stage(sid).peek(lid)))), draw(card()))
    sid, lid = draw(st.sampled_from(filled))
    n = len(m.stage(sid).peek(lid))
    idx = draw(st.integers(0, n - 1))
    if kind == "delete":
        return DeleteCard(sid, lid, idx)
    if kind == "replace":
        return ReplaceCard(sid, lid, idx, draw(card()))
    to_s, to_l = draw(st.sampled_from(stages)), draw(st.sampled_from(lanes))
    limit = len(m.stage(to_s).peek(to_l)) - (1 if (to_s, to_l) == (sid, lid) else 0)
    return MoveCard(sid, lid, idx, to_s, to_l, draw(st.integers(0, limit)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_sessions_undo_all_redo_all(data):
    m = small_map()
    original = copy.deepcopy(m)
    h = History(m)
    n = data.draw(st.integers(1, 25))
    for _ in range(n):
        h.do(random_op(data.draw, h.map))
    final = copy.deepcopy(h.map)
    final_snap = snapshot(h.map)
    while h.can_undo():
        h.undo()
    assert h.map == original
    assert snapshot(h.map) == snapshot(original)
    while h.can_redo():
        h.redo()
    assert h.map == final
    assert snapshot(h.map) == final_snap


def test_undo_and_redo_messages_name_things_as_the_user_does():
    from cjm_tui.model import History, JourneyMap, ops

    m = JourneyMap.blank("J", ("Search", "Buy"))
    h = History(m)
    lane = m.lanes[1]
    for op, said in (
        (ops.SetStageField(m.stages[0].id, "emotion", 0), "emotion 0"),
        (ops.SetLaneField(lane.id, "hidden", True), f"hide lane {lane.name}"),
        (ops.DeleteLane(lane.id), f"delete lane {lane.name}"),
        (ops.DeleteStage(m.stages[1].id), "delete stage Buy"),
    ):
        h.do(op)
        assert op.describe() == said
