"""Formats: a map written out as markdown, html, csv, json, mermaid, svg or text,
and read back from mermaid, csv and json.

This package imports the model (and the store, for reading) but never the UI or
Textual. Importing it is cheap: each format is a module imported when used.
Rich is imported only by the terminal rendering (``text.render``) and ``svg``.
"""

from __future__ import annotations

import re

#: export format name -> (module, function taking a JourneyMap and returning text)
EXPORTERS: dict[str, tuple[str, str]] = {
    "markdown": ("markdown", "to_markdown"),
    "html": ("html", "to_html"),
    "csv": ("csv_io", "to_csv"),
    "json": ("json_io", "to_json"),
    "mermaid": ("mermaid", "to_mermaid"),
    "svg": ("svg", "to_svg"),
}

#: import format name -> (module, function taking text and a path, returning (map, warnings))
IMPORTERS: dict[str, tuple[str, str]] = {
    "mermaid": ("mermaid", "from_mermaid"),
    "csv": ("csv_io", "from_csv"),
    "json": ("json_io", "from_json"),
}

#: file suffix -> format, for export -o and import detection
SUFFIXES: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".svg": "svg",
}

# C0 and C1 control characters and DEL, except newline and tab
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape_control(m: re.Match[str]) -> str:
    ch = m.group(0)
    return "\\x%02x" % ord(ch)


def visible(text: str, *, tabs: bool = True) -> str:
    """*text* with control characters shown as ``\\x1b``-style escapes.

    Terminal escape sequences in card text must never reach a terminal (or a
    file someone will ``cat``) raw. Newlines are kept; tabs become spaces.
    """
    if tabs:
        text = text.replace("\t", "    ")
    return _CONTROL.sub(_escape_control, text)


def exporter(name: str):
    """The export function for format *name*."""
    import importlib

    module, func = EXPORTERS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)


def importer(name: str):
    """The import function for format *name*."""
    import importlib

    module, func = IMPORTERS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)
