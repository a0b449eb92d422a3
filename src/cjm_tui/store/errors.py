"""Errors about map files, each naming the file and the place."""

from __future__ import annotations

import re
from pathlib import Path

#: the path of a value inside a map file: ("stages", 2, "actions", 0)
Place = tuple[str | int, ...]


class MapError(Exception):
    """A map file that cannot be read or used. ``str()`` is one clear line (or a few)."""

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        place: Place = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.place = place

    def where(self) -> str:
        where = self.path or "<map>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"

    def with_location(self, path: str | Path | None, text: str | None) -> MapError:
        """Fill in the file and, from the place path, the line in *text*."""
        if path is not None and self.path is None:
            self.path = str(path)
        if self.line is None and text is not None and self.place:
            self.line = locate(text, self.place)
        return self


class FormatVersionError(MapError):
    """The file was written by a newer cjm."""


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\"'-]+)\s*\]\]?")


def _key_re(key: str) -> re.Pattern[str]:
    return re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")


def locate(text: str, place: Place) -> int | None:
    """The 1-based line of *place* in *text*, found by reading the TOML's shape.

    Good enough to point a person at the right line: it follows table headers,
    array-of-tables indexes, keys, and item lines of multi-line arrays.
    """
    # "\n" only: TOML (and git, and tomllib's line numbers) break lines there, while
    # str.splitlines() also breaks at U+2028, U+0085, \x0c ... that may sit raw in a string
    lines = text.split("\n")
    if not place:
        return None
    start, end = 0, len(lines)
    rest = list(place)
    head = rest[0]
    # find the block for a table or the nth array-of-tables element
    if isinstance(head, str) and len(rest) >= 2 and isinstance(rest[1], int) and head in ("stages", "lanes"):
        n = rest[1]
        seen = -1
        found = None
        for i, line in enumerate(lines):
            m = _HEADER.match(line)
            if m and line.lstrip().startswith("[[") and m.group(1) == head:
                seen += 1
                if seen == n:
                    found = i
                    break
        if found is None:
            return None
        start = found
        for j in range(found + 1, len(lines)):
            if _HEADER.match(lines[j]):
                end = j
                break
        rest = rest[2:]
        if not rest:
            return start + 1
    elif head == "persona" and any(_HEADER.match(line) and _HEADER.match(line).group(1) == "persona" for line in lines):
        for i, line in enumerate(lines):
            m = _HEADER.match(line)
            if m and m.group(1) == "persona":
                start = i
                for j in range(i + 1, len(lines)):
                    if _HEADER.match(lines[j]):
                        end = j
                        break
                break
        else:
            return None
        rest = rest[1:]
        if not rest:
            return start + 1
    else:
        # top-level key: before the first table header
        for j, line in enumerate(lines):
            if _HEADER.match(line):
                end = j
                break
    key = rest[0]
    if not isinstance(key, str):
        return start + 1
    pattern = _key_re(key)
    for i in range(start, end):
        if pattern.match(lines[i]):
            if len(rest) >= 2 and isinstance(rest[1], int):
                # nth item of a multi-line array: count non-blank, non-comment lines
                n = rest[1]
                seen = -1
                for k in range(i + 1, end):
                    stripped = lines[k].strip()
                    if not stripped or stripped.startswith("#"):
                        continue
                    if stripped.startswith("]"):
                        break
                    seen += 1
                    if seen == n:
                        return k + 1
            return i + 1
    if not start and len(rest) == 1:
        # a table where an array of tables belongs: `[stages]` instead of `[[stages]]`
        for i, line in enumerate(lines):
            m = _HEADER.match(line)
            if m and m.group(1) == key:
                return i + 1
    return start + 1 if start else None
