"""`cjm check` and the lint rules: each rule fires on a crafted map and not on a clean one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cjm_tui.cli import main
from cjm_tui.model import Card, JourneyMap, Lane, Persona, Stage
from cjm_tui.model.lint import RULES, lint
from cjm_tui.store.codec import dumps

REPO = Path(__file__).resolve().parent.parent


def clean_map() -> JourneyMap:
    """A map no rule complains about."""
    m = JourneyMap.blank("Joan buys a vacuum", ("Search", "Buy", "Use"))
    m.lanes.append(Lane("owners", "Owners", "Who owns each change?"))
    m.scenario = "Joan's vacuum broke; she wants a new one within the week"
    m.goal = "More first-time buyers complete checkout"
    m.timescale = "One week"
    m.persona = Persona(name="Joan", role="Hospital director", goals=["Buy quickly: she is time-poor"])
    for k, (stage, score) in enumerate(zip(m.stages, (1, -1, 2))):
        stage.emotion = score
        stage.cards("actions").append(Card(f"Does step {k} of the journey"))
        stage.cards("pain_points").append(Card(f"Pain number {k}", source="interview 2"))
        stage.cards("opportunities").append(Card(f"Idea number {k}"))
        stage.cards("owners").append(Card("Web team"))
    return m


def ids(m: JourneyMap, **kw) -> set[str]:
    return {f.rule for f in lint(m, **kw)}


def test_clean_map_has_no_findings():
    assert lint(clean_map()) == []


def _no_persona(m):
    m.persona = Persona()


def _several(m):
    m.persona.name = "Joan and Mark"


def _no_goal(m):
    m.goal = ""


def _no_scenario(m):
    m.scenario = ""


def _no_timescale(m):
    m.timescale = ""


def _stage_no_emotion(m):
    m.stages[1].emotion = None


def _pain_wo_opp(m):
    m.stages[1].cells.pop("opportunities")


def _empty_stage(m):
    m.stages.append(Stage("later", "Later", emotion=0))


def _no_positive(m):
    for s in m.stages:
        s.emotion = -1


def _company_goal(m):
    m.lanes.append(Lane("goals", "Goals & motivations"))
    m.stages[0].cards("goals").append(Card("To increase the number of sales"))


def _duplicate(m):
    m.stages[2].cards("actions").append(Card("Does step 0 of the journey"))


def _ends_at_purchase(m):
    m.stages.pop()


def _no_owner(m):
    m.lanes = [lane for lane in m.lanes if lane.id != "owners"]
    for s in m.stages:
        s.cells.pop("owners", None)


def _conflict(m):
    m.stages[0].cards("actions").append(Card("Theirs", conflict="theirs"))


def _empty_card(m):
    m.stages[0].cards("actions").append(Card("  "))


def _no_stages(m):
    m.stages = []


def _no_evidence(m):
    for s in m.stages:
        for c in s.cards("pain_points"):
            c.source = None


CASES = {
    "no-persona": _no_persona,
    "several-personas": _several,
    "no-goal": _no_goal,
    "no-scenario": _no_scenario,
    "no-timescale": _no_timescale,
    "stage-no-emotion": _stage_no_emotion,
    "pain-without-opportunity": _pain_wo_opp,
    "empty-stage": _empty_stage,
    "no-positive-moment": _no_positive,
    "company-side-goal": _company_goal,
    "duplicate-card": _duplicate,
    "ends-at-purchase": _ends_at_purchase,
    "opportunity-no-owner": _no_owner,
    "unresolved-conflict": _conflict,
    "empty-card": _empty_card,
    "no-stages": _no_stages,
    "no-evidence": _no_evidence,
}


def test_every_rule_has_a_case():
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_crafted_map(rule_id):
    m = clean_map()
    CASES[rule_id](m)
    found = ids(m)
    assert rule_id in found
    assert rule_id not in ids(m, disable=[rule_id])


def test_duplicate_labels_in_touchpoints_are_fine_but_repeats_in_a_cell_are_not():
    m = clean_map()
    for s in m.stages:
        s.cards("touchpoints").append(Card("Waiter"))
    assert "duplicate-card" not in ids(m)
    m.stages[0].cards("touchpoints").append(Card("waiter"))
    assert "duplicate-card" in ids(m)


def test_company_side_goal_in_persona_goals_but_not_in_business_goal():
    m = clean_map()
    m.goal = "Increase sales to first-time buyers"
    assert "company-side-goal" not in ids(m)
    m.persona.goals.append("Grow our revenue")
    assert "company-side-goal" in ids(m)


def test_owner_tag_or_mention_counts_as_owned():
    m = clean_map()
    _no_owner(m)
    for k, s in enumerate(m.stages):
        s.cards("opportunities")[0] = Card("Idea", tags=["owner:web"]) if k else Card("Idea @sam")
    assert "opportunity-no-owner" not in ids(m)


def test_severity_override():
    m = clean_map()
    _stage_no_emotion(m)
    (f,) = lint(m, severity={"stage-no-emotion": "error"})
    assert f.severity == "error"


CITY_TOUR = '''\
format = 1
title = "Customer experience journey map"
kind = "current"
scenario = "Browsing, booking, attending, and rating a local city tour"

[[lanes]]
id = "steps"
name = "Steps"
question = "What does the person (or group) typically experience?"

[[lanes]]
id = "goals"
name = "Goals & motivations"

[[lanes]]
id = "positive"
name = "Positive moments"

[[lanes]]
id = "negative"
name = "Negative moments"

[[lanes]]
id = "opportunities"
name = "Areas of opportunity"

[[stages]]
id = "entice"
name = "Entice"
steps = [
    "Advertising through social media",
    "Referrals from friends",
]
goals = [
    "To increase the number of sales",
    "To increase the number of sales",
]
positive = [
    "To increase the number of sales",
]
negative = [
    "To increase the number of sales",
]
opportunities = [
    "To increase the number of sales",
]

[[stages]]
id = "enter"
name = "Enter"
steps = [
    "Provide gifts to increase the customer",
]
goals = [
    "To increase the number of sales",
]

[[stages]]
id = "engage"
name = "Engage"
negative = [
    "To increase the number of sales",
]

[[stages]]
id = "exit"
name = "Exit"

[[stages]]
id = "extend"
name = "Extend"
'''


def test_city_tour_template_triggers_the_right_rules(tmp_path, capsys):
    path = tmp_path / "city.cjm.toml"
    path.write_text(CITY_TOUR, encoding="utf-8")
    assert main(["check", "--format", "json", str(path)]) == 0  # warnings only
    out = json.loads(capsys.readouterr().out)
    rules = {f["rule"] for f in out["findings"]}
    assert {"company-side-goal", "empty-stage", "duplicate-card", "no-persona", "no-goal",
            "stage-no-emotion", "pain-without-opportunity"} <= rules
    assert "no-scenario" not in rules
    empty = sorted(f["line"] for f in out["findings"] if f["rule"] == "empty-stage")
    lines = CITY_TOUR.splitlines()
    assert [lines[n - 1] for n in empty] == ["[[stages]]", "[[stages]]"]
    assert lines[empty[0]] == 'id = "exit"'
    company = [f for f in out["findings"] if f["rule"] == "company-side-goal"]
    assert all("increase the number of sales" in lines[f["line"] - 1] for f in company)
    # the opportunity cell is not a customer-side lane: not flagged there
    assert not any(f["place"][2] == "opportunities" for f in company)


# -- the command -------------------------------------------------------------------------


def write(path: Path, m: JourneyMap, extra: str = "") -> Path:
    path.write_text(dumps(m) + extra, encoding="utf-8")
    return path


def test_text_output_and_exit_codes(tmp_path, capsys):
    clean = write(tmp_path / "clean.cjm.toml", clean_map())
    assert main(["check", str(clean)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "1 file checked: 0 errors, 0 warnings, 0 infos"

    m = clean_map()
    _stage_no_emotion(m)
    warn = write(tmp_path / "warn.cjm.toml", m)
    assert main(["check", str(warn)]) == 0
    out = capsys.readouterr().out.splitlines()
    line = warn.read_text().splitlines().index('id = "buy"')  # 0-based index of the id line = header's 1-based line
    assert out[0] == f'{warn}:{line}: warning[stage-no-emotion] stage "Buy" has no emotion score'

    m = clean_map()
    _conflict(m)
    err = write(tmp_path / "err.cjm.toml", m)
    assert main(["check", str(err), str(clean)]) == 1
    out = capsys.readouterr().out
    assert "error[unresolved-conflict]" in out
    text = err.read_text().splitlines()
    n = int(out.split(":")[1])
    assert "Theirs" in text[n - 1]

    bad = tmp_path / "bad.cjm.toml"
    bad.write_text('format = 1\ntitle = "x\n', encoding="utf-8")
    missing = tmp_path / "missing.cjm.toml"
    assert main(["check", str(bad), str(missing), str(err)]) == 2
    cap = capsys.readouterr()
    assert f"{bad}:2" in cap.err and "not valid TOML" in cap.err
    assert f"{missing}: no such file" in cap.err
    assert "error[unresolved-conflict]" in cap.out  # the others are still checked
    assert "2 could not be read" in cap.out


def test_json_output_parses(tmp_path, capsys):
    m = clean_map()
    _no_goal(m)
    _conflict(m)
    p = write(tmp_path / "a.cjm.toml", m)
    bad = tmp_path / "b.cjm.toml"
    bad.write_text("format = 1\n[[stages]]\nname = 3\n", encoding="utf-8")
    assert main(["check", "--format", "json", str(p), str(bad)]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["summary"] == {"files": 2, "unreadable": 1, "error": 1, "warning": 1, "info": 0}
    f = {x["rule"]: x for x in out["findings"]}
    assert f["unresolved-conflict"]["severity"] == "error"
    assert f["unresolved-conflict"]["place"][0] == "stages"
    assert set(f["no-goal"]) == {"path", "line", "rule", "severity", "message", "place"}
    assert out["errors"][0]["path"] == str(bad)


def test_disable_in_map_in_config_and_on_the_command_line(tmp_path, capsys):
    m = clean_map()
    _no_goal(m)
    _stage_no_emotion(m)
    _no_timescale(m)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    sub = tmp_path / "maps" / "deep"
    sub.mkdir(parents=True)
    p = write(sub / "a.cjm.toml", m, '\n[check]\ndisable = ["no-goal"]\n')

    def rules(*extra):
        main(["check", "--format", "json", *extra, str(p)])
        return {x["rule"] for x in json.loads(capsys.readouterr().out)["findings"]}

    assert rules() == {"stage-no-emotion", "no-timescale"}
    (tmp_path / ".cjm-check.toml").write_text('disable = ["no-timescale"]\n[severity]\nstage-no-emotion = "error"\n')
    assert rules() == {"stage-no-emotion"}
    assert main(["check", str(p)]) == 1  # promoted to error by the config
    capsys.readouterr()
    assert rules("--no-config") == {"stage-no-emotion", "no-timescale"}
    assert rules("--disable", "stage-no-emotion") == set()
    assert rules("--disable", "all") == set()
    assert rules("--severity", "warning", "--no-config") == {"stage-no-emotion"}
    # a config outside the repository is not used
    (tmp_path / ".git").rename(tmp_path / "git-moved")
    (sub.parent / ".git").mkdir()
    assert rules() == {"stage-no-emotion", "no-timescale"}


def test_unknown_rule_and_bad_config_are_usage_errors(tmp_path, capsys):
    p = write(tmp_path / "a.cjm.toml", clean_map())
    assert main(["check", "--disable", "no-such-rule", str(p)]) == 2
    assert "unknown rule no-such-rule" in capsys.readouterr().err
    q = write(tmp_path / "b.cjm.toml", clean_map(), '\n[check]\ndisable = ["nope"]\n')
    assert main(["check", str(q)]) == 2
    err = capsys.readouterr().err
    assert f"{q}:" in err and "unknown rule 'nope'" in err


def test_map_with_check_table_still_round_trips_in_codec(tmp_path):
    from cjm_tui.store.codec import parse

    text = dumps(clean_map()) + '\n[check]\ndisable = ["no-goal"]\n'
    m, doc = parse(text)
    assert dumps(m, doc) == text


def test_rules_listing(capsys):
    assert main(["check", "--rules"]) == 0
    out = capsys.readouterr().out
    for rule_id in RULES:
        assert rule_id in out


def test_docs_list_every_rule():
    doc = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    for rule_id in RULES:
        assert f"`{rule_id}`" in doc, rule_id


def test_check_imports_no_textual_rich_or_tomlkit(tmp_path):
    p = write(tmp_path / "a.cjm.toml", clean_map())
    code = (
        "import sys; from cjm_tui.cli import main; rc = main(['check', sys.argv[1]]);"
        "bad = [m for m in ('textual', 'rich', 'tomlkit') if m in sys.modules]; print(bad); sys.exit(rc)"
    )
    res = subprocess.run([sys.executable, "-c", code, str(p)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().splitlines()[-1] == "[]"


def test_lint_model_layer_imports_nothing_above_it():
    src = (REPO / "src" / "cjm_tui" / "model")
    for name in ("lint.py", "templates.py", "diff.py"):
        text = (src / name).read_text(encoding="utf-8")
        for banned in ("store", "cli", "ui", "formats", "textual", "tomlkit", "rich"):
            assert f"from ..{banned}" not in text and f"import {banned}" not in text, (name, banned)


def test_pre_commit_hook_definition():
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: cjm-check" in text
    assert "entry: cjm check" in text
    assert r"files: \.cjm\.toml$" in text


def test_shipped_samples_have_no_error_findings(capsys):
    samples = sorted((REPO / "samples").glob("*.cjm.toml"))
    if not samples:
        pytest.skip("no samples")
    assert main(["check", *map(str, samples)]) == 0


def test_line_index_agrees_with_locate():
    """cmd_check finds lines in one pass; it must point where errors.locate does."""
    from cjm_tui.cli.cmd_check import Lines
    from cjm_tui.store.errors import locate
    from cjm_tui.store.files import loads_fast

    samples = sorted((REPO / "samples").glob("*.cjm.toml"))
    if not samples:
        pytest.skip("no samples")
    for path in samples:
        text = path.read_text(encoding="utf-8")
        m = loads_fast(text)
        lines = Lines(text)
        places = [("persona",), ("title",)]
        places += [("persona", "goals", j) for j in range(len(m.persona.goals))]
        for i, s in enumerate(m.stages):
            places.append(("stages", i))
            for lane_id, cards in s.cells.items():
                places += [("stages", i, lane_id, j) for j in range(len(cards))]
        for place in places:
            want = locate(text, place)
            if want is not None:
                assert lines.line(place) == want, (path.name, place)


# -- conflicts the merge writes into the notes ------------------------------------------------------------------


def test_conflict_lines_in_notes_are_unresolved_conflicts():
    """`cjm merge` writes conflicts without a card to mark as `merge conflict:` lines in the notes;
    `cjm check` used to pass such a map."""
    from cjm_tui.model.lint import CONFLICT_NOTE_PREFIX as in_lint
    from cjm_tui.model.merge import CONFLICT_NOTE_PREFIX

    assert CONFLICT_NOTE_PREFIX.startswith(in_lint)
    m = clean_map()
    m.notes = ("Interviews from May.\n"
               f"{CONFLICT_NOTE_PREFIX}goal: kept ours \"More buyers\"; theirs was \"Fewer calls\"\n"
               f"{CONFLICT_NOTE_PREFIX}stage buy: kept ours; theirs was (none)")
    found = [f for f in lint(m) if f.rule == "unresolved-conflict"]
    assert len(found) == 2
    assert all(f.severity == "error" and f.place == ("notes",) for f in found)
    assert "Fewer calls" in found[0].message and "stage buy" in found[1].message
    m.notes = "We discussed the merge conflict: none left."  # not a line the merge wrote
    assert lint(m) == []


def test_merged_map_with_conflicting_goals_fails_check(tmp_path, capsys):
    from cjm_tui.model.merge import merge3

    base = clean_map()
    ours, theirs = base.copy(), base.copy()
    ours.goal, theirs.goal = "More buyers", "Fewer calls"
    result = merge3(base, ours, theirs)
    assert result.conflicts and not any(c.conflict for s in result.map.stages for cs in s.cells.values() for c in cs)
    p = write(tmp_path / "merged.cjm.toml", result.map)
    assert main(["check", str(p)]) == 1
    out = capsys.readouterr().out
    assert "error[unresolved-conflict]" in out and "merge conflict" in out
    n = int(out.split(":")[1])
    assert "notes" in p.read_text(encoding="utf-8").splitlines()[n - 1]


def test_a_card_that_is_a_quotation_is_quoted_once(tmp_path, capsys):
    """A thoughts card written as a quotation was shown as ""I hope …"" appears 3 times."""
    m = clean_map()
    for stage in m.stages:
        stage.cards("thoughts").append(Card('"I hope this is easier than last time."'))
    m.stages[0].cards("thoughts").append(Card("\u201cWhy is this so slow?\u201d"))
    m.stages[1].cards("thoughts").append(Card("\u201cWhy is this so slow?\u201d"))
    p = write(tmp_path / "quotes.cjm.toml", m)
    assert main(["check", str(p)]) == 0
    out = capsys.readouterr().out
    assert ': warning[duplicate-card] "I hope this is easier than last time." appears 3 times (first in stage "Search", Thoughts)' in out
    assert ': warning[duplicate-card] "Why is this so slow?" appears 2 times' in out
    assert '""' not in out and "\u201c" not in out
    # text that is not wrapped in quotes as a whole keeps its own quotes, inside one pair
    m = clean_map()
    m.lanes.append(Lane("goals", "Goals"))
    m.stages[0].cards("goals").append(Card('To "increase sales" this year'))
    msgs = [f.message for f in lint(m) if f.rule == "company-side-goal"]
    assert msgs == ['stage "Search", Goals: "To "increase sales" this year" is written from the company\'s side: '
                    "write what the customer wants or does"]


def test_summary_counts_only_the_files_that_were_checked(tmp_path, capsys):
    """`cjm check missing.cjm.toml` said "1 file checked: …; 1 could not be read"."""
    missing = tmp_path / "missing.cjm.toml"
    assert main(["check", str(missing)]) == 2
    cap = capsys.readouterr()
    assert cap.out == "no file checked: 1 could not be read\n"
    assert cap.err == f"cjm: {missing}: no such file\n"

    clean = write(tmp_path / "clean.cjm.toml", clean_map())
    bad = tmp_path / "bad.cjm.toml"
    bad.write_text('format = 1\ntitle = "x\n', encoding="utf-8")
    assert main(["check", str(missing), str(clean), str(bad)]) == 2
    cap = capsys.readouterr()
    assert cap.out == "1 file checked: 0 errors, 0 warnings, 0 infos; 2 could not be read\n"
    assert f"{missing}: no such file" in cap.err and f"{bad}:2" in cap.err


def test_text_output_never_sends_a_cards_escape_sequence_raw(tmp_path, capsys):
    # a finding quotes stage and card text; a terminal must not run what it holds
    m = JourneyMap.blank("J", ("Search", "Purchase\x1b]2;PWNED\x07"))
    m.stages[0].cards("actions").append(Card("Looks around"))
    path = tmp_path / "esc.cjm.toml"
    path.write_text(dumps(m))
    main(["check", str(path)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert 'the journey ends at "Purchase\\x1b]2;PWNED\\x07"' in out
