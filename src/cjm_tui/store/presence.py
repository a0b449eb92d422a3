"""Presence marks: who else has this map open.

An editor that opens ``maps/joan.cjm.toml`` writes a small JSON file
``maps/.joan.cjm.toml.cjm-presence/<host>-<pid>-<token>.json`` holding who
(user), where (host, tty), since when and which process. It ``touch``es the
file every ``HEARTBEAT_SECONDS`` and removes it when it closes the map.

A mark is stale (ignored, and removed when seen) when its process is gone
(same host, pid not alive or reused) or its heartbeat is older than
``STALE_SECONDS`` (a crashed editor on another host, or a frozen one).

Presence never stops anyone from editing: it is information for the user,
not a lock. Every failure to write a mark (read-only folder, full disk) is
swallowed: the editor works without presence.

Keep marks out of git: ``.*.cjm-presence/`` in ``.gitignore``. The folder and
its files never end in ``.cjm.toml``, so nothing mistakes them for maps.

    mark = Presence.claim(path)      # on open
    mark.heartbeat()                 # every HEARTBEAT_SECONDS
    for info in mark.others(): ...   # who else is here
    mark.release()                   # on close
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
import socket
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

#: touch the mark this often
HEARTBEAT_SECONDS = 30.0
#: a mark not touched for this long is stale
STALE_SECONDS = 180.0
#: the folder of marks ends in this (for .gitignore: `.*.cjm-presence/`)
FOLDER_SUFFIX = ".cjm-presence"


@dataclass(frozen=True)
class Info:
    user: str
    host: str
    tty: str | None
    pid: int
    since: float
    #: when the mark was last touched (seconds since the epoch)
    seen: float
    #: the process's start time on its host (Linux), to tell a reused pid
    start: str | None = None
    #: the program ("cjm edit", "cjm serve")
    program: str = "cjm"

    def describe(self, now: float | None = None) -> str:
        """``ana on build-01 (pts/3) since 14:02``"""
        where = self.host + (f" ({self.tty})" if self.tty else "")
        since = time.strftime("%H:%M" if (now or time.time()) - self.since < 86400 else "%d %b %H:%M", time.localtime(self.since))
        return f"{self.user} on {where} since {since}"

    def label(self) -> str:
        """Short, for a conflict mark on a card: ``ana@build-01 pts/3`` (no terminal:
        the process id, ``ana@build-01 pid 4242``, so two browser tabs differ)."""
        return editor_label(self.user, self.host, self.tty, self.pid)


def editor_label(user: str, host: str, tty: str | None, pid: int) -> str:
    """``user@host tty``: who edits where, short enough to prefix a card."""
    short = host if _is_address(host) else host.split(".", 1)[0] or host
    return f"{user}@{short} {tty if tty else f'pid {pid}'}"


def own_label() -> str:
    """This process's ``editor_label`` (what a conflict mark on our own version says)."""
    return editor_label(_user(), _host(), _tty(), os.getpid())


def _is_address(host: str) -> bool:
    return ":" in host or host.replace(".", "").isdigit()


def presence_dir(path: str | Path) -> Path:
    p = Path(path)
    return p.parent / f".{p.name}{FOLDER_SUFFIX}"


def _host() -> str:
    return socket.gethostname() or "localhost"


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (containers)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "someone"


def _tty() -> str | None:
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            name = os.ttyname(stream.fileno())
        except (OSError, AttributeError, ValueError):
            continue
        return name.removeprefix("/dev/")
    return None


def _start_of(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after the last ')'
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def _alive(pid: int, start: str | None) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process, alive
    except OSError:
        return False
    if start is not None:
        now = _start_of(pid)
        if now is not None and now != start:
            return False  # the pid was reused by another process
    return True


class _either:
    """A method callable on an instance (``mark.f()``) or on the class with a path (``Presence.f(path)``)."""

    def __init__(self, fn):
        self.fn = fn
        self.__doc__ = fn.__doc__

    def __get__(self, obj, owner):
        import functools

        return functools.partial(self.fn, obj) if obj is not None else self.fn


class Presence:
    """This process's mark on one map."""

    def __init__(self, path: Path, file: Path | None, info: Info) -> None:
        self.path = path
        #: the mark file, or None when it could not be written
        self.file = file
        self.info = info

    @property
    def active(self) -> bool:
        return self.file is not None

    @classmethod
    def claim(cls, path: str | Path, program: str = "cjm") -> Presence:
        """Mark *path* as open here. Never raises: see ``active``."""
        p = Path(path)
        pid = os.getpid()
        now = time.time()
        info = Info(_user(), _host(), _tty(), pid, now, now, _start_of(pid), program)
        folder = presence_dir(p)
        name = f"{_safe(info.host)}-{pid}-{secrets.token_hex(3)}.json"
        mark = cls(p, None, info)
        try:
            folder.mkdir(exist_ok=True)
            mark.file = folder / name
            mark._write()
        except OSError:
            mark.file = None
        return mark

    def _write(self) -> None:
        assert self.file is not None
        tmp = self.file.with_name(f".{self.file.name}.tmp")
        tmp.write_text(json.dumps(asdict(self.info), indent=1), encoding="utf-8")
        os.replace(tmp, self.file)

    def heartbeat(self) -> None:
        """Say we are still here (touch the mark; write it again if someone removed it)."""
        if self.file is None:
            return
        try:
            os.utime(self.file)
        except FileNotFoundError:
            try:
                self.file.parent.mkdir(exist_ok=True)
                self._write()
            except OSError:
                pass
        except OSError:
            pass

    def release(self) -> None:
        """Remove our mark (and the folder, if it is now empty)."""
        if self.file is None:
            return
        try:
            self.file.unlink()
        except OSError:
            pass
        try:
            self.file.parent.rmdir()
        except OSError:
            pass
        self.file = None

    @_either
    def others(self_or_path, stale_after: float = STALE_SECONDS, include_own: bool = False) -> list[Info]:
        """Live editors of the map, stale marks cleaned on the way.

        ``mark.others()``: everyone but this mark (other marks of this process count).
        ``Presence.others(path)``: everyone but this process (``include_own`` to count it).
        """
        if isinstance(self_or_path, Presence):
            mark = self_or_path
            return [i for f, i in _scan(mark.path, stale_after) if f != mark.file]
        host, pid = _host(), os.getpid()
        return [
            i for _, i in _scan(Path(self_or_path), stale_after) if include_own or not (i.host == host and i.pid == pid)
        ]

    def __enter__(self) -> Presence:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)[:64] or "host"


def _scan(path: Path, stale_after: float) -> list[tuple[Path, Info]]:
    folder = presence_dir(path)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    host = _host()
    now = time.time()
    out: list[tuple[Path, Info]] = []
    for f in sorted(entries):
        if f.suffix != ".json" or f.name.startswith("."):
            continue
        try:
            seen = f.stat().st_mtime
            data = json.loads(f.read_text(encoding="utf-8"))
            info = Info(
                user=str(data["user"]), host=str(data["host"]), tty=data.get("tty"), pid=int(data["pid"]),
                since=float(data["since"]), seen=seen, start=data.get("start"), program=str(data.get("program", "cjm")),
            )
        except FileNotFoundError:
            continue
        except (OSError, ValueError, KeyError, TypeError):
            # unreadable or half-written: stale only once old
            try:
                if now - f.stat().st_mtime > stale_after:
                    f.unlink()
            except OSError:
                pass
            continue
        stale = now - seen > stale_after or (info.host == host and not _alive(info.pid, info.start))
        if stale:
            try:
                f.unlink()
            except OSError:
                pass
            continue
        out.append((f, info))
    return out
