"""Every grid binding, pressed through Pilot, checked against the file on disk.

The helpers at the top are shared by the other ``test_editor_*`` modules.
"""

from __future__ import annotations

import asyncio
import difflib
import shutil
import sys
import time
import tomllib
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from screen import make_app, screen_text
from textual import events
from textual.coordinate import Coordinate
from textual.keys import _character_to_key
from textual.widgets import DataTable

from cjm_tui.ui.keymap import ACTIONS

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# joan-vacuum, in file order
STAGES = ["search", "visit", "compare", "purchase", "set_up", "review"]
LANES = ["actions", "thoughts", "touchpoints", "pain_points", "opportunities", "offstage"]


# -- shared helpers -------------------------------------------------------------------
def copy_sample(tmp_path: Path, name: str = "joan-vacuum") -> Path:
    path = tmp_path / f"{name}.cjm.toml"
    shutil.copyfile(SAMPLES / f"{name}.cjm.toml", path)
    return path


@asynccontextmanager
async def editor(path: Path, size: tuple[int, int] = (80, 24), notifications: bool = False, **kwargs):
    app = make_app(path, **kwargs)
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await pilot.pause()
        yield app, pilot


async def wait_saved(pilot, app, timeout: float = 2.0) -> str:
    """Wait (without pressing keys) until autosave has written the map; returns the file text."""
    deadline = time.monotonic() + timeout
    path = app.document.path
    while time.monotonic() < deadline:
        # a bare sleep lets the app's loop run; pilot.pause() would add ~40 ms of idle-waiting per poll
        await asyncio.sleep(0.005)
        if app.saver.state == "saved" and app.saver._timer is None and path.exists():
            text = path.read_text(encoding="utf-8")
            if text == app.document.render():
                return text
    raise AssertionError(f"autosave did not finish within {timeout}s (state {app.saver.state})")


async def quiet(pilot, seconds: float = 0.15) -> None:
    """Let any autosave that would happen happen (used to check that nothing was written)."""
    await asyncio.sleep(seconds)


