"""Three-way merge of journey maps: plain data in, plain data out.

``merge3(base, ours, theirs)`` combines two maps that both grew from *base*.
Nothing either side wrote is lost:

- map, persona, lane and stage fields: the side that changed wins; both
  changed differently -> ours is kept and theirs' value is written as a line in
  the map's ``notes`` starting with ``merge conflict:`` (and listed in
  ``MergeResult.conflicts``), so the user finds it in the file and the editor.
- lanes and stages, matched by id: added on one side -> added after the same
  predecessor; deleted on one side and untouched on the other -> deleted;
  deleted on one side and changed on the other -> kept with the change (a
  conflict is recorded); order: ours' order, with theirs' moves applied to
  items ours did not move.
- cards, per (stage, lane): each base card's fate on each side (kept,
  deleted, edited) is merged; cards added by either side are kept where that
  side put them (both sides adding at one place: ours first, then theirs). A
  card edited differently on both sides is kept twice, side by side, marked
  ``conflict="ours"`` / ``conflict="theirs"``; a card deleted on one side and
  edited on the other is kept, marked with the side that edited it.

The marks (and the words in ``merge conflict:`` notes) are the two *labels*,
``"ours"`` and ``"theirs"`` unless given: right for git, where ours and theirs
mean something, wrong for two editors on one map, where "ours" would read as
the *other* person's version on the other screen. The editor passes who wrote
each side (``ana@build-01 pts/3``, ``on disk``), so the marks read the same to
everyone.

This module imports only the model: no tomlkit, no Textual.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Sequence, TypeVar

from .journey import (
    MAP_FIELDS,
    PERSONA_LIST_FIELDS,
    PERSONA_TEXT_FIELDS,
    Card,
    JourneyMap,
    Lane,
    Persona,
    Stage,
)

#: every note line the merge writes for a conflict starts with this
CONFLICT_NOTE_PREFIX = "merge conflict: "
#: the marks on conflicting cards (the default labels of the two sides)
OURS = "ours"
THEIRS = "theirs"

T = TypeVar("T")
_MISSING: Any = object()


@dataclass
class Conflict:
    """One place where both sides changed the same thing differently.

    ``where`` names the place (``title``, ``persona.goals``, ``stage search``,
    ``stage search / lane actions``); ``kind`` is ``field`` (a value: ours
    kept, theirs noted), ``cards`` (both versions kept as marked cards),
    ``delete-edit`` (kept the edited side), ``list`` (persona list items: both
    kept). ``ours`` and ``theirs`` are the two values (None: deleted).
    """

    where: str
    kind: str
    ours: Any
    theirs: Any
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class MergeResult:
    map: JourneyMap
    conflicts: list[Conflict] = field(default_factory=list)
    #: short lines saying what came in from theirs (for "what came in" UI and summaries)
    changes_from_theirs: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def card_key(card: Card) -> tuple:
    """Everything that makes two cards the same card."""
    return (card.text, tuple(card.tags), card.emotion, card.source, card.conflict, repr(sorted(card.extra.items())))


def _short(text: Any, width: int = 40) -> str:
    s = str(text).replace("\n", " ")
    return repr(s if len(s) <= width else s[: width - 1] + "…")


# -- scalars ------------------------------------------------------------------------


class _Merger:
    def __init__(
        self, base: JourneyMap, ours: JourneyMap, theirs: JourneyMap, ours_label: str = OURS, theirs_label: str = THEIRS
    ) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        #: the conflict marks of the two sides, and the names messages give them
        self.ours_label, self.theirs_label = ours_label, theirs_label
        self._plain = (ours_label, theirs_label) == (OURS, THEIRS)
        self.conflicts: list[Conflict] = []
        self.changes: list[str] = []
        #: conflicts that have no marked card: written into notes
        self.notes: list[str] = []

    # one value three ways --------------------------------------------------------
    def value(self, where: str, b: Any, o: Any, t: Any, label: Callable[[Any], str] = _short) -> Any:
        if o == t:
            return o
        if o == b:
            self.changes.append(f"{where}: {label(t) if t is not _MISSING and t is not None else 'removed'}")
            return t
        if t == b:
            return o
        show_o = "(none)" if o in (None, _MISSING, "") else label(o)
        show_t = "(none)" if t in (None, _MISSING, "") else label(t)
        if self._plain:
            msg = f"kept ours {show_o}; theirs was {show_t}"
        else:
            msg = f"kept {self.ours_label}: {show_o}; {self.theirs_label}: {show_t}"
        self.conflicts.append(Conflict(where, "field", o, t, msg))
        self.notes.append(f"{CONFLICT_NOTE_PREFIX}{where}: {msg}")
        return o

    # lists of text (persona goals, frustrations) -------------------------------
    def text_list(self, where: str, b: list[str], o: list[str], t: list[str]) -> list[str]:
        if o == t:
            return list(o)
        if o == b:
            self.changes.append(f"{where} changed")
            return list(t)
        if t == b:
            return list(o)
        out, clashes = merge_sequences(b, o, t, key=lambda s: s)
        merged: list[str] = []
        for item in out:
            if isinstance(item, _Clash):
                merged.extend(x for x in item.ours if x is not None)
                merged.extend(x for x in item.theirs if x is not None)
                msg = f"kept both {', '.join(_short(x) for x in item.ours + item.theirs if x is not None)}: keep one"
                if None in item.ours or None in item.theirs:
                    msg = f"kept {', '.join(_short(x) for x in item.ours + item.theirs if x is not None)} (deleted on the other side)"
                self.conflicts.append(Conflict(where, "list", item.ours, item.theirs, msg))
                self.notes.append(f"{CONFLICT_NOTE_PREFIX}{where}: {msg}")
            else:
                merged.append(item)
        if merged != o:
            self.changes.append(f"{where} changed")
        return merged

    # the whole map ---------------------------------------------------------------
    def run(self) -> MergeResult:
        b, o, t = self.base, self.ours, self.theirs
        out = JourneyMap()
        for name in MAP_FIELDS:
            if name == "notes":
                continue
            setattr(out, name, self.value(name, getattr(b, name), getattr(o, name), getattr(t, name)))
        out.persona = self.persona(b.persona, o.persona, t.persona)
        out.lanes = self.lanes()
        out.stages = self.stages(out.lanes)
        notes = self.merge_notes(b.notes, o.notes, t.notes)
        if self.notes:
            notes = "\n".join(([notes.rstrip("\n")] if notes else []) + self.notes)
        out.notes = notes
        return MergeResult(out, self.conflicts, self.changes)

    def _side(self, side: str) -> str:
        """The name a message gives one side ("ours" / "theirs"): its label."""
        return self.ours_label if side == "ours" else self.theirs_label

    def _deleted_changed(self, deleter: str, changer: str) -> str:
        """``deleted by ours, changed by theirs``, in the labels' words."""
        if self._plain:
            return f"deleted by {deleter}, changed by {changer}"
        return f"deleted ({self._side(deleter)}), changed ({self._side(changer)})"

    def merge_notes(self, b: str, o: str, t: str) -> str:
        """Notes are free text: changed differently on both sides, both texts are kept."""
        if o == t or t == b:
            return o
        if o == b:
            self.changes.append("notes changed")
            return t
        msg = f"changed on both sides: kept both texts ({self.ours_label} first)"
        self.conflicts.append(Conflict("notes", "field", o, t, msg))
        return f"{o.rstrip()}\n{CONFLICT_NOTE_PREFIX}notes: {msg}; {self.theirs_label} follows\n{t}".strip("\n")

    def persona(self, b: Persona, o: Persona, t: Persona) -> Persona:
        p = Persona()
        for name in PERSONA_TEXT_FIELDS:
            setattr(p, name, self.value(f"persona.{name}", getattr(b, name), getattr(o, name), getattr(t, name)))
        for name in PERSONA_LIST_FIELDS:
            setattr(p, name, self.text_list(f"persona.{name}", getattr(b, name), getattr(o, name), getattr(t, name)))
        keys = _merge_order(list(b.other), list(o.other), list(t.other), _kept_keys(b.other, o.other, t.other))
        for key in keys:
            bv, ov, tv = (d.get(key, _MISSING) for d in (b.other, o.other, t.other))
            if all(isinstance(v, list) for v in (bv, ov, tv)):
                p.other[key] = self.text_list(f"persona.{key}", bv, ov, tv)
                continue
            v = self.value(f"persona.{key}", bv, ov, tv)
            if v is not _MISSING and v is not None:
                p.other[key] = list(v) if isinstance(v, list) else v
        return p

    # lanes -----------------------------------------------------------------------
    def lanes(self) -> list[Lane]:
        b = {x.id: x for x in self.base.lanes}
        o = {x.id: x for x in self.ours.lanes}
        t = {x.id: x for x in self.theirs.lanes}
        keep: set[str] = set()
        self.revived_lanes: dict[str, str] = {}  # lane id -> side that deleted it
        for lid in set(b) | set(o) | set(t):
            if lid in o and lid in t:
                keep.add(lid)
            elif lid not in b:  # added on one side
                keep.add(lid)
                if lid in t:
                    self.changes.append(f"lane {t[lid].name!r} added")
            else:  # deleted on one or both sides
                deleter, other, other_map = ("ours", "theirs", self.theirs) if lid not in o else ("theirs", "ours", self.ours)
                if lid not in o and lid not in t:
                    continue
                if self._lane_changed(lid, other_map):
                    keep.add(lid)
                    self.revived_lanes[lid] = deleter
                    msg = f"{self._deleted_changed(deleter, other)}: kept"
                    self.conflicts.append(Conflict(f"lane {lid}", "delete-edit", o.get(lid), t.get(lid), msg))
                    self.notes.append(f"{CONFLICT_NOTE_PREFIX}lane {lid}: {msg}")
                elif deleter == "theirs":
                    self.changes.append(f"lane {b[lid].name!r} deleted")
        order = _merge_order(
            [x.id for x in self.base.lanes], [x.id for x in self.ours.lanes], [x.id for x in self.theirs.lanes], keep
        )
        out = []
        for lid in order:
            bl, ol, tl = b.get(lid), o.get(lid), t.get(lid)
            if ol is None:
                ol = bl if bl is not None else tl
            if tl is None:
                tl = bl if bl is not None else ol
            lane = Lane(lid, "")
            for name in ("name", "question", "hidden"):
                bv = getattr(bl, name) if bl is not None else _MISSING
                setattr(lane, name, self.value(f"lane {lid} {name}", bv, getattr(ol, name), getattr(tl, name)))
            out.append(lane)
        return out

    def _lane_changed(self, lid: str, side: JourneyMap) -> bool:
        base_lane = self.base.lane(lid)
        if side.lane(lid) != base_lane:
            return True
        base_stages = {s.id: s for s in self.base.stages}
        for s in side.stages:
            bs = base_stages.get(s.id)
            if s.peek(lid) != (bs.peek(lid) if bs is not None else []):
                return True
        return False

    # stages ------------------------------------------------------------------------
    def stages(self, lanes: list[Lane]) -> list[Stage]:
        b = {x.id: x for x in self.base.stages}
        o = {x.id: x for x in self.ours.stages}
        t = {x.id: x for x in self.theirs.stages}
        keep: set[str] = set()
        for sid in set(b) | set(o) | set(t):
            if sid in o and sid in t:
                keep.add(sid)
            elif sid not in b:
                keep.add(sid)
                if sid in t:
                    self.changes.append(f"stage {t[sid].name!r} added")
            elif sid in o or sid in t:
                deleter, other, side = ("ours", "theirs", self.theirs) if sid not in o else ("theirs", "ours", self.ours)
                if self._stage_changed(sid, side):
                    keep.add(sid)
                    msg = f"{self._deleted_changed(deleter, other)}: kept"
                    self.conflicts.append(Conflict(f"stage {sid}", "delete-edit", o.get(sid), t.get(sid), msg))
                    self.notes.append(f"{CONFLICT_NOTE_PREFIX}stage {sid}: {msg}")
                elif deleter == "theirs":
                    self.changes.append(f"stage {b[sid].name!r} deleted")
        order = _merge_order(
            [x.id for x in self.base.stages], [x.id for x in self.ours.stages], [x.id for x in self.theirs.stages], keep
        )
        base_lanes = set(self.base.lane_ids())
        ours_lanes = set(self.ours.lane_ids())
        theirs_lanes = set(self.theirs.lane_ids())
        out = []
        for sid in order:
            bs, os_, ts = b.get(sid), o.get(sid), t.get(sid)
            stage = Stage(sid, "")
            for name in ("name", "emotion", "feeling", "question"):
                bv = getattr(bs, name) if bs is not None else _MISSING
                ov = getattr(os_ if os_ is not None else bs if bs is not None else ts, name)
                tv = getattr(ts if ts is not None else bs if bs is not None else os_, name)
                setattr(stage, name, self.value(f"stage {sid} {name}", bv, ov, tv))
            for lane in lanes:
                lid = lane.id
                bc = bs.peek(lid) if bs is not None and lid in base_lanes else []
                oc = _side_cell(os_, bs, lid, ours_lanes, base_lanes)
                tc = _side_cell(ts, bs, lid, theirs_lanes, base_lanes)
                cards = self.cards(f"stage {sid} / lane {lid}", stage.name, lane.name, bc, oc, tc)
                if cards:
                    stage.cells[lid] = cards
            out.append(stage)
        return out

    def _stage_changed(self, sid: str, side: JourneyMap) -> bool:
        bs, ss = self.base.stage(sid), side.stage(sid)
        if (bs.name, bs.emotion, bs.feeling, bs.question) != (ss.name, ss.emotion, ss.feeling, ss.question):
            return True
        base_lanes = set(self.base.lane_ids())
        for lid in side.lane_ids():
            if ss.peek(lid) != (bs.peek(lid) if lid in base_lanes else []):
                return True
        return False

    # cards -----------------------------------------------------------------------------
    def cards(self, where: str, stage_name: str, lane_name: str, b: list[Card], o: list[Card], t: list[Card]) -> list[Card]:
        if o == t or t == b:
            return [c.copy() for c in o]
        if o == b:
            self._note_card_changes(stage_name, lane_name, o, t)
            return [c.copy() for c in t]
        merged, _ = merge_sequences(b, o, t, key=card_key)
        out: list[Card] = []
        for item in merged:
            if not isinstance(item, _Clash):
                out.append(item.copy())
                continue
            ours = [c for c in item.ours if c is not None]
            theirs = [c for c in item.theirs if c is not None]
            for c in ours:
                cc = c.copy()
                cc.conflict = self.ours_label
                out.append(cc)
            for c in theirs:
                cc = c.copy()
                cc.conflict = self.theirs_label
                out.append(cc)
            if ours and theirs:
                kind, msg = "cards", f"card changed on both sides: kept both {_short(ours[0].text)} and {_short(theirs[0].text)}"
            else:
                side = "ours" if ours else "theirs"
                kept = (ours or theirs)[0]
                what = self._deleted_changed("theirs" if ours else "ours", side)
                kind, msg = "delete-edit", f"card {what}: kept {_short(kept.text)}"
            self.conflicts.append(Conflict(where, kind, ours or None, theirs or None, msg))
        self._note_card_changes(stage_name, lane_name, o, out)
        return out

    def _note_card_changes(self, stage: str, lane: str, before: list[Card], after: list[Card]) -> None:
        """Say which cards came in (added or removed) going from ours' *before* to *after*."""
        if len(self.changes) > 200:
            return
        bk = Counter(c.text for c in before)
        ak = Counter(c.text for c in after)
        for text, n in (ak - bk).items():
            self.changes.append(f"{stage} / {lane}: card {_short(text)} added" + (f" ×{n}" if n > 1 else ""))
        for text, n in (bk - ak).items():
            self.changes.append(f"{stage} / {lane}: card {_short(text)} removed" + (f" ×{n}" if n > 1 else ""))


