"""Conflict marks that say who wrote each version, not "ours" / "theirs".

Two editors on one map: the one that merges a real conflict used to mark its own
card ``ours`` and the other person's ``theirs``, which the other person's editor
then showed as ``⚠ ours: <their own text>``. merge3 now takes the two labels (the
defaults stay ``ours`` / ``theirs`` for git's merge driver), the editor labels by
who wrote the version, and ``x`` finds the other version by a different mark.
"""

from __future__ import annotations

import json
import os
import socket

import pytest

from conftest import small_map
from test_editor_keys import copy_sample, editor, goto, screen_text, wait_saved

from cjm_tui.cli import main
from cjm_tui.formats.json_io import from_json, to_json
from cjm_tui.model import Card
from cjm_tui.model.lint import lint
from cjm_tui.model.merge import CONFLICT_NOTE_PREFIX, merge3
from cjm_tui.store import codec
from cjm_tui.store.files import loads_fast
from cjm_tui.store.presence import Info, editor_label, own_label, presence_dir
from cjm_tui.ui.sync import ON_DISK, conflict_partner

ANA = "ana@build-01 pts/3"
BOB = "bob@build-01 pts/4"

# joan-vacuum, Search / Actions
SEARCH_1 = "Goes to a search engine and looks for a new vacuum cleaner"
SEARCH_2 = "Scans the ads at the top of the results first"
VISIT_1 = "Clicks the search ad and lands on the product page"


def three():
    base = small_map()
    return base, base.copy(), base.copy()


def marks(m, stage="search", lane="actions") -> list[tuple[str, str | None]]:
    return [(c.text, c.conflict) for c in m.stage(stage).peek(lane)]


# -- merge3 with labels (model) ---------------------------------------------------------------
def test_default_labels_stay_ours_and_theirs_for_git():
    base, ours, theirs = three()
    ours.stage("search").cards("actions")[0].text = "Searches on her phone"
    theirs.stage("search").cards("actions")[0].text = "Searches on a laptop"
    ours.goal, theirs.goal = "More buyers", "Fewer calls"
    r = merge3(base, ours, theirs)
    assert marks(r.map)[:2] == [("Searches on her phone", "ours"), ("Searches on a laptop", "theirs")]
    assert f"{CONFLICT_NOTE_PREFIX}goal: kept ours 'More buyers'; theirs was 'Fewer calls'" in r.map.notes


def test_cards_changed_on_both_sides_are_marked_with_the_labels():
    base, ours, theirs = three()
    ours.stage("search").cards("actions")[0].text = "Searches on her phone"
    theirs.stage("search").cards("actions")[0].text = "Searches on a laptop"
    r = merge3(base, ours, theirs, ours_label=ANA, theirs_label=BOB)
    assert marks(r.map) == [
        ("Searches on her phone", ANA),
        ("Searches on a laptop", BOB),
        ("Clicks a search ad", None),
        ("Reads reviews", None),
    ]
    assert [c.kind for c in r.conflicts] == ["cards"]
    assert "ours" not in r.map.notes and "theirs" not in r.map.notes


def test_notes_and_delete_edit_messages_name_the_labels():
    base, ours, theirs = three()
    ours.goal, theirs.goal = "More buyers", "Fewer calls"
    ours.notes, theirs.notes = "ana's note", "bob's note"
    ours.stage("buy").cards("actions").clear()  # ana deleted the card, bob edited it
    theirs.stage("buy").cards("actions")[0].text = "Pays at checkout, by card"
    ours.stages = [s for s in ours.stages if s.id != "compare"]  # ana deleted a stage bob changed
    theirs.stage("compare").emotion = 2
    r = merge3(base, ours, theirs, ours_label=ANA, theirs_label=ON_DISK)
    notes = r.map.notes
    assert f"{CONFLICT_NOTE_PREFIX}goal: kept {ANA}: 'More buyers'; {ON_DISK}: 'Fewer calls'" in notes
    assert f"{CONFLICT_NOTE_PREFIX}notes: changed on both sides: kept both texts ({ANA} first); {ON_DISK} follows" in notes
    assert f"{CONFLICT_NOTE_PREFIX}stage compare: deleted ({ANA}), changed ({ON_DISK}): kept" in notes
    assert marks(r.map, "buy") == [("Pays at checkout, by card", ON_DISK)]
    card_conflict = next(c for c in r.conflicts if c.kind == "delete-edit" and "lane" in c.where)
    assert card_conflict.message == f"card deleted ({ANA}), changed ({ON_DISK}): kept 'Pays at checkout, by card'"
    assert not any(word in line for line in notes.splitlines() for word in (" ours", " theirs"))


