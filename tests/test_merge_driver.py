"""`cjm merge` as a real git merge driver, its exit codes, and faults around it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from cjm_tui.cli import main
from cjm_tui.model import Card
from cjm_tui.store import codec

from conftest import small_map

CJM = Path(sys.executable).parent / "cjm"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def write_map(path: Path, m) -> None:
    path.write_text(codec.dumps(m), encoding="utf-8")


def trio(tmp_path: Path):
    base = small_map()
    paths = [tmp_path / f"{n}.cjm.toml" for n in ("base", "ours", "theirs")]
    return base, paths


# -- the command -------------------------------------------------------------------------


def test_clean_merge_exit_0_written_to_ours(tmp_path, capsys):
    base, (b, o, t) = trio(tmp_path)
    ours, theirs = base.copy(), base.copy()
    ours.stage("buy").cards("actions").append(Card("Ours"))
    theirs.stage("search").cards("thoughts").append(Card("Theirs"))
    write_map(b, base), write_map(o, ours), write_map(t, theirs)
    assert main(["merge", str(b), str(o), str(t)]) == 0
    m, _ = codec.parse(o.read_text())
    assert [c.text for c in m.stage("buy").peek("actions")] == ["Pays at checkout", "Ours"]
    assert [c.text for c in m.stage("search").peek("thoughts")] == ["Theirs"]
    assert "merged cleanly" in capsys.readouterr().err


def test_conflict_exit_1_marks_in_file(tmp_path, capsys):
    base, (b, o, t) = trio(tmp_path)
    ours, theirs = base.copy(), base.copy()
    ours.stage("buy").cards("actions")[0].text = "Pays by card"
    theirs.stage("buy").cards("actions")[0].text = "Pays in cash"
    write_map(b, base), write_map(o, ours), write_map(t, theirs)
    out = tmp_path / "out.cjm.toml"
    assert main(["merge", str(b), str(o), str(t), "-o", str(out)]) == 1
    data = tomllib.loads(out.read_text())
    buy = next(s for s in data["stages"] if s["id"] == "buy")
    assert buy["actions"] == [{"text": "Pays by card", "conflict": "ours"}, {"text": "Pays in cash", "conflict": "theirs"}]
    assert "1 conflict" in capsys.readouterr().err


@pytest.mark.parametrize(
    "bad",
    [b"format = 1\ntitle = \"\xff\xfe\"\n", b"format = 1\ntitle = [", b"format = 1\n[[stages]]\nid = 3\n", None],
)
def test_bad_input_exit_2_nothing_written(tmp_path, capsys, bad):
    base, (b, o, t) = trio(tmp_path)
    ours = base.copy()
    ours.title = "changed"
    write_map(b, base), write_map(o, ours)
    if bad is not None:
        t.write_bytes(bad)
    before = o.read_bytes()
    assert main(["merge", str(b), str(o), str(t)]) == 2
    assert o.read_bytes() == before
    err = capsys.readouterr().err
    assert str(t) in err and err.count("\n") <= 2


def test_hostile_cards_merge_and_stay_literal(tmp_path):
    base, (b, o, t) = trio(tmp_path)
    ours, theirs = base.copy(), base.copy()
    hostile = ["\x1b[31mred\x1b[0m", "[bold]markup[/bold]", "x" * 1_000_000, '"quotes" and \\ and\nnewline']
    for h in hostile[:2]:
        ours.stage("search").cards("actions").append(Card(h))
    for h in hostile[2:]:
        theirs.stage("buy").cards("actions").append(Card(h))
    write_map(b, base), write_map(o, ours), write_map(t, theirs)
    assert main(["merge", str(b), str(o), str(t), "-q"]) == 0
    m, _ = codec.parse(o.read_text())
    got = [c.text for s in m.stages for c in s.peek("actions")]
    assert all(h in got for h in hostile)


def test_output_to_stdout(tmp_path, capsys):
    base, (b, o, t) = trio(tmp_path)
    write_map(b, base), write_map(o, base)
    theirs = base.copy()
    theirs.title = "T2"
    write_map(t, theirs)
    before = o.read_text()
    assert main(["merge", str(b), str(o), str(t), "-o", "-", "-q"]) == 0
    assert 'title = "T2"' in capsys.readouterr().out
    assert o.read_text() == before


def test_sigkill_during_merge_leaves_old_or_new_file(tmp_path):
    """Kill `cjm merge` at random moments: OURS is always the old or the merged file, whole."""
    base = small_map()
    for i in range(300):
        base.stage("search").cards("actions").append(Card(f"card {i}"))
    ours, theirs = base.copy(), base.copy()
    ours.stage("search").cards("actions")[5].text = "ours edit"
    theirs.stage("search").cards("actions")[250].text = "theirs edit"
    b, o, t = (tmp_path / f"{n}.cjm.toml" for n in ("base", "ours", "theirs"))
    write_map(b, base), write_map(t, theirs)
    old = codec.dumps(ours)
    o.write_text(old)
    subprocess.run([str(CJM), "merge", str(b), str(o), str(t), "-q"], check=True)
    new = o.read_text()
    assert new != old
    rng = random.Random(6)
    for _ in range(12):
        o.write_text(old)
        proc = subprocess.Popen([str(CJM), "merge", str(b), str(o), str(t), "-q"])
        time.sleep(rng.uniform(0.0, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = o.read_text()
        assert now in (old, new)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # a killed writer can leave its temporary file; never a torn map
    assert all(n.startswith(".ours.cjm.toml.") for n in leftovers)


# -- as a git merge driver -------------------------------------------------------------------


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_NOSYSTEM="1",
               HOME=str(repo.parent))
    return subprocess.run(["git", *args], cwd=repo, env=env, check=check, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path):
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    git(r, "config", "merge.cjm.driver", f"{CJM} merge %O %A %B --name %P")
    git(r, "config", "merge.cjm.name", "cjm journey map merge")
    (r / ".gitattributes").write_text("*.cjm.toml merge=cjm\n")
    text = codec.dumps(small_map()).replace('title = "Joan buys a vacuum"', '# a comment git must keep\ntitle = "Joan buys a vacuum"')
    (r / "joan.cjm.toml").write_text(text)
    git(r, "add", ".")
    git(r, "commit", "-qm", "base")
    return r


def edit_branch(repo: Path, branch: str, edit, start: str = "main") -> None:
    git(repo, "checkout", "-q", "-b", branch, start)
    path = repo / "joan.cjm.toml"
    m, doc = codec.parse(path.read_text())
    edit(m)
    path.write_text(codec.dumps(m, doc))
    git(repo, "commit", "-qam", branch)


@needs_git
def test_git_merges_different_cards_stages_and_lanes_cleanly(repo):
    def ours(m):
        m.stage("search").cards("actions")[0].text = "Searches on Google"
        m.stage("buy").name = "Checkout"
        m.lanes = [lane for lane in m.lanes if lane.id != "opportunities"]

    def theirs(m):
        m.stage("search").cards("actions")[2].text = "Reads many reviews"
        m.stage("compare").cards("thoughts").append(Card("Too many models"))
        m.lane("thoughts").question = "What goes through her head?"

    edit_branch(repo, "ours", ours)
    edit_branch(repo, "theirs", theirs, start="main")
    git(repo, "checkout", "-q", "ours")
    res = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    text = (repo / "joan.cjm.toml").read_text()
    assert "# a comment git must keep" in text
    m, _ = codec.parse(text)
    assert [c.text for c in m.stage("search").peek("actions")] == ["Searches on Google", "Clicks a search ad", "Reads many reviews"]
    assert m.stage("buy").name == "Checkout"
    assert [c.text for c in m.stage("compare").peek("thoughts")] == ["Which one is quieter?", "Too many models"]
    assert "opportunities" not in m.lane_ids()
    assert m.lane("thoughts").question == "What goes through her head?"


@needs_git
def test_git_conflict_on_same_card_leaves_valid_marked_map(repo):
    edit_branch(repo, "ours", lambda m: setattr(m.stage("buy").cards("actions")[0], "text", "Pays by card"))
    edit_branch(repo, "theirs", lambda m: setattr(m.stage("buy").cards("actions")[0], "text", "Pays in cash"), start="main")
    git(repo, "checkout", "-q", "ours")
    res = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert res.returncode != 0
    assert "CONFLICT" in res.stdout
    text = (repo / "joan.cjm.toml").read_text()
    assert "<<<<<<<" not in text
    data = tomllib.loads(text)
    buy = next(s for s in data["stages"] if s["id"] == "buy")
    assert buy["actions"] == [{"text": "Pays by card", "conflict": "ours"}, {"text": "Pays in cash", "conflict": "theirs"}]
    # resolving: keep one, drop the mark, commit
    m, doc = codec.parse(text)
    cards = m.stage("buy").cards("actions")
    cards[:] = [Card("Pays in cash")]
    (repo / "joan.cjm.toml").write_text(codec.dumps(m, doc))
    git(repo, "commit", "-qam", "resolved")
    assert "conflict" not in (repo / "joan.cjm.toml").read_text()
