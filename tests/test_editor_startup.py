"""The editor's start-up: what the first frame shows, and the collector pause around it."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from pty_app import PtyApp
from screen import make_app

ROOT = Path(__file__).resolve().parent.parent
FIRST_CARD = "Goes to a search"  # joan-vacuum: Search x Actions, first card


def copy_sample(tmp_path: Path) -> Path:
    path = tmp_path / "joan-vacuum.cjm.toml"
    shutil.copyfile(ROOT / "samples" / "joan-vacuum.cjm.toml", path)
    return path


def test_first_frame_already_shows_the_cards(tmp_path):
    """The grid is laid out before the first paint: no frame of empty columns first."""
    path = copy_sample(tmp_path)
    with PtyApp([str(path)], home=tmp_path / "home") as app:
        assert app.wait_for("joan-vacuum.cjm.toml", timeout=20)
        app.wait_settled()
        text = app.text()
    # Textual paints top to bottom; the status line (with the file name) ends a frame
    first_frame = text[: text.index("joan-vacuum.cjm.toml")]
    assert "Joan buys a new vacuum" in first_frame  # the title bar
    assert FIRST_CARD in first_frame and "Actions" in first_frame


async def test_collector_paused_for_start_up_runs_after_the_first_paint(tmp_path):
    path = copy_sample(tmp_path)
    frozen = gc.get_freeze_count()
    gc.disable()  # as `cjm PATH` does (cli/cmd_edit.py)
    try:
        app = make_app(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            # what start-up made is kept out of later passes
            assert gc.get_freeze_count() > frozen
    finally:
        gc.enable()
        gc.unfreeze()


async def test_collector_left_alone_when_it_was_running(tmp_path):
    path = copy_sample(tmp_path)
    frozen = gc.get_freeze_count()
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() == frozen


async def test_an_edit_before_the_first_layout_is_laid_out(tmp_path, monkeypatch):
    # keys typed ahead can land after the grid is composed but before it has a size
    from cjm_tui.ui.app import CjmApp

    mounted = CjmApp.editor_mounted

    def editor_mounted(self):
        mounted(self)
        assert not self.grid.size.width
        self.run_action_id("delete_card")

    monkeypatch.setattr(CjmApp, "editor_mounted", editor_mounted)
    path = copy_sample(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        cards = app.history.map.stage("search").peek("actions")
        assert len(cards) == 1 and FIRST_CARD not in cards[0].text
        assert len(app.grid.body.cell("search", "actions").cards) == 1
        await pilot.press("j", "j")  # the cursor walks the laid-out cards without a fault
