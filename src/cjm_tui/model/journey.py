"""The journey map: plain data, no I/O, no Textual, no tomlkit.

A map is a persona and a lens (title, kind, scenario, goal, timescale, notes),
ordered lanes (rows) and ordered stages (columns). Each stage holds, per lane,
an ordered list of cards. Ids are stable slugs: renaming changes a name only.
"""

from __future__ import annotations

import re
import unicodedata
import copy
from dataclasses import dataclass, field

EMOTION_MIN = -2
EMOTION_MAX = 2

#: kinds of map, in the order the UI cycles through them
KINDS: tuple[str, ...] = ("current", "future", "day-in-the-life", "blueprint")
KIND_LABELS = {
    "current": "current state",
    "future": "future state",
    "day-in-the-life": "day in the life",
    "blueprint": "service blueprint",
}

#: words for each emotion score, frustrated ... delighted
EMOTION_WORDS = {
    -2: "frustrated",
    -1: "unhappy",
    0: "neutral",
    1: "pleased",
    2: "delighted",
}

#: map fields a user edits as text, in file order
MAP_FIELDS: tuple[str, ...] = ("title", "kind", "scenario", "goal", "timescale", "notes")
#: persona fields with a fixed meaning; anything else is an "other field"
PERSONA_TEXT_FIELDS: tuple[str, ...] = ("name", "role", "quote")
PERSONA_LIST_FIELDS: tuple[str, ...] = ("goals", "frustrations")
#: stage keys that are not lanes
STAGE_FIELDS: tuple[str, ...] = ("id", "name", "emotion", "feeling", "question")

DEFAULT_LANES: tuple[tuple[str, str, str], ...] = (
    ("actions", "Actions", "What does the person do?"),
    ("thoughts", "Thoughts", "What is the person thinking? Use their own words."),
    ("touchpoints", "Touchpoints", "Where do they meet the brand: channel, place, person?"),
    ("pain_points", "Pain points", "What frustrates them or gets in their way?"),
    ("opportunities", "Opportunities", "How could this step be made better?"),
)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def valid_id(value: str) -> bool:
    """Ids are lowercase slugs usable as bare TOML keys."""
    return bool(_ID_RE.match(value))


def slugify(name: str, taken: set[str] | frozenset[str] = frozenset(), fallback: str = "item") -> str:
    """A stable id for *name*, unique among *taken* and never a reserved word."""
    text = unicodedata.normalize("NFKD", name)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:40].strip("_") or fallback
    reserved = set(STAGE_FIELDS)
    base, n = slug, 2
    while slug in taken or slug in reserved:
        slug = f"{base}_{n}"
        n += 1
    return slug


def emotion_symbol(score: int | None, ascii_only: bool = False) -> str:
    if score is None:
        return "·" if not ascii_only else "."
    if ascii_only:
        return {-2: "vv", -1: "v", 0: "o", 1: "^", 2: "^^"}[score]
    return {-2: "▼▼", -1: "▼", 0: "●", 1: "▲", 2: "▲▲"}[score]


def emotion_number(score: int) -> str:
    """+1, -2, and 0 with no sign: how every view writes a score."""
    return f"{score:+d}" if score else "0"


def emotion_label(score: int | None, ascii_only: bool = False) -> str:
    """``▲ +1 pleased``, ``● 0 neutral``, ``· no score``: symbol, number and word."""
    if score is None:
        return f"{emotion_symbol(None, ascii_only)} no score"
    return f"{emotion_symbol(score, ascii_only)} {emotion_number(score)} {EMOTION_WORDS[score]}"


def clamp_emotion(score: int) -> int:
    return max(EMOTION_MIN, min(EMOTION_MAX, score))


@dataclass
class Card:
    text: str
    tags: list[str] = field(default_factory=list)
    emotion: int | None = None
    source: str | None = None
    #: set on a card that came from a merge conflict: which version it is ("ours" / "theirs"
    #: from `cjm merge`, who wrote it ("ana@build-01 pts/3", "on disk") from an editor merge)
    conflict: str | None = None
    #: keys written by hand in the card's inline table that cjm does not know; kept as they are
    extra: dict = field(default_factory=dict)

    def is_plain(self) -> bool:
        return (
            not self.tags and self.emotion is None and self.source is None and self.conflict is None and not self.extra
        )

    def copy(self) -> Card:
        return Card(self.text, list(self.tags), self.emotion, self.source, self.conflict, copy.deepcopy(self.extra))


