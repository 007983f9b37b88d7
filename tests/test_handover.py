"""A restart that hands the listening socket to the next gunicorn: nothing lost, and the
next server answers (issue 22, finding 1).

Stopping on SIGTERM used to attach a "drop every connection" filter to the listening
socket. The filter belongs to the socket, so a server that inherits the socket after
that (gunicorn's USR2 upgrade, systemd's socket activation) started, looked healthy and
answered nothing. Both hand-overs are run here for real, under load.
"""

from __future__ import annotations

import functools
import os
import signal
import socket
import threading
import time
from pathlib import Path

from drill.load import Tally, surge
from drill.server import Gunicorn
from ivr.library import Library
from ivr.web import serving
from ivr.web.config import DEFAULT_SCRIPTS

from support import logged_events


@functools.cache
def scripts():
    return [Library.load((DEFAULT_SCRIPTS,)).default]  # what /voice and /sms serve


def in_background(port: int, seconds: float, concurrency: int, seed: int):
    result: dict[str, Tally] = {}

    def load() -> None:
        result["tally"] = surge(port, scripts(), seconds, concurrency, seed)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    return thread, result


def assert_nothing_lost(tally: Tally) -> None:
    assert tally.requests > 0
    assert tally.answered == tally.requests, tally
    assert (tally.lost, tally.refused) == (0, 0), tally
    assert (tally.server_errors, tally.mismatches, tally.other_status) == (0, 0, 0), tally


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its parent to reap it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_for(what, seconds: float, why: str):
    deadline = time.monotonic() + seconds
    while not (found := what()):
        assert time.monotonic() < deadline, why
        time.sleep(0.1)
    return found


def end(pid: int) -> None:
    """Stop a gunicorn master this test started (and that is no longer its child)."""
    if not alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)


def test_a_usr2_upgrade_then_winch_and_term_to_the_old_master_loses_nothing(tmp_path):
    """gunicorn's documented zero-downtime upgrade: USR2 starts a new master on the same
    socket; WINCH and TERM then stop the old one. The new one must go on answering."""
    pidfile = tmp_path / "gunicorn.pid"
    new_master = 0
    with Gunicorn(tmp_path / "gunicorn.log", args=("--pid", str(pidfile))) as old:
        try:
            during, result = in_background(old.port, 4.0, 4, seed=21)
            time.sleep(0.5)
            old.signal(signal.SIGUSR2)
            new_pidfile = Path(f"{pidfile}.2")  # gunicorn's name for the second master's
            new_master = wait_for(
                lambda: new_pidfile.exists() and int(new_pidfile.read_text().strip() or 0),
                60,
                "the new master did not start",
            )
            wait_for(lambda: len(children(new_master)) >= 2, 60, "its workers did not start")
            old.signal(signal.SIGWINCH)  # stops the old workers when daemonised; else ignored
            old.signal(signal.SIGTERM)
            assert old.wait(30) == 0
            during.join(30)
            after = surge(old.port, scripts(), 1.5, 4, seed=22)  # only the new master is left
        finally:
            if new_master:
                end(new_master)
    assert_nothing_lost(result["tally"])
    assert_nothing_lost(after)
    events = logged_events(old.log)  # the new master writes to the same log
    (stopping,) = [e for e in events if e["event"] == "stopping" and e["master"] == old.master]
    assert stopping["refused_new_connections"] is False
    assert "USR2" in stopping["socket_kept_because"]


def listening_socket() -> socket.socket:
    """A listening socket the test keeps, as systemd keeps a socket unit's."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def test_a_socket_systemd_passes_in_is_left_taking_connections_for_the_next_start(tmp_path):
    with listening_socket() as sock:
        first = Gunicorn(tmp_path / "first.log", listen=sock)
        second = Gunicorn(tmp_path / "second.log", listen=sock)
        with first:
            during, result = in_background(first.port, 3.0, 4, seed=31)
            time.sleep(1.0)
            first.signal(signal.SIGTERM)
            assert first.wait(30) == 0
        # No server runs now. The socket still completes a handshake into its queue, for
        # whichever gunicorn systemd starts next (a dropped SYN would time out here).
        probe = socket.create_connection(sock.getsockname(), timeout=2)
        probe.close()
        with second:
            during.join(30)
            after = surge(second.port, scripts(), 1.0, 4, seed=32)
    assert_nothing_lost(result["tally"])  # requests queued while no server ran included
    assert_nothing_lost(after)
    (stopping,) = [e for e in logged_events(first.log) if e["event"] == "stopping"]
    assert stopping["refused_new_connections"] is False
    assert "systemd" in stopping["socket_kept_because"]


def test_a_server_started_on_a_socket_left_dropping_connections_takes_them_again(tmp_path):
    """What a server from before this fix left behind on a systemd socket: the next one
    removes the filter at start-up, rather than run and answer nothing."""
    with listening_socket() as sock:
        assert serving.refuse_new_connections(sock)
        with Gunicorn(tmp_path / "gunicorn.log", listen=sock) as server:
            tally = surge(server.port, scripts(), 1.0, 2, seed=41)
    assert_nothing_lost(tally)
    assert "socket_filter_removed" in [e["event"] for e in logged_events(server.log)]


def test_a_socket_this_server_bound_itself_still_refuses_new_connections_on_sigterm(tmp_path):
    """Where the socket dies with this server, SIGTERM still stops its queue growing."""
    with Gunicorn(tmp_path / "gunicorn.log") as server:
        server.signal(signal.SIGTERM)
        assert server.wait(30) == 0
    (stopping,) = [e for e in logged_events(server.log) if e["event"] == "stopping"]
    assert stopping == {**stopping, "master": server.master, "refused_new_connections": True,
                        "socket_kept_because": None}  # fmt: skip
