"""Themes: TOML files loaded as Textual themes, with cjm's own colours as variables.

Shipped themes live in ``themes/`` (:func:`cjm_tui.resources.data_dir`); a user's in
``$XDG_CONFIG_HOME/cjm/themes`` (``~/.config/cjm/themes``). A user theme with the name
of a shipped one replaces it. The file format is described in ``docs/themes.md`` and
at the top of every shipped theme file.

A broken file (bad TOML, a required colour missing, a value that is not a colour)
gives one warning naming the file and the fault and is skipped; loading never raises.
If even the shipped ``dark`` theme is unusable, a copy built into this module stands
in, so there is always a ``dark`` to fall back to.

Typical use, before the App is made (Textual's App removes ``NO_COLOR`` from the
environment when it starts)::

    themes, warnings = load_themes()
    name, more = resolve_theme(requested, themes)   # NO_COLOR -> "monochrome"
    ...
    register_themes(app, themes); app.theme = name
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from cjm_tui.resources import data_dir
from cjm_tui.ui.settings import config_dir

__all__ = [
    "THEME_VARIABLES",
    "DEFAULT_THEME",
    "MONOCHROME_THEME",
    "ThemeFileError",
    "variable_defaults",
    "user_theme_dir",
    "load_theme_file",
    "load_themes",
    "resolve_theme",
    "no_color_requested",
    "register_themes",
]

DEFAULT_THEME = "dark"
MONOCHROME_THEME = "monochrome"

#: cjm's own theme variables (use them in .tcss as ``$emotion-neg2`` etc.)
THEME_VARIABLES: tuple[str, ...] = (
    "emotion-neg2",
    "emotion-neg1",
    "emotion-0",
    "emotion-pos1",
    "emotion-pos2",
    "pain",
    "opportunity",
    "curve-line",
    "curve-axis",
    "curve-current",
    "cell-cursor",
    "card-cursor",
    "card-cursor-text",
    "question",
    "rule",
)

#: the variable for each emotion score
EMOTION_VARIABLES: dict[int, str] = {
    -2: "emotion-neg2",
    -1: "emotion-neg1",
    0: "emotion-0",
    1: "emotion-pos1",
    2: "emotion-pos2",
}

_REQUIRED = ("primary", "foreground", "background")
_OPTIONAL = ("secondary", "warning", "error", "success", "accent", "surface", "panel", "boost")
_KNOWN = {"name", "dark", "variables", "luminosity_spread", "text_alpha", "description", "author", *_REQUIRED, *_OPTIONAL}

# Stand-ins for variables a user theme leaves out, and the last-resort dark theme.
# Kept equal to themes/dark.toml and themes/light.toml (a test checks).
_DARK_VARIABLES = {
    "emotion-neg2": "#FF5F5F",
    "emotion-neg1": "#FF9F5F",
    "emotion-0": "#BCBCBC",
    "emotion-pos1": "#A8E06C",
    "emotion-pos2": "#5FD75F",
    "pain": "#FF6B6B",
    "opportunity": "#5FAFFF",
    "curve-line": "#8A8FA0",
    "curve-axis": "#6C7080",
    "curve-current": "#FFD75F",
    "cell-cursor": "#2D3A4F",
    "card-cursor": "#3D5A80",
    "card-cursor-text": "#FFFFFF",
    "question": "#6C7080",
    "rule": "#4A4B4F",
}
_LIGHT_VARIABLES = {
    "emotion-neg2": "#C62828",
    "emotion-neg1": "#D84315",
    "emotion-0": "#616161",
    "emotion-pos1": "#558B2F",
    "emotion-pos2": "#2E7D32",
    "pain": "#C62828",
    "opportunity": "#0B62C4",
    "curve-line": "#757575",
    "curve-axis": "#9E9E9E",
    "curve-current": "#B35900",
    "cell-cursor": "#DCE8F7",
    "card-cursor": "#B7D3F2",
    "card-cursor-text": "#1E1E1E",
    "question": "#9E9E9E",
    "rule": "#C3C3C3",
}
FALLBACK_DARK = Theme(
    name=DEFAULT_THEME,
    primary="#4DA3FF",
    secondary="#7C8CFF",
    accent="#FFB454",
    warning="#FFB454",
    error="#FF6B6B",
    success="#5FD787",
    foreground="#E6E6E6",
    background="#16181D",
    surface="#1F2229",
    panel="#2A2E37",
    dark=True,
    variables=dict(_DARK_VARIABLES),
)


class ThemeFileError(ValueError):
    """A theme file that cannot be used; the message names the file and the fault."""


def variable_defaults(dark: bool = True) -> dict[str, str]:
    """cjm's variables from the shipped dark (or light) palette: what an App's
    ``get_theme_variable_defaults`` should return so that .tcss using ``$emotion-0``
    etc. parses under any theme, Textual's built-in ones included."""
    return dict(_DARK_VARIABLES if dark else _LIGHT_VARIABLES)


def user_theme_dir() -> Path:
    """``$XDG_CONFIG_HOME/cjm/themes`` or ``~/.config/cjm/themes`` (may not exist)."""
    return config_dir() / "themes"


def _is_colour(value: Any) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        Color.parse(value.strip())
    except (ColorParseError, ValueError):
        return False
    return True


