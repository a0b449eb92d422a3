"""Undo and redo from the keyboard: the file on disk goes back byte for byte."""

from __future__ import annotations

from test_editor_keys import (
    SAMPLES,
    STAGES,
    card_texts,
    copy_sample,
    editor,
    goto,
    load,
    quiet,
    stage_ids,
    type_text,
    wait_saved,
)

ORIGINAL = (SAMPLES / "joan-vacuum.cjm.toml").read_text()


async def test_undo_redo_card_edit_every_key(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await goto(pilot, app, "search", "thoughts", 0)
        await pilot.press("enter")
        await type_text(pilot, " z")
        await pilot.press("escape")
        edited = await wait_saved(pilot, app)
        assert edited != ORIGINAL
        for undo, redo in [("u", "ctrl+r"), ("ctrl+z", "ctrl+y")]:
            await pilot.press(undo)
            assert await wait_saved(pilot, app) == ORIGINAL, undo
            await pilot.press(redo)
            assert await wait_saved(pilot, app) == edited, redo
    assert card_texts(load(path), "search", "thoughts")[0].endswith(" z")


async def test_undo_add_and_delete_card(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("a")
        await type_text(pilot, "new")
        await pilot.press("escape")
        await wait_saved(pilot, app)
        await pilot.press("d", "d", "d", "d")  # deletes "new" then the card before it
        await wait_saved(pilot, app)
        assert len(card_texts(load(path), "search", "actions")) == 1
        await pilot.press("u")
        await wait_saved(pilot, app)
        assert card_texts(load(path), "search", "actions")[0].startswith("Goes to a search engine")
        await pilot.press("u", "u")
        assert await wait_saved(pilot, app) == ORIGINAL
        await pilot.press("u")  # nothing left to undo
        await quiet(pilot, 0.1)
        assert path.read_text() == ORIGINAL
        assert app.grid.current()[:2] == ("search", "actions")


async def test_undo_delete_stage_restores_its_cards(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("l", "l", "s", "d")
        text = await wait_saved(pilot, app)
        assert "compare" not in stage_ids(load(text))
        await pilot.press("0", "u")
        assert await wait_saved(pilot, app) == ORIGINAL
        assert app.grid.current()[0] == "compare"  # the cursor goes to what came back
        await pilot.press("ctrl+y")
        assert await wait_saved(pilot, app) == text
        await pilot.press("ctrl+z")
        assert await wait_saved(pilot, app) == ORIGINAL
    assert path.read_bytes() == (SAMPLES / "joan-vacuum.cjm.toml").read_bytes()


async def test_undo_delete_lane_restores_its_cards(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("G", "r", "d")
        text = await wait_saved(pilot, app)
        assert "offstage" not in text
        await pilot.press("u")
        assert await wait_saved(pilot, app) == ORIGINAL
        await pilot.press("ctrl+r")
        assert await wait_saved(pilot, app) == text


async def test_new_edit_after_undo_drops_redo(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("plus", "u", "minus")
        after = await wait_saved(pilot, app)
        await pilot.press("ctrl+r")  # nothing to redo any more
        await quiet(pilot, 0.1)
        assert path.read_text() == after
    assert load(path)["stages"][0]["emotion"] == -1


async def test_u_in_a_prompt_is_text_not_undo(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("plus")
        await wait_saved(pilot, app)
        await pilot.press("s", "a", "u", "enter")
        await wait_saved(pilot, app)
        await pilot.press("a", "u", "escape")
        await wait_saved(pilot, app)
    data = load(path)
    assert data["stages"][0]["emotion"] == 1
    assert stage_ids(data)[1] == "u"
    assert card_texts(data, "u", "actions") == ["u"]


# twenty-odd edits of every kind, each a key sequence from the grid; ("text",) is typed


async def run_keys(pilot, seq) -> None:
    for item in seq:
        if isinstance(item, tuple):
            await type_text(pilot, item[0])
        else:
            await pilot.press(item)
MIXED = [
    ["plus"],
    ["a", ("one",), "escape"],
    ["j", "enter", (" two",), "escape"],
    ["d", "d"],
    ["L"],
    ["J"],
    ["s", "a", ("Nw",), "enter"],
    ["s", "r", "ctrl+u", ("Mid",), "enter"],
    ["g", "r", "a", ("Ln",), "enter"],
    ["r", "r", "ctrl+u", ("La",), "enter"],
    ["g", "j", "j", "r", "h"],
    ["r", "k"],
    ["minus"],
    ["dollar_sign", "t", ("tg",), "enter"],
    ["s", "h"],
    ["H"],
    ["0", "g", "A", ("b4",), "escape"],
    ["l", "l", "s", "d"],
    ["G", "r", "d"],
    ["equals_sign"],
    ["K"],
    ["r", "s"],
]


async def test_long_sequence_undo_all_redo_all(tmp_path):
    path = copy_sample(tmp_path)
    states = [ORIGINAL]
    # saves come after a quiet 0.2 s, as they would for a person typing; the disk is checked every few steps
    async with editor(path, autosave_delay=0.2) as (app, pilot):
        for i, keys in enumerate(MIXED):
            n = len(app.history.undo_stack)
            await run_keys(pilot, keys)
            assert app.focused is app.grid, keys
            text = await wait_saved(pilot, app) if i % 4 == 3 else app.document.render()
            if len(app.history.undo_stack) > n:
                assert len(app.history.undo_stack) == n + 1, keys
                states.append(text)
            else:
                assert text == states[-1], keys
        assert await wait_saved(pilot, app) == states[-1]
        assert len(states) - 1 >= 20, "most steps must be edits"
        after = states[-1]
        # undo one at a time: the map passes back through every state (the disk checked halfway)
        for i, expected in enumerate(reversed(states[:-1])):
            await pilot.press("u" if i % 2 else "ctrl+z")
            assert app.document.render() == expected, i
            if i == 9:
                assert await wait_saved(pilot, app) == expected, i
        assert await wait_saved(pilot, app) == ORIGINAL
        assert path.read_bytes() == (SAMPLES / "joan-vacuum.cjm.toml").read_bytes()
        # redo all, with both redo keys
        for i, expected in enumerate(states[1:]):
            await pilot.press("ctrl+r" if i % 2 else "ctrl+y")
            assert app.document.render() == expected, i
            if i == 9:
                assert await wait_saved(pilot, app) == expected, i
        assert await wait_saved(pilot, app) == after
        await pilot.press("ctrl+r")  # nothing more to redo
        await quiet(pilot)
    assert path.read_text() == after
    assert stage_ids(load(path)) != STAGES
