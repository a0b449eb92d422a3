"""`cjm` with no path (issue 3 item 1): the maps under this folder to pick from, or a new
one made from a sample."""

from __future__ import annotations

import shutil
import tomllib
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from screen import screen_text
from test_editor_keys import type_text
from textual.widgets import Input, OptionList

from cjm_tui.resources import samples
from cjm_tui.ui.screens.picker import PickerApp, find_maps

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def put(root: Path, rel: str, sample: str = "joan-vacuum") -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLES / f"{sample}.cjm.toml", p)
    return p


@asynccontextmanager
async def picking(root: Path, size: tuple[int, int] = (80, 24)):
    app = PickerApp(root)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


# -- find_maps ------------------------------------------------------------------------------------------
def test_find_maps_under_a_folder_nearest_first_skipping_tool_folders(tmp_path):
    top = put(tmp_path, "zeta.cjm.toml")
    nested = put(tmp_path, "docs/journeys/onboarding.cjm.toml")
    near = put(tmp_path, "docs/alpha.cjm.toml")
    for skipped in (
        ".git/refs/old.cjm.toml",
        ".venv/lib/site.cjm.toml",
        "node_modules/pkg/x.cjm.toml",
        "venv/y.cjm.toml",
        "__pycache__/z.cjm.toml",
    ):
        put(tmp_path, skipped)
    (tmp_path / "notes.toml").write_text("x = 1\n")  # not a map file
    (tmp_path / "map.cjm.toml.bak").write_text("x = 1\n")
    (tmp_path / "empty-dir").mkdir()
    assert find_maps(tmp_path) == [top, near, nested]


def test_find_maps_in_an_empty_or_missing_folder(tmp_path):
    assert find_maps(tmp_path) == []
    assert find_maps(tmp_path / "does-not-exist") == []


# -- picking an existing map -------------------------------------------------------------------------------
async def test_enter_opens_the_first_map(tmp_path):
    first = put(tmp_path, "a-first.cjm.toml")
    put(tmp_path, "b-second.cjm.toml", "pizzeria-eva")
    put(tmp_path, "sub/c-third.cjm.toml")
    async with picking(tmp_path) as (app, pilot):
        text = screen_text(app)
        assert "Maps under" in text
        assert "Joan buys a new vacuum" in text and "6 stages" in text
        assert "joan-vacuum" in text  # the samples are offered as well
        ids = [app.query_one(OptionList).get_option_at_index(i).id for i in range(3)]
        assert ids == [f"map:{first}", f"map:{tmp_path / 'b-second.cjm.toml'}", f"map:{tmp_path / 'sub/c-third.cjm.toml'}"]
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == str(first)


async def test_down_then_enter_opens_the_second_map(tmp_path):
    put(tmp_path, "a-first.cjm.toml")
    second = put(tmp_path, "b-second.cjm.toml", "pizzeria-eva")
    async with picking(tmp_path) as (app, pilot):
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.return_value == str(second)


async def test_q_quits_without_a_choice(tmp_path):
    put(tmp_path, "a.cjm.toml")
    async with picking(tmp_path) as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value is None


async def test_a_broken_map_is_listed_with_its_fault(tmp_path):
    (tmp_path / "broken.cjm.toml").write_text('title = "x\n', encoding="utf-8")
    async with picking(tmp_path) as (app, _pilot):
        text = screen_text(app)
    assert "✗ line 1: not valid TOML" in text


async def test_maps_are_listed_by_their_path_under_the_folder(tmp_path):
    deep = tmp_path / "projects" / "acme-web-storefront" / "research"
    put(deep, "a-first.cjm.toml")
    put(deep, "journeys/c-third.cjm.toml")
    async with picking(deep) as (app, _pilot):
        text = screen_text(app)
    rows = [line.lstrip("▊ ") for line in text.splitlines()]
    assert any(r.startswith("a-first.cjm.toml  Joan buys a new vacuum") for r in rows), text
    assert any(r.startswith("journeys/c-third.cjm.toml  Joan buys a new vacuum") for r in rows), text


async def test_choosing_a_broken_map_says_why_and_stays_in_the_list(tmp_path):
    (tmp_path / "broken.cjm.toml").write_text('format = 1\ntitle = "x\n', encoding="utf-8")
    async with picking(tmp_path, size=(100, 30)) as (app, pilot):
        await pilot.press("enter")  # the broken map is the first in the list
        await pilot.pause()
        assert app.is_running and app.return_value is None
        said = [str(n.message) for n in app._notifications]
    assert any("broken.cjm.toml:2" in m and "not valid TOML" in m for m in said), said


