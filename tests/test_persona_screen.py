"""`p`: the persona and scenario panel (issue 4 item 2), driven from the keyboard and
checked against the file on disk after each autosave."""

from __future__ import annotations

import tomllib

import pytest
from test_editor_keys import copy_sample, editor, type_text, wait_saved
from textual.widgets import DataTable, TextArea

from cjm_tui.ui.screens.persona import PersonaScreen, TextEditScreen

# joan-vacuum's rows, top to bottom (the fixed fields, then the persona's other fields in file order)
ROWS = [
    "map.title",
    "map.kind",
    "map.scenario",
    "map.goal",
    "map.timescale",
    "persona.name",
    "persona.role",
    "persona.quote",
    "persona.goals",
    "persona.frustrations",
    "map.notes",
    "other.age",
    "other.family_status",
    "other.professional_goals",
    "other.personal_goals",
    "other.preferred_channels",
]


def table(app) -> DataTable:
    return app.screen.query_one("#persona-table", DataTable)


def row_key(app) -> str:
    t = table(app)
    return t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value


async def go_to(pilot, app, key: str) -> None:
    """Move the cursor to row *key* with j/k (one press a row)."""
    keys = [k for k, *_ in app.screen.rows()]
    here, there = table(app).cursor_row, keys.index(key)
    presses = ["j"] * (there - here) if there > here else ["k"] * (here - there)
    if presses:
        await type_text(pilot, "".join(presses))  # one burst: pilot.press idles after each key
    assert row_key(app) == key


async def edit_row(pilot, app, key: str, lines: list[str]) -> None:
    """Enter on row *key*, replace the box's text with *lines*, Esc to keep it."""
    await go_to(pilot, app, key)
    await pilot.press("enter")
    assert isinstance(app.screen, TextEditScreen)
    await pilot.press("f7")  # TextArea: select all, so typing replaces
    for i, line in enumerate(lines):
        if i:
            await pilot.press("enter")
        await type_text(pilot, line)
    await pilot.press("escape")
    assert isinstance(app.screen, PersonaScreen)


async def saved(pilot, app) -> dict:
    return tomllib.loads(await wait_saved(pilot, app))


def shown(app, key: str) -> str:
    """The value cell of row *key* as shown."""
    t = table(app)
    return str(t.get_cell(key, "value"))


