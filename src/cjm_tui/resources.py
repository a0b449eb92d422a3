"""Where the shipped themes and samples are: inside the installed package
(``cjm_tui/_data/...``, put there by the wheel build) or, in a source checkout
or editable install, at the repository root."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder of shipped *name* ("themes" or "samples")."""
    packaged = _HERE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _HERE.parent.parent / name


def samples() -> list[Path]:
    return sorted(data_dir("samples").glob("*.cjm.toml"))
