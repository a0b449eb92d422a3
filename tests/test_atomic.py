"""Atomic save: the old file or the new one, whole, whatever happens."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from cjm_tui.model import Card
from cjm_tui.store import codec, files

from conftest import small_map


def big_texts() -> tuple[str, str]:
    m = small_map()
    for s in m.stages:
        for lane in m.lanes:
            s.cards(lane.id).extend(Card(f"{s.id} {lane.id} card {i} " + "x" * 60) for i in range(150))
    old = codec.dumps(m)
    m.title = "Joan buys a vacuum, second version"
    m.stages[0].cards("actions")[0] = Card("changed " * 20)
    return old, codec.dumps(m)


def others(folder, keep) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n != keep)


def test_writes_and_keeps_permissions(tmp_path):
    p = tmp_path / "joan.cjm.toml"
    p.write_text("old\n")
    os.chmod(p, 0o640)
    files.atomic_write(p, "new\n")
    assert p.read_text() == "new\n"
    assert stat.S_IMODE(p.stat().st_mode) == 0o640
    assert others(tmp_path, p.name) == []


def test_new_file_gets_umask_permissions(tmp_path):
    p = tmp_path / "new.cjm.toml"
    old = os.umask(0o027)
    try:
        files.atomic_write(p, "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(p.stat().st_mode) == 0o640
    assert others(tmp_path, p.name) == []


def test_writes_bytes_exactly(tmp_path):
    p = tmp_path / "joan.cjm.toml"
    text = 'title = "Jo\u2028an 🎉"\r\n'
    files.atomic_write(p, text)
    assert p.read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize("where", ["replace", "fsync", "write", "mkstemp"])
def test_failure_leaves_original_untouched(tmp_path, monkeypatch, where):
    p = tmp_path / "joan.cjm.toml"
    p.write_text("the original\n")
    os.chmod(p, 0o640)

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if where == "replace":
        monkeypatch.setattr(os, "replace", boom)
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", boom)
    elif where == "mkstemp":  # a read-only folder: no temporary file can be made
        monkeypatch.setattr(files.tempfile, "mkstemp", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    else:
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, data):
                self.fh.write(data[: len(data) // 2])
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    with pytest.raises(OSError):
        files.atomic_write(p, "the new version\n" * 1000)
    monkeypatch.undo()
    assert p.read_text() == "the original\n"
    assert stat.S_IMODE(p.stat().st_mode) == 0o640
    assert others(tmp_path, p.name) == []  # no temporary file left behind


CHILD = textwrap.dedent(
    """\
    import sys
    from pathlib import Path
    from cjm_tui.store.files import atomic_write
    path, a, b = Path(sys.argv[1]), Path(sys.argv[2]).read_text(), Path(sys.argv[3]).read_text()
    print("ready", flush=True)
    i = 0
    while True:
        atomic_write(path, b if i % 2 == 0 else a)
        i += 1
    """
)


def test_sigkill_at_random_moments_leaves_old_or_new(tmp_path):
    old, new = big_texts()
    assert len(new) > 100_000
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(old)
    b.write_text(new)
    target = tmp_path / "maps" / "big.cjm.toml"
    target.parent.mkdir()
    target.write_text(old)
    rng = random.Random(1234)
    start = time.monotonic()
    kills = 0
    while kills < 30 and time.monotonic() - start < 8:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(target), str(a), str(b)], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        kills += 1
        text = target.read_text(encoding="utf-8")
        assert text in (old, new), f"torn file after kill {kills}: {len(text)} chars"
        m, _ = codec.parse(text, str(target))
        assert files.load_fast(target) == m
    assert kills >= 10
