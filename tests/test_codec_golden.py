"""One edit, one line: each edit's diff of the saved file is compared with a golden diff.

Regenerate the golden files after an intended format change with
``CJM_REGEN_GOLDEN=1 pytest tests/test_codec_golden.py`` and review them in git.
"""

from __future__ import annotations

import difflib
import os
import tomllib

import pytest

from cjm_tui.model import Card, Lane, Stage
from cjm_tui.model.ops import (
    AddLane,
    AddStage,
    DeleteCard,
    DeleteStage,
    InsertCard,
    MoveCard,
    RenameLane,
    RenameStage,
    ReplaceCard,
    SetMapField,
    SetPersonaField,
    SetStageField,
)
from cjm_tui.store import codec
from cjm_tui.store.schema import map_to_data

from conftest import GOLDEN, small_map

REGEN = bool(os.environ.get("CJM_REGEN_GOLDEN"))
BASE = GOLDEN / "base.cjm.toml"


def base_text() -> str:
    return BASE.read_text(encoding="utf-8")


def udiff(old: str, new: str, name: str = "base.cjm.toml") -> str:
    return "".join(
        difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}", n=1)
    )


def changed(diff: str) -> tuple[list[str], list[str]]:
    lines = diff.splitlines()[2:]
    return [x[1:] for x in lines if x.startswith("-")], [x[1:] for x in lines if x.startswith("+")]


def test_base_file_is_the_canonical_shape():
    """The committed base file is exactly what cjm writes for the small map."""
    if REGEN:
        BASE.write_text(codec.dumps(small_map()), encoding="utf-8")
    assert codec.dumps(small_map()) == base_text()
    m, _ = codec.parse(base_text())
    assert m == small_map()


# name -> (ops, expected number of removed lines, expected number of added lines)
EDITS = {
    "edit_card": ([ReplaceCard("search", "actions", 1, Card("Clicks an ad for a robot vacuum"))], 1, 1),
    "add_card_first": ([InsertCard("search", "actions", 0, Card("Asks a colleague"))], 0, 1),
    "add_card_middle": ([InsertCard("search", "actions", 2, Card("Watches a video review"))], 0, 1),
    "add_card_last": ([InsertCard("search", "actions", 3, Card("Bookmarks two models"))], 0, 1),
    "remove_card": ([DeleteCard("search", "actions", 1)], 1, 0),
    "emotion_set": ([SetStageField("compare", "emotion", -1)], 0, 1),
    "emotion_change": ([SetStageField("search", "emotion", 2)], 1, 1),
    "emotion_clear": ([SetStageField("buy", "emotion", None)], 1, 0),
    "rename_stage": ([RenameStage("compare", "Weigh up")], 1, 1),
    "rename_lane": ([RenameLane("pain_points", "Pains")], 1, 1),
    "title": ([SetMapField("title", "Joan buys a robot vacuum")], 1, 1),
    "goal": ([SetMapField("goal", "Half of first-time buyers complete checkout")], 1, 1),
    "tag_card": ([ReplaceCard("search", "actions", 0, Card("Searches online", tags=["web"]))], 1, 1),
    "tag_tagged_card": ([ReplaceCard("compare", "thoughts", 0, Card("Which one is quieter?", tags=["doubt", "noise"]))], 1, 1),
    "persona_role": ([SetPersonaField("role", "Head of nursing")], 1, 1),
    "persona_goal_add": ([SetPersonaField("goals", ["Buy quickly: she is time-poor", "Spend under 300"])], 0, 1),
    # blocks: one stage or one lane, whole
    "add_stage_middle": ([AddStage(1, Stage("ask", "Ask a friend"))], 0, None),
    "add_stage_last": ([AddStage(3, Stage("use", "Use", 2, cells={"actions": [Card("Vacuums the hall")]}))], 0, None),
    "delete_stage": ([DeleteStage("compare")], None, 0),
    "add_lane": ([AddLane(5, Lane("backstage", "Backstage"))], 0, None),
    "move_card_across_stages": ([MoveCard("search", "actions", 2, "buy", "actions", 1)], 1, 1),
}


def apply_and_save(ops) -> str:
    m, doc = codec.parse(base_text())
    for op in ops:
        op.apply(m)
    return codec.dumps(m, doc), m


@pytest.mark.parametrize("name", list(EDITS))
def test_one_edit_diff_matches_golden(name):
    ops, n_removed, n_added = EDITS[name]
    new, m = apply_and_save(ops)
    diff = udiff(base_text(), new)
    golden = GOLDEN / f"{name}.diff"
    if REGEN:
        golden.write_text(diff, encoding="utf-8")
    assert diff == golden.read_text(encoding="utf-8")
    removed, added = changed(diff)
    if n_removed is not None:
        assert len(removed) == n_removed, diff
    if n_added is not None:
        assert len(added) == n_added, diff
    # the written file means what the map means
    assert tomllib.loads(new) == map_to_data(m)
    assert codec.parse(new)[0] == m


