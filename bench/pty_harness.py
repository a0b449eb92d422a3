"""Run a program in a real pseudo-terminal and time what it writes.

This is what a user's terminal (or an SSH link) sees: every byte the program
writes to its tty, with the time it arrived. Used by bench_editor.py; also a CLI:

    .venv/bin/python bench/pty_harness.py --size 120x40 --keys down,up --count 100 \\
        -- .venv/bin/python bench/ref_apps/datatable.py

Measures
  launch   spawn -> the last byte of the first screen, "settled" meaning no output
           for a settle window (150 ms) after the first frame. The first frame is the
           first output holding visible text (Textual's setup escapes are not a frame),
           or the given --ready marker. The window itself is not counted.
  key      a key written to the terminal -> the last byte of the response, settled
           meaning no output for 30 ms. Median over many keys; bytes per key too.
           A key with no output within 1 s counts as "no response".
  memory   the child's peak RSS: VmHWM from /proc/PID/status before quitting, and
           ru_maxrss from wait4() after it exits.
The terminal does not answer queries (e.g. Textual's DECRQM for synchronized
output), like a terminal that does not support them.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import termios
import time
from dataclasses import dataclass, field

KEYS = {
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "enter": "\r",
    "tab": "\t",
    "escape": "\x1b",
    "space": " ",
    "plus": "+",
    "minus": "-",
    "comma": ",",
    "ctrl+q": "\x11",
    "ctrl+c": "\x03",
}

_ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_]|.)")


def key_bytes(name: str) -> bytes:
    """A key name (``down``, ``ctrl+q``, ``l``) as the bytes a terminal sends."""
    if name in KEYS:
        return KEYS[name].encode()
    if name.startswith("ctrl+") and len(name) == 6:
        return bytes([ord(name[-1].lower()) & 0x1F])
    return name.encode()


def visible_text(data: bytes) -> str:
    """The printable text in terminal output, escape sequences removed."""
    return _ANSI.sub(b"", data).decode("utf-8", "replace")


_CUP = re.compile(rb"\x1b\[(\d*)(?:;(\d*))?H")


def rows_touched(data: bytes) -> set[int]:
    """Screen rows that *data* moves the cursor to (CSI row;col H) before writing."""
    return {int(m.group(1) or 1) for m in _CUP.finditer(data)}


def expand_keys(spec: str, count: int) -> list[str]:
    """``"l,down,h,up"`` repeated to *count* keys; ``"j*5,k*5"`` repeats items."""
    pattern: list[str] = []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        name, _, times = item.partition("*")
        pattern.extend([name] * (int(times) if times else 1))
    return [pattern[i % len(pattern)] for i in range(count)]


@dataclass
class KeyTiming:
    key: str
    latency_ms: float | None  # None: no output at all
    nbytes: int
    chunks: int
    #: where the response lies in PtyProcess.out
    start: int = 0
    end: int = 0


@dataclass
class KeyRun:
    timings: list[KeyTiming] = field(default_factory=list)

    def answered(self) -> list[KeyTiming]:
        return [t for t in self.timings if t.latency_ms is not None]

    @property
    def median_ms(self) -> float | None:
        lat = [t.latency_ms for t in self.answered()]
        return statistics.median(lat) if lat else None

    def pct_ms(self, q: float) -> float | None:
        lat = sorted(t.latency_ms for t in self.answered())
        if not lat:
            return None
        return lat[min(len(lat) - 1, int(q * len(lat)))]

    def median_rows(self, out: bytes | bytearray) -> float:
        """Median number of screen rows each answered key's response wrote to."""
        answered = self.answered()
        if not answered:
            return 0
        return statistics.median(len(rows_touched(bytes(out[t.start : t.end]))) for t in answered)

    @property
    def median_bytes(self) -> float:
        """Median bytes per answered key (a key with no output would pull it down)."""
        answered = self.answered()
        return statistics.median(t.nbytes for t in answered) if answered else 0

    @property
    def no_response(self) -> int:
        return sum(1 for t in self.timings if t.latency_ms is None)