def line_diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) between two texts."""
    a, b = before.splitlines(), after.splitlines()
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed += a[i1:i2]
        if tag in ("replace", "insert"):
            added += b[j1:j2]
    return removed, added


def load(path_or_text) -> dict:
    text = path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) else path_or_text
    return tomllib.loads(text)


def stage_of(data: dict, stage_id: str) -> dict:
    for s in data["stages"]:
        if s["id"] == stage_id:
            return s
    raise KeyError(stage_id)


def card_texts(data: dict, stage_id: str, lane_id: str) -> list[str]:
    return [c if isinstance(c, str) else c["text"] for c in stage_of(data, stage_id).get(lane_id, [])]


def stage_ids(data: dict) -> list[str]:
    return [s["id"] for s in data["stages"]]


def lane_ids(data: dict) -> list[str]:
    return [lane["id"] for lane in data["lanes"]]


async def goto(pilot, app, stage_id: str, lane_id: str, card: int = 0) -> None:
    app.grid.focus_ids(stage_id, lane_id, card)
    await pilot.pause()
    assert app.grid.current() == (stage_id, lane_id, card)


async def type_text(pilot, text: str) -> None:
    """Type *text* into the focused widget as one burst of key events, as a fast typist or a
    paste over SSH delivers them (pilot.press would idle-wait ~50 ms after every character)."""
    app = pilot.app
    for ch in text:
        key = ch if ch.isalnum() else _character_to_key(ch)
        event = events.Key(key, ch)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()


def status_line(app) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


def cursor_visible(app) -> bool:
    g = app.grid
    a, b = g._card_span(g.cursor)
    col = g.cursor.stage - g.first_col
    return 0 <= col < g.n_visible and g.top <= a and b <= g.top + g.body_height


# -- moving ------------------------------------------------------------------------------
MOVES = [
    (["l"], ("visit", "actions", 0)),
    (["l", "h"], ("search", "actions", 0)),
    (["h"], ("search", "actions", 0)),
    (["down"], ("search", "actions", 1)),
    (["j", "j"], ("search", "thoughts", 0)),
    (["j", "j", "k"], ("search", "actions", 1)),
    (["down", "down", "up", "left", "home"], ("search", "actions", 1)),
    (["j", "l"], ("visit", "actions", 1)),  # the nearest card on the same line
    (["G"], ("search", "offstage", 0)),
    (["G", "j", "j", "j", "j"], ("search", "offstage", 2)),
    (["G", "g"], ("search", "actions", 0)),
    (["dollar_sign"], ("review", "actions", 0)),
    (["dollar_sign", "l"], ("review", "actions", 0)),
    (["end", "0"], ("search", "actions", 0)),
    (["right", "l", "j", "j", "j", "up"], ("compare", "thoughts", 0)),
    (["G", "dollar_sign", "k"], ("review", "opportunities", 1)),
]


async def test_moves(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_bytes()
    async with editor(path) as (app, pilot):
        for keys, expected in MOVES:
            await pilot.press("0", "g")
            assert app.grid.current() == ("search", "actions", 0)
            await pilot.press(*keys)
            assert app.grid.current() == expected, keys
            assert cursor_visible(app), keys
        await quiet(pilot, 0.1)
        assert app.saver.state == "saved"
    assert path.read_bytes() == before  # moving never writes


async def test_page_down_up_scrolls(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        for down, up in [("pagedown", "pageup"), ("ctrl+f", "ctrl+b")]:
            top0 = app.grid.top
            await pilot.press(down)
            assert app.grid.top > top0, down
            await pilot.press(up)
            assert app.grid.top == top0, up


async def test_page_down_keeps_cursor_visible(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("pagedown")
        assert app.grid.top > 0
        assert cursor_visible(app), (app.grid.current(), app.grid.top)


# -- editing cards ---------------------------------------------------------------------------
async def test_edit_card_inline(tmp_path):
    """enter / i start editing; escape / ctrl+s finish; each edit is one changed line."""
    path = copy_sample(tmp_path)
    prev = path.read_text()
    places = [("search", "thoughts", 0), ("search", "thoughts", 1), ("visit", "thoughts", 0), ("compare", "thoughts", 0)]
    combos = [("enter", "escape"), ("i", "escape"), ("enter", "ctrl+s"), ("i", "ctrl+s")]
    async with editor(path) as (app, pilot):
        for (sid, lid, ci), (start, finish) in zip(places, combos):
            old = card_texts(load(prev), sid, lid)[ci]
            await goto(pilot, app, sid, lid, ci)
            await pilot.press(start)
            assert app._editor is not None, start
            await type_text(pilot, " ok")
            await pilot.press(finish)
            assert app._editor is None, finish
            assert app.focused is app.grid
            text = await wait_saved(pilot, app)
            removed, added = line_diff(prev, text)
            assert len(removed) == len(added) == 1, (start, finish, removed, added)
            assert old in removed[0] and f"{old} ok" in added[0]
            assert card_texts(load(path), sid, lid)[ci] == old + " ok"
            prev = text


async def test_edit_multiline_keeps_tags_and_unchanged_writes_nothing(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("enter", "escape")  # no change: nothing recorded, nothing written
        await quiet(pilot)
        assert not app.history.can_undo()
        assert path.read_text() == (SAMPLES / "joan-vacuum.cjm.toml").read_text()
        await goto(pilot, app, "visit", "thoughts", 0)
        await pilot.press("enter", "enter")
        await type_text(pilot, "line 2")
        await pilot.press("escape")
        await goto(pilot, app, "compare", "pain_points", 0)
        await pilot.press("i", "!", "escape")
        await wait_saved(pilot, app)
    data = load(path)
    assert card_texts(data, "visit", "thoughts") == ["Oh, that's a good price. Is it still in stock?\nline 2"]
    card = stage_of(data, "compare")["pain_points"][0]
    assert card["text"].endswith("decision!")
    assert card["tags"] == ["moment-that-matters"] and card["source"] == "seeds/002 L67"


def _inserted(cells: list[str], index: int, text: str) -> list[str]:
    return cells[:index] + [text] + cells[index:]


async def test_add_card_after_and_before(tmp_path):
    """a / o add after the cursor, A / O before; the file gains exactly one line each time."""
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "search", "thoughts", 0)
        for key, offset, word in [("a", 1, "n1"), ("o", 1, "n2"), ("A", 0, "n3"), ("O", 0, "n4")]:
            ci = app.grid.current()[2]
            cells = card_texts(load(prev), "search", "thoughts")
            await pilot.press(key)
            assert app._editor is not None, key
            await type_text(pilot, word)
            await pilot.press("escape")
            text = await wait_saved(pilot, app)
            assert line_diff(prev, text) == ([], [f'    "{word}",']), key
            assert card_texts(load(path), "search", "thoughts") == _inserted(cells, ci + offset, word), key
            assert app.grid.current() == ("search", "thoughts", ci + offset), key  # the cursor is on the new card
            prev = text


async def test_add_card_at_end_and_in_empty_cell(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "search", "thoughts", 1)
        await pilot.press("a")
        await type_text(pilot, "Last")
        await pilot.press("ctrl+s")
        await pilot.press("s", "a", "U", "enter")  # a new stage has empty cells
        assert app.grid.current()[0] == "u"
        await pilot.press("g", "enter")
        await type_text(pilot, "ob")
        await pilot.press("escape")
        await wait_saved(pilot, app)
    data = load(path)
    assert card_texts(data, "search", "thoughts")[-1] == "Last"
    assert card_texts(data, "u", "actions") == ["ob"]


async def test_empty_new_card_is_discarded(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_bytes()
    async with editor(path) as (app, pilot):
        for keys in (["a"], ["A"], ["o", "space", "space", "enter"]):
            await pilot.press(*keys, "escape")
            assert app._editor is None and app.focused is app.grid, keys
        await quiet(pilot)
        assert not app.history.can_undo()
    assert path.read_bytes() == before


async def test_editing_to_empty_deletes_the_card(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_text()
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "visit", "pain_points", 0)
        await pilot.press("enter", "ctrl+u", "escape")  # ctrl+u: delete to the start of the line
        after = await wait_saved(pilot, app)
    data = load(path)
    assert card_texts(data, "visit", "pain_points") == []
    removed, added = line_diff(before, after)
    assert '    "The page is slow on her phone",' in removed and added == []


async def test_delete_card(tmp_path):
    """d d and delete remove the card under the cursor: one line out of the file."""
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "search", "touchpoints", 1)
        for keys in (["d", "d"], ["delete"]):
            sid, lid, ci = app.grid.current()
            cells = card_texts(load(prev), sid, lid)
            await pilot.press(*keys)
            text = await wait_saved(pilot, app)
            assert line_diff(prev, text) == ([f'    "{cells[ci]}",'], []), keys
            assert card_texts(load(text), sid, lid) == cells[:ci] + cells[ci + 1 :], keys
            prev = text
    assert len(card_texts(load(path), "search", "touchpoints")) == 1


async def test_delete_no_ops(tmp_path):
    """d then another key deletes nothing; delete in an empty cell does nothing."""
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("d", "j")
        assert app.grid.current() == ("search", "actions", 1)
        await pilot.press("s", "a", "E", "enter")
        middle = await wait_saved(pilot, app)
        await pilot.press("d", "d", "delete")
        await quiet(pilot)
        assert len(app.history.undo_stack) == 1
    assert path.read_text() == middle != (SAMPLES / "joan-vacuum.cjm.toml").read_text()


async def test_card_to_next_and_previous_stage(tmp_path):
    """L / shift+right and H / shift+left move the card (tags and source kept); the cursor follows it."""
    path = copy_sample(tmp_path)
    moved = "I would rather just ask somebody who knows."
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "compare", "thoughts", 1)
        for key, where in [("L", "purchase"), ("shift+right", "set_up"), ("H", "purchase"), ("shift+left", "compare")]:
            await pilot.press(key)
            text = await wait_saved(pilot, app)
            assert app.grid.current() == (where, "thoughts", 1), key
            data = load(text)
            assert stage_of(data, where)["thoughts"][1] == {"text": moved, "source": "seeds/002 L67"}, key
            assert sum(card_texts(data, s, "thoughts").count(moved) for s in STAGES) == 1, key
    assert path.read_text() == (SAMPLES / "joan-vacuum.cjm.toml").read_text()


async def test_card_leaving_a_cell_empty(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "visit", "pain_points", 0)
        await pilot.press("H")
        await wait_saved(pilot, app)
        assert app.grid.current() == ("search", "pain_points", 0)
    data = load(path)
    assert "pain_points" not in stage_of(data, "visit")  # an emptied cell leaves no key behind
    assert card_texts(data, "search", "pain_points") == [
        "The page is slow on her phone",
        "Dozens of near-identical models and prices",
        "Ads promise deals that the landing page does not show",
    ]


async def test_card_move_stops_at_the_edges(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_bytes()
    async with editor(path) as (app, pilot):
        await pilot.press("H", "K", "shift+up")  # first stage, first lane, first card
        await pilot.press("dollar_sign", "L", "shift+right")
        await quiet(pilot)
        assert not app.history.can_undo()
    assert path.read_bytes() == before


async def test_card_down_and_up(tmp_path):
    """J / shift+down and K / shift+up reorder within the cell: one line out, one line in."""
    path = copy_sample(tmp_path)
    a, b, c = "Adds the vacuum to the basket", "Is asked to create an account before paying", "Pays by card"
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "purchase", "actions", 0)
        for key, order, ci in [
            ("J", [b, a, c], 1),
            ("shift+down", [b, c, a], 2),
            ("K", [b, a, c], 1),
            ("shift+up", [a, b, c], 0),
        ]:
            await pilot.press(key)
            text = await wait_saved(pilot, app)
            assert app.grid.current() == ("purchase", "actions", ci), key
            assert card_texts(load(path), "purchase", "actions") == order, key
            removed, added = line_diff(prev, text)
            assert sorted(removed) == sorted(added) and len(removed) == 1, key
            prev = text


async def test_card_down_past_the_cell_goes_to_next_lane(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "visit", "thoughts", 0)
        await pilot.press("J")
        await wait_saved(pilot, app)
        assert app.grid.current() == ("visit", "touchpoints", 0)
    data = load(path)
    assert card_texts(data, "visit", "thoughts") == []
    assert card_texts(data, "visit", "touchpoints")[0] == "Oh, that's a good price. Is it still in stock?"


async def test_tag_card(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("t", "x", "escape")  # cancelled: nothing
        assert app.focused is app.grid
        await quiet(pilot)
        assert path.read_text() == before
        await goto(pilot, app, "search", "actions", 1)
        await pilot.press("t")
        await type_text(pilot, "#alpha beta")
        await pilot.press("enter")
        after = await wait_saved(pilot, app)
        # and tags taken off again
        await goto(pilot, app, "purchase", "opportunities", 2)
        await pilot.press("t", "ctrl+u", "enter")
        await wait_saved(pilot, app)
    card = stage_of(load(after), "search")["actions"][1]
    assert card == {"text": "Scans the ads at the top of the results first", "tags": ["alpha", "beta"]}
    removed, added = line_diff(before, after)
    assert removed == ['    "Scans the ads at the top of the results first",'] and len(added) == 1
    assert stage_of(load(path), "purchase")["opportunities"][2] == "Confirmation email that names the delivery day and a phone number"


async def test_card_source(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "search", "actions", 1)
        await pilot.press("e", "s")
        await type_text(pilot, "interview 3")
        await pilot.press("enter")
        await wait_saved(pilot, app)
    assert stage_of(load(path), "search")["actions"][1] == {
        "text": "Scans the ads at the top of the results first",
        "source": "interview 3",
    }


def _editor_script(tmp_path: Path, old: str, new: str) -> str:
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[-1])\n"
        f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n"
    )
    return f"{sys.executable} {script}"


async def test_external_editor_in_run_test(tmp_path, monkeypatch):
    """In run_test the headless driver cannot suspend: the app must say so and change nothing."""
    path = copy_sample(tmp_path)
    before = path.read_bytes()
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", _editor_script(tmp_path, "Scans", "Skims"))
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "search", "actions", 1)
        await pilot.press("E")
        await quiet(pilot)
        assert app.focused is app.grid
    assert path.read_bytes() == before


async def test_external_editor_rewrites_card(tmp_path, monkeypatch):
    """With suspend stubbed (the headless driver has none), E runs $EDITOR on the card's text."""
    from contextlib import nullcontext

    path = copy_sample(tmp_path)
    before = path.read_text()
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", _editor_script(tmp_path, "Scans", "Skims"))
    async with editor(path) as (app, pilot):
        monkeypatch.setattr(app, "suspend", lambda: nullcontext())
        await goto(pilot, app, "search", "actions", 1)
        await pilot.press("E")
        after = await wait_saved(pilot, app)
    assert line_diff(before, after) == (
        ['    "Scans the ads at the top of the results first",'],
        ['    "Skims the ads at the top of the results first",'],
    )


