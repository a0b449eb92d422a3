"""Bad input: one clear message naming the file and the line, never a traceback, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from cjm_tui.store import codec, files
from cjm_tui.store.errors import FormatVersionError, MapError, locate

NAME = "joan.cjm.toml"

GOOD = textwrap.dedent(
    """\
    # a map
    format = 1
    title = "Joan"

    [persona]
    name = "Joan"
    goals = [
        "Buy quickly",
    ]

    [[lanes]]
    id = "actions"
    name = "Actions"

    [[lanes]]
    id = "pain_points"
    name = "Pain points"

    [[stages]]
    id = "search"
    name = "Search"
    emotion = 1
    actions = [
        "Searches online",
        # a comment line is not a card
        "Clicks an ad",
    ]

    [[stages]]
    id = "buy"
    name = "Buy"
    actions = [
        "Pays",
    ]
    """
)


def line_of(text: str, needle: str, nth: int = 0) -> int:
    lines = [i + 1 for i, line in enumerate(text.split("\n")) if needle in line]
    return lines[nth]


def bad(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, count)


def both_parsers(text: str) -> list[MapError]:
    """The editor's parser (tomlkit) and the printing commands' parser (tomllib) agree."""
    out = []
    for parse in (lambda t: codec.parse(t, NAME), lambda t: files.loads_fast(t, NAME)):
        with pytest.raises(MapError) as info:
            parse(text)
        out.append(info.value)
    return out


def test_good_file_loads():
    m, _ = codec.parse(GOOD, NAME)
    assert files.loads_fast(GOOD, NAME) == m


# (name, text, expected line (or a needle to find it), words the message must hold)
SCHEMA_CASES = [
    ("title a number", bad('title = "Joan"', "title = 3"), 'title = 3', ["title", "text", "whole number"]),
    ("emotion too high", bad("emotion = 1", "emotion = 7"), "emotion = 7", ["stages[0].emotion", "7", "out of range"]),
    ("emotion too low", bad("emotion = 1", "emotion = -3"), "emotion = -3", ["-3", "out of range"]),
    ("emotion text", bad("emotion = 1", 'emotion = "happy"'), "emotion = ", ["emotion", "whole number"]),
    ("emotion float", bad("emotion = 1", "emotion = 1.5"), "emotion = 1.5", ["emotion", "whole number"]),
    ("duplicate stage", bad('id = "buy"', 'id = "search"'), ('id = "search"', 1), ["duplicate stage id 'search'", "stages[0]"]),
    ("duplicate lane", bad('id = "pain_points"', 'id = "actions"'), ('id = "actions"', 1), ["duplicate lane id 'actions'"]),
    ("undeclared lane", bad('actions = [\n    "Pays"', 'feelings = [\n    "Pays"'), "feelings = [", ["'feelings'", "not declared", "[[lanes]]"]),
    ("card a number", bad('"Clicks an ad",', "42,"), "42,", ["stages[0].actions[1]", "card"]),
    ("card emotion", bad('"Clicks an ad",', '{ text = "Clicks", emotion = 9 },'), "emotion = 9 }", ["emotion 9", "out of range"]),
    ("goal a number", bad('"Buy quickly",', "7,"), "7,", ["persona.goals[0]", "text"]),
    ("persona not a table", bad("[persona]\nname = \"Joan\"\ngoals = [\n    \"Buy quickly\",\n]\n", ""). replace('title = "Joan"', 'title = "Joan"\npersona = "Joan"'), "persona = ", ["persona", "table"]),
    ("bad stage id", bad('id = "buy"', 'id = "Buy It"'), 'id = "Buy It"', ["'Buy It'", "lowercase"]),
    ("missing stage id", bad('id = "buy"\n', ""), ("[[stages]]", 1), ["stages[1]", "missing `id`"]),
    ("unknown kind", bad('title = "Joan"', 'title = "Joan"\nkind = "someday"'), "kind = ", ["unknown kind 'someday'"]),
    ("stages not an array of tables", GOOD.split("[[stages]]")[0] + '[stages]\nid = "x"\n', "[stages]", ["stages", "[[stages]]"]),
]


@pytest.mark.parametrize("name,text,where,words", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_schema_errors_name_file_line_and_what(name, text, where, words):
    needle, nth = where if isinstance(where, tuple) else (where, 0)
    expected = line_of(text, needle, nth)
    for err in both_parsers(text):
        msg = str(err)
        assert msg.startswith(f"{NAME}:{expected}: "), msg
        for w in words:
            assert w in msg, msg
        assert "\n" not in msg and "Traceback" not in msg


def test_newer_format_is_a_clear_error():
    text = bad("format = 1", "format = 2")
    for err in both_parsers(text):
        assert isinstance(err, FormatVersionError)
        assert str(err).startswith(f"{NAME}:2: ")
        assert "format 2" in str(err) and "upgrade" in str(err)


MALFORMED = [
    ("unclosed string", bad('title = "Joan"', 'title = "Joan'), 3),
    ("missing value", bad('name = "Search"', "name = "), line_of(GOOD, 'name = "Search"')),
    ("unclosed array", bad('    "Pays",\n]', '    "Pays",\n'), None),
    ("key twice", bad('title = "Joan"', 'title = "Joan"\ntitle = "Eva"'), 4),
    ("bad header", bad("[persona]", "[persona"), 5),
]


@pytest.mark.parametrize("name,text,line", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_toml_names_line_and_column(name, text, line):
    errs = both_parsers(text)
    for err in errs:
        msg = str(err)
        assert msg.startswith(f"{NAME}:"), msg
        assert "not valid TOML" in msg
        assert err.line is not None and err.column is not None and err.column >= 1, msg
        if line is not None:
            assert err.line == line, msg
        assert "\n" not in msg and "Traceback" not in msg


def test_tomlkit_and_tomllib_agree_on_the_column():
    for text in (bad('title = "Joan"', 'title = "Joan'), bad('name = "Search"', "name = ")):
        a, b = both_parsers(text)
        assert (a.line, a.column) == (b.line, b.column), (str(a), str(b))


def test_line_numbers_ignore_unicode_line_separators():
    """A raw U+2028 or U+0085 inside a string is not a line break in TOML (or git)."""
    text = bad("emotion = 1", "emotion = 9").replace('title = "Joan"', 'title = "Joan\u2028 and\x85 Eva"')
    expected = line_of(text, "emotion = 9")
    for err in both_parsers(text):
        assert err.line == expected, str(err)


def test_locate_finds_places():
    assert locate(GOOD, ("title",)) == 3
    assert locate(GOOD, ("persona", "goals", 0)) == line_of(GOOD, '"Buy quickly"')
    assert locate(GOOD, ("lanes", 1, "id")) == line_of(GOOD, 'id = "pain_points"')
    assert locate(GOOD, ("stages", 0, "actions", 1)) == line_of(GOOD, '"Clicks an ad"')
    assert locate(GOOD, ("stages", 1)) == line_of(GOOD, "[[stages]]", 1)
    assert locate(GOOD, ("stages", 1, "actions", 0)) == line_of(GOOD, '"Pays"')


# -- files that cannot be read ----------------------------------------------------------


def read_error(path) -> str:
    with pytest.raises(MapError) as info:
        files.read_text(path)
    with pytest.raises(MapError):
        files.load_fast(path)
    msg = str(info.value)
    assert msg.startswith(str(path)) and "\n" not in msg
    return msg


def test_missing_file(tmp_path):
    assert "no such file" in read_error(tmp_path / "nope.cjm.toml")


def test_directory(tmp_path):
    d = tmp_path / "maps.cjm.toml"
    d.mkdir()
    assert "folder" in read_error(d)


def test_not_utf8_names_line_and_column(tmp_path):
    p = tmp_path / NAME
    p.write_bytes(b'format = 1\ntitle = "Jo\xe9n"\n')
    msg = read_error(p)
    assert msg.startswith(f"{p}:2:12: ") and "UTF-8" in msg and "0xe9" in msg


def test_utf8_bom_is_accepted(tmp_path):
    p = tmp_path / NAME
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert files.load_fast(p).title == "Joan"


def test_unreadable_file_maps_permission_error(tmp_path, monkeypatch):
    """As root chmod 000 stays readable, so the OS refusal is simulated here ..."""
    p = tmp_path / NAME
    p.write_text(GOOD)

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(p), "read_bytes", refuse)
    assert "permission denied" in read_error(p)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to drop to another user")
def test_unreadable_file_for_real_as_another_user(tmp_path_factory):
    """... and checked for real by reading it as user nobody in a child process."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="cjm-perm-")
    try:
        os.chmod(folder, 0o755)
        p = os.path.join(folder, NAME)
        with open(p, "w") as fh:
            fh.write(GOOD)
        os.chmod(p, 0o000)
        code = "import sys\nfrom cjm_tui.store import files, errors\ntry:\n files.read_text(sys.argv[1])\nexcept errors.MapError as e:\n print(e)\n"
        try:
            r = subprocess.run([sys.executable, "-c", code, p], capture_output=True, text=True, user=65534, timeout=30)
        except PermissionError:
            pytest.skip("user nobody cannot run this virtualenv's python (it lives in a private folder)")
        if "No module named" in r.stderr or "Permission denied: '/" in r.stderr:
            pytest.skip("user nobody cannot import cjm_tui from here")
        assert r.stdout.strip() == f"{p}: permission denied: cannot read this file", r.stderr
    finally:
        os.chmod(p, 0o600)
        os.unlink(p)
        os.rmdir(folder)


