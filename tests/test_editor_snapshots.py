"""The screen as text at fixed sizes: tests/snapshots/*.txt (CJM_UPDATE_SNAPSHOTS=1 rewrites them)."""

from __future__ import annotations

from screen import assert_snapshot, screen_text
from test_editor_keys import copy_sample, cursor_visible, editor


def check_layout(text: str, width: int, height: int) -> list[str]:
    """What every editor screen must have, whatever the snapshot says."""
    lines = text.rstrip("\n").split("\n")
    assert len(lines) == height
    assert all(len(line) <= width for line in lines)
    assert lines[0].startswith(" Joan buys a new vacuum")  # title bar
    assert "│ Search" in lines[1] or "│ Review" in lines[1]  # stage headers on top
    assert lines[4].startswith(" Actions")  # lane names at the left
    assert "joan-vacuum.cjm.toml" in lines[-1] and "saved" in lines[-1]  # status line at the bottom
    return lines


async def test_joan_80x24(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, _pilot):
        text = screen_text(app)
    lines = check_layout(text, 80, 24)
    assert "Search" in lines[1] and "Visit the site" in lines[1]  # at least two stage columns
    assert_snapshot("joan-80x24", text)


async def test_joan_160x48(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(160, 48)) as (app, _pilot):
        text = screen_text(app)
    lines = check_layout(text, 160, 48)
    assert sum(name in lines[1] for name in ("Search", "Visit the site", "Browse and compare", "Purchase")) >= 4
    assert_snapshot("joan-160x48", text)


async def test_joan_80x24_far_right(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("dollar_sign")
        assert cursor_visible(app)
        text = screen_text(app)
    lines = check_layout(text, 80, 24)
    assert "Review" in lines[1] and "Search" not in lines[1]
    assert "Review" in lines[-1]  # the status line names the stage
    assert_snapshot("joan-80x24-far-right", text)


async def test_joan_80x24_help(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, size=(80, 24)) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
    assert "Move to the previous stage" in text
    assert_snapshot("joan-80x24-help", text)