class PtyProcess:
    """A child process on its own pseudo-terminal of *cols* x *rows*."""

    def __init__(self, argv: list[str], cols: int = 120, rows: int = 40, env: dict | None = None, cwd: str | None = None):
        self.argv = argv
        self.cols, self.rows = cols, rows
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = dict(os.environ if env is None else env)
        full_env.update(TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        for k in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DEVTOOLS_PORT"):
            full_env.pop(k, None)

        def child_setup() -> None:  # runs in the child after stdio are the slave
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.t_spawn = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=cwd,
            preexec_fn=child_setup, close_fds=True,
        )
        os.close(slave)
        self.fd = master
        self.out = bytearray()
        self.eof = False
        self.rusage_maxrss_kb: int | None = None
        self.returncode: int | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    # -- reading ---------------------------------------------------------------
    def _read_once(self, timeout: float) -> tuple[float, int] | None:
        """Wait up to *timeout* s for output; returns (arrival time, n bytes) or None."""
        if self.eof:
            time.sleep(max(0.0, timeout))
            return None
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return None
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            data = b""
        t = time.perf_counter()
        if not data:
            self.eof = True
            return None
        self.out += data
        return t, len(data)

    def read_until_quiet(self, quiet_s: float, first_timeout_s: float, max_s: float,
                         started=None) -> tuple[float | None, float | None, int, int]:
        """Read until no output for *quiet_s* after the response started.

        The response starts with the first byte, or, when *started* is given, when
        ``started(all_output_so_far)`` first becomes true. Gives up waiting for a start
        after *first_timeout_s* and for quiet after *max_s*.
        Returns (first byte time, last byte time, bytes read, chunks read).
        """
        t0 = time.perf_counter()
        first = last = None
        nbytes = chunks = 0
        begun = False
        mark = len(self.out)
        while True:
            now = time.perf_counter()
            if now - t0 > max_s:
                break
            if not begun:
                wait = t0 + first_timeout_s - now
                if wait <= 0:
                    break
            else:
                wait = last + quiet_s - now
                if wait <= 0:
                    break
            got = self._read_once(min(wait, t0 + max_s - now))
            if got is None:
                if self.eof:
                    break
                continue
            t, n = got
            if first is None:
                first = t
            last = t
            nbytes += n
            chunks += 1
            if not begun:
                begun = started is None or started(bytes(self.out[mark:]))
        return first, last, nbytes, chunks

    def drain(self, quiet_s: float = 0.05, max_s: float = 2.0) -> int:
        """Read whatever is pending until quiet. Returns bytes read."""
        t0 = time.perf_counter()
        n = 0
        last = t0
        while time.perf_counter() - t0 < max_s:
            got = self._read_once(max(0.0, last + quiet_s - time.perf_counter()))
            if got is None:
                break
            last, k = got
            n += k
        return n

    # -- measures --------------------------------------------------------------
    def wait_first_screen(self, settle_s: float = 0.15, ready: bytes | None = None, timeout_s: float = 30.0) -> float | None:
        """Seconds from spawn to the last byte of the settled first screen (None: never)."""
        if ready is not None:
            started = lambda out: ready in out or ready.decode(errors="ignore") in visible_text(out)  # noqa: E731
        else:
            started = lambda out: bool(visible_text(out).strip())  # noqa: E731
        _, last, _, _ = self.read_until_quiet(settle_s, timeout_s, timeout_s + 10, started)
        if last is None or not started(bytes(self.out)):
            return None
        return last - self.t_spawn

    def press(self, key: str, settle_s: float = 0.03, first_timeout_s: float = 1.0, max_s: float = 3.0) -> KeyTiming:
        """Send one key; time until the screen settles after it."""
        data = key_bytes(key)
        start = len(self.out)
        t_sent = time.perf_counter()
        os.write(self.fd, data)
        first, last, nbytes, chunks = self.read_until_quiet(settle_s, first_timeout_s, max_s)
        latency = None if last is None else (last - t_sent) * 1000
        return KeyTiming(key, latency, nbytes, chunks, start, len(self.out))

    def press_many(self, keys: list[str], settle_s: float = 0.03, deadline: float | None = None) -> KeyRun:
        run = KeyRun()
        for key in keys:
            if self.eof or (deadline is not None and time.perf_counter() > deadline):
                break
            run.timings.append(self.press(key, settle_s))
        return run

    def peak_rss_kb(self) -> int | None:
        """VmHWM of the live child, in kB."""
        try:
            with open(f"/proc/{self.pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def screen_text(self, tail: int = 20000) -> str:
        """Visible text of the last *tail* bytes written, blank lines dropped."""
        text = visible_text(bytes(self.out[-tail:]))
        return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())

    # -- ending ----------------------------------------------------------------
    def close(self, quit_keys: tuple[str, ...] = ("ctrl+q",), timeout_s: float = 3.0) -> int | None:
        """Quit politely with *quit_keys*, then SIGTERM, then SIGKILL; reap the child."""
        for key in quit_keys:
            if self._reaped():
                break
            try:
                os.write(self.fd, key_bytes(key))
            except OSError:
                break
            self.drain(0.05, 0.5)
        deadline = time.perf_counter() + timeout_s
        while not self._reaped() and time.perf_counter() < deadline:
            self.drain(0.05, 0.2)
            if self.eof:
                time.sleep(0.02)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self._reaped():
                break
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass
            t = time.perf_counter() + 2
            while not self._reaped() and time.perf_counter() < t:
                self.drain(0.05, 0.2)
                if self.eof:
                    time.sleep(0.02)
        self._reaped()
        try:
            os.close(self.fd)
        except OSError:
            pass
        return self.returncode

    def _reaped(self) -> bool:
        if self.returncode is not None:
            return True
        try:
            pid, status, ru = os.wait4(self.pid, os.WNOHANG)
        except ChildProcessError:  # already reaped elsewhere
            self.returncode = self.proc.returncode if self.proc.returncode is not None else -1
            return True
        if pid == 0:
            return False
        self.rusage_maxrss_kb = ru.ru_maxrss
        self.returncode = os.waitstatus_to_exitcode(status)
        self.proc.returncode = self.returncode
        return True

    def __enter__(self) -> PtyProcess:
        return self

    def __exit__(self, *exc) -> None:
        if self.returncode is None:
            self.close(())