def _side_cell(stage: Stage | None, base_stage: Stage | None, lid: str, side_lanes: set[str], base_lanes: set[str]) -> list[Card]:
    """The cards one side holds for a cell; a stage or lane that side deleted (but
    the other side changed, so it is kept) counts as unchanged from base."""
    if stage is not None and lid in side_lanes:
        return stage.peek(lid)
    if base_stage is not None and lid in base_lanes:
        return base_stage.peek(lid)
    return []


def _kept_keys(b: dict, o: dict, t: dict) -> set:
    """Keys of a dict three ways: deleted on one side only if the other left it alone."""
    keep = set()
    for k in set(b) | set(o) | set(t):
        if k in o and k in t:
            keep.add(k)
        elif k not in b:
            keep.add(k)
        elif k in o and o[k] != b[k]:
            keep.add(k)  # deleted by theirs, changed by ours: the value merge notes it
        elif k in t and t[k] != b[k]:
            keep.add(k)
    return keep


# -- order of ids -----------------------------------------------------------------------------


def _moved(base: list[str], side: list[str]) -> set[str]:
    """Ids that *side* moved relative to *base* (not on a longest common run)."""
    common = set(base) & set(side)
    b = [x for x in base if x in common]
    s = [x for x in side if x in common]
    if b == s:
        return set()
    stay: set[str] = set()
    for block in difflib.SequenceMatcher(a=b, b=s, autojunk=False).get_matching_blocks():
        stay.update(b[block.a : block.a + block.size])
    return common - stay


