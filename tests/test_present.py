"""`cjm present FILE` (issue 5 item 2): one stage at a time, read-only, reloads on change."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from screen import assert_snapshot, screen_text
from test_editor_keys import copy_sample

from cjm_tui.ui.present import PresentApp

CJM = [sys.executable, "-m", "cjm_tui"]


@asynccontextmanager
async def presenting(path: Path, size: tuple[int, int] = (80, 24), **kwargs):
    app = PresentApp(path, **kwargs)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


def lines(app) -> list[str]:
    return screen_text(app).splitlines()


def curve_marker_column(app) -> int:
    """The column of the current-stage mark (◆) on the curve."""
    hits = [line.index("◆") for line in lines(app) if "◆" in line]
    assert len(hits) == 1, screen_text(app)
    return hits[0]


async def wait_for(pilot, app, predicate, timeout: float = 2.5) -> float:
    """Seconds until predicate(app) holds (the app polls the file once a second)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate(app):
            return time.monotonic() - start
        await asyncio.sleep(0.05)
    await pilot.pause()
    assert predicate(app), screen_text(app)
    return time.monotonic() - start


async def test_first_stage_readable_at_80x24(tmp_path):
    path = copy_sample(tmp_path)
    async with presenting(path) as (app, _pilot):
        text = screen_text(app)
    rows = text.splitlines()
    assert len(rows) == 24 and all(len(r) <= 80 for r in rows)
    assert "1/6" in text and "SEARCH" in text
    assert "● +0 neutral" in text or "● 0 neutral" in text
    # the first lane and its cards, in full, near the top
    actions = next(i for i, r in enumerate(rows) if r.startswith("Actions"))
    assert actions < 8
    assert rows[actions + 1].strip() == "• Goes to a search engine and looks for a new vacuum cleaner"
    assert rows[actions + 2].strip() == "• Scans the ads at the top of the results first"
    assert "Thoughts" in text  # the next lane follows
    assert "frustrated -2" in text and "delighted +2" in text  # the curve
    assert "read-only" in rows[-1]
    assert_snapshot("theme-present-80x24", text)


async def test_stepping_and_the_curve_marks_the_current_stage(tmp_path):
    path = copy_sample(tmp_path)
    async with presenting(path) as (app, pilot):
        first = curve_marker_column(app)
        await pilot.press("space")
        assert app.index == 1
        assert "2/6" in screen_text(app) and "VISIT THE SITE" in screen_text(app)
        assert "• Clicks the search ad and lands on the product page" in screen_text(app)
        second = curve_marker_column(app)
        assert second > first
        await pilot.press("right")
        assert "3/6" in screen_text(app) and "BROWSE AND COMPARE" in screen_text(app)
        assert curve_marker_column(app) > second
        # the mark sits on the "unhappy -1" row for Browse and compare
        assert any("◆" in r and r.lstrip().startswith("unhappy -1") for r in lines(app))
        await pilot.press("left")
        assert "2/6" in screen_text(app) and curve_marker_column(app) == second
        await pilot.press("left", "left")  # no further than the first
        assert app.index == 0 and "1/6" in screen_text(app) and curve_marker_column(app) == first
        await pilot.press("end")
        assert "6/6" in screen_text(app)
        await pilot.press("space")  # no further than the last
        assert app.index == 5 and "6/6" in screen_text(app)
        # read-only: the file is untouched
    assert path.read_bytes() == (Path(__file__).resolve().parent.parent / "samples" / "joan-vacuum.cjm.toml").read_bytes()


async def test_down_scrolls_a_long_stage(tmp_path):
    path = copy_sample(tmp_path)
    async with presenting(path) as (app, pilot):
        # Search at 80x24 runs past the screen: its Off-stage lane is below the fold
        assert "Device manufacturer supplying product data" not in screen_text(app)
        for _ in range(3):
            await pilot.press("down", "j", "j", "j", "j", "j", "j", "j")
        text = screen_text(app)
        assert "Device manufacturer supplying product data" in text
        assert "Off-stage" in text
        await pilot.press("k")  # and back up
        assert app.query_one("#stage-scroll").scroll_y > 0


async def test_file_changed_on_disk_shows_within_2s_and_broken_edit_keeps_last_good(tmp_path):
    path = copy_sample(tmp_path)
    original = path.read_text(encoding="utf-8")
    async with presenting(path) as (app, pilot):
        await pilot.press("space")  # on Visit the site
        path.write_text(original.replace("Checks the price against the ad", "Checks the price against the ad twice"), encoding="utf-8")
        took = await wait_for(pilot, app, lambda a: "Checks the price against the ad twice" in screen_text(a))
        assert took < 2.2
        assert app.index == 1 and "VISIT THE SITE" in screen_text(app)  # still on the same stage
        # a broken edit: the last good map stays, with a warning naming the place
        broken = original.replace('name = "Visit the site"', 'name = "Visit the site')
        path.write_text(broken, encoding="utf-8")
        await wait_for(pilot, app, lambda a: bool(a.warning))
        line = broken.splitlines().index('name = "Visit the site') + 1
        assert f"{path.name}:{line}" in app.warning
        assert "last good" in app.warning
        text = screen_text(app)
        assert "VISIT THE SITE" in text and "Checks the price against the ad twice" in text
        # fixed again: the warning goes and the fix shows
        path.write_text(original, encoding="utf-8")
        await wait_for(pilot, app, lambda a: not a.warning and "Checks the price against the ad twice" not in screen_text(a))
        assert "• Checks the price against the ad" in screen_text(app)


