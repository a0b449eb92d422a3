"""Map files on disk: reading with clear errors, and atomic saving.

``read_text`` turns every way a file can be unreadable into one MapError line.
``atomic_write`` never leaves a torn file: temporary file in the same folder,
flush, fsync, rename over the original, permissions kept, folder fsynced.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from ..model import JourneyMap
from .errors import MapError
from .schema import map_from_data

_TOMLLIB_AT = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOMLLIB_EOD = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


def read_text(path: str | Path) -> str:
    """The file's text, or a MapError that says in one line why not."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise MapError("no such file", p) from None
    except IsADirectoryError:
        raise MapError("is a folder, not a map file", p) from None
    except PermissionError:
        raise MapError("permission denied: cannot read this file", p) from None
    except OSError as exc:
        raise MapError(f"cannot read: {exc.strerror or exc}", p) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise MapError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); map files are UTF-8", p, line, col) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def load_fast(path: str | Path) -> JourneyMap:
    """Read a map with the standard library's tomllib (for printing commands)."""

    text = read_text(path)
    return loads_fast(text, str(path))


def loads_fast(text: str, path: str | None = None) -> JourneyMap:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, text, path) from None
    try:
        return map_from_data(data)
    except MapError as exc:
        raise exc.with_location(path, text) from None


def toml_error(exc: Exception, text: str, path: str | None) -> MapError:
    """A MapError with line and column from a tomllib.TOMLDecodeError."""
    msg = str(exc)
    m = _TOMLLIB_AT.match(msg)
    if m:
        return MapError(f"not valid TOML: {m['msg']}", path, int(m["line"]), int(m["col"]))
    m = _TOMLLIB_EOD.match(msg)
    if m:
        last = text.split("\n")[-1] if not text.endswith("\n") else ""
        return MapError(f"not valid TOML: {m['msg']} (at the end of the file)", path, text.count("\n") + 1, len(last) + 1)
    return MapError(f"not valid TOML: {msg}", path)


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Replace *path* with *data* so that a crash leaves the old or the new file, whole."""
    p = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = p.parent if str(p.parent) else Path(".")
    try:
        mode = stat.S_IMODE(p.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def clean_stale_temps(path: str | Path, older_than: float = 60.0) -> int:
    """Remove temporary files an interrupted save of *path* left behind (``.NAME.*.tmp``,
    written by :func:`atomic_write`), if older than *older_than* seconds. Returns how many."""
    import time

    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    removed = 0
    now = time.time()
    try:
        candidates = list(folder.glob(f".{p.name}.*.tmp"))
    except OSError:
        return 0
    for tmp in candidates:
        try:
            if now - tmp.stat().st_mtime > older_than:
                tmp.unlink()
                removed += 1
        except OSError:
            continue
    return removed
