"""The inline card editor (loaded on first edit: TextArea is a large import)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea


class CardEditor(TextArea):
    """Multi-line inline editor for one card. Esc or ctrl+s finishes."""

    BINDINGS = [
        Binding("escape", "finish", "done", id="editor.finish"),
        Binding("ctrl+s", "finish", "done", show=False, id="editor.finish_save"),
    ]

    def action_finish(self) -> None:
        self.app.finish_edit()  # type: ignore[attr-defined]

    def on_focus(self) -> None:
        self.app.replay_keys()  # type: ignore[attr-defined]

    def on_blur(self) -> None:
        # focus went elsewhere (a click on the grid): see CardActions._card_editor_left
        self.app.call_after_refresh(self.app._card_editor_left, self)  # type: ignore[attr-defined]
