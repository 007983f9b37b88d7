"""How gunicorn serves the app (gunicorn.conf.py): a restart that loses no reply.

Under SIGTERM a gunicorn master closes its listening socket and tells each worker to
stop; a worker stops accepting and finishes what it holds. Connections that had reached
the socket's queue but no worker yet were reset when the last copy of the socket closed:
at saturation, 127 of 599 requests in the drill. Two steps close that gap:

- `refuse_new_connections(sock)` (the master, first thing on SIGTERM): the listening
  socket drops new SYNs from then on, so its queue only shrinks. A client trying now is
  refused once the socket closes (a router retries it elsewhere), never reset
  mid-request.
- `DrainingGeventWorker`: on SIGTERM a worker first takes in every connection still
  queued, answers them, and only then stops as gevent's worker does.

The first step is a socket filter, and a filter belongs to the socket, not to the
process: on a socket that outlives this server it would drop every connection for the
next one. So it is attached only when this server holds the socket alone
(`kept_by_another`): not when systemd passed it in (socket activation keeps it for the
next start), not while a USR2 upgrade's other master shares it, not when it came by
`fd://`. Then the socket's queue simply waits for the next server, and nothing is lost
either way. A server starting on an inherited socket also removes any filter left on it
(`accept_again`), as a server from before this rule would have left one.

Linux only for the filter (BPF); elsewhere the drain alone narrows the gap.

`when_ready` also freezes what the master loaded (the scripts, and everything worked
out for their replies) before any worker is forked, see `freeze_what_was_loaded`.
Nothing here runs when the app is served any other way (tests, `flask run`).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import socket
import struct
import sys
import time

import gevent
from gevent.pool import Group
from gunicorn.workers.ggevent import GeventWorker

from ivr.web import logs

SO_ATTACH_FILTER = 26  # Linux, <asm-generic/socket.h>
SO_DETACH_FILTER = 27
_DROP_ALL = struct.pack("HBBI", 0x06, 0, 0, 0)  # one BPF instruction: "return 0", drop
DRAIN_SECONDS = 2.0  # at most this long taking in queued connections after SIGTERM


def refuse_new_connections(sock: socket.socket) -> bool:
    """Drop every new SYN on this listening socket, in every process sharing it."""
    if not sys.platform.startswith("linux"):
        return False
    program = ctypes.create_string_buffer(_DROP_ALL)
    fprog = struct.pack("HL", 1, ctypes.addressof(program))  # struct sock_fprog
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    except OSError:
        return False
    return True


def accept_again(sock: socket.socket) -> bool:
    """Remove a socket filter from this listening socket; True if there was one."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_DETACH_FILTER, 0)
    except OSError:  # ENOENT: there was no filter, the usual case
        return False
    return True


def kept_by_another(arbiter) -> str | None:
    """Why the listening sockets outlive this server, or None when it holds them alone.

    What gunicorn itself knows of every documented hand-over: systemd's LISTEN_FDS,
    the two masters of a USR2 upgrade (each holds the sockets while the other lives),
    and sockets given as fd://N by whatever started gunicorn."""
    if arbiter.systemd:
        return "systemd passed the socket in (LISTEN_FDS) and keeps it for the next start"
    if arbiter.reexec_pid:
        return f"the new master (pid {arbiter.reexec_pid}, started by USR2) serves on it"
    if arbiter.master_pid and arbiter.master_pid == os.getppid():
        return f"the old master (pid {arbiter.master_pid}) still holds it (USR2)"
    if any(isinstance(address, int) for address in arbiter.cfg.address):
        return "it was handed to gunicorn as fd://, by a process that may keep it"
    return None


def when_ready(arbiter) -> None:
    """gunicorn's `when_ready` hook: in the master, the app loaded, no worker forked yet."""
    for listener in arbiter.LISTENERS:
        if accept_again(listener.sock):
            logs.event(
                "socket_filter_removed",
                logging.WARNING,
                message="The listening socket came with a filter dropping every connection, "
                "left by a server stopped before this one; it was removed.",
            )
    on_sigterm_refuse_new_connections(arbiter)
    freeze_what_was_loaded()


def freeze_what_was_loaded() -> None:
    """Leave everything loaded so far out of every later garbage collection.

    The scripts, their worked-out replies and their compiled understanding live as long
    as the process, and hold no garbage, yet a worker's full collection walks all of
    them (measured: 0.5 s at the shipped script's size, 2.3 s at 10,000 nodes, paid by
    whichever request sets it off), and writing the collector's marks into them copies
    their memory pages into every worker (170 MB and 300 MB a worker). Frozen before the
    fork, they are skipped and stay shared. Workers forked later inherit the same frozen
    set. docs/performance.md has the figures (benchmarks/fork_collection.py)."""
    gc.freeze()


def on_sigterm_refuse_new_connections(arbiter) -> None:
    """SIGTERM first stops the queue growing where the socket is this server's alone,
    then stops (part of `when_ready`)."""
    stop = arbiter.handle_term

    def handle_term():
        shared = kept_by_another(arbiter)
        refused = False
        if shared is None:
            refused = all([refuse_new_connections(lnr.sock) for lnr in arbiter.LISTENERS])
        logs.event(
            "stopping",
            master=os.getpid(),
            refused_new_connections=refused,
            socket_kept_because=shared,
        )
        stop()

    arbiter.handle_term = handle_term  # gunicorn looks its signal handlers up by name


class DrainingGeventWorker(GeventWorker):
    """gevent's worker, which on SIGTERM answers every queued connection before it stops."""

    def handle_exit(self, sig, frame):
        gevent.spawn(self._drain_then_stop)  # out of the signal handler, as gevent's own do

    def _drain_then_stop(self) -> None:
        try:
            self._drain()
        finally:
            self.alive = False  # gevent's own graceful stop follows

    def _drain(self) -> None:
        taken = Group()
        deadline = time.monotonic() + DRAIN_SECONDS
        for listener in self.sockets:
            with contextlib.suppress(OSError):
                queue = listener.dup()
                queue.settimeout(0.0)
                while time.monotonic() < deadline:
                    try:
                        client, address = queue.accept()
                    except (BlockingIOError, TimeoutError):
                        break  # the queue is empty
                    taken.spawn(self.handle, listener, client, address)
                queue.close()
        taken.join(timeout=self.cfg.graceful_timeout)
