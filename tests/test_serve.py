"""`cjm serve`: the editor reaches a browser over a local websocket."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    path = tmp_path / "joan.cjm.toml"
    shutil.copy(ROOT / "samples" / "joan-vacuum.cjm.toml", path)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cjm_tui", "serve", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            break
        except OSError:
            time.sleep(0.2)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("cjm serve did not answer within 20 s")
    yield url, path
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def test_page_is_served_on_localhost(server):
    url, _ = server
    page = urllib.request.urlopen(url, timeout=5).read().decode()
    assert "textual" in page.lower()
    assert "joan.cjm.toml" in page


def test_browser_tab_runs_the_editor_on_the_file(server):
    url, _ = server

    async def session() -> str:
        seen = b""
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(url.replace("http", "ws") + "/ws?width=100&height=30") as ws:
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline and b"Joan buys a new vacuum" not in seen:
                    try:
                        msg = await ws.receive(timeout=2)
                    except asyncio.TimeoutError:
                        continue
                    if msg.type == aiohttp.WSMsgType.BINARY:
                        seen += msg.data
                    elif msg.type == aiohttp.WSMsgType.TEXT:
                        seen += msg.data.encode()
                    elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                        break
        return seen.decode("utf-8", "replace")

    screen = asyncio.run(session())
    assert "Joan buys a new vacuum" in screen


def test_serve_refuses_a_bad_map(tmp_path):
    bad = tmp_path / "bad.cjm.toml"
    bad.write_text('title = "x"\n[[stages]]\nid = "a"\nemotion = 9\n')
    r = subprocess.run([sys.executable, "-m", "cjm_tui", "serve", str(bad)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert "bad.cjm.toml:4" in r.stderr and "emotion" in r.stderr
