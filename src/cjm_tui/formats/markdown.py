"""A map as GitHub-flavoured Markdown: the lens and persona as a list, then a
table per band of stages (stages as columns, lanes as rows).

Card text is escaped so it stays inside its table cell and shows as typed:
pipes and backslashes are backslash-escaped, newlines become ``<br>``, HTML
is written as entities, and Markdown punctuation cannot start a heading, a
list, a link or emphasis.
"""

from __future__ import annotations

import re

from ..model.journey import KIND_LABELS, JourneyMap, emotion_label, emotion_number, emotion_symbol
from . import visible

#: stages per table: wider tables scroll sideways on GitHub, which is hard to read
STAGES_PER_TABLE = 5

_PUNCT = re.compile(r"([\\`*_\[\]|~])")
#: what would start a heading, list, quote or rule at the start of a line
_LEADING = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def _lead(line: str) -> str:
    line = line.strip()
    m = _LEADING.match(line)
    if not m:
        return line
    if m.group(2).isdigit():  # "1. x" would become a numbered list
        end = m.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def escape(text: str) -> str:
    """*text* safe inside a Markdown table cell or list item, shown as typed."""
    text = visible(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCT.sub(r"\\\1", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "<br>".join(_lead(line) for line in text.split("\n"))


def _emotion(score: int | None) -> str:
    if score is None:
        return ""
    return emotion_label(score)


def to_markdown(m: JourneyMap) -> str:
    out: list[str] = [f"# {escape(m.title or 'Untitled journey')}", ""]
    items: list[tuple[str, str]] = [("Kind", KIND_LABELS.get(m.kind, m.kind))]
    for label, value in (("Scenario", m.scenario), ("Business goal", m.goal), ("Timescale", m.timescale)):
        if value:
            items.append((label, value))
    out.extend(f"- **{label}:** {escape(value)}" for label, value in items)
    p = m.persona
    if not p.is_empty():
        out += ["", "## Persona", ""]
        for label, value in (("Name", p.name), ("Role", p.role), ("Quote", p.quote)):
            if value:
                out.append(f"- **{label}:** {escape(value)}")
        for label, values in (("Goals", p.goals), ("Frustrations", p.frustrations)):
            if values:
                out.append(f"- **{label}:**")
                out.extend(f"  - {escape(v)}" for v in values)
        for key, value in p.other.items():
            label = escape(key.replace("_", " ").capitalize())
            if isinstance(value, list):
                out.append(f"- **{label}:**")
                out.extend(f"  - {escape(v)}" for v in value)
            else:
                out.append(f"- **{label}:** {escape(value)}")
    if m.notes:
        out += ["", "## Notes", "", escape(m.notes)]
    out += ["", "## Journey"]
    lanes = [lane for lane in m.lanes if not lane.hidden]
    if not m.stages:
        out += ["", "_No stages yet._"]
    for start in range(0, len(m.stages), STAGES_PER_TABLE):
        band = m.stages[start : start + STAGES_PER_TABLE]
        out.append("")
        out.append("| Stage | " + " | ".join(f"**{escape(s.name)}**" for s in band) + " |")
        out.append("| --- | " + " | ".join("---" for _ in band) + " |")
        out.append("| Emotion | " + " | ".join(_emotion(s.emotion) for s in band) + " |")
        if any(s.feeling for s in band):
            out.append("| Feeling | " + " | ".join(f"_{escape(s.feeling)}_" if s.feeling else "" for s in band) + " |")
        for lane in lanes:
            cells = []
            for s in band:
                cards = []
                for card in s.peek(lane.id):
                    text = "• " + escape(card.text)
                    if card.emotion is not None:
                        text += f" ({emotion_symbol(card.emotion)} {emotion_number(card.emotion)})"
                    if card.tags:
                        text += " " + " ".join(f"`{t.replace('`', '')}`" for t in card.tags if t.replace("`", ""))
                    if card.source:
                        text += f" <sub>source: {escape(card.source)}</sub>"
                    cards.append(text)
                cells.append("<br>".join(cards))
            out.append(f"| **{escape(lane.name)}** | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
