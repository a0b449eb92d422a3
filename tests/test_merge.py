"""Three-way merge of maps: model (merge3) and files (store.merge), case by case."""

from __future__ import annotations

import tomllib

import pytest

from cjm_tui.model import Card, Lane, Stage
from cjm_tui.model.merge import CONFLICT_NOTE_PREFIX, merge3, merge_sequences
from cjm_tui.store import MapError, codec
from cjm_tui.store.merge import merge_files, merge_into_document, merge_texts

from conftest import small_map


def texts(m, stage, lane):
    return [c.text for c in m.stage(stage).peek(lane)]


def three():
    base = small_map()
    return base, base.copy(), base.copy()


# -- fields ---------------------------------------------------------------------------


def test_field_changed_on_one_side_is_taken():
    base, ours, theirs = three()
    ours.goal = "ours goal"
    theirs.title = "theirs title"
    r = merge3(base, ours, theirs)
    assert r.clean
    assert (r.map.goal, r.map.title) == ("ours goal", "theirs title")
    assert any("title" in c for c in r.changes_from_theirs)


def test_field_changed_on_both_sides_keeps_ours_and_notes_theirs():
    base, ours, theirs = three()
    ours.title, theirs.title = "Ours", "Theirs"
    r = merge3(base, ours, theirs)
    assert r.map.title == "Ours"
    assert [c.where for c in r.conflicts] == ["title"]
    notes = [line for line in r.map.notes.splitlines() if line.startswith(CONFLICT_NOTE_PREFIX)]
    assert len(notes) == 1 and "'Theirs'" in notes[0] and "'Ours'" in notes[0]


def test_same_change_on_both_sides_is_no_conflict():
    base, ours, theirs = three()
    ours.title = theirs.title = "Same"
    ours.stage("search").emotion = theirs.stage("search").emotion = 2
    r = merge3(base, ours, theirs)
    assert r.clean and r.map == ours


def test_notes_changed_on_both_sides_keep_both_texts():
    base, ours, theirs = three()
    ours.notes, theirs.notes = "ours note", "theirs note"
    r = merge3(base, ours, theirs)
    assert "ours note" in r.map.notes and "theirs note" in r.map.notes
    assert [c.where for c in r.conflicts] == ["notes"]


def test_persona_fields_and_lists():
    base, ours, theirs = three()
    ours.persona.goals.append("Ours goal")
    theirs.persona.goals.insert(0, "Theirs goal")
    theirs.persona.role = "CEO"
    ours.persona.other["home"] = "Leeds"
    theirs.persona.other.pop("age")
    r = merge3(base, ours, theirs)
    assert r.clean
    p = r.map.persona
    assert p.goals == ["Theirs goal", "Buy quickly: she is time-poor", "Ours goal"]
    assert p.role == "CEO"
    assert p.other == {"home": "Leeds"}


def test_persona_list_item_edited_both_sides_keeps_both():
    base, ours, theirs = three()
    ours.persona.frustrations[0] = "Pushy sellers"
    theirs.persona.frustrations[0] = "Pushy salespeople"
    r = merge3(base, ours, theirs)
    assert r.map.persona.frustrations == ["Pushy sellers", "Pushy salespeople"]
    assert r.conflicts[0].where == "persona.frustrations"
    assert CONFLICT_NOTE_PREFIX + "persona.frustrations" in r.map.notes


# -- cards -----------------------------------------------------------------------------


def test_cards_edited_in_different_places_merge_cleanly():
    base, ours, theirs = three()
    ours.stage("search").cards("actions")[0].text = "Searches on Google"
    theirs.stage("search").cards("actions")[2].text = "Reads many reviews"
    theirs.stage("buy").cards("actions").append(Card("Gets a receipt"))
    ours.stage("compare").cards("thoughts").clear()
    r = merge3(base, ours, theirs)
    assert r.clean
    assert texts(r.map, "search", "actions") == ["Searches on Google", "Clicks a search ad", "Reads many reviews"]
    assert texts(r.map, "buy", "actions") == ["Pays at checkout", "Gets a receipt"]
    assert texts(r.map, "compare", "thoughts") == []


