"""The save lock: two editors saving one map at the same moment both keep their edits.

Each editor's save reads the file (to merge a change from elsewhere), renders and
writes. Without a lock two saves interleave (A reads, B reads, A writes, B writes
over A) and A's edit is lost. These tests force that interleaving with a slow write
and look at the file's bytes at the end:

* two editors in one process (deterministic: the write is slowed by a patch);
* two real ``cjm`` processes in pseudo-terminals, Esc pressed in both at once;
* the lock itself: refused while held (also by another process), released in the
  end, held across merge and write, a bounded wait on quit, and the fallback when
  the filesystem has no locks.
"""

from __future__ import annotations

import asyncio
import errno
import subprocess
import sys
import threading
import time
from contextlib import AsyncExitStack
from pathlib import Path

from pty_app import PtyApp
from screen import make_app
from test_editor_keys import copy_sample, goto, wait_saved

import cjm_tui.store.document as document_mod
import cjm_tui.store.lock as lock_mod
import cjm_tui.ui.autosave as autosave_mod
from cjm_tui.store.files import loads_fast
from cjm_tui.store.lock import SaveLock

# joan-vacuum: the first card of the first two stages, in the Actions lane
SEARCH_1 = "Goes to a search engine and looks for a new vacuum cleaner"
VISIT_1 = "Clicks the search ad and lands on the product page"

#: how long a patched write takes: long enough that the other editor's save starts meanwhile
SLOW_WRITE = 0.3


def texts(path: Path) -> tuple[str, str, bool]:
    """(first Search action, first Visit action, any conflict mark) in the file on disk."""
    m = loads_fast(path.read_bytes().decode("utf-8"), str(path))
    marked = any(c.conflict for s in m.stages for lane in m.lanes for c in s.peek(lane.id))
    return m.stage("search").peek("actions")[0].text, m.stage("visit").peek("actions")[0].text, marked


def slow_writes(monkeypatch, log: list | None = None) -> None:
    """Every atomic write of a map takes SLOW_WRITE seconds (a slow disk, NFS, a big map)."""
    real = document_mod.atomic_write

    def write(path, data):
        if log is not None:
            log.append(("start", time.monotonic()))
        time.sleep(SLOW_WRITE)
        real(path, data)
        if log is not None:
            log.append(("end", time.monotonic()))

    monkeypatch.setattr(document_mod, "atomic_write", write)


async def until(cond, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.02)


# -- the lock itself ---------------------------------------------------------------------------------
def test_a_second_lock_on_the_folder_is_refused_until_the_first_is_released(tmp_path):
    path = tmp_path / "a.cjm.toml"
    first, second = SaveLock(path), SaveLock(path)
    assert first.acquire() and first.held
    t0 = time.monotonic()
    assert not second.acquire(wait=0.15) and not second.held
    assert 0.14 <= time.monotonic() - t0 < 1.0  # tried for the time asked, no longer
    # another map in the same folder shares the lock (it is the folder's)
    assert not SaveLock(tmp_path / "b.cjm.toml").acquire()
    first.release()
    first.release()  # idempotent
    assert second.acquire() and second.held
    second.release()
    assert not list(tmp_path.iterdir()), "the lock must leave nothing in the user's folder"


def test_a_waiting_acquire_gets_the_lock_when_it_is_released(tmp_path):
    path = tmp_path / "a.cjm.toml"
    first, second = SaveLock(path), SaveLock(path)
    assert first.acquire()
    threading.Timer(0.2, first.release).start()
    t0 = time.monotonic()
    assert second.acquire(wait=3) and second.held
    assert time.monotonic() - t0 < 1.5
    second.release()


def test_a_lock_held_by_another_process_is_busy_here(tmp_path):
    path = tmp_path / "a.cjm.toml"
    code = (
        "import sys, time; from cjm_tui.store.lock import SaveLock; "
        f"lock = SaveLock({str(path)!r}); assert lock.acquire() and lock.held; "
        "print('held', flush=True); sys.stdin.readline()"
    )
    other = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "held"
        mine = SaveLock(path)
        assert not mine.acquire(wait=0.1)
        other.stdin.close()  # the other process ends: its lock goes with it
        other.wait(timeout=10)
        assert mine.acquire(wait=2) and mine.held
        mine.release()
    finally:
        other.kill()
        other.wait()


def test_no_locks_on_this_filesystem_means_going_ahead_unlocked(tmp_path, monkeypatch):
    def refuse(fd, op):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(lock_mod.fcntl, "flock", refuse)
    lock = SaveLock(tmp_path / "a.cjm.toml")
    assert lock.acquire() is True and not lock.held
    assert "No locks available" in lock.unavailable
    lock.release()


