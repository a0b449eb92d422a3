"""A map as one self-contained HTML page: inline CSS, an inline SVG emotion
curve, no scripts and no external assets. Everything from the map is escaped.

It prints well: tables of a few stages each, header rows repeated on every
page, cells kept whole across page breaks, and colours that survive greyscale.
"""

from __future__ import annotations

from html import escape as _escape

from ..model.journey import EMOTION_WORDS, KIND_LABELS, JourneyMap, Stage, emotion_label, emotion_number
from . import visible

STAGES_PER_TABLE = 6

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #c9cfda; --head: #eef1f6;
        --neg2: #b3261e; --neg1: #d9730d; --zero: #6b7280; --pos1: #2e8540; --pos2: #116329; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 2rem auto; max-width: 78rem; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid var(--line); }
dl.lens { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dl.lens dt { font-weight: 600; color: var(--muted); }
dl.lens dd { margin: 0; }
ul.persona-list { margin: .2rem 0; padding-left: 1.2rem; }
table.journey { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 1rem 0 1.5rem; }
table.journey th, table.journey td { border: 1px solid var(--line); padding: .4rem .5rem;
       vertical-align: top; text-align: left; overflow-wrap: anywhere; }
table.journey thead th { background: var(--head); }
table.journey th.lane { width: 9rem; background: var(--head); }
td ul { margin: 0; padding-left: 1.1rem; }
td li { margin: 0 0 .25rem; }
.tag { display: inline-block; font-size: .8em; padding: 0 .35em; border: 1px solid var(--line);
       border-radius: .3em; color: var(--muted); margin-left: .2em; }
.source { display: block; font-size: .8em; color: var(--muted); }
.feeling { display: block; font-style: italic; color: var(--muted); }
.e-2 { color: var(--neg2); font-weight: 700; } .e-1 { color: var(--neg1); }
.e0 { color: var(--zero); } .e1 { color: var(--pos1); } .e2 { color: var(--pos2); font-weight: 700; }
svg.curve { width: 100%; height: auto; max-height: 14rem; }
svg.curve text { font: 11px system-ui, sans-serif; fill: var(--muted); }
footer { color: var(--muted); font-size: .8rem; margin-top: 2rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  @page { size: A4 landscape; margin: 12mm; }
  table.journey { page-break-inside: auto; }
  table.journey thead { display: table-header-group; }
  table.journey tr, table.journey td, table.journey th { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  svg.curve { break-inside: avoid; page-break-inside: avoid; }
  footer { display: none; }
}
"""


def esc(text: str) -> str:
    """Escaped for HTML text or attributes, control characters made visible, newlines kept."""
    return _escape(visible(text), quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def _emotion(score: int | None) -> str:
    if score is None:
        return '<span class="e-none">not set</span>'
    return f'<span class="e{score}">{emotion_label(score)}</span>'


def curve_svg(stages: list[Stage], width: int = 960, height: int = 200) -> str:
    """An inline SVG of the stage emotions: a polyline with a gap where unset."""
    if not stages:
        return ""
    left, right, top, bottom = 90, 20, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / len(stages)

    def y(score: int) -> float:
        return top + (2 - score) / 4 * plot_h

    parts = [
        f'<svg class="curve" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="Emotion curve">'
    ]
    for score in range(2, -3, -1):
        yy = y(score)
        parts.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{width - right}" y2="{yy:.1f}" stroke="#e3e7ee"/>')
        parts.append(f'<text x="{left - 8}" y="{yy + 4:.1f}" text-anchor="end">{emotion_number(score)} {EMOTION_WORDS[score]}</text>')
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, s in enumerate(stages):
        x = left + step * (i + 0.5)
        if s.emotion is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            segment.append(f"{x:.1f},{y(s.emotion):.1f}")
        name = esc(s.name.split("\n")[0])
        if len(name) > 24:
            name = name[:23] + "…"
        parts.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{name}</text>')
    if segment:
        segments.append(segment)
    for seg in segments:
        parts.append(f'<polyline fill="none" stroke="#1d2330" stroke-width="2" points="{" ".join(seg)}"/>')
    for i, s in enumerate(stages):
        if s.emotion is not None:
            x = left + step * (i + 0.5)
            colour = {-2: "#b3261e", -1: "#d9730d", 0: "#6b7280", 1: "#2e8540", 2: "#116329"}[s.emotion]
            parts.append(f'<circle cx="{x:.1f}" cy="{y(s.emotion):.1f}" r="5" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)


def to_html(m: JourneyMap) -> str:
    title = m.title or "Untitled journey"
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
        '<dl class="lens">',
        f"<dt>Kind</dt><dd>{esc(KIND_LABELS.get(m.kind, m.kind))}</dd>",
    ]
    for label, value in (("Scenario", m.scenario), ("Business goal", m.goal), ("Timescale", m.timescale)):
        if value:
            out.append(f"<dt>{label}</dt><dd>{esc(value)}</dd>")
    out.append("</dl>")
    p = m.persona
    if not p.is_empty():
        out.append('<h2>Persona</h2><dl class="lens">')
        for label, value in (("Name", p.name), ("Role", p.role), ("Quote", p.quote)):
            if value:
                out.append(f"<dt>{label}</dt><dd>{esc(value)}</dd>")
        fields: list[tuple[str, str | list[str]]] = [("Goals", p.goals), ("Frustrations", p.frustrations)]
        fields += [(key.replace("_", " ").capitalize(), value) for key, value in p.other.items()]
        for label, value in fields:
            if not value:
                continue
            if isinstance(value, list):
                items = "".join(f"<li>{esc(v)}</li>" for v in value)
                out.append(f'<dt>{esc(label)}</dt><dd><ul class="persona-list">{items}</ul></dd>')
            else:
                out.append(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>")
        out.append("</dl>")
    if m.notes:
        out.append(f"<h2>Notes</h2><p>{esc(m.notes)}</p>")
    out.append("<h2>Journey</h2>")
    if any(s.emotion is not None for s in m.stages):
        out.append(curve_svg(m.stages))
    lanes = [lane for lane in m.lanes if not lane.hidden]
    if not m.stages:
        out.append("<p><em>No stages yet.</em></p>")
    for start in range(0, len(m.stages), STAGES_PER_TABLE):
        band = m.stages[start : start + STAGES_PER_TABLE]
        out.append('<table class="journey">')
        out.append("<thead><tr><th class=\"lane\" scope=\"col\">Stage</th>")
        out.extend(f'<th scope="col" id="stage-{esc(s.id)}">{esc(s.name)}</th>' for s in band)
        out.append("</tr></thead><tbody>")
        out.append('<tr><th class="lane" scope="row">Emotion</th>')
        for s in band:
            feeling = f'<span class="feeling">“{esc(s.feeling)}”</span>' if s.feeling else ""
            out.append(f"<td>{_emotion(s.emotion)}{feeling}</td>")
        out.append("</tr>")
        for lane in lanes:
            title_attr = f' title="{esc(lane.question)}"' if lane.question else ""
            out.append(f'<tr><th class="lane" scope="row"{title_attr}>{esc(lane.name)}</th>')
            for s in band:
                cards = s.peek(lane.id)
                if not cards:
                    out.append("<td></td>")
                    continue
                items = []
                for card in cards:
                    li = esc(card.text)
                    if card.emotion is not None:
                        li += f" {_emotion(card.emotion)}"
                    li += "".join(f'<span class="tag">{esc(t)}</span>' for t in card.tags)
                    if card.source:
                        li += f'<span class="source">source: {esc(card.source)}</span>'
                    items.append(f"<li>{li}</li>")
                out.append(f"<td><ul>{''.join(items)}</ul></td>")
            out.append("</tr>")
        out.append("</tbody></table>")
    out.append("<footer>Made with cjm.</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
