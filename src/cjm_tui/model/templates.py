"""Templates for `cjm new`: kinds of map and the common stage sets, as data.

Every template is built with the model, so it is a valid map by construction.
Stages and lanes carry guiding questions (``question``), shown as hints in
empty cells, the way the journey-map template in the domain material puts a
question in every header cell [000:L23-29]. The lens (persona, scenario, goal,
timescale) is left empty on purpose: `cjm check` says what is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .journey import DEFAULT_LANES, JourneyMap, Lane, Stage

LaneSpec = tuple[str, str, str]  # id, name, question
StageSpec = tuple[str, str]  # name, question


@dataclass(frozen=True)
class Template:
    name: str
    summary: str
    kind: str
    lanes: tuple[LaneSpec, ...]
    stages: tuple[StageSpec, ...]
    #: where the stage set comes from in the domain material
    source: str = ""

    def build(self, title: str | None = None) -> JourneyMap:
        m = JourneyMap(title=title or self.summary, kind=self.kind)
        m.lanes = [Lane(i, n, q) for i, n, q in self.lanes]
        for name, question in self.stages:
            m.stages.append(Stage(m.new_stage_id(name), name, question=question))
        return m


OWNERS: LaneSpec = ("owners", "Owners", "Who owns each change, and by when?")
EVIDENCE: LaneSpec = ("evidence", "Evidence", "What research backs this up: interviews, data, quotes?")
FEELINGS: LaneSpec = ("feelings", "Feelings", "How do they feel here: frustrated ... delighted?")
POSITIVE: LaneSpec = (
    "positive_moments", "Positive moments",
    "What do they find enjoyable, productive, fun, motivating, delightful or exciting?",
)

AWARENESS_ADVOCACY: tuple[StageSpec, ...] = (
    ("Awareness", "How do they realise they have a need, and first hear of us?"),
    ("Consideration", "How do they research and compare the options?"),
    ("Purchase", "What happens when they choose and buy?"),
    ("Retention", "What keeps them with us after buying?"),
    ("Advocacy", "What makes them recommend us to others?"),
)

_TEMPLATES: tuple[Template, ...] = (
    Template(
        "current-state",
        "Current state journey",
        "current",
        DEFAULT_LANES + (EVIDENCE,),
        AWARENESS_ADVOCACY,
        "an audit of today's experience, backed by research [004:L291, 001:L91-99]",
    ),
    Template(
        "future-state",
        "Future state journey",
        "future",
        (
            ("actions", "Actions", "What will the person do?"),
            ("thoughts", "Thoughts", "What should they be thinking? Write it in their words."),
            ("touchpoints", "Touchpoints", "Where will they meet us: channel, place, person?"),
            ("pain_points", "Pain points", "Which of today's frustrations does this remove? Which remain?"),
            ("opportunities", "Opportunities", "What do we change to get here, and how will we know it worked?"),
            OWNERS,
        ),
        AWARENESS_ADVOCACY,
        "the ideal experience, kept beside the current one [004:L303]",
    ),
    Template(
        "service-blueprint",
        "Service blueprint",
        "blueprint",
        (
            ("customer_actions", "Customer actions", "What does the customer do at this step?"),
            ("frontstage", "Frontstage", "What do our people and systems do in front of the customer?"),
            ("backstage", "Backstage", "What happens behind the scenes, out of the customer's sight?"),
            ("support_processes", "Support processes",
             "Which systems, teams and partners make the backstage work?"),
            ("pain_points", "Pain points", "Where does it break, wait or frustrate?"),
            ("opportunities", "Opportunities", "How could this step be made better, and who would do it?"),
        ),
        (
            ("Open a request", "How does the customer reach us with their problem?"),
            ("First response", "Who or what answers first, and how fast?"),
            ("Investigation", "What do we need to find out, and from whom?"),
            ("Resolution", "How is the problem solved, and how does the customer know?"),
            ("Follow-up", "What happens after the problem is solved?"),
        ),
        "frontstage, backstage and support processes [001:L2015-2019, 004:L739-745]",
    ),
    Template(
        "day-in-the-life",
        "A day in the life",
        "day-in-the-life",
        (
            ("actions", "Actions", "What is the person doing at this time of day?"),
            ("thoughts", "Thoughts", "What is on their mind? Use their own words."),
            FEELINGS,
            ("touchpoints", "Touchpoints",
             "Where and how could they meet our brand? How could we provide value here?"),
            ("pain_points", "Pain points", "What gets in their way?"),
            ("opportunities", "Opportunities", "How could we help at this moment?"),
        ),
        (
            ("Morning", "How does their day start?"),
            ("Midday", "What fills the middle of their day?"),
            ("Afternoon", "What happens in the afternoon?"),
            ("Evening", "How do they wind down?"),
            ("Night", "What happens late, or keeps them awake?"),
        ),
        "columns are time; not every step touches the company [004:L315, 004:L707-727]",
    ),
    Template(
        "awareness-advocacy",
        "Customer lifecycle journey",
        "current",
        DEFAULT_LANES,
        AWARENESS_ADVOCACY,
        "stages Awareness, Consideration, Purchase, Retention, Advocacy [001:L91-99]",
    ),
    Template(
        "entice-extend",
        "Customer experience journey",
        "current",
        (
            ("steps", "Steps", "What does the person (or group) typically experience?"),
            ("interactions", "Interactions",
             "What interactions do they have at each step: people, places, things?"),
            ("goals", "Goals & motivations",
             "At each step, what is their primary goal or motivation? (\"Help me...\" or \"Help me avoid...\")"),
            POSITIVE,
            ("negative_moments", "Negative moments",
             "What do they find frustrating, confusing, costly or time-consuming?"),
            ("opportunities", "Areas of opportunity",
             "How might we make each step better? What ideas do we have? What have others suggested?"),
        ),
        (
            ("Entice", "How does someone initially become aware of this process?"),
            ("Enter", "What do people experience as they begin the process?"),
            ("Engage", "In the core moments in the process, what happens?"),
            ("Exit", "What do people typically experience as the process finishes?"),
            ("Extend", "What happens after the experience is over?"),
        ),
        "the customer experience journey map template [000:L23-29]",
    ),
    Template(
        "discover-support",
        "E-commerce journey",
        "current",
        DEFAULT_LANES,
        (
            ("Discover", "How do they find out the product exists?"),
            ("Try", "How do they try it, compare it, or see it in use?"),
            ("Buy", "How do they choose, pay and get it?"),
            ("Use", "What is it like to use, day to day?"),
            ("Seek support", "When something goes wrong, how do they get help?"),
        ),
        "NN/g e-commerce stages: discover, try, buy, use, seek support [001:L514]",
    ),
    Template(
        "decision-loyalty",
        "Customer experience journey",
        "current",
        DEFAULT_LANES,
        (
            ("Awareness", "How do they first hear of the solution?"),
            ("Consideration", "How do they check it solves their problem?"),
            ("Decision", "What tips them to choose, and what holds them back?"),
            ("Post-purchase", "What happens right after they commit?"),
            ("Loyalty", "What makes them stay and come back?"),
        ),
        "Awareness, Consideration, Decision, Post-purchase, Loyalty [001:L2546]",
    ),
    Template(
        "hospitality",
        "Guest journey",
        "current",
        DEFAULT_LANES,
        (
            ("Pre-arrival", "How do they plan, book and prepare for the stay?"),
            ("Check-in", "What happens when they arrive?"),
            ("Stay", "What is the stay itself like?"),
            ("Check-out", "How do they leave and settle up?"),
            ("Post-stay", "What happens after they go home?"),
        ),
        "hospitality: pre-arrival, check-in, stay, check-out, post-stay [001:L995]",
    ),
    Template(
        "b2b-rollout",
        "Business tool rollout journey",
        "current",
        DEFAULT_LANES,
        (
            ("Purchase", "Who decides to buy, and how?"),
            ("Adoption", "How do people start using it?"),
            ("Retention", "What keeps it in use after the first weeks?"),
            ("Expansion", "How does use spread to more people or teams?"),
            ("Advocacy", "What makes them recommend it?"),
        ),
        "business-to-business: purchase, adoption, retention, expansion, advocacy [001:L514-516]",
    ),
    Template(
        "week-in-the-life",
        "A week in the life",
        "day-in-the-life",
        (
            ("actions", "Actions", "What is the person doing that day?"),
            ("thoughts", "Thoughts", "What is on their mind? Use their own words."),
            ("touchpoints", "Touchpoints", "Where could they meet our brand that day?"),
            ("pain_points", "Pain points", "What gets in their way?"),
            ("opportunities", "Opportunities", "How could we help that day?"),
        ),
        tuple((day, f"What happens on {day}?") for day in
              ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Weekend")),
        "time-based columns: days of a week [004:L707-727]",
    ),
)

TEMPLATES: dict[str, Template] = {t.name: t for t in _TEMPLATES}
DEFAULT_TEMPLATE = "current-state"


def template(name: str) -> Template:
    """The template called *name*; KeyError if there is none."""
    return TEMPLATES[name]


def build(name: str = DEFAULT_TEMPLATE, title: str | None = None) -> JourneyMap:
    """A new map from the template called *name*."""
    return TEMPLATES[name].build(title)