def test_a_missing_folder_means_going_ahead_unlocked(tmp_path):
    lock = SaveLock(tmp_path / "gone" / "a.cjm.toml")
    assert lock.acquire() is True and not lock.held and lock.unavailable


# -- the editor holds it from reading the disk to the end of the write ---------------------------------
async def test_the_lock_is_held_across_the_merge_check_and_the_write(tmp_path, monkeypatch):
    path = copy_sample(tmp_path)
    seen: list[tuple[str, bool]] = []
    real_write = document_mod.atomic_write

    def busy() -> bool:
        probe = SaveLock(path)
        if probe.acquire():
            probe.release()
            return False
        return True

    def write(p, data):
        seen.append(("write", busy()))
        real_write(p, data)

    monkeypatch.setattr(document_mod, "atomic_write", write)
    async with make_app(path).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        check = app.saver.before_write

        def before_write() -> None:
            seen.append(("merge", busy()))
            check()

        app.saver.before_write = before_write
        await pilot.press("enter", *" OURS")
        # a change lands on disk while the card editor is open (so only the save's own
        # check merges it): the saver merges it under the lock
        text = path.read_text(encoding="utf-8")
        real_write(path, text.replace(VISIT_1, VISIT_1 + " THEIRS", 1))  # (not through the patch)
        await pilot.press("escape")
        await wait_saved(pilot, app)
        assert not busy(), "the lock must be released after the save"
    assert ("merge", True) in seen and ("write", True) in seen, seen
    assert texts(path) == (SEARCH_1 + " OURS", VISIT_1 + " THEIRS", False)


async def test_a_busy_lock_delays_the_save_without_freezing_the_screen(tmp_path):
    path = copy_sample(tmp_path)
    before = path.read_bytes()
    other = SaveLock(path)  # another editor in the middle of its save
    async with make_app(path).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        assert other.acquire()
        try:
            await pilot.press("enter", *" OURS", "escape")
            t0 = time.monotonic()
            await pilot.press("j", "k")  # the screen answers keys meanwhile
            assert time.monotonic() - t0 < 1.0
            await asyncio.sleep(0.4)
            assert path.read_bytes() == before, "written while another editor held the lock"
            assert app.saver.state == "unsaved"
        finally:
            other.release()
        await wait_saved(pilot, app)
    assert texts(path)[0] == SEARCH_1 + " OURS"


async def test_a_lock_held_for_too_long_is_given_up_and_the_edit_saved(tmp_path, monkeypatch):
    monkeypatch.setattr(autosave_mod, "LOCK_PATIENCE_SECONDS", 0.3)
    path = copy_sample(tmp_path)
    stuck = SaveLock(path)  # an editor stopped (ctrl+z) in the middle of a save
    assert stuck.acquire()
    try:
        async with make_app(path).run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("enter", *" OURS", "escape")
            await wait_saved(pilot, pilot.app, timeout=3)
    finally:
        stuck.release()
    assert texts(path)[0] == SEARCH_1 + " OURS"


async def test_quit_waits_a_bounded_time_for_the_lock_then_writes_anyway(tmp_path, monkeypatch):
    monkeypatch.setattr(autosave_mod, "FLUSH_LOCK_SECONDS", 0.4)
    path = copy_sample(tmp_path)
    stuck = SaveLock(path)
    async with make_app(path, autosave_delay=30).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("enter", *" OURS", "escape")
        assert stuck.acquire()
        try:
            t0 = time.monotonic()
            assert app.saver.flush()  # what quit, SIGHUP and SIGTERM do
            took = time.monotonic() - t0
        finally:
            stuck.release()
        assert 0.35 <= took < 2.0, took
        assert texts(path)[0] == SEARCH_1 + " OURS"
        # nothing left to write: quitting does not wait for a busy lock
        assert stuck.acquire()
        try:
            t0 = time.monotonic()
            assert app.saver.flush()
            assert time.monotonic() - t0 < 0.2
        finally:
            stuck.release()


async def test_quit_writes_as_soon_as_the_other_save_is_done(tmp_path):
    path = copy_sample(tmp_path)
    other = SaveLock(path)
    async with make_app(path, autosave_delay=30).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("enter", *" OURS", "escape")
        assert other.acquire()
        threading.Timer(0.2, other.release).start()
        t0 = time.monotonic()
        assert app.saver.flush()
        assert 0.15 <= time.monotonic() - t0 < 1.5
    assert texts(path)[0] == SEARCH_1 + " OURS"


