"""Generate journey maps of any size for the benchmarks.

    python bench/gen.py 2000 -o /tmp/map2000.cjm.toml
    python bench/gen.py 100 --stages 50 -o /tmp/stages50.cjm.toml

``make_map(n_cards, n_stages=None, seed=0)`` returns a JourneyMap with exactly
*n_cards* cards of realistic length (one short sentence to a few clauses,
about 40-140 characters, some with tags) spread round-robin over the stages and
the five default lanes, every stage with an emotion score. The default number
of stages grows with the map: 100 cards -> 4 stages, 1,000 -> 10, 2,000 -> 20,
10,000 and more -> 50. The output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

try:
    from cjm_tui.model import Card, JourneyMap, Persona, Stage
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from cjm_tui.model import Card, JourneyMap, Persona, Stage

STAGE_NAMES = (
    "Notice a need", "Research options", "Ask friends", "Compare prices", "Visit the shop",
    "Try it out", "Decide", "Sign up", "Pay", "Wait for delivery", "Unbox", "First use",
    "Get help", "Settle in", "Renew", "Recommend", "Complain", "Return", "Upgrade", "Leave",
)

SUBJECTS = (
    "The customer", "She", "He", "The family", "Our persona", "The shopper", "The member",
    "The new user", "The visitor", "The caller",
)
VERBS = (
    "searches online for", "asks a friend about", "reads reviews of", "compares", "phones support about",
    "opens the app to check", "walks into the store to see", "fills in the form for", "waits for",
    "watches a video about", "writes down questions about", "looks at the price of",
)
OBJECTS = (
    "the membership plans", "the delivery options", "the cordless models", "the opening hours",
    "the returns policy", "the monthly fee", "the loyalty discount", "the setup guide",
    "the booking page", "the invoice", "the cancellation terms", "the trial offer",
)
TAILS = (
    "", "", " before lunch", " on the bus home", " while the kids are asleep",
    ", but the page loads slowly on mobile", ", and gives up after ten minutes",
    " because the brochure was unclear", ", then saves the link for later",
    " with the receipt in hand", ", comparing it with last year's offer",
)
THOUGHTS = (
    "\"Is this really worth the money?\"", "\"I hope this is easier than last time.\"",
    "\"Why do they need my phone number?\"", "\"My neighbour said it breaks after a year.\"",
    "\"I don't have time for a long contract.\"", "\"Finally, something that just works.\"",
)
TAGS = ("quick-win", "research", "mobile", "staff", "pricing", "delivery", "trust")


def default_stages(n_cards: int) -> int:
    return max(4, min(50, round(n_cards / 100)))


def card_text(rng: random.Random, lane: str) -> str:
    if lane == "thoughts":
        text = rng.choice(THOUGHTS)
        if rng.random() < 0.5:
            text += " " + rng.choice(SUBJECTS).lower() + " wonders about " + rng.choice(OBJECTS) + "."
        return text
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
    if rng.random() < 0.3:
        text += f" {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
    return text


def make_map(n_cards: int, n_stages: int | None = None, seed: int = 0) -> JourneyMap:
    """A map of exactly *n_cards* cards over *n_stages* stages and the 5 default lanes."""
    rng = random.Random(seed)
    if n_stages is None:
        n_stages = default_stages(n_cards)
    if n_stages < 1:
        raise ValueError("need at least one stage")
    names = []
    for i in range(n_stages):
        base = STAGE_NAMES[i % len(STAGE_NAMES)]
        names.append(base if i < len(STAGE_NAMES) else f"{base} {i // len(STAGE_NAMES) + 1}")
    m = JourneyMap.blank(f"Generated journey ({n_cards} cards, {n_stages} stages)", tuple(names))
    m.scenario = "A generated map for measuring speed: a customer buying and using a product."
    m.goal = "Measure load, save and screen times as the map grows."
    m.timescale = "three months"
    m.persona = Persona(
        name="Joan Example",
        role="Parent of two, works part time",
        quote="I just want it to work.",
        goals=["Spend less time on chores", "Buy once, buy well"],
        frustrations=["Hidden fees", "Waiting on hold"],
    )
    for i, stage in enumerate(m.stages):
        stage.emotion = rng.choice((-2, -1, 0, 1, 2))
        if rng.random() < 0.3:
            stage.feeling = rng.choice(("anxious", "hopeful", "annoyed", "relieved", "curious"))
    lanes = [lane.id for lane in m.lanes]
    stages: list[Stage] = m.stages
    for k in range(n_cards):
        stage = stages[k % n_stages]
        lane = lanes[(k // n_stages) % len(lanes)]
        card = Card(card_text(rng, lane))
        if rng.random() < 0.1:
            card.tags = rng.sample(TAGS, rng.randint(1, 2))
        stage.cards(lane).append(card)
    return m


def write_map(m: JourneyMap, path: str | Path) -> str:
    """Write *m* in the canonical shape (as cjm writes a new file). Returns the text."""
    from cjm_tui.store import codec

    text = codec.dumps(m)
    Path(path).write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cards", type=int, help="number of cards")
    ap.add_argument("-o", "--output", required=True, help="output file (*.cjm.toml)")
    ap.add_argument("--stages", type=int, default=None, help="number of stages (default: grows with the map)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    m = make_map(args.cards, args.stages, args.seed)
    text = write_map(m, args.output)
    print(f"{args.output}: {m.card_count()} cards, {len(m.stages)} stages, {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
