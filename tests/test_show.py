"""`cjm show`: plain when piped, Rich when asked, filters, hostile card text, speed-related imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cjm_tui.cli import main
from cjm_tui.formats import text as text_fmt
from cjm_tui.model import Card, JourneyMap, Persona
from cjm_tui.store import codec

ROOT = Path(__file__).resolve().parent.parent
CJM = Path(sys.executable).parent / "cjm"

HOSTILE = [
    "[bold red]markup[/]",
    "\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "<script>alert(1)</script>",
    "a | b\nsecond line",
    "=cmd|' /C calc'!A0",
    "emoji 😀🎉 and עברית and العربية",
]


def hostile_map() -> JourneyMap:
    m = JourneyMap.blank("Joan [b]buys[/b]", ("Search", "Compare", "Buy"))
    m.persona = Persona(name="Joan", role="Director", goals=["Buy \x1b[2J fast"])
    m.goal = "More buyers"
    search, compare, buy = m.stages
    search.emotion, compare.emotion = 1, -2
    search.feeling = "hopeful [i]x[/i]"
    search.cards("actions").extend(Card(t) for t in HOSTILE)
    compare.cards("pain_points").append(Card("Too many choices", tags=["[red]t[/red]"], emotion=-1))
    buy.cards("actions").append(Card("Pays"))
    return m


@pytest.fixture
def map_path(tmp_path: Path) -> Path:
    p = tmp_path / "m.cjm.toml"
    p.write_text(codec.dumps(hostile_map()), encoding="utf-8")
    return p


def test_plain_when_piped_has_no_escape_codes(map_path: Path, capsys) -> None:
    assert main(["show", str(map_path), "--width", "200"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[31mred" in out  # the escape is shown, visibly
    assert "[bold red]markup[/]" in out
    assert "<script>alert(1)</script>" in out
    assert "Search" in out and "Compare" in out and "Buy" in out
    assert "frustrated" in out


def test_plain_lines_fit_the_width(map_path: Path, capsys) -> None:
    main(["show", str(map_path), "--width", "60"])
    out = capsys.readouterr().out
    assert max(text_fmt.cell_width(line) for line in out.splitlines()) <= 60


def test_rich_output_shows_markup_literally(map_path: Path, capsys) -> None:
    assert main(["show", str(map_path), "--color", "always", "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert "[bold red]markup[/]" in out
    assert "[b]buys[/b]" in out
    # the card's escape sequences never reach the terminal raw
    assert "\x1b[31mred" not in out and "\x1b]0;" not in out and "\x1b[2J" not in out and "\x07" not in out
    assert "\\x1b[31mred" in out


def test_no_color_respected(map_path: Path) -> None:
    env = dict(os.environ, NO_COLOR="1")
    env.pop("FORCE_COLOR", None)
    res = subprocess.run([str(CJM), "show", str(map_path), "--color", "always"], capture_output=True, text=True, env=env)
    assert res.returncode == 0
    import re

    colours = re.findall(r"\x1b\[[0-9;]*3[0-9](;[0-9]+)*m|\x1b\[9[0-7]m", res.stdout)
    assert not colours


def test_piped_subprocess_is_plain(map_path: Path) -> None:
    res = subprocess.run([str(CJM), "show", str(map_path)], capture_output=True, text=True)
    assert res.returncode == 0 and "\x1b" not in res.stdout


def test_stage_and_lane_filters(map_path: Path, capsys) -> None:
    assert main(["show", str(map_path), "--stage", "COMPARE", "--lane", "pain points", "actions"]) == 0
    out = capsys.readouterr().out
    stage_rows = [line for line in out.splitlines() if line.startswith("Stage ")]
    assert len(stage_rows) == 1 and "Compare" in stage_rows[0]
    assert "Search" not in out and "Pays" not in out
    assert "Too many choices" in out and "Thoughts" not in out


def test_unknown_stage_lists_the_valid_ones(map_path: Path, capsys) -> None:
    assert main(["show", str(map_path), "--stage", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no stage 'nope'" in err and "search" in err and "compare" in err and "buy" in err


def test_unknown_lane_exit_2(map_path: Path, capsys) -> None:
    assert main(["show", str(map_path), "--lane", "feelings"]) == 2
    assert "pain_points" in capsys.readouterr().err


def test_missing_file_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["show", str(tmp_path / "none.cjm.toml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_invalid_map_names_file_and_line(tmp_path: Path, capsys) -> None:
    p = tmp_path / "bad.cjm.toml"
    p.write_text('format = 1\ntitle = "x"\n[[stages]]\nid = "a"\nemotion = 9\n', encoding="utf-8")
    assert main(["show", str(p)]) == 2
    assert f"{p}:5" in capsys.readouterr().err


def test_piped_show_does_not_import_rich_or_textual(map_path: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from cjm_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['show', {str(map_path)!r}])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('rich', 'textual', 'tomlkit')]\n"
        "print(bad)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.stdout.strip() == "[]", res.stdout + res.stderr


def test_empty_map(tmp_path: Path, capsys) -> None:
    p = tmp_path / "e.cjm.toml"
    p.write_text(codec.dumps(JourneyMap.blank("Empty")), encoding="utf-8")
    assert main(["show", str(p)]) == 0
    assert "no stages" in capsys.readouterr().out
    assert main(["show", str(p), "--color", "always"]) == 0


def test_many_stages_make_bands(capsys, tmp_path: Path) -> None:
    m = JourneyMap.blank("Wide", tuple(f"Stage {i}" for i in range(12)))
    p = tmp_path / "w.cjm.toml"
    p.write_text(codec.dumps(m), encoding="utf-8")
    main(["show", str(p), "--width", "80"])
    out = capsys.readouterr().out
    assert out.count("Stage ") >= 12
    assert sum(1 for line in out.splitlines() if line.startswith("Stage ")) > 1  # more than one band


def test_ascii_only(map_path: Path, capsys) -> None:
    main(["show", str(map_path), "--ascii"])
    out = capsys.readouterr().out
    grid = [line for line in out.splitlines() if line.startswith(("Stage", "Actions", "+2", "-2"))]
    assert grid and all(line.isascii() for line in grid)


def test_wrap_handles_wide_characters() -> None:
    lines = text_fmt.wrap("日本語のテキスト " * 4, 10)
    assert all(text_fmt.cell_width(line) <= 10 for line in lines)


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.cjm.toml")) or [None])
def test_samples_show(sample, capsys) -> None:
    if sample is None:
        pytest.skip("no samples yet")
    assert main(["show", str(sample)]) == 0
    assert main(["show", str(sample), "--color", "always", "--width", "80"]) == 0
    assert capsys.readouterr().out


# -- user-test findings: persona labels, tag wrapping, unscored stages --------------------------------------------


def test_persona_labels_never_run_into_their_values(capsys) -> None:
    """Long labels (extra persona fields) used to print as `Family status:Married with children`."""
    for width in (60, 100, 200):
        main(["show", str(ROOT / "samples" / "joan-vacuum.cjm.toml"), "--width", str(width)])
        out = capsys.readouterr().out
        for label in ("Family status", "Professional goals", "Personal goals", "Preferred channels", "Age"):
            line = next(line for line in out.splitlines() if line.startswith(label + ":"))
            rest = line[len(label) + 1 :]
            assert rest == "" or rest.startswith(" "), line
        assert "Married with children" in out
    m = JourneyMap.blank("T", ("A",))
    m.persona = Persona(name="J", other={"a_very_long_label_indeed_for_a_persona": "value here"})
    lines = [text_fmt._join(line) for line in text_fmt.header(m, text_fmt.layout(m, 40))]
    assert all(len(line) <= 40 for line in lines)
    assert any(line.startswith("A very long label indeed for a persona:") for line in lines)
    assert not any(":value" in line for line in lines)


def test_tags_wrap_as_whole_words() -> None:
    """`#moment-that-matters` in an 18-cell column used to break as `#moment-that-matt` / `ers`."""
    card = Card("Postpones the decision", tags=["moment-that-matters", "diy"])
    lines = ["".join(t for t, _ in line).rstrip() for line in text_fmt.card_lines(card, 18)]
    assert all(text_fmt.cell_width(line) <= 18 for line in lines)
    assert "  #moment-that-" in lines and "  matters #diy" in lines, lines
    # a tag that fits on a line of its own is never split
    card = Card("Pays", tags=["delivery-date"])
    lines = ["".join(t for t, _ in line).rstrip() for line in text_fmt.card_lines(card, 16)]
    assert lines == ["• Pays", "  #delivery-date"]
    # one longer than the column with no place to break still breaks (and fits)
    card = Card("x", tags=["a" * 40])
    lines = ["".join(t for t, _ in line).rstrip() for line in text_fmt.card_lines(card, 18)]
    assert all(text_fmt.cell_width(line) <= 18 for line in lines)
    assert "".join(line.strip() for line in lines[1:]) == "#" + "a" * 40


def test_sample_tags_are_not_split_mid_word(capsys) -> None:
    for sample in sorted((ROOT / "samples").glob("*.cjm.toml")):
        main(["show", str(sample), "--width", "100"])
        out = capsys.readouterr().out
        assert "#moment-that-mat\n" not in out and "#moment-that-matt " not in out


def test_unscored_stage_reads_no_score(tmp_path: Path, capsys) -> None:
    m = JourneyMap.blank("Unscored", ("Search", "Buy"))
    m.stages[0].emotion = 1
    p = tmp_path / "u.cjm.toml"
    p.write_text(codec.dumps(m), encoding="utf-8")
    for extra in ([], ["--ascii"], ["--color", "always"]):
        main(["show", str(p), *extra])
        out = capsys.readouterr().out
        assert "no score" in out and "not set" not in out


@pytest.mark.parametrize("color", ["never", "always"])
def test_ascii_output_is_pure_ascii_when_the_text_is(color: str, tmp_path: Path) -> None:
    """--ascii used to keep “ ” around quotes and feelings and · between persona name and role."""
    samples = sorted((ROOT / "samples").glob("*.cjm.toml"))
    ascii_samples = [s for s in samples if s.read_bytes().isascii()]
    assert ascii_samples, "no sample with ASCII-only text to test --ascii on"
    m = hostile_map()  # every decoration: quote, feeling, persona role, tags, card emotions, unscored stage
    m.title = "ASCII only"
    m.persona.quote = "Show me a good one"
    m.persona.goals = ["Buy fast"]
    m.stages[0].cards("actions")[:] = [Card("plain text", tags=["moment-that-matters"], emotion=2)]
    p = tmp_path / "a.cjm.toml"
    p.write_text(codec.dumps(m), encoding="utf-8")
    assert p.read_bytes().isascii()
    for path in [p, *ascii_samples]:
        res = subprocess.run([str(CJM), "show", str(path), "--ascii", "--color", color, "--width", "90"],
                             capture_output=True, check=False)
        assert res.returncode == 0, res.stderr
        bad = sorted({ch for ch in res.stdout.decode("utf-8") if not ch.isascii()})
        assert not bad, f"{path.name}: {bad}"


def test_ascii_keeps_the_users_own_text(tmp_path: Path, capsys) -> None:
    m = hostile_map()
    m.persona.quote = "Ça va"
    p = tmp_path / "u.cjm.toml"
    p.write_text(codec.dumps(m), encoding="utf-8")
    main(["show", str(p), "--ascii", "--width", "200"])
    out = capsys.readouterr().out
    assert '"Ça va"' in out and "😀🎉" in out  # the user's text, as written, in ASCII quotes


def test_ascii_help_says_card_text_is_kept(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["show", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--ascii" in help_text and "as written" in help_text


def test_a_neutral_score_is_0_without_a_sign_as_in_the_editor(tmp_path: Path, capsys) -> None:
    """show printed "● +0 neutral" where the editor shows "● 0 neutral"."""
    import re

    m = JourneyMap.blank("Scores", ("Search", "Buy", "Use"))
    for stage, score in zip(m.stages, (0, 1, -1)):
        stage.emotion = score
    p = tmp_path / "s.cjm.toml"
    p.write_text(codec.dumps(m), encoding="utf-8")
    assert main(["show", str(p), "--width", "100"]) == 0
    lines = capsys.readouterr().out.splitlines()
    emotion = next(line for line in lines if line.startswith("Emotion"))
    assert "│ ● 0 neutral " in emotion and "│ ▲ +1 pleased " in emotion and "│ ▼ -1 unhappy" in emotion
    # the curve's row labels line up: " 0 neutral" under "+1 pleased"
    labels = [line[:13].rstrip() for line in lines if re.match(r"^[ +-][0-2] [a-z]", line)]
    assert labels == ["+2 delighted", "+1 pleased", " 0 neutral", "-1 unhappy", "-2 frustrated"]
    for extra in (["--color", "always"], ["--ascii"]):
        assert main(["show", str(p), "--width", "100", *extra]) == 0
        out = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)
        assert "+0" not in out and " 0 neutral" in out


@pytest.mark.parametrize("color", ["never", "always"])
def test_bands_are_balanced_so_no_stage_is_left_alone(color: str, tmp_path: Path, capsys) -> None:
    """Five stages at --width 100 (room for four) came out as 4 + 1; now 3 + 2."""
    import re

    def bands(count: int, width: int) -> list[list[str]]:
        m = JourneyMap.blank("Wide", tuple(f"S{i}" for i in range(count)))
        p = tmp_path / "w.cjm.toml"
        p.write_text(codec.dumps(m), encoding="utf-8")
        assert main(["show", str(p), "--width", str(width), "--color", color]) == 0
        out = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)
        return [re.findall(r"S\d+", line) for line in out.splitlines() if re.match(r"^[│ ]*Stage ", line)]

    assert bands(5, 100) == [["S0", "S1", "S2"], ["S3", "S4"]]
    assert bands(10, 100) == [["S0", "S1", "S2", "S3"], ["S4", "S5", "S6"], ["S7", "S8", "S9"]]
    assert bands(4, 100) == [["S0", "S1", "S2", "S3"]]  # one band when they fit
    assert bands(8, 100) == [["S0", "S1", "S2", "S3"], ["S4", "S5", "S6", "S7"]]
