"""Presence marks: who else has a map open; stale marks ignored and cleaned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cjm_tui.store import SUFFIX
from cjm_tui.store.presence import STALE_SECONDS, Presence, presence_dir


@pytest.fixture
def map_path(tmp_path) -> Path:
    p = tmp_path / "joan.cjm.toml"
    p.write_text('format = 1\ntitle = "Joan"\n')
    return p


def test_claim_writes_a_mark_beside_the_map_and_release_removes_it(map_path):
    mark = Presence.claim(map_path)
    assert mark.active
    folder = presence_dir(map_path)
    assert folder.parent == map_path.parent and folder.name == ".joan.cjm.toml.cjm-presence"
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].suffix == ".json"
    data = json.loads(files[0].read_text())
    assert data["pid"] == os.getpid() and data["user"] and data["host"] and data["since"] <= time.time()
    mark.release()
    assert not folder.exists()
    mark.release()  # twice is fine


def test_marks_are_never_taken_for_maps(map_path):
    with Presence.claim(map_path):
        names = [p.name for p in map_path.parent.rglob("*")]
        assert [n for n in names if n.endswith(SUFFIX)] == ["joan.cjm.toml"]
        assert [p.name for p in map_path.parent.glob("*" + SUFFIX)] == ["joan.cjm.toml"]


def test_two_editors_see_each_other(map_path):
    a = Presence.claim(map_path)
    b = Presence.claim(map_path)
    assert [i.pid for i in a.others()] == [os.getpid()]
    assert len(b.others()) == 1
    # from the class: this process's own marks are not "others"
    assert Presence.others(map_path) == []
    assert len(Presence.others(map_path, include_own=True)) == 2
    b.release()
    assert a.others() == []
    a.release()


def test_another_process_is_listed_and_its_crash_is_noticed(map_path):
    code = (
        "import sys, time\n"
        "from cjm_tui.store.presence import Presence\n"
        f"m = Presence.claim({str(map_path)!r}, program='cjm edit')\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        others = Presence.others(map_path)
        assert [(i.pid, i.program) for i in others] == [(proc.pid, "cjm edit")]
        assert "since" in others[0].describe()
    finally:
        proc.kill()  # a crash: no release
        proc.wait()
    assert Presence.others(map_path) == []
    # the stale mark was cleaned up
    assert list(presence_dir(map_path).glob("*.json")) == []


def test_old_mark_without_heartbeat_is_stale(map_path):
    mark = Presence.claim(map_path)
    other = Presence.claim(map_path)
    old = time.time() - STALE_SECONDS - 5
    os.utime(other.file, (old, old))
    assert mark.others() == []
    assert not other.file.exists()
    other.heartbeat()  # still alive after all: the mark comes back
    assert len(mark.others()) == 1


def test_heartbeat_keeps_a_mark_fresh(map_path):
    mark = Presence.claim(map_path)
    other = Presence.claim(map_path)
    old = time.time() - STALE_SECONDS + 30
    os.utime(other.file, (old, old))
    other.heartbeat()
    assert time.time() - other.file.stat().st_mtime < 5
    assert len(mark.others(stale_after=60)) == 1


def test_mark_from_a_dead_pid_on_this_host_is_stale(map_path):
    mark = Presence.claim(map_path)
    ghost = Presence.claim(map_path)
    data = json.loads(ghost.file.read_text())
    data["pid"] = 2**22 + 12345  # no such process
    ghost.file.write_text(json.dumps(data))
    assert mark.others() == []


def test_mark_from_another_host_is_trusted_until_stale(map_path):
    mark = Presence.claim(map_path)
    folder = presence_dir(map_path)
    f = folder / "elsewhere-1-abc.json"
    f.write_text(json.dumps({"user": "ana", "host": "elsewhere", "tty": "pts/3", "pid": 1, "since": time.time()}))
    assert [(i.user, i.host) for i in mark.others()] == [("ana", "elsewhere")]
    old = time.time() - STALE_SECONDS - 1
    os.utime(f, (old, old))
    assert mark.others() == []


def test_junk_in_the_folder_is_ignored(map_path):
    mark = Presence.claim(map_path)
    folder = presence_dir(map_path)
    (folder / "half.json").write_text("{not json")
    (folder / "notes.txt").write_text("hello")
    assert mark.others() == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder_means_no_presence_not_an_error(map_path):
    map_path.parent.chmod(0o555)
    try:
        mark = Presence.claim(map_path)
        assert not mark.active
        mark.heartbeat()
        assert mark.others() == []
        mark.release()
    finally:
        map_path.parent.chmod(0o755)


def test_unwritable_folder_means_no_presence_not_an_error(tmp_path):
    mark = Presence.claim(tmp_path / "missing-folder" / "x.cjm.toml")
    assert not mark.active
    assert mark.others() == [] and Presence.others(tmp_path / "missing-folder" / "x.cjm.toml") == []