# -- making a new map from a sample --------------------------------------------------------------------------
async def choose_sample(pilot, app, name: str) -> Input:
    """Highlight sample *name* in the list and press Enter: the name box opens."""
    options = app.query_one(OptionList)
    wanted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == f"sample:{_sample(name)}")
    await down_to(pilot, options, wanted)
    await pilot.press("enter")
    box = app.query_one("#picker-name", Input)
    assert box.has_class("visible") and box.has_focus
    return box


async def down_to(pilot, options: OptionList, index: int) -> None:
    """Press down until option *index* is highlighted (disabled options are skipped)."""
    for _ in range(options.option_count):
        if options.highlighted == index:
            return
        await pilot.press("down")
    assert options.highlighted == index


def _sample(name: str) -> Path:
    return next(p for p in samples() if p.name == f"{name}.cjm.toml")


async def test_no_maps_a_sample_and_a_name_make_a_copy(tmp_path):
    async with picking(tmp_path) as (app, pilot):
        text = screen_text(app)
        assert "No maps under" in text and "joan-vacuum" in text
        box = await choose_sample(pilot, app, "joan-vacuum")
        assert box.value == "joan-vacuum.cjm.toml"  # a free name to start from
        await pilot.press("ctrl+u")  # clear it
        await type_text(pilot, "standup-map")
        await pilot.press("enter")
        await pilot.pause()
    made = tmp_path / "standup-map.cjm.toml"
    assert app.return_value == str(made)
    assert made.read_bytes() == _sample("joan-vacuum").read_bytes()
    assert tomllib.loads(made.read_text(encoding="utf-8"))["title"] == "Joan buys a new vacuum"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["standup-map.cjm.toml"]


async def test_the_suggested_name_is_free(tmp_path):
    put(tmp_path, "pizzeria-eva.cjm.toml", "pizzeria-eva")
    async with picking(tmp_path) as (app, pilot):
        box = await choose_sample(pilot, app, "pizzeria-eva")
        assert box.value == "pizzeria-eva-2.cjm.toml"
        await pilot.press("enter")
        await pilot.pause()
    made = tmp_path / "pizzeria-eva-2.cjm.toml"
    assert app.return_value == str(made)
    assert made.read_bytes() == _sample("pizzeria-eva").read_bytes()


async def test_an_existing_name_is_refused(tmp_path):
    taken = put(tmp_path, "ours.cjm.toml", "gym-membership")
    before = taken.read_bytes()
    async with picking(tmp_path, size=(100, 30)) as (app, pilot):
        box = await choose_sample(pilot, app, "joan-vacuum")
        await pilot.press("ctrl+u")
        await type_text(pilot, "ours")
        await pilot.press("enter")
        await pilot.pause()
        assert app.return_value is None and app.is_running  # still picking
        assert box.has_focus
        assert any("exists already" in str(n.message) for n in app._notifications)
        # a free name then works
        await pilot.press("ctrl+u")
        await type_text(pilot, "theirs.cjm.toml")
        await pilot.press("enter")
        await pilot.pause()
    assert taken.read_bytes() == before  # never overwritten
    assert app.return_value == str(tmp_path / "theirs.cjm.toml")
    assert (tmp_path / "theirs.cjm.toml").read_bytes() == _sample("joan-vacuum").read_bytes()


async def test_escape_closes_the_name_box_and_keeps_picking(tmp_path):
    async with picking(tmp_path) as (app, pilot):
        box = await choose_sample(pilot, app, "city-tour")
        await pilot.press("escape")
        assert not box.has_class("visible")
        assert app.focused is app.query_one(OptionList)
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value is None
    assert list(tmp_path.iterdir()) == []


async def test_blank_map_returns_a_new_path_for_the_editor_to_create(tmp_path):
    async with picking(tmp_path) as (app, pilot):
        options = app.query_one(OptionList)
        blank = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "blank:")
        await down_to(pilot, options, blank)
        await pilot.press("enter")
        box = app.query_one("#picker-name", Input)
        assert box.value == "journey.cjm.toml"
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == str(tmp_path / "journey.cjm.toml")
