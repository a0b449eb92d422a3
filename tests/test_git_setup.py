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
    assert config(repo, "merge.cjm.driver").endswith("merge %O %A %B")
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
    assert out.count("already") == 4


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
    assert config(tmp_path, "merge.cjm.driver", "--global").endswith("merge %O %A %B")
    capsys.readouterr()
    assert main(["git-setup", "--global"]) == 0
    assert capsys.readouterr().out.count("already") == 4


def test_merge_driver_is_wired(repo, capsys):
    """git picks the cjm merge driver for maps (the driver itself is `cjm merge`, tested with it)."""
    assert main(["git-setup"]) == 0
    driver = config(repo, "merge.cjm.driver")
    assert "%O %A %B" in driver
    assert git(repo, "check-attr", "merge", "--", "maps/x.cjm.toml").stdout.strip().endswith("merge: cjm")
