"""`?`: every key, grouped, with a search box that filters as you type."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from ..keymap import ACTIONS, KeyMap

INTRO = (
    "cjm saves as you go. Keys below work in the grid; sequences like `s a` are typed one key after the other. "
    "Every action is also in the command palette (ctrl+p or :). Remap keys in settings.toml [keys]."
)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 90%; max-width: 100; height: 90%; border: round $accent; background: $surface; }
    HelpScreen #help-intro { height: auto; padding: 0 1; color: $text-muted; }
    HelpScreen Input { height: 3; }
    HelpScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_help", "close", id="help.close"),
        Binding("f1", "dismiss_help", "close", show=False, id="help.close_f1"),
    ]

    def __init__(self, keymap: KeyMap) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(INTRO, id="help-intro", markup=False)
            yield Input(placeholder="search keys and actions (Esc closes)", id="help-search")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("keys", "action", "group", "id")
        self._fill("")
        self.query_one(Input).focus()

    def rows(self, query: str) -> list[tuple[str, str, str, str]]:
        q = query.lower().strip()
        out = []
        for a in ACTIONS:
            keys = self.keymap.describe(a.id)
            row = (keys, a.description, a.group, a.id)
            if not q or any(q in part.lower() for part in row):
                out.append(row)
        return out

    def _fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in self.rows(query):
            table.add_row(*(Text(c) for c in row))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
