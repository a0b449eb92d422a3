"""The shipped sample maps: realistic, complete, and in the canonical file shape.

Every sample is read with both readers (tomlkit for the editor, tomllib for the
printing commands), must give the same map, and must survive load -> save with
no byte changed. A fresh save of the map (no document to patch) must give the
same text too, apart from the comment block at the top: that is what keeps the
samples in the exact shape cjm writes.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

import pytest

from cjm_tui import resources
from cjm_tui.model import Card
from cjm_tui.model.journey import DEFAULT_LANES, EMOTION_MAX, EMOTION_MIN, KINDS
from cjm_tui.store import codec, files
from cjm_tui.store.schema import SUFFIX, map_to_data

SAMPLES = resources.samples()
DEFAULT_LANE_IDS = [lane_id for lane_id, _, _ in DEFAULT_LANES]
REQUIRED = (
    "joan-vacuum",
    "gym-membership",
    "pizzeria-eva",
    "city-tour",
)


def _ids(paths: list[Path]) -> list[str]:
    return [p.name.removesuffix(SUFFIX) for p in paths]


def _read(path: Path):
    text = path.read_text(encoding="utf-8")
    m, doc = codec.parse(text, str(path))
    return text, m, doc


def _strip_header(text: str) -> str:
    """The text after the leading comment block (and blank lines)."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and (lines[i].startswith("#") or not lines[i].strip()):
        i += 1
    return "\n".join(lines[i:])


def _diff(a: str, b: str) -> str:
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "file", "saved"))


# -- the set of samples -----------------------------------------------------------


def test_resources_finds_at_least_five_samples():
    assert len(SAMPLES) >= 5, SAMPLES
    assert all(p.name.endswith(SUFFIX) for p in SAMPLES)


def test_the_required_samples_are_there():
    names = set(_ids(SAMPLES))
    for name in REQUIRED:
        assert name in names
    # the fifth: a future-state map or a service blueprint (or both)
    assert names & {"saas-onboarding", "hotel-blueprint"}


def test_some_sample_has_a_custom_lane():
    custom = [p.name for p in SAMPLES if set(_read(p)[1].lane_ids()) - set(DEFAULT_LANE_IDS)]
    assert custom


def test_samples_cover_more_than_one_kind():
    kinds = {_read(p)[1].kind for p in SAMPLES}
    assert "current" in kinds
    assert kinds - {"current"}, kinds


# -- each sample ------------------------------------------------------------------

each = pytest.mark.parametrize("path", SAMPLES, ids=_ids(SAMPLES))


@each
def test_both_readers_give_the_same_map(path: Path):
    text, m, _ = _read(path)
    assert files.loads_fast(text, str(path)) == m
    assert files.load_fast(path) == m


@each
def test_saving_unedited_changes_no_byte(path: Path):
    text, m, doc = _read(path)
    saved = codec.dumps(m, doc)
    assert saved == text, _diff(text, saved)


@each
def test_sample_is_in_canonical_shape(path: Path):
    text, m, _ = _read(path)
    fresh = codec.dumps(m)
    body = _strip_header(text)
    assert fresh == body, _diff(body, fresh)


@each
def test_tomllib_reads_the_same_data(path: Path):
    text, m, _ = _read(path)
    assert tomllib.loads(text) == map_to_data(m)


