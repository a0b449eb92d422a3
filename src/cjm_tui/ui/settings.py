"""The user settings file: ``$XDG_CONFIG_HOME/cjm/settings.toml``
(``~/.config/cjm/settings.toml`` when ``XDG_CONFIG_HOME`` is unset or empty).

::

    theme = "dark"            # a theme name (see docs/themes.md)
    autosave_delay = 1.0      # seconds after the last keystroke before saving
    ascii = false             # true: no braille, box drawing or symbols outside ASCII
    curve = true              # show the emotion curve under the grid

    [keys]                    # remaps: action id = key, or a list of keys
    add_stage = "ctrl+n"
    delete_card = ["d d", "delete"]

Reading never fails: a missing file gives the defaults, a broken file or a bad value
gives a warning naming the file and the key, and the default for that key. Writing
(:meth:`Settings.save`) goes through tomlkit, so the user's comments, layout and keys
cjm does not know survive, and is atomic.

No Textual import here: the CLI may read settings without starting the UI.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cjm_tui.store.files import atomic_write

__all__ = ["Settings", "SettingsError", "config_dir", "settings_path", "DEFAULTS"]

#: the settings cjm knows, with their defaults
DEFAULTS: dict[str, Any] = {
    "theme": "dark",
    "keys": {},
    "autosave_delay": 1.0,
    "ascii": False,
    "curve": True,
}
#: autosave_delay must lie in this range (seconds)
AUTOSAVE_MIN, AUTOSAVE_MAX = 0.0, 60.0


class SettingsError(ValueError):
    """A value :meth:`Settings.set` refuses; the message says why."""


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """cjm's folder in the user's config dir: ``$XDG_CONFIG_HOME/cjm`` or
    ``~/.config/cjm`` (the XDG rule: an unset, empty or relative value is ignored)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "")
    if base and os.path.isabs(base):
        return Path(base) / "cjm"
    return Path.home() / ".config" / "cjm"


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    return config_dir(environ) / "settings.toml"


# --------------------------------------------------------------- validation


def _check(name: str, value: Any) -> Any:
    """The value as cjm uses it, or raise SettingsError saying what is wrong."""
    if name == "theme":
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"'theme' must be a theme name (text), not {value!r}")
        return value.strip()
    if name in ("ascii", "curve"):
        if not isinstance(value, bool):
            raise SettingsError(f"{name!r} must be true or false, not {value!r}")
        return value
    if name == "autosave_delay":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SettingsError(f"'autosave_delay' must be a number of seconds, not {value!r}")
        value = float(value)
        if not math.isfinite(value) or not AUTOSAVE_MIN <= value <= AUTOSAVE_MAX:
            raise SettingsError(f"'autosave_delay' must be between {AUTOSAVE_MIN:g} and {AUTOSAVE_MAX:g} seconds, not {value!r}")
        return value
    if name == "keys":
        if not isinstance(value, Mapping):
            raise SettingsError(f"'keys' must be a table of action id = key(s), not {value!r}")
        return {str(k): _check_keys(str(k), v) for k, v in value.items()}
    raise SettingsError(f"unknown setting {name!r} (known: {', '.join(DEFAULTS)})")


