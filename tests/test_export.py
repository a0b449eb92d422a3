"""`cjm export`: every format, hostile card text escaped for each, atomic -o."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.dom.minidom
from pathlib import Path

import pytest

from cjm_tui.cli import main
from cjm_tui.formats import markdown as md
from cjm_tui.formats.csv_io import neutralise, restore, to_csv
from cjm_tui.formats.html import to_html
from cjm_tui.formats.json_io import to_json
from cjm_tui.formats.mermaid import clean, to_mermaid
from cjm_tui.formats.svg import to_svg
from cjm_tui.model import Card, JourneyMap, Persona
from cjm_tui.store import codec

FORMULA = "=cmd|' /C calc'!A0"
ANSI = "\x1b[31mred\x1b[0m"


def hostile_map() -> JourneyMap:
    m = JourneyMap.blank("Joan <b>buys</b> | a [bold]vacuum[/]", ("Search", "Compare: prices", "Buy #1"))
    m.persona = Persona(name="Joan", role="Director", goals=["<img src=x onerror=alert(1)>"], other={"age": "43"})
    m.goal = "More buyers"
    m.notes = "Line one\nLine two"
    search, compare, buy = m.stages
    search.emotion, compare.emotion = 1, -2
    search.cards("actions").extend(
        [
            Card("[bold red]markup[/]"),
            Card(ANSI),
            Card("<script>alert(1)</script>"),
            Card("pipe | and\nnewline and back\\slash"),
            Card(FORMULA, tags=["risk", "-neg"], emotion=-1, source="interview #3"),
            Card("- looks like a list"),
            Card("# looks like a heading"),
        ]
    )
    search.cards("thoughts").append(Card("emoji 😀 and עברית and 日本語"))
    compare.cards("pain_points").append(Card("+SUM(A1)"))
    compare.cards("actions").append(Card("@import"))
    buy.cards("actions").append(Card("Pays: by card; gets #receipt"))
    return m


@pytest.fixture
def map_path(tmp_path: Path) -> Path:
    p = tmp_path / "m.cjm.toml"
    p.write_text(codec.dumps(hostile_map()), encoding="utf-8")
    return p


# -- markdown ----------------------------------------------------------------------


def test_markdown_tables_stay_tables() -> None:
    out = md.to_markdown(hostile_map())
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert rows
    # every table row has the same number of unescaped pipes as the header
    def cells(line: str) -> int:
        return len(re.findall(r"(?<!\\)\|", line))

    header = cells(rows[0])
    assert all(cells(r) == header for r in rows)
    assert "pipe \\| and<br>newline and back\\\\slash" in out
    assert "&lt;script&gt;" in out and "<script>" not in out
    assert "<img" not in out
    assert "\x1b" not in out and "\\\\x1b" in out


def test_markdown_escapes_leading_block_markers() -> None:
    assert md.escape("# h").startswith("\\#")
    assert md.escape("- x").startswith("\\-")
    assert md.escape("1. x") == "1\\. x"
    assert md.escape("a\nb") == "a<br>b"
    assert md.escape("[x](y)") == "\\[x\\](y)"


# -- html --------------------------------------------------------------------------


def test_html_is_escaped_and_self_contained() -> None:
    out = to_html(hostile_map())
    assert "<script" not in out.lower().replace("&lt;script", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "\x1b" not in out
    assert "http://" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in out
    assert "@media print" in out and "table-header-group" in out
    assert "<svg" in out  # the curve
    assert "<br>" in out  # newline in a card


# -- csv ---------------------------------------------------------------------------


def test_csv_one_row_per_card_and_formulas_neutralised() -> None:
    m = hostile_map()
    out = to_csv(m)
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    cards = [r for r in rows if r["text"]]
    assert len(cards) == m.card_count()
    for r in rows:
        for key in ("stage", "lane", "text", "tags", "source", "stage_feeling"):
            assert not r[key].startswith(("=", "+", "-", "@", "\t", "\r")), r
    formula = next(r for r in cards if "cmd" in r["text"])
    assert formula["text"] == "'" + FORMULA
    assert formula["tags"] == "risk;-neg"
    assert formula["emotion"] == "-1" and formula["source"] == "interview #3"
    assert formula["stage_id"] == "search" and formula["lane_id"] == "actions" and formula["position"] == "5"
    assert "\x1b" not in out


def test_csv_neutralise_is_reversible() -> None:
    for cell in ["=1+1", "+x", "-x", "@x", "\tx", "'x", "''=y", "plain", ""]:
        assert restore(neutralise(cell)) == cell


# -- json --------------------------------------------------------------------------


def test_json_schema_and_order() -> None:
    m = hostile_map()
    out = to_json(m)
    data = json.loads(out)
    assert list(data) == ["format", "title", "kind", "scenario", "goal", "timescale", "notes", "persona", "lanes", "stages"]
    assert data["format"] == 1
    assert list(data["persona"]) == ["name", "role", "quote", "goals", "frustrations", "other"]
    stage = data["stages"][0]
    assert list(stage) == ["id", "name", "emotion", "feeling", "question", "cards"]
    card = stage["cards"]["actions"][4]
    assert card == {"text": FORMULA, "tags": ["risk", "-neg"], "emotion": -1, "source": "interview #3"}
    assert "😀" in out and "עברית" in out  # ensure_ascii=False
    assert out.startswith('{\n  "format": 1,')
    assert to_json(m) == out  # stable


# -- mermaid -----------------------------------------------------------------------


def test_mermaid_journey_syntax() -> None:
    out = to_mermaid(hostile_map())
    lines = out.splitlines()
    assert lines[0] == "journey"
    assert any(line.strip().startswith("title ") for line in lines)
    sections = [line.strip() for line in lines if line.strip().startswith("section ")]
    assert sections == ["section Search", "section Compare prices", "section Buy 1"]
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("section "))
    tasks = [line.strip() for line in lines[first:] if not line.strip().startswith("section ")]
    for t in tasks:
        name, score, actors = t.split(":")
        assert name and 1 <= int(score) <= 5 and actors.strip() == "Joan"
        assert ";" not in t and "#" not in t
    assert "Pays by card gets receipt: 3: Joan" in tasks  # stage emotion unset -> 3
    assert "=cmd|' /C calc'!A0: 2: Joan" in tasks  # the card's own emotion -1 -> 2
    assert "\x1b" not in out


def test_mermaid_clean() -> None:
    assert clean("  a: b; c # d\n e  ") == "a b c d e"
    assert clean("%% not a comment") == "not a comment"
    assert clean("Me, Cat", actor=True) == "Me Cat"


def test_mermaid_uses_first_lane_with_cards_when_no_actions() -> None:
    m = JourneyMap.blank("T", ("A",))
    m.stages[0].cards("thoughts").append(Card("Hmm", emotion=2))
    assert "Hmm: 5" in to_mermaid(m)


# -- svg ---------------------------------------------------------------------------


def test_svg_is_valid_and_escaped() -> None:
    out = to_svg(hostile_map(), 100)
    xml.dom.minidom.parseString(out)  # well-formed
    assert "<script" not in out
    assert "&lt;script&gt;" in out
    assert "\x1b" not in out and "[bold red]markup[/]" in out
    assert "Search" in out and "Compare" in out


# -- the command -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "html", "csv", "json", "mermaid", "svg"])
def test_export_command_stdout_and_file(fmt: str, map_path: Path, tmp_path: Path, capsysbinary) -> None:
    assert main(["export", str(map_path), "--to", fmt]) == 0
    stdout = capsysbinary.readouterr().out
    assert stdout
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(map_path), "--to", fmt, "-o", str(out)]) == 0
    assert out.read_bytes() == stdout
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_format_from_suffix(map_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    assert main(["export", str(map_path), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_needs_a_format(map_path: Path, tmp_path: Path, capsys) -> None:
    assert main(["export", str(map_path), "-o", str(tmp_path / "x.txt")]) == 2
    assert "--to" in capsys.readouterr().err


def test_export_bad_map_exit_2(tmp_path: Path, capsys) -> None:
    p = tmp_path / "bad.cjm.toml"
    p.write_text("title = \n", encoding="utf-8")
    assert main(["export", str(p), "--to", "json"]) == 2
    assert f"{p}:1" in capsys.readouterr().err


def test_export_does_not_import_textual(map_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, io, contextlib\n"
        "from cjm_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    [main(['export', {str(map_path)!r}, '--to', f]) for f in ('markdown','html','csv','json','mermaid')]\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'textual', 'tomlkit'}))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.stdout.strip() == "[]", res.stdout + res.stderr


def test_json_keeps_hand_written_card_keys_both_ways():
    from cjm_tui.formats.json_io import from_json, to_json
    from cjm_tui.model import Card, JourneyMap

    m = JourneyMap.blank("t", ("Buy",))
    m.stage("buy").cards("actions").append(Card("Pays", extra={"owner": "Ana"}))
    text = to_json(m)
    assert '"extra": {' in text and '"owner": "Ana"' in text
    back = from_json(text, "x.json")
    back_map = back[0] if isinstance(back, tuple) else back
    assert back_map.stage("buy").peek("actions")[0].extra == {"owner": "Ana"}
