"""`cjm import`: Mermaid journeys (plain, fenced, messy), the CSV and JSON export
writes, round trips, and malformed input (exit 2, nothing written)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from cjm_tui.cli import main
from cjm_tui.formats.csv_io import from_csv, to_csv
from cjm_tui.formats.json_io import from_json, to_json
from cjm_tui.formats.mermaid import from_mermaid, to_mermaid
from cjm_tui.model import Card, JourneyMap, Persona
from cjm_tui.store import codec, files
from cjm_tui.store.errors import MapError

ROOT = Path(__file__).resolve().parent.parent

MERMAID = """\
journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me
"""

MESSY = """\
# Our journey

Some prose first.

```mermaid
%%{init: {'theme': 'forest'}}%%
journey
%% a comment
        title Einkaufen: ein Tag
  accTitle: The accessible title
    accDescr {
      A description
      over two lines
    }
  section Поиск
            Искать в сети: 7: Анна
      Читать отзывы: 0: Анна, Борис
  section 購入
  支払う: 4
  section Поиск
    Again: 2: Анна
```

More prose.
"""


def tasks_of(text: str) -> list[tuple[str, str, int, tuple[str, ...]]]:
    """(section, task, score, actors) of a Mermaid journey, as Mermaid reads it."""
    out, section = [], ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("section "):
            section = line[8:].strip()
        elif ":" in line and not line.startswith(("title", "acc", "%%")):
            name, score, *rest = line.split(":")
            actors = tuple(a.strip() for a in rest[0].split(",")) if rest else ()
            out.append((section, name.strip(), int(score), actors))
    return out


def test_mermaid_import_basic() -> None:
    m, warnings = from_mermaid(MERMAID, "x.mmd")
    assert not warnings
    assert m.title == "My working day"
    assert [s.name for s in m.stages] == ["Go to work", "Go home"]
    assert [s.id for s in m.stages] == ["go_to_work", "go_home"]
    work = m.stages[0]
    assert [c.text for c in work.peek("actions")] == ["Make tea", "Go upstairs", "Do work"]
    assert [c.emotion for c in work.peek("actions")] == [2, 0, -2]
    assert work.emotion == 0  # mean of 5, 3, 1 is 3
    assert m.stages[1].emotion == 2
    assert m.persona.name == "Me"
    assert m.persona.other["actors"] == ["Me", "Cat"]


def test_mermaid_round_trip_keeps_sections_tasks_scores_actors() -> None:
    m, _ = from_mermaid(MERMAID)
    again = to_mermaid(m)
    assert tasks_of(again) == tasks_of(MERMAID)
    assert "title My working day" in again
    # and once more through the file format
    m2 = files.loads_fast(codec.dumps(m))
    assert tasks_of(to_mermaid(m2)) == tasks_of(MERMAID)


def test_mermaid_messy_fenced_non_latin() -> None:
    m, warnings = from_mermaid(MESSY, "doc.md")
    assert m.title == "Einkaufen: ein Tag"
    assert "The accessible title" in m.notes and "A description\nover two lines" in m.notes
    assert [s.name for s in m.stages] == ["Поиск", "購入", "Поиск"]
    ids = [s.id for s in m.stages]
    assert len(set(ids)) == 3 and all(re.match(r"^[a-z0-9][a-z0-9_-]*$", i) for i in ids)
    assert [c.text for c in m.stages[0].peek("actions")] == ["Искать в сети", "Читать отзывы"]
    assert [c.emotion for c in m.stages[0].peek("actions")] == [2, -2]  # 7 -> 5, 0 -> 1
    assert len(warnings) == 2 and all("outside 1…5" in w for w in warnings)
    assert warnings[0].startswith("doc.md:16:")
    assert m.persona.name == "Анна"
    # the task with no actors and the one with two keep them through a round trip
    again = to_mermaid(m)
    assert ("購入", "支払う", 4, ()) in tasks_of(again)
    assert ("Поиск", "Читать отзывы", 1, ("Анна", "Борис")) in tasks_of(again)
    files.loads_fast(codec.dumps(m))  # a valid map


def test_mermaid_export_import_export_is_stable(tmp_path: Path) -> None:
    m = JourneyMap.blank("Trip", ("Plan", "Go"))
    m.persona = Persona(name="Ann")
    m.stages[0].emotion = 1
    m.stages[0].cards("actions").extend([Card("Look: maps"), Card("Book", emotion=-2)])
    m.stages[1].cards("actions").append(Card("Ride"))
    first = to_mermaid(m)
    second = to_mermaid(from_mermaid(first)[0])
    assert tasks_of(first) == tasks_of(second)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("graph TD\n  A --> B\n", 1, "journey"),
        ("", 1, "journey"),
        ("journey\n  section A\n  Make tea\n", 3, "needs a score"),
        ("journey\n  section A\n  Make tea: lots: Me\n", 3, "not a number"),
        ("journey\n  section A\n  Make tea:\n", 3, "no score"),
        ("journey\n  accDescr {\n  never closed\n", 2, "never closed"),
        ("```mermaid\njourney\n  section A\n  Bad task\n```\n", 4, "needs a score"),
    ],
)
def test_mermaid_malformed(text: str, line: int, words: str) -> None:
    with pytest.raises(MapError) as err:
        from_mermaid(text, "in.mmd")
    assert err.value.line == line and words in err.value.message


# -- json and csv round trips ------------------------------------------------------------


def rich_map() -> JourneyMap:
    m = JourneyMap.blank("Joan | buys [b]x[/b]", ("Search", "Compare", "Buy", "Empty"))
    m.kind = "future"
    m.goal, m.scenario, m.timescale, m.notes = "Goal", "Scenario", "A week", "Note 1\nNote 2"
    m.persona = Persona("Joan", "Director", "Quote", ["g1"], ["f1"], {"age": "43", "channels": ["web", "phone"]})
    m.lanes[1].hidden = True
    s = m.stages
    s[0].emotion, s[0].feeling, s[1].emotion = 2, "hopeful", -1
    s[0].cards("actions").extend(
        [Card("=cmd|' /C calc'!A0", ["t1", "+t2"], -1, "interview"), Card("<script>x</script>"), Card("a | b\nc")]
    )
    s[0].cards("thoughts").append(Card("'quoted' 😀 עברית"))
    s[1].cards("pain_points").append(Card("-minus", emotion=2))
    s[2].cards("opportunities").append(Card("@at"))
    return m


def test_json_round_trip_same_map() -> None:
    m = rich_map()
    back, warnings = from_json(to_json(m))
    assert back == m and not warnings


def test_csv_round_trip_same_stages_lanes_cards() -> None:
    m = rich_map()
    back, _ = from_csv(to_csv(m))
    assert [(lane.id, lane.name) for lane in back.lanes] == [(lane.id, lane.name) for lane in m.lanes]
    assert [(s.id, s.name, s.emotion, s.feeling) for s in back.stages] == [
        (s.id, s.name, s.emotion, s.feeling) for s in m.stages
    ]
    for a, b in zip(back.stages, m.stages):
        assert {k: v for k, v in a.cells.items() if v} == {k: v for k, v in b.cells.items() if v}


@pytest.mark.parametrize("fmt", ["json", "csv", "mermaid"])
def test_import_command_round_trip(fmt: str, tmp_path: Path, capsys) -> None:
    m = rich_map()
    src = tmp_path / "m.cjm.toml"
    src.write_text(codec.dumps(m), encoding="utf-8")
    exported = tmp_path / f"m.{ 'mmd' if fmt == 'mermaid' else fmt}"
    assert main(["export", str(src), "--to", fmt, "-o", str(exported)]) == 0
    out = tmp_path / "back.cjm.toml"
    assert main(["import", str(exported), "-o", str(out)]) == 0
    tomllib.loads(out.read_text(encoding="utf-8"))
    back = files.load_fast(out)
    if fmt == "json":
        assert back == m
    elif fmt == "csv":
        assert [s.id for s in back.stages] == [s.id for s in m.stages]
        assert back.card_count() == m.card_count()
    else:
        assert [s.name for s in back.stages] == [s.name for s in m.stages]
    assert "wrote" in capsys.readouterr().err


def test_import_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    src = tmp_path / "j.mmd"
    src.write_text(MERMAID, encoding="utf-8")
    out = tmp_path / "j.cjm.toml"
    out.write_text("keep me", encoding="utf-8")
    assert main(["import", str(src), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main(["import", str(src), "-o", str(out), "--force"]) == 0
    assert files.load_fast(out).title == "My working day"


def test_import_detects_by_content_and_from_forces(tmp_path: Path) -> None:
    m = rich_map()
    for name, text in (("a.txt", to_json(m)), ("b.txt", to_csv(m)), ("c.txt", MERMAID)):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8", newline="")
        assert main(["import", str(p), "-o", str(tmp_path / (name + ".cjm.toml"))]) == 0
    p = tmp_path / "d.data"
    p.write_text(MERMAID, encoding="utf-8")
    assert main(["import", str(p), "--from", "json", "-o", str(tmp_path / "d.cjm.toml")]) == 2
    assert not (tmp_path / "d.cjm.toml").exists()


def test_import_warns_on_clamped_scores(tmp_path: Path, capsys) -> None:
    p = tmp_path / "doc.md"
    p.write_text(MESSY, encoding="utf-8")
    assert main(["import", str(p), "-o", str(tmp_path / "o.cjm.toml")]) == 0
    err = capsys.readouterr().err
    assert f"{p}:16: warning" in err


@pytest.mark.parametrize(
    "name, text, line, words",
    [
        ("bad.mmd", "flowchart LR\n A-->B\n", 1, "journey"),
        ("bad.mmd", "journey\n section S\n  task without score\n", 3, "score"),
        ("bad.csv", "stage,lane,words\nA,actions,x\n", 1, "text"),
        ("bad.csv", "stage,lane,text,emotion\nA,actions,x,9\n", 2, "out of range"),
        ("bad.csv", "stage,lane,text\n,actions,orphan card\n", 2, "no stage"),
        ("bad.csv", "stage,lane,text\nA,actions,\"never closed\n", None, "CSV"),
        ("bad.json", '{"title": "x",\n "stages": []\n', 3, "not valid JSON"),
        ("bad.json", '[1, 2]\n', 1, "should be an object"),
        ("bad.json", '{"lanes": [], "stages": [\n  {"id": "a",\n   "cards": {"ghost": []}}]}\n', 3, "ghost"),
        ("bad.json", '{"lanes": [{"id": "actions"}],\n "stages": [{"id": "a", "cards": {"actions": [\n {"text": 5}]}}]}\n', 3, "string"),
        ("bad.json", '{"lanes": [], "stages": [{"id": "Bad Id"}]}', 1, "lowercase"),
    ],
)
def test_malformed_input_exit_2_nothing_written(name, text, line, words, tmp_path: Path, capsys) -> None:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.cjm.toml"
    assert main(["import", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"cjm: {src}:{line}:" if line else f"cjm: {src}"), err
    assert words in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]


def test_import_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["import", str(tmp_path / "none.mmd"), "-o", str(tmp_path / "o.cjm.toml")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.cjm.toml")) or [None])
def test_samples_round_trip_json(sample) -> None:
    if sample is None:
        pytest.skip("no samples yet")
    m = files.load_fast(sample)
    assert from_json(to_json(m))[0] == m
    back, _ = from_csv(to_csv(m))
    assert back.card_count() == m.card_count()
    assert tasks_of(to_mermaid(from_mermaid(to_mermaid(m))[0])) == tasks_of(to_mermaid(m))
