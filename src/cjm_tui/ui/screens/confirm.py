"""Asking before anything could be lost."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class QuitScreen(ModalScreen[str | None]):
    """Saving failed and the user wants to quit: save elsewhere, quit (to a recovery copy), or stay."""

    DEFAULT_CSS = """
    QuitScreen { align: center middle; }
    QuitScreen > Vertical { width: 70; max-width: 95%; height: auto; border: thick $error; background: $surface; padding: 1 2; }
    """
    BINDINGS = [
        Binding("w", "choose('save_as')", "save as", id="quit.save_as"),
        Binding("q", "choose('quit')", "quit anyway", id="quit.quit"),
        Binding("escape", "choose(None)", "stay", id="quit.stay"),
    ]

    def __init__(self, path: Path, error: str) -> None:
        super().__init__()
        self.path = path
        self.error = error

    def compose(self) -> ComposeResult:
        msg = Text()
        msg.append("Your latest edits are not saved.\n\n", style="bold")
        msg.append(f"{self.path}: {self.error}\n\n")
        msg.append("w", style="bold")
        msg.append("  save to another file\n")
        msg.append("q", style="bold")
        msg.append("  quit; the edits go to a recovery file whose path is printed\n")
        msg.append("esc", style="bold")
        msg.append(" stay in the editor (saving is retried)")
        with Vertical():
            yield Static(msg)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
