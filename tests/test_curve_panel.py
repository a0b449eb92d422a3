"""The emotion curve under the grid (issue 4 item 1): shown, redrawn on `+`, hidden when
the terminal is too small, toggled with `c` (remembered), ASCII-only on request."""

from __future__ import annotations

import re
import tomllib

import pytest
from screen import screen_text
from test_editor_keys import copy_sample, editor, stage_of, wait_saved

from cjm_tui.ui.settings import Settings, settings_path

Y_LABELS = ("delighted +2", "pleased +1", "neutral  0", "unhappy -1", "frustrated -2")


def curve_lines(app) -> list[str]:
    """The screen rows the curve panel covers ([] when it is not shown)."""
    panel = app.curve
    if not panel.display or panel.region.height == 0:
        return []
    rows = screen_text(app).splitlines()
    r = panel.region
    return [row[r.x : r.x + r.width] for row in rows[r.y : r.y + r.height]]


def marker_row(lines: list[str]) -> int:
    """The row of the current-stage mark (◆)."""
    hits = [i for i, line in enumerate(lines) if "◆" in line]
    assert len(hits) == 1, "\n".join(lines)
    return hits[0]


def label_of(line: str) -> str:
    """The y-axis label on a curve row ("" for the rows between labels and the x axis)."""
    m = re.match(r"\s*([a-z]+ +[-+ ]\d) ", line)
    return m.group(1) if m else ""


async def test_curve_shows_at_120x40_and_plus_moves_the_current_point_up(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(120, 40)) as (app, pilot):
        lines = curve_lines(app)
        assert lines, screen_text(app)
        assert app.curve.region.height >= 5
        assert [label_of(line) for line in lines if label_of(line)] == list(Y_LABELS)
        row = marker_row(lines)
        assert label_of(lines[row]) == "neutral  0"  # Search, the current stage, scores 0
        # the mark sits under the current stage's column on the grid
        g = app.grid
        col = lines[row].index("◆")
        assert g.lane_w <= col < g.lane_w + g.stage_w
        before = "\n".join(lines)

        await pilot.press("plus")
        text = await wait_saved(pilot, app)
        assert stage_of(tomllib.loads(text), "search")["emotion"] == 1
        after_lines = curve_lines(app)
        assert "\n".join(after_lines) != before
        new_row = marker_row(after_lines)
        # up to the next labelled row (at this height a blank row lies between labels)
        assert new_row < row and label_of(after_lines[new_row]) == "pleased +1"

        await pilot.press("minus", "minus")  # down past where it started
        text = await wait_saved(pilot, app)
        assert stage_of(tomllib.loads(text), "search")["emotion"] == -1
        assert label_of(curve_lines(app)[marker_row(curve_lines(app))]) == "unhappy -1"

        await pilot.press("equals_sign")  # cleared: a gap, no current-stage point to draw
        text = await wait_saved(pilot, app)
        assert "emotion" not in stage_of(tomllib.loads(text), "search")
        assert all("◆" not in line for line in curve_lines(app))

        # moving to the next stage moves the mark to its column
        await pilot.press("l")
        lines = curve_lines(app)
        col = lines[marker_row(lines)].index("◆")
        assert g.lane_w + g.stage_w <= col < g.lane_w + 2 * g.stage_w
        assert label_of(lines[marker_row(lines)]) == "pleased +1"  # Visit the site scores +1


async def test_too_small_a_terminal_hides_the_curve(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 20)) as (app, pilot):
        assert curve_lines(app) == []
        text = screen_text(app)
        assert not any(label in text for label in Y_LABELS)
        assert "Actions" in text  # the grid has the room instead
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert curve_lines(app), "the curve comes back when there is room again"
        await pilot.resize_terminal(80, 20)
        await pilot.pause()
        await pilot.pause()
        assert curve_lines(app) == []


SETTINGS_TEXT = """\
# mine: keep this
curve = true   # I like the curve
"""


async def test_c_toggles_the_curve_and_the_choice_is_saved(tmp_path):
    sp = settings_path()
    sp.parent.mkdir(parents=True, exist_ok=True)
    sp.write_text(SETTINGS_TEXT, encoding="utf-8")
    settings, _ = Settings.load()
    path = copy_sample(tmp_path)
    map_before = path.read_bytes()
    async with editor(path, size=(120, 40), settings=settings, show_curve=settings.curve) as (app, pilot):
        assert curve_lines(app)
        grid_height = app.grid.region.height
        await pilot.press("c")
        assert curve_lines(app) == []
        assert app.grid.region.height > grid_height  # the grid takes the room
        saved = sp.read_text(encoding="utf-8")
        assert tomllib.loads(saved)["curve"] is False
        assert "# mine: keep this" in saved
        await pilot.press("c")
        assert curve_lines(app)
        assert tomllib.loads(sp.read_text(encoding="utf-8"))["curve"] is True
        await pilot.press("c")
    assert Settings.load()[0].curve is False
    assert path.read_bytes() == map_before  # a view setting, not an edit of the map
    # the next start honours it
    async with editor(path, size=(120, 40), settings=Settings.load()[0], show_curve=Settings.load()[0].curve) as (app, _pilot):
        assert curve_lines(app) == []


async def test_ascii_only_curve_is_pure_ascii(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(120, 40), ascii_only=True) as (app, pilot):
        lines = curve_lines(app)
        assert lines
        assert all(line.isascii() for line in lines), "\n".join(lines)
        assert [label_of(line) for line in lines if label_of(line)] == list(Y_LABELS)
        marks = [i for i, line in enumerate(lines) if "@" in line]  # the current stage, in ASCII
        assert len(marks) == 1 and label_of(lines[marks[0]]) == "neutral  0"
        before = "\n".join(lines)
        await pilot.press("plus")
        await wait_saved(pilot, app)
        lines = curve_lines(app)
        assert "\n".join(lines) != before and all(line.isascii() for line in lines)
        marks = [i for i, line in enumerate(lines) if "@" in line]
        assert len(marks) == 1 and label_of(lines[marks[0]]) == "pleased +1"


async def test_ascii_only_whole_screen_is_pure_ascii(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(120, 40), ascii_only=True) as (app, _pilot):
        text = screen_text(app)
    assert sorted({ch for ch in text if not ch.isascii()}) == []


async def test_after_a_resize_the_mark_is_under_the_current_stage(tmp_path):
    # the grid lays out its new columns after the app hears of the resize: the curve follows
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        g = app.grid
        await pilot.press("dollar_sign", "G", "j")
        for size in ((200, 50), (80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            lines = curve_lines(app)
            col = lines[marker_row(lines)].index("◆")
            x = g.lane_w + (g.cursor.stage - g.first_col) * g.stage_w
            assert x <= col < x + g.stage_w, size