def test_both_add_cards_at_the_same_place_keeps_both_ours_first():
    base, ours, theirs = three()
    ours.stage("buy").cards("actions").append(Card("Ours"))
    theirs.stage("buy").cards("actions").append(Card("Theirs"))
    r = merge3(base, ours, theirs)
    assert r.clean
    assert texts(r.map, "buy", "actions") == ["Pays at checkout", "Ours", "Theirs"]


def test_same_card_added_on_both_sides_is_kept_once():
    base, ours, theirs = three()
    ours.stage("buy").cards("actions").append(Card("Same"))
    theirs.stage("buy").cards("actions").append(Card("Same"))
    r = merge3(base, ours, theirs)
    assert texts(r.map, "buy", "actions") == ["Pays at checkout", "Same"]


def test_card_edited_differently_keeps_both_marked():
    base, ours, theirs = three()
    ours.stage("search").cards("actions")[1].text = "Clicks an ad"
    theirs.stage("search").cards("actions")[1].text = "Clicks a paid ad"
    r = merge3(base, ours, theirs)
    cards = r.map.stage("search").peek("actions")
    assert [(c.text, c.conflict) for c in cards] == [
        ("Searches online", None),
        ("Clicks an ad", "ours"),
        ("Clicks a paid ad", "theirs"),
        ("Reads reviews", None),
    ]
    assert len(r.conflicts) == 1 and r.conflicts[0].kind == "cards"
    assert r.conflicts[0].where == "stage search / lane actions"


def test_card_tags_count_as_an_edit():
    base, ours, theirs = three()
    ours.stage("compare").cards("thoughts")[0].tags.append("key")
    r = merge3(base, ours, theirs)
    assert r.map.stage("compare").peek("thoughts")[0].tags == ["doubt", "key"]
    ours2 = base.copy()
    ours2.stage("compare").cards("thoughts")[0].tags = ["a"]
    theirs.stage("compare").cards("thoughts")[0].tags = ["b"]
    r = merge3(base, ours2, theirs)
    assert [c.conflict for c in r.map.stage("compare").peek("thoughts")] == ["ours", "theirs"]


def test_card_deleted_on_one_side_edited_on_other_is_kept_marked():
    base, ours, theirs = three()
    del ours.stage("search").cards("actions")[1]
    theirs.stage("search").cards("actions")[1].text = "Clicks a paid ad"
    r = merge3(base, ours, theirs)
    cards = r.map.stage("search").peek("actions")
    assert ("Clicks a paid ad", "theirs") in [(c.text, c.conflict) for c in cards]
    assert r.conflicts[0].kind == "delete-edit"


def test_card_deleted_on_one_side_unchanged_on_other_is_deleted():
    base, ours, theirs = three()
    del theirs.stage("search").cards("actions")[1]
    ours.stage("search").cards("actions")[0].text = "Edited"
    r = merge3(base, ours, theirs)
    assert r.clean
    assert texts(r.map, "search", "actions") == ["Edited", "Reads reviews"]


def test_card_moved_between_stages_is_a_delete_and_an_add():
    base, ours, theirs = three()
    card = theirs.stage("search").cards("actions").pop(2)
    theirs.stage("compare").cards("actions").append(card)
    ours.stage("buy").cards("actions").append(Card("Ours"))
    r = merge3(base, ours, theirs)
    assert r.clean
    assert texts(r.map, "search", "actions") == ["Searches online", "Clicks a search ad"]
    assert texts(r.map, "compare", "actions") == ["Reads reviews"]


# -- stages and lanes -------------------------------------------------------------------


def test_stage_added_on_each_side_lands_after_its_predecessor():
    base, ours, theirs = three()
    ours.stages.insert(1, Stage("ours_new", "Ours new"))
    theirs.stages.insert(2, Stage("theirs_new", "Theirs new", cells={"actions": [Card("x")]}))
    r = merge3(base, ours, theirs)
    assert r.clean
    assert r.map.stage_ids() == ["search", "ours_new", "compare", "theirs_new", "buy"]
    assert texts(r.map, "theirs_new", "actions") == ["x"]


