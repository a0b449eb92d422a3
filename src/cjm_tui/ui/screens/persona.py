"""`p`: the persona and the map's lens (scenario, goal, kind, timescale), edited
from the keyboard. Every change is an undoable operation, autosaved like the grid."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static, TextArea

from ...model import KIND_LABELS, KINDS, ops
from ..textfit import literal

#: (row key, label, kind of value): "text" one line, "long" several lines, "list" one item a line
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("map.title", "Title", "text"),
    ("map.kind", "Kind of map", "kind"),
    ("map.scenario", "Scenario", "long"),
    ("map.goal", "Business goal", "long"),
    ("map.timescale", "Timescale", "text"),
    ("persona.name", "Persona name", "text"),
    ("persona.role", "Role", "text"),
    ("persona.quote", "Quote", "long"),
    ("persona.goals", "Goals", "list"),
    ("persona.frustrations", "Frustrations", "list"),
    ("map.notes", "Notes", "long"),
)


class TextEditScreen(ModalScreen[str | None]):
    """Edit a value in a box; Esc or ctrl+s keeps it, ctrl+g cancels."""

    DEFAULT_CSS = """
    TextEditScreen { align: center middle; }
    TextEditScreen > Vertical { width: 80%; max-width: 90; height: auto; max-height: 80%; border: round $accent; background: $surface; }
    TextEditScreen #te-label { padding: 0 1; color: $text-muted; }
    TextEditScreen TextArea { height: 10; }
    """
    BINDINGS = [
        Binding("escape", "keep", "done", id="textedit.done"),
        Binding("ctrl+s", "keep", "done", show=False, id="textedit.save"),
        Binding("ctrl+g", "cancel", "cancel", id="textedit.cancel"),
    ]

    def __init__(self, label: str, value: str) -> None:
        super().__init__()
        self.label = label
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.label}   (Esc or ctrl+s done · ctrl+g cancel)", id="te-label")
            yield TextArea(self.value, soft_wrap=True, id="te-area")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_keep(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PersonaScreen(Screen):
    DEFAULT_CSS = """
    PersonaScreen #persona-help { height: 1; background: $panel; padding: 0 1; color: $text-muted; }
    PersonaScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "back to the grid", id="persona.back"),
        Binding("p", "back", "back", show=False, id="persona.back_p"),
        Binding("i", "edit", "edit", show=False, id="persona.edit_i"),
        Binding("a", "add_field", "add a field", id="persona.add_field"),
        Binding("delete", "clear", "clear", id="persona.clear"),
        Binding("x", "clear", "clear", show=False, id="persona.clear_x"),
        Binding("u", "undo", "undo", id="persona.undo"),
        Binding("ctrl+z", "undo", "undo", show=False, id="persona.undo_z"),
        Binding("ctrl+r", "redo", "redo", show=False, id="persona.redo"),
        Binding("ctrl+y", "redo", "redo", show=False, id="persona.redo_y"),
        Binding("q", "quit_app", "quit", id="persona.quit"),
        Binding("j", "move(1)", "down", show=False, id="persona.down"),
        Binding("k", "move(-1)", "up", show=False, id="persona.up"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "Persona · ⏎ edit · a add field · x clear · u undo · Esc back",
                id="persona-help",
            )
            yield DataTable(id="persona-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.refill()
        table.focus()

    def on_resize(self) -> None:
        self.refill()  # values wrap to the new width

    #: a value longer than this many wrapped lines ends in "…" (⏎ shows it whole)
    MAX_LINES = 8

    # -- rows ------------------------------------------------------------------------
    def rows(self) -> list[tuple[str, str, str, str]]:
        """(key, label, kind, shown value) for every row."""
        m = self.app.history.map  # type: ignore[attr-defined]
        out = []
        for key, label, kind in FIELDS:
            value = self._get(key)
            if kind == "kind":
                shown = KIND_LABELS.get(value, value) + "   (⏎ to change)"
            elif kind == "list":
                shown = "\n".join(f"• {v}" for v in value) if value else ""
            else:
                shown = value
            out.append((key, label, kind, shown))
        for name, value in m.persona.other.items():
            shown = "\n".join(f"• {v}" for v in value) if isinstance(value, list) else value
            out.append((f"other.{name}", name.replace("_", " ").capitalize(), "list" if isinstance(value, list) else "long", shown))
        return out

    def refill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        # the value column fills the screen and long values wrap in it, rather than
        # running off the right edge
        width = max(20, (self.size.width or self.app.size.width) - 16 - 2 * 2 - 2)
        table.clear(columns=True)
        table.add_column("field", width=16, key="field")
        table.add_column("value", width=width, key="value")
        console = self.app.console
        for key, label, _kind, shown in self.rows():
            text = literal(shown) if shown else ""
            cell = Text(text) if text else Text("(empty: ⏎ to write)", style="dim italic")
            lines = cell.wrap(console, width)
            if len(lines) > self.MAX_LINES:
                cut = lines[: self.MAX_LINES]
                cut[-1].truncate(width - 1)
                cut[-1].append("…")
                cell = Text("\n").join(cut)
                lines = cut
            table.add_row(Text(label, style="bold"), cell, key=key, height=max(1, len(lines)))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _get(self, key: str):
        m = self.app.history.map  # type: ignore[attr-defined]
        scope, name = key.split(".", 1)
        if scope == "map":
            return getattr(m, name)
        if scope == "persona":
            return getattr(m.persona, name)
        return m.persona.other.get(name, "")

    def _current(self) -> tuple[str, str, str] | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        rows = self.rows()
        key, label, kind, _ = rows[min(table.cursor_row, len(rows) - 1)]
        return key, label, kind

    def _op(self, key: str, value):
        scope, name = key.split(".", 1)
        if scope == "map":
            return ops.SetMapField(name, value)
        return ops.SetPersonaField(name, value)

    def _apply(self, op) -> None:
        if self.app.apply(op):  # type: ignore[attr-defined]
            self.refill()

    # -- actions -------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row (DataTable's own binding) edits it."""
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        cur = self._current()
        if cur is None:
            return
        key, label, kind = cur
        value = self._get(key)
        if kind == "kind":
            nxt = KINDS[(KINDS.index(value) + 1) % len(KINDS)] if value in KINDS else KINDS[0]
            self._apply(self._op(key, nxt))
            return
        text = "\n".join(value) if isinstance(value, list) else (value or "")
        hint = f"{label} (one per line)" if kind == "list" else label

        def done(result: str | None) -> None:
            if result is None:
                return
            if kind == "list" or isinstance(value, list):
                new = [line.strip() for line in result.splitlines() if line.strip()]
            elif kind == "text":
                new = " ".join(result.split("\n")).strip()
            else:
                new = result.strip("\n")
            if new != value:
                self._apply(self._op(key, new))

        self.app.push_screen(TextEditScreen(hint, text), done)

    def action_add_field(self) -> None:
        def named(name: str | None) -> None:
            if not name or not name.strip():
                return
            slug = "_".join(name.strip().lower().split())
            if slug in ("name", "role", "quote", "goals", "frustrations"):
                self.app.notify(f"{name} is already a field", severity="warning")
                return

            def valued(value: str | None) -> None:
                if value and value.strip():
                    lines = [v.strip() for v in value.splitlines() if v.strip()]
                    self._apply(ops.SetPersonaField(slug, lines if len(lines) > 1 else lines[0]))

            self.app.push_screen(TextEditScreen(f"{name} (one line, or several for a list)", ""), valued)

        self.app.push_screen(TextEditScreen("Name of the new field (e.g. Age, Motivations, Channels)", ""), named)

    def action_clear(self) -> None:
        cur = self._current()
        if cur is None:
            return
        key, _label, kind = cur
        if kind == "kind":
            return
        if key.startswith("other."):
            self._apply(ops.SetPersonaField(key.split(".", 1)[1], None))
        else:
            value = self._get(key)
            if value:
                self._apply(self._op(key, [] if isinstance(value, list) else ""))

    def action_undo(self) -> None:
        self.app.do_undo()  # type: ignore[attr-defined]
        self.refill()

    def action_redo(self) -> None:
        self.app.do_redo()  # type: ignore[attr-defined]
        self.refill()

    def action_move(self, delta: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, min(table.cursor_row + delta, table.row_count - 1)))

    def action_back(self) -> None:
        if self.is_current:  # two Escapes in one burst: the second finds the editor
            self.app.pop_screen()

    def action_quit_app(self) -> None:
        self.app.action_request_quit()  # type: ignore[attr-defined]