async def test_external_editor_failure_keeps_card(tmp_path, monkeypatch):
    from contextlib import nullcontext

    path = copy_sample(tmp_path)
    before = path.read_bytes()
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "false")
    async with editor(path) as (app, pilot):
        monkeypatch.setattr(app, "suspend", lambda: nullcontext())
        await pilot.press("E")
        await quiet(pilot)
    assert path.read_bytes() == before


# -- emotion -----------------------------------------------------------------------------------
async def test_emotion_up_down_clear(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_text()
    seen = []
    async with editor(path) as (app, pilot):
        # search starts at emotion 0
        for key in ["plus", "plus", "plus", "minus", "minus", "minus", "minus", "minus"]:
            await pilot.press(key)
            text = await wait_saved(pilot, app)
            seen.append(stage_of(load(text), "search").get("emotion"))
            removed, added = line_diff(before, text)
            if seen[-1] == 0:
                assert text == before
            else:
                assert removed == ["emotion = 0"] and added == [f"emotion = {seen[-1]}"], (removed, added)
        assert seen == [1, 2, 2, 1, 0, -1, -2, -2]  # no change past either end
        await pilot.press("equals_sign")
        text = await wait_saved(pilot, app)
        assert "emotion" not in stage_of(load(text), "search")
        assert line_diff(before, text) == (["emotion = 0"], [])
        await pilot.press("minus")
        text = await wait_saved(pilot, app)
        assert stage_of(load(text), "search")["emotion"] == -1
    assert len(app.history.undo_stack) == 1 + 2 + 4 + 1  # the no-ops were not recorded


async def test_emotion_on_the_current_stage_only(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("l", "l", "plus")  # compare: -1 → 0
        await wait_saved(pilot, app)
        assert app.grid.current()[0] == "compare"
        assert "0 neutral" in screen_text(app)
    data = load(path)
    assert [s.get("emotion") for s in data["stages"]] == [0, 1, 0, -2, 1, 2]


async def test_stage_feeling(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("s", "f", "ctrl+u")
        await type_text(pilot, "Bored")
        await pilot.press("enter")
        after = await wait_saved(pilot, app)
        await pilot.press("l", "s", "f", "ctrl+u", "enter")  # cleared
        await wait_saved(pilot, app)
    assert stage_of(load(after), "search")["feeling"] == "Bored"
    assert line_diff(before, after) == (
        ['feeling = "Matter-of-fact: a chore she wants done, hoping for a deal"'],
        ['feeling = "Bored"'],
    )
    assert "feeling" not in stage_of(load(path), "visit")


def _hits(data: dict, needle: str) -> list[tuple[str, str, int]]:
    out = []
    for s in data["stages"]:
        for lid in lane_ids(data):
            for i, text in enumerate(card_texts(data, s["id"], lid)):
                if needle.lower() in text.lower():
                    out.append((s["id"], lid, i))
    return out


async def test_find_next_previous(tmp_path):
    path = copy_sample(tmp_path)
    hits = _hits(load(path), "phone")
    assert len(hits) >= 4
    async with editor(path) as (app, pilot):
        await pilot.press("slash")
        await type_text(pilot, "PHONE")
        await pilot.press("enter")
        assert app.focused is app.grid
        assert app.grid.current() == hits[0]
        for h in hits[1:] + hits[:1]:  # n cycles, wrapping to the first
            await pilot.press("n")
            assert app.grid.current() == h
        await pilot.press("N")
        assert app.grid.current() == hits[-1]
        await pilot.press("N")
        assert app.grid.current() == hits[-2]
        assert cursor_visible(app)


async def test_find_nothing_or_cancelled_keeps_cursor(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("j", "slash")
        await type_text(pilot, "zzzz")
        await pilot.press("enter")
        assert app.grid.current() == ("search", "actions", 1)
        await pilot.press("n")
        assert app.grid.current() == ("search", "actions", 1)
        await pilot.press("slash", "ctrl+u")
        await type_text(pilot, "phone")
        await pilot.press("escape")
        assert app.focused is app.grid
        assert app.grid.current() == ("search", "actions", 1)


# -- help and palette -------------------------------------------------------------------------------
async def test_help_lists_every_action_and_filters(tmp_path):
    from cjm_tui.ui.screens.help import HelpScreen

    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)

        def row_ids():  # each row is keyed by its action id (at 80 columns the id column is left out)
            return [table.coordinate_to_cell_key(Coordinate(i, 0)).row_key.value for i in range(table.row_count)]

        ids = row_ids()
        assert ids == [a.id for a in ACTIONS]
        assert "Move to the previous stage" in screen_text(app)
        await type_text(pilot, "redo")
        ids = row_ids()
        assert ids == ["redo"]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        assert app.focused is app.grid
        await pilot.press("j")
        assert app.grid.current() == ("search", "actions", 1)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_shows_the_highlighted_actions_id_at_80_columns(tmp_path):
    # the id is what settings.toml [keys] remaps: it must be readable on a small terminal
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert "id left: remap in settings.toml [keys]" in screen_text(app)
        await pilot.press("down", "down")  # browse from the search box
        assert "id down: remap" in screen_text(app)
        await type_text(pilot, "hidden")
        await pilot.pause()
        text = screen_text(app)
        assert "r s  Show hidden lanes" in text and "id show_lanes: remap" in text
        await type_text(pilot, "zzz")
        await pilot.pause()
        assert "No key or action matches." in screen_text(app)


async def test_palette_runs_add_stage(tmp_path):
    from textual.command import CommandPalette

    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("colon")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette) and app.focused is app.grid
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Add a stage")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        prompt = app.screen.query_one("#prompt")
        assert prompt.has_class("visible")
        assert type(app.focused).__name__ == "PromptInput"
        assert "New stage name:" in screen_text(app)
        await type_text(pilot, "Pal")
        await pilot.press("enter")
        await wait_saved(pilot, app)
    assert stage_ids(load(path))[1] == "pal"


# -- quitting ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_quit_saves_at_once(tmp_path, key):
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=30) as (app, pilot):
        await pilot.press("plus")
        assert app.saver.state == "unsaved"
        await pilot.press(key)
        await pilot.pause()
        assert app._exit
    assert stage_of(load(path), "search")["emotion"] == 1


async def test_quit_with_open_card_editor_keeps_text(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=30) as (_app, pilot):
        await pilot.press("a")
        await type_text(pilot, "typed")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert card_texts(load(path), "search", "actions")[1] == "typed"


# -- resize ------------------------------------------------------------------------------------------
async def test_resize_keeps_cursor(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("dollar_sign", "G", "j")
        where = app.grid.current()
        assert where == ("review", "offstage", 0) or where[:2] == ("review", "offstage")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert app.grid.current() == where
        assert cursor_visible(app)
        assert "Review" in screen_text(app).splitlines()[1]
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert app.grid.current() == where and cursor_visible(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.grid.current() == where and cursor_visible(app)
        await pilot.press("0", "g")
        assert app.grid.current() == ("search", "actions", 0) and cursor_visible(app)


async def test_height_only_resize_keeps_cursor_in_view(tmp_path):
    # a change of height keeps the columns (no new layout) but must still scroll
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("G")
        where = app.grid.current()
        assert where[1] == "offstage" and app.grid.top > 0
        await pilot.resize_terminal(80, 12)
        await pilot.pause()
        assert app.grid.current() == where and cursor_visible(app)
        assert "Off-stage" in screen_text(app)
        # taller: the view scrolls back so no blank rows hang under the last lane
        await pilot.resize_terminal(80, 60)
        await pilot.pause()
        g = app.grid
        assert g.current() == where and cursor_visible(app)
        assert g.top == max(0, g.body.total - g.body_height)
        await pilot.press("g")
        assert app.grid.current()[1] == "actions" and cursor_visible(app)


def editor_rows(app) -> tuple[int, int, int, int]:
    """(x, top, width, height) of the open card editor on screen."""
    r = app._editor.region
    return r.x, r.y, r.width, r.height


def row_of(app, text: str) -> int:
    """The screen row showing *text* (its first words)."""
    rows = [i for i, line in enumerate(screen_text(app).splitlines()) if text in line]
    assert rows, f"{text!r} is not on screen"
    return rows[0]


async def test_the_card_editor_makes_room_instead_of_hiding_cards(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        below = row_of(app, "Scans the ads at the top of")
        await pilot.press("a")  # a new card after the first: the second moves down
        await pilot.pause()
        x, top, width, height = editor_rows(app)
        assert row_of(app, "Scans the ads at the top of") >= top + height
        assert top >= below
        await type_text(pilot, "one two three four five six seven eight nine ten eleven twelve")
        await pilot.pause()
        _, top2, _, height2 = editor_rows(app)
        assert top2 == top and height2 > height  # the room grows with the text
        assert row_of(app, "Scans the ads at the top of") >= top2 + height2
        await pilot.press("escape")
        text = await wait_saved(pilot, app)
    assert card_texts(load(text), "search", "actions")[1].startswith("one two three")


async def test_resizing_while_editing_keeps_the_editor_on_its_card(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("l", "l", "enter")  # Browse and compare, first card
        await type_text(pilot, " MORE")
        for size in ((100, 30), (60, 20), (160, 48)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            g = app.grid
            x, top, width, height = editor_rows(app)
            col = g.cursor.stage - g.first_col
            assert 0 <= col < g.n_visible
            assert x == g.region.x + g.lane_w + col * g.stage_w and width == g.stage_w - 1, size
            a, b = g.body.gap_rows
            assert top == g.region.y + 3 + a - g.top and height >= 1, size
        await pilot.press("escape")
        text = await wait_saved(pilot, app)
    assert card_texts(load(text), "compare", "actions")[0].endswith(" MORE")


async def test_a_click_on_the_grid_while_editing_keeps_the_text(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=30) as (app, pilot):
        await pilot.press("enter")
        await type_text(pilot, " CLICKED")
        await pilot.click("#grid", offset=(2, 10))  # focus leaves the editor for the grid
        await pilot.pause()
        assert app._editor is None and app.focused is app.grid
        assert app.history.map.stage("search").peek("actions")[0].text.endswith(" CLICKED")
        await pilot.press("enter")  # a new edit opens as usual
        await pilot.pause()
        assert app._editor is not None
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
    assert card_texts(load(path), "search", "actions")[0].endswith(" CLICKED")


async def test_the_editor_follows_its_card_when_the_map_changes_under_it(tmp_path):
    # an outside change merged while editing puts a card above the one being edited
    from cjm_tui.model import Card, ops

    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("j", "enter")  # Search › Actions, second card
        await type_text(pilot, " MINE")
        before = editor_rows(app)
        app.history.do(ops.InsertCard("search", "actions", 0, Card("Arrived from elsewhere, a long card that wraps onto lines")))
        app._after_change(None)
        await pilot.pause()
        g = app.grid
        a, b = g.body.gap_rows
        assert app._editing[2] == 2  # now the third card
        x, top, width, height = editor_rows(app)
        assert top == g.region.y + 3 + a - g.top and top > before[1]
        assert "Goes to a search engine" in screen_text(app)  # nothing hidden under it
        await pilot.press("escape")
        text = await wait_saved(pilot, app)
    assert card_texts(load(text), "search", "actions")[2].endswith(" MINE")


# -- the prompt bar ---------------------------------------------------------------------------------
async def test_prompt_is_visible_on_screen(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("s", "a")
        await pilot.pause()
        assert type(app.focused).__name__ == "PromptInput"
        assert "New stage name:" in screen_text(app)
        await type_text(pilot, "Xy")
        assert "Xy" in screen_text(app)


async def test_help_intro_shows_keys_section_literally(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("question_mark")
        assert "[keys]" in screen_text(app)


# -- the status line at 80 columns ------------------------------------------------------------------
async def test_status_line_keeps_the_card_count_at_80_columns(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("l", "l", "G")  # Browse and compare, Off-stage: long names
        line = status_line(app)
        n = len(app.history.map.stage("compare").peek("offstage"))
        assert f" 1/{n}" in line and "›" in line, line
        assert " ⏎ edit" in line or "  ⏎ edit" in line, line  # a space before the hints
    async with editor(path, size=(50, 15)) as (app, pilot):
        assert "1/2" in status_line(app), status_line(app)


async def test_a_pending_sequence_lists_every_next_key_at_80_columns(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        for first, wanted in (("s", ("f ", "a add", "A before", "r rename", "d delete", "h/l move", "q question")),
                              ("r", ("a add", "r rename", "d delete", "k/j move", "h hide", "s show", "q question"))):
            await pilot.press(first)
            line = status_line(app)
            assert all(w in line for w in wanted), line
            await pilot.press("escape")


async def test_a_new_search_replaces_the_last_one(tmp_path):
    # / opens with the last search selected: typing starts afresh, Enter repeats it
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("slash")
        await type_text(pilot, "vacuum")
        await pilot.press("enter")
        await pilot.press("slash")
        await type_text(pilot, "deal on")
        await pilot.press("enter")
        await pilot.pause()
        assert app.grid.find_text == "deal on" and app.grid.current()[1] == "thoughts"
        await pilot.press("slash", "enter")
        assert app.grid.find_text == "deal on"


async def test_wide_stage_names_are_measured_in_cells_on_the_status_line(tmp_path):
    path = copy_sample(tmp_path)
    text = path.read_text(encoding="utf-8").replace('name = "Search"', 'name = "検索する"', 1)
    path.write_text(text, encoding="utf-8")
    async with editor(path, size=(100, 30)) as (app, pilot):
        assert "検索する › Actions 1/2" in status_line(app), status_line(app)


async def test_a_title_too_long_for_the_line_ends_in_an_ellipsis(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(60, 20)) as (app, pilot):
        title = screen_text(app).splitlines()[0]
        assert title.endswith("…") and len(title) <= 60 and title.startswith(" Joan buys a new vacuum")


# -- from a new-user walkthrough at 80x24 --------------------------------------------------------
async def test_delete_leaves_the_cursor_on_the_card_that_took_its_place(tmp_path):
    # as vim's dd: a second delete takes the next card down, not the one above
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "search", "touchpoints", 0)
        await pilot.press("d", "d")
        assert app.grid.current() == ("search", "touchpoints", 0)
        await pilot.press("d", "d")
        text = await wait_saved(pilot, app)
    assert card_texts(load(text), "search", "touchpoints") == ["Manufacturer listings in the results"]


async def test_renaming_a_stage_keeps_the_cursor_on_its_card(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "search", "touchpoints", 2)
        await pilot.press("s", "r")
        await type_text(pilot, " online")
        await pilot.press("enter")
        await wait_saved(pilot, app)
        assert app.grid.current() == ("search", "touchpoints", 2)
        assert status_line(app).endswith("3/3 ⏎ edit  a add  ? help")


async def test_short_messages_go_to_the_status_line_not_toasts(tmp_path):
    # a held key must not pile toasts over the cards; the last message is on the status line
    path = copy_sample(tmp_path)
    async with editor(path, notifications=True) as (app, pilot):
        await pilot.press(*["ctrl+r"] * 8)
        await pilot.pause()
        assert "Nothing to redo" in status_line(app)
        assert not app._notifications
        await pilot.press("j")  # the next key clears it, as in vim
        assert "Nothing to redo" not in status_line(app) and "2/2" in status_line(app)


async def test_undo_names_the_change_it_takes_back(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("s", "d")
        assert "Stage Search deleted (u to undo)" in status_line(app)
        await pilot.press("u")
        await pilot.pause()
        assert "Undid: delete stage Search" in status_line(app)
        assert "add stage" not in status_line(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Redid: delete stage Search" in status_line(app)


async def test_a_message_too_long_for_the_status_line_is_still_said(tmp_path):
    # a long file name and stage name at 80 columns: the message takes the line, cut with …
    path = tmp_path / "edinburgh-old-town-walking-tour-current-state-v2.cjm.toml"
    shutil.copyfile(SAMPLES / "joan-vacuum.cjm.toml", path)
    async with editor(path) as (app, pilot):
        await pilot.press("s", "r")
        await type_text(pilot, " with a long name")
        await pilot.press("enter", "s", "d")
        await pilot.pause()
        assert status_line(app).startswith(" Stage Search with a long name deleted (u to undo)")
        await pilot.press("u", "s", "r")
        await type_text(pilot, " that goes on and on, past the edge of the screen")
        await pilot.press("enter", "s", "d")
        await pilot.pause()
        line = status_line(app)
        assert line.startswith(" Stage Search with a long name that goes on") and line.rstrip().endswith("…"), line


async def test_lane_names_stay_in_view_and_more_below_is_shown(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        rows = screen_text(app).splitlines()
        body = rows[4:-6]  # between the stage headers and the curve
        assert body[-1].startswith(" ▼ more below")
        await goto(pilot, app, "set_up", "touchpoints", 2)  # the Actions lane's top scrolls away
        assert app.grid.top > app.grid.body.lane_start[0]
        rows = screen_text(app).splitlines()
        assert rows[4].startswith(" Actions "), rows[4]
        await pilot.press(*["pagedown"] * 8)
        assert not any(r.startswith(" ▼ more below") for r in screen_text(app).splitlines())


async def test_an_empty_cell_says_so(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(120, 40)) as (app, pilot):
        await pilot.press("r", "a")
        await type_text(pilot, "Feelings")
        await pilot.press("enter")
        await pilot.pause()
        assert app.grid.current()[1] == "feelings"
        assert "Feelings empty" in status_line(app)
        assert "(empty: press a to add a card)" in screen_text(app)


async def test_the_palette_has_cjm_themes_and_keys_not_textuals(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, _pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
    assert "Theme" not in titles and "Keys" not in titles  # Textual's own: other themes, other keys
    assert "Screenshot" not in titles
    assert "Help: every key" in titles
    assert titles.count("Quit") == 1  # cjm's, which saves first


async def test_page_down_at_the_end_lands_on_a_card_that_starts_on_screen(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press(*["pagedown"] * 6)
        g = app.grid
        a, _b = g._card_span(g.cursor)
        assert g.top <= a, (g.top, a)  # the card's first line is on screen
        assert not any(r.startswith(" ▼") for r in screen_text(app).splitlines())


async def test_more_below_shows_on_a_rule_line_and_names_a_lane_starting_there(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 20)) as (app, pilot):
        g = app.grid
        for top in range(0, g.body.total - g.body_height - 1):  # (the rule under the last lane does not count)
            g.top = top
            g.refresh()
            await pilot.pause()
            last = screen_text(app).splitlines()[3 + g.body_height]  # the grid's last line
            line = top + g.body_height - 1
            li = g.body.lane_at(line)
            if line == g.body.lane_start[li]:
                name = g.body.lane_name_lines[g.body.lanes[li].id][0]
                # " ▼ Name", or "▼Name" when the name needs the room: the name always whole
                assert last.split("│")[0].strip() in ("▼ " + name, "▼" + name), (top, last)
            else:
                assert last.startswith(" ▼ more below"), (top, last)