def test_stage_deleted_and_untouched_is_deleted():
    base, ours, theirs = three()
    theirs.stages.pop(1)
    ours.stage("search").name = "Look"
    r = merge3(base, ours, theirs)
    assert r.clean and r.map.stage_ids() == ["search", "buy"]
    assert r.map.stage("search").name == "Look"


def test_stage_deleted_on_one_side_edited_on_other_is_kept():
    base, ours, theirs = three()
    ours.stages.pop(1)
    theirs.stage("compare").cards("thoughts").append(Card("Too many models"))
    r = merge3(base, ours, theirs)
    assert r.map.stage_ids() == ["search", "compare", "buy"]
    assert texts(r.map, "compare", "thoughts") == ["Which one is quieter?", "Too many models"]
    assert r.conflicts[0].where == "stage compare" and r.conflicts[0].kind == "delete-edit"
    assert CONFLICT_NOTE_PREFIX + "stage compare" in r.map.notes


def test_stage_moves_and_renames_merge_per_field():
    base, ours, theirs = three()
    ours.stages.insert(0, ours.stages.pop(2))  # ours moves buy first
    theirs.stage("buy").name = "Checkout"
    theirs.stage("search").feeling = "hopeful"
    r = merge3(base, ours, theirs)
    assert r.clean
    assert r.map.stage_ids() == ["buy", "search", "compare"]
    assert r.map.stage("buy").name == "Checkout"
    assert r.map.stage("search").feeling == "hopeful"


def test_theirs_move_applied_when_ours_did_not_move():
    base, ours, theirs = three()
    theirs.stages.insert(0, theirs.stages.pop(2))
    ours.stages.append(Stage("after", "After"))
    r = merge3(base, ours, theirs)
    assert r.map.stage_ids() == ["buy", "search", "compare", "after"]


def test_lane_added_and_deleted():
    base, ours, theirs = three()
    ours.lanes.insert(1, Lane("feelings", "Feelings"))
    ours.stage("search").cards("feelings").append(Card("Hopeful"))
    theirs.lanes = [lane for lane in theirs.lanes if lane.id != "opportunities"]
    theirs.lane("thoughts").question = "What goes through their head?"
    r = merge3(base, ours, theirs)
    assert r.clean
    assert r.map.lane_ids() == ["actions", "feelings", "thoughts", "touchpoints", "pain_points"]
    assert r.map.lane("thoughts").question == "What goes through their head?"
    assert texts(r.map, "search", "feelings") == ["Hopeful"]


def test_lane_deleted_on_one_side_with_cards_added_on_other_is_kept():
    base, ours, theirs = three()
    for s in ours.stages:
        s.cells.pop("pain_points", None)
    ours.lanes = [lane for lane in ours.lanes if lane.id != "pain_points"]
    theirs.stage("buy").cards("pain_points").append(Card("Card declined"))
    r = merge3(base, ours, theirs)
    assert "pain_points" in r.map.lane_ids()
    assert texts(r.map, "buy", "pain_points") == ["Card declined"]
    assert texts(r.map, "search", "pain_points") == ["Can't ask a person before buying"]
    assert r.conflicts[0].where == "lane pain_points"


def test_lane_deleted_on_one_side_and_stage_deleted_on_other():
    base, ours, theirs = three()
    for s in ours.stages:
        s.cells.pop("pain_points", None)
    ours.lanes = [lane for lane in ours.lanes if lane.id != "pain_points"]
    theirs.stages.pop(0)
    r = merge3(base, ours, theirs)
    assert r.clean
    assert r.map.stage_ids() == ["compare", "buy"] and "pain_points" not in r.map.lane_ids()


def test_inputs_are_not_changed():
    base, ours, theirs = three()
    ours.stage("search").cards("actions")[1].text = "A"
    theirs.stage("search").cards("actions")[1].text = "B"
    before = (base.copy(), ours.copy(), theirs.copy())
    merge3(base, ours, theirs)
    assert (base, ours, theirs) == before


