"""`cjm git-setup`: writes .gitattributes and git config, idempotent, polite outside a repo."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cjm_tui.cli import main


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, check=check, capture_output=True, text=True)


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    """A HOME of its own, so no test reads or writes the real global git config."""
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("HOME", str(h))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    return h


@pytest.fixture
def repo(tmp_path: Path, home: Path, monkeypatch) -> Path:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q")
    git(r, "config", "user.name", "Test")
    git(r, "config", "user.email", "test@example.com")
    monkeypatch.chdir(r)
    return r


def config(cwd: Path, key: str, *scope: str) -> str:
    return git(cwd, "config", *scope, "--get", key, check=False).stdout.strip()


def test_setup_writes_attributes_and_config(repo, capsys):
    (repo / ".gitattributes").write_text("*.png binary", encoding="utf-8")  # no final newline
    assert main(["git-setup"]) == 0
    out = capsys.readouterr().out
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == "*.png binary\n*.cjm.toml diff=cjm merge=cjm\n"
    assert config(repo, "diff.cjm.textconv").endswith("diff --textconv")
    assert config(repo, "merge.cjm.driver").endswith("merge %O %A %B --name %P")
    assert config(repo, "merge.cjm.name")
    assert ".gitattributes" in out and "diff.cjm.textconv" in out and "merge.cjm.driver" in out
    assert git(repo, "check-attr", "diff", "merge", "--", "a.cjm.toml").stdout.split() == [
        "a.cjm.toml:", "diff:", "cjm", "a.cjm.toml:", "merge:", "cjm",
    ]


def test_setup_is_idempotent(repo, capsys):
    assert main(["git-setup"]) == 0
    before = (repo / ".gitattributes").read_text(encoding="utf-8")
    cfg_before = (repo / ".git" / "config").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["git-setup"]) == 0
    out = capsys.readouterr().out
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == before
    assert (repo / ".git" / "config").read_text(encoding="utf-8") == cfg_before
    assert before.count("*.cjm.toml") == 1
    assert out.count("already") == 5  # attributes, three config keys, .gitignore


def test_setup_from_a_subfolder_writes_the_root_attributes(repo, monkeypatch, capsys):
    (repo / "maps").mkdir()
    monkeypatch.chdir(repo / "maps")
    assert main(["git-setup"]) == 0
    assert (repo / ".gitattributes").exists()
    assert not (repo / "maps" / ".gitattributes").exists()


def test_external_diff_option(repo, capsys):
    assert main(["git-setup", "--external-diff"]) == 0
    assert config(repo, "diff.cjm.command").endswith(" diff")


def test_refuses_outside_a_repository(tmp_path, home, monkeypatch, capsys):
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert main(["git-setup"]) == 2
    err = capsys.readouterr().err
    assert "not inside a git repository" in err and "--global" in err
    assert not (outside / ".gitattributes").exists()


def test_global(tmp_path, home, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert main(["git-setup", "--global"]) == 0
    attrs = home / ".config" / "git" / "attributes"
    assert attrs.read_text(encoding="utf-8") == "*.cjm.toml diff=cjm merge=cjm\n"
    assert config(tmp_path, "merge.cjm.driver", "--global").endswith("merge %O %A %B --name %P")
    capsys.readouterr()
    assert main(["git-setup", "--global"]) == 0
    assert capsys.readouterr().out.count("already") == 5
    assert (home / ".config" / "git" / "ignore").read_text(encoding="utf-8") == ".*.cjm-presence/\n"


def test_merge_driver_is_wired(repo, capsys):
    """git picks the cjm merge driver for maps (the driver itself is `cjm merge`, tested with it)."""
    assert main(["git-setup"]) == 0
    driver = config(repo, "merge.cjm.driver")
    assert "%O %A %B" in driver
    assert git(repo, "check-attr", "merge", "--", "maps/x.cjm.toml").stdout.strip().endswith("merge: cjm")


# -- user-test findings: git must find cjm without PATH, and merge messages name the real file ---------------


def _path_without_cjm() -> str:
    """A PATH with git and a shell but no `cjm` (the venv's bin is left out)."""
    import os
    import shutil

    dirs = []
    for tool in ("git", "sh"):
        found = shutil.which(tool)
        assert found
        dirs.append(str(Path(found).parent))
    path = os.pathsep.join(dict.fromkeys(dirs))
    if shutil.which("cjm", path=path):
        pytest.skip("cjm is installed next to git; cannot hide it from PATH")
    return path


def test_config_names_the_running_cjm_not_a_bare_command(repo, capsys):
    import shlex
    import sys

    assert main(["git-setup"]) == 0
    out = capsys.readouterr().out
    cjm = f"{shlex.quote(sys.executable)} -m cjm_tui"
    assert config(repo, "diff.cjm.textconv") == f"{cjm} diff --textconv"
    assert config(repo, "merge.cjm.driver") == f"{cjm} merge %O %A %B --name %P"
    assert config(repo, "merge.cjm.name") == "cjm journey map merge"
    assert sys.executable in out and "PATH" in out  # says which cjm git will run, and why


def test_git_runs_cjm_even_when_it_is_not_on_path(repo, monkeypatch, capsys):
    """With a bare `cjm` in the config, git failed with `cjm: not found` when cjm was not on PATH."""
    from conftest import small_map

    from cjm_tui.model import Card
    from cjm_tui.store import codec

    assert main(["git-setup"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("PATH", _path_without_cjm())
    base = small_map()
    f = repo / "maps" / "trip.cjm.toml"
    f.parent.mkdir()
    f.write_text(codec.dumps(base), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-qb", "theirs")
    theirs = base.copy()
    theirs.stage("search").cards("thoughts").append(Card("Theirs"))
    f.write_text(codec.dumps(theirs), encoding="utf-8")
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "-")
    ours = base.copy()
    ours.stage("buy").cards("actions").append(Card("Ours"))
    f.write_text(codec.dumps(ours), encoding="utf-8")
    diff = git(repo, "diff", "--", str(f))
    assert "not found" not in diff.stderr and "Ours" in diff.stdout
    git(repo, "commit", "-qam", "ours")
    res = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "not found" not in res.stderr
    assert "maps/trip.cjm.toml" in res.stderr  # --name %P: the real path, not git's temp file
    m, _ = codec.parse(f.read_text(encoding="utf-8"))
    assert [c.text for c in m.stage("search").peek("thoughts")] == ["Theirs"]
    assert [c.text for c in m.stage("buy").peek("actions")][-1] == "Ours"


def test_old_bare_cjm_entries_are_updated_then_left_alone(repo, capsys):
    git(repo, "config", "diff.cjm.textconv", "cjm diff --textconv")
    git(repo, "config", "merge.cjm.driver", "cjm merge %O %A %B")
    assert main(["git-setup"]) == 0
    out = capsys.readouterr().out
    assert "(was `cjm merge %O %A %B`)" in out
    assert config(repo, "merge.cjm.driver").endswith(" -m cjm_tui merge %O %A %B --name %P")
    cfg = (repo / ".git" / "config").read_text(encoding="utf-8")
    assert main(["git-setup"]) == 0
    assert (repo / ".git" / "config").read_text(encoding="utf-8") == cfg
    assert capsys.readouterr().out.count("already") == 5


def test_console_script_on_path_still_writes_an_absolute_command(repo):
    """The user's case: `cjm git-setup` run from a shell where cjm is on PATH (an activated
    venv) wrote a bare `cjm`, which git cannot run from a shell, IDE or GUI without that PATH."""
    import os
    import sys

    venv_bin = Path(sys.executable).parent
    env = dict(os.environ, PATH=os.pathsep.join([str(venv_bin), _path_without_cjm()]))
    res = subprocess.run([str(venv_bin / "cjm"), "git-setup"], cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    for key in ("diff.cjm.textconv", "merge.cjm.driver"):
        command = config(repo, key)
        assert not command.startswith("cjm "), command
        assert subprocess.run(f"{command.split(' diff')[0].split(' merge')[0]} --version", shell=True,
                              env=dict(os.environ, PATH=_path_without_cjm()), capture_output=True, check=False).returncode == 0


def test_setup_ignores_presence_marks_so_git_status_stays_clean(repo, capsys):
    """With an editor open, `git status` listed `?? .joan.cjm.toml.cjm-presence/`."""
    from cjm_tui.store.presence import Presence

    (repo / "maps").mkdir()
    joan = repo / "maps" / "joan.cjm.toml"
    joan.write_text('format = 1\ntitle = "Joan"\n', encoding="utf-8")
    (repo / ".gitignore").write_text("# build output\ndist/", encoding="utf-8")  # no final newline
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    mark = Presence.claim(joan)
    try:
        assert mark.active
        assert ".cjm-presence" in git(repo, "status", "--porcelain").stdout  # the walkthrough's complaint
        assert main(["git-setup"]) == 0
        out = capsys.readouterr().out
        assert f"{repo / '.gitignore'}: added `.*.cjm-presence/`" in out
        assert "commit .gitattributes and .gitignore" in out
        assert (repo / ".gitignore").read_text(encoding="utf-8") == "# build output\ndist/\n.*.cjm-presence/\n"
        status = git(repo, "status", "--porcelain").stdout
        assert ".cjm-presence" not in status and ".gitignore" in status
        # again: nothing added twice
        assert main(["git-setup"]) == 0
        assert f"{repo / '.gitignore'}: already has `.*.cjm-presence/`" in capsys.readouterr().out
        assert (repo / ".gitignore").read_text(encoding="utf-8").count("cjm-presence") == 1
    finally:
        mark.release()


def test_an_equivalent_ignore_rule_is_left_alone_and_a_missing_gitignore_is_created(repo, capsys):
    (repo / ".gitignore").write_text("**/.*.cjm-presence\n", encoding="utf-8")
    assert main(["git-setup"]) == 0
    assert "already has" in capsys.readouterr().out
    assert (repo / ".gitignore").read_text(encoding="utf-8") == "**/.*.cjm-presence\n"
    (repo / ".gitignore").unlink()
    assert main(["git-setup"]) == 0
    assert f"{repo / '.gitignore'}: created with `.*.cjm-presence/`" in capsys.readouterr().out
    assert (repo / ".gitignore").read_text(encoding="utf-8") == ".*.cjm-presence/\n"
