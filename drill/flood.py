"""A flood of slow clients: new connections at a steady rate, none of them ever finished.

    flood(port, rate, seconds) -> Flood

Each connection is, in turn, one of three kinds: *idle* (connects and sends nothing),
*slow headers* (a request line and one header, never the blank line that ends them) and
*stalled body* (whole headers, Content-Length 1000, and a few bytes of the body). The
flood never closes one itself: the server's deadlines decide how long each is held,
which is what a flood of them costs the server. It runs in one thread on non-blocking
sockets (selectors), so it can open a thousand a second from Python; run it in a process
of its own (`in_a_process`) so it does not share a GIL with the Twilio-side load.

Loopback only, bounded: it stops opening at `seconds`, waits at most `LINGER` for the
server to close what is left, then closes everything itself.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import socket
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

KINDS = {
    "idle": b"",
    "slow headers": b"POST /sms HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    "stalled body": (
        b"POST /sms HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"X-Twilio-Signature: c2xvdw==\r\nContent-Length: 1000\r\n\r\nBody=sl"
    ),
}
LINGER = 20.0  # seconds to wait, after the last is opened, for the server to close the rest
CONNECT_SECONDS = 10.0  # a connection not made by then counts as not connected


@dataclass
class Flood:
    rate: int  # asked for, per second
    seconds: float
    opened: int = 0  # connected (the server's kernel completed the handshake)
    not_connected: int = 0  # refused, or no handshake within CONNECT_SECONDS
    most_held: int = 0  # connections open at once, at the most
    held_seconds: dict[str, list[float]] = field(default_factory=dict)  # per kind, when closed
    still_open: int = 0  # not closed by the server within LINGER of the end: closed here

    @property
    def achieved(self) -> float:
        return self.opened / self.seconds

    def longest_hold(self) -> float:
        return max((max(v) for v in self.held_seconds.values() if v), default=0.0)


@dataclass
class _Conn:
    sock: socket.socket
    kind: str
    started: float
    connected: bool = False


def flood(port: int, rate: int, seconds: float) -> Flood:
    tally = Flood(rate, seconds)
    selector = selectors.DefaultSelector()
    kinds = list(KINDS)
    started = time.monotonic()
    made = 0
    checked = started
    try:
        while True:
            now = time.monotonic()
            opening = now - started < seconds
            if not opening and (not selector.get_map() or now - started > seconds + LINGER):
                break
            if opening:
                while made < int((now - started) * rate):
                    _open(selector, port, kinds[made % len(kinds)], tally)
                    made += 1
            for key, _ in selector.select(timeout=0.002):
                _event(selector, key.data, tally)
            if now - checked > 0.5:  # not every turn: it walks every connection
                _give_up_connecting(selector, tally, now)
                checked = now
            tally.most_held = max(tally.most_held, len(selector.get_map()))
    finally:
        tally.still_open = len(selector.get_map())
        for key in list(selector.get_map().values()):
            selector.unregister(key.fileobj)
            key.fileobj.close()
        selector.close()
    return tally


def _open(selector, port: int, kind: str, tally: Flood) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    code = sock.connect_ex(("127.0.0.1", port))
    if code not in (0, errno.EINPROGRESS):
        sock.close()
        tally.not_connected += 1
        return
    selector.register(sock, selectors.EVENT_WRITE, _Conn(sock, kind, time.monotonic()))


def _event(selector, conn: _Conn, tally: Flood) -> None:
    if not conn.connected:
        if conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
            _close(selector, conn)
            tally.not_connected += 1
            return
        conn.connected = True
        tally.opened += 1
        if KINDS[conn.kind]:
            conn.sock.send(KINDS[conn.kind])  # a few bytes: the socket buffer takes them
        selector.modify(conn.sock, selectors.EVENT_READ, conn)
        return
    with contextlib.suppress(OSError):  # a 408, or the end: either way the server let it go
        conn.sock.recv(65536)
    tally.held_seconds.setdefault(conn.kind, []).append(time.monotonic() - conn.started)
    _close(selector, conn)


def _give_up_connecting(selector, tally: Flood, now: float) -> None:
    for key in list(selector.get_map().values()):
        conn = key.data
        if not conn.connected and now - conn.started > CONNECT_SECONDS:
            _close(selector, conn)
            tally.not_connected += 1


def _close(selector, conn: _Conn) -> None:
    selector.unregister(conn.sock)
    conn.sock.close()


def in_a_process(port: int, rate: int, seconds: float):
    """Start `flood` in a process of its own; returns (executor, future)."""
    executor = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
    return executor, executor.submit(flood, port, rate, seconds)
