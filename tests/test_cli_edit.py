"""`cjm PATH` and its options, before the editor takes the screen."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_plain_path_skips_argparse_and_reports_a_missing_folder(tmp_path):
    missing = tmp_path / "nope" / "x.cjm.toml"
    r = run(
        "import sys\nfrom cjm_tui.cli import main\n"
        f"code = main([{str(missing)!r}])\n"
        "import gc\n"
        "print(code, 'argparse' in sys.modules, gc.isenabled())"
    )
    # the collector, paused for the editor's start-up, runs again when the editor never opened
    assert r.stdout.strip() == "2 False True", r
    assert "the folder does not exist" in r.stderr and "x.cjm.toml" in r.stderr


def test_a_name_without_the_map_suffix_is_not_created(tmp_path):
    (tmp_path / "joan.cjm.toml").write_text('format = 1\ntitle = "J"\n')
    r = subprocess.run([sys.executable, "-m", "cjm_tui", "joan.cjm"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "did you mean joan.cjm.toml" in r.stderr
    assert not (tmp_path / "joan.cjm").exists()


def test_options_still_parse(tmp_path):
    r = subprocess.run([sys.executable, "-m", "cjm_tui", "--bogus", "x.cjm.toml"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "unrecognized arguments: --bogus" in r.stderr
    r = subprocess.run([sys.executable, "-m", "cjm_tui", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "--theme NAME" in r.stdout and "--read-only" in r.stdout


def test_the_picker_runs_with_the_collector_on(monkeypatch):
    # the collector is paused only for the editor's start-up, not for a picker session
    import gc
    from types import SimpleNamespace

    import cjm_tui.ui.screens.picker as picker
    from cjm_tui.cli import cmd_edit

    seen = []
    monkeypatch.setattr(picker, "pick_map", lambda: seen.append(gc.isenabled()))
    args = SimpleNamespace(path=None, theme=None, read_only=False, ascii=False)
    assert cmd_edit.run(args) == 0
    assert seen == [True] and gc.isenabled()
