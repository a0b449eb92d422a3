"""The fast canonical writer writes exactly what codec (tomlkit) writes for a new file."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from cjm_tui.store import codec
from cjm_tui.store.canonical import canonical_text, is_canonical
from cjm_tui.store.files import loads_fast
from cjm_tui.resources import samples

from test_roundtrip_props import maps


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_canonical_text_equals_codec_dumps(m):
    text = canonical_text(m)
    assert text == codec.dumps(m)
    assert loads_fast(text) == m


def test_samples_dump_the_same_both_ways():
    for path in samples():
        m = loads_fast(path.read_text(encoding="utf-8"))
        assert canonical_text(m) == codec.dumps(m), path.name


def test_is_canonical_tells_hand_layout_apart(sample_map):
    text = codec.dumps(sample_map)
    assert is_canonical(text, sample_map)
    assert not is_canonical("# a comment by hand\n" + text, sample_map)
    assert not is_canonical(text.replace("    ", "  "), sample_map)
