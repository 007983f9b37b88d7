"""Slow clients: connections that hold a worker's attention without ever finishing.

    stalled(port, n)   each sends a signed-looking POST's headers, Content-Length 1000,
                       a few bytes of body, and then nothing
    idle(port, n)      each connects and sends nothing at all

Both return the open sockets; close them with `release`. Loopback only.
"""

from __future__ import annotations

import socket

HEAD = (
    b"POST /sms HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n"
    b"X-Twilio-Signature: c2xvdw==\r\nContent-Length: 1000\r\n\r\nBody=sl"
)


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def stalled(port: int, n: int) -> list[socket.socket]:
    held = []
    for _ in range(n):
        sock = _connect(port)
        sock.sendall(HEAD)
        held.append(sock)
    return held


def idle(port: int, n: int) -> list[socket.socket]:
    return [_connect(port) for _ in range(n)]


def release(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        sock.close()  # closing a socket the server already closed is fine
