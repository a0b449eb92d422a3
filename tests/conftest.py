"""Shared test helpers: one small, realistic map built in code."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjm_tui.model import Card, JourneyMap, Persona

GOLDEN = Path(__file__).parent / "golden"


def small_map() -> JourneyMap:
    """Joan buys a vacuum: 3 stages, the default lanes, a persona, a tagged card."""
    m = JourneyMap.blank("Joan buys a vacuum", ("Search", "Compare", "Buy"))
    m.goal = "More first-time buyers complete checkout"
    m.persona = Persona(
        name="Joan",
        role="Hospital director",
        quote="I have no time for this.",
        goals=["Buy quickly: she is time-poor"],
        frustrations=["Pushy sales people"],
        other={"age": "43"},
    )
    search, compare, buy = m.stages
    search.emotion = 1
    search.cards("actions").extend([Card("Searches online"), Card("Clicks a search ad"), Card("Reads reviews")])
    search.cards("pain_points").append(Card("Can't ask a person before buying"))
    compare.cards("thoughts").append(Card("Which one is quieter?", tags=["doubt"]))
    buy.emotion = -1
    buy.cards("actions").append(Card("Pays at checkout"))
    return m


@pytest.fixture
def sample_map() -> JourneyMap:
    return small_map()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Tests never read or write the real user's settings, themes or recovery files."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)
