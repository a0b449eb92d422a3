"""The save lock: "read the file, merge what changed, write" as one step between cjm processes.

Two editors on one map each read the file before they write it, to merge a
change from elsewhere first. Without a lock the two sequences can interleave
(A reads, B reads, A writes, B writes over A without having seen it) and A's
edit is lost. ``SaveLock`` is an advisory, exclusive ``flock`` that every cjm
editor holds from the read to the end of the write.

The lock is taken on the map's *folder* (a descriptor opened read-only), not on
the map: ``atomic_write`` renames a new file over the map, so a lock on the old
file would guard nothing, and a lock file beside the map would litter the
user's git checkout. The cost is that saves of different maps in one folder
wait for each other; a save takes milliseconds.

Where ``flock`` is missing or refused (some network filesystems, another OS)
the lock says it is *unavailable* and callers go ahead unlocked, as before
there was a lock. Everything here is cheap: an ``open``, a ``flock`` and a
``close`` per save, a few microseconds.

    lock = SaveLock(path)
    if lock.acquire(wait=0):      # False: another editor is saving right now
        try:
            ...                   # read, merge, render, write
        finally:
            lock.release()
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Unix
    fcntl = None  # type: ignore[assignment]

#: how often a waiting ``acquire`` tries again
POLL_SECONDS = 0.01


class SaveLock:
    """An exclusive advisory lock on the folder of one map file (one per editor).

    ``acquire`` returns True when the caller may go ahead: the lock is held
    (``held``), or locking does not work here (``unavailable`` says why). It
    returns False only when another process (or another ``SaveLock``) holds it.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        #: why the last ``acquire`` could not lock (None: it could, or was not tried)
        self.unavailable: str | None = None
        self._fd: int | None = None

    @property
    def folder(self) -> Path:
        parent = self.path.parent
        return parent if str(parent) else Path(".")

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: float = 0.0) -> bool:
        """Take the lock, trying for up to *wait* seconds (0: once, never blocks).

        True: held now, or locking is unavailable (go ahead unlocked). False: busy.
        Raises nothing. Acquiring a lock this object already holds is an error.
        """
        if self._fd is not None:
            raise RuntimeError("SaveLock is already held")
        self.unavailable = None
        if fcntl is None:  # pragma: no cover - not on Unix
            self.unavailable = "no flock on this system"
            return True
        try:
            fd = os.open(self.folder, os.O_RDONLY)
        except OSError as exc:  # folder gone, no read permission on it
            self.unavailable = f"cannot open the folder: {exc.strerror or exc}"
            return True
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
                continue
            except OSError as exc:  # ENOLCK, EBADF, EOPNOTSUPP...: no locks on this filesystem
                os.close(fd)
                self.unavailable = f"cannot lock: {exc.strerror or exc}"
                return True
            self._fd = fd
            return True

    def release(self) -> None:
        """Let the next editor save (closing the descriptor drops the lock). Idempotent."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.close(fd)
        except OSError:  # pragma: no cover - closing a descriptor we opened
            pass
