"""Lint rules for journey maps: the pitfalls the domain material warns about.

Pure model logic: a rule reads a :class:`JourneyMap` and yields findings, each
with a stable rule id, a severity and the *place* of the problem as a path
into the file (``("stages", 2, "pain_points", 0)``), which the store turns into
a line number. No I/O here, no tomlkit, no Textual.

Rules recognise lanes by id *or* name (``pain_points``, "Negative moments",
"Problems" ...), because teams name their rows in their own words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .journey import JourneyMap, Lane

Place = tuple[str | int, ...]

ERROR = "error"
WARNING = "warning"
INFO = "info"
#: severities, most severe first
SEVERITIES: tuple[str, ...] = (ERROR, WARNING, INFO)
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def at_least(severity: str, threshold: str) -> bool:
    """True when *severity* is as severe as *threshold* or more."""
    return _RANK[severity] <= _RANK[threshold]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    #: why it matters, with the domain material it comes from
    why: str
    check: Callable[[JourneyMap], Iterator[Finding]] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    #: where in the file: a path of keys and indexes; () for the map as a whole
    place: Place = ()


# -- recognising lanes by what they are for --------------------------------------

# Keywords, not regular expressions: compiling a dozen patterns costs milliseconds
# at every start of `cjm check`, which runs in pre-commit hooks.
_LANE_WORDS: dict[str, tuple[str, ...]] = {
    "pain": ("pain", "negative", "problem", "frustrat", "struggle", "obstacle", "friction", "gap"),
    "opportunity": ("opportunit", "idea", "improve", "solution", "how might"),
    "positive": ("positive", "delight", "highlight", "gain", "wow", "joy", "moments that matter", "moment that matters"),
    "goal": ("goal", "motivation", "need", "want", "job"),
    "owner": ("owner", "who owns", "responsib", "action plan", "next step", "assignee"),
    "evidence": ("evidence", "research", "source", "quote", "verbatim", "data"),
    # lanes written from the customer's side: their goals, doings, thoughts, feelings
    "customer": ("goal", "motivation", "need", "action", "step", "doing", "thought", "think", "mindset", "feel",
                 "emotion", "positive", "negative", "pain"),
    # lanes whose cards are labels that rightly recur (touchpoints, channels, people)
    "label": ("touchpoint", "interaction", "channel", "people", "place", "system", "tool", "device", "where", "who"),
}
_NOT_CUSTOMER = ("frontstage", "backstage", "support", "opportunit", "owner", "kpi", "metric")


def _lane_text(lane: Lane) -> str:
    return f"{lane.id} {lane.name}".lower().replace("_", " ").replace("-", " ")


def lane_is(lane: Lane, kind: str) -> bool:
    """Is *lane* a lane of *kind* ("pain", "opportunity", "positive", "goal", "owner", "evidence", ...)?"""
    text = _lane_text(lane)
    if kind == "pain" and any(w in text for w in _LANE_WORDS["opportunity"]):
        return False  # "gaps and opportunities" is an opportunity lane
    if kind == "customer" and any(w in text for w in _NOT_CUSTOMER):
        return False
    return any(w in text for w in _LANE_WORDS[kind])


def _lanes(m: JourneyMap, kind: str) -> list[Lane]:
    return [lane for lane in m.lanes if lane_is(lane, kind)]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .!")


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


#: quote pairs a card may already be wrapped in (a quotation in a thoughts lane)
_QUOTES = (('"', '"'), ("\u201c", "\u201d"), ("\u201e", "\u201c"), ("\u00ab", "\u00bb"))


def _quoted(text: str, width: int = 60) -> str:
    """*text* shortened and in double quotes, once: a card that is itself a quotation
    ("I hope this is easier") is not shown as ""I hope this is easier""."""
    text = " ".join(text.split())
    for left, right in _QUOTES:
        if len(text) >= 2 and text.startswith(left) and text.endswith(right):
            text = text[len(left) : -len(right)].strip()
            break
    return f'"{_short(text, width)}"'


# -- the rules ---------------------------------------------------------------------

RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, summary: str, why: str):
    def register(fn: Callable[[JourneyMap], Iterable[Finding]]):
        RULES[rule_id] = Rule(rule_id, severity, summary, why, fn)  # type: ignore[arg-type]
        return fn

    return register


def _f(rule_id: str, message: str, place: Place = ()) -> Finding:
    return Finding(rule_id, RULES[rule_id].severity, message, place)


#: the start of each line `cjm merge` writes into the notes for a conflict that has
#: no card to mark (model.merge.CONFLICT_NOTE_PREFIX; not imported, so `cjm check`
#: does not load the merge and difflib at every start)
CONFLICT_NOTE_PREFIX = "merge conflict:"


@rule("unresolved-conflict", ERROR, "a merge conflict not resolved yet: a marked card or a `merge conflict:` line in the notes",
      "`cjm merge` keeps both versions of a card changed on two branches and marks them; other conflicts "
      "(a title, goal, persona field, stage or lane changed both ways) keep ours and write theirs as a "
      "`merge conflict:` line in the notes. Pick one (or combine them) and remove the mark or the line "
      "before the map is shared.")
def _unresolved_conflict(m: JourneyMap) -> Iterator[Finding]:
    for i, stage in enumerate(m.stages):
        for lane in m.lanes:
            for j, card in enumerate(stage.peek(lane.id)):
                if card.conflict:
                    yield _f("unresolved-conflict",
                             f'stage "{stage.name}", {lane.name}: unresolved merge conflict ({card.conflict}): '
                             f'{_quoted(card.text)}',
                             ("stages", i, lane.id, j))
    if CONFLICT_NOTE_PREFIX in m.notes:
        for line in m.notes.split("\n"):
            line = line.strip()
            if line.startswith(CONFLICT_NOTE_PREFIX):
                yield _f("unresolved-conflict",
                         f'notes: unresolved {_quoted(line, 100)}: settle it, then delete the line',
                         ("notes",))


@rule("no-stages", ERROR, "the map has no stages",
      "A journey map is a sequence of stages, left to right in time; without one there is no journey.")
def _no_stages(m: JourneyMap) -> Iterator[Finding]:
    if not m.stages:
        yield _f("no-stages", "the map has no stages: add the steps of the journey, left to right in time")


@rule("no-persona", WARNING, "no persona",
      "One persona per map: whose journey is it? [001:L502]")
def _no_persona(m: JourneyMap) -> Iterator[Finding]:
    if not m.persona.name.strip():
        yield _f("no-persona", "no persona: name the one person whose journey this is ([persona] name)", ("persona",))


@rule("several-personas", WARNING, "the persona looks like several people",
      "One persona per map [001:L502]: a journey for two kinds of customer hides the differences between them.")
def _several_personas(m: JourneyMap) -> Iterator[Finding]:
    name = m.persona.name
    words = name.split()
    if any(w in ("and", "&", "or", "+", "/") for w in words[1:-1]) or ";" in name or "," in name.strip(" ,"):
        yield _f("several-personas",
                 f'persona {_quoted(name)} looks like several people: make one map per persona',
                 ("persona", "name"))


@rule("no-goal", WARNING, "no business goal",
      "State the business goal the map serves, so it leads to decisions [004:L2093].")
def _no_goal(m: JourneyMap) -> Iterator[Finding]:
    if not m.goal.strip():
        yield _f("no-goal", "no business goal: say what the map is for (goal = \"…\")", ("goal",))


@rule("no-scenario", WARNING, "no scenario",
      "A scenario sets the persona's goal and expectations for this journey [001:L504-506].")
def _no_scenario(m: JourneyMap) -> Iterator[Finding]:
    if not m.scenario.strip():
        yield _f("no-scenario", "no scenario: what is the persona trying to do, and what do they expect? (scenario = \"…\")",
                 ("scenario",))


@rule("no-timescale", INFO, "no timescale",
      "A journey covers a defined period, e.g. one week [001:L27].")
def _no_timescale(m: JourneyMap) -> Iterator[Finding]:
    if not m.timescale.strip():
        yield _f("no-timescale", "no timescale: how long does this journey take? (timescale = \"…\")", ("timescale",))


@rule("stage-no-emotion", WARNING, "a stage with no emotion score",
      "The emotional journey is the part most maps neglect [001:L199-201]: score each stage from -2 to +2.")
def _stage_no_emotion(m: JourneyMap) -> Iterator[Finding]:
    for i, stage in enumerate(m.stages):
        if stage.emotion is None:
            yield _f("stage-no-emotion", f'stage "{stage.name}" has no emotion score', ("stages", i))


@rule("empty-stage", WARNING, "a stage with no cards",
      "An empty column (like the template's Exit and Extend [000]) is a part of the journey nobody looked at.")
def _empty_stage(m: JourneyMap) -> Iterator[Finding]:
    for i, stage in enumerate(m.stages):
        if not any(stage.peek(lane.id) for lane in m.lanes):
            yield _f("empty-stage", f'stage "{stage.name}" is empty', ("stages", i))


@rule("pain-without-opportunity", WARNING, "pain points with no opportunity in the same stage",
      "Pain points without solutions are a common pitfall [004:L131]: each pain deserves an idea.")
def _pain_without_opportunity(m: JourneyMap) -> Iterator[Finding]:
    pains = _lanes(m, "pain")
    opps = _lanes(m, "opportunity")
    for i, stage in enumerate(m.stages):
        pain_lane = next((lane for lane in pains if stage.peek(lane.id)), None)
        if pain_lane is None:
            continue
        if any(stage.peek(lane.id) for lane in opps):
            continue
        n = sum(len(stage.peek(lane.id)) for lane in pains)
        what = "a pain point" if n == 1 else f"{n} pain points"
        yield _f("pain-without-opportunity",
                 f'stage "{stage.name}" has {what} but no opportunity',
                 ("stages", i, pain_lane.id, 0))


@rule("no-positive-moment", WARNING, "nothing positive anywhere",
      "Maps record positive moments too [000:L27, 001:L1305]: they show what to keep.")
def _no_positive_moment(m: JourneyMap) -> Iterator[Finding]:
    if not m.stages:
        return
    for stage in m.stages:
        if stage.emotion is not None and stage.emotion > 0:
            return
        for cards in stage.cells.values():
            if any(c.emotion is not None and c.emotion > 0 for c in cards):
                return
    for lane in _lanes(m, "positive"):
        if any(stage.peek(lane.id) for stage in m.stages):
            return
    yield _f("no-positive-moment",
             "no positive moment anywhere: no stage or card scores above 0 and no positive-moments lane has cards")


_COMPANY_VERBS = frozenset(("increase", "increasing", "grow", "growing", "boost", "drive", "maximise", "maximize",
                            "improve", "raise", "lift", "generate"))
_COMPANY_THINGS = frozenset(("sales", "revenue", "revenues", "profit", "profits", "conversion", "conversions",
                             "share", "margin", "margins", "aov", "arpu", "upsell", "upsells", "leads", "signups",
                             "sign-ups", "turnover"))
_COMPANY_PHRASES = ("sell more", "upsell", "cross-sell", "reduce churn", "lower churn", "our sales", "our revenue",
                    "our profit", "number of sales")


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() or ch == "-" else " " for ch in text.lower()).split()


def is_company_side(text: str) -> bool:
    """Does *text* read as the company's goal rather than the customer's?"""
    low = text.lower()
    if any(p in low for p in _COMPANY_PHRASES):
        return True
    words = _words(low)
    for k, w in enumerate(words):
        if w in _COMPANY_VERBS and any(x in _COMPANY_THINGS for x in words[k + 1 : k + 7]):
            return True
    return False


@rule("company-side-goal", WARNING, "a customer's goal, thought or moment written from the company's side",
      "Goals and moments in a map are the customer's (\"Help me…\"), not the business's "
      "(\"To increase the number of sales\") [000:L26, 004:L1141]; the business goal goes in `goal`.")
def _company_side_goal(m: JourneyMap) -> Iterator[Finding]:
    for j, goal in enumerate(m.persona.goals):
        if is_company_side(goal):
            yield _f("company-side-goal",
                     f'persona goal {_quoted(goal)} is the company\'s goal, not the persona\'s',
                     ("persona", "goals", j))
    lanes = _lanes(m, "customer")
    for i, stage in enumerate(m.stages):
        for lane in lanes:
            for j, card in enumerate(stage.peek(lane.id)):
                if is_company_side(card.text):
                    yield _f("company-side-goal",
                             f'stage "{stage.name}", {lane.name}: {_quoted(card.text)} is written from the company\'s '
                             "side: write what the customer wants or does",
                             ("stages", i, lane.id, j))


@rule("duplicate-card", WARNING, "the same card text more than once",
      "Text pasted into every cell (the template's \"To increase the number of sales\" [000]) says nothing.")
def _duplicate_card(m: JourneyMap) -> Iterator[Finding]:
    """Twice in one cell always; across cells only for sentences (three words or more)
    outside lanes of labels (touchpoints, channels, people), where "Waiter" may recur."""
    first: dict[str, tuple[str, str, str]] = {}
    count: dict[str, int] = {}
    places: dict[str, Place] = {}
    label_lanes = {lane.id for lane in m.lanes if lane_is(lane, "label")}
    for i, stage in enumerate(m.stages):
        for lane in m.lanes:
            for j, card in enumerate(stage.peek(lane.id)):
                key = _norm(card.text)
                if not key or card.conflict:
                    continue
                across = lane.id not in label_lanes and len(key.split()) >= 3
                scope = key if across else f"{i}\0{lane.id}\0{key}"
                if scope not in first:
                    first[scope] = (stage.name, lane.name, card.text)
                    count[scope] = 1
                else:
                    count[scope] += 1
                    places.setdefault(scope, ("stages", i, lane.id, j))
    for scope, place in places.items():
        stage_name, lane_name, text = first[scope]
        yield _f("duplicate-card",
                 f'{_quoted(text)} appears {count[scope]} times (first in stage "{stage_name}", {lane_name})',
                 place)


@rule("empty-card", WARNING, "a card with no text",
      "An empty card is a placeholder nobody filled in.")
def _empty_card(m: JourneyMap) -> Iterator[Finding]:
    for i, stage in enumerate(m.stages):
        for lane in m.lanes:
            for j, card in enumerate(stage.peek(lane.id)):
                if not card.text.strip():
                    yield _f("empty-card", f'stage "{stage.name}", {lane.name}: card {j + 1} has no text',
                             ("stages", i, lane.id, j))


_PURCHASE_WORDS = frozenset((
    "buy", "buying", "purchase", "purchasing", "checkout", "order", "ordering", "pay", "payment", "decision",
    "decide", "signup", "sign-up", "subscribe", "convert", "conversion", "close", "closing", "book", "booking",
    "justification",
))


def _is_purchase(name: str) -> bool:
    words = _words(name.replace("_", " "))
    return any(w in _PURCHASE_WORDS for w in words) or " ".join(words[-2:]) in ("sign up", "check out")


@rule("ends-at-purchase", WARNING, "the journey stops at the purchase",
      "The experience goes on after the sale: use, support, renewal, advocacy [001:L1293].")
def _ends_at_purchase(m: JourneyMap) -> Iterator[Finding]:
    if m.kind == "day-in-the-life" or not m.stages:
        return
    last = m.stages[-1]
    if _is_purchase(last.name) or _is_purchase(last.id):
        yield _f("ends-at-purchase",
                 f'the journey ends at "{last.name}": add what happens after (use, support, loyalty)',
                 ("stages", len(m.stages) - 1))


def _owned(text: str) -> bool:
    low = text.lower()
    return "owner:" in low or "owner =" in low or "owned by" in low or "(owner" in low or \
        any(w.startswith("@") and len(w) > 1 for w in low.split())


@rule("opportunity-no-owner", INFO, "opportunities with no owner",
      "\"Who owns what change?\" [001:L526]: opportunities need an action plan and owners [001:L1307, 004:L2115].")
def _opportunity_no_owner(m: JourneyMap) -> Iterator[Finding]:
    """One finding per map (at the first unowned opportunity), not one per stage."""
    opps = _lanes(m, "opportunity")
    owners = _lanes(m, "owner")
    unowned = 0
    stages = 0
    place: Place = ()
    for i, stage in enumerate(m.stages):
        if any(stage.peek(lane.id) for lane in owners):
            continue
        n_before = unowned
        for lane in opps:
            for j, c in enumerate(stage.peek(lane.id)):
                if _owned(c.text) or any(t.lower().startswith(("owner", "@")) for t in c.tags):
                    continue
                unowned += 1
                place = place or ("stages", i, lane.id, j)
        stages += unowned > n_before
    if unowned:
        what = "1 opportunity has" if unowned == 1 else f"{unowned} opportunities in {stages} stage{'s' if stages > 1 else ''} have"
        yield _f("opportunity-no-owner",
                 f"{what} no owner: add an owners lane, or tag each card owner:NAME",
                 place)


@rule("no-evidence", INFO, "nothing backed by research",
      "Maps built on hunches carry assumption bias [001:L159-229]: give cards a source, or add an evidence lane.")
def _no_evidence(m: JourneyMap) -> Iterator[Finding]:
    if not m.stages or m.card_count() == 0:
        return
    for stage in m.stages:
        for cards in stage.cells.values():
            if any(c.source for c in cards):
                return
    for lane in _lanes(m, "evidence"):
        if any(stage.peek(lane.id) for stage in m.stages):
            return
    yield _f("no-evidence",
             "no card cites research: add a source to cards (source = \"interview 3\") or an evidence lane")


# -- running them ------------------------------------------------------------------


def lint(
    m: JourneyMap,
    disable: Iterable[str] = (),
    severity: dict[str, str] | None = None,
) -> list[Finding]:
    """All findings for *m*, rules in *disable* skipped, severities overridden by *severity*."""
    off = set(disable)
    override = severity or {}
    out: list[Finding] = []
    for rule_id, r in RULES.items():
        if rule_id in off:
            continue
        for finding in r.check(m):
            level = override.get(rule_id)
            if level and level != finding.severity:
                finding = Finding(finding.rule, level, finding.message, finding.place)
            out.append(finding)
    return out


def unknown_rules(ids: Iterable[str]) -> list[str]:
    return [i for i in ids if i not in RULES]