async def test_broken_edit_warning_is_visible_at_80x24(tmp_path):
    path = copy_sample(tmp_path)
    original = path.read_text(encoding="utf-8")
    async with presenting(path) as (app, pilot):
        path.write_text(original.replace('name = "Search"', 'name = "Search'), encoding="utf-8")
        await wait_for(pilot, app, lambda a: bool(a.warning))
        await pilot.pause()
        text = screen_text(app)
    assert "✗" in text and path.name in text


def test_cjm_present_on_an_invalid_file_exits_2_with_file_and_line(tmp_path):
    bad = tmp_path / "broken.cjm.toml"
    bad.write_text('format = 1\ntitle = "Broken"\n\n[[stages]]\nid = "a"\nname = "A\n', encoding="utf-8")
    env = {**os.environ, "TERM": "dumb"}
    result = subprocess.run(CJM + ["present", str(bad)], check=False, capture_output=True, text=True, timeout=20, env=env, stdin=subprocess.DEVNULL)
    assert result.returncode == 2, result
    assert f"{bad}:6" in result.stderr or "broken.cjm.toml:6" in result.stderr, result.stderr
    assert "\x1b[" not in result.stdout + result.stderr  # the screen was never taken


def test_cjm_present_on_a_missing_file_exits_2(tmp_path):
    missing = tmp_path / "nope.cjm.toml"
    result = subprocess.run(CJM + ["present", str(missing)], check=False, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
    assert result.returncode == 2, result
    assert "nope.cjm.toml" in result.stderr


async def test_the_curve_names_the_stages_and_the_current_one_sits_over_the_mark(tmp_path):
    """The curve had no stage labels: only the ◆ said which stage was on screen."""
    path = copy_sample(tmp_path)
    async with presenting(path) as (app, pilot):
        for step in range(6):
            rows = lines(app)
            axis = next(i for i, r in enumerate(rows) if "└" in r)
            names = rows[axis + 1]
            # every stage named under the axis, clipped to its slice, in order
            assert names.split() == ["Search", "Visit", "the…", "Browse", "an…", "Purchase", "Receive", "a…", "Review"]
            # the current stage's name is in bold, right under the ◆
            styled = screen_text(app, styles=True).splitlines()[axis + 1]
            bold = re.findall(r"\x1b\[1;4[;0-9]*m([^\x1b]*)\x1b", styled)
            assert len(bold) == 1, styled
            assert app.journey.stages[app.index].name.startswith(bold[0].rstrip("…"))
            start = names.index(bold[0])
            assert start <= curve_marker_column(app) < start + len(bold[0]), names
            await pilot.press("space")
        assert "6/6" in screen_text(app)


async def test_many_stages_are_numbered_under_the_curve(tmp_path):
    from cjm_tui.model import JourneyMap
    from cjm_tui.store import codec

    m = JourneyMap.blank("Long", tuple(f"Stage number {i + 1}" for i in range(20)))
    for i, stage in enumerate(m.stages):
        stage.emotion = i % 5 - 2
    path = tmp_path / "long.cjm.toml"
    path.write_text(codec.dumps(m), encoding="utf-8")
    async with presenting(path, ascii_only=True) as (app, _pilot):
        rows = lines(app)
    axis = max(i for i, r in enumerate(rows) if r.lstrip().startswith("frustrated -2")) + 1
    numbers = rows[axis + 1].split()
    assert numbers[:3] == ["1", "2", "3"] and numbers[-1] == "20" and all(n.isdigit() for n in numbers)
    assert rows[axis + 1].isascii()


async def test_a_long_card_wraps_under_its_text_not_its_bullet(tmp_path):
    path = copy_sample(tmp_path, "pizzeria-eva")
    async with presenting(path, size=(80, 40), start=3) as (app, _pilot):
        rows = lines(app)
    at = next(i for i, r in enumerate(rows) if "• Dish descriptions lack" in r)
    assert rows[at + 1].startswith("    ") and rows[at + 1].strip().startswith("allergy"), rows[at : at + 2]


async def test_the_curve_is_drawn_again_for_a_new_width(tmp_path):
    path = copy_sample(tmp_path)
    async with presenting(path) as (app, pilot):
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        await pilot.pause()
        axis = next(r for r in lines(app) if "└" in r)
    assert len(axis.rstrip()) > 120, axis  # the axis spans the wider screen, not the first 80 columns
