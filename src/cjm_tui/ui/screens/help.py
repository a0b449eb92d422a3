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
    HelpScreen #help-detail { height: auto; padding: 0 1; background: $panel; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_help", "close", id="help.close"),
        Binding("f1", "dismiss_help", "close", show=False, id="help.close_f1"),
        # browse the rows while typing in the search box
        Binding("down", "row(1)", "next", show=False, id="help.next"),
        Binding("up", "row(-1)", "previous", show=False, id="help.previous"),
        Binding("pagedown", "row(10)", "page down", show=False, id="help.page_down"),
        Binding("pageup", "row(-10)", "page up", show=False, id="help.page_up"),
    ]

    #: narrower than this, the table shows keys and action only (id and group are in the
    #: detail line under it), the action cut to fit: nothing scrolls sideways at 80x24
    WIDE = 110

    def __init__(self, keymap: KeyMap) -> None:
        super().__init__()
        self.keymap = keymap
        self._shown: list[tuple[str, str, str, str]] = []
        self._action_w: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(INTRO, id="help-intro", markup=False)
            yield Input(placeholder="search keys and actions (Esc closes)", id="help-search")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            # the highlighted row in full, at any width: its id is what settings remap
            yield Static("", id="help-detail", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        width = self.app.size.width
        if width >= self.WIDE:
            table.add_columns("keys", "action", "id", "group")
        else:
            keys_w = max(len(self.keymap.describe(a.id)) for a in ACTIONS)
            # the box (90 %, its border), the scrollbar, and a cell of padding each side of a column
            inner = min(100, width * 9 // 10) - 2 - 2 - 4
            self._action_w = max(10, inner - keys_w)
            table.add_column("keys", width=keys_w)
            table.add_column("action", width=self._action_w)
        self._fill("")
        self.query_one(Input).focus()

    def action_row(self, delta: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + delta, table.row_count - 1)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        table = self.query_one(DataTable)
        detail = self.query_one("#help-detail", Static)
        if not table.row_count:
            detail.update(Text("No key or action matches.", style="italic"))
            return
        keys, description, action_id, group = self._shown[max(0, min(row, len(self._shown) - 1))]
        text = Text()
        text.append(keys or "(no key)", style="bold")
        text.append(f"  {description}  ({group})\n")
        text.append(f"id {action_id}: remap in settings.toml [keys] as {action_id} = \"...\"", style="dim")
        detail.update(text)

    def rows(self, query: str) -> list[tuple[str, str, str, str]]:
        q = query.lower().strip()
        out = []
        for a in ACTIONS:
            keys = self.keymap.describe(a.id)
            row = (keys, a.description, a.id, a.group)
            if not q or any(q in part.lower() for part in row):
                out.append(row)
        return out

    def _fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self._shown = self.rows(query)
        for row in self._shown:
            if self._action_w is None:
                table.add_row(*(Text(c) for c in row), key=row[2])
            else:
                table.add_row(Text(row[0]), Text(row[1], no_wrap=True, overflow="ellipsis"), key=row[2])
        self._show_detail(0)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
