"""Autosave: edits reach the disk by themselves, failures keep every edit, signals save."""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import signal
import time

import pytest
from test_editor_keys import (
    SAMPLES,
    card_texts,
    copy_sample,
    editor,
    goto,
    load,
    quiet,
    screen_text,
    stage_of,
    status_line,
    type_text,
    wait_saved,
)

import cjm_tui.store.document as document_module
import cjm_tui.ui.autosave as autosave_module

ORIGINAL = (SAMPLES / "joan-vacuum.cjm.toml").read_text()


@pytest.fixture(autouse=True)
def _recovery_in_tmp(tmp_path, monkeypatch):
    """Recovery copies go under tmp_path, never the real ~/.local/state."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(autosave_module, "RETRY_SECONDS", 0.2)


def failing_write(exc: BaseException):
    calls = []

    def write(path, text, *args, **kwargs):
        calls.append(path)
        raise exc

    write.calls = calls
    return write


async def wait_for(pilot, predicate, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        await asyncio.sleep(0.005)
    assert predicate()


# -- the normal path -------------------------------------------------------------------------
async def test_saves_within_a_second_without_more_keys(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=0.6) as (app, pilot):
        assert "● saved" in status_line(app)
        await pilot.press("plus")
        t0 = time.monotonic()
        assert "unsaved" in status_line(app)
        assert path.read_text() == ORIGINAL  # not yet: it waits for a quiet moment
        await wait_for(pilot, lambda: path.read_text() != ORIGINAL, timeout=1.5)
        assert time.monotonic() - t0 < 1.2
        assert stage_of(load(path), "search")["emotion"] == 1
        await wait_for(pilot, lambda: app.saver.state == "saved")
        await pilot.pause()
        assert "● saved" in status_line(app)


async def test_typing_keeps_putting_the_save_off(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=0.4) as (_app, pilot):
        for _ in range(4):
            await pilot.press("plus", "minus")
            await pilot.pause(0.1)
            assert path.read_text() == ORIGINAL
        await pilot.press("plus")
        await wait_for(pilot, lambda: path.read_text() != ORIGINAL)
    assert stage_of(load(path), "search")["emotion"] == 1


async def test_open_card_editor_is_not_saved_until_finished(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("a")
        await type_text(pilot, "draft")
        await quiet(pilot)
        assert "draft" not in path.read_text()
        assert "esc" in status_line(app)  # the hint says how to finish
        await pilot.press("escape")
        await wait_saved(pilot, app)
    assert "draft" in card_texts(load(path), "search", "actions")


# -- failures --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "exc,words",
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
    ],
)
async def test_failed_save_keeps_edit_and_retries(tmp_path, monkeypatch, exc, words):
    path = copy_sample(tmp_path)
    write = failing_write(exc)
    monkeypatch.setattr(document_module, "atomic_write", write)
    monkeypatch.setattr(autosave_module, "RETRY_SECONDS", 0.3)  # retries well inside the waits below
    async with editor(path) as (app, pilot):
        await pilot.press("plus")
        await wait_for(pilot, lambda: app.saver.state == "failed")
        await pilot.pause()
        status = status_line(app)
        assert "save failed" in status and words in status, status
        assert path.read_text() == ORIGINAL
        assert app.history.map.stage("search").emotion == 1  # the edit stays in memory
        # more edits while failing are kept too, and it keeps retrying
        await pilot.press("l", "minus")
        n = len(write.calls)
        await wait_for(pilot, lambda: len(write.calls) > n + 1, timeout=2)
        assert app.saver.state == "failed"
        # the disk comes back: the next retry saves everything
        monkeypatch.undo()
        monkeypatch.setattr(autosave_module, "RETRY_SECONDS", 0.2)
        await wait_for(pilot, lambda: app.saver.state == "saved", timeout=2)
        await pilot.pause()
        assert "● saved" in status_line(app)
    data = load(path)
    assert stage_of(data, "search")["emotion"] == 1 and stage_of(data, "visit")["emotion"] == 0


async def test_folder_deleted_then_back(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    path = copy_sample(folder)
    async with editor(path) as (app, pilot):
        shutil.rmtree(folder)
        await pilot.press("plus")
        await wait_for(pilot, lambda: app.saver.state == "failed")
        await pilot.pause()
        assert "save failed" in status_line(app)
        assert app.history.map.stage("search").emotion == 1
        folder.mkdir()
        await wait_for(pilot, lambda: app.saver.state == "saved", timeout=2)
    assert stage_of(load(path), "search")["emotion"] == 1


async def test_quit_while_saving_fails_asks_first(tmp_path, monkeypatch):
    from cjm_tui.ui.screens.confirm import QuitScreen

    path = copy_sample(tmp_path)
    monkeypatch.setattr(document_module, "atomic_write", failing_write(OSError(errno.ENOSPC, "full")))
    async with editor(path) as (app, pilot):
        await pilot.press("plus")
        await wait_for(pilot, lambda: app.saver.state == "failed")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        assert "not saved" in screen_text(app)
        assert not app._exit
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert not isinstance(app.screen, QuitScreen) and not app._exit
        assert app.focused is app.grid
        await pilot.press("q")  # the grid's quit asks too
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")
        await pilot.pause()
        # the disk comes back: quitting now just saves and leaves
        monkeypatch.setattr(document_module, "atomic_write", _real_atomic_write())
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app._exit
    assert stage_of(load(path), "search")["emotion"] == 1


def _real_atomic_write():
    from cjm_tui.store.files import atomic_write

    return atomic_write


async def test_quit_anyway_writes_a_recovery_copy(tmp_path, monkeypatch):
    path = copy_sample(tmp_path)
    monkeypatch.setattr(document_module, "atomic_write", failing_write(PermissionError(errno.EACCES, "denied")))
    async with editor(path) as (app, pilot):
        messages = []
        real_exit = app.exit
        app.exit = lambda *a, **k: (messages.append(str(k.get("message"))), real_exit(*a, **k))
        await pilot.press("a")
        await type_text(pilot, "keep me")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.saver.state == "failed")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app._exit
    assert path.read_text() == ORIGINAL
    copies = list((tmp_path / "state" / "cjm" / "recovery").glob("joan-vacuum.recovered-*.cjm.toml"))
    assert len(copies) == 1
    assert "keep me" in card_texts(load(copies[0]), "search", "actions")
    # the message printed on leaving says where the edits are
    assert any(str(copies[0]) in m for m in messages), messages


async def test_quit_screen_save_as(tmp_path, monkeypatch):
    path = copy_sample(tmp_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    real = _real_atomic_write()

    def write(p, text, *a, **k):
        if p.parent == tmp_path:
            raise PermissionError(errno.EACCES, "denied")
        return real(p, text, *a, **k)

    monkeypatch.setattr(document_module, "atomic_write", write)
    async with editor(path) as (app, pilot):
        await pilot.press("plus")
        await wait_for(pilot, lambda: app.saver.state == "failed")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one("#prompt").has_class("visible")
        await pilot.press("ctrl+u")  # a folder beside the map: same name in it
        await type_text(pilot, "elsewhere")
        await pilot.press("enter")
        await wait_for(pilot, lambda: (other / path.name).exists())
        assert app.saver.state == "saved"
        assert app.document.path == other / path.name
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app._exit
    assert stage_of(load(other / path.name), "search")["emotion"] == 1
    assert path.read_text() == ORIGINAL


# -- save as ---------------------------------------------------------------------------------
async def test_save_as(tmp_path):
    """W asks for a path (relative to the map's folder) and moves the autosave there."""
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("plus")
        await wait_saved(pilot, app)
        for key, name, edit, emotion in [("W", "b.cjm.toml", ["plus"], 2), ("W", "c.cjm.toml", ["equals_sign", "minus"], -1)]:
            await pilot.press(key)
            assert app.screen.query_one("#prompt-input").value == str(app.document.path), key
            await pilot.press("ctrl+u", *name, "enter")
            copy = tmp_path / name
            await wait_for(pilot, copy.exists)
            await pilot.pause()
            assert name in status_line(app), key
            # later edits go to the new file only
            await pilot.press(*edit)
            await wait_saved(pilot, app)
            assert stage_of(load(copy), "search")["emotion"] == emotion, key
    assert stage_of(load(path), "search")["emotion"] == 1
    assert stage_of(load(tmp_path / "b.cjm.toml"), "search")["emotion"] == 2


async def test_ctrl_s_saves_now_and_asks_nothing(tmp_path):
    # ctrl+s out of habit (it also finishes a card edit): the map is written at once
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=30) as (app, pilot):
        await pilot.press("plus")
        await pilot.pause()
        assert stage_of(load(path), "search").get("emotion") == 0  # not yet: the delay is 30 s
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stage_of(load(path), "search")["emotion"] == 1
        assert not app.screen.query("#prompt.visible") and app.focused is app.grid
        assert "saved" in status_line(app)