def _describe(path: Path) -> str:
    return str(path)


def load_theme_file(path: str | Path) -> Theme:
    """A Theme from one TOML file; raises :class:`ThemeFileError` naming the file."""
    p = Path(path)
    where = _describe(p)
    try:
        with open(p, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ThemeFileError(f"theme {where}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ThemeFileError(f"theme {where}: cannot read it: {exc.strerror or exc}") from None

    name = data.get("name", p.stem)
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError(f"theme {where}: 'name' must be a non-empty string")
    name = name.strip()
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeFileError(f"theme {where}: 'dark' must be true or false, not {dark!r}")

    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        which = ", ".join(repr(k) for k in missing)
        raise ThemeFileError(f"theme {where}: missing colour{'s' if len(missing) > 1 else ''} {which}")
    colours: dict[str, str] = {}
    for key in (*_REQUIRED, *_OPTIONAL):
        if key in data:
            value = data[key]
            if not _is_colour(value):
                raise ThemeFileError(f"theme {where}: {key!r} is not a colour: {value!r}")
            colours[key] = value.strip()

    extras: dict[str, float] = {}
    for key in ("luminosity_spread", "text_alpha"):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ThemeFileError(f"theme {where}: {key!r} must be a number, not {value!r}")
            extras[key] = float(value)

    table = data.get("variables", {})
    if not isinstance(table, dict):
        raise ThemeFileError(f"theme {where}: [variables] must be a table")
    variables = dict(_DARK_VARIABLES if dark else _LIGHT_VARIABLES)
    for key, value in table.items():
        if not isinstance(value, str):
            raise ThemeFileError(f"theme {where}: variable {key!r} must be a string, not {value!r}")
        if key in THEME_VARIABLES and not _is_colour(value):
            raise ThemeFileError(f"theme {where}: variable {key!r} is not a colour: {value!r}")
        variables[key] = value.strip()

    unknown = sorted(k for k in data if k not in _KNOWN)
    if unknown:
        which = ", ".join(repr(k) for k in unknown)
        raise ThemeFileError(f"theme {where}: unknown key{'s' if len(unknown) > 1 else ''} {which}")

    theme = Theme(name=name, dark=dark, variables=variables, **colours, **extras)
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # Textual's own checks: report, never crash
        raise ThemeFileError(f"theme {where}: Textual cannot use it: {exc}") from None
    return theme


def _scan(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError:
        return []


def load_themes(
    extra_dirs: Iterable[str | Path] = (), *, include_user: bool = True
) -> tuple[dict[str, Theme], list[str]]:
    """Every theme: the shipped folder, then the user folder, then *extra_dirs*
    (later folders win on a name clash). Returns (name → Theme, warnings), one warning
    per file skipped. ``dark`` is always present."""
    folders = [data_dir("themes")]
    if include_user:
        folders.append(user_theme_dir())
    folders.extend(Path(d) for d in extra_dirs)
    themes: dict[str, Theme] = {}
    warnings: list[str] = []
    for folder in folders:
        for path in _scan(folder):
            try:
                theme = load_theme_file(path)
            except ThemeFileError as exc:
                warnings.append(f"{exc}; skipped")
                continue
            themes[theme.name] = theme
    themes.setdefault(DEFAULT_THEME, FALLBACK_DARK)
    return themes, warnings


def quick_theme(name: str | None) -> dict[str, Theme]:
    """Just the theme called *name*, loaded from its own file (the user's folder first,
    then the shipped one), so start-up reads one file; {} when it is not found that way
    (the caller then loads everything and reports)."""
    if not name:
        return {}
    for folder in (user_theme_dir(), data_dir("themes")):
        path = folder / f"{name}.toml"
        if path.is_file():
            try:
                theme = load_theme_file(path)
            except ThemeFileError:
                return {}
            return {theme.name: theme} if theme.name == name else {}
    return {}


def no_color_requested(environ: Mapping[str, str] | None = None) -> bool:
    """True when ``NO_COLOR`` is set to a non-empty value (https://no-color.org).
    Read it before the App is made: Textual's App removes it from ``os.environ``."""
    env = os.environ if environ is None else environ
    return bool(env.get("NO_COLOR", ""))


def resolve_theme(
    requested: str | None,
    themes: Mapping[str, Theme],
    *,
    no_color: bool | None = None,
) -> tuple[str, list[str]]:
    """The theme to use and any warnings. ``NO_COLOR`` (or ``no_color=True``) forces
    monochrome; an unknown name falls back to dark with a warning naming the choices."""
    if no_color is None:
        no_color = no_color_requested()
    if no_color:
        return (MONOCHROME_THEME if MONOCHROME_THEME in themes else DEFAULT_THEME), []
    if not requested:
        return DEFAULT_THEME, []
    if requested in themes:
        return requested, []
    names = ", ".join(sorted(themes))
    return DEFAULT_THEME, [f"no theme named {requested!r}; using {DEFAULT_THEME!r} (themes: {names})"]


def register_themes(app: Any, themes: Mapping[str, Theme]) -> None:
    """Register every theme with a Textual App (then set ``app.theme = name``)."""
    for theme in themes.values():
        app.register_theme(theme)
