"""One open map file: its path, the loaded TOML document and the map it holds."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tomlkit.toml_document import TOMLDocument

from ..model import JourneyMap
from . import codec
from .files import atomic_write, read_text


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
    doc: TOMLDocument | None = None
    #: the text as last read from or written to disk
    disk_text: str | None = None
    stamp: FileStamp | None = field(default=None)
    #: text whose TOML document is parsed only when next rendered (a reload shown
    #: at once from the fast reader; tomlkit's slower parse waits for the save)
    lazy_text: str | None = None

    @classmethod
    def open(cls, path: str | Path) -> MapDocument:
        p = Path(path)
        text = read_text(p)
        m, doc = codec.parse(text, str(p))
        return cls(p, m, doc, text, FileStamp.of(p))

    @classmethod
    def new(cls, path: str | Path, m: JourneyMap) -> MapDocument:
        return cls(Path(path), m, None, None, None)

    def render(self) -> str:
        if self.lazy_text is not None:
            try:
                self.doc = codec.parse(self.lazy_text, str(self.path))[1]
            except Exception:
                self.doc = None
            self.lazy_text = None
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
