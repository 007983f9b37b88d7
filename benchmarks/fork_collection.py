"""What `gc.freeze` before the fork (ivr/web/serving.py) saves a worker when a full
collection comes.

    .venv/bin/python -m benchmarks.fork_collection [--requests N] [--script PATH]

One process builds the app (as gunicorn's master does with preload_app), then forks two
children one after the other, as gunicorn forks its workers: the first before
`gc.freeze()`, the second after it. Each serves the same requests in-process (the bench's
workloads, `--requests` in all), then runs one full collection, the one Python would run
by itself once enough objects have outlived the young generations. Each prints how many
full collections the requests set off, the forced one's pause, and the child's private
memory (/proc/self/smaps_rollup) after the fork, after the requests and after that
collection: the pages the collector's marks copied out of what the master shares.

benchmarks/fork_memory.py measures the same under a real gunicorn, where no full
collection may come within the run; this one makes it come.
"""

from __future__ import annotations

import gc
import os
import sys
import time

from benchmarks.fork_memory import arguments, memory
from benchmarks.loopback import _env
from benchmarks.workloads import helpline_requests, serve


def private(kb: dict[str, int]) -> int:
    return kb["Private_Dirty"] + kb["Private_Clean"]


def in_a_child(name: str, app, wanted: list, requests: int) -> str:
    """Fork; the child serves `requests`, collects once, and reports through a pipe."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        pauses: list[float] = []
        started: list[float] = []

        def timed(phase: str, info: dict) -> None:
            if info["generation"] == 2:
                if phase == "start":
                    started.append(time.perf_counter())
                else:
                    pauses.append(time.perf_counter() - started[-1])

        gc.callbacks.append(timed)
        forked = private(memory(os.getpid()))
        for i in range(requests):
            serve(app, wanted[i % len(wanted)])
        served = private(memory(os.getpid()))
        by_themselves = len(pauses)
        gc.collect()
        collected = private(memory(os.getpid()))
        line = (
            f"{name:15} private kB: after the fork {forked:>7}, after {requests} requests "
            f"{served:>7} ({by_themselves} full collections set off by them), after a full "
            f"collection {collected:>7}; its pause {pauses[-1] * 1000:.0f} ms\n"
        )
        os.write(write, line.encode())
        os._exit(0)
    os.close(write)
    out = b""
    while chunk := os.read(read, 65536):
        out += chunk
    os.close(read)
    os.waitpid(pid, 0)
    return out.decode()


def main(argv: list[str]) -> int:
    args = arguments(argv, "python -m benchmarks.fork_collection", requests=2000)
    from ivr.web import create_app

    started = time.process_time()
    app = create_app({**_env(), "IVR_SCRIPTS": str(args.script)})
    loaded = time.process_time() - started
    print(f"{args.script}: built in {loaded:.0f} CPU-s, {len(gc.get_objects())} objects tracked")
    wanted = list(helpline_requests(app).values())
    print(in_a_child("without", app, wanted, args.requests), end="", flush=True)
    gc.freeze()
    print(in_a_child("with gc.freeze", app, wanted, args.requests), end="", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