def test_labels_must_differ():
    base, ours, theirs = three()
    with pytest.raises(ValueError):
        merge3(base, ours, theirs, ours_label=ANA, theirs_label=ANA)
    with pytest.raises(ValueError):
        merge3(base, ours, theirs, ours_label="", theirs_label=BOB)


def test_labelled_cards_survive_the_file_check_diff_and_json(tmp_path, capsys):
    base, ours, theirs = three()
    ours.stage("search").cards("actions")[0].text = "Searches on her phone"
    theirs.stage("search").cards("actions")[0].text = "Searches on a laptop"
    m = merge3(base, ours, theirs, ours_label=ANA, theirs_label=BOB).map
    path = tmp_path / "m.cjm.toml"
    path.write_text(codec.dumps(m), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert f'conflict = "{ANA}"' in text and f'conflict = "{BOB}"' in text
    assert marks(loads_fast(text)) == marks(m)
    # cjm check: one unresolved conflict per marked card, naming the label
    found = [f for f in lint(m) if f.rule == "unresolved-conflict"]
    assert len(found) == 2 and f"({ANA})" in found[0].message and f"({BOB})" in found[1].message
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "unresolved-conflict" in out and BOB in out
    # cjm diff: the marks are facts like any other
    old = tmp_path / "old.cjm.toml"
    old.write_text(codec.dumps(base), encoding="utf-8")
    assert main(["diff", str(old), str(path), "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert "Searches on a laptop" in out
    # json export and back
    back, warnings = from_json(to_json(m))
    assert marks(back) == marks(m)
    data = json.loads(to_json(m))
    assert [c.get("conflict") for c in data["stages"][0]["cards"]["actions"]][:2] == [ANA, BOB]


# -- the editor's labels ------------------------------------------------------------------------
def test_editor_labels_are_short_and_tell_two_tabs_apart():
    assert editor_label("ana", "build-01.corp.example.com", "pts/3", 42) == "ana@build-01 pts/3"
    assert editor_label("ana", "10.0.0.7", None, 4242) == "ana@10.0.0.7 pid 4242"
    info = Info("bob", "build-01", "pts/4", 7, 0.0, 0.0)
    assert info.label() == BOB
    mine = own_label()
    assert "@" in mine and mine.split(" ", 1)[1]  # user@host, then the terminal or the pid


@pytest.mark.parametrize(
    "cards,partners",
    [
        ([ANA, BOB], [1, 0]),
        ([None, "ours", "theirs", None], [None, 2, 1, None]),
        ([ANA, BOB, ANA, BOB], [1, 0, 3, 2]),  # two conflicts in one cell: B1 is not A2's
        ([ANA, ANA, BOB], [None, 2, 1]),  # a delete-edit card, then a pair
        ([ON_DISK], [None]),
        ([ANA, None, BOB], [None, None, None]),  # not adjacent: not one conflict
    ],
)
def test_the_other_version_is_the_adjacent_card_with_a_different_mark(cards, partners):
    row = [Card(f"card {i}", conflict=mark) for i, mark in enumerate(cards)]
    assert [conflict_partner(row, i) for i in range(len(row))] == partners


def _conflicted_sample(tmp_path, pair: list[tuple[str, str]]):
    """joan-vacuum with its second Search action (SEARCH_2) replaced by the two marked
    versions in *pair*. Returns (path, the sample's original bytes)."""
    path = copy_sample(tmp_path)
    original = path.read_bytes()
    text = original.decode("utf-8")
    line = f'    "{SEARCH_2}",\n'
    assert text.count(line) == 1
    versions = "".join(f'    {{text = "{t}", conflict = "{mark}"}},\n' for t, mark in pair)
    path.write_text(text.replace(line, versions), encoding="utf-8")
    return path, original


SHOPPING = "Scans the shopping tab first"


@pytest.mark.parametrize(
    "pair,on",
    [
        ([(SEARCH_2, BOB), (SHOPPING, ANA)], 1),  # x on the first of the pair: the partner is after it
        ([(SHOPPING, ANA), (SEARCH_2, BOB)], 2),  # x on the second: the partner is before it
    ],
    ids=["first-of-the-pair", "second-of-the-pair"],
)
async def test_x_on_a_labelled_card_keeps_it_and_removes_its_partner(tmp_path, pair, on):
    path, original = _conflicted_sample(tmp_path, pair)
    async with editor(path) as (app, pilot):
        assert marks(app.history.map)[1:3] == pair
        await goto(pilot, app, "search", "actions", on)
        await pilot.press("x")
        await wait_saved(pilot, app)
        assert app.grid.current() == ("search", "actions", 1)  # the cursor stays on the kept card
        assert marks(app.history.map)[1] == (SEARCH_2, None)
    assert path.read_bytes() == original  # bob's version kept, unmarked; ana's gone


async def test_editor_merge_marks_own_version_with_who_and_the_other_on_disk(tmp_path):
    """No other editor is known (a git pull, another program): the file's version is
    marked "on disk", ours with this editor's user@host terminal."""
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=0.3) as (app, pilot):
        mine = app._presence.info.label() if app._presence else own_label()
        await pilot.press("enter", *" MINE")  # card editor open: the merge waits for Esc
        outside = path.read_text(encoding="utf-8").replace(SEARCH_1, SEARCH_1 + " DISK", 1)
        path.write_text(outside, encoding="utf-8")
        await pilot.press("escape")
        await wait_saved(pilot, app)
        assert marks(app.history.map)[:2] == [(SEARCH_1 + " MINE", mine), (SEARCH_1 + " DISK", ON_DISK)]
    assert marks(loads_fast(path.read_text(encoding="utf-8")))[:2] == [(SEARCH_1 + " MINE", mine), (SEARCH_1 + " DISK", ON_DISK)]


async def test_editor_merge_names_the_one_other_editor_and_x_keeps_its_version(tmp_path):
    path = copy_sample(tmp_path)
    # another editor has the map open: a presence mark from a live process (our parent)
    folder = presence_dir(path)
    folder.mkdir()
    host = socket.gethostname() or "localhost"
    (folder / "other.json").write_text(
        json.dumps({"user": "bob", "host": host, "tty": "pts/9", "pid": os.getppid(), "since": 0.0}), encoding="utf-8"
    )
    bob = editor_label("bob", host, "pts/9", os.getppid())
    async with editor(path, autosave_delay=0.3) as (app, pilot):
        mine = app._presence.info.label() if app._presence else own_label()
        assert mine != bob
        await pilot.press("enter", *" MINE")
        outside = path.read_text(encoding="utf-8").replace(SEARCH_1, SEARCH_1 + " BOB", 1)
        path.write_text(outside, encoding="utf-8")
        await pilot.press("escape")
        await wait_saved(pilot, app)
        assert marks(app.history.map)[:2] == [(SEARCH_1 + " MINE", mine), (SEARCH_1 + " BOB", bob)]
        file_text = path.read_text(encoding="utf-8")
        assert f'conflict = "{bob}"' in file_text and f'conflict = "{mine}"' in file_text
        # bob's editor would show "⚠ bob@host pts/9: … BOB": his own; x on it keeps it
        await goto(pilot, app, "search", "actions", 1)
        await pilot.press("x")
        await wait_saved(pilot, app)
    assert path.read_text(encoding="utf-8") == outside  # exactly bob's file: his card, no marks


async def test_the_editor_calls_its_own_version_you_and_hears_of_conflicts_it_did_not_merge(tmp_path):
    """Bob's editor merged and marked the conflict; in this editor, which only reloads the
    file, its own version reads "you, <label>" and a warning says there are conflicts."""
    path = copy_sample(tmp_path)
    async with editor(path, notifications=True) as (app, pilot):
        mine = app._presence.info.label() if app._presence else own_label()
        text = path.read_text(encoding="utf-8")
        line = f'    "{SEARCH_2}",\n'
        assert text.count(line) == 1
        versions = f'    {{text = "{SEARCH_2} MINE", conflict = "{mine}"}},\n    {{text = "{SEARCH_2} BOB", conflict = "bob@elsewhere pts/9"}},\n'
        path.write_text(text.replace(line, versions), encoding="utf-8")
        app.check_disk()
        await pilot.pause()
        screen = screen_text(app)
        assert "⚠ you, " in screen, screen  # (the label itself may wrap onto the next line)
        assert "⚠ bob@elsewhere pts/9:" in screen
        said = [str(n.message) for n in app._notifications]
        assert any("2 cards marked ⚠ as versions in conflict: press x" in m for m in said), said
        # bob goes on typing elsewhere: his saves reload the same marks, said once only
        path.write_text(path.read_text(encoding="utf-8").replace(VISIT_1, VISIT_1 + " AGAIN"), encoding="utf-8")
        app.check_disk()
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert sum("marked ⚠ as versions in conflict" in m for m in said) == 1, said
