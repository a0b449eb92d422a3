"""Arbitrary text survives the file: dumps -> tomllib and dumps -> codec.parse give the same map.

Text includes quotes, backslashes, newlines, tabs, emoji, right-to-left text and every
control character; only lone surrogates are left out (they cannot be UTF-8).
"""

from __future__ import annotations

import copy
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjm_tui.model import Card, History, JourneyMap, Lane, Persona, Stage
from cjm_tui.model.journey import PERSONA_LIST_FIELDS, PERSONA_TEXT_FIELDS
from cjm_tui.store import codec
from cjm_tui.store.schema import map_to_data

from conftest import small_map
from test_model_ops import random_op, snapshot

SPECIAL = (
    [chr(c) for c in range(0x20)]
    + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", '"', "'", "\\", '"""', "'''", "\\n", "\\u0041", "#", "=", "[", "]", ","]
    + ["🎉", "👩‍👩‍👧", "שלום", "مرحبا", "\u202e", "é", "ß", "日本"]
)
CHARS = st.one_of(st.sampled_from(SPECIAL), st.characters(blacklist_categories=("Cs",)))
TEXT = st.lists(CHARS, max_size=10).map("".join)
NONEMPTY = TEXT.filter(lambda s: s != "")
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cards(draw):
    return Card(
        draw(TEXT),
        draw(st.lists(TEXT, max_size=3)),
        draw(st.one_of(st.none(), st.integers(-2, 2))),
        draw(st.one_of(st.none(), NONEMPTY)),
    )


@st.composite
def maps(draw):
    m = JourneyMap(
        title=draw(TEXT),
        kind=draw(st.sampled_from(["current", "future", "day-in-the-life", "blueprint"])),
        scenario=draw(TEXT),
        goal=draw(TEXT),
        timescale=draw(TEXT),
        notes=draw(TEXT),
    )
    reserved = set(PERSONA_TEXT_FIELDS) | set(PERSONA_LIST_FIELDS)
    # field names: anything but the fixed fields (and Unicode line breaks, which tomlkit keeps raw in keys)
    key = NONEMPTY.filter(lambda k: k not in reserved and not set(k) & {"\x85", "\u2028", "\u2029"})
    other_keys = draw(st.lists(key, max_size=3, unique=True))
    m.persona = Persona(
        draw(TEXT),
        draw(TEXT),
        draw(TEXT),
        draw(st.lists(TEXT, max_size=3)),
        draw(st.lists(TEXT, max_size=3)),
        {k: draw(st.one_of(NONEMPTY, st.lists(TEXT, min_size=1, max_size=2))) for k in other_keys},
    )
    for i in range(draw(st.integers(0, 3))):
        m.lanes.append(Lane(f"lane{i}", draw(NONEMPTY), draw(st.one_of(st.none(), NONEMPTY)), draw(st.booleans())))
    for i in range(draw(st.integers(0, 3))):
        s = Stage(
            f"stage-{i}",
            draw(NONEMPTY),
            draw(st.one_of(st.none(), st.integers(-2, 2))),
            draw(st.one_of(st.none(), NONEMPTY)),
            draw(st.one_of(st.none(), NONEMPTY)),
        )
        for lane in m.lanes:
            found = draw(st.lists(cards(), max_size=3))
            if found:
                s.cells[lane.id] = found
        m.stages.append(s)
    return m


def assert_cards_one_line_each(text: str, m: JourneyMap) -> None:
    """Every card is one physical line: the array has one line per card, each a whole TOML value."""
    lines = text.split("\n")
    assert "\r" not in text
    for ch in ("\x85", "\u2028", "\u2029"):  # line breaks to editors and str.splitlines
        assert ch not in text, f"raw {ch!r} in the file"
    for s in m.stages:
        start = lines.index(f'id = "{s.id}"')
        for lane in m.lanes:
            found = s.peek(lane.id)
            if not found:
                continue
            head = next(i for i in range(start, len(lines)) if lines[i] == f"{lane.id} = [")
            body = lines[head + 1 : head + 1 + len(found)]
            assert lines[head + 1 + len(found)] == "]"
            for line, card in zip(body, found):
                assert line.startswith("    ") and line.endswith(",")
                value = tomllib.loads("v = [\n" + line + "\n]")["v"][0]
                assert value == (card.text if card.is_plain() else {k: v for k, v in value.items()})
                assert (value if isinstance(value, str) else value["text"]) == card.text


@SETTINGS
@given(maps())
def test_new_file_round_trip(m):
    text = codec.dumps(m)
    assert tomllib.loads(text) == map_to_data(m)
    back, doc = codec.parse(text)
    assert back == m
    assert codec.dumps(back, doc) == text  # saving unedited changes no byte
    assert_cards_one_line_each(text, m)


@SETTINGS
@given(maps(), maps())
def test_patched_file_round_trip(a, b):
    """Saving map b over a file that held map a: the file then holds b exactly."""
    _, doc = codec.parse(codec.dumps(a))
    text = codec.dumps(b, doc)
    assert tomllib.loads(text) == map_to_data(b)
    assert codec.parse(text)[0] == b


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_session_saved_after_every_edit_then_undone_gives_the_same_bytes(data):
    """Like the editor: save after each edit, then undo everything: the file is byte-identical."""
    original = codec.dumps(small_map())
    m, doc = codec.parse(original)
    h = History(m)
    for _ in range(data.draw(st.integers(1, 15))):
        h.do(random_op(data.draw, h.map))
        text = codec.dumps(h.map, doc)
        assert tomllib.loads(text) == map_to_data(h.map)
        assert codec.parse(text)[0] == h.map
    while h.can_undo():
        h.undo()
        codec.dumps(h.map, doc)
    assert codec.dumps(h.map, doc) == original
