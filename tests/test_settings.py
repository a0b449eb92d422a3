"""The user settings file: defaults, validation with warnings, and a write-back that
keeps the user's comments and keys cjm does not know."""

from __future__ import annotations

import tomllib

import pytest

from cjm_tui.ui.settings import DEFAULTS, Settings, SettingsError, config_dir, settings_path

USER_FILE = """\
# my cjm settings, written by hand
theme = "light"   # easier on the projector
autosave_delay = 2.5
ascii = false
future_option = "keep me"   # a key cjm does not know (yet)

[keys]
# I like emacs
undo = "ctrl+_"
delete_card = ["d d", "delete"]

[plugins.example]
enabled = true
"""


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def write(tmp_path, text):
    p = tmp_path / "settings.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_path_follows_xdg_config_home(tmp_path, monkeypatch):
    assert settings_path() == tmp_path / "config" / "cjm" / "settings.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config_dir() == tmp_path / "home" / ".config" / "cjm"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")  # ignored, as XDG says
    assert config_dir() == tmp_path / "home" / ".config" / "cjm"


def test_missing_file_gives_defaults_silently():
    s, warnings = Settings.load()
    assert warnings == []
    assert s.as_dict() == DEFAULTS
    assert s.autosave_delay == 1.0 and s.curve is True and s.ascii is False


def test_reads_values(tmp_path):
    s, warnings = Settings.load(write(tmp_path, USER_FILE))
    assert warnings == []
    assert s.theme == "light"
    assert s.autosave_delay == 2.5
    assert s.ascii is False and s.curve is True
    assert s.keys == {"undo": ["ctrl+_"], "delete_card": ["d d", "delete"]}


def test_round_trip_unchanged_is_byte_identical(tmp_path):
    p = write(tmp_path, USER_FILE)
    s, _ = Settings.load(p)
    s.save()
    assert p.read_text(encoding="utf-8") == USER_FILE


def test_round_trip_keeps_comments_and_unknown_keys(tmp_path):
    p = write(tmp_path, USER_FILE)
    s, _ = Settings.load(p)
    s.set("theme", "colour-blind")
    s.set("ascii", True)
    s.set("curve", False)
    s.set("autosave_delay", 0.5)
    s.set_keys("redo", "ctrl+y")
    s.set_keys("undo", ["u", "ctrl+z"])
    s.save()
    text = p.read_text(encoding="utf-8")
    for kept in (
        "# my cjm settings, written by hand",
        "# easier on the projector",
        'future_option = "keep me"   # a key cjm does not know (yet)',
        "# I like emacs",
        "[plugins.example]",
        'delete_card = ["d d", "delete"]',
    ):
        assert kept in text, text
    data = tomllib.loads(text)
    assert data["theme"] == "colour-blind"
    assert data["ascii"] is True and data["curve"] is False and data["autosave_delay"] == 0.5
    assert data["keys"]["redo"] == "ctrl+y"
    assert data["keys"]["undo"] == ["u", "ctrl+z"]
    assert data["plugins"]["example"]["enabled"] is True
    again, warnings = Settings.load(p)
    assert warnings == []
    assert again.as_dict() == s.as_dict()


def test_save_creates_the_folder_and_file():
    s, _ = Settings.load()
    s.set("theme", "light")
    s.save()
    assert tomllib.loads(settings_path().read_text(encoding="utf-8")) == {"theme": "light"}


def test_remove_a_remap(tmp_path):
    p = write(tmp_path, USER_FILE)
    s, _ = Settings.load(p)
    s.set_keys("undo", None)
    s.save()
    assert "undo" not in tomllib.loads(p.read_text(encoding="utf-8"))["keys"]
    assert "undo" not in s.keys


