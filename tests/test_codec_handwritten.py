"""What a person writes by hand in a map survives cjm's saves."""

from __future__ import annotations

import difflib
import tomllib

from cjm_tui.model import ops
from cjm_tui.store import codec

HAND = '''format = 1
title = "x"

[persona]
name = "J"
links = {site = "x"}

[[lanes]]
id = "actions"
name = "Actions"
hidden = false

[[lanes]]
id = "thoughts"
name = "Thoughts"

[[stages]]
id = "a"
name = "A"
feeling = ""
thoughts = []
actions = [
    {text = "card", owner = "me", due = 2026-12-01},
    "second",
]
'''


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_unedited_hand_written_file_keeps_every_byte():
    m, doc = codec.parse(HAND)
    assert codec.dumps(m, doc) == HAND


def test_an_edit_elsewhere_leaves_hand_written_empty_values_and_card_keys_alone():
    m, doc = codec.parse(HAND)
    ops.ReplaceCard("a", "actions", 1, m.stage("a").peek("actions")[1].__class__("second, edited")).apply(m)
    after = codec.dumps(m, doc)
    assert changed_lines(HAND, after) == ['-    "second",', '+    "second, edited",']
    data = tomllib.loads(after)
    assert data["stages"][0]["actions"][0] == {"text": "card", "owner": "me", "due": tomllib.loads("d = 2026-12-01")["d"]}


def test_editing_a_card_keeps_its_unknown_keys():
    m, doc = codec.parse(HAND)
    card = m.stage("a").peek("actions")[0].copy()
    card.text = "card, edited"
    card.tags = ["new"]
    ops.ReplaceCard("a", "actions", 0, card).apply(m)
    after = codec.dumps(m, doc)
    first = tomllib.loads(after)["stages"][0]["actions"][0]
    assert first["text"] == "card, edited" and first["tags"] == ["new"] and first["owner"] == "me"
    assert len(changed_lines(HAND, after)) == 2  # one line out, one line in
