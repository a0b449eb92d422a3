"""Smoke test for bench/: the generator makes valid maps and the bench scripts import.

Not a timed test: nothing here measures speed.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up here
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("n, stages", [(0, None), (7, None), (100, None), (2000, None), (250, 50)])
def test_make_map_has_n_cards(n, stages):
    gen = _load("gen")
    m = gen.make_map(n, stages)
    assert m.card_count() == n
    assert len(m.stages) == (stages or gen.default_stages(n))
    assert [lane.id for lane in m.lanes] == ["actions", "thoughts", "touchpoints", "pain_points", "opportunities"]
    assert all(s.emotion is not None for s in m.stages)


def test_default_stage_counts():
    gen = _load("gen")
    assert gen.default_stages(2000) == 20
    assert gen.default_stages(10000) == 50
    assert gen.default_stages(100) >= 4


def test_generated_file_is_a_valid_map(tmp_path):
    gen = _load("gen")
    from cjm_tui.store import codec
    from cjm_tui.store.files import load_fast

    path = tmp_path / "m.cjm.toml"
    assert gen.main(["300", "-o", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    m, _doc = codec.parse(text, str(path))
    assert m.card_count() == 300
    assert load_fast(path).card_count() == 300
    tomllib.loads(text)
    # deterministic for a seed; texts are of realistic length
    assert codec.dumps(gen.make_map(300)) == text
    lengths = [len(c.text) for s in m.stages for cards in s.cells.values() for c in cards]
    assert 30 <= sum(lengths) / len(lengths) <= 160


@pytest.mark.parametrize("name", ["bench_store", "pty_harness", "bench_editor"])
def test_bench_scripts_import(name):
    mod = _load(name)
    assert callable(mod.main)


def test_key_names():
    h = _load("pty_harness")
    assert h.key_bytes("down") == b"\x1b[B"
    assert h.key_bytes("ctrl+q") == b"\x11"
    assert h.key_bytes("l") == b"l"
    assert h.expand_keys("j*2,k", 5) == ["j", "j", "k", "j", "j"]
    assert h.visible_text(b"\x1b[1;1H\x1b[38;5;1mhi\x1b[0m") == "hi"