def _merge_order(base: list[str], ours: list[str], theirs: list[str], keep: set[str]) -> list[str]:
    """Ours' order, with theirs' additions and theirs' moves (of items ours left in place)."""
    if ours == theirs and set(ours) == keep:
        return list(ours)
    in_ours = set(ours)
    in_base = set(base)
    ours_moved = _moved(base, ours)
    theirs_moved = _moved(base, theirs)
    result = [x for x in ours if x in keep]
    # items kept but absent from ours (theirs' new ones, or ones ours deleted and theirs changed)
    relocate = [x for x in theirs if x in keep and (x not in in_ours or (x in theirs_moved and x not in ours_moved))]
    if not relocate:
        # kept items absent from both ours and theirs cannot exist; items only in base are dropped
        return result
    todo = set(relocate)
    result = [x for x in result if x not in todo]
    placed = set(result)
    for x in theirs:
        if x not in todo:
            continue
        # after the nearest predecessor in theirs that is already placed
        i = theirs.index(x)
        pos = 0
        for prev in reversed(theirs[:i]):
            if prev in placed:
                pos = result.index(prev) + 1
                break
        result.insert(pos, x)
        placed.add(x)
    # anything kept that neither order placed (e.g. in base and ours only): keep ours' spot
    missing = [x for x in keep if x not in placed]
    for x in sorted(missing, key=lambda v: (ours.index(v) if v in in_ours else len(ours), v)):
        if x in in_base:
            result.append(x)
    return result


