"""`cjm present`: a read-only walk through the stages for a standup.

One stage fills the screen: its name large, its emotion, its cards by lane, and
the emotion curve with this stage marked and the stages named under it. Space or arrows step; the map is
re-read when the file changes on disk, so a colleague's edit shows at once.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..formats.curve import render_curve
from ..model import EMOTION_WORDS, JourneyMap, emotion_number, emotion_symbol
from ..store.document import FileStamp
from ..store.errors import MapError
from ..store.files import load_fast
from .app import THEME_DEFAULTS
from .textfit import literal


def stage_view(m: JourneyMap, index: int, ascii_only: bool = False) -> Group:
    """The Rich renderable of one stage, as the presenter shows it."""
    stage = m.stages[index]
    score = stage.emotion
    head = Text()
    head.append(f" {index + 1}/{len(m.stages)} ", style="reverse")
    head.append("  ")
    head.append(literal(stage.name).upper(), style="bold")
    mood = Text()
    sym = emotion_symbol(score, ascii_only)
    mood.append(f"{sym} ", style="bold")
    mood.append("no emotion recorded" if score is None else f"{emotion_number(score)} {EMOTION_WORDS[score]}", style="bold" if score is not None else "dim italic")
    if stage.feeling:
        mood.append("  ·  " + literal(stage.feeling), style="italic")
    parts: list = [Padding(head, (1, 0, 0, 1)), Padding(mood, (0, 0, 1, 2))]
    for lane in m.lanes:
        if lane.hidden:
            continue
        cards = stage.peek(lane.id)
        if not cards:
            continue
        parts.append(Rule(literal(lane.name), align="left", style="dim"))
        # a card's wrapped lines hang under its text, not under the bullet
        cells = Table.grid(padding=0)
        cells.add_column(width=4, no_wrap=True)
        cells.add_column(ratio=1)
        for card in cards:
            line = Text(literal(card.text))
            if card.tags:
                line.append("  " + " ".join("#" + literal(t) for t in card.tags), style="dim")
            cells.add_row("  " + ("* " if ascii_only else "• "), line)
        parts.append(cells)
    if len(parts) == 2:
        parts.append(Text("  (no cards in this stage yet)", style="dim italic"))
    return Group(*parts)


class PresentApp(App):
    CSS = """
    #stage { height: auto; }
    #stage-scroll { height: 1fr; }
    #curve { height: 8; }
    #bar { height: 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS = [
        # priority: the scrolling view would otherwise take space, home and end itself
        Binding("right,l,space,enter,n", "step(1)", "next", id="present.next", priority=True),
        Binding("left,h,backspace,p", "step(-1)", "previous", id="present.prev", priority=True),
        Binding("down,j", "scroll(1)", "scroll down", id="present.down"),
        Binding("up,k", "scroll(-1)", "scroll up", id="present.up"),
        Binding("pagedown", "scroll(10)", "page down", show=False, id="present.pagedown"),
        Binding("pageup", "scroll(-10)", "page up", show=False, id="present.pageup"),
        Binding("home,g", "go(0)", "first", id="present.first", priority=True),
        Binding("end,G", "go(-1)", "last", id="present.last", priority=True),
        Binding("q,escape,ctrl+q", "quit", "quit", id="present.quit"),
    ]

    def __init__(self, path: Path, *, ascii_only: bool = False, start: int = 0) -> None:
        super().__init__()
        self.path = path
        self.journey = load_fast(path)
        self.stamp = FileStamp.of(path)
        self.index = max(0, min(start, len(self.journey.stages) - 1))
        self.ascii_only = ascii_only
        self.warning = ""

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **THEME_DEFAULTS}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stage-scroll"):
            yield Static(id="stage")
        yield Static(id="curve")
        yield Static(id="bar")

    def on_mount(self) -> None:
        self.draw()
        self.set_interval(1.0, self.check_file)

    def on_resize(self) -> None:
        # after the new size is laid out: the curve is drawn for the screen's width
        self.call_after_refresh(self.draw)

    def draw(self) -> None:
        m = self.journey
        stage = self.query_one("#stage", Static)
        if not m.stages:
            stage.update(Text("This map has no stages yet.", style="italic"))
        else:
            stage.update(stage_view(m, self.index, self.ascii_only))
        curve = self.query_one("#curve", Static)
        width = self.size.width
        text = None
        if m.stages and self.size.height >= 18:
            # 8 rows: the five scores, the x axis and under it the stage names (or
            # numbers when the names have no room), the current one in bold
            text = render_curve(
                [s.emotion for s in m.stages],
                width,
                8,
                current=self.index,
                ascii_only=self.ascii_only,
                labels=[literal(s.name).replace("\n", " ") for s in m.stages],
                colors=dict(self.theme_variables),
            )
        curve.display = text is not None
        if text is not None:
            curve.update(text)
        bar = Text(no_wrap=True, overflow="ellipsis")
        if self.warning:
            bar.append(" ✗ " + self.warning, style="bold red")  # first, so it is never cut off
        else:
            bar.append(f" {literal(m.title or self.path.name)} ", style="bold")
            bar.append(" ←/→ or space: stage · ↑/↓ scroll · q quit · read-only", style="dim")
        self.query_one("#bar", Static).update(bar)
        scroll = self.query_one("#stage-scroll")
        scroll.scroll_home(animate=False)
        self.call_after_refresh(lambda: scroll.scroll_home(animate=False))

    def action_step(self, delta: int) -> None:
        new = max(0, min(self.index + delta, len(self.journey.stages) - 1))
        if new != self.index:
            self.index = new
            self.draw()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#stage-scroll").scroll_relative(y=lines, animate=False)

    def action_go(self, where: int) -> None:
        self.index = 0 if where == 0 else max(0, len(self.journey.stages) - 1)
        self.draw()

    def check_file(self) -> None:
        """Reload when the file changed on disk; keep the last good map if it broke."""
        stamp = FileStamp.of(self.path)
        if stamp == self.stamp:
            return
        self.stamp = stamp
        try:
            m = load_fast(self.path)
        except MapError as exc:
            where = self.path.name + (f":{exc.line}" if exc.line else "")
            self.warning = f"{where}: {exc.message} (showing the last good version)"
            self.draw()
            return
        current_id = self.journey.stages[self.index].id if self.journey.stages else None
        self.journey = m
        self.warning = ""
        ids = m.stage_ids()
        self.index = ids.index(current_id) if current_id in ids else min(self.index, max(0, len(ids) - 1))
        self.draw()
        self.notify("The map changed on disk: reloaded", timeout=2)