def measure_launch(argv: list[str], cols: int = 120, rows: int = 40, settle_s: float = 0.15,
                   ready: bytes | None = None, quit_keys: tuple[str, ...] = ("ctrl+q",)) -> tuple[float | None, PtyProcess]:
    p = PtyProcess(argv, cols, rows)
    try:
        t = p.wait_first_screen(settle_s, ready)
    finally:
        p.close(quit_keys)
    return t, p


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="time a program in a pseudo-terminal")
    ap.add_argument("--size", default="120x40", help="COLSxROWS")
    ap.add_argument("--keys", default="", help="comma-separated key names, e.g. l,down,h,up or j*5,k*5")
    ap.add_argument("--count", type=int, default=100, help="keys to send (the pattern repeats)")
    ap.add_argument("--settle", type=float, default=0.03, help="quiet window after a key, s")
    ap.add_argument("--launch-settle", type=float, default=0.15, help="quiet window after the first screen, s")
    ap.add_argument("--ready", default=None, help="text that marks the first screen")
    ap.add_argument("--quit", default="ctrl+q", help="comma-separated keys that quit the program")
    ap.add_argument("--show", action="store_true", help="print the visible text written at the end")
    ap.add_argument("cmd", nargs=argparse.REMAINDER, help="-- command and arguments")
    args = ap.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("give a command after --")
    cols, rows = (int(v) for v in args.size.lower().split("x"))
    p = PtyProcess(cmd, cols, rows)
    launch = p.wait_first_screen(args.launch_settle, args.ready.encode() if args.ready else None)
    print(f"launch -> settled first screen: {launch * 1000:.0f} ms" if launch else "launch: no screen")
    if args.keys and launch:
        run = p.press_many(expand_keys(args.keys, args.count), args.settle)
        med = run.median_ms
        print(
            f"keys: {len(run.timings)} sent, median {med:.2f} ms, p90 {run.pct_ms(0.9):.2f} ms, "
            f"median {run.median_bytes:.0f} bytes/key, no response {run.no_response}"
            if med is not None else f"keys: {len(run.timings)} sent, none answered"
        )
    hwm = p.peak_rss_kb()
    text = p.screen_text() if args.show else ""
    rc = p.close(tuple(args.quit.split(",")))
    print(f"peak RSS: VmHWM {hwm} kB, ru_maxrss {p.rusage_maxrss_kb} kB, exit {rc}")
    if args.show:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
