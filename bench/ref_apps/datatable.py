"""Reference: a Textual DataTable (default 20 columns x 2,000 rows) moved with the arrow keys.

    python bench/ref_apps/datatable.py [ROWS] [COLS]
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable

WORDS = ("vacuum", "member", "pizza", "tour", "signup", "refund", "queue", "review")


class Table(App):
    def __init__(self, rows: int, cols: int) -> None:
        super().__init__()
        self.n_rows, self.n_cols = rows, cols

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(f"Stage {c + 1}" for c in range(self.n_cols)))
        for r in range(self.n_rows):
            table.add_row(*(f"{WORDS[(r + c) % len(WORDS)]} {r}.{c}" for c in range(self.n_cols)))
        table.focus()


if __name__ == "__main__":
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    cols = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    Table(rows, cols).run()
