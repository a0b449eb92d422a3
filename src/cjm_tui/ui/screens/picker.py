"""`cjm` with no path: pick a map under this folder, or make one from a sample."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...resources import samples
from ...store.errors import MapError
from ...store.files import load_fast

SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache", "site-packages"}
MAX_MAPS = 500


def find_maps(root: Path) -> list[Path]:
    """Map files (*.cjm.toml) under *root*, nearest first, skipping tool folders."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".cjm.toml"):
                found.append(Path(folder) / name)
                if len(found) >= MAX_MAPS:
                    return found
    return sorted(found, key=lambda p: (len(p.parts), str(p)))


def describe(path: Path, root: Path | None = None, problems: dict[Path, MapError] | None = None) -> Text:
    """One line for the list; a map that cannot be opened is marked ✗ with the line
    at fault, and its error goes into *problems*."""
    shown = str(path)
    if root is not None:
        try:
            shown = str(path.relative_to(root))
        except ValueError:
            pass
    try:
        m = load_fast(path)
    except MapError as exc:
        if problems is not None:
            problems[path] = exc
        at = f"line {exc.line}: " if exc.line is not None else ""
        return Text.assemble((shown, "bold"), (f"  ✗ {at}{exc.message}", "red"))
    return Text.assemble(
        (shown, "bold"),
        ("  " + (m.title or "untitled").replace("\n", " "), ""),
        (f"  {len(m.stages)} stages, {m.card_count()} cards", "dim"),
    )


class PickerApp(App[str | None]):
    CSS = """
    #picker-help { height: auto; padding: 0 1; background: $panel; }
    OptionList { height: 1fr; }
    #picker-name { dock: bottom; display: none; }
    #picker-name.visible { display: block; }
    """
    BINDINGS = [
        Binding("q", "quit_picker", "quit", id="picker.quit"),
        Binding("escape", "quit_picker", "quit", show=False, id="picker.escape"),
    ]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.maps = find_maps(root)
        self.samples = samples()
        self._chosen_sample: Path | None = None
        #: maps in the list that cannot be opened, and why
        self.problems: dict[Path, MapError] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            where = str(self.root)
            head = f"Maps under {where}: ⏎ open · q quit" if self.maps else f"No maps under {where} yet. Make one from a sample: ⏎"
            yield Static(head, id="picker-help")
            options: list[Option | None] = [Option(describe(p, self.root, self.problems), id=f"map:{p}") for p in self.maps]
            if options:
                options.append(None)
            options.append(Option(Text("Create a new map from a sample:", style="bold italic"), disabled=True))
            for s in self.samples:
                options.append(Option(Text("  ＋ " + s.name[: -len(".cjm.toml")]), id=f"sample:{s}"))
            options.append(Option(Text("  ＋ blank map (five default lanes and stages)"), id="blank:"))
            yield OptionList(*options, id="picker-list")
            name_box = Input(placeholder="file name for the new map, then ⏎ (Esc cancels)", id="picker-name")
            # a title, since the box opens holding a suggested name (which hides the placeholder)
            name_box.border_title = "File name for the new map: ⏎ create · Esc cancel"
            yield name_box

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        if kind == "map":
            problem = self.problems.get(Path(value))
            if problem is not None:
                # the editor would refuse it too: say why here and let another be chosen
                self.notify(f"Cannot open {problem}. Fix the file, or pick another map.", severity="error", markup=False, timeout=8)
                return
            self.exit(value)
            return
        self._chosen_sample = Path(value) if kind == "sample" else None
        base = Path(value).name if kind == "sample" else "journey.cjm.toml"
        name = self._free_name(base)
        box = self.query_one("#picker-name", Input)
        box.value = name
        box.add_class("visible")
        box.focus()

    def _free_name(self, base: str) -> str:
        stem = base[: -len(".cjm.toml")] if base.endswith(".cjm.toml") else base
        name, n = f"{stem}.cjm.toml", 2
        while (self.root / name).exists():
            name = f"{stem}-{n}.cjm.toml"
            n += 1
        return name

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            return
        if not name.endswith(".cjm.toml"):
            name += ".cjm.toml"
        target = self.root / name
        if target.exists():
            self.notify(f"{name} exists already: choose another name", severity="error")
            return
        if self._chosen_sample is not None:
            try:
                shutil.copyfile(self._chosen_sample, target)
            except OSError as exc:
                self.notify(f"Could not create {name}: {exc.strerror}", severity="error")
                return
        self.exit(str(target))

    def on_key(self, event) -> None:
        box = self.query_one("#picker-name", Input)
        if event.key == "escape" and box.has_class("visible"):
            box.remove_class("visible")
            self.query_one(OptionList).focus()
            event.stop()

    def action_quit_picker(self) -> None:
        if self.query_one("#picker-name", Input).has_focus:
            return
        self.exit(None)


def pick_map(root: Path | None = None) -> str | None:
    return PickerApp(root or Path.cwd()).run()
