"""Mermaid ``journey`` diagrams, written from a map and read into one.

Writing: ``title``, ``accDescr`` from the notes, one ``section`` per stage, and a
task per card of the ``actions`` lane (or the first lane with cards), scored
1…5 (the card's emotion, else the stage's, plus 3; unset is 3), with the
persona as the actor. Names are cleaned of what Mermaid's parser rejects.

Reading: sections become stages, tasks become cards of the ``actions`` lane
carrying their own emotion (score − 3), a stage's emotion is the rounded mean
of its tasks. The first actor becomes the persona's name and all of them are
kept in ``persona.other["actors"]``; a task whose actors are not just that
first actor keeps them as ``actor:NAME`` tags, so Mermaid → cjm → Mermaid
keeps sections, tasks, scores and actors.
"""

from __future__ import annotations

import re

from ..model.journey import DEFAULT_LANES, Card, JourneyMap, Lane, Stage
from ..store.errors import MapError

ACTOR_TAG = "actor:"
TASK_LANE = "actions"

_UNSAFE = re.compile(r"[:;#\n\r\t\x00-\x1f\x7f]+")
_SPACES = re.compile(r"\s+")


def clean(text: str, *, actor: bool = False) -> str:
    """*text* as Mermaid accepts it in a title, section, task or actor name."""
    text = _UNSAFE.sub(" ", text)
    if actor:
        text = text.replace(",", " ")
    text = _SPACES.sub(" ", text).strip()
    while text.startswith("%%"):
        text = text[2:].lstrip()
    return text


def _score(card: Card, stage: Stage) -> int:
    emotion = card.emotion if card.emotion is not None else stage.emotion
    return 3 + (emotion if emotion is not None else 0)


def task_lane(m: JourneyMap) -> str | None:
    ids = m.lane_ids()
    if TASK_LANE in ids and any(s.peek(TASK_LANE) for s in m.stages):
        return TASK_LANE
    for lane_id in ids:
        if any(s.peek(lane_id) for s in m.stages):
            return lane_id
    return TASK_LANE if TASK_LANE in ids else None


def to_mermaid(m: JourneyMap) -> str:
    out = ["journey"]
    title = clean(m.title)
    if title:
        out.append(f"  title {title}")
    notes = m.notes.replace("}", ")").replace("\r", "").strip()
    if notes.startswith("accTitle:"):  # kept from an imported diagram
        first, _, notes = notes.partition("\n")
        acc = clean(first[len("accTitle:") :])
        if acc:
            out.append(f"  accTitle: {acc}")
        notes = notes.strip()
    if notes:
        if "\n" in notes:
            out.append("  accDescr {")
            out.extend(f"    {line.strip()}" for line in notes.split("\n") if line.strip())
            out.append("  }")
        else:
            out.append(f"  accDescr: {notes}")
    default_actor = clean(m.persona.name, actor=True)
    lane_id = task_lane(m)
    for s in m.stages:
        section = clean(s.name) or s.id
        out.append(f"  section {section}")
        for card in s.peek(lane_id) if lane_id else []:
            task = clean(card.text) or "(empty)"
            tagged = [clean(t[len(ACTOR_TAG):], actor=True) for t in card.tags if t.startswith(ACTOR_TAG)]
            if tagged:  # "actor:" alone marks a task with no actors
                actors = [a for a in tagged if a]
            else:
                actors = [default_actor] if default_actor else []
            line = f"    {task}: {_score(card, s)}"
            if actors:
                line += ": " + ", ".join(actors)
            out.append(line)
    return "\n".join(out) + "\n"


# -- reading ----------------------------------------------------------------------

_FENCE_OPEN = re.compile(r"^\s*(```+|~~~+)\s*mermaid\b.*$", re.IGNORECASE)