def test_add_stage_is_one_contiguous_block():
    new, _ = apply_and_save(EDITS["add_stage_middle"][0])
    diff = udiff(base_text(), new)
    hunks = [x for x in diff.splitlines() if x.startswith("@@")]
    assert len(hunks) == 1
    removed, added = changed(diff)
    assert removed == []
    assert "\n".join(added).count("[[stages]]") == 1
    assert 'id = "ask"' in added and 'name = "Ask a friend"' in added


def test_delete_stage_removes_one_block():
    new, _ = apply_and_save([DeleteStage("compare")])
    removed, added = changed(udiff(base_text(), new))
    assert added == [] and removed.count("[[stages]]") == 1 and 'id = "compare"' in removed


def test_rename_keeps_ids():
    new, _ = apply_and_save([RenameStage("search", "Look around"), RenameLane("actions", "Doings")])
    data = tomllib.loads(new)
    assert [s["id"] for s in data["stages"]] == ["search", "compare", "buy"]
    assert data["lanes"][0] == {"id": "actions", "name": "Doings", "question": "What does the person do?"}
    assert data["stages"][0]["name"] == "Look around"


def test_unedited_load_save_changes_no_byte():
    text = base_text()
    m, doc = codec.parse(text)
    assert codec.dumps(m, doc) == text
    # and a fresh dump of the loaded map is the same too
    assert codec.dumps(m) == text


# -- hand-written files: comments and unknown keys survive --------------------------

HANDWRITTEN = GOLDEN / "handwritten.cjm.toml"


def test_handwritten_unedited_changes_no_byte():
    text = HANDWRITTEN.read_text(encoding="utf-8")
    m, doc = codec.parse(text)
    assert codec.dumps(m, doc) == text


def test_handwritten_comments_and_unknown_keys_survive_edits():
    text = HANDWRITTEN.read_text(encoding="utf-8")
    m, doc = codec.parse(text)
    ops = [
        SetMapField("title", "Joan buys a robot vacuum"),
        RenameStage("search", "Look around"),
        SetStageField("search", "emotion", 2),
        ReplaceCard("search", "actions", 2, Card("Reads three reviews")),
        InsertCard("buy", "actions", 1, Card("Gets a receipt")),
        SetPersonaField("role", "Head of nursing"),
        AddStage(2, Stage("wait", "Wait for delivery")),
    ]
    for op in ops:
        op.apply(m)
    new = codec.dumps(m, doc)
    diff = udiff(text, new, HANDWRITTEN.name)
    golden = GOLDEN / "handwritten_edits.diff"
    if REGEN:
        golden.write_text(diff, encoding="utf-8")
    assert diff == golden.read_text(encoding="utf-8")
    for keep in [
        "# Joan buys a new vacuum: current state",
        "# reviewed with the sales team, March",
        'owner = "research team"',
        "[check]",
        "min_cards = 2",
        'disable = ["no-emotion"]',
        "# persona from interview 4",
        'pet = "cat"',
        'colour = "#ffcc00"  # stage colour, read by another tool',
        '    "Searches online",  # seen in 9 of 12 interviews',
        "    # from the ads team",
        "[persona.details]",
        'shoe_size = 39',
    ]:
        assert keep in new, keep
    data = tomllib.loads(new)
    assert data["check"] == {"min_cards": 2, "disable": ["no-emotion"]}
    assert data["owner"] == "research team"
    assert data["persona"]["pet"] == "cat" and data["persona"]["details"] == {"shoe_size": 39}
    assert data["stages"][0]["colour"] == "#ffcc00"
    assert codec.parse(new)[0] == m


def test_tomllib_reads_what_cjm_writes():
    m = small_map()
    assert tomllib.loads(codec.dumps(m)) == map_to_data(m)


def test_handwritten_persona_values_the_model_does_not_hold_survive():
    text = 'format = 1\n[persona]\nname = "J"\nborn = 1980-01-02\naddress = { city = "Oslo" }\nage = 43\n'
    m, doc = codec.parse(text)
    assert codec.dumps(m, doc) == text
    SetPersonaField("role", "Nurse").apply(m)
    SetPersonaField("age", None).apply(m)
    assert codec.dumps(m, doc) == 'format = 1\n[persona]\nname = "J"\nrole = "Nurse"\nborn = 1980-01-02\naddress = { city = "Oslo" }\n'