def test_merge_sequences_plain():
    out, n = merge_sequences(list("abcde"), list("aXcde"), list("abcdYe"), key=lambda x: x)
    assert out == list("aXcdYe") and n == 0


# -- files -----------------------------------------------------------------------------------


SOURCE = '''\
# our comment on top
format = 1
title = "T"

[[lanes]]
id = "actions"
name = "Actions"

[[stages]]
id = "a"
name = "A"
actions = [
    "one",  # why one
    "two",
    "three",
]

[[stages]]
id = "b"
name = "B"
actions = [
    "four",
]
'''


def test_file_merge_keeps_our_comments_and_takes_their_cards():
    ours = SOURCE.replace("# our comment on top", "# our comment on top\n# ours added this")
    theirs = SOURCE.replace('"four",', '"four",\n    "five",')
    fm = merge_texts(SOURCE, ours, theirs)
    assert fm.clean
    assert "# ours added this" in fm.text and "# why one" in fm.text
    assert '    "five",\n' in fm.text
    assert tomllib.loads(fm.text)["stages"][1]["actions"] == ["four", "five"]


def test_file_merge_conflict_marks_are_in_the_file():
    ours = SOURCE.replace('"two"', '"two ours"')
    theirs = SOURCE.replace('"two"', '"two theirs"')
    fm = merge_texts(SOURCE, ours, theirs)
    assert not fm.clean
    assert '{text = "two ours", conflict = "ours"}' in fm.text
    assert '{text = "two theirs", conflict = "theirs"}' in fm.text
    m, _ = codec.parse(fm.text)
    assert [c.conflict for c in m.stage("a").peek("actions")] == [None, "ours", "theirs", None]


def test_file_merge_only_theirs_changed_keeps_their_text_byte_for_byte():
    theirs = SOURCE.replace('"four",', '"four",  # their comment')
    assert merge_texts(SOURCE, SOURCE, theirs).text == theirs


def test_empty_base_is_an_add_add_merge():
    fm = merge_texts("", SOURCE, SOURCE)
    assert fm.clean and fm.text == SOURCE


def test_bad_input_raises_and_writes_nothing(tmp_path):
    b, o, t = (tmp_path / f"{n}.cjm.toml" for n in ("b", "o", "t"))
    b.write_text(SOURCE)
    o.write_text(SOURCE.replace('"two"', '"two ours"'))
    t.write_bytes(b"format = 1\ntitle = \"\xff\"\n")
    before = o.read_text()
    with pytest.raises(MapError) as exc:
        merge_files(b, o, t)
    assert str(t) in str(exc.value)
    assert o.read_text() == before
    t.write_text('format = 1\n[[stages]]\nid = "a"\nnope = ["x"]\n')
    with pytest.raises(MapError):
        merge_files(b, o, t)
    assert o.read_text() == before


def test_merge_files_writes_to_out(tmp_path):
    b, o, t, out = (tmp_path / f"{n}.cjm.toml" for n in ("b", "o", "t", "out"))
    b.write_text(SOURCE)
    o.write_text(SOURCE)
    t.write_text(SOURCE.replace('"four"', '"FOUR"'))
    fm = merge_files(b, o, t, out=out)
    assert fm.clean and out.read_text() == t.read_text() and o.read_text() == SOURCE


def test_merge_into_open_document_patches_it():
    ours_text = SOURCE.replace('"one",  # why one', '"one edited",  # why one')
    m, doc = codec.parse(ours_text)
    theirs = SOURCE.replace('"four",', '"four",\n    "five",')
    fm = merge_into_document(SOURCE, m, doc, theirs)
    assert fm.clean and '"one edited",  # why one' in fm.text and '"five"' in fm.text
    assert doc.as_string() == fm.text
    base_map, _ = codec.parse(SOURCE)
    assert merge_into_document(base_map, m, doc, theirs).text == fm.text
    assert any("five" in c for c in fm.result.changes_from_theirs)
