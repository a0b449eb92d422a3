"""One open map file: its path, the loaded TOML document and the map it holds.

Opening reads the map with the standard library's fast tomllib; the tomlkit
document (needed only to write the file back with its comments) is parsed when
first needed, or ahead of time by ``prepare()`` on a worker thread, so a map
opens in a blink.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import JourneyMap
from .files import atomic_write, loads_fast, read_text

if TYPE_CHECKING:  # pragma: no cover
    pass


@dataclass
class FileStamp:
    """What the file looked like when we last read or wrote it."""

    mtime_ns: int
    size: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileStamp | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return cls(st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass
class MapDocument:
    path: Path
    map: JourneyMap
    doc: Any = None  # TOMLDocument
    #: the text as last read from or written to disk
    disk_text: str | None = None
    stamp: FileStamp | None = field(default=None)
    #: text whose TOML document is parsed only when next rendered (a reload shown
    #: at once from the fast reader; tomlkit's slower parse waits for the save)
    lazy_text: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def open(cls, path: str | Path) -> MapDocument:
        """Read and check the map (MapError naming the place if it is not valid)."""
        p = Path(path)
        stamp = FileStamp.of(p)
        text = read_text(p)
        m = loads_fast(text, str(p))
        return cls(p, m, None, text, stamp, lazy_text=text)

    def prepare(self) -> None:
        """Parse the TOML document now (safe on a worker thread)."""
        with self._lock:
            text = self.lazy_text
            if text is None:
                return
            from . import codec

            try:
                doc = codec.parse(text, str(self.path))[1]
            except Exception:
                doc = None
            if self.lazy_text is text:
                self.doc = doc
                self.lazy_text = None

    @classmethod
    def new(cls, path: str | Path, m: JourneyMap) -> MapDocument:
        return cls(Path(path), m, None, None, None)

    def render(self) -> str:
        from . import codec

        if self.lazy_text is not None:
            self.prepare()
        self.doc = codec.patch(self.map, self.doc)
        return self.doc.as_string()

    def dirty(self) -> bool:
        return self.render() != self.disk_text

    def write(self, text: str) -> None:
        """Write *text* (from ``render``) atomically and remember it as on disk."""
        atomic_write(self.path, text)
        self.disk_text = text
        self.stamp = FileStamp.of(self.path)

    def save(self) -> bool:
        """Save if anything changed. Returns True when the file was written."""
        text = self.render()
        if text == self.disk_text and self.path.exists():
            return False
        self.write(text)
        return True

    def changed_on_disk(self) -> bool:
        now = FileStamp.of(self.path)
        return now != self.stamp
