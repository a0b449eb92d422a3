"""Stages and lanes from the keyboard (`s …` and `r …` sequences), checked in the saved file."""

from __future__ import annotations

from test_editor_keys import (
    LANES,
    SAMPLES,
    STAGES,
    card_texts,
    copy_sample,
    editor,
    goto,
    lane_ids,
    line_diff,
    load,
    quiet,
    screen_text,
    stage_ids,
    stage_of,
    status_line,
    type_text,
    wait_saved,
)

ORIGINAL = (SAMPLES / "joan-vacuum.cjm.toml").read_text()


def lane_of(data: dict, lane_id: str) -> dict:
    return next(lane for lane in data["lanes"] if lane["id"] == lane_id)


# -- stages ------------------------------------------------------------------------------------
async def test_add_stage_after_and_before(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("s", "a")
        await type_text(pilot, "Unbox")
        await pilot.press("enter")
        text = await wait_saved(pilot, app)
        assert stage_ids(load(text)) == ["search", "unbox"] + STAGES[1:]
        removed, added = line_diff(prev, text)
        assert removed == [] and 'id = "unbox"' in added and 'name = "Unbox"' in added
        assert "[[stages]]" in added and len(added) <= 4
        assert app.grid.current()[0] == "unbox"  # the cursor goes to the new stage
        prev = text

        await pilot.press("dollar_sign", "s", "A")
        await type_text(pilot, "Wait")
        await pilot.press("enter")
        text = await wait_saved(pilot, app)
        assert stage_ids(load(text)) == ["search", "unbox"] + STAGES[1:-1] + ["wait", "review"]
        assert line_diff(prev, text)[0] == []
        assert app.grid.current()[0] == "wait"
        prev = text

        await pilot.press("dollar_sign", "s", "a")
        await type_text(pilot, "End")
        await pilot.press("enter")
        text = await wait_saved(pilot, app)
        assert stage_ids(load(text))[-1] == "end"
        # the header shows the new stage
        assert "End" in screen_text(app).splitlines()[1]


async def test_cancelled_or_empty_prompts_change_nothing(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_bytes()
    async with editor(path) as (app, pilot):
        await pilot.press("s", "a")
        await type_text(pilot, "No")
        await pilot.press("escape")
        assert app.focused is app.grid
        await pilot.press("s", "A", "enter")
        await pilot.press("s", "a", "space", "enter")
        await pilot.press("s", "r", "enter")  # the same name
        await pilot.press("s", "r", "ctrl+u", "enter")  # an empty name is refused
        await pilot.press("r", "a", "x", "escape", "r", "a", "enter")
        await pilot.press("r", "s")  # no lane hidden
        await quiet(pilot)
        assert not app.history.can_undo()
    assert path.read_bytes() == before


async def test_add_stage_with_existing_name_gets_a_new_id(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("s", "a")
        await type_text(pilot, "Search")
        await pilot.press("enter")
        await wait_saved(pilot, app)
    data = load(path)
    ids = stage_ids(data)
    assert len(ids) == len(set(ids)) == 7
    assert data["stages"][1]["name"] == "Search" and ids[1] != "search"


async def test_rename_stage_keeps_id(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("l", "l", "s", "r")
        assert app.screen.query_one("#prompt-input").value == "Browse and compare"
        await pilot.press("ctrl+u")
        await type_text(pilot, "Compare")
        await pilot.press("enter")
        text = await wait_saved(pilot, app)
        assert "Compare" in screen_text(app).splitlines()[1]
    assert line_diff(prev, text) == (['name = "Browse and compare"'], ['name = "Compare"'])
    assert stage_ids(load(path)) == STAGES
    assert stage_of(load(path), "compare")["name"] == "Compare"


async def test_delete_stage(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("l", "l", "s", "d")
        text = await wait_saved(pilot, app)
        assert app.grid.current()[0] in ("visit", "purchase")
        grid_text, status = screen_text(app).rstrip("\n").rsplit("\n", 1)
        assert "Browse and compare" not in grid_text
        assert "Stage Browse and compare deleted (u to undo)" in status
    assert stage_ids(load(path)) == ["search", "visit", "purchase", "set_up", "review"]
    removed, added = line_diff(prev, text)
    assert added == [] and 'id = "compare"' in removed
    assert '    "Product comparison table",' in removed


async def test_delete_every_stage(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        for _ in STAGES:
            await pilot.press("s", "d")
        await wait_saved(pilot, app)
        assert app.grid.current()[0] is None
        assert load(path)["stages"] == [] if "stages" in load(path) else True
        await pilot.press("a", "enter", "d", "d", "plus")  # card keys need a stage: nothing happens
        await pilot.press("s", "a")
        await type_text(pilot, "Again")
        await pilot.press("enter")
        await wait_saved(pilot, app)
        assert app.grid.current()[0] == "again"
    assert stage_ids(load(path)) == ["again"]
    assert lane_ids(load(path)) == LANES


async def test_no_stages_hint_is_readable(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        for _ in STAGES:
            await pilot.press("s", "d")
        await pilot.pause()
        assert "press s then a" in screen_text(app)


async def test_move_stage_left_right(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("l", "s", "h")
        text = await wait_saved(pilot, app)
        assert stage_ids(load(text)) == ["visit", "search"] + STAGES[2:]
        assert app.grid.current()[0] == "visit"  # the cursor follows the stage
        assert line_diff(prev, text)[0] and sorted(line_diff(prev, text)[0]) == sorted(line_diff(prev, text)[1])
        await pilot.press("s", "h")  # already first: nothing
        await pilot.press("s", "l", "s", "l")
        text = await wait_saved(pilot, app)
        assert stage_ids(load(text)) == ["search", "compare", "visit"] + STAGES[3:]
        assert app.grid.current()[0] == "visit"
        await pilot.press("dollar_sign", "s", "l")  # already last: nothing
        await pilot.press("0", "l", "l", "s", "h")
        text = await wait_saved(pilot, app)
        assert len(app.history.undo_stack) == 4
    assert text == ORIGINAL


async def test_stage_question(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("l", "s", "q")
        await type_text(pilot, "Why?")
        await pilot.press("enter")
        text = await wait_saved(pilot, app)
    assert stage_of(load(path), "visit")["question"] == "Why?"
    assert line_diff(prev, text) == ([], ['question = "Why?"'])


# -- lanes ------------------------------------------------------------------------------------
async def test_add_lane(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("j", "j", "r", "a")  # on thoughts
        await type_text(pilot, "Feelings")
        await pilot.press("enter")
        text = await wait_saved(pilot, app)
        assert app.grid.current()[1] == "feelings"
        assert "Feelings" in screen_text(app)
    assert lane_ids(load(path)) == ["actions", "thoughts", "feelings"] + LANES[2:]
    removed, added = line_diff(prev, text)
    assert removed == [] and 'id = "feelings"' in added and 'name = "Feelings"' in added and len(added) <= 4


async def test_rename_lane_keeps_id(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("j", "j", "r", "r", "ctrl+u")
        await type_text(pilot, "Thinking")
        await pilot.press("enter")
        text = await wait_saved(pilot, app)
        assert "Thinking" in screen_text(app)
    assert line_diff(prev, text) == (['name = "Thoughts"'], ['name = "Thinking"'])
    assert lane_ids(load(path)) == LANES


async def test_delete_lane(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("j", "j", "r", "d")
        text = await wait_saved(pilot, app)
        assert app.grid.current()[1] in ("actions", "touchpoints")
    data = load(path)
    assert lane_ids(data) == ["actions"] + LANES[2:]
    assert all("thoughts" not in s for s in data["stages"])
    removed, added = line_diff(prev, text)
    assert added == [] and '    "Which one is good value? Is there a deal on?",' in removed


async def test_move_lane_up_down(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("j", "j", "r", "k")  # thoughts up
        text = await wait_saved(pilot, app)
        assert lane_ids(load(text)) == ["thoughts", "actions"] + LANES[2:]
        assert app.grid.current()[1] == "thoughts"
        await pilot.press("r", "k")  # already first: nothing
        await pilot.press("r", "j", "r", "j")
        text = await wait_saved(pilot, app)
        assert lane_ids(load(text)) == ["actions", "touchpoints", "thoughts"] + LANES[3:]
        assert app.grid.current()[1] == "thoughts"
        await pilot.press("G", "r", "j")  # already last: nothing
        await goto(pilot, app, "search", "thoughts", 0)
        await pilot.press("r", "k")
        text = await wait_saved(pilot, app)
        assert app.grid.current()[1] == "thoughts"
        assert len(app.history.undo_stack) == 4
    assert text == ORIGINAL


async def test_hide_and_show_lanes(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("j", "j", "r", "h")  # hide thoughts
        text = await wait_saved(pilot, app)
        assert line_diff(prev, text) == ([], ["hidden = true"])
        assert lane_of(load(text), "thoughts")["hidden"] is True
        grid_text, status = screen_text(app).rstrip("\n").rsplit("\n", 1)
        assert " Thoughts " not in grid_text
        assert "Lane Thoughts hidden (r s shows hidden lanes)" in status
        assert app.grid.current()[1] != "thoughts"
        assert [lane.id for lane in app.grid.lanes()] == ["actions"] + LANES[2:]
        # moving a lane skips the hidden one
        await pilot.press("g", "r", "j")
        text = await wait_saved(pilot, app)
        data = load(text)
        visible = [lane["id"] for lane in data["lanes"] if not lane.get("hidden")]
        assert visible == ["touchpoints", "actions"] + LANES[3:]
        await pilot.press("u")
        await wait_saved(pilot, app)
        await pilot.press("r", "s")
        text = await wait_saved(pilot, app)
        assert " Thoughts " in screen_text(app) or "Thoughts" in screen_text(app)
    assert text == prev
    assert all(not lane.get("hidden") for lane in load(path)["lanes"])


async def test_cannot_hide_the_last_visible_lane(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        for _ in LANES:
            await pilot.press("r", "h")
        await wait_saved(pilot, app)
        assert len(app.grid.lanes()) == 1
        assert app.grid.current()[1] is not None
        await pilot.press("r", "s")
        text = await wait_saved(pilot, app)
    assert text == ORIGINAL


async def test_lane_question(tmp_path):
    path = copy_sample(tmp_path)
    prev = path.read_text()
    async with editor(path) as (app, pilot):
        await pilot.press("j", "j", "r", "q")
        assert app.screen.query_one("#prompt-input").value.startswith("What is Joan thinking")
        await pilot.press("ctrl+u")
        await type_text(pilot, "Why?")
        await pilot.press("enter")
        text = await wait_saved(pilot, app)
    assert lane_of(load(path), "thoughts")["question"] == "Why?"
    removed, added = line_diff(prev, text)
    assert len(removed) == 1 and removed[0].startswith("question = ") and added == ['question = "Why?"']


async def test_lane_question_shows_in_empty_cells(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("s", "a")
        await type_text(pilot, "New")
        await pilot.press("enter")
        await wait_saved(pilot, app)
        await pilot.press("r", "q", "ctrl+u")
        await type_text(pilot, "Qq?")
        await pilot.press("enter")
        await wait_saved(pilot, app)
        assert "Qq?" in screen_text(app)
    assert card_texts(load(path), "new", "actions") == []


async def test_hidden_lanes_are_named_in_the_title_and_find_points_to_them(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24), notifications=True) as (app, pilot):
        assert "hidden" not in screen_text(app).splitlines()[0]
        await pilot.press("j", "j", "r", "h")  # hide Thoughts
        await pilot.pause()
        title = screen_text(app).splitlines()[0]
        assert "1 lane hidden (r s shows)" in title and title.startswith(" Joan buys a new vacuum")
        await pilot.press("slash")
        await type_text(pilot, "deal on")  # only on a Thoughts card
        await pilot.press("enter")
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert any("only in hidden lanes: Thoughts (1) (r s shows them)" in m for m in said), said
        await pilot.press("r", "s")
        await pilot.pause()
        assert "hidden" not in screen_text(app).splitlines()[0]
        await pilot.press("n")
        assert app.grid.current()[1] == "thoughts"


async def test_a_rename_prompt_adds_to_the_name(tmp_path):
    # the old name is not selected: typing goes after it (ctrl+u clears, as at a shell)
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("s", "r")
        await type_text(pilot, " (online)")
        await pilot.press("enter")
        text = await wait_saved(pilot, app)
    assert stage_of(load(text), "search")["name"] == "Search (online)"


async def test_moves_past_an_edge_say_so_and_change_nothing(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_text()
    async with editor(path) as (app, pilot):
        # said on the status line (a toast would cover the cards)
        for keys, said in ((("s", "h"), "Already the first stage"), (("r", "k"), "Already the top lane"),
                           (("H",), "Already in the first stage"), (("K",), "Already at the top of the map")):
            await pilot.press(*keys)
            await pilot.pause()
            assert said in status_line(app), keys
        await pilot.press("dollar_sign", "G")
        for keys, said in ((("s", "l"), "Already the last stage"), (("r", "j"), "Already the bottom lane"),
                           (("L",), "Already in the last stage")):
            await pilot.press(*keys)
            await pilot.pause()
            assert said in status_line(app), keys
        await quiet(pilot)
    assert path.read_text() == before