@each
def test_starts_with_a_comment_saying_what_it_is(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 20


@each
def test_has_a_full_lens(path: Path):
    _, m, _ = _read(path)
    assert m.kind in KINDS
    for key in ("title", "scenario", "goal", "timescale"):
        assert getattr(m, key).strip(), f"{path.name}: no {key}"


@each
def test_has_a_persona(path: Path):
    _, m, _ = _read(path)
    p = m.persona
    assert p.name and p.role and p.quote
    assert p.goals and p.frustrations
    assert p.other, "persona has no other fields (age, channels, ...)"


@each
def test_four_to_eight_stages_each_with_an_emotion(path: Path):
    _, m, _ = _read(path)
    assert 4 <= len(m.stages) <= 8
    emotions = [s.emotion for s in m.stages]
    assert None not in emotions, [s.id for s in m.stages if s.emotion is None]
    assert all(EMOTION_MIN <= e <= EMOTION_MAX for e in emotions)
    # a curve worth drawing: a low point and a high point
    assert min(emotions) < 0 < max(emotions), emotions
    assert any(s.feeling for s in m.stages)


@each
def test_default_lanes_are_declared_and_filled(path: Path):
    _, m, _ = _read(path)
    ids = m.lane_ids()
    for lane_id in DEFAULT_LANE_IDS:
        assert lane_id in ids, f"{path.name}: lane {lane_id} missing"
        filled = sum(1 for s in m.stages if s.peek(lane_id))
        # cards in most stages
        assert filled * 2 > len(m.stages), f"{path.name}: lane {lane_id} has cards in {filled} stages"
    for lane in m.lanes:
        assert any(s.peek(lane.id) for s in m.stages), f"{path.name}: lane {lane.id} is empty"


@each
def test_some_cards_carry_tags_or_a_source(path: Path):
    _, m, _ = _read(path)
    cards = [c for s in m.stages for cs in s.cells.values() for c in cs]
    assert any(c.tags for c in cards)
    assert any(c.source for c in cards)


# -- one edit, one line, on the real files -------------------------------------------


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@each
def test_editing_a_rich_card_changes_one_line(path: Path):
    text, m, doc = _read(path)
    stage, lane_id, i = next(
        (s, lane_id, i) for s in m.stages for lane_id, cs in s.cells.items() for i, c in enumerate(cs) if not c.is_plain()
    )
    card = stage.cells[lane_id][i]
    card.text = card.text + " (checked)"
    saved = codec.dumps(m, doc)
    changed = _changed_lines(text, saved)
    assert len(changed) == 2, changed  # one line out, one line in
    assert "(checked)" in changed[1]
    assert files.loads_fast(saved) == m


@each
def test_changing_an_emotion_and_renaming_a_stage_change_one_line_each(path: Path):
    text, m, doc = _read(path)
    stage = m.stages[len(m.stages) // 2]
    stage.emotion = 0 if stage.emotion != 0 else 1
    stage.name = stage.name + " (renamed)"
    saved = codec.dumps(m, doc)
    changed = _changed_lines(text, saved)
    assert len(changed) == 4, changed
    assert files.loads_fast(saved) == m
    assert f'id = "{stage.id}"' in saved  # renaming never changes an id


@each
def test_comments_survive_an_edit(path: Path):
    text, m, doc = _read(path)
    header = text[: len(text) - len(_strip_header(text))]
    m.stages[0].cards("actions").append(Card("Added in a test"))
    saved = codec.dumps(m, doc)
    assert saved.startswith(header)
    assert len(_changed_lines(text, saved)) == 1



# -- the complete example in docs/format.md ----------------------------------------


def _doc_example() -> str:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    section = doc.split("## A complete example", 1)[1]
    return section.split("```toml\n", 1)[1].split("```", 1)[0]


def test_the_format_docs_example_is_canonical_and_complete():
    text = _doc_example()
    m, doc = codec.parse(text)
    assert codec.dumps(m, doc) == text
    assert codec.dumps(m) == _strip_header(text)
    assert files.loads_fast(text) == m
    assert tomllib.loads(text) == map_to_data(m)
    # every key the format knows appears
    cards = [c for s in m.stages for cs in s.cells.values() for c in cs]
    assert all(getattr(m, k) for k in ("title", "kind", "scenario", "goal", "timescale", "notes"))
    assert m.persona.name and m.persona.role and m.persona.quote and m.persona.goals and m.persona.frustrations
    assert m.persona.other
    assert any(lane.question for lane in m.lanes) and any(lane.hidden for lane in m.lanes)
    assert any(s.emotion is not None and s.feeling and s.question for s in m.stages)
    for attr in ("tags", "emotion", "source", "conflict"):
        assert any(getattr(c, attr) not in (None, []) for c in cards), attr