# -- sequences -------------------------------------------------------------------------------


@dataclass
class _Clash:
    """One base item (or none) changed differently on each side: ours/theirs are the
    versions each side holds (``None`` in the list: that side deleted it)."""

    ours: list[Any]
    theirs: list[Any]


def _fates(base_keys: Sequence[Hashable], side: Sequence[T], side_keys: Sequence[Hashable]) -> tuple[list[Any], dict[int, list[T]]]:
    """What *side* did to each base item: ``_KEEP``, ``None`` (deleted) or the new item
    (edited), and what it inserted after each base index (-1: before the first)."""
    fate: list[Any] = [_KEEP] * len(base_keys)
    inserts: dict[int, list[T]] = {}
    sm = difflib.SequenceMatcher(a=base_keys, b=side_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            for i in range(i1, i2):
                fate[i] = None
        elif tag == "insert":
            inserts.setdefault(i1 - 1, []).extend(side[j1:j2])
        else:  # replace: pair items one to one as edits, the rest deleted or inserted
            n = min(i2 - i1, j2 - j1)
            for k in range(n):
                fate[i1 + k] = side[j1 + k]
            for i in range(i1 + n, i2):
                fate[i] = None
            if j2 - j1 > n:
                inserts.setdefault(i2 - 1, []).extend(side[j1 + n : j2])
    return fate, inserts


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


_KEEP: Any = _Keep()


def merge_sequences(base: Sequence[T], ours: Sequence[T], theirs: Sequence[T], key: Callable[[T], Hashable]) -> tuple[list[Any], int]:
    """Three-way merge of two edited copies of *base*.

    Returns the merged items, with a ``_Clash`` wherever one base item was
    changed differently on each side (or deleted on one and edited on the other),
    and the number of clashes. Items inserted at the same place by both sides
    are all kept, ours first (an item inserted by both is kept once).
    """
    bk = [key(x) for x in base]
    ok = [key(x) for x in ours]
    tk = [key(x) for x in theirs]
    ofate, oins = _fates(bk, ours, ok)
    tfate, tins = _fates(bk, theirs, tk)
    out: list[Any] = []
    clashes = 0

    def inserts(i: int) -> None:
        a = oins.get(i, [])
        b = tins.get(i, [])
        out.extend(a)
        if b:
            have = Counter(key(x) for x in a)
            for x in b:
                k = key(x)
                if have[k]:
                    have[k] -= 1
                else:
                    out.append(x)

    inserts(-1)
    for i, item in enumerate(base):
        of, tf = ofate[i], tfate[i]
        if of is _KEEP and tf is _KEEP:
            out.append(item)
        elif of is _KEEP:
            if tf is not None:
                out.append(tf)
        elif tf is _KEEP:
            if of is not None:
                out.append(of)
        elif of is None and tf is None:
            pass
        elif of is not None and tf is not None and key(of) == key(tf):
            out.append(of)
        else:
            out.append(_Clash([of], [tf]))
            clashes += 1
        inserts(i)
    return out, clashes


def merge3(
    base: JourneyMap, ours: JourneyMap, theirs: JourneyMap, *, ours_label: str = OURS, theirs_label: str = THEIRS
) -> MergeResult:
    """Merge *theirs* into *ours*, both edited copies of *base*. The inputs are not changed.

    A card changed differently on both sides is kept twice, marked ``conflict =
    ours_label`` and ``conflict = theirs_label``; the ``merge conflict:`` notes name
    the sides by the same labels. The labels must be different, non-empty text.
    """
    if not ours_label or not theirs_label or ours_label == theirs_label:
        raise ValueError(f"merge3 needs two different labels, not {ours_label!r} and {theirs_label!r}")
    return _Merger(base, ours, theirs, ours_label, theirs_label).run()