async def test_save_as_to_a_missing_folder_keeps_the_old_path(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.press("W", "ctrl+u")
        await type_text(pilot, "no/x")
        await pilot.press("enter")
        await pilot.pause()
        assert app.document.path == path
        await pilot.press("plus")
        await wait_saved(pilot, app)
    assert stage_of(load(path), "search")["emotion"] == 1
    assert not (tmp_path / "no").exists()


# -- read-only -------------------------------------------------------------------------------
async def test_read_only_never_writes(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_bytes()
    async with editor(path, read_only=True) as (app, pilot):
        assert "read-only" in status_line(app)
        await pilot.press("plus", "d", "d", "s", "d", "r", "d", "J", "L")
        await pilot.press("a")
        assert app._editor is None
        await type_text(pilot, "xyz")
        await pilot.press("escape")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert path.read_bytes() == before


# -- signals ---------------------------------------------------------------------------------
async def test_signal_saves_pending_edit_and_open_editor(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=30) as (app, pilot):
        await pilot.press("plus")
        await goto(pilot, app, "visit", "thoughts", 0)
        await pilot.press("enter")  # still typing when the link drops
        await type_text(pilot, " half")
        assert "half" not in path.read_text()
        app._on_signal()
        await pilot.pause()
        assert app._exit
    data = load(path)
    assert stage_of(data, "search")["emotion"] == 1
    assert card_texts(data, "visit", "thoughts") == ["Oh, that's a good price. Is it still in stock? half"]


async def test_signal_saves_a_new_card_being_typed(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=30) as (app, pilot):
        await pilot.press("A")
        await type_text(pilot, "brand new")
        app._on_signal()
        await pilot.pause()
    assert card_texts(load(path), "search", "actions")[0] == "brand new"


async def test_signal_when_saving_fails_writes_recovery(tmp_path, monkeypatch):
    path = copy_sample(tmp_path)
    monkeypatch.setattr(document_module, "atomic_write", failing_write(OSError(errno.ENOSPC, "full")))
    async with editor(path, autosave_delay=30) as (app, pilot):
        await pilot.press("a")
        await type_text(pilot, "rescued")
        app._on_signal()
        await pilot.pause()
    assert path.read_text() == ORIGINAL
    copies = list((tmp_path / "state" / "cjm" / "recovery").glob("*.cjm.toml"))
    assert len(copies) == 1 and "rescued" in card_texts(load(copies[0]), "search", "actions")


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
async def test_real_signal_is_handled(tmp_path, sig):
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=30) as (app, pilot):
        loop = asyncio.get_running_loop()
        handlers = getattr(loop, "_signal_handlers", {})
        # never send a signal nobody catches: it would kill the test run
        assert sig in handlers, "the editor did not install a handler"
        await pilot.press("plus", "a")
        await type_text(pilot, "sig")
        os.kill(os.getpid(), sig)
        await wait_for(pilot, lambda: app._exit)
    data = load(path)
    assert stage_of(data, "search")["emotion"] == 1
    assert "sig" in card_texts(data, "search", "actions")
