"""Grid geometry (ui/layout.py, no Textual): the room kept for the inline card editor."""

from __future__ import annotations

from cjm_tui.model import Card, JourneyMap
from cjm_tui.ui.layout import Gap, build_body


def two_card_map() -> tuple[JourneyMap, str, str]:
    m = JourneyMap.blank("J", ("Search", "Buy"))
    sid, lid = m.stages[0].id, m.lanes[0].id
    m.stages[0].cards(lid).extend([Card("first"), Card("second")])
    return m, sid, lid


def starts(body, sid, lid) -> list[int]:
    return [c.start for c in body.cell(sid, lid).cards]


def test_no_gap_no_rows():
    m, sid, lid = two_card_map()
    body = build_body(m, 30, 15)
    assert starts(body, sid, lid) == [0, 1] and body.gap_rows is None


def test_a_new_card_pushes_the_cards_after_it_and_the_lanes_below_down():
    m, sid, lid = two_card_map()
    plain = build_body(m, 30, 15)
    body = build_body(m, 30, 15, gap=Gap(sid, lid, 1, 3))
    assert starts(body, sid, lid) == [0, 4]
    assert body.gap_rows == (1, 4)
    assert body.lane_start[1] == plain.lane_start[1] + 3
    assert body.total == plain.total + 3


def test_a_new_card_at_the_end_and_in_an_empty_cell():
    m, sid, lid = two_card_map()
    assert build_body(m, 30, 15, gap=Gap(sid, lid, 2, 2)).gap_rows == (2, 4)
    other = m.stages[1].id
    body = build_body(m, 30, 15, gap=Gap(other, lid, 0, 2))
    assert body.gap_rows == (0, 2) and body.cell(other, lid).height == 2


def test_the_edited_card_is_replaced_by_its_room_keeping_card_indexes():
    m, sid, lid = two_card_map()
    body = build_body(m, 30, 15, gap=Gap(sid, lid, 0, 4, replace=True))
    cell = body.cell(sid, lid)
    assert starts(body, sid, lid) == [0, 4] and len(cell.cards) == 2
    assert body.gap_rows == (0, 4) and cell.card_at(4) == 1 and cell.card_at(3) == 0
