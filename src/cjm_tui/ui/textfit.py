"""Making card text safe and fitting it into columns.

``literal`` turns any text into something that prints as itself: control
characters (escape sequences included) become visible symbols, so nothing a
card holds can style the screen or reach the terminal raw. Rich markup is
never parsed here: text goes to the screen as Segments, not markup.

``wrap`` word-wraps to a cell width, honouring wide characters; it is called
for every card when the layout changes, so it has a fast path for ASCII.

``formats.text`` has its own wrap for ``cjm show``: that one measures cells
without Rich (so a piped ``show`` never imports it) and folds runs of spaces;
this one must measure exactly as Textual draws (Rich's ``cell_len``) and keep
the card's spaces, or the grid's columns would drift.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.cells import cell_len

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "␡"
    if code in (0x2028, 0x2029):
        return "↵"
    # C1 controls and bidi overrides: show the code point
    return f"<U+{code:04X}>"


def literal(text: str) -> str:
    """*text* with every control character replaced by a visible stand-in.

    Newlines are kept (they break lines); tabs become spaces.
    """
    if text.isascii() and text.isprintable():
        return text
    text = text.replace("\t", "    ")
    return _CONTROL.sub(_visible, text)


@lru_cache(maxsize=65536)
def wrap(text: str, width: int) -> tuple[str, ...]:
    """Word-wrap *text* (already ``literal``) to *width* cells. Never returns no lines."""
    width = max(1, width)
    out: list[str] = []
    for para in text.split("\n"):
        if para.isascii():
            _wrap_ascii(para, width, out)
        else:
            _wrap_cells(para, width, out)
    return tuple(out) or ("",)


def _wrap_ascii(para: str, width: int, out: list[str]) -> None:
    if len(para) <= width:
        out.append(para)
        return
    line = ""
    for word in para.split(" "):
        while len(word) > width:
            if line:
                out.append(line)
                line = ""
            out.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            out.append(line)
            line = word
    out.append(line)


def _wrap_cells(para: str, width: int, out: list[str]) -> None:
    if cell_len(para) <= width:
        out.append(para)
        return
    line, line_w = "", 0
    for word in para.split(" "):
        w = cell_len(word)
        if w > width:
            # break a long word by cells
            if line:
                out.append(line)
                line, line_w = "", 0
            chunk, chunk_w = "", 0
            for ch in word:
                cw = cell_len(ch)
                if chunk_w + cw > width:
                    out.append(chunk)
                    chunk, chunk_w = "", 0
                chunk += ch
                chunk_w += cw
            line, line_w = chunk, chunk_w
            continue
        if not line:
            line, line_w = word, w
        elif line_w + 1 + w <= width:
            line += " " + word
            line_w += 1 + w
        else:
            out.append(line)
            line, line_w = word, w
    out.append(line)


def fit(text: str, width: int, ellipsis: str = "…") -> str:
    """*text* cut or padded to exactly *width* cells (an ellipsis marks a cut)."""
    if width <= 0:
        return ""
    if text.isascii():
        if len(text) <= width:
            return text + " " * (width - len(text))
        return text[: width - 1] + ellipsis
    n = cell_len(text)
    if n <= width:
        return text + " " * (width - n)
    out, used = "", 0
    for ch in text:
        cw = cell_len(ch)
        if used + cw > width - 1:
            break
        out += ch
        used += cw
    return out + ellipsis + " " * (width - 1 - used)
