"""Fault tests for the editor: every test ends by looking at what is on disk.

* SIGHUP, SIGTERM and a dropped terminal, in a real pseudo-terminal: the edit is
  saved, even text still in an open card editor.
* Disk full and read-only (``atomic_write`` patched to fail): the edit stays in
  memory, the status line says so, the retry saves it; quitting or a signal
  while saving fails leaves a recovery file.
* The file deleted, replaced or overwritten while open: written again / merged.
* Two editors on one file, interleaved edits: both sets end up in the file.
* Hostile maps (escape sequences, Rich markup, a 1 MB card, 10,000 cards) open,
  show their text literally and are not changed by opening them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from conftest import small_map
from pty_app import PtyApp
from screen import make_app, screen_text

import cjm_tui.store.document as document_mod
import cjm_tui.ui.autosave as autosave_mod
from cjm_tui.model import Card
from cjm_tui.store import codec
from cjm_tui.store.files import loads_fast

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# joan-vacuum: the first card of the first two stages, in the Actions lane
SEARCH_1 = "Goes to a search engine and looks for a new vacuum cleaner"
SEARCH_2 = "Scans the ads at the top of the results first"
VISIT_1 = "Clicks the search ad and lands on the product page"


# -- helpers --------------------------------------------------------------------------------------
def copy_sample(tmp_path: Path, name: str = "joan-vacuum") -> Path:
    path = tmp_path / f"{name}.cjm.toml"
    shutil.copyfile(SAMPLES / f"{name}.cjm.toml", path)
    return path


def disk_map(path: Path):
    return loads_fast(path.read_text(encoding="utf-8"), str(path))


def card(m, stage: str, i: int, lane: str = "actions") -> str:
    return m.stage(stage).peek(lane)[i].text


def all_texts(m) -> list[str]:
    return [c.text for s in m.stages for lane in m.lanes for c in s.peek(lane.id)]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def recovery_files() -> list[Path]:
    folder = autosave_mod.recovery_dir()
    return sorted(folder.glob("*.cjm.toml")) if folder.exists() else []


@asynccontextmanager
async def editor(path: Path, **kwargs):
    app = make_app(path, **kwargs)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        yield app, pilot


async def until(pilot, cond, timeout: float, step: float = 0.05) -> float:
    """Wait (letting the app run) until cond() holds; seconds taken. Fails after *timeout*."""
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"condition not met within {timeout}s")
        await pilot.pause(step)
    return time.monotonic() - t0


async def edit_card(pilot, suffix: str) -> None:
    """Enter on the current card, type *suffix* at its end, Esc."""
    await pilot.press("enter")
    await pilot.press(*suffix)
    await pilot.press("escape")


def status_line(app) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


# -- signals in a real terminal --------------------------------------------------------------------
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("mode", ["esc-pressed", "card-editor-open", "new-card-open"])
def test_signal_saves_the_edit(tmp_path, sig, mode):
    path = copy_sample(tmp_path)
    # a long autosave delay: only the signal handler can have saved the edit
    with PtyApp([path], tmp_path / "home", autosave_delay=30) as app:
        assert app.wait_settled(timeout=20), "no first screen"
        mark = app.mark()
        app.press("a" if mode == "new-card-open" else "enter")
        app.type("BRAND NEW" if mode == "new-card-open" else " EDITED")
        assert app.wait_for("BRAND NEW" if mode == "new-card-open" else "EDITED", mark, 5), "typed text never shown"
        if mode == "esc-pressed":
            app.press("escape")
        app.wait_settled(0.3, 5)
        assert "EDITED" not in path.read_text(encoding="utf-8")
        assert "BRAND NEW" not in path.read_text(encoding="utf-8")
        app.signal(sig)
        t0 = time.monotonic()
        rc = app.wait_exit(5)
        took = time.monotonic() - t0
    assert rc is not None, f"still running 5 s after {sig.name}"
    assert rc != -sig, f"killed by {sig.name} instead of handling it"
    assert took < 5
    m = disk_map(path)
    if mode == "new-card-open":
        assert card(m, "search", 1) == "BRAND NEW"
        assert card(m, "search", 0) == SEARCH_1
    else:
        assert card(m, "search", 0) == SEARCH_1 + " EDITED"
    assert leftovers(tmp_path) == []


def test_dropped_terminal_saves_the_open_card_editor(tmp_path):
    """An SSH link drops: the terminal goes away (hangup) with text in the card editor."""
    path = copy_sample(tmp_path)
    with PtyApp([path], tmp_path / "home", autosave_delay=30) as app:
        assert app.wait_settled(timeout=20)
        mark = app.mark()
        app.press("enter")
        app.type(" HANGUP")
        assert app.wait_for("HANGUP", mark, 5)
        app.hangup()
        rc = app.wait_exit(5)
    assert rc is not None, "still running 5 s after the terminal went away"
    assert card(disk_map(path), "search", 0) == SEARCH_1 + " HANGUP"


FULL_DISK_CJM = """\
import sys
import cjm_tui.store.document as d