def _diagram_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of the diagram: inside the first ```mermaid fence
    holding a journey if there is one, else the whole text."""
    lines = text.splitlines()
    i = 0
    first_fence: list[tuple[int, str]] | None = None
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        fence = m.group(1)
        body: list[tuple[int, str]] = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            body.append((j + 1, lines[j]))
            j += 1
        if first_fence is None:
            first_fence = body
        if any(line.strip() == "journey" or line.strip().startswith("journey ") for _, line in body):
            return body
        i = j + 1
    if first_fence is not None:
        return first_fence
    return [(n + 1, line) for n, line in enumerate(lines)]


def from_mermaid(text: str, path: str | None = None) -> tuple[JourneyMap, list[str]]:
    """A map from a Mermaid journey; returns (map, warnings). Raises MapError."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _diagram_lines(text)
    warnings: list[str] = []

    def where(line: int) -> str:
        return f"{path or '<input>'}:{line}"

    m = JourneyMap()
    m.lanes = [Lane(i, n, q) for i, n, q in DEFAULT_LANES]
    title = acc_title = ""
    descr: list[str] = []
    actors: list[str] = []
    #: per stage, the scores of its tasks
    scores: dict[str, list[int]] = {}
    #: per card (by id), its actors
    card_actors: list[tuple[Card, list[str]]] = []
    stage: Stage | None = None
    seen_journey = False
    k = 0
    # YAML front matter (--- title: X ---) before the diagram
    sig = [(n, line) for n, line in lines if line.strip()]
    if sig and sig[0][1].strip() == "---":
        start = lines.index(sig[0])
        for k in range(start + 1, len(lines)):
            body = lines[k][1].strip()
            if body == "---":
                lines = lines[k + 1 :]
                break
            if body.startswith("title:"):
                title = body[len("title:") :].strip().strip("\"'")
        else:
            raise MapError("front matter opened with --- is never closed", path, sig[0][0])
    it = iter(lines)
    for n, raw in it:
        line = raw.strip()
        if not line or line.startswith("%%"):
            continue
        if not seen_journey:
            if line == "journey" or line.startswith("journey ") or line.startswith("journey\t"):
                seen_journey = True
                continue
            raise MapError(f"not a Mermaid journey diagram: expected `journey` first, found {line[:40]!r}", path, n)
        if line.startswith("title ") or line == "title":
            title = line[5:].strip()
        elif line.startswith("accTitle"):
            rest = line[len("accTitle") :].lstrip()
            if not rest.startswith(":"):
                raise MapError("accTitle should be written `accTitle: text`", path, n)
            acc_title = rest[1:].strip()
        elif line.startswith("accDescr"):
            rest = line[len("accDescr") :].lstrip()
            if rest.startswith(":"):
                descr.append(rest[1:].strip())
            elif rest.startswith("{"):
                body = rest[1:]
                start = n
                while "}" not in body:
                    if body.strip():
                        descr.append(body.strip())
                    try:
                        n, body = next(it)
                    except StopIteration:
                        raise MapError("accDescr { is never closed with }", path, start) from None
                before = body.split("}", 1)[0]
                if before.strip():
                    descr.append(before.strip())
            else:
                raise MapError("accDescr should be `accDescr: text` or `accDescr { … }`", path, n)
        elif line.startswith("section ") or line == "section":
            name = line[len("section") :].strip()
            if not name:
                raise MapError("a section needs a name", path, n)
            stage = Stage(m.new_stage_id(name), name)
            m.stages.append(stage)
            scores[stage.id] = []
        else:
            if ":" not in line:
                raise MapError(f"a task needs a score: write `{line[:40]}: 3` (1 frustrated … 5 delighted)", path, n)
            task, rest = line.split(":", 1)
            task = task.strip()
            score_text, _, actor_text = rest.partition(":")
            score_text = score_text.strip()
            if not task:
                raise MapError("a task needs a name before the `:`", path, n)
            try:
                value = float(score_text)
                if value != value or value in (float("inf"), float("-inf")):
                    raise ValueError
            except ValueError:
                what = "no score" if not score_text else f"score {score_text!r} is not a number"
                raise MapError(f"task {task[:40]!r} has {what}: use 1 (frustrated) … 5 (delighted)", path, n) from None
            score = int(value + 0.5) if value >= 0 else -int(-value + 0.5)
            if not 1 <= score <= 5:
                clamped = max(1, min(5, score))
                warnings.append(f"{where(n)}: warning: score {score_text} of task {task[:40]!r} is outside 1…5; using {clamped}")
                score = clamped
            elif score != value:
                warnings.append(f"{where(n)}: warning: score {score_text} of task {task[:40]!r} rounded to {score}")
            if stage is None:
                stage = Stage(m.new_stage_id("Journey"), "Journey")
                m.stages.append(stage)
                scores[stage.id] = []
            names = [a.strip() for a in actor_text.split(",") if a.strip()]
            for a in names:
                if a not in actors:
                    actors.append(a)
            card = Card(task, emotion=score - 3)
            stage.cards(TASK_LANE).append(card)
            card_actors.append((card, names))
            scores[stage.id].append(score)
    if not seen_journey:
        raise MapError("not a Mermaid journey diagram: no `journey` line found", path, lines[-1][0] if lines else 1)
    m.title = title or acc_title
    notes = []
    if title and acc_title and acc_title != title:
        notes.append(f"accTitle: {acc_title}")
    notes.extend(descr)
    m.notes = "\n".join(notes)
    if actors:
        m.persona.name = actors[0]
        if len(actors) > 1:
            m.persona.other["actors"] = list(actors)
    for card, names in card_actors:
        if names != actors[:1]:
            card.tags = [ACTOR_TAG + a for a in names] if names else [ACTOR_TAG]
    for s in m.stages:
        got = scores.get(s.id) or []
        if got:
            mean = sum(got) / len(got)
            s.emotion = int(mean + 0.5) - 3
    return m, warnings

