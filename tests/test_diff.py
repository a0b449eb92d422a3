"""`cjm diff`: the semantic diff, between files, git revisions, and as git's textconv / external driver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cjm_tui.cli import main
from cjm_tui.model import Card, JourneyMap, Lane, Persona
from cjm_tui.model.diff import diff, facts
from cjm_tui.store.codec import dumps

CJM = str(Path(sys.executable).parent / "cjm")


def base() -> JourneyMap:
    m = JourneyMap.blank("Joan buys a vacuum", ("Discover", "Try", "Buy", "Use"))
    m.persona = Persona(name="Joan", goals=["Buy quickly"])
    m.stage("use").emotion = 1
    m.stage("buy").cards("pain_points").append(Card("No phone number to ask"))
    m.stage("try").cards("actions").extend([Card("Reads reviews"), Card("Compares prices")])
    return m


def texts(old: JourneyMap, new: JourneyMap) -> list[str]:
    return [c.text for c in diff(old, new)]


def test_no_changes():
    assert diff(base(), base()) == []


def test_map_and_persona_fields():
    new = base()
    new.goal = "More first-time buyers"
    new.persona.role = "Hospital director"
    new.persona.goals.append("Feel sure")
    new.persona.other["age"] = "43"
    assert texts(base(), new) == [
        'goal: unset → "More first-time buyers"',
        'persona role: unset → "Hospital director"',
        'persona goal added: "Feel sure"',
        'persona age: unset → "43"',
    ]


def test_emotion_rename_move_add_remove_stage():
    new = base()
    new.stage("use").emotion = -1
    assert texts(base(), new) == ["Use: emotion +1 → -1"]
    new = base()
    new.stage("try").name = "Trial"
    assert texts(base(), new) == ["stage Try renamed to Trial"]
    new = base()
    s = new.stages.pop(1)
    new.stages.insert(2, s)
    assert texts(base(), new) == ["stage Try moved after Buy"]
    new = base()
    new.stages.pop(0)
    assert texts(base(), new) == ["stage Discover removed"]
    new = base()
    new.stages.append(new.stages[0].copy())
    new.stages[-1].id, new.stages[-1].name = "seek", "Seek support"
    new.stages[-1].cards("actions").append(Card("Calls the shop"))
    assert texts(base(), new) == ["stage Seek support added after Use", 'stage Seek support: action added: "Calls the shop"']


def test_cards_added_removed_changed_moved():
    new = base()
    new.stage("buy").cards("pain_points").append(Card("Delivery date unknown"))
    assert texts(base(), new) == ['stage Buy: pain point added: "Delivery date unknown"']
    new = base()
    new.stage("try").cells["actions"].pop(0)
    assert texts(base(), new) == ['stage Try: action removed: "Reads reviews"']
    new = base()
    new.stage("try").cells["actions"][1] = Card("Compares prices online", tags=["mobile"])
    assert texts(base(), new) == [
        'stage Try: action changed: "Compares prices" → "Compares prices online"; tags +mobile'
    ]
    new = base()
    card = new.stage("try").cells["actions"].pop(0)
    new.stage("buy").cards("actions").append(card)
    assert texts(base(), new) == ['stage Try: action moved to stage Buy: "Reads reviews"']


def test_lanes():
    new = base()
    new.lanes.append(Lane("owners", "Owners"))
    new.lane("thoughts").name = "Mindset"
    new.lane("touchpoints").hidden = True
    new.lanes = [lane for lane in new.lanes if lane.id != "opportunities"]
    got = texts(base(), new)
    assert got == [
        "lane Opportunities removed",
        "lane Thoughts renamed to Mindset",
        "lane Touchpoints hidden",
        "lane Owners added",
    ]


def test_change_records_carry_ids():
    new = base()
    new.stage("buy").cards("pain_points").append(Card("Delivery date unknown"))
    (c,) = diff(base(), new)
    assert (c.target, c.action, c.stage, c.lane, c.new) == ("card", "added", "buy", "pain_points", "Delivery date unknown")


def test_facts_one_per_line():
    f = facts(base())
    assert "persona goal: Buy quickly" in f
    assert "[Buy] Pain points: No phone number to ask" in f
    assert "[Use] emotion: +1" in f
    m = base()
    m.stage("buy").cards("pain_points")[0] = Card("two\nlines")
    assert "[Buy] Pain points: two\\nlines" in facts(m)


# -- the command ---------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.name", "Test")
    git(tmp_path, "config", "user.email", "test@example.com")
    git(tmp_path, "config", "commit.gpgsign", "false")
    return tmp_path


def commit(repo: Path, m: JourneyMap, message: str, name: str = "map.cjm.toml") -> None:
    (repo / name).write_text(dumps(m), encoding="utf-8")
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message)


def test_diff_files_exit_codes(tmp_path, capsys):
    a, b = tmp_path / "a.cjm.toml", tmp_path / "b.cjm.toml"
    a.write_text(dumps(base()), encoding="utf-8")
    b.write_text(dumps(base()), encoding="utf-8")
    assert main(["diff", str(a), str(b)]) == 0
    assert capsys.readouterr().out == f"no changes: {a} and {b} are identical\n"
    new = base()
    new.stage("use").emotion = -1
    b.write_text(dumps(new), encoding="utf-8")
    assert main(["diff", str(a), str(b)]) == 1
    assert capsys.readouterr().out == "~ Use: emotion +1 → -1\n"
    assert main(["diff", "--format", "json", str(a), str(b)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["changes"][0]["field"] == "emotion" and out["changes"][0]["new"] == -1
    bad = tmp_path / "bad.cjm.toml"
    bad.write_text("format = [\n", encoding="utf-8")
    assert main(["diff", str(a), str(bad)]) == 2
    assert str(bad) in capsys.readouterr().err


def test_diff_between_revisions(repo, capsys, monkeypatch):
    m = base()
    commit(repo, m, "one")
    m.stage("buy").cards("pain_points").append(Card("Delivery date unknown"))
    commit(repo, m, "two")
    m.stage("use").emotion = -2
    commit(repo, m, "three")
    m.title = "Joan"
    (repo / "map.cjm.toml").write_text(dumps(m), encoding="utf-8")
    path = str(repo / "map.cjm.toml")

    assert main(["diff", "HEAD~2", path]) == 1
    out = capsys.readouterr().out
    assert 'stage Buy: pain point added: "Delivery date unknown"' in out
    assert "Use: emotion +1 → -2" in out
    assert "title:" in out

    assert main(["diff", "HEAD~2", "HEAD~1", path]) == 1
    assert capsys.readouterr().out == '+ stage Buy: pain point added: "Delivery date unknown"\n'

    assert main(["diff", path]) == 1  # HEAD against the working file
    assert capsys.readouterr().out.startswith('~ title: "Joan buys a vacuum" → "Joan"')

    # from a subfolder, with a relative path
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    assert main(["diff", "HEAD~1", "HEAD", "../map.cjm.toml"]) == 1
    assert capsys.readouterr().out == "~ Use: emotion +1 → -2\n"

    assert main(["diff", "HEAD~9", path]) == 2
    assert "HEAD~9" in capsys.readouterr().err


def test_textconv_and_external_driver_through_git(repo):
    env = dict(os.environ)
    env["PATH"] = f"{Path(CJM).parent}{os.pathsep}{env.get('PATH', '')}"
    m = base()
    commit(repo, m, "one")
    (repo / ".gitattributes").write_text("*.cjm.toml diff=cjm\n", encoding="utf-8")
    git(repo, "config", "diff.cjm.textconv", f"{CJM} diff --textconv")
    m.stage("buy").cards("pain_points").append(Card("Delivery date unknown"))
    (repo / "map.cjm.toml").write_text(dumps(m), encoding="utf-8")
    out = subprocess.run(["git", "diff"], cwd=repo, capture_output=True, text=True, env=env, check=True).stdout
    assert "+[Buy] Pain points: Delivery date unknown" in out

    out = subprocess.run(["git", "-c", f"diff.cjm.command={CJM} diff", "diff"], cwd=repo, capture_output=True,
                         text=True, env=env, check=True).stdout
    assert 'stage Buy: pain point added: "Delivery date unknown"' in out


def test_external_driver_arguments(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_text(dumps(base()), encoding="utf-8")
    new = base()
    new.stage("use").emotion = 0
    b.write_text(dumps(new), encoding="utf-8")
    assert main(["diff", "map.cjm.toml", str(a), "0" * 40, "100644", str(b), "1" * 40, "100644"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["cjm diff a/map.cjm.toml b/map.cjm.toml", "~ Use: emotion +1 → 0"]
    # a new file: git passes /dev/null as the old one
    assert main(["diff", "map.cjm.toml", os.devnull, ".", ".", str(b), "1" * 40, "100644"]) == 0
    assert "stage Discover added" in capsys.readouterr().out


def test_textconv_of_an_invalid_map_shows_it_as_it_is(tmp_path, capsys):
    p = tmp_path / "bad.cjm.toml"
    p.write_text("not = [valid\n", encoding="utf-8")
    assert main(["diff", "--textconv", str(p)]) == 0
    cap = capsys.readouterr()
    assert cap.out == "not = [valid\n"
    assert "not valid TOML" in cap.err


def test_hostile_text_never_reaches_the_terminal_raw(tmp_path, capsys):
    a, b = tmp_path / "a.cjm.toml", tmp_path / "b.cjm.toml"
    a.write_text(dumps(base()), encoding="utf-8")
    new = base()
    new.stage("buy").cards("pain_points").append(Card("\x1b[2J[bold]boom[/bold]"))
    b.write_text(dumps(new), encoding="utf-8")
    assert main(["diff", "--color", "never", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "[bold]boom[/bold]" in out


def test_diff_imports_no_textual():
    code2 = ("import sys, cjm_tui.cli.cmd_diff, cjm_tui.cli.cmd_new, cjm_tui.model.diff, cjm_tui.model.templates;"
             "print([m for m in ('textual', 'rich') if m in sys.modules])")
    res = subprocess.run([sys.executable, "-c", code2], capture_output=True, text=True)
    assert res.stdout.strip() == "[]", res.stderr


def test_a_hand_written_card_key_change_is_named():
    from cjm_tui.model import Card, JourneyMap
    from cjm_tui.model.diff import diff

    old = JourneyMap.blank("t", ("Buy",))
    old.stage("buy").cards("actions").append(Card("Pays", extra={"owner": "Ana"}))
    new = old.copy()
    new.stage("buy").cards("actions")[0].extra["owner"] = "Bo"
    text = " ".join(c.text for c in diff(old, new))
    assert "owner" in text and "Ana" in text and "Bo" in text


def test_textconv_facts_show_hand_written_card_keys():
    from cjm_tui.model import Card, JourneyMap
    from cjm_tui.model.diff import facts

    m = JourneyMap.blank("t", ("Buy",))
    m.stage("buy").cards("actions").append(Card("Pays", extra={"owner": "Ana"}))
    assert any("Pays" in line and "owner Ana" in line for line in facts(m))


def test_no_changes_is_said_to_a_person_but_git_paths_stay_silent(repo, capsys, monkeypatch):
    """`cjm diff A B` on two identical maps printed nothing at all."""
    m = base()
    commit(repo, m, "one")
    path = repo / "map.cjm.toml"
    monkeypatch.chdir(repo)
    assert main(["diff", "map.cjm.toml"]) == 0
    assert capsys.readouterr().out == "no changes: HEAD:map.cjm.toml and map.cjm.toml are identical\n"
    # a comment is not part of the map: no change in journey terms, but not identical either
    path.write_text("# reviewed on Monday\n" + dumps(m), encoding="utf-8")
    expected = ("no changes in journey terms: the files differ only in comments, layout or keys "
                "that are not part of the map\n")
    for args in (["map.cjm.toml"], ["HEAD", "map.cjm.toml"]):
        assert main(["diff", *args]) == 0
        assert capsys.readouterr().out == expected
    git(repo, "commit", "-q", "-am", "a comment")
    assert main(["diff", "HEAD~1", "HEAD", "map.cjm.toml"]) == 0
    assert capsys.readouterr().out == expected
    assert main(["diff", "HEAD", "HEAD", "map.cjm.toml"]) == 0
    assert capsys.readouterr().out == "no changes: HEAD:map.cjm.toml and HEAD:map.cjm.toml are identical\n"
    # JSON stays a list of changes
    assert main(["diff", "--format", "json", "map.cjm.toml"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"] == []
    # git's external driver prints nothing more than before for a comment-only change
    path.write_text("# reviewed on Monday\n" + dumps(m), encoding="utf-8")
    old = repo / "old.toml"
    old.write_text(dumps(m), encoding="utf-8")
    assert main(["diff", "map.cjm.toml", str(old), "0" * 40, "100644", str(path), "1" * 40, "100644"]) == 0
    assert capsys.readouterr().out == ""
    # and textconv prints the facts only
    assert main(["diff", "--textconv", str(path)]) == 0
    assert "no changes" not in capsys.readouterr().out
