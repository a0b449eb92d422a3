"""Theme files: every shipped theme loads, broken files warn once and are skipped,
NO_COLOR forces monochrome, and the user folder is found through XDG_CONFIG_HOME."""

from __future__ import annotations

import tomllib

import pytest
from textual.app import App
from textual.color import Color
from textual.theme import Theme

from cjm_tui.resources import data_dir
from cjm_tui.ui import themes as th
from cjm_tui.ui.themes import (
    DEFAULT_THEME,
    THEME_VARIABLES,
    ThemeFileError,
    load_theme_file,
    load_themes,
    no_color_requested,
    register_themes,
    resolve_theme,
    user_theme_dir,
    variable_defaults,
)

SHIPPED = sorted(data_dir("themes").glob("*.toml"))
REQUIRED_THEMES = {"dark", "light", "high-contrast", "colour-blind", "monochrome"}

GOOD = """\
name = "{name}"
primary = "#112233"
foreground = "#eeeeee"
background = "#000000"
"""


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """Every test sees an empty user config folder and no NO_COLOR."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_required_themes_are_shipped():
    themes, warnings = load_themes()
    assert warnings == []
    assert REQUIRED_THEMES <= set(themes)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_theme_loads_with_every_variable(path):
    theme = load_theme_file(path)
    assert isinstance(theme, Theme)
    assert theme.name == path.stem
    # defined in the file itself, not filled in from the fallback
    with open(path, "rb") as fh:
        table = tomllib.load(fh)["variables"]
    assert set(THEME_VARIABLES) <= set(table), set(THEME_VARIABLES) - set(table)
    for name in THEME_VARIABLES:
        Color.parse(theme.variables[name])
    # Textual can turn it into CSS variables, ours included
    css = {**theme.to_color_system().generate(), **theme.variables}  # as App.get_css_variables
    for name in THEME_VARIABLES:
        assert css[name] == theme.variables[name]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_theme_documents_its_format(path):
    head = path.read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("# cjm theme")


def test_fallback_palettes_match_the_shipped_files():
    assert load_theme_file(data_dir("themes") / "dark.toml").variables == th._DARK_VARIABLES
    assert load_theme_file(data_dir("themes") / "light.toml").variables == th._LIGHT_VARIABLES


def test_monochrome_has_no_hue():
    theme = load_theme_file(data_dir("themes") / "monochrome.toml")
    for value in [theme.primary, theme.foreground, theme.background, *theme.variables.values()]:
        c = Color.parse(value)
        assert c.r == c.g == c.b, value


def test_colour_blind_emotions_are_distinct_okabe_ito():
    theme = load_theme_file(data_dir("themes") / "colour-blind.toml")
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    emotions = [theme.variables[f"emotion-{s}"] for s in ("neg2", "neg1", "pos1", "pos2")]
    assert len(set(emotions)) == 4
    assert set(emotions) <= okabe_ito


@pytest.mark.parametrize(
    "content,fault",
    [
        ('name = "x"\nprimary = "#123456"\nforeground = [oops\n', "not valid TOML"),
        ('primary = "#123456"\nforeground = "#ffffff"\n', "missing colour 'background'"),
        ('primary = "#123456"\nforeground = "#ffffff"\nbackground = "blue-ish"\n', "'background' is not a colour"),
        (GOOD.format(name="x") + '[variables]\nemotion-neg2 = "nope"\n', "'emotion-neg2' is not a colour"),
        (GOOD.format(name="x") + "dark = 3\n", "'dark' must be true or false"),
        (GOOD.format(name="x") + 'backgroud = "#000"\n', "unknown key 'backgroud'"),
        ('name = ""\n' + GOOD.split("\n", 1)[1], "'name' must be a non-empty string"),
    ],
)
def test_broken_theme_one_warning_naming_file_others_still_load(tmp_path, content, fault):
    folder = user_theme_dir()
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text(content, encoding="utf-8")
    (folder / "mine.toml").write_text(GOOD.format(name="mine"), encoding="utf-8")
    themes, warnings = load_themes()
    assert len(warnings) == 1, warnings
    assert str(folder / "broken.toml") in warnings[0]
    assert fault in warnings[0]
    assert "mine" in themes and REQUIRED_THEMES <= set(themes)
    with pytest.raises(ThemeFileError):
        load_theme_file(folder / "broken.toml")


def test_user_folder_found_through_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    folder = tmp_path / "elsewhere" / "cjm" / "themes"
    assert user_theme_dir() == folder
    folder.mkdir(parents=True)
    (folder / "sunset.toml").write_text(GOOD.format(name="sunset") + "dark = false\n", encoding="utf-8")
    themes, warnings = load_themes()
    assert warnings == []
    sunset = themes["sunset"]
    assert sunset.dark is False
    # left-out cjm variables come from the light palette
    assert sunset.variables["emotion-neg2"] == th._LIGHT_VARIABLES["emotion-neg2"]


def test_without_xdg_config_home_uses_dot_config(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_theme_dir() == tmp_path / ".config" / "cjm" / "themes"


def test_user_theme_replaces_shipped_one_of_the_same_name():
    folder = user_theme_dir()
    folder.mkdir(parents=True)
    (folder / "my-dark.toml").write_text(GOOD.format(name="dark"), encoding="utf-8")
    themes, _ = load_themes()
    assert themes["dark"].primary == "#112233"


def test_extra_dirs_scanned(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "x.toml").write_text(GOOD.format(name="extra-one"), encoding="utf-8")
    themes, _ = load_themes([extra])
    assert "extra-one" in themes


def test_dark_always_present_even_if_its_file_breaks(tmp_path, monkeypatch):
    broken = tmp_path / "shipped"
    broken.mkdir()
    (broken / "dark.toml").write_text("not toml at all [", encoding="utf-8")
    monkeypatch.setattr(th, "data_dir", lambda name: broken)
    themes, warnings = load_themes()
    assert len(warnings) == 1 and "dark.toml" in warnings[0]
    assert themes[DEFAULT_THEME] is th.FALLBACK_DARK


def test_unknown_theme_falls_back_to_dark_with_warning():
    themes, _ = load_themes()
    name, warnings = resolve_theme("solarised", themes, no_color=False)
    assert name == "dark"
    assert len(warnings) == 1 and "solarised" in warnings[0]
    assert resolve_theme("light", themes, no_color=False) == ("light", [])
    assert resolve_theme(None, themes, no_color=False) == ("dark", [])


def test_no_color_forces_monochrome(monkeypatch):
    themes, _ = load_themes()
    monkeypatch.setenv("NO_COLOR", "1")
    assert no_color_requested()
    assert resolve_theme("light", themes) == ("monochrome", [])
    monkeypatch.setenv("NO_COLOR", "")
    assert not no_color_requested()
    assert resolve_theme("light", themes) == ("light", [])
    assert resolve_theme("light", themes, no_color=True)[0] == "monochrome"


async def test_every_theme_applies_in_a_textual_app():
    themes, _ = load_themes()

    class Probe(App):
        CSS = "Screen { background: $emotion-neg2; color: $curve-current; }"

        def get_theme_variable_defaults(self):
            return variable_defaults()

    app = Probe()
    async with app.run_test() as pilot:
        register_themes(app, themes)
        for name, theme in themes.items():
            app.theme = name
            await pilot.pause()
            assert app.theme_variables["emotion-neg2"] == theme.variables["emotion-neg2"]
            assert app.screen.styles.background == Color.parse(theme.variables["emotion-neg2"])
