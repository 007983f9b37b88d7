"""How gunicorn serves the app (gunicorn.conf.py): a restart that loses no reply.

Under SIGTERM a gunicorn master closes its listening socket and tells each worker to
stop; a worker stops accepting and finishes what it holds. Connections that had reached
the socket's queue but no worker yet were reset when the last copy of the socket closed:
at saturation, 127 of 599 requests in the drill. Two steps close that gap:

- `refuse_new_connections(sock)` (the master, first thing on SIGTERM): the shared
  listening socket drops new SYNs from then on, so its queue only shrinks. A client
  trying now is refused once the socket closes (a router retries it elsewhere), never
  reset mid-request.
- `DrainingGeventWorker`: on SIGTERM a worker first takes in every connection still
  queued, answers them, and only then stops as gevent's worker does.

Linux only for the first step (a BPF socket filter); elsewhere the drain alone narrows
the gap.

`when_ready` also freezes what the master loaded (the scripts, and everything worked
out for their replies) before any worker is forked, see `freeze_what_was_loaded`.
Nothing here runs when the app is served any other way (tests, `flask run`).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import socket
import struct
import sys
import time

import gevent
from gevent.pool import Group
from gunicorn.workers.ggevent import GeventWorker

SO_ATTACH_FILTER = 26  # Linux, <asm-generic/socket.h>
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


def when_ready(arbiter) -> None:
    """gunicorn's `when_ready` hook: in the master, the app loaded, no worker forked yet."""
    on_sigterm_refuse_new_connections(arbiter)
    freeze_what_was_loaded()


def freeze_what_was_loaded() -> None:
    """Leave everything loaded so far out of every later garbage collection.

    The scripts and their worked-out replies live as long as the process, and hold no
    garbage, yet each worker's first full collections walk all of them (about 0.3 s at
    10,000 nodes, paid by whichever request sets it off), and writing the collector's
    marks into them copies their memory pages into every worker. Frozen before the fork,
    they are skipped and stay shared. Workers forked later inherit the same frozen set."""
    gc.freeze()


def on_sigterm_refuse_new_connections(arbiter) -> None:
    """SIGTERM first stops the queue growing, then stops (part of `when_ready`)."""
    stop = arbiter.handle_term

    def handle_term():
        for listener in arbiter.LISTENERS:
            refuse_new_connections(listener.sock)
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
