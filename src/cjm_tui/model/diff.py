"""A semantic diff between two journey maps, and a line-per-fact text form.

``diff(old, new)`` returns change records in reading order: map fields, the
persona, lanes, stages, then cards stage by stage. Stages and lanes are matched
by id, so a rename is a rename and not a removal plus an addition; cards (which
have no ids) are matched within their cell by text, and a card that left one
stage and turned up in another with the same text is reported as moved.

``facts(m)`` is the map as normalised lines, one fact per line, for git's
textconv: `git diff` then shows changes as whole facts.

Pure: no I/O, no tomlkit, no Textual.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from .journey import MAP_FIELDS, PERSONA_LIST_FIELDS, PERSONA_TEXT_FIELDS, Card, JourneyMap, Lane, Stage, emotion_number

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
MOVED = "moved"
RENAMED = "renamed"


@dataclass(frozen=True)
class Change:
    #: what changed: "map", "persona", "lane", "stage", "card"
    target: str
    #: how: added, removed, changed, moved, renamed
    action: str
    #: a sentence a person reads ("stage Buy: pain point added: …")
    text: str
    #: stage and lane ids concerned, when any
    stage: str | None = None
    lane: str | None = None
    #: the field that changed ("emotion", "name", "goal", ...), when any
    field: str | None = None
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _q(text: str, width: int = 160) -> str:
    text = " ".join(str(text).split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f'"{text}"'


def _val(value: Any) -> str:
    if value is None or value == "":
        return "unset"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return emotion_number(value)
    return _q(value)


def _singular(name: str) -> str:
    """ "Pain points" -> "pain point", for sentences about one card."""
    low = name.lower()
    if low.endswith("ies"):
        return low[:-3] + "y"
    if low.endswith("s") and not low.endswith("ss"):
        return low[:-1]
    return low


def _list_changes(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    removed = [x for x in old if x not in new]
    added = [x for x in new if x not in old]
    return removed, added


def _moves(old_ids: list[str], new_ids: list[str]) -> list[str]:
    """Ids present in both whose relative order changed: those outside the longest common subsequence."""
    common_old = [i for i in old_ids if i in set(new_ids)]
    common_new = [i for i in new_ids if i in set(old_ids)]

    def outside_lcs(a: list[str], b: list[str]) -> set[str]:
        sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        kept: set[str] = set()
        for block in sm.get_matching_blocks():
            kept.update(a[block.a : block.a + block.size])
        return set(a) - kept

    # two equally short answers are common (a swap of neighbours): try both ends and
    # prefer the fewer moves, then the reading where things moved later ("Try moved after Buy")
    candidates = [outside_lcs(common_old, common_new), outside_lcs(common_old[::-1], common_new[::-1])]
    pos_old = {x: k for k, x in enumerate(common_old)}
    pos_new = {x: k for k, x in enumerate(common_new)}

    def score(moved: set[str]) -> tuple[int, int]:
        return (len(moved), -sum(pos_new[x] > pos_old[x] for x in moved))

    best = min(candidates, key=score)
    return [i for i in common_new if i in best]


def _after(ids: list[str], moved: str, names: dict[str, str], what: str) -> str:
    k = ids.index(moved)
    if k == 0:
        return f"{what} {names[moved]} moved to the start"
    return f"{what} {names[moved]} moved after {names[ids[k - 1]]}"


def diff(old: JourneyMap, new: JourneyMap) -> list[Change]:
    out: list[Change] = []

    # -- map fields ------------------------------------------------------------
    for key in MAP_FIELDS:
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            out.append(Change("map", CHANGED, f"{key}: {_val(a)} → {_val(b)}", field=key, old=a, new=b))

    # -- persona ---------------------------------------------------------------
    po, pn = old.persona, new.persona
    for key in PERSONA_TEXT_FIELDS:
        a, b = getattr(po, key), getattr(pn, key)
        if a != b:
            out.append(Change("persona", CHANGED, f"persona {key}: {_val(a)} → {_val(b)}", field=key, old=a, new=b))
    for key in PERSONA_LIST_FIELDS:
        removed, added = _list_changes(getattr(po, key), getattr(pn, key))
        label = key[:-1] if key.endswith("s") else key
        for x in removed:
            out.append(Change("persona", REMOVED, f"persona {label} removed: {_q(x)}", field=key, old=x))
        for x in added:
            out.append(Change("persona", ADDED, f"persona {label} added: {_q(x)}", field=key, new=x))
    for key in list(po.other) + [k for k in pn.other if k not in po.other]:
        a, b = po.other.get(key), pn.other.get(key)
        if a == b:
            continue
        label = key.replace("_", " ")
        if isinstance(a, list) or isinstance(b, list):
            la = a if isinstance(a, list) else ([a] if a else [])
            lb = b if isinstance(b, list) else ([b] if b else [])
            removed, added = _list_changes(la, lb)
            for x in removed:
                out.append(Change("persona", REMOVED, f"persona {label} removed: {_q(x)}", field=key, old=x))
            for x in added:
                out.append(Change("persona", ADDED, f"persona {label} added: {_q(x)}", field=key, new=x))
        else:
            out.append(Change("persona", CHANGED, f"persona {label}: {_val(a)} → {_val(b)}", field=key, old=a, new=b))

    # -- lanes -----------------------------------------------------------------
    old_lanes = {lane.id: lane for lane in old.lanes}
    new_lanes = {lane.id: lane for lane in new.lanes}
    lane_names = {**{i: lane.name for i, lane in old_lanes.items()}, **{i: lane.name for i, lane in new_lanes.items()}}
    for lane in old.lanes:
        if lane.id not in new_lanes:
            out.append(Change("lane", REMOVED, f"lane {lane.name} removed", lane=lane.id))
    for lane in new.lanes:
        if lane.id not in old_lanes:
            out.append(Change("lane", ADDED, f"lane {lane.name} added", lane=lane.id))
            continue
        out.extend(_lane_changes(old_lanes[lane.id], lane))
    new_lane_ids = new.lane_ids()
    for lane_id in _moves(old.lane_ids(), new_lane_ids):
        out.append(Change("lane", MOVED, _after(new_lane_ids, lane_id, lane_names, "lane"), lane=lane_id))

    # -- stages ----------------------------------------------------------------
    old_stages = {s.id: s for s in old.stages}
    new_stages = {s.id: s for s in new.stages}
    stage_names = {**{i: s.name for i, s in old_stages.items()}, **{i: s.name for i, s in new_stages.items()}}
    for s in old.stages:
        if s.id not in new_stages:
            n = s.card_count()
            extra = f" (with {n} card{'s' if n != 1 else ''})" if n else ""
            out.append(Change("stage", REMOVED, f"stage {s.name} removed{extra}", stage=s.id))
    new_stage_ids = new.stage_ids()
    for s in new.stages:
        if s.id not in old_stages:
            out.append(Change("stage", ADDED, _after(new_stage_ids, s.id, stage_names, "stage").replace(
                " moved to the start", " added at the start").replace(" moved after ", " added after "), stage=s.id))
            continue
        out.extend(_stage_changes(old_stages[s.id], s))
    for stage_id in _moves(old.stage_ids(), new_stage_ids):
        out.append(Change("stage", MOVED, _after(new_stage_ids, stage_id, stage_names, "stage"), stage=stage_id))

    # -- cards -----------------------------------------------------------------
    out.extend(_card_changes(old, new, lane_names, stage_names))
    return out


def _lane_changes(a: Lane, b: Lane) -> list[Change]:
    out = []
    if a.name != b.name:
        out.append(Change("lane", RENAMED, f"lane {a.name} renamed to {b.name}", lane=b.id, field="name",
                          old=a.name, new=b.name))
    if a.question != b.question:
        out.append(Change("lane", CHANGED, f"lane {b.name}: question {_val(a.question)} → {_val(b.question)}",
                          lane=b.id, field="question", old=a.question, new=b.question))
    if a.hidden != b.hidden:
        out.append(Change("lane", CHANGED, f"lane {b.name} {'hidden' if b.hidden else 'shown'}", lane=b.id,
                          field="hidden", old=a.hidden, new=b.hidden))
    return out


def _stage_changes(a: Stage, b: Stage) -> list[Change]:
    out = []
    if a.name != b.name:
        out.append(Change("stage", RENAMED, f"stage {a.name} renamed to {b.name}", stage=b.id, field="name",
                          old=a.name, new=b.name))
    if a.emotion != b.emotion:
        out.append(Change("stage", CHANGED, f"{b.name}: emotion {_val(a.emotion)} → {_val(b.emotion)}", stage=b.id,
                          field="emotion", old=a.emotion, new=b.emotion))
    for key in ("feeling", "question"):
        x, y = getattr(a, key), getattr(b, key)
        if x != y:
            out.append(Change("stage", CHANGED, f"{b.name}: {key} {_val(x)} → {_val(y)}", stage=b.id, field=key,
                              old=x, new=y))
    return out


def _card_attrs(a: Card, b: Card) -> list[str]:
    parts = []
    if a.text != b.text:
        parts.append(f"{_q(a.text)} → {_q(b.text)}")
    if a.tags != b.tags:
        gone = [t for t in a.tags if t not in b.tags]
        came = [t for t in b.tags if t not in a.tags]
        tags = " ".join([f"+{t}" for t in came] + [f"-{t}" for t in gone]) or "reordered"
        parts.append(f"tags {tags}")
    if a.emotion != b.emotion:
        parts.append(f"emotion {_val(a.emotion)} → {_val(b.emotion)}")
    if a.source != b.source:
        parts.append(f"source {_val(a.source)} → {_val(b.source)}")
    if a.conflict != b.conflict:
        parts.append("conflict resolved" if not b.conflict else f"conflict {_val(a.conflict)} → {_val(b.conflict)}")
    for key in sorted(set(a.extra) | set(b.extra)):  # keys written by hand in the card
        if a.extra.get(key) != b.extra.get(key):
            parts.append(f"{key} {_val(a.extra.get(key))} → {_val(b.extra.get(key))}")
    return parts


def _card_changes(old: JourneyMap, new: JourneyMap, lane_names: dict[str, str], stage_names: dict[str, str]) -> list[Change]:
    """Cards added, removed, changed (edited in place) and moved, stage by stage in the new order."""
    lanes = new.lane_ids() + [i for i in old.lane_ids() if i not in set(new.lane_ids())]
    stages = new.stage_ids() + [i for i in old.stage_ids() if i not in set(new.stage_ids())]
    old_stages = {s.id: s for s in old.stages}
    new_stages = {s.id: s for s in new.stages}
    new_lane_set = set(new.lane_ids())
    old_lane_set = set(old.lane_ids())

    # first pass: per cell, what was added and removed (edits paired up by position in the diff)
    edits: list[tuple[str, str, Card, Card]] = []
    added: list[tuple[str, str, Card]] = []
    removed: list[tuple[str, str, Card]] = []
    quiet: set[int] = set()  # removed with their stage or lane: not listed unless they moved
    for sid in stages:
        so, sn = old_stages.get(sid), new_stages.get(sid)
        for lid in lanes:
            # a removed stage or lane is reported as such; its cards are not listed one by one
            # (its cards still take part in finding moves)
            if so is None or sn is None or lid not in new_lane_set or lid not in old_lane_set:
                if sn is not None and lid in new_lane_set:
                    added.extend((sid, lid, c) for c in sn.peek(lid))
                if so is not None and lid in old_lane_set:
                    removed.extend((sid, lid, c) for c in so.peek(lid))
                    quiet.update(range(len(removed) - len(so.peek(lid)), len(removed)))
                continue
            a, b = so.peek(lid), sn.peek(lid)
            if a == b:
                continue
            sm = difflib.SequenceMatcher(a=[c.text for c in a], b=[c.text for c in b], autojunk=False)
            for tag, i1, i2, j1, j2 in sm.get_opcodes():
                if tag == "equal":
                    for k in range(i2 - i1):
                        if a[i1 + k] != b[j1 + k]:
                            edits.append((sid, lid, a[i1 + k], b[j1 + k]))
                    continue
                if tag == "replace" and (i2 - i1) == (j2 - j1):
                    edits.extend((sid, lid, a[i1 + k], b[j1 + k]) for k in range(i2 - i1))
                    continue
                removed.extend((sid, lid, c) for c in a[i1:i2])
                added.extend((sid, lid, c) for c in b[j1:j2])

    # second pass: a card removed here and added there with the same text has moved
    moved: list[tuple[str, str, str, str, Card, Card]] = []
    pool: dict[str, list[int]] = {}
    for k, (_sid, _lid, c) in enumerate(removed):
        pool.setdefault(c.text, []).append(k)
    gone: set[int] = set()
    still_added = []
    for sid, lid, c in added:
        ks = [k for k in pool.get(c.text, []) if k not in gone]
        if ks:
            k = ks[0]
            gone.add(k)
            rs, rl, rc = removed[k]
            moved.append((rs, rl, sid, lid, rc, c))
        else:
            still_added.append((sid, lid, c))
    still_removed = [r for k, r in enumerate(removed) if k not in gone and k not in quiet]

    def where(sid: str, lid: str) -> str:
        return f"stage {stage_names[sid]}: {_singular(lane_names[lid])}"

    out: list[Change] = []
    order = {sid: k for k, sid in enumerate(stages)}
    lane_order = {lid: k for k, lid in enumerate(lanes)}
    records: list[tuple[tuple[int, int], Change]] = []
    for sid, lid, c in still_removed:
        records.append(((order[sid], lane_order[lid]),
                        Change("card", REMOVED, f"{where(sid, lid)} removed: {_q(c.text)}", sid, lid, old=c.text)))
    for sid, lid, c in still_added:
        records.append(((order[sid], lane_order[lid]),
                        Change("card", ADDED, f"{where(sid, lid)} added: {_q(c.text)}", sid, lid, new=c.text)))
    for sid, lid, a, b in edits:
        records.append(((order[sid], lane_order[lid]),
                        Change("card", CHANGED, f"{where(sid, lid)} changed: {'; '.join(_card_attrs(a, b))}", sid, lid,
                               old=a.text, new=b.text)))
    for os_, ol, ns, nl, a, b in moved:
        dest = f"stage {stage_names[ns]}" if ol == nl else f"stage {stage_names[ns]}, {lane_names[nl]}"
        if os_ == ns:
            dest = lane_names[nl]
        text = f"{where(os_, ol)} moved to {dest}: {_q(b.text)}"
        extra = [p for p in _card_attrs(a, b) if not p.startswith('"')]
        if extra:
            text += f" ({'; '.join(extra)})"
        records.append(((order[ns], lane_order[nl]), Change("card", MOVED, text, ns, nl, old=f"{os_}/{ol}", new=f"{ns}/{nl}")))
    records.sort(key=lambda r: r[0])
    out.extend(c for _k, c in records)
    return out


# -- the textconv form ----------------------------------------------------------------


def _one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def facts(m: JourneyMap) -> list[str]:
    """The map as one normalised fact per line: what `git diff` shows through textconv."""
    out = []
    for key in MAP_FIELDS:
        value = getattr(m, key)
        if value:
            out.append(f"{key}: {_one_line(value)}")
    p = m.persona
    for key in PERSONA_TEXT_FIELDS:
        if getattr(p, key):
            out.append(f"persona {key}: {_one_line(getattr(p, key))}")
    for key in PERSONA_LIST_FIELDS:
        for item in getattr(p, key):
            out.append(f"persona {key[:-1]}: {_one_line(item)}")
    for key, value in p.other.items():
        for item in value if isinstance(value, list) else [value]:
            out.append(f"persona {key}: {_one_line(item)}")
    for lane in m.lanes:
        line = f"lane {lane.id}: {_one_line(lane.name)}"
        if lane.hidden:
            line += " (hidden)"
        out.append(line)
        if lane.question:
            out.append(f"lane {lane.id} question: {_one_line(lane.question)}")
    for s in m.stages:
        head = f"[{_one_line(s.name)}]"
        out.append(f"stage {s.id}: {_one_line(s.name)}")
        if s.emotion is not None:
            out.append(f"{head} emotion: {_val(s.emotion)}")
        if s.feeling:
            out.append(f"{head} feeling: {_one_line(s.feeling)}")
        if s.question:
            out.append(f"{head} question: {_one_line(s.question)}")
        for lane in m.lanes:
            for c in s.peek(lane.id):
                line = f"{head} {_one_line(lane.name)}: {_one_line(c.text)}"
                extra = []
                if c.tags:
                    extra.append("tags " + ", ".join(c.tags))
                if c.emotion is not None:
                    extra.append(f"emotion {_val(c.emotion)}")
                if c.source:
                    extra.append(f"source {_one_line(c.source)}")
                if c.conflict:
                    extra.append(f"CONFLICT {c.conflict}")
                extra.extend(f"{k} {_one_line(str(v))}" for k, v in sorted(c.extra.items()))
                if extra:
                    line += "  {" + "; ".join(extra) + "}"
                out.append(line)
    return out
