"""`cjm new` and `cjm templates`: every template is a valid map that survives the codec."""

from __future__ import annotations

import pytest

from cjm_tui.cli import main
from cjm_tui.model.journey import KINDS
from cjm_tui.model.templates import DEFAULT_TEMPLATE, TEMPLATES, build
from cjm_tui.store.codec import dumps, parse
from cjm_tui.store.files import loads_fast


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_loads_and_round_trips(name):
    m = build(name, "A title")
    assert m.kind in KINDS
    assert m.stages and m.lanes
    assert all(lane.question for lane in m.lanes), "every lane has a guiding question"
    assert all(stage.question for stage in m.stages), "every stage has a guiding question"
    text = dumps(m)
    m2, doc = parse(text)
    assert m2 == m
    assert dumps(m2, doc) == text  # saving unchanged changes no byte
    assert loads_fast(text) == m  # the fast reader agrees


def test_the_kinds_and_stage_sets_are_there():
    assert {"current-state", "future-state", "service-blueprint", "day-in-the-life"} <= set(TEMPLATES)
    names = {t: [s for s, _q in TEMPLATES[t].stages] for t in TEMPLATES}
    assert names["entice-extend"] == ["Entice", "Enter", "Engage", "Exit", "Extend"]
    assert names["discover-support"] == ["Discover", "Try", "Buy", "Use", "Seek support"]
    assert names["awareness-advocacy"][0] == "Awareness" and names["awareness-advocacy"][-1] == "Advocacy"
    assert names["hospitality"] == ["Pre-arrival", "Check-in", "Stay", "Check-out", "Post-stay"]
    assert names["day-in-the-life"][:3] == ["Morning", "Midday", "Afternoon"]
    lanes = [name for _i, name, _q in TEMPLATES["service-blueprint"].lanes]
    assert lanes[:4] == ["Customer actions", "Frontstage", "Backstage", "Support processes"]
    assert "Pain points" in lanes and "Opportunities" in lanes
    assert TEMPLATES["service-blueprint"].kind == "blueprint"
    assert TEMPLATES["future-state"].kind == "future"
    assert DEFAULT_TEMPLATE in TEMPLATES


def test_new_writes_a_map_and_says_how_to_open_it(tmp_path, capsys):
    path = tmp_path / "joan-buys-a-vacuum.cjm.toml"
    assert main(["new", str(path), "--template", "service-blueprint"]) == 0
    out = capsys.readouterr().out
    assert str(path) in out and f"cjm {path}" in out
    m = loads_fast(path.read_text(encoding="utf-8"))
    assert m.title == "Joan buys a vacuum"
    assert m.kind == "blueprint"


def test_new_title_option_and_default_template(tmp_path, capsys):
    path = tmp_path / "x.cjm.toml"
    assert main(["new", str(path), "--title", "Eva at the pizzeria"]) == 0
    m = loads_fast(path.read_text(encoding="utf-8"))
    assert m.title == "Eva at the pizzeria"
    assert [s.name for s in m.stages] == [s for s, _q in TEMPLATES[DEFAULT_TEMPLATE].stages]


def test_new_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "a.cjm.toml"
    path.write_text("precious", encoding="utf-8")
    assert main(["new", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "precious"


def test_new_warns_about_the_suffix_but_writes(tmp_path, capsys):
    path = tmp_path / "plain.toml"
    assert main(["new", str(path)]) == 0
    assert ".cjm.toml" in capsys.readouterr().err
    assert path.exists()


def test_new_unknown_template(tmp_path, capsys):
    assert main(["new", str(tmp_path / "a.cjm.toml"), "--template", "nope"]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "current-state" in err
    assert not (tmp_path / "a.cjm.toml").exists()


def test_new_map_passes_check_with_only_fill_in_warnings(tmp_path, capsys):
    path = tmp_path / "a.cjm.toml"
    main(["new", str(path), "-t", "entice-extend"])
    capsys.readouterr()
    assert main(["check", str(path)]) == 0


def test_templates_lists_and_shows(capsys):
    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    for name in TEMPLATES:
        assert name in out
    assert main(["templates", "entice-extend"]) == 0
    out = capsys.readouterr().out
    assert "How does someone initially become aware of this process?" in out
    assert main(["templates", "nope"]) == 2
