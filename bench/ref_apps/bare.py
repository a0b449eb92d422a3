"""Reference: a bare Textual app showing one line. Quit with ctrl+q."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Static("hello")


if __name__ == "__main__":
    Bare().run()