async def test_no_locks_on_this_filesystem_saves_as_before(tmp_path, monkeypatch):
    def refuse(fd, op):
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr(lock_mod.fcntl, "flock", refuse)
    path = copy_sample(tmp_path)
    async with make_app(path).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", *" OURS", "escape")
        await wait_saved(pilot, pilot.app)
        assert pilot.app.saver.flush()
    assert texts(path)[0] == SEARCH_1 + " OURS"


# -- two editors, Esc pressed in both at once --------------------------------------------------------
async def test_two_editors_saving_at_the_same_moment_keep_both_edits(tmp_path, monkeypatch):
    """The walkthrough's bug: A and B edit different cards and press Esc within
    milliseconds. Both saves start before either write ends (forced by a slow write);
    without the lock B's write replaces A's and A then reloads B's file: A's edit gone."""
    writes: list = []
    slow_writes(monkeypatch, writes)
    path = copy_sample(tmp_path)
    a, b = make_app(path), make_app(path)
    async with AsyncExitStack() as stack:
        pa = await stack.enter_async_context(a.run_test(size=(80, 24)))
        pb = await stack.enter_async_context(b.run_test(size=(80, 24)))
        await pa.pause()
        await pb.pause()
        await goto(pb, b, "visit", "actions", 0)
        await pa.press("enter", *" A-EDIT")
        await pb.press("enter", *" B-EDIT")
        await asyncio.gather(pa.press("escape"), pb.press("escape"))

        def settled() -> bool:
            return all(
                app.saver.state == "saved" and app.saver._timer is None and not app.saver._writing for app in (a, b)
            ) and texts(path)[:2] == (a.history.map.stage("search").peek("actions")[0].text,
                                      b.history.map.stage("visit").peek("actions")[0].text)

        await until(lambda: len(writes) >= 4 or settled(), 6)
        await asyncio.sleep(1.5)  # each editor looks at the disk every second: let them see the end
        await until(settled, 6)
        # both editors now show both edits too
        for app in (a, b):
            m = app.history.map
            assert m.stage("search").peek("actions")[0].text == SEARCH_1 + " A-EDIT"
            assert m.stage("visit").peek("actions")[0].text == VISIT_1 + " B-EDIT"
    # the two writes did not overlap: the second began after the first ended
    starts = [t for what, t in writes if what == "start"]
    ends = [t for what, t in writes if what == "end"]
    assert len(starts) >= 2 and starts[1] >= ends[0], writes
    assert texts(path) == (SEARCH_1 + " A-EDIT", VISIT_1 + " B-EDIT", False)


# -- two real cjm processes --------------------------------------------------------------------------
#: ``cjm PATH`` with every map write slowed down (so the two saves surely overlap in time)
SLOW_CJM = (
    "import sys, time\n"
    "import cjm_tui.store.document as d\n"
    "real = d.atomic_write\n"
    "def slow(path, data):\n"
    f"    time.sleep({SLOW_WRITE})\n"
    "    real(path, data)\n"
    "d.atomic_write = slow\n"
    "from cjm_tui.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_two_cjm_processes_pressing_esc_together_keep_both_edits(tmp_path):
    path = copy_sample(tmp_path)
    argv = [sys.executable, "-c", SLOW_CJM, str(path)]
    a = PtyApp([], tmp_path / "home-a", argv=argv)
    b = None
    try:
        assert a.wait_settled(timeout=20), "no first screen (A)"
        b = PtyApp([], tmp_path / "home-b", argv=argv)
        assert b.wait_settled(timeout=20), "no first screen (B)"
        b.press("l")  # B works in the next stage
        b.wait_settled(0.2, 3)
        for app, word in ((a, " A-EDIT"), (b, " B-EDIT")):
            mark = app.mark()
            app.press("enter")
            app.type(word)
            assert app.wait_for(word.strip(), mark, 5), f"{word!r} never shown"
        a.send(b"\x1b")  # Esc in both terminals, a fraction of a millisecond apart
        b.send(b"\x1b")
        # both saves (slowed to 0.3 s each) and a look at the disk each (every second)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and texts(path)[:2] != (SEARCH_1 + " A-EDIT", VISIT_1 + " B-EDIT"):
            time.sleep(0.1)
        time.sleep(2.5)  # let each editor see the other's write (and write nothing over it)
        for app in (a, b):
            app.press("q")
        rc_a, rc_b = a.wait_exit(10), b.wait_exit(10)
        assert (rc_a, rc_b) == (0, 0)
    finally:
        a.close()
        if b is not None:
            b.close()
    assert texts(path) == (SEARCH_1 + " A-EDIT", VISIT_1 + " B-EDIT", False)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
