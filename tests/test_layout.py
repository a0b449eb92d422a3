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


# -- columns and lane heights ------------------------------------------------------------------
def test_every_stage_shows_when_each_gets_22_cells_or_more():
    from cjm_tui.ui.layout import column_geometry

    # 8 stages at 200 columns: 182 cells for stages, 22 each: all eight show
    assert column_geometry(200, 8) == (18, 22, 8)
    # 80 columns: two stage columns, as before
    assert column_geometry(80, 6)[2] == 2
    # too many stages to fit at 22: about 30 cells each, scrolling for the rest
    lane_w, stage_w, k = column_geometry(160, 12)
    assert k == 4 and stage_w == (160 - lane_w) // 4


def test_a_lane_question_takes_rows_only_when_a_cell_is_empty():
    m = JourneyMap.blank("J", ("Search", "Buy"))
    lane = m.lanes[0]
    lane.question = "What does the person do at this step, in their own words, and why?"
    for stage in m.stages:
        stage.cards(lane.id).append(Card("one"))
    full = build_body(m, 24, 15)
    assert full.lane_height[0] == 1  # one card a cell, no empty cell to show the question in
    m.stages[1].cards(lane.id).clear()
    empty = build_body(m, 24, 15)
    assert empty.lane_height[0] == len(empty.question_lines[lane.id]) > 1


def test_a_lane_name_never_touches_the_rule():
    m = JourneyMap.blank("J", ("Search",))
    m.lanes[0].name = "Positive moments"  # 16 cells: one more than fits beside a space each side of 18
    body = build_body(m, 30, 18)
    assert all(len(line) <= 18 - 3 for line in body.lane_name_lines[m.lanes[0].id])
