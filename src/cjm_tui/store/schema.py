"""The map file's schema: plain TOML data (dicts, lists, str, int) <-> JourneyMap.

This module reads data already parsed by tomllib or tomlkit; it imports
neither, so printing commands can use the fast stdlib parser.
"""

from __future__ import annotations

from typing import Any

from ..model import EMOTION_MAX, EMOTION_MIN, KINDS, Card, JourneyMap, Lane, Persona, Stage, valid_id
from ..model.journey import MAP_FIELDS, PERSONA_LIST_FIELDS, PERSONA_TEXT_FIELDS, STAGE_FIELDS
from .errors import FormatVersionError, MapError, Place

FORMAT_VERSION = 1
#: the file suffix of a map; other TOML is not a map
SUFFIX = ".cjm.toml"

CARD_KEYS = ("text", "tags", "emotion", "source", "conflict")
LANE_KEYS = ("id", "name", "question", "hidden")
TOP_KEYS = ("format",) + MAP_FIELDS


def _type_name(value: Any) -> str:
    return {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true/false",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _fail(place: Place, message: str) -> MapError:
    return MapError(f"{_describe(place)}: {message}", place=place)


def _describe(place: Place) -> str:
    out: list[str] = []
    for p in place:
        if isinstance(p, int):
            out[-1] = f"{out[-1]}[{p}]" if out else f"[{p}]"
        else:
            out.append(p)
    return ".".join(out) or "file"


def _text(data: dict, key: str, place: Place, required: bool = False) -> str:
    if key not in data:
        if required:
            raise _fail(place, f"missing `{key}`")
        return ""
    value = data[key]
    if not isinstance(value, str):
        raise _fail(place + (key,), f"should be text in quotes, not {_type_name(value)}")
    return value


def _text_list(value: Any, place: Place) -> list[str]:
    if not isinstance(value, list):
        raise _fail(place, f"should be an array of text, not {_type_name(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise _fail(place + (i,), f"should be text in quotes, not {_type_name(item)}")
    return list(value)


def _emotion(value: Any, place: Place) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(place, f"emotion should be a whole number from {EMOTION_MIN} to {EMOTION_MAX}, not {_type_name(value)}")
    if not EMOTION_MIN <= value <= EMOTION_MAX:
        raise _fail(place, f"emotion {value} is out of range: use {EMOTION_MIN} (frustrated) to +{EMOTION_MAX} (delighted)")
    return value


def _card(value: Any, place: Place) -> Card:
    if isinstance(value, str):
        return Card(value)
    if not isinstance(value, dict):
        raise _fail(place, f"a card should be text or an inline table {{ text = \"…\" }}, not {_type_name(value)}")
    if "text" not in value:
        raise _fail(place, "card has no `text`")
    text = _text(value, "text", place)
    tags = _text_list(value["tags"], place + ("tags",)) if "tags" in value else []
    emotion = _emotion(value["emotion"], place + ("emotion",)) if "emotion" in value else None
    source = _text(value, "source", place) or None
    conflict = _text(value, "conflict", place) or None
    extra = {k: v for k, v in value.items() if k not in CARD_KEYS}
    return Card(text, tags, emotion, source, conflict, extra)


def _id(data: dict, place: Place, what: str) -> str:
    value = _text(data, "id", place, required=True)
    if not valid_id(value):
        raise _fail(
            place + ("id",),
            f"{what} id {value!r} should be lowercase letters, digits, _ or - (starting with a letter or digit)",
        )
    return value


def map_from_data(data: dict) -> JourneyMap:
    """Build a map from parsed TOML. Raises MapError with a place path."""
    fmt = data.get("format", FORMAT_VERSION)
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise _fail(("format",), f"should be a whole number, not {_type_name(fmt)}")
    if fmt > FORMAT_VERSION:
        raise FormatVersionError(
            f"written in map format {fmt}, but this cjm reads format {FORMAT_VERSION} and older: upgrade cjm to open it",
            place=("format",),
        )
    if fmt < 1:
        raise _fail(("format",), f"format {fmt} is not a map format version")

    m = JourneyMap()
    for key in MAP_FIELDS:
        setattr(m, key, _text(data, key, ()))
    if "kind" not in data:
        m.kind = "current"
    elif m.kind not in KINDS:
        raise _fail(("kind",), f"unknown kind {m.kind!r}: use one of {', '.join(KINDS)}")

    if "persona" in data:
        p = data["persona"]
        if not isinstance(p, dict):
            raise _fail(("persona",), f"should be a table [persona], not {_type_name(p)}")
        persona = Persona()
        for key in PERSONA_TEXT_FIELDS:
            setattr(persona, key, _text(p, key, ("persona",)))
        for key in PERSONA_LIST_FIELDS:
            if key in p:
                setattr(persona, key, _text_list(p[key], ("persona", key)))
        for key, value in p.items():
            if key in PERSONA_TEXT_FIELDS or key in PERSONA_LIST_FIELDS:
                continue
            if isinstance(value, list):
                persona.other[key] = [str(v) for v in value]
            elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
                persona.other[key] = str(value)
            elif isinstance(value, bool):
                persona.other[key] = "true" if value else "false"
            # tables inside persona are kept in the file but not shown
        m.persona = persona

    lanes = data.get("lanes", [])
    if not isinstance(lanes, list):
        raise _fail(("lanes",), "should be written as [[lanes]] tables")
    seen: dict[str, int] = {}
    for i, ld in enumerate(lanes):
        place: Place = ("lanes", i)
        if not isinstance(ld, dict):
            raise _fail(place, "should be a [[lanes]] table")
        lane_id = _id(ld, place, "lane")
        if lane_id in STAGE_FIELDS:
            raise _fail(place + ("id",), f"lane id {lane_id!r} is reserved for a stage field; choose another")
        if lane_id in seen:
            raise _fail(place + ("id",), f"duplicate lane id {lane_id!r} (first used by lanes[{seen[lane_id]}])")
        seen[lane_id] = i
        name = _text(ld, "name", place) or lane_id
        question = _text(ld, "question", place) or None
        hidden = ld.get("hidden", False)
        if not isinstance(hidden, bool):
            raise _fail(place + ("hidden",), f"should be true or false, not {_type_name(hidden)}")
        m.lanes.append(Lane(lane_id, name, question, hidden))

    stages = data.get("stages", [])
    if not isinstance(stages, list):
        raise _fail(("stages",), "should be written as [[stages]] tables")
    seen_stage: dict[str, int] = {}
    for i, sd in enumerate(stages):
        place = ("stages", i)
        if not isinstance(sd, dict):
            raise _fail(place, "should be a [[stages]] table")
        stage_id = _id(sd, place, "stage")
        if stage_id in seen_stage:
            raise _fail(place + ("id",), f"duplicate stage id {stage_id!r} (first used by stages[{seen_stage[stage_id]}])")
        seen_stage[stage_id] = i
        stage = Stage(stage_id, _text(sd, "name", place) or stage_id)
        if "emotion" in sd:
            stage.emotion = _emotion(sd["emotion"], place + ("emotion",))
        stage.feeling = _text(sd, "feeling", place) or None
        stage.question = _text(sd, "question", place) or None
        for key, value in sd.items():
            if key in STAGE_FIELDS:
                continue
            if key in seen:
                if not isinstance(value, list):
                    raise _fail(place + (key,), f"cards should be an array, not {_type_name(value)}")
                cards = [_card(v, place + (key, j)) for j, v in enumerate(value)]
                if cards:
                    stage.cells[key] = cards
            elif isinstance(value, list):
                raise _fail(
                    place + (key,),
                    f"stage {stage_id!r} has cards for lane {key!r}, which is not declared: add a [[lanes]] table with id = {key!r}",
                )
            # other keys written by hand are kept in the file untouched
        m.stages.append(stage)
    return m


def card_to_data(card: Card) -> str | dict[str, Any]:
    if card.is_plain():
        return card.text
    out: dict[str, Any] = {"text": card.text}
    if card.tags:
        out["tags"] = list(card.tags)
    if card.emotion is not None:
        out["emotion"] = card.emotion
    if card.source:
        out["source"] = card.source
    if card.conflict:
        out["conflict"] = card.conflict
    out.update(card.extra)
    return out


def map_to_data(m: JourneyMap) -> dict[str, Any]:
    """The plain data of *m* as the file holds it (what tomllib reads back)."""
    data: dict[str, Any] = {"format": FORMAT_VERSION}
    for key in MAP_FIELDS:
        value = getattr(m, key)
        if value:
            data[key] = value
    if not m.persona.is_empty():
        p: dict[str, Any] = {}
        for key in PERSONA_TEXT_FIELDS:
            if getattr(m.persona, key):
                p[key] = getattr(m.persona, key)
        for key in PERSONA_LIST_FIELDS:
            if getattr(m.persona, key):
                p[key] = list(getattr(m.persona, key))
        for key, value in m.persona.other.items():
            p[key] = list(value) if isinstance(value, list) else value
        data["persona"] = p
    if m.lanes:
        data["lanes"] = [lane_to_data(lane) for lane in m.lanes]
    if m.stages:
        data["stages"] = [stage_to_data(s, m.lane_ids()) for s in m.stages]
    return data


def lane_to_data(lane: Lane) -> dict[str, Any]:
    d: dict[str, Any] = {"id": lane.id, "name": lane.name}
    if lane.question:
        d["question"] = lane.question
    if lane.hidden:
        d["hidden"] = True
    return d


def stage_to_data(stage: Stage, lane_ids: list[str]) -> dict[str, Any]:
    d: dict[str, Any] = {"id": stage.id, "name": stage.name}
    if stage.emotion is not None:
        d["emotion"] = stage.emotion
    if stage.feeling:
        d["feeling"] = stage.feeling
    if stage.question:
        d["question"] = stage.question
    for lane_id in lane_ids:
        cards = stage.peek(lane_id)
        if cards:
            d[lane_id] = [card_to_data(c) for c in cards]
    return d
