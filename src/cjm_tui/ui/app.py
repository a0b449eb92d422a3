"""The cjm editor: a Textual app over one map file."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static, TextArea

from ..model import EMOTION_MAX, EMOTION_MIN, KIND_LABELS, Card, History, JourneyMap, Lane, Stage
from ..model import ops
from ..model.ops import Op, OpError
from ..store.document import MapDocument
from .autosave import AutoSaver
from .curve_panel import CurvePanel, panel_height
from .grid import JourneyGrid
from .keymap import ACTIONS, BY_ID, KeyMap
from .sync import SyncMixin
from .textfit import fit, literal

DEFAULT_STAGES = ("Awareness", "Consideration", "Purchase", "Retention", "Advocacy")

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
}


def _key_name(event: events.Key) -> str:
    ch = event.character
    if ch and len(ch) == 1 and ch.isprintable() and ch != " ":
        return ch
    return event.key


class CardEditor(TextArea):
    """Multi-line inline editor for one card. Esc or ctrl+s finishes."""

    BINDINGS = [
        Binding("escape", "finish", "done", id="editor.finish"),
        Binding("ctrl+s", "finish", "done", show=False, id="editor.finish_save"),
    ]

    def action_finish(self) -> None:
        self.app.finish_edit()  # type: ignore[attr-defined]


class PromptInput(Input):
    BINDINGS = [Binding("escape", "cancel", "cancel", id="prompt.cancel")]

    def action_cancel(self) -> None:
        self.app.cancel_prompt()  # type: ignore[attr-defined]


class EditorScreen(Screen):
    AUTO_FOCUS = "JourneyGrid"

    def compose(self) -> ComposeResult:
        app: CjmApp = self.app  # type: ignore[assignment]
        yield Static(id="titlebar")
        yield app.grid
        yield app.curve
        with Vertical(id="bottom"):
            with Horizontal(id="prompt"):
                yield Label("", id="prompt-label")
                yield PromptInput(id="prompt-input")
            yield Static(id="status")


class CjmApp(SyncMixin, App):
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
        self._themes = themes or {}
        self.settings = settings
        self.document = document
        self.history = History(document.map)
        self.keymap = KeyMap(keys)
        self.grid = JourneyGrid(document.map, ascii_only=ascii_only, id="grid")
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
        self.show_curve = show_curve
        self._editing: tuple[str, str, int, str] | None = None  # (stage, lane, index, mode)
        self._editor: CardEditor | None = None
        self._prompt_cb = None
        self._find_hits: list[tuple[str, str, int]] = []
        self._notices = list(notices or []) + self.keymap.warnings
        self._requested_theme = theme
        self._quitting = False

    # -- setup -----------------------------------------------------------------
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **THEME_DEFAULTS}

    def on_mount(self) -> None:
        for theme in self._themes.values():
            self.register_theme(theme)
        self.push_screen(EditorScreen())
        if self._requested_theme:
            try:
                self.theme = self._requested_theme
            except Exception:
                self._notices.append(f"unknown theme {self._requested_theme!r}; using the default")
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self._on_signal)
            except (NotImplementedError, RuntimeError):  # pragma: no cover - not on Unix
                pass
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.grid.focus()
        self._update_title()
        self._update_status()
        self._refresh_curve()
        self.start_sync()
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
        self._quitting = True
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
        try:
            self.screen.query_one("#titlebar", Static).update(Text(" · ".join(parts).replace("\n", " ")))
        except Exception:
            pass

    def _status_text(self) -> Text:
        width = self.size.width or 80
        s = self.saver
        state = {
            "saved": ("● saved", "green"),
            "unsaved": ("○ unsaved", "yellow"),
            "saving": ("◌ saving…", "yellow"),
            "failed": (f"✗ save failed: {s.error} (retrying; W save as)", "bold red"),
            "read-only": ("read-only", "cyan"),
        }[s.state]
        sid, lid, ci = self.grid.current()
        m = self.history.map
        pos = ""
        if sid and lid:
            n = len(m.stage(sid).peek(lid))
            stage_name = literal(m.stage(sid).name).replace("\n", " ")
            lane_name = literal(m.lane(lid).name).replace("\n", " ")
            pos = f"{fit(stage_name, 14).rstrip()} › {fit(lane_name, 12).rstrip()} {min(ci + 1, n)}/{n}"
        if self.keymap.pending:
            hints = " ".join(self.keymap.pending) + " …"
        elif self._editing:
            hints = "esc/ctrl+s done"
        else:
            hints = "⏎ edit  a add  dd del  +/- emotion  ? help"
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(" " + self.document.path.name + " ", style="bold")
        t.append(state[0], style=state[1])
        if s.state != "failed":
            t.append("  " + pos)
            room = width - t.cell_len - 1
            if room > 10:
                h = hints if len(hints) <= room else hints[: max(0, room - 1)] + "…"
                t.append(" " * max(1, room - len(h)) + h, style="dim")
        return t

    def _update_status(self) -> None:
        try:
            self.screen.query_one("#status", Static).update(self._status_text())
        except Exception:
            pass

    @on(JourneyGrid.CursorMoved)
    def _cursor_moved(self) -> None:
        self._update_status()
        self._refresh_curve(force=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self._refresh_curve)

    # -- applying edits --------------------------------------------------------------
    def apply(self, op: Op, *, header_only: bool = False) -> bool:
        if self.saver.read_only:
            self.notify("This map is open read-only", severity="warning")
            return False
        try:
            self.history.do(op)
        except OpError as exc:
            self.notify(str(exc), severity="error")
            return False
        self._after_change(op, header_only)
        return True

    def _after_change(self, op: Op | None, header_only: bool = False) -> None:
        self.grid.map_changed(header_only=header_only)
        if op is not None and not header_only:
            sid, lid, idx = op.focus()
            if sid is not None or lid is not None:
                self.grid.focus_ids(sid, lid, idx)
        self.saver.changed()
        self._update_title()
        self._update_status()
        self._refresh_curve(force=False)

    # -- keys ----------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        if self.focused is not self.grid:
            return
        action, consumed = self.keymap.feed(_key_name(event))
        if consumed:
            event.stop()
            event.prevent_default()
        if action:
            self.run_action_id(action)
        self._update_status()

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
        self.grid.scroll_lines(self.grid.body_height - 1)

    def do_page_up(self) -> None:
        self.grid.scroll_lines(-(self.grid.body_height - 1))

    # -- cards -----------------------------------------------------------------------------
    def _where(self) -> tuple[str, str, int] | None:
        sid, lid, ci = self.grid.current()
        if sid is None:
            self.notify("Add a stage first: s then a", severity="warning")
            return None
        if lid is None:
            self.notify("Add a lane first: r then a", severity="warning")
            return None
        return sid, lid, ci

    def do_edit_card(self) -> None:
        where = self._where()
        if not where:
            return
        sid, lid, ci = where
        cards = self.history.map.stage(sid).peek(lid)
        if not cards:
            self._begin_edit(sid, lid, 0, "new")
        else:
            self._begin_edit(sid, lid, ci, "edit")

    def do_add_after(self) -> None:
        where = self._where()
        if where:
            sid, lid, ci = where
            n = len(self.history.map.stage(sid).peek(lid))
            self._begin_edit(sid, lid, min(ci + 1, n) if n else 0, "new")

    def do_add_before(self) -> None:
        where = self._where()
        if where:
            sid, lid, ci = where
            self._begin_edit(sid, lid, ci if self.history.map.stage(sid).peek(lid) else 0, "new")

    def _begin_edit(self, sid: str, lid: str, index: int, mode: str) -> None:
        if self.saver.read_only:
            self.notify("This map is open read-only", severity="warning")
            return
        cards = self.history.map.stage(sid).peek(lid)
        text = cards[index].text if mode == "edit" else ""
        g = self.grid
        # place the editor over the card (or where the new card will go)
        a, b = g._card_span(g.cursor)
        if mode == "new" and cards and index > g.cursor.card:
            a = b
        y = g.region.y + 3 + a - g.top
        col = g.cursor.stage - g.first_col
        x = g.region.x + g.lane_w + col * g.stage_w
        height = max(3, min(10, text.count("\n") + 2 + len(text) // max(10, g.stage_w - 4)))
        y = max(g.region.y + 3, min(y, g.region.bottom - height))
        editor = CardEditor(text, id="card-editor", soft_wrap=True, show_line_numbers=False, compact=True)
        editor.styles.offset = (x, y)
        editor.styles.width = max(12, g.stage_w - 1)
        editor.styles.height = height
        self._editing = (sid, lid, index, mode)
        self._editor = editor
        self.screen.mount(editor)
        editor.focus()
        editor.move_cursor(editor.document.end)
        self._update_status()

    def _commit_open_editor(self) -> None:
        if self._editor is not None and self._editing is not None:
            self.finish_edit()

    def finish_edit(self) -> None:
        editor, editing = self._editor, self._editing
        if editor is None or editing is None:
            return
        self._editor = None
        self._editing = None
        text = editor.text.rstrip("\n")
        sid, lid, index, mode = editing
        try:
            editor.remove()
        except Exception:
            pass
        self.grid.focus()
        m = self.history.map
        if mode == "new":
            if text.strip():
                self.apply(ops.InsertCard(sid, lid, index, Card(text)))
        else:
            try:
                old = m.stage(sid).peek(lid)[index]
            except (KeyError, IndexError):
                # the card went away while editing (an outside change): keep the text as a new card
                if text.strip():
                    self.apply(ops.InsertCard(sid, lid, len(m.stage(sid).peek(lid)), Card(text)))
                return
            if not text.strip():
                self.apply(ops.DeleteCard(sid, lid, index))
                self.notify("Empty card deleted (u to undo)")
            elif text != old.text:
                new = old.copy()
                new.text = text
                self.apply(ops.ReplaceCard(sid, lid, index, new))
        self._update_status()

    def do_external_edit(self) -> None:
        where = self._where()
        if not where or self.saver.read_only:
            return
        sid, lid, ci = where
        cards = self.history.map.stage(sid).peek(lid)
        old = cards[ci].text if cards else ""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        fd, tmp = tempfile.mkstemp(prefix="cjm-card-", suffix=".md")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(old + "\n")
            try:
                with self.suspend():
                    code = subprocess.call(shlex.split(editor) + [tmp])
            except Exception as exc:
                self.notify(f"Could not run {editor}: {exc}", severity="error")
                return
            if code != 0:
                self.notify(f"{editor} exited with {code}; card unchanged", severity="warning")
                return
            with open(tmp, encoding="utf-8", errors="replace") as fh:
                text = fh.read().rstrip("\n")
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if not cards:
            if text.strip():
                self.apply(ops.InsertCard(sid, lid, 0, Card(text)))
        elif text != old:
            new = cards[ci].copy()
            new.text = text
            self.apply(ops.ReplaceCard(sid, lid, ci, new))
        self.refresh()

    def do_delete_card(self) -> None:
        where = self._where()
        if where and self.history.map.stage(where[0]).peek(where[1]):
            self.apply(ops.DeleteCard(*where))

    def _move_card_to(self, to_stage: int | None, to_lane_offset: int) -> None:
        where = self._where()
        if not where:
            return
        sid, lid, ci = where
        m = self.history.map
        cards = m.stage(sid).peek(lid)
        if not cards:
            return
        if to_stage is not None:
            if not 0 <= to_stage < len(m.stages):
                return
            tsid = m.stages[to_stage].id
            n = len(m.stage(tsid).peek(lid))
            self.apply(ops.MoveCard(sid, lid, ci, tsid, lid, min(ci, n)))
            return
        target = ci + to_lane_offset
        if 0 <= target < len(cards):
            self.apply(ops.MoveCard(sid, lid, ci, sid, lid, target))
            return
        # past the edge of the cell: into the neighbouring lane
        lanes = self.grid.lanes()
        li = self.grid.cursor.lane + (1 if to_lane_offset > 0 else -1)
        if 0 <= li < len(lanes):
            tl = lanes[li].id
            n = len(m.stage(sid).peek(tl))
            self.apply(ops.MoveCard(sid, lid, ci, sid, tl, 0 if to_lane_offset > 0 else n))

    def do_card_prev_stage(self) -> None:
        self._move_card_to(self.grid.cursor.stage - 1, 0)

    def do_card_next_stage(self) -> None:
        self._move_card_to(self.grid.cursor.stage + 1, 0)

    def do_card_down(self) -> None:
        self._move_card_to(None, 1)

    def do_card_up(self) -> None:
        self._move_card_to(None, -1)

    def do_tag_card(self) -> None:
        where = self._where()
        if not where:
            return
        sid, lid, ci = where
        cards = self.history.map.stage(sid).peek(lid)
        if not cards:
            return
        card = cards[ci]

        def done(value: str) -> None:
            tags = [t.lstrip("#") for t in value.replace(",", " ").split() if t.lstrip("#")]
            if tags != card.tags:
                new = card.copy()
                new.tags = tags
                self.apply(ops.ReplaceCard(sid, lid, ci, new))

        self.ask("Tags (space separated):", " ".join(card.tags), done)

    def do_card_source(self) -> None:
        where = self._where()
        if not where:
            return
        sid, lid, ci = where
        cards = self.history.map.stage(sid).peek(lid)
        if not cards:
            return
        card = cards[ci]

        def done(value: str) -> None:
            if (value or None) != card.source:
                new = card.copy()
                new.source = value or None
                self.apply(ops.ReplaceCard(sid, lid, ci, new))

        self.ask("Source (evidence):", card.source or "", done)

    # -- emotion ---------------------------------------------------------------------------
    def _emotion(self, delta: int | None) -> None:
        sid = self.grid.current()[0]
        if sid is None:
            return
        stage = self.history.map.stage(sid)
        if delta is None:
            if stage.emotion is None:
                return
            new = None
        elif stage.emotion is None:
            new = max(EMOTION_MIN, min(EMOTION_MAX, delta))
        else:
            new = stage.emotion + delta
            if not EMOTION_MIN <= new <= EMOTION_MAX:
                self.notify(f"Emotion is already {stage.emotion:+d}, the end of the scale", timeout=2)
                return
        self.apply(ops.SetStageField(sid, "emotion", new), header_only=True)
        self._refresh_curve()

    def do_emotion_up(self) -> None:
        self._emotion(1)

    def do_emotion_down(self) -> None:
        self._emotion(-1)

    def do_emotion_clear(self) -> None:
        self._emotion(None)

    def do_stage_feeling(self) -> None:
        sid = self.grid.current()[0]
        if sid:
            stage = self.history.map.stage(sid)
            self.ask(
                "Feeling:",
                stage.feeling or "",
                lambda v: v != (stage.feeling or "") and self.apply(ops.SetStageField(sid, "feeling", v or None), header_only=True),
            )

    # -- stages ------------------------------------------------------------------------------
    def _add_stage(self, offset: int) -> None:
        m = self.history.map
        index = min(len(m.stages), self.grid.cursor.stage + offset) if m.stages else 0

        def done(name: str) -> None:
            name = name.strip()
            if name:
                self.apply(ops.AddStage(index, Stage(m.new_stage_id(name), name)))

        self.ask("New stage name:", "", done)

    def do_add_stage(self) -> None:
        self._add_stage(1)

    def do_add_stage_before(self) -> None:
        self._add_stage(0)

    def do_rename_stage(self) -> None:
        sid = self.grid.current()[0]
        if sid:
            stage = self.history.map.stage(sid)
            self.ask(
                "Rename stage:",
                stage.name,
                lambda v: v.strip() and v.strip() != stage.name and self.apply(ops.RenameStage(sid, v.strip())),
            )

    def do_delete_stage(self) -> None:
        sid = self.grid.current()[0]
        if sid:
            name = self.history.map.stage(sid).name
            if self.apply(ops.DeleteStage(sid)):
                self.notify(f"Stage {literal(name)} deleted (u to undo)")

    def _move_stage(self, delta: int) -> None:
        sid = self.grid.current()[0]
        if sid:
            target = self.grid.cursor.stage + delta
            if 0 <= target < len(self.history.map.stages):
                self.apply(ops.MoveStage(sid, target))

    def do_move_stage_left(self) -> None:
        self._move_stage(-1)

    def do_move_stage_right(self) -> None:
        self._move_stage(1)

    def do_stage_question(self) -> None:
        sid = self.grid.current()[0]
        if sid:
            stage = self.history.map.stage(sid)
            self.ask(
                "Stage question:",
                stage.question or "",
                lambda v: v != (stage.question or "") and self.apply(ops.SetStageField(sid, "question", v or None)),
            )

    # -- lanes ---------------------------------------------------------------------------------
    def _lane_id(self) -> str | None:
        return self.grid.current()[1]

    def do_add_lane(self) -> None:
        m = self.history.map
        lid = self._lane_id()
        index = m.lane_index(lid) + 1 if lid else len(m.lanes)

        def done(name: str) -> None:
            name = name.strip()
            if name:
                self.apply(ops.AddLane(index, Lane(m.new_lane_id(name), name)))

        self.ask("New lane name:", "", done)

    def do_rename_lane(self) -> None:
        lid = self._lane_id()
        if lid:
            lane = self.history.map.lane(lid)
            self.ask(
                "Rename lane:",
                lane.name,
                lambda v: v.strip() and v.strip() != lane.name and self.apply(ops.RenameLane(lid, v.strip())),
            )

    def do_delete_lane(self) -> None:
        lid = self._lane_id()
        if lid:
            name = self.history.map.lane(lid).name
            if self.apply(ops.DeleteLane(lid)):
                self.notify(f"Lane {literal(name)} deleted (u to undo)")

    def _move_lane(self, delta: int) -> None:
        lid = self._lane_id()
        if lid:
            m = self.history.map
            # move past hidden lanes too: the target is the neighbouring visible lane's place
            visible = self.grid.lanes()
            vi = self.grid.cursor.lane + delta
            if 0 <= vi < len(visible):
                self.apply(ops.MoveLane(lid, m.lane_index(visible[vi].id)))

    def do_move_lane_up(self) -> None:
        self._move_lane(-1)

    def do_move_lane_down(self) -> None:
        self._move_lane(1)

    def do_hide_lane(self) -> None:
        lid = self._lane_id()
        if lid:
            if len(self.grid.lanes()) <= 1:
                self.notify("This is the only lane shown", severity="warning")
                return
            name = self.history.map.lane(lid).name
            if self.apply(ops.SetLaneField(lid, "hidden", True)):
                self.notify(f"Lane {literal(name)} hidden (r s shows hidden lanes)")

    def do_show_lanes(self) -> None:
        hidden = [lane for lane in self.history.map.lanes if lane.hidden]
        if not hidden:
            self.notify("No lanes are hidden")
            return
        self.apply(ops.Batch([ops.SetLaneField(lane.id, "hidden", False) for lane in hidden], "show lanes"))

    def do_lane_question(self) -> None:
        lid = self._lane_id()
        if lid:
            lane = self.history.map.lane(lid)
            self.ask(
                "Lane question:",
                lane.question or "",
                lambda v: v != (lane.question or "") and self.apply(ops.SetLaneField(lid, "question", v or None)),
            )

    # -- history -------------------------------------------------------------------------------
    def do_undo(self) -> None:
        op = self.history.undo()
        if op is None:
            self.notify("Nothing to undo", timeout=2)
            return
        self._after_change(op)
        self._refresh_curve()
        self.notify(f"Undid: {op.describe()}", timeout=2)

    def do_redo(self) -> None:
        op = self.history.redo()
        if op is None:
            self.notify("Nothing to redo", timeout=2)
            return
        self._after_change(op)
        self._refresh_curve()

    # -- find ------------------------------------------------------------------------------------
    def do_find(self) -> None:
        self.ask("Find:", self.grid.find_text, self._find)

    def _find(self, text: str) -> None:
        self.grid.find_text = text
        self.grid.refresh()
        if text:
            self._find_step(1, include_current=True)

    def _find_order(self) -> list[tuple[str, str, int]]:
        m = self.history.map
        lanes = [lane.id for lane in self.grid.lanes()]
        out = []
        for s in m.stages:
            for lid in lanes:
                for i, _ in enumerate(s.peek(lid)):
                    out.append((s.id, lid, i))
        return out

    def _find_step(self, direction: int, include_current: bool = False) -> None:
        needle = self.grid.find_text.lower()
        if not needle:
            self.notify("Nothing to find: press / first", timeout=2)
            return
        m = self.history.map
        order = self._find_order()
        hits = [p for p in order if needle in m.stage(p[0]).peek(p[1])[p[2]].text.lower()]
        if not hits:
            self.notify(f"No card contains {literal(self.grid.find_text)!r}", severity="warning", timeout=3)
            return
        here = self.grid.current()
        try:
            pos = order.index(here)
        except ValueError:
            pos = -1
        rank = {p: i for i, p in enumerate(order)}
        if direction > 0:
            after = [h for h in hits if rank[h] > pos or (include_current and rank[h] == pos)]
            target = after[0] if after else hits[0]
        else:
            before = [h for h in hits if rank[h] < pos]
            target = before[-1] if before else hits[-1]
        self.grid.focus_ids(*target)
        self.notify(f"match {hits.index(target) + 1} of {len(hits)}", timeout=1.5)

    def do_find_next(self) -> None:
        self._find_step(1)

    def do_find_prev(self) -> None:
        self._find_step(-1)

    # -- prompt bar ---------------------------------------------------------------------------------
    def ask(self, label: str, default: str, callback) -> None:
        bar = self.screen.query_one("#prompt")
        self.screen.query_one("#prompt-label", Label).update(label)
        inp = self.screen.query_one("#prompt-input", PromptInput)
        inp.value = default
        bar.add_class("visible")
        self._prompt_cb = callback
        inp.focus()
        inp.cursor_position = len(default)

    @on(Input.Submitted, "#prompt-input")
    def _prompt_done(self, event: Input.Submitted) -> None:
        cb = self._prompt_cb
        self._close_prompt()
        if cb is not None:
            cb(event.value)

    def cancel_prompt(self) -> None:
        self._close_prompt()

    def _close_prompt(self) -> None:
        self._prompt_cb = None
        self.screen.query_one("#prompt").remove_class("visible")
        self.grid.focus()

    # -- views ---------------------------------------------------------------------------------------
    def do_toggle_curve(self) -> None:
        self.show_curve = not self.show_curve
        self._refresh_curve()
        self._remember("curve", self.show_curve)

    def use_theme(self, name: str) -> None:
        self.theme = name
        self.grid.refresh()
        self._refresh_curve()
        self._remember("theme", name)

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
        if not panel.display:
            panel.display = True
            self.call_after_refresh(self._refresh_curve)
            return
        centers = [g.lane_w + (i - g.first_col) * g.stage_w + g.stage_w / 2 for i in range(len(m.stages))]
        ok = panel.show_curve(
            m,
            centers=centers,
            current=g.cursor.stage,
            ascii_only=self.ascii_only,
            colors=dict(self.theme_variables),
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
        yield from super().get_system_commands(screen)
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

        self.ask("Save as:", str(self.document.path), done)

    def do_quit(self) -> None:
        self.action_request_quit()

    def action_request_quit(self) -> None:
        self._commit_open_editor()
        if self.saver.flush():
            self._quitting = True
            self.exit()
            return
        from .screens.confirm import QuitScreen

        def answer(choice: str | None) -> None:
            if choice == "save_as":
                self.do_save_as()
            elif choice == "quit":
                path = self.saver.write_recovery()
                self._quitting = True
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
    if p.exists() or p.is_symlink():
        document = MapDocument.open(p)  # MapError → exit 2 with the place
    else:
        if not p.parent.exists() and str(p.parent) not in ("", "."):
            raise MapError("the folder does not exist", p)
        name = p.name[: -len(".cjm.toml")] if p.name.endswith(".cjm.toml") else p.stem
        title = name.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled journey"
        document = MapDocument.new(p, JourneyMap.blank(title, DEFAULT_STAGES))
    from .settings import Settings
    from .themes import load_themes, no_color_requested, resolve_theme

    settings, notices = Settings.load()
    themes, theme_warnings = load_themes()
    theme, resolve_warnings = resolve_theme(getattr(args, "theme", None) or settings.theme, themes, no_color=no_color_requested())
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
