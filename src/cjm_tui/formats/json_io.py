"""A map as JSON, and back. The schema is documented in docs/json-schema.md.

Every key is always present (``null`` or empty when unset), in a fixed order,
so the output is stable and easy to consume; ``ensure_ascii=False``, indent 2.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..model.journey import (
    EMOTION_MAX,
    EMOTION_MIN,
    KINDS,
    MAP_FIELDS,
    Card,
    JourneyMap,
    Lane,
    Persona,
    Stage,
    valid_id,
)
from ..store.errors import MapError

JSON_FORMAT = 1


def map_to_json_data(m: JourneyMap) -> dict[str, Any]:
    data: dict[str, Any] = {"format": JSON_FORMAT}
    for key in MAP_FIELDS:
        data[key] = getattr(m, key)
    p = m.persona
    data["persona"] = {
        "name": p.name,
        "role": p.role,
        "quote": p.quote,
        "goals": list(p.goals),
        "frustrations": list(p.frustrations),
        "other": {k: (list(v) if isinstance(v, list) else v) for k, v in p.other.items()},
    }
    data["lanes"] = [{"id": lane.id, "name": lane.name, "question": lane.question, "hidden": lane.hidden} for lane in m.lanes]
    stages = []
    for s in m.stages:
        cards: dict[str, list[dict[str, Any]]] = {}
        for lane in m.lanes:
            if s.peek(lane.id):
                cards[lane.id] = [_card(c) for c in s.peek(lane.id)]
        stages.append(
            {"id": s.id, "name": s.name, "emotion": s.emotion, "feeling": s.feeling, "question": s.question, "cards": cards}
        )
    data["stages"] = stages
    return data


def _card(c: Card) -> dict[str, Any]:
    out: dict[str, Any] = {"text": c.text, "tags": list(c.tags), "emotion": c.emotion, "source": c.source}
    if c.conflict:
        out["conflict"] = c.conflict
    if c.extra:
        # keys written by hand in the map's card; TOML dates and times become ISO text
        out["extra"] = json.loads(json.dumps(c.extra, ensure_ascii=False, default=str))
    return out


def to_json(m: JourneyMap) -> str:
    return json.dumps(map_to_json_data(m), ensure_ascii=False, indent=2) + "\n"


# -- reading ------------------------------------------------------------------------

Path_ = tuple[str | int, ...]


class _Shape(Exception):
    def __init__(self, place: Path_, message: str) -> None:
        super().__init__(message)
        self.place = place
        self.message = message


def _where(place: Path_) -> str:
    out = ""
    for p in place:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out or "the top level"


def _type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "a string", list: "an array", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _str(value: Any, place: Path_, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _Shape(place, f"should be a string, not {_type(value)}")
    return value


def _obj(value: Any, place: Path_) -> dict:
    if not isinstance(value, dict):
        raise _Shape(place, f"should be an object, not {_type(value)}")
    return value


def _list(value: Any, place: Path_) -> list:
    if not isinstance(value, list):
        raise _Shape(place, f"should be an array, not {_type(value)}")
    return value


def _emotion(value: Any, place: Path_) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Shape(place, f"should be a whole number from {EMOTION_MIN} to {EMOTION_MAX} or null, not {_type(value)}")
    if not EMOTION_MIN <= value <= EMOTION_MAX:
        raise _Shape(place, f"emotion {value} is out of range {EMOTION_MIN}…{EMOTION_MAX}")
    return value


def _id(value: Any, place: Path_, taken: set[str], what: str) -> str:
    text = _str(value, place)
    assert text is not None
    if not valid_id(text):
        raise _Shape(place, f"{what} id {text!r} should be lowercase letters, digits, _ or -")
    if text in taken:
        raise _Shape(place, f"duplicate {what} id {text!r}")
    taken.add(text)
    return text


def map_from_json_data(data: Any) -> JourneyMap:
    data = _obj(data, ())
    if "stages" not in data or "lanes" not in data:
        raise _Shape((), "not a cjm map in JSON: expected an object with \"lanes\" and \"stages\" (see docs/json-schema.md)")
    fmt = data.get("format", JSON_FORMAT)
    if fmt != JSON_FORMAT:
        raise _Shape(("format",), f"format {fmt!r} is not one this cjm reads (expected {JSON_FORMAT})")
    m = JourneyMap()
    for key in MAP_FIELDS:
        if key in data:
            setattr(m, key, _str(data[key], (key,), optional=True) or "")
    m.kind = m.kind or "current"
    if m.kind not in KINDS:
        raise _Shape(("kind",), f"unknown kind {m.kind!r}: use one of {', '.join(KINDS)}")
    if data.get("persona") is not None:
        p = _obj(data["persona"], ("persona",))
        persona = Persona()
        for key in ("name", "role", "quote"):
            persona.__dict__[key] = _str(p.get(key), ("persona", key), optional=True) or ""
        for key in ("goals", "frustrations"):
            items = _list(p.get(key, []), ("persona", key))
            persona.__dict__[key] = [_str(v, ("persona", key, i)) for i, v in enumerate(items)]
        other = _obj(p.get("other", {}), ("persona", "other"))
        for key, value in other.items():
            if isinstance(value, list):
                persona.other[key] = [_str(v, ("persona", "other", key, i)) for i, v in enumerate(value)]  # type: ignore[misc]
            else:
                persona.other[key] = _str(value, ("persona", "other", key))  # type: ignore[assignment]
        m.persona = persona
    lane_ids: set[str] = set()
    for i, ld in enumerate(_list(data["lanes"], ("lanes",))):
        place: Path_ = ("lanes", i)
        ld = _obj(ld, place)
        lane_id = _id(ld.get("id"), place + ("id",), lane_ids, "lane")
        name = _str(ld.get("name", lane_id), place + ("name",)) or lane_id
        question = _str(ld.get("question"), place + ("question",), optional=True) or None
        hidden = ld.get("hidden", False)
        if not isinstance(hidden, bool):
            raise _Shape(place + ("hidden",), f"should be true or false, not {_type(hidden)}")
        m.lanes.append(Lane(lane_id, name, question, hidden))
    stage_ids: set[str] = set()
    for i, sd in enumerate(_list(data["stages"], ("stages",))):
        place = ("stages", i)
        sd = _obj(sd, place)
        stage_id = _id(sd.get("id"), place + ("id",), stage_ids, "stage")
        stage = Stage(stage_id, _str(sd.get("name", stage_id), place + ("name",)) or stage_id)
        stage.emotion = _emotion(sd.get("emotion"), place + ("emotion",))
        stage.feeling = _str(sd.get("feeling"), place + ("feeling",), optional=True) or None
        stage.question = _str(sd.get("question"), place + ("question",), optional=True) or None
        for lane_id, cards in _obj(sd.get("cards", {}), place + ("cards",)).items():
            cplace = place + ("cards", lane_id)
            if lane_id not in lane_ids:
                raise _Shape(cplace, f"cards for lane {lane_id!r}, which is not in \"lanes\"")
            out = []
            for j, cd in enumerate(_list(cards, cplace)):
                if isinstance(cd, str):
                    out.append(Card(cd))
                    continue
                cd = _obj(cd, cplace + (j,))
                if "text" not in cd:
                    raise _Shape(cplace + (j,), "card has no \"text\"")
                text = _str(cd["text"], cplace + (j, "text"))
                tags = [_str(t, cplace + (j, "tags", k)) for k, t in enumerate(_list(cd.get("tags", []), cplace + (j, "tags")))]
                card = Card(
                    text or "",
                    tags,  # type: ignore[arg-type]
                    _emotion(cd.get("emotion"), cplace + (j, "emotion")),
                    _str(cd.get("source"), cplace + (j, "source"), optional=True) or None,
                    _str(cd.get("conflict"), cplace + (j, "conflict"), optional=True) or None,
                    dict(_obj(cd["extra"], cplace + (j, "extra"))) if "extra" in cd else {},
                )
                out.append(card)
            if out:
                stage.cells[lane_id] = out
        m.stages.append(stage)
    return m


def from_json(text: str, path: str | None = None) -> tuple[JourneyMap, list[str]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MapError(f"not valid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    try:
        return map_from_json_data(data), []
    except _Shape as exc:
        raise MapError(f"{_where(exc.place)}: {exc.message}", path, line_of(text, exc.place)) from None


# -- where a value is, for error messages ----------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null")


def line_of(text: str, place: Path_) -> int | None:
    """The 1-based line where the value at *place* starts in the JSON *text*."""
    decoder = json.JSONDecoder()
    target = tuple(place)
    found: list[int] = []

    def skip(i: int) -> int:
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, path: Path_) -> int:
        i = skip(i)
        if path == target:
            found.append(i)
        if i >= len(text):
            raise ValueError
        ch = text[i]
        if ch == "{":
            i = skip(i + 1)
            if text.startswith("}", i):
                return i + 1
            while True:
                key, i = json.decoder.scanstring(text, skip(i) + 1)
                i = skip(i)
                i = value(i + 1, path + (key,))  # past ':'
                i = skip(i)
                if text[i] == "}":
                    return i + 1
                i += 1  # ','
        if ch == "[":
            i = skip(i + 1)
            if text.startswith("]", i):
                return i + 1
            n = 0
            while True:
                i = value(i, path + (n,))
                n += 1
                i = skip(i)
                if text[i] == "]":
                    return i + 1
                i += 1
        if ch == '"':
            return json.decoder.scanstring(text, i + 1)[1]
        m = _SCALAR.match(text, i)
        if not m:
            raise ValueError
        return m.end()

    del decoder
    try:
        value(0, ())
    except (ValueError, IndexError):
        pass
    if not found:
        return None
    return text.count("\n", 0, found[0]) + 1