def full(path, data):
    raise OSError(28, "No space left on device")

d.atomic_write = full
from cjm_tui.cli import main
sys.exit(main())
"""


def test_sigterm_while_the_disk_is_full_writes_a_recovery_file(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_bytes()
    home = tmp_path / "home"
    argv = [sys.executable, "-c", FULL_DISK_CJM, str(path)]
    with PtyApp([], home, argv=argv) as app:
        assert app.wait_settled(timeout=20)
        mark = app.mark()
        app.press("enter")
        app.type(" KEEPME")
        app.press("escape")
        assert app.wait_for("save failed", mark, 5), app.text(mark)[-500:]
        app.signal(signal.SIGTERM)
        rc = app.wait_exit(5)
        out = app.text(mark)
    assert rc is not None, "still running 5 s after SIGTERM"
    assert path.read_bytes() == before
    found = sorted((home / "state" / "cjm" / "recovery").glob("*.cjm.toml"))
    assert found, "no recovery file"
    for f in found:
        assert card(disk_map(f), "search", 0) == SEARCH_1 + " KEEPME"
    assert "Your edits are in" in out, out[-400:]


# -- disk full and read-only -----------------------------------------------------------------------
SAVE_ERRORS = [
    pytest.param(lambda: OSError(28, "No space left on device"), "disk is full", id="disk-full"),
    pytest.param(lambda: PermissionError(13, "Permission denied"), "permission denied", id="read-only"),
]


@pytest.mark.parametrize("make_error,words", SAVE_ERRORS)
async def test_failed_save_keeps_edits_says_so_and_retries(tmp_path, monkeypatch, make_error, words):
    monkeypatch.setattr(autosave_mod, "RETRY_SECONDS", 0.4)
    path = copy_sample(tmp_path)
    before = path.read_bytes()
    real_write = document_mod.atomic_write
    calls = []

    def failing(p, data):
        calls.append(p)
        raise make_error()

    async with editor(path) as (app, pilot):
        monkeypatch.setattr(document_mod, "atomic_write", failing)
        await edit_card(pilot, " FIRST")
        await until(pilot, lambda: app.saver.state == "failed", 3)
        status = status_line(app)
        assert "save failed" in status and words in status, status
        assert card(app.history.map, "search", 0) == SEARCH_1 + " FIRST"
        # keep working while the disk refuses
        await pilot.press("j")
        await edit_card(pilot, " SECOND")
        await pilot.pause(1.0)
        assert len(calls) >= 3, f"saving was not retried ({len(calls)} attempts)"
        assert path.read_bytes() == before
        assert "save failed" in status_line(app)
        # the disk recovers: the retry writes everything
        monkeypatch.setattr(document_mod, "atomic_write", real_write)
        await until(pilot, lambda: app.saver.state == "saved", 3)
        assert "saved" in status_line(app) and "failed" not in status_line(app)
    m = disk_map(path)
    assert card(m, "search", 0) == SEARCH_1 + " FIRST"
    assert card(m, "search", 1) == SEARCH_2 + " SECOND"
    assert leftovers(tmp_path) == []
    assert recovery_files() == []


@pytest.mark.parametrize("make_error,words", SAVE_ERRORS)
async def test_quit_while_saving_fails_writes_a_recovery_file(tmp_path, monkeypatch, make_error, words):
    path = copy_sample(tmp_path)
    before = path.read_bytes()

    def failing(p, data):
        raise make_error()

    async with editor(path) as (app, pilot):
        monkeypatch.setattr(document_mod, "atomic_write", failing)
        await edit_card(pilot, " UNSAVED")
        await until(pilot, lambda: app.saver.state == "failed", 3)
        await pilot.press("q")
        await pilot.pause(0.2)
        assert "not saved" in screen_text(app), "quitting with unsaved edits did not ask"
        await pilot.press("q")  # quit anyway
        await until(pilot, lambda: not app.is_running, 3)
    assert path.read_bytes() == before
    found = recovery_files()
    assert len(found) == 1, found
    assert card(disk_map(found[0]), "search", 0) == SEARCH_1 + " UNSAVED"


# -- the file deleted, replaced or overwritten while open ---------------------------------------------
async def test_deleted_file_is_written_again_with_everything(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await edit_card(pilot, " SAVED")
        await until(pilot, lambda: "SAVED" in path.read_text(encoding="utf-8"), 3)
        await pilot.pause(0.2)
        path.unlink()
        await pilot.press("j")
        await edit_card(pilot, " AFTER")  # an edit made while the file is gone
        took = await until(pilot, path.exists, 4)
        assert took < 2.5, f"the deleted file came back only after {took:.1f}s"
        await until(pilot, lambda: app.saver.state == "saved", 3)
        want = codec.dumps(app.history.map)
    m = disk_map(path)
    assert card(m, "search", 0) == SEARCH_1 + " SAVED"
    assert card(m, "search", 1) == SEARCH_2 + " AFTER"
    assert codec.dumps(m) == want
    assert len(all_texts(m)) == len(all_texts(loads_fast((SAMPLES / "joan-vacuum.cjm.toml").read_text())))


async def test_deleted_file_written_back_by_another_editor_first_is_merged(tmp_path):
    """The file goes (a checkout), another editor writes it back before we do: our edits
    made meanwhile are merged with theirs against the file as we last knew it, not lost."""
    path = copy_sample(tmp_path)
    original = path.read_text(encoding="utf-8")
    async with editor(path, autosave_delay=30) as (app, pilot):  # no autosave of ours in between
        path.unlink()
        app.check_disk()
        assert app.document.disk_text is None
        await edit_card(pilot, " OURS")
        assert SEARCH_1 + " OURS" not in (path.read_text(encoding="utf-8") if path.exists() else "")
        path.write_text(original.replace(VISIT_1, VISIT_1 + " THEIRS"), encoding="utf-8")
        app.check_disk()
        await pilot.pause()
        assert app.saver.flush()
    m = disk_map(path)
    assert card(m, "search", 0) == SEARCH_1 + " OURS"
    assert card(m, "visit", 0) == VISIT_1 + " THEIRS"


async def test_folder_removed_while_open_keeps_edits_and_recovers_on_quit(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    path = copy_sample(folder)
    async with editor(path) as (app, pilot):
        await pilot.pause(0.2)
        shutil.rmtree(folder)  # e.g. a git worktree removed under the editor
        await pilot.pause(1.3)
        await edit_card(pilot, " ORPHAN")
        await until(pilot, lambda: app.saver.state == "failed", 3)
        assert "save failed" in status_line(app) and "folder" in status_line(app)
        await pilot.press("q")
        await pilot.pause(0.2)
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, 3)
    assert not folder.exists(), "the editor must not recreate a removed folder"
    found = recovery_files()
    assert len(found) == 1
    assert card(disk_map(found[0]), "search", 0) == SEARCH_1 + " ORPHAN"


def _outside_version(path: Path, how: str) -> None:
    """Another program changes a different card (Visit, first action)."""
    text = path.read_text(encoding="utf-8")
    assert VISIT_1 in text
    new = text.replace(VISIT_1, VISIT_1 + " THEIRS", 1)
    if how == "rename-over":  # git checkout, another cjm: a new file renamed over ours
        tmp = path.with_name("incoming.tmp")
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, path)
    else:  # an editor that writes in place: same inode
        with open(path, "r+", encoding="utf-8") as fh:
            fh.write(new)
            fh.truncate()


@pytest.mark.parametrize("how", ["rename-over", "in-place"])
async def test_replaced_file_is_merged_with_a_pending_edit(tmp_path, how):
    path = copy_sample(tmp_path)
    # autosave waits 2 s: our edit is still pending when the outside change lands
    async with editor(path, autosave_delay=2.0) as (app, pilot):
        await edit_card(pilot, " OURS")
        _outside_version(path, how)
        await until(pilot, lambda: card(app.history.map, "visit", 0) == VISIT_1 + " THEIRS", 3)
        await until(pilot, lambda: "OURS" in path.read_text(encoding="utf-8") and app.saver.state == "saved", 4)
    m = disk_map(path)
    assert card(m, "search", 0) == SEARCH_1 + " OURS"
    assert card(m, "visit", 0) == VISIT_1 + " THEIRS"


async def test_replaced_file_without_pending_edits_is_reloaded(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path) as (app, pilot):
        await pilot.pause(0.3)
        _outside_version(path, "rename-over")
        theirs = path.read_bytes()
        took = await until(pilot, lambda: card(app.history.map, "visit", 0) == VISIT_1 + " THEIRS", 3)
        assert took < 2.5
        await pilot.pause(0.5)
    assert path.read_bytes() == theirs  # taken as it is, not rewritten


async def test_file_replaced_by_an_invalid_one_is_not_written_over(tmp_path):
    path = copy_sample(tmp_path)
    good = path.read_text(encoding="utf-8")
    async with editor(path) as (app, pilot):
        await pilot.pause(0.2)
        bad = good.replace('title = "Joan', 'title = "Joan\n', 1)  # an unterminated string
        tmp = tmp_path / "incoming.tmp"
        tmp.write_text(bad, encoding="utf-8")
        os.replace(tmp, path)
        await pilot.pause(1.3)
        await edit_card(pilot, " OURS")
        await until(pilot, lambda: app.saver.state == "failed", 3)
        await pilot.pause(0.5)
        assert path.read_text(encoding="utf-8") == bad, "an unreadable file was written over"
        assert "save failed" in status_line(app) and "not a valid map" in status_line(app)
        # fixed on disk (with a change of its own): our edit is merged in and saved
        tmp.write_text(good.replace(VISIT_1, VISIT_1 + " THEIRS", 1), encoding="utf-8")
        os.replace(tmp, path)
        await until(pilot, lambda: "OURS" in path.read_text(encoding="utf-8") and app.saver.state == "saved", 4)
    m = disk_map(path)
    assert card(m, "search", 0) == SEARCH_1 + " OURS"
    assert card(m, "visit", 0) == VISIT_1 + " THEIRS"


async def test_overwrite_with_same_size_and_mtime_is_still_merged(tmp_path):
    path = copy_sample(tmp_path)
    async with editor(path, autosave_delay=0.5) as (app, pilot):
        await pilot.pause(0.2)
        st = path.stat()
        text = path.read_text(encoding="utf-8")
        new = text.replace("Checks the price against the ad", "Checks the price against THE AD", 1)
        assert len(new) == len(text) and new != text
        with open(path, "r+", encoding="utf-8") as fh:
            fh.write(new)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # e.g. cp -p, or two writes in one clock tick
        await edit_card(pilot, " OURS")
        await until(pilot, lambda: "OURS" in path.read_text(encoding="utf-8") and app.saver.state == "saved", 4)
    m = disk_map(path)
    assert card(m, "search", 0) == SEARCH_1 + " OURS"
    assert card(m, "visit", 1) == "Checks the price against THE AD"


# -- two editors on one file ---------------------------------------------------------------------------
def test_two_editors_interleaved_edits_all_kept(tmp_path):
    path = copy_sample(tmp_path)
    a = PtyApp([path], tmp_path / "home-a")
    b = None
    try:
        assert a.wait_settled(timeout=20)
        b = PtyApp([path], tmp_path / "home-b")
        assert b.wait_settled(timeout=20)
        b.press("l")  # B works in the next stage
        b.wait_settled(0.2, 3)

        def edit(app: PtyApp, word: str) -> None:
            mark = app.mark()
            app.press("enter")
            app.type(word)
            assert app.wait_for(word.strip(), mark, 5), f"{word!r} never shown"
            app.press("escape")
            app.wait_settled(0.2, 3)
            time.sleep(1.5)

        for n in (1, 2, 3):
            edit(a, f" A{n}")
            edit(b, f" B{n}")
        for app in (a, b):
            app.press("q")
        rc_a, rc_b = a.wait_exit(8), b.wait_exit(8)
        assert rc_a == 0 and rc_b == 0, (rc_a, rc_b)
    finally:
        a.close()
        if b is not None:
            b.close()
    m = disk_map(path)
    assert card(m, "search", 0) == SEARCH_1 + " A1 A2 A3"
    assert card(m, "visit", 0) == VISIT_1 + " B1 B2 B3"
    assert not any(c.conflict for s in m.stages for lane in m.lanes for c in s.peek(lane.id))
    assert leftovers(tmp_path) == []


# -- hostile maps --------------------------------------------------------------------------------------
ESCAPES = "\x1b[2J\x1b[31mRED ALERT"
MARKUP = "[bold red]x[/]"


def _hostile(tmp_path: Path, kind: str) -> Path:
    if kind == "10000-cards":
        sys.path.insert(0, str(ROOT / "bench"))
        try:
            from gen import make_map
        finally:
            sys.path.remove(str(ROOT / "bench"))
        m = make_map(10_000)
    else:
        m = small_map()
        actions = m.stages[0].cards("actions")
        if kind == "escapes-and-markup":
            actions[0:0] = [Card(ESCAPES), Card(MARKUP), Card("[link=http://evil.example]click[/link] \x07\x9b2J")]
        else:
            actions.insert(0, Card("start " + "lorem ipsum " * 90_000))  # about 1 MB
    path = tmp_path / f"{kind}.cjm.toml"
    path.write_text(codec.dumps(m), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["escapes-and-markup", "1mb-card", "10000-cards"])
def test_hostile_map_opens_literally_and_is_left_alone(tmp_path, kind):
    path = _hostile(tmp_path, kind)
    before = path.read_bytes()
    with PtyApp([path], tmp_path / "home") as app:
        assert app.wait_settled(timeout=30), "no first screen"
        app.press("j", "l", "j", "h", "k")
        assert app.wait_settled(0.3, 10)
        raw = app.output
        text = app.text()
        app.press("q")
        rc = app.wait_exit(10)
    assert rc == 0, (rc, text[-800:])
    assert "Traceback" not in text
    assert path.name in text  # the status line showed up
    assert path.read_bytes() == before, "opening and quitting changed the file"
    if kind == "escapes-and-markup":
        assert b"\x1b[2J\x1b[31m" not in raw, "the card's escape sequence reached the terminal"
        assert b"\xc2\x9b2J" not in raw and b"\x07\xc2\x9b" not in raw, "a C1 CSI / BEL from a card reached the terminal"
        assert "RED ALERT" in text
        assert MARKUP in text, "Rich markup in a card was interpreted instead of shown"
        assert "[link=http://evil.example]" in text


async def test_hostile_cards_survive_an_edit_elsewhere(tmp_path):
    path = _hostile(tmp_path, "escapes-and-markup")
    async with editor(path) as (app, pilot):
        assert MARKUP in screen_text(app)
        await pilot.press("j", "j", "j")  # the first ordinary card
        await edit_card(pilot, " EDITED")
        await until(pilot, lambda: "EDITED" in path.read_text(encoding="utf-8") and app.saver.state == "saved", 3)
    texts = all_texts(disk_map(path))
    assert ESCAPES in texts and MARKUP in texts
    assert "Searches online EDITED" in texts


async def test_deleted_file_written_back_before_our_check_is_merged_by_the_save_itself(tmp_path):
    """As above, but our autosave runs before the once-a-second check sees the file back:
    the save reads the file under its lock and merges it; it never writes over it."""
    path = copy_sample(tmp_path)
    original = path.read_text(encoding="utf-8")
    async with editor(path, autosave_delay=30) as (app, pilot):
        path.unlink()
        app.check_disk()
        await edit_card(pilot, " OURS")
        path.write_text(original.replace(VISIT_1, VISIT_1 + " THEIRS"), encoding="utf-8")
        assert await app.saver.save()  # no check_disk in between
    m = disk_map(path)
    assert card(m, "search", 0) == SEARCH_1 + " OURS"
    assert card(m, "visit", 0) == VISIT_1 + " THEIRS"


async def test_quit_during_an_autosave_write_leaves_the_newer_text_on_disk(tmp_path, monkeypatch):
    """flush (quit, SIGHUP) while the worker thread is still writing an older text: it waits
    for that write, so the last write, the one on disk, holds every edit."""
    path = copy_sample(tmp_path)
    real = document_mod.atomic_write

    def slow(p, data):
        time.sleep(0.3)
        real(p, data)

    async with editor(path, autosave_delay=0.01) as (app, pilot):
        monkeypatch.setattr(document_mod, "atomic_write", slow)
        await edit_card(pilot, " FIRST")
        await until(pilot, lambda: app.saver.state == "saving", 2)  # the slow write is in flight
        monkeypatch.setattr(document_mod, "atomic_write", real)
        await pilot.press("j")
        await edit_card(pilot, " SECOND")
        assert app.saver.flush()
        await asyncio.sleep(0.4)  # the worker's write has long finished
    m = disk_map(path)
    assert card(m, "search", 0) == SEARCH_1 + " FIRST"
    assert card(m, "search", 1) == SEARCH_2 + " SECOND"


async def test_a_message_while_saving_fails_is_a_toast_not_lost(tmp_path, monkeypatch):
    path = copy_sample(tmp_path)

    def failing(p, data):
        raise PermissionError()

    from test_editor_keys import editor as editor_with_toasts

    async with editor_with_toasts(path, notifications=True) as (app, pilot):
        monkeypatch.setattr(document_mod, "atomic_write", failing)
        await edit_card(pilot, " X")
        await until(pilot, lambda: app.saver.state == "failed", 3)
        await pilot.press("n")  # no search yet: a one-line note
        await pilot.pause()
        assert "save failed" in status_line(app)  # the status line keeps saying why
        assert any("Nothing to find: press / first" in str(n.message) for n in app._notifications)
