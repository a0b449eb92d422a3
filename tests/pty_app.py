"""Run ``cjm`` in a real pseudo-terminal for tests.

The child gets a pty of 80x24 as stdin, stdout and stderr (Textual draws on
stderr, so it must be a terminal too), TERM=xterm-256color, its own session,
and private XDG_CONFIG_HOME / XDG_STATE_HOME with ``autosave_delay = 0.2``.
A thread reads the terminal all the time so the child never blocks on a full
pty buffer; every wait is bounded, and ``close`` always kills and reaps.

    with PtyApp([path], home=tmp_path / "home") as app:
        app.wait_settled()
        app.press("enter"); app.type(" EDITED"); app.press("escape")
        app.signal(signal.SIGTERM)
        assert app.wait_exit(5) == 0
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

CJM = Path(sys.executable).with_name("cjm")

KEYS = {
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "enter": b"\r",
    "tab": b"\t",
    "escape": b"\x1b",
    "space": b" ",
    "backspace": b"\x7f",
}

_ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_]|.)")


def visible_text(data: bytes) -> str:
    """The printable text in terminal output, escape sequences removed."""
    return _ANSI.sub(b"", data).decode("utf-8", "replace")


def key_bytes(name: str) -> bytes:
    if name in KEYS:
        return KEYS[name]
    if name.startswith("ctrl+") and len(name) == 6:
        return bytes([ord(name[-1].lower()) & 0x1F])
    return name.encode()


def user_env(home: Path, autosave_delay: float = 0.2) -> dict[str, str]:
    """An environment with private config/state folders and a short autosave delay."""
    config, state = home / "config", home / "state"
    (config / "cjm").mkdir(parents=True, exist_ok=True)
    state.mkdir(parents=True, exist_ok=True)
    (config / "cjm" / "settings.toml").write_text(f"autosave_delay = {autosave_delay}\n", encoding="utf-8")
    env = dict(os.environ)
    for k in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DEVTOOLS_PORT", "NO_COLOR", "COLUMNS", "LINES"):
        env.pop(k, None)
    env.update(XDG_CONFIG_HOME=str(config), XDG_STATE_HOME=str(state), HOME=str(home), TERM="xterm-256color")
    return env


class PtyApp:
    """``cjm ARGS`` (or any *argv*) on its own pseudo-terminal."""

    def __init__(
        self,
        args: list[str | os.PathLike],
        home: Path,
        *,
        cols: int = 80,
        rows: int = 24,
        autosave_delay: float = 0.2,
        argv: list[str] | None = None,
        cwd: str | os.PathLike | None = None,
    ) -> None:
        self.env = user_env(Path(home), autosave_delay)
        self.argv = argv or [str(CJM), *map(str, args)]
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

        def child_setup() -> None:  # in the child: own session, the pty as controlling terminal
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        try:
            self.proc = subprocess.Popen(
                self.argv, stdin=slave, stdout=slave, stderr=slave, env=self.env, cwd=cwd,
                preexec_fn=child_setup, close_fds=True,
            )
        except BaseException:
            os.close(master)
            os.close(slave)
            raise
        os.close(slave)
        self.fd = master
        self._out = bytearray()
        self._lock = threading.Lock()
        self._last_output = time.monotonic()
        self._eof = threading.Event()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read_loop, name=f"pty-{self.proc.pid}", daemon=True)
        self._reader.start()

    # -- output ------------------------------------------------------------------------
    def _read_loop(self) -> None:
        while not self._stop.is_set():
            try:
                r, _, _ = select.select([self.fd], [], [], 0.05)
            except (OSError, ValueError):
                break
            if not r:
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:  # EIO: the child side is closed
                data = b""
            if not data:
                break
            with self._lock:
                self._out += data
                self._last_output = time.monotonic()
        self._eof.set()

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._out)

    def mark(self) -> int:
        """Where the output is now (pass to ``text_since``/``wait_for``)."""
        with self._lock:
            return len(self._out)

    def text(self, since: int = 0) -> str:
        return visible_text(self.output[since:])

    def wait_settled(self, quiet: float = 0.3, timeout: float = 15.0, need_output: bool = True) -> bool:
        """Wait until there has been output and then none for *quiet* seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                n, last = len(self._out), self._last_output
            if self._eof.is_set():
                return True
            if (n or not need_output) and time.monotonic() - last >= quiet:
                return True
            time.sleep(0.02)
        return False

    def wait_for(self, needle: str, since: int = 0, timeout: float = 10.0) -> bool:
        """Wait until *needle* appears in the visible text written after *since*."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text(since):
                return True
            if self._eof.is_set():
                return needle in self.text(since)
            time.sleep(0.05)
        return False

    # -- input -------------------------------------------------------------------------
    def send(self, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        os.write(self.fd, data)

    def press(self, *keys: str, pause: float = 0.08) -> None:
        """Send named keys (``enter``, ``escape``, ``j``, ``ctrl+q``) one by one."""
        for key in keys:
            self.send(key_bytes(key))
            time.sleep(pause)

    def type(self, text: str, pause: float = 0.0) -> None:
        if pause:
            for ch in text:
                self.send(ch)
                time.sleep(pause)
        else:
            self.send(text)

    # -- process -----------------------------------------------------------------------
    @property
    def pid(self) -> int:
        return self.proc.pid

    def signal(self, sig: int) -> None:
        try:
            os.kill(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def wait_exit(self, timeout: float) -> int | None:
        """The exit code, or None if still running after *timeout* seconds."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def hangup(self) -> None:
        """Close our side of the terminal, like an SSH link that drops: the kernel
        sends SIGHUP to the child's session and its terminal reads and writes fail."""
        self._stop.set()
        self._reader.join(timeout=2)
        try:
            os.close(self.fd)
        except OSError:
            pass
        self.fd = -1

    def close(self) -> int | None:
        """Kill the child if it still runs, reap it, stop the reader, close the pty."""
        if self.proc.poll() is None:
            self.signal(signal.SIGKILL)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - a zombie we cannot reap
                pass
        self._stop.set()
        self._reader.join(timeout=2)
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1
        return self.proc.returncode

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