def _check_keys(action: str, value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not items:
        raise SettingsError(f"keys.{action} must be a key or a list of keys, not {value!r}")
    out = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise SettingsError(f"keys.{action} must be a key or a list of keys, not {value!r}")
        out.append(" ".join(item.split()))
    return out


def _plain(value: Any) -> Any:
    """tomlkit items as plain Python values."""
    return value.unwrap() if hasattr(value, "unwrap") else value


# ----------------------------------------------------------------- settings


@dataclass
class Settings:
    theme: str = DEFAULTS["theme"]
    #: action id -> keys (each a key or a space-separated sequence), as in keymap.KeyMap
    keys: dict[str, list[str]] = field(default_factory=dict)
    autosave_delay: float = DEFAULTS["autosave_delay"]
    ascii: bool = DEFAULTS["ascii"]
    curve: bool = DEFAULTS["curve"]
    #: the file this came from and goes back to
    path: Path = field(default_factory=settings_path)
    #: the file's tomlkit document (comments kept on save); parsed from _text on first
    #: need: start-up reads settings with tomllib (tomlkit's import alone is ~4 ms)
    _doc: Any = field(default=None, repr=False, compare=False)
    #: the file's text as read
    _text: str | None = field(default=None, repr=False, compare=False)
    #: False when the file could not be parsed: save() then refuses to overwrite it
    _writable: bool = field(default=True, repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None) -> tuple[Settings, list[str]]:
        """Settings from *path* (default :func:`settings_path`) and warnings.
        Never raises for a missing, unreadable or broken file."""
        p = Path(path) if path is not None else settings_path()
        settings = cls(path=p)
        warnings: list[str] = []
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            return settings, warnings
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            settings._writable = False
            return settings, [f"settings {p}: cannot read it ({reason}); using the defaults"]
        import tomllib

        try:
            doc = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            # tomlkit reads a little more (TOML 1.1: trailing commas, newlines in inline
            # tables); a file it reads is still the user's settings
            import tomlkit
            from tomlkit.exceptions import TOMLKitError

            try:
                settings._doc = tomlkit.parse(text)
            except (TOMLKitError, ValueError):
                settings._writable = False
                return settings, [f"settings {p}: not valid TOML ({exc}); using the defaults"]
            doc = settings._doc.unwrap()
        settings._text = text
        for name in DEFAULTS:
            if name not in doc:
                continue
            raw = doc[name]
            if name == "keys" and isinstance(raw, Mapping):
                # one bad remap costs only that remap
                value, bad = _valid_keys(raw)
                warnings.extend(f"settings {p}: {msg}; ignored" for msg in bad)
            else:
                try:
                    value = _check(name, raw)
                except SettingsError as exc:
                    warnings.append(f"settings {p}: {exc}; using {DEFAULTS[name]!r}")
                    continue
            setattr(settings, name, value)
        return settings, warnings

    def set(self, name: str, value: Any) -> None:
        """Change one setting (validated; raises :class:`SettingsError`). The file
        changes only on :meth:`save`."""
        value = _check(name, value)
        setattr(self, name, value)
        if name == "keys":
            self._set_keys_table(value)
        else:
            self._document()[name] = value

    def set_keys(self, action: str, keys: str | list[str] | None) -> None:
        """Remap one action (``None`` removes the remap, back to the default keys)."""
        table = self._keys_table()
        if keys is None:
            self.keys.pop(action, None)
            if action in table:
                del table[action]
            return
        value = _check_keys(action, keys)
        self.keys[action] = value
        table[action] = value[0] if len(value) == 1 else value

    def save(self) -> None:
        """Write the file back (atomically), keeping comments and unknown keys.
        Raises OSError when it cannot be written, SettingsError when the file on disk
        could not be parsed (it is never overwritten then)."""
        if not self._writable:
            raise SettingsError(f"settings {self.path}: not overwriting a file that could not be read")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        import tomlkit

        atomic_write(self.path, tomlkit.dumps(self._document()))

    def _document(self) -> Any:
        if self._doc is None:
            import tomlkit
            from tomlkit.exceptions import TOMLKitError

            try:
                self._doc = tomlkit.parse(self._text) if self._text is not None else tomlkit.document()
            except (TOMLKitError, ValueError) as exc:
                self._writable = False
                raise SettingsError(f"settings {self.path}: cannot keep its layout ({exc}); not changed") from exc
        return self._doc

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in DEFAULTS}

    # -- the [keys] table

    def _keys_table(self):
        import tomlkit

        doc = self._document()
        if "keys" not in doc or not isinstance(doc["keys"], Mapping):
            doc["keys"] = tomlkit.table()
        return doc["keys"]

    def _set_keys_table(self, keys: dict[str, list[str]]) -> None:
        table = self._keys_table()
        for action in [k for k in table if k not in keys]:
            del table[action]
        for action, value in keys.items():
            new = value[0] if len(value) == 1 else value
            if _plain(table.get(action)) != new:
                table[action] = new


def _valid_keys(raw: Mapping[str, Any]) -> tuple[dict[str, list[str]], list[str]]:
    """The good entries of a [keys] table and a message for each bad one."""
    good: dict[str, list[str]] = {}
    bad: list[str] = []
    for action, value in raw.items():
        try:
            good[str(action)] = _check_keys(str(action), value)
        except SettingsError as exc:
            bad.append(str(exc))
    return good, bad