# -- the command line ---------------------------------------------------------------------

CLI_CASES = [
    ("emotion", bad("emotion = 1", "emotion = 7"), "emotion = 7", "out of range"),
    ("malformed", bad('title = "Joan"', 'title = "Joan'), 'title = "Joan', "not valid TOML"),
    ("newer", bad("format = 1", "format = 3"), "format = 3", "upgrade"),
]


@pytest.mark.parametrize("command", ["check", "show"])
@pytest.mark.parametrize("name,text,needle,words", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_cli_bad_map_exit_2_one_line(tmp_path, command, name, text, needle, words):
    p = tmp_path / NAME
    p.write_text(text, encoding="utf-8")
    before = p.read_bytes()
    r = subprocess.run([sys.executable, "-m", "cjm_tui", command, str(p)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    assert f"{p}:{line_of(text, needle)}" in r.stderr, r.stderr
    assert words in r.stderr
    assert p.read_bytes() == before  # never a write


@pytest.mark.parametrize("make", ["missing", "folder", "latin1"])
def test_cli_unreadable_exit_2(tmp_path, make):
    p = tmp_path / NAME
    if make == "folder":
        p.mkdir()
    elif make == "latin1":
        p.write_bytes(b'title = "Jo\xe9n"\n')
    r = subprocess.run([sys.executable, "-m", "cjm_tui", "show", str(p)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert str(p) in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
