"""The layers import only the ones below them: model < store < formats < ui / cli."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cjm_tui"


@pytest.mark.parametrize(
    "module,forbidden",
    [
        ("cjm_tui.model", ["textual", "tomlkit", "rich"]),
        ("cjm_tui.store.schema", ["textual", "tomlkit"]),
        ("cjm_tui.store.files", ["textual", "tomlkit"]),
        ("cjm_tui.store.codec", ["textual"]),
    ],
)
def test_module_does_not_import(module, forbidden):
    code = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    loaded = json.loads(r.stdout)
    bad = [name for name in loaded if name.split(".")[0] in forbidden]
    assert bad == [], f"{module} imports {sorted({b.split('.')[0] for b in bad})}"


def imported_layers(path: Path, package: tuple[str, ...] | None = None) -> set[str]:
    """The cjm_tui subpackages a source file imports (absolute or relative)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    if package is None:
        package = path.relative_to(SRC.parent).with_suffix("").parts[:-1]  # e.g. ("cjm_tui", "store")
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                mod = base + (node.module.split(".") if node.module else [])
                if node.module is None:
                    names = [".".join(mod + [a.name]) for a in node.names]
                else:
                    names = [".".join(mod)]
            elif node.module:
                names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "cjm_tui" and len(parts) > 1:
                found.add(parts[1])
    return found


RULES = {"model": {"store", "formats", "ui", "cli"}, "store": {"formats", "ui", "cli"}, "formats": {"ui", "cli"}}


@pytest.mark.parametrize("layer", list(RULES))
def test_lower_layers_do_not_import_upper(layer):
    problems = []
    for path in sorted((SRC / layer).rglob("*.py")):
        bad = imported_layers(path) & RULES[layer]
        if bad:
            problems.append(f"{path.relative_to(SRC)} imports cjm_tui.{', cjm_tui.'.join(sorted(bad))}")
    assert problems == []


def test_the_static_check_sees_relative_imports(tmp_path):
    """The checker itself must be able to fail."""
    fake = tmp_path / "probe.py"
    fake.write_text("from ..ui import app\nfrom .. import cli\nimport cjm_tui.formats.html\nfrom . import codec\n")
    assert imported_layers(fake, ("cjm_tui", "store")) == {"ui", "cli", "formats", "store"}
