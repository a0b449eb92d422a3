"""Autosave: every change reaches the disk about a second after the last key.

The text is rendered on the UI thread (the map is not thread-safe) and written
on a worker thread, so a slow disk never freezes the screen. A failed write
keeps everything in memory, says why, and retries; ``flush`` saves at once
(quit, SIGHUP, SIGTERM) and, if even that fails, writes a recovery copy so
nothing typed is lost.

Two editors on one map: from reading the file (to merge a change from
elsewhere first) to the end of the write, the saver holds the map's save lock
(``store.lock.SaveLock``), so two saves never interleave and neither writes
over an edit it has not merged (as long as every editor honours the lock: one
that holds it past ``LOCK_PATIENCE_SECONDS`` is passed over). ``save`` only tries
the lock (busy: again in ``LOCK_RETRY_SECONDS``; the screen never waits); ``flush``
waits up to ``FLUSH_LOCK_SECONDS`` and then writes anyway rather than lose edits.
Within this process a flush waits for an autosave's write in flight, so the newer
text lands last.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..store.document import MapDocument
from ..store.lock import SaveLock

RETRY_SECONDS = 3.0
#: another editor is saving this map: try again this soon
LOCK_RETRY_SECONDS = 0.05
#: held by another editor this long (a frozen or stopped process): save unlocked, as before locks
LOCK_PATIENCE_SECONDS = 5.0
#: quit and signals wait this long for another editor's save before writing anyway
FLUSH_LOCK_SECONDS = 2.0


def recovery_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "cjm" / "recovery"


def describe_os_error(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied (read-only file or folder?)"
    if isinstance(exc, FileNotFoundError):
        return "the folder no longer exists"
    if isinstance(exc, OSError) and exc.errno == 28:
        return "the disk is full"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


class AutoSaver:
    """Owns when and how the open document is written.

    ``state`` is one of: "saved", "unsaved", "saving", "failed", "read-only".
    """

    def __init__(
        self,
        document: MapDocument,
        *,
        delay: float = 1.0,
        read_only: bool = False,
        on_state: Callable[[], None] | None = None,
        call_later: Callable[[float, Callable[[], object]], object] | None = None,
        revision: Callable[[], int] | None = None,
        before_write: Callable[[], None] | None = None,
    ) -> None:
        self.document = document
        self.delay = delay
        self.read_only = read_only
        self.on_state = on_state or (lambda: None)
        self.call_later = call_later
        self.state = "read-only" if read_only else "saved"
        self.error: str | None = None
        self.saved_at: float | None = None
        self._timer: object | None = None
        self._writing = False
        self._again = False
        self.recovery_path: Path | None = None
        self._recovery_text: str | None = None
        self.revision = revision or (lambda: 0)
        #: called before writing when the file changed on disk since we read or wrote it
        #: (the editor merges the outside change in, so it is never written over)
        self.before_write = before_write
        #: the map revision the file on disk holds
        self.saved_revision = self.revision()
        #: why saving must wait (the file on disk is not a valid map); None when free
        self.blocked: str | None = None
        #: the save lock of the map's folder (made for the document's path when first needed)
        self._lock: SaveLock | None = None
        #: since when ``save`` has found the lock busy (monotonic seconds); None: not waiting
        self._busy_since: float | None = None
        #: held while this process writes the file: a flush (quit, SIGHUP) waits for a
        #: write in flight on the worker thread, so the newer text lands last
        self._write_lock = threading.Lock()

    # -- state -----------------------------------------------------------------
    def _set(self, state: str, error: str | None = None) -> None:
        self.state = state
        self.error = error
        self.on_state()

    def changed(self) -> None:
        """The map changed: save after the quiet delay."""
        if self.read_only:
            return
        if self.state != "failed":
            self._set("unsaved")
        self._schedule(self.delay)

    def _schedule(self, delay: float) -> None:
        if self.call_later is None:
            return
        if self._timer is not None and hasattr(self._timer, "stop"):
            self._timer.stop()
        self._timer = self.call_later(delay, self._fire)

    def _fire(self) -> None:
        self._timer = None
        asyncio.get_event_loop().create_task(self.save())

    # -- saving ------------------------------------------------------------------
    async def save(self) -> bool:
        """Render now, write on a thread. Returns True when the disk holds the map."""
        if self.read_only:
            return True
        if self._writing:
            self._again = True
            return False
        lock = self._save_lock()
        if not lock.acquire(wait=0):
            # another editor is reading, merging and writing this map: ours comes next
            now = time.monotonic()
            if self._busy_since is None:
                self._busy_since = now
            if now - self._busy_since < LOCK_PATIENCE_SECONDS:
                self._schedule(LOCK_RETRY_SECONDS)
                return False
            # held for seconds (a stopped or hung editor): save as without the lock
        self._busy_since = None
        try:
            return await self._save_locked()
        finally:
            lock.release()

    async def _save_locked(self) -> bool:
        self._merge_outside_first()
        if self.blocked:
            self._set("failed", self.blocked)
            return False
        rev = self.revision()
        text = self.document.render()
        if text == self.document.disk_text and self.document.path.exists():
            self.saved_revision = rev
            self._set("saved")
            return True
        self._writing = True
        self._set("saving")
        try:
            await asyncio.to_thread(self._write, text)
        except Exception as exc:  # OSError mostly; anything else must not lose edits either
            self._writing = False
            self._set("failed", describe_os_error(exc))
            self._schedule(RETRY_SECONDS)
            return False
        self._writing = False
        self.saved_at = time.time()
        self.saved_revision = rev
        if self._again or self.document.render() != text:
            self._again = False
            self._set("unsaved")
            self._schedule(0.05)
            return False
        self._set("saved")
        return True

    def flush(self) -> bool:
        """Save synchronously, now (quit and signals). True when the disk holds the map."""
        if self.read_only:
            return True
        if self._timer is not None and hasattr(self._timer, "stop"):
            self._timer.stop()
            self._timer = None
        lock = self._save_lock()
        if lock.held:
            # our own save is writing on its thread and holds the lock: it is ours to use
            return self._flush_locked()
        pending = (
            self.revision() != self.saved_revision
            or self.document.disk_text is None
            or not self.document.path.exists()
        )
        # nothing of ours to write: a change on disk is only read in, no need to wait
        lock.acquire(wait=FLUSH_LOCK_SECONDS if pending else 0)  # still busy: write anyway
        try:
            return self._flush_locked()
        finally:
            lock.release()

    def _write(self, text: str) -> None:
        with self._write_lock:
            self.document.write(text)

    def _flush_locked(self) -> bool:
        with self._write_lock:  # an autosave's write in flight finishes first
            return self._flush_now()

    def _flush_now(self) -> bool:
        self._merge_outside_first()
        if self.blocked:
            self._set("failed", self.blocked)
            return False
        rev = self.revision()
        if rev == self.saved_revision and self.document.disk_text is not None and self.document.path.exists():
            self._set("saved")
            return True  # nothing changed since the last write: no need to render (quit stays quick)
        text = self.document.render()
        if text == self.document.disk_text and self.document.path.exists():
            self.saved_revision = rev
            self._set("saved")
            return True
        try:
            self.document.write(text)
        except Exception as exc:
            self._set("failed", describe_os_error(exc))
            return False
        self.saved_revision = rev
        self.saved_at = time.time()
        self._set("saved")
        return True

    def _save_lock(self) -> SaveLock:
        """The save lock for the document's path now (save-as may have moved it)."""
        lock = self._lock
        if lock is None or (lock.path != self.document.path and not lock.held):
            lock = self._lock = SaveLock(self.document.path)
        return lock

    def _merge_outside_first(self) -> None:
        """Before writing: if the file holds anything but what we last read or wrote
        (compared by content: a same-size rewrite within one clock tick keeps the
        stamp), let the editor merge it in first."""
        doc = self.document
        if self.before_write is None:
            return
        try:
            now = doc.path.read_bytes()
        except OSError:
            return  # gone or unreadable: the editor's check says so; writing recreates it
        # disk_text None: the file was deleted (or is new) and has appeared since: merge it too
        if doc.disk_text is None or now != doc.disk_text.encode("utf-8"):
            self.before_write()

    def write_recovery(self) -> Path | None:
        """Write the map where it can be found again when its own file can't be written."""
        text = self.document.render()
        if self.recovery_path is not None and self._recovery_text == text:
            return self.recovery_path  # already written (signal handler, then exit)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = self.document.path.name
        if name.endswith(".cjm.toml"):
            name = name[: -len(".cjm.toml")]
        for folder in (recovery_dir(), Path(os.environ.get("TMPDIR", "/tmp"))):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                target = folder / f"{name}.recovered-{stamp}.cjm.toml"
                target.write_text(text, encoding="utf-8")
                self.recovery_path = target
                self._recovery_text = text
                return target
            except OSError:
                continue
        return None

    def save_as(self, path: Path) -> None:
        """Point the document at *path* and write it there now (raises OSError)."""
        old_path, old_disk, old_stamp = self.document.path, self.document.disk_text, self.document.stamp
        self.document.path = path
        self.document.disk_text = None
        try:
            self.document.write(self.document.render())
        except Exception:
            self.document.path, self.document.disk_text, self.document.stamp = old_path, old_disk, old_stamp
            raise
        self.read_only = False
        self.saved_at = time.time()
        self._set("saved")
