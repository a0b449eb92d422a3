"""The cjm editor: a Textual app over one map file."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import sys
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.geometry import Region
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget

from ..model import (
    KIND_LABELS,
    History,
    JourneyMap,
)
from ..model.ops import Op, OpError, SetStageField
from ..store.document import MapDocument
from .actions_cards import CardActions
from .actions_structure import StructureActions
from .autosave import AutoSaver
from .curve_panel import CurvePanel, panel_height
from .find_prompt import FindPromptActions
from .grid import JourneyGrid
from .keymap import ACTIONS, KeyMap
from .sync import SyncMixin
from .textfit import fit, literal

DEFAULT_STAGES = ("Awareness", "Consideration", "Purchase", "Retention", "Advocacy")
#: a status-line message lasts until the next key, or this long at the most
MESSAGE_SECONDS = 6.0

#: defaults for the theme variables cjm's stylesheet uses (themes may override)
THEME_DEFAULTS = {
    "emotion-neg2": "#e5484d",
    "emotion-neg1": "#f0883e",
    "emotion-0": "#a0a0a0",
    "emotion-pos1": "#7ee787",
    "emotion-pos2": "#3fb950",
    "pain": "#e5484d",
    "opportunity": "#58a6ff",
    "curve-line": "#58a6ff",
    "cell-cursor": "#2f3b52",
    "card-cursor": "#1f6feb",
    "card-cursor-text": "#ffffff",
    "question": "#6e7681",
    "rule": "#4a4b4f",
}


def _key_name(event: events.Key) -> str:
    ch = event.character
    if ch and len(ch) == 1 and ch.isprintable() and ch != " ":
        return ch
    return event.key


class Line(Widget):
    """One line of text (title bar, status line). Updating it repaints just that
    line: a Static would ask for a new layout of the whole screen each time."""

    DEFAULT_CSS = "Line { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def set(self, text: Text) -> None:
        if text != self._text:
            old = self._text
            self._text = text
            if text.cell_len != old.cell_len and self.styles.width is not None and self.styles.width.is_auto:
                self.refresh(layout=True)
                return
            # only the cells either text covers: the rest of the line is background
            # (the position changes on every cursor move; this keeps its padding off the wire)
            cells = self.styles.gutter.left + max(text.cell_len, old.cell_len) + 1
            self.refresh(Region(0, 0, cells, 1))

    def get_content_width(self, container, viewport) -> int:
        return self._text.cell_len

    def render(self) -> Text:
        room = self.content_size.width
        if room and self._text.cell_len > room:
            # too long for the line: end with "…" rather than a cut word
            text = self._text.copy()
            text.truncate(room, overflow="ellipsis")
            return text
        return self._text


class EditorScreen(Screen):
    AUTO_FOCUS = "JourneyGrid"

    def on_mount(self) -> None:
        self.app.editor_mounted()  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        # back from the persona, help or another screen: their edits show here
        self.app._update_title()  # type: ignore[attr-defined]
        self.app._update_status()  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        app: CjmApp = self.app  # type: ignore[assignment]
        yield Line(id="titlebar")
        yield app.grid
        yield app.curve
        with Vertical(id="bottom"):
            # the prompt bar (#prompt) is mounted here on first use: see FindPromptActions.ask
            with Horizontal(id="status"):
                yield Line(id="st-file")
                yield Line(id="st-pos")
                yield Line(id="st-hints")


class CjmApp(CardActions, StructureActions, FindPromptActions, SyncMixin, App):
    """Edit one journey map. Every change is an undoable operation, autosaved."""

    CSS_PATH = "app.tcss"
    TITLE = "cjm"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "quit", priority=True, id="app.quit"),
        Binding("ctrl+c", "request_quit", "quit", show=False, priority=True, id="app.interrupt"),
    ]

    def __init__(
        self,
        document: MapDocument,
        *,
        read_only: bool = False,
        keys: dict | None = None,
        autosave_delay: float = 1.0,
        ascii_only: bool = False,
        theme: str | None = None,
        show_curve: bool = True,
        notices: list[str] | None = None,
        themes: dict | None = None,
        settings=None,
    ) -> None:
        super().__init__()
        self._themes = dict(themes or {})
        #: only the starting theme was loaded (quick_theme): the others come after the first frame
        self._all_themes_loaded = themes is None or len(self._themes) > 1
        self.settings = settings
        self.document = document
        self.history = History(document.map)
        self.keymap = KeyMap(keys)
        self.grid = JourneyGrid(document.map, ascii_only=ascii_only, id="grid")
        self.grid.cursor_listener = self._cursor_moved
        self.grid.resize_listener = self._grid_resized
        self.grid.layout_listener = self._fit_editor
        self.curve = CurvePanel(id="curve")
        self._curve_key: object = None
        self.saver = AutoSaver(
            document,
            delay=autosave_delay,
            read_only=read_only,
            on_state=self._update_status,
            call_later=lambda d, f: self.set_timer(d, f),
            revision=lambda: self.history.revision,
            before_write=lambda: self.check_disk(force=True),
        )
        self.ascii_only = ascii_only
        if ascii_only:
            self.add_class("-ascii")
        self.show_curve = show_curve
        #: the open card editor's place: (stage, lane, index, mode, text it started from)
        self._editing: tuple[str, str, int, str, str] | None = None
        self._editor = None  # the open CardEditor
        #: keys held while an editor or prompt opens (None: not opening)
        self._key_queue: list[tuple[str, str | None]] | None = None
        self._prompt_cb = None
        self._notices = list(notices or []) + self.keymap.warnings
        for t in self._themes.values():
            self.register_theme(t)
        if theme:
            self._start_theme(theme)

    def _start_theme(self, name: str) -> None:
        """Choose the theme before the stylesheet is first read, so it is parsed and
        applied once, in the right colours. (Setting ``theme`` runs Textual's watcher,
        which parses and applies every style a second time: ~10 ms of start-up.) What
        the watcher does besides restyling is done here."""
        if name not in self.available_themes:
            self._notices.append(f"unknown theme {name!r}; using the default")
            return
        self.set_reactive(App.theme, name)
        dark = self.current_theme.dark
        # update_classes, as the watcher does: a user theme's name may hold spaces or dots
        self.update_classes({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark}, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())  # nothing is parsed yet

    # -- setup -----------------------------------------------------------------
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **THEME_DEFAULTS}

    def notify(  # type: ignore[override]
        self, message: str, *, markup: bool = False, severity: str = "information", timeout: float | None = None, **kwargs
    ) -> None:
        """Notifications carry user text (card, stage and file names): never markup.

        A one-line note from the editor ("Undid: …", "match 2 of 5") goes on the status
        line, as vim's messages do: a toast would cover the cards at 80x24, and a burst
        of them (a held key) piles up. Warnings, errors and longer notes are toasts."""
        message = literal(message)  # names in it may hold escape sequences: never raw to the terminal
        if severity == "information" and self._say(message, max(timeout or 0, MESSAGE_SECONDS)):
            return
        super().notify(message, markup=markup, severity=severity, timeout=timeout, **kwargs)

    #: the status line's message, until the next key or its timeout
    _message: str | None = None
    _message_timer = None

    def _say(self, message: str, timeout: float) -> bool:
        """Show one line on the status line (False: not the editor's screen, or several lines)."""
        try:
            on_editor = isinstance(self.screen, EditorScreen)
        except Exception:
            return False
        if not on_editor or "\n" in message or self.saver.state == "failed":
            return False  # (while saving fails, the status line says why and nothing else)
        self._message = message
        if self._message_timer is not None:
            self._message_timer.stop()
        self._message_timer = self.set_timer(timeout, self._unsay)
        self._update_status()
        return True

    def _unsay(self) -> None:
        self._message_timer = None
        if self._message is not None:
            self._message = None
            self._update_status()

    def get_default_screen(self) -> Screen:
        # the editor is the app's first screen rather than one pushed over an empty
        # default: one screen to lay out, style and resize at start-up, not two
        return EditorScreen()

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self._on_signal)
            except (NotImplementedError, RuntimeError):  # pragma: no cover - not on Unix
                pass
        self.call_after_refresh(self._after_first_paint)

    _theme_ready = False

    def editor_mounted(self) -> None:
        """The editor screen is mounted: fill everything in before the first frame."""
        self._update_title()
        self._update_status()
        self._refresh_curve()

    def _register_all_themes(self) -> None:
        from .themes import load_themes

        themes, warnings = load_themes()
        for name, theme in themes.items():
            if name not in self._themes:
                self._themes[name] = theme
                self.register_theme(theme)
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=8)

    def _after_first_paint(self) -> None:
        if not gc.isenabled():
            # `cjm PATH` paused the collector for start-up (cli/cmd_edit.py): what exists
            # now lives as long as the app, so later passes need not scan it
            gc.freeze()
            gc.enable()
        if not self._all_themes_loaded:
            self._all_themes_loaded = True
            self.call_later(self._register_all_themes)
        self._theme_ready = True
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.focused is None:
            self.grid.focus()
        self.start_sync()
        if self.document.lazy_text is not None and not self.saver.read_only:
            # parse the TOML document (kept for its comments) while the user reads, so the
            # first autosave does not pause the screen on a big map
            import threading

            def prepare() -> None:
                threading.Thread(target=self.document.prepare, name="cjm-prepare", daemon=True).start()

            self.set_timer(0.5, prepare)  # once the first screen has settled
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=8)
        if self.document.disk_text is None and not self.saver.read_only:
            # a new file: write it now so it exists
            self.saver.changed()

    def on_unmount(self) -> None:
        self.stop_sync()

    def _on_signal(self) -> None:
        """SIGHUP (an SSH link dropped) or SIGTERM: keep every edit, then leave."""
        self._commit_open_editor()
        if not self.saver.flush():
            self.saver.write_recovery()
        self.exit()

    # -- title and status ----------------------------------------------------------
    def _update_title(self) -> None:
        m = self.history.map
        parts = [literal(m.title or "Untitled journey"), KIND_LABELS.get(m.kind, m.kind)]
        if m.persona.name:
            who = literal(m.persona.name)
            if m.persona.role:
                who += f", {literal(m.persona.role)}"
            parts.append(who)
        hidden = sum(lane.hidden for lane in m.lanes)
        if hidden:
            # a hidden lane's cards are still in the file: say so where it is always seen
            parts.insert(1, f"{hidden} lane{'s' if hidden > 1 else ''} hidden (r s shows)")
        sep = " - " if self.ascii_only else " · "
        title = Text(sep.join(parts).replace("\n", " "), no_wrap=True, overflow="ellipsis")
        try:
            self.screen.query_one("#titlebar", Line).set(title)
        except Exception:
            pass

    def _status_parts(self) -> tuple[Text, Text, Text]:
        """(file and save state, position, key hints): three parts so that a cursor
        move repaints only the position, not the whole line."""
        width = self.size.width or 80
        s = self.saver
        a = self.ascii_only
        colours = self.theme_variables
        ok, warn, bad = (colours.get(k, "") for k in ("success", "warning", "error"))
        state = {
            "saved": ("* saved" if a else "● saved", ok),
            "unsaved": ("o unsaved" if a else "○ unsaved", warn),
            "saving": ("~ saving..." if a else "◌ saving…", warn),
            "failed": (f"{'x' if a else '✗'} save failed: {s.error} (retrying; W save as)", f"bold {bad}".strip()),
            "read-only": ("read-only", ""),
        }[s.state]
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(" " + self.document.path.name + " ", style="bold")
        head.append(state[0] + "  ", style=state[1])
        if s.state == "failed":
            return head, Text(), Text()
        if self.keymap.pending:
            # a key sequence is under way: what may follow takes the whole line
            nxt = self.keymap.continuations(width - 2)
            return Text(), Text(" " + nxt, no_wrap=True, overflow="ellipsis", style="bold"), Text()
        if self._message:
            said = Text(" " + self._message, no_wrap=True, overflow="ellipsis", style=f"bold {colours.get('accent', '')}".strip())
            if said.cell_len + 1 > width - head.cell_len:
                # too long beside the file name: the message has the line (cut with … if need be)
                return Text(), said, Text()
            return head, said, Text()
        # the position comes first; the hints take what the width leaves it (never
        # what the position leaves, so a cursor move never changes their width, which
        # would re-lay out the whole screen)
        free = width - head.cell_len
        if self._editing:
            choices = ("esc/ctrl+s done", "esc done")
        else:
            enter = "enter" if a else "⏎"
            choices = (f"{enter} edit  a add  +/- emotion  ? help", f"{enter} edit  a add  ? help", "? help")
        # each choice leaves the position this much room at the least
        hints = next((h for h, need in zip(choices, (44, 26, 20)) if free - len(h) >= need), "")
        hints_text = Text(hints + " ", style="dim", no_wrap=True) if hints else Text()
        pos = self._position_text(free - hints_text.cell_len - 1)
        return head, Text(pos, no_wrap=True, overflow="ellipsis"), hints_text

    def _position_text(self, room: int) -> str:
        """"Stage › Lane 1/3" in *room* cells: the names shrink, the card count stays."""
        sid, lid, ci = self.grid.current()
        if not (sid and lid):
            return ""
        m = self.history.map
        a = self.ascii_only
        n = len(m.stage(sid).peek(lid))
        count = f"{min(ci + 1, n)}/{n}" if n else "empty"
        names = room - len(count) - 4  # the arrow and spaces
        if names < 6:
            return count
        stage_name = literal(m.stage(sid).name).replace("\n", " ")
        lane_name = literal(m.lane(lid).name).replace("\n", " ")
        el = "~" if a else "…"
        # in cells: a wide character (CJK, emoji) takes two; when both names do not
        # fit, the lane keeps at least half the room
        stage_w, lane_w = cell_len(stage_name), cell_len(lane_name)
        if stage_w + lane_w > names:
            lane_w = min(lane_w, max(names // 2, names - stage_w))
            stage_w = names - lane_w
        return f"{fit(stage_name, stage_w, el).rstrip()} {'>' if a else '›'} {fit(lane_name, lane_w, el).rstrip()} {count}"

    def _update_status(self) -> None:
        try:
            screen = self.screen
            head, pos, hints = self._status_parts()
            screen.query_one("#st-file", Line).set(head)
            screen.query_one("#st-pos", Line).set(pos)
            screen.query_one("#st-hints", Line).set(hints)
        except Exception:
            pass

    def _cursor_moved(self) -> None:
        self._update_status()
        self._refresh_curve(force=False)

    def _grid_resized(self) -> None:
        # the grid has new columns or a new scroll: the curve lines up with them, and an
        # open card editor moves (and rewraps) with its card
        self._fit_editor()
        self._cursor_moved()

    def on_resize(self) -> None:
        self.call_after_refresh(self._refresh_curve)

    # -- applying edits --------------------------------------------------------------
    def apply(self, op: Op) -> bool:
        if self.saver.read_only:
            self.notify("This map is open read-only", severity="warning")
            return False
        try:
            self.history.do(op)
        except OpError as exc:
            self.notify(str(exc), severity="error")
            return False
        self._after_change(op)
        return True

    def _after_change(self, op: Op | None) -> None:
        # an emotion or feeling changes only the stage headers (and the curve): no relayout
        header_only = isinstance(op, SetStageField) and op.name in ("emotion", "feeling")
        self.grid.map_changed(header_only=header_only)
        if op is not None:
            sid, lid, idx = op.focus()
            # an emotion changed by undo or redo on another stage: go to it, so the change shows
            moves = not header_only or (sid is not None and sid != self.grid.current()[0])
            if moves and (sid is not None or lid is not None):
                self.grid.focus_ids(sid, lid, idx)
        self.saver.changed()
        self._update_title()
        self._update_status()
        self._refresh_curve(force=False)

    # -- keys ----------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        if self._key_queue is not None:
            # a card editor or prompt is opening: keys typed in the same burst (a
            # paste, or an SSH link bundling keystrokes) belong to it, not the grid
            self._key_queue.append((event.key, event.character))
            event.stop()
            event.prevent_default()
            return
        if self.focused is not self.grid:
            return
        self._message = None  # a message lasts until the next key, as in vim
        action, consumed = self.keymap.feed(_key_name(event))
        if consumed:
            event.stop()
            event.prevent_default()
        if action:
            self.run_action_id(action)
        self._update_status()

    def replay_keys(self) -> None:
        """The editor or prompt has focus now: give it the keys that arrived first."""
        queue, self._key_queue = self._key_queue, None
        if not queue:
            return
        editor = self._editor
        found = self.screen.query("#prompt-input") if self._prompt_cb is not None else None
        prompt = found.first() if found else None
        for key, ch in queue:
            if editor is not None and self._editor is editor:
                if key == "escape":
                    self.finish_edit()
                    editor = None
                elif key == "enter":
                    editor.insert("\n")
                elif key == "backspace":
                    editor.action_delete_left()
                elif ch and ch.isprintable():
                    editor.insert(ch)
            elif prompt is not None and self._prompt_cb is not None:
                if key == "escape":
                    self.cancel_prompt()
                    prompt = None
                elif key == "enter":
                    self._submit_prompt(prompt.value)
                    prompt = None
                elif key == "backspace":
                    prompt.action_delete_left()
                elif ch and ch.isprintable():
                    prompt.insert_text_at_cursor(ch)
            else:
                # the overlay closed within the burst: the rest goes to the grid as usual
                action, _ = self.keymap.feed(key if not (ch and ch.isprintable() and ch != " ") else ch)
                if action:
                    self.run_action_id(action)

    def run_action_id(self, action_id: str) -> None:
        method = getattr(self, f"do_{action_id}", None)
        if method is None:
            self.notify(f"no action {action_id}", severity="error")
            return
        result = method()
        if asyncio.iscoroutine(result):
            self.run_worker(result, exclusive=False)

    # -- movement ------------------------------------------------------------------------
    def _nearest_card(self, stage_index: int) -> int:
        """The card in the same lane of another stage nearest to the cursor's line."""
        g = self.grid
        body = g.body
        sid, lid, ci = g.current()
        if body is None or lid is None or not self.history.map.stages:
            return 0
        here = body.cell(sid, lid)
        line = here.cards[ci].start if here.cards and ci < len(here.cards) else 0
        target = body.cell(self.history.map.stages[stage_index].id, lid)
        best = 0
        for i, c in enumerate(target.cards):
            if c.start <= line:
                best = i
        return best

    def do_left(self) -> None:
        s = self.grid.cursor.stage
        if s > 0:
            self.grid.move_to(stage=s - 1, card=self._nearest_card(s - 1))

    def do_right(self) -> None:
        s = self.grid.cursor.stage
        if s < len(self.history.map.stages) - 1:
            self.grid.move_to(stage=s + 1, card=self._nearest_card(s + 1))

    def do_down(self) -> None:
        g = self.grid
        n = len(g.current_cards())
        if g.cursor.card < n - 1:
            g.move_to(card=g.cursor.card + 1)
        elif g.cursor.lane < len(g.lanes()) - 1:
            g.move_to(lane=g.cursor.lane + 1, card=0)

    def do_up(self) -> None:
        g = self.grid
        if g.cursor.card > 0:
            g.move_to(card=g.cursor.card - 1)
        elif g.cursor.lane > 0:
            lane = g.lanes()[g.cursor.lane - 1]
            sid = g.current()[0]
            n = len(self.history.map.stage(sid).peek(lane.id)) if sid else 0
            g.move_to(lane=g.cursor.lane - 1, card=max(0, n - 1))

    def do_first_lane(self) -> None:
        self.grid.move_to(lane=0, card=0)

    def do_last_lane(self) -> None:
        self.grid.move_to(lane=max(0, len(self.grid.lanes()) - 1), card=0)

    def do_first_stage(self) -> None:
        self.grid.move_to(stage=0, card=self._nearest_card(0))

    def do_last_stage(self) -> None:
        last = max(0, len(self.history.map.stages) - 1)
        self.grid.move_to(stage=last, card=self._nearest_card(last))

    def do_page_down(self) -> None:
        self._page(1)

    def do_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        """Scroll a screenful and put the cursor on the first card that starts on screen
        (one cut off at the top only when no other starts on screen)."""
        g = self.grid
        body = g.body
        if body is None or not body.lanes or not self.history.map.stages:
            return
        g.scroll_lines(direction * (g.body_height - 1))
        stage = self.history.map.stages[g.cursor.stage]
        top, bottom = g.top, g.top + g.body_height
        cut: tuple[int, int] | None = None  # the first card showing only its lower part
        for li in range(body.lane_at(top), len(body.lanes)):
            base = body.lane_start[li]
            if base >= bottom:
                break
            cell = body.cell(stage.id, body.lanes[li].id)
            if not cell.cards and base >= top:
                g.move_to(lane=li, card=0)  # an empty cell, on screen
                return
            for i, c in enumerate(cell.cards):
                start = base + c.start
                if top <= start < bottom:
                    g.move_to(lane=li, card=i)
                    return
                if cut is None and start < top < start + len(c.lines):
                    cut = (li, i)
        if cut is not None:
            g.move_to(lane=cut[0], card=cut[1])
        else:
            g.move_to(lane=body.lane_at(top), card=0)

    # -- history -------------------------------------------------------------------------------
    def do_undo(self) -> None:
        if not self.history.can_undo():
            self.notify("Nothing to undo", timeout=2)
            return
        what = self.history.undo_stack[-1][0].describe()  # the change, not its inverse
        self._after_change(self.history.undo())
        self.notify(f"Undid: {what}", timeout=2)

    def do_redo(self) -> None:
        op = self.history.redo()
        if op is None:
            self.notify("Nothing to redo", timeout=2)
            return
        self._after_change(op)
        self.notify(f"Redid: {op.describe()}", timeout=2)

    # -- views ---------------------------------------------------------------------------------------
    def do_toggle_curve(self) -> None:
        self.show_curve = not self.show_curve
        self._refresh_curve()
        self._remember("curve", self.show_curve)
        if self.settings is not None:
            self.notify(f"Emotion curve {'shown' if self.show_curve else 'hidden'} (remembered; c toggles)", timeout=3)

    def _theme_changed(self, theme) -> None:
        """Any theme switch (ours or Textual's own palette entry) is remembered."""
        if self._theme_ready:
            self._remember("theme", theme.name)
            self.grid.refresh()
            self._refresh_curve()
            self._update_status()  # its colours come from the theme

    def use_theme(self, name: str) -> None:
        self.theme = name  # remembered by _theme_changed

    def _remember(self, name: str, value) -> None:
        """Write a preference back to the user's settings file (comments kept)."""
        if self.settings is None:
            return
        try:
            self.settings.set(name, value)
            self.settings.save()
        except Exception as exc:  # a settings problem must never cost an edit
            self.notify(f"Could not save settings: {exc}", severity="warning")

    def _refresh_curve(self, force: bool = True) -> None:
        """Redraw the emotion curve, lined up with the grid's stage columns.

        Hidden when switched off or when the terminal is too small to draw it legibly.
        """
        panel = self.curve
        m = self.history.map
        g = self.grid
        height = panel_height(self.size.height) if self.show_curve and m.stages else 0
        key = (g.cursor.stage, g.first_col, g.stage_w, g.lane_w, self.size, self.theme, height, self.history.revision)
        if not force and key == self._curve_key:
            return
        self._curve_key = key
        if height == 0:
            panel.display = False
            return
        if panel.styles.height is None or panel.styles.height.value != height:
            panel.styles.height = height
        panel.display = True
        widths = [g.lane_w] + [g.stage_w] * g.n_visible
        panel.set_columns(widths + [max(0, self.size.width - sum(widths))])
        if all(stage.emotion is None for stage in m.stages):
            panel.show_hint(
                " Emotion curve: no stage has a score yet. On a stage press + or - "
                "(-2 frustrated ... +2 delighted).",
                self.size.width,
            )
            return
        centers = [g.lane_w + (i - g.first_col) * g.stage_w + g.stage_w / 2 for i in range(len(m.stages))]
        ok = panel.show_curve(
            m,
            centers=centers,
            current=g.cursor.stage,
            ascii_only=self.ascii_only,
            colors=dict(self.theme_variables),
            width=self.size.width,
        )
        if not ok:
            panel.display = False

    def do_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen(self.keymap))

    def do_palette(self) -> None:
        self.action_command_palette()

    def do_persona(self) -> None:
        try:
            from .screens.persona import PersonaScreen
        except ImportError:
            self.notify("The persona panel is not available", severity="warning")
            return
        self.push_screen(PersonaScreen())

    def get_system_commands(self, screen: Screen):
        # Textual's own Theme (its themes, not cjm's), Keys (its bindings, not cjm's key
        # map) and Quit (cjm's saves first) would stand beside cjm's own entries;
        # Screenshot writes an SVG of the screen where it can (cjm export --to svg is the
        # way to a picture of the map)
        for command in super().get_system_commands(screen):
            if command.title not in ("Theme", "Keys", "Quit", "Screenshot"):
                yield command
        for name in sorted(self._themes):
            yield SystemCommand(f"Use theme: {name}", "switch colours now and remember the choice", lambda n=name: self.use_theme(n))
        for action in ACTIONS:
            if action.id in ("palette",):
                continue
            keys = self.keymap.describe(action.id)
            yield SystemCommand(
                action.description.split(" (")[0],
                f"{action.group} · keys: {keys}" if keys else action.group,
                lambda a=action.id: self.run_action_id(a),
            )

    # -- files ------------------------------------------------------------------------------------------
    def do_save_now(self) -> None:
        """ctrl+s out of habit: write now if anything is pending, and say where."""
        if self.saver.read_only:
            self.notify("This map is open read-only", severity="warning")
            return
        if self.saver.flush():
            self.notify("Saved (cjm saves as you go; W saves elsewhere)", timeout=3)  # the file is named beside it
        else:
            self.notify(f"Not saved: {self.saver.error} (W saves elsewhere)", severity="error", timeout=6)
        self._update_status()

    def do_save_as(self) -> None:
        def done(value: str) -> None:
            value = value.strip()
            if not value:
                return
            path = Path(os.path.expanduser(value))
            if not path.is_absolute():
                path = self.document.path.parent / path
            if path.is_dir():
                path = path / self.document.path.name
            try:
                self.saver.save_as(path)
            except OSError as exc:
                from .autosave import describe_os_error

                self.notify(f"Could not save to {path}: {describe_os_error(exc)}", severity="error")
                return
            self.notify(f"Saved to {path}; edits now go there")
            self._update_status()

        self.ask("Save as:", str(self.document.path), done, select=True)

    def do_quit(self) -> None:
        self.action_request_quit()

    def action_request_quit(self) -> None:
        self._commit_open_editor()
        if self.saver.flush():
            self.exit()
            return
        from .screens.confirm import QuitScreen

        def answer(choice: str | None) -> None:
            if choice == "save_as":
                self.do_save_as()
            elif choice == "quit":
                path = self.saver.write_recovery()
                self.exit(message=f"cjm: could not save {self.document.path}: {self.saver.error}. Your edits are in {path}")

        self.push_screen(QuitScreen(self.document.path, self.saver.error or "unknown error"), answer)


def run_editor(args) -> int:
    """Open PATH (or the picker) and run the editor. Returns the exit code."""
    from ..store.errors import MapError

    path = args.path
    if path is None:
        from .screens.picker import pick_map

        path = pick_map()
        if path is None:
            return 0
    p = Path(path)
    notices_new: list[str] = []
    if p.exists() or p.is_symlink():
        document = MapDocument.open(p)  # MapError → exit 2 with the place
        from ..store.files import clean_stale_temps

        clean_stale_temps(p)
    else:
        if not p.parent.exists() and str(p.parent) not in ("", "."):
            raise MapError("the folder does not exist", p)
        if not p.name.endswith(".cjm.toml"):
            near = [c for c in (p.with_name(p.name + ".toml"), p.with_name(p.name + ".cjm.toml")) if c.exists()]
            hint = f"did you mean {near[0]}? " if near else ""
            raise MapError(f"no such file; {hint}To start a new map, give a name ending in .cjm.toml", p)
        name = p.name[: -len(".cjm.toml")] if p.name.endswith(".cjm.toml") else p.stem
        title = name.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled journey"
        document = MapDocument.new(p, JourneyMap.blank(title, DEFAULT_STAGES))
        notices_new = [f"New map {p.name}: five default stages and lanes to start from (s r renames a stage)"]
    from .settings import Settings
    from .themes import load_themes, no_color_requested, quick_theme, resolve_theme

    settings, notices = Settings.load()
    notices = notices_new + notices
    no_color = no_color_requested()
    wanted = "monochrome" if no_color else (getattr(args, "theme", None) or settings.theme)
    themes = quick_theme(wanted)
    from textual.theme import BUILTIN_THEMES

    if not themes and wanted in BUILTIN_THEMES:
        # one of Textual's own themes, picked from its palette entry and remembered
        theme, theme_warnings, resolve_warnings = wanted, [], []
    elif themes:
        # the one theme the first screen needs; the rest register after it (palette)
        theme, theme_warnings, resolve_warnings = wanted, [], []
    else:
        themes, theme_warnings = load_themes()
        theme, resolve_warnings = resolve_theme(wanted, themes, no_color=no_color)
    app = CjmApp(
        document,
        read_only=args.read_only,
        keys=settings.keys,
        autosave_delay=settings.autosave_delay,
        ascii_only=settings.ascii or getattr(args, "ascii", False),
        theme=theme,
        show_curve=settings.curve,
        notices=notices + theme_warnings + resolve_warnings,
        themes=themes,
        settings=settings,
    )
    try:
        message = app.run()
    finally:
        # whatever happened to the terminal, the map reaches the disk
        if not app.saver.read_only and not app.saver.flush():
            where = app.saver.write_recovery()
            print(f"cjm: could not save {p}: {app.saver.error}. Your edits are in {where}", file=sys.stderr)
            return 1
    if isinstance(message, str) and message:
        print(message, file=sys.stderr)
    return 0