@dataclass
class Lane:
    id: str
    name: str
    question: str | None = None
    hidden: bool = False

    def copy(self) -> Lane:
        return Lane(self.id, self.name, self.question, self.hidden)


@dataclass
class Stage:
    id: str
    name: str
    emotion: int | None = None
    feeling: str | None = None
    question: str | None = None
    cells: dict[str, list[Card]] = field(default_factory=dict)

    def cards(self, lane_id: str) -> list[Card]:
        """The cards of *lane_id* in this stage (a live list, created on demand)."""
        return self.cells.setdefault(lane_id, [])

    def peek(self, lane_id: str) -> list[Card]:
        """The cards of *lane_id* without creating an empty cell."""
        return self.cells.get(lane_id, [])

    def card_count(self) -> int:
        return sum(len(c) for c in self.cells.values())

    def copy(self) -> Stage:
        return Stage(
            self.id,
            self.name,
            self.emotion,
            self.feeling,
            self.question,
            {k: [c.copy() for c in v] for k, v in self.cells.items()},
        )


@dataclass
class Persona:
    name: str = ""
    role: str = ""
    quote: str = ""
    goals: list[str] = field(default_factory=list)
    frustrations: list[str] = field(default_factory=list)
    #: other fields (age, family status, motivations, channels, ...): text or list of text
    other: dict[str, str | list[str]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.name or self.role or self.quote or self.goals or self.frustrations or self.other)


@dataclass
class JourneyMap:
    title: str = ""
    kind: str = "current"
    scenario: str = ""
    goal: str = ""
    timescale: str = ""
    notes: str = ""
    persona: Persona = field(default_factory=Persona)
    lanes: list[Lane] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)

    # -- lookups -------------------------------------------------------
    def lane(self, lane_id: str) -> Lane:
        for lane in self.lanes:
            if lane.id == lane_id:
                return lane
        raise KeyError(f"no lane {lane_id!r}")

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(f"no stage {stage_id!r}")

    def lane_index(self, lane_id: str) -> int:
        return next(i for i, lane in enumerate(self.lanes) if lane.id == lane_id)

    def stage_index(self, stage_id: str) -> int:
        return next(i for i, s in enumerate(self.stages) if s.id == stage_id)

    def lane_ids(self) -> list[str]:
        return [lane.id for lane in self.lanes]

    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def card_count(self) -> int:
        return sum(s.card_count() for s in self.stages)

    def conflict_cards(self) -> list[tuple[Stage, str, Card]]:
        """(stage, lane id, card) of every card marked as a merge conflict version."""
        return [(s, lid, c) for s in self.stages for lid, cards in s.cells.items() for c in cards if c.conflict]

    def new_stage_id(self, name: str) -> str:
        return slugify(name, set(self.stage_ids()), "stage")

    def new_lane_id(self, name: str) -> str:
        return slugify(name, set(self.lane_ids()), "lane")

    def copy(self) -> JourneyMap:
        """A deep copy (by hand: several times faster than copy.deepcopy on big maps)."""
        p = self.persona
        persona = Persona(
            p.name,
            p.role,
            p.quote,
            list(p.goals),
            list(p.frustrations),
            {k: list(v) if isinstance(v, list) else v for k, v in p.other.items()},
        )
        return JourneyMap(
            self.title,
            self.kind,
            self.scenario,
            self.goal,
            self.timescale,
            self.notes,
            persona,
            [lane.copy() for lane in self.lanes],
            [s.copy() for s in self.stages],
        )

    @classmethod
    def blank(cls, title: str = "Untitled journey", stages: tuple[str, ...] = ()) -> JourneyMap:
        m = cls(title=title)
        m.lanes = [Lane(i, n, q) for i, n, q in DEFAULT_LANES]
        for name in stages:
            m.stages.append(Stage(m.new_stage_id(name), name))
        return m