def test_set_keys_table_whole(tmp_path):
    p = write(tmp_path, USER_FILE)
    s, _ = Settings.load(p)
    s.set("keys", {"undo": "u", "quit": ["q", "ctrl+q"]})
    s.save()
    keys = tomllib.loads(p.read_text(encoding="utf-8"))["keys"]
    assert keys == {"undo": "u", "quit": ["q", "ctrl+q"]}
    assert "# I like emacs" in p.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "line,key,expect",
    [
        ('theme = 3', "theme", "'theme' must be a theme name"),
        ('autosave_delay = "soon"', "autosave_delay", "'autosave_delay' must be a number"),
        ("autosave_delay = -1", "autosave_delay", "between 0 and 60"),
        ("autosave_delay = nan", "autosave_delay", "between 0 and 60"),
        ('ascii = "yes"', "ascii", "'ascii' must be true or false"),
        ("curve = 1", "curve", "'curve' must be true or false"),
        ('keys = "ctrl+z"', "keys", "'keys' must be a table"),
    ],
)
def test_bad_value_warns_and_uses_default(tmp_path, line, key, expect):
    p = write(tmp_path, f"# mine\n{line}\n")
    s, warnings = Settings.load(p)
    assert len(warnings) == 1, warnings
    assert str(p) in warnings[0] and expect in warnings[0]
    assert getattr(s, key) == DEFAULTS[key]


def test_bad_value_does_not_spoil_the_good_ones(tmp_path):
    p = write(tmp_path, 'theme = "light"\nascii = "maybe"\n[keys]\nundo = "u"\nredo = []\nquit = [1]\n')
    s, warnings = Settings.load(p)
    assert s.theme == "light" and s.ascii is False
    assert s.keys == {"undo": ["u"]}
    assert len(warnings) == 3
    assert any("keys.redo" in w for w in warnings) and any("keys.quit" in w for w in warnings)


def test_integer_delay_is_a_float(tmp_path):
    s, warnings = Settings.load(write(tmp_path, "autosave_delay = 2\n"))
    assert warnings == [] and s.autosave_delay == 2.0 and isinstance(s.autosave_delay, float)


def test_broken_toml_warns_defaults_and_is_never_overwritten(tmp_path):
    text = 'theme = "light"\nthis is not toml\n'
    p = write(tmp_path, text)
    s, warnings = Settings.load(p)
    assert len(warnings) == 1 and str(p) in warnings[0] and "not valid TOML" in warnings[0]
    assert s.as_dict() == DEFAULTS
    s.set("theme", "dark")
    with pytest.raises(SettingsError):
        s.save()
    assert p.read_text(encoding="utf-8") == text


def test_unreadable_file_warns(tmp_path):
    p = tmp_path / "settings.toml"
    p.mkdir()  # a folder where the file should be
    s, warnings = Settings.load(p)
    assert len(warnings) == 1 and "cannot read" in warnings[0]
    assert s.as_dict() == DEFAULTS


@pytest.mark.parametrize(
    "name,value",
    [("theme", ""), ("ascii", "no"), ("curve", None), ("autosave_delay", True), ("autosave_delay", 999), ("nope", 1), ("keys", {"undo": ""})],
)
def test_set_validates(name, value):
    s, _ = Settings.load()
    with pytest.raises(SettingsError):
        s.set(name, value)
    assert s.as_dict() == DEFAULTS


def test_reading_settings_at_start_up_does_not_load_tomlkit(tmp_path):
    # the editor reads settings before its first frame; tomlkit is needed only to write back
    import subprocess
    import sys

    p = write(tmp_path, USER_FILE)
    code = (
        "import sys\nfrom cjm_tui.ui.settings import Settings\n"
        f"s, w = Settings.load({str(p)!r})\n"
        "print(s.theme, s.autosave_delay, 'tomlkit' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.split() == ["light", "2.5", "False"], r
    # and writing back still keeps the comments
    s, _ = Settings.load(p)
    s.set("theme", "dark")
    s.save()
    text = p.read_text(encoding="utf-8")
    assert "# easier on the projector" in text and 'theme = "dark"' in text


def test_a_file_only_tomlkit_reads_is_still_used_and_kept(tmp_path):
    # TOML 1.1 (a newline inside an inline table) is beyond tomllib
    text = '# mine\ntheme = "light"\nkeys = {\n  undo = "U",\n}\n'
    p = write(tmp_path, text)
    try:
        import tomllib as _t

        _t.loads(text)
        pytest.skip("this tomllib reads TOML 1.1")
    except _t.TOMLDecodeError:
        pass
    s, warnings = Settings.load(p)
    assert warnings == [] and s.theme == "light" and s.keys == {"undo": ["U"]}
    s.set("theme", "dark")
    s.save()
    assert "# mine" in p.read_text(encoding="utf-8")