async def test_persona_panel_edits_every_field_undo_redo_and_back(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(100, 40)) as (app, pilot):
        grid = app.grid
        await pilot.press("p")
        assert isinstance(app.screen, PersonaScreen)
        assert [k for k, *_ in app.screen.rows()] == ROWS
        assert row_key(app) == "map.title"
        assert "Joan" in shown(app, "persona.name")

        # moving: j/k and the arrows
        await pilot.press("j", "j")
        assert row_key(app) == "map.scenario"
        await pilot.press("down")
        assert row_key(app) == "map.goal"
        await pilot.press("up", "k")
        assert row_key(app) == "map.kind"

        # kind cycles with Enter: current → future → day in the life → blueprint → current
        await pilot.press("enter")
        assert (await saved(pilot, app))["kind"] == "future"
        assert "future state" in shown(app, "map.kind")
        await pilot.press("enter")
        assert (await saved(pilot, app))["kind"] == "day-in-the-life"

        # text fields
        await edit_row(pilot, app, "persona.name", ["Joanna"])
        data = await saved(pilot, app)
        assert data["persona"]["name"] == "Joanna"
        await edit_row(pilot, app, "persona.role", ["Head of nursing"])
        assert (await saved(pilot, app))["persona"]["role"] == "Head of nursing"
        await edit_row(pilot, app, "persona.quote", ["Just tell me which one.", "And when it comes."])
        assert (await saved(pilot, app))["persona"]["quote"] == "Just tell me which one.\nAnd when it comes."

        # lists: one item a line, blank lines dropped
        await edit_row(pilot, app, "persona.goals", ["Be done tonight", "", "Pay a fair price"])
        data = await saved(pilot, app)
        assert data["persona"]["goals"] == ["Be done tonight", "Pay a fair price"]
        assert "• Be done tonight" in shown(app, "persona.goals")
        await edit_row(pilot, app, "persona.frustrations", ["Jargon"])
        assert (await saved(pilot, app))["persona"]["frustrations"] == ["Jargon"]

        # the map's lens
        await edit_row(pilot, app, "map.scenario", ["Her vacuum broke on Sunday."])
        assert (await saved(pilot, app))["scenario"] == "Her vacuum broke on Sunday."
        await edit_row(pilot, app, "map.goal", ["Fewer abandoned checkouts"])
        assert (await saved(pilot, app))["goal"] == "Fewer abandoned checkouts"
        await edit_row(pilot, app, "map.timescale", ["One week"])
        assert (await saved(pilot, app))["timescale"] == "One week"
        await edit_row(pilot, app, "map.notes", ["From the Qualtrics example."])
        assert (await saved(pilot, app))["notes"] == "From the Qualtrics example."

        # a new "other" field: a, its name, then its value
        await pilot.press("a")
        assert isinstance(app.screen, TextEditScreen)
        await type_text(pilot, "Favourite shop")
        await pilot.press("escape")
        assert isinstance(app.screen, TextEditScreen)  # now the value
        await type_text(pilot, "The one with the chat")
        await pilot.press("escape")
        assert isinstance(app.screen, PersonaScreen)
        data = await saved(pilot, app)
        assert data["persona"]["favourite_shop"] == "The one with the chat"
        assert "other.favourite_shop" in [k for k, *_ in app.screen.rows()]

        # clear one with x; undo (u) brings it back, redo (ctrl+r) clears it again
        before_clear = await wait_saved(pilot, app)
        await go_to(pilot, app, "other.age")
        await pilot.press("x")
        data = await saved(pilot, app)
        assert "age" not in data["persona"]
        assert "other.age" not in [k for k, *_ in app.screen.rows()]
        await pilot.press("u")
        data = await saved(pilot, app)
        assert data["persona"]["age"] == "43"
        assert tomllib.loads(before_clear) == data
        await pilot.press("ctrl+r")
        assert "age" not in (await saved(pilot, app))["persona"]

        # clearing a fixed field empties it; undo walks back through the edits
        await go_to(pilot, app, "persona.role")
        await pilot.press("x")
        assert (await saved(pilot, app))["persona"].get("role", "") == ""
        await pilot.press("u")
        assert (await saved(pilot, app))["persona"]["role"] == "Head of nursing"
        await pilot.press("u")  # the cleared age (redone) comes back
        assert (await saved(pilot, app))["persona"]["age"] == "43"
        await pilot.press("u")  # the added field goes
        assert "favourite_shop" not in (await saved(pilot, app))["persona"]
        await pilot.press("ctrl+r")
        assert (await saved(pilot, app))["persona"]["favourite_shop"] == "The one with the chat"
        assert "The one with the chat" in shown(app, "other.favourite_shop")

        # ctrl+g cancels an edit: nothing changes
        await go_to(pilot, app, "persona.name")
        text_before = await wait_saved(pilot, app)
        await pilot.press("enter")
        await pilot.press("f7")
        await type_text(pilot, "Nobody")
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, PersonaScreen)
        assert app.document.render() == text_before
        assert app.history.map.persona.name == "Joanna"

        # Esc: back to the grid, which has the focus
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PersonaScreen)
        assert app.focused is grid
        assert grid.display and grid.region.height > 0
        # grid keys work again
        await pilot.press("l")
        assert app.grid.current()[0] == "visit"

    final = tomllib.loads(path.read_text(encoding="utf-8"))
    assert final["persona"]["name"] == "Joanna"
    assert final["persona"]["goals"] == ["Be done tonight", "Pay a fair price"]


async def test_persona_undo_reaches_the_grid_and_p_toggles_back(tmp_path):
    """Persona edits share the grid's history: u in the grid undoes them too."""
    path = copy_sample(tmp_path)
    original = tomllib.loads(path.read_text(encoding="utf-8"))
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("p")
        await edit_row(pilot, app, "persona.name", ["Jo"])
        assert (await saved(pilot, app))["persona"]["name"] == "Jo"
        await pilot.press("p")  # p again: back to the grid
        assert not isinstance(app.screen, PersonaScreen)
        assert app.focused is app.grid
        await pilot.press("u")
        data = await saved(pilot, app)
        assert data == original
        # the edit box shows the value as it is and the row its label
        await pilot.press("p")
        await go_to(pilot, app, "persona.goals")
        await pilot.press("enter")
        area = app.screen.query_one(TextArea)
        assert area.text == "\n".join(original["persona"]["goals"])
        await pilot.press("escape")
        assert app.document.render() == path.read_text(encoding="utf-8")


def title_bar(app) -> str:
    return str(app.screen.query_one("#titlebar").render())


async def test_title_bar_shows_persona_edits_after_esc(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        assert "Joan, Hospital director" in title_bar(app) and "current state" in title_bar(app)
        await pilot.press("p")
        await edit_row(pilot, app, "persona.name", ["Joanna"])
        await go_to(pilot, app, "map.kind")
        await pilot.press("enter")  # current -> future
        await saved(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Joanna, Hospital director" in title_bar(app)
        assert "future state" in title_bar(app)


async def test_two_backs_in_one_burst_leave_the_editor_open(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, PersonaScreen)
        screen.action_back()
        screen.action_back()  # the second finds the editor on top: nothing to leave
        await pilot.pause()
        assert app.screen is not screen and app.focused is app.grid


async def test_long_values_wrap_to_the_screen_instead_of_running_off_it(tmp_path):
    from screen import screen_text

    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("p")
        await pilot.pause()
        text = screen_text(app)
        assert all(len(line) <= 80 for line in text.splitlines())
        flat = " ".join(line[19:].strip() for line in text.splitlines())
        assert "have it working at home within the week." in " ".join(flat.split())
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        text = screen_text(app)
        assert "never used, quickly and without regret, and have it working at home within the week." in text
