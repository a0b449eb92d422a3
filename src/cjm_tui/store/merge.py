"""Three-way merge of map files: parse three texts, merge the maps, write the result.

The result is written onto OURS' TOML document, so our comments, hand-written
keys and layout survive; what came from theirs is patched in as values (their
comments on things that are new to us are not carried over).

All three inputs are read and checked before anything is written: a file
that cannot be read or is not a valid map raises ``MapError`` and nothing
changes on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tomlkit.toml_document import TOMLDocument

from ..model import JourneyMap
from ..model.merge import MergeResult, merge3
from . import codec
from .canonical import canonical_text, is_canonical
from .errors import MapError
from .files import atomic_write, loads_fast, read_text
from .schema import map_to_data


@dataclass
class FileMerge:
    """The merged map, its file text, and what the merge found."""

    result: MergeResult
    text: str

    @property
    def clean(self) -> bool:
        return self.result.clean

    def summary(self, name: str = "map") -> str:
        """A few lines for a terminal: conflicts first, then what came in."""
        r = self.result
        lines = []
        if r.conflicts:
            lines.append(f"{name}: {len(r.conflicts)} conflict{'s' if len(r.conflicts) != 1 else ''}")
            lines.extend(f"  {c}" for c in r.conflicts[:20])
            if len(r.conflicts) > 20:
                lines.append(f"  … and {len(r.conflicts) - 20} more")
            lines.append('  resolve: keep one card of each conflict="ours"/"theirs" pair, remove the `conflict` mark;')
            lines.append('  delete "merge conflict:" lines from notes once handled (see docs/merging.md)')
        else:
            lines.append(f"{name}: merged cleanly ({len(r.changes_from_theirs)} change{'s' if len(r.changes_from_theirs) != 1 else ''} from theirs)")
        return "\n".join(lines)


def merge_texts(
    base_text: str,
    ours_text: str,
    theirs_text: str,
    paths: tuple[str | None, str | None, str | None] = ("BASE", "OURS", "THEIRS"),
) -> FileMerge:
    """Merge three map texts. Raises MapError (naming the file) if any is not a valid map.

    All three are read with the standard library's fast tomllib. When OURS is
    exactly as cjm writes it (no hand-written comments or layout to keep), the
    result is written by the fast canonical writer; otherwise OURS is parsed with
    tomlkit and the result patched onto it, so its comments survive.
    """
    base = _parse_fast(base_text, paths[0])
    theirs = _parse_fast(theirs_text, paths[2])
    ours = _parse_fast(ours_text, paths[1])
    if is_canonical(ours_text, ours):
        result = merge3(base, ours, theirs)
        if ours_text == base_text and result.map == theirs:
            return FileMerge(result, theirs_text)
        return FileMerge(result, canonical_text(result.map))
    ours, ours_doc = _parse(ours_text, paths[1])
    return _finish(base, ours, ours_doc, theirs, base_text, ours_text, theirs_text)


def merge_into_document(
    base_text: str | JourneyMap,
    ours: JourneyMap,
    ours_doc: TOMLDocument | None,
    theirs_text: str,
    paths: tuple[str | None, str | None] = ("BASE", "THEIRS"),
) -> FileMerge:
    """Merge an outside change into a map that is open (the editor's case).

    *base_text* is the file as the editor last read or wrote it (or the map it
    held, already parsed, to save a parse), *ours* the map
    in memory with its loaded document, *theirs_text* the file as it is now on
    disk. The result's text is *ours_doc* patched (the document is changed in
    place, as ``codec.patch`` does). Raises MapError if a text is not a valid map.
    """
    base = base_text if isinstance(base_text, JourneyMap) else _parse_fast(base_text, paths[0])
    theirs = _parse_fast(theirs_text, paths[1])
    return _finish(base, ours, ours_doc, theirs, None, None, theirs_text)


def _finish(base, ours, ours_doc, theirs, base_text, ours_text, theirs_text) -> FileMerge:
    result = merge3(base, ours, theirs)
    # one side unchanged: the other side's file as it is, comments and all
    if ours_text is not None and ours_text == base_text and result.map == theirs:
        return FileMerge(result, theirs_text)
    if result.map == ours and ours_text is not None:
        return FileMerge(result, ours_text)
    text = codec.dumps(result.map, ours_doc)
    if not _reads_back(text, result):
        # the patched document did not read back as the merged map (a hand-written
        # layout tomlkit could not patch): write the canonical file instead
        text = codec.dumps(result.map, None)
    return FileMerge(result, text)


def merge_files(
    base: str | Path,
    ours: str | Path,
    theirs: str | Path,
    out: str | Path | None = None,
    write: bool = True,
) -> FileMerge:
    """Merge three map files and write the result to *out* (default: OURS, as git wants).

    Nothing is written if any input is unreadable or invalid (MapError), or if
    *write* is false. The file is written atomically, conflicts or not: conflicts
    leave a valid map with both versions marked.
    """
    texts = [read_text(p) if not _is_empty_base(p, i) else "" for i, p in enumerate((base, ours, theirs))]
    fm = merge_texts(texts[0], texts[1], texts[2], (str(base), str(ours), str(theirs)))
    target = Path(out) if out is not None else Path(ours)
    if write:
        current = None
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
        if current != fm.text:
            atomic_write(target, fm.text)
    return fm


def _is_empty_base(path: str | Path, index: int) -> bool:
    """git passes an empty file as the base of an add/add merge; /dev/null is read as empty too."""
    return index == 0 and str(path) == "/dev/null"


def _parse(text: str, path: str | None):
    try:
        return codec.parse(text, path)
    except MapError:
        raise
    except RecursionError:
        raise MapError("nested too deeply to read", path) from None


def _parse_fast(text: str, path: str | None) -> JourneyMap:
    try:
        return loads_fast(text, path)
    except RecursionError:
        raise MapError("nested too deeply to read", path) from None


def _reads_back(text: str, result: MergeResult) -> bool:
    try:
        back = loads_fast(text)
    except MapError:
        return False
    return map_to_data(back) == map_to_data(result.map)
