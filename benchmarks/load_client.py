"""A closed-loop HTTP client: `concurrency` connections, opened one after another, each
sending its next request as soon as the last is answered. Started by loopback.py in a
process of its own, so its work is not counted as the server's.

Reads one JSON object on standard input (host, port, the raw request in base64,
concurrency, warm-up seconds, how many requests to measure and the most seconds to take
over them, the server's master pid) and prints one: requests answered in the measured
window and each one's latency, the window's length, the CPU seconds the server
(gunicorn's master and workers, living and reaped) spent in it, and the worker pids at
its start and end (a worker recycled in the window shows as a changed set).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")
GRACE = 30
RAMP_SECONDS = 1.0  # the longest a new connection waits for the one before to be answered


def server_cpu(master: int) -> float:
    """CPU seconds of a process and its children so far: the living ones read one by
    one, the ones already gone through the master's account of reaped children."""
    total = _cpu(master, with_reaped=True)
    for _pid, fields in _children(master):
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def workers(master: int) -> list[int]:
    """The pids of the master's living children (its workers)."""
    return sorted(pid for pid, _fields in _children(master))


def _children(master: int):
    """(pid, the fields of /proc/PID/stat after the name) of each living child of master."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                yield int(entry), fields


def _cpu(pid: int, with_reaped: bool) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if with_reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


async def _connection(host, port, request, window, latencies, errors, opened, enough):
    reader = writer = None
    while time.perf_counter() < window[1]:
        if writer is None:
            reader, writer = await asyncio.open_connection(host, port)
        started = time.perf_counter()
        try:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12]
            length, close = 0, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            await reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError):
            errors.append("reset")
            writer.close()
            writer = None
            continue
        ended = time.perf_counter()
        opened.set()
        if status != b"200":
            errors.append(status.decode())
        elif window[0] <= started and ended <= window[1]:
            latencies.append(ended - started)
            if len(latencies) >= enough[0]:
                window[1] = ended  # the last measured request: the window closes with it
                enough[1].set()
        if close:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _run(job: dict) -> dict:
    request = base64.b64decode(job["request"])
    latencies: list[float] = []
    errors: list[str] = []
    # [start, end] of the measured window: it starts after the ramp and the warm-up, and
    # ends with the answer that makes up the count asked for, or after the most seconds
    # allowed (then on whatever was answered: up to GRACE seconds more while nothing has
    # been, so every run measures something).
    window = [float("inf"), float("inf")]
    enough = (job["requests"], asyncio.Event())
    tasks = []
    for _ in range(job["concurrency"]):
        # One connection at a time, each answered once before the next opens: opened all
        # at once, they reach the listening socket together and one gunicorn worker can
        # take every one of them while the other sits idle, which doubled the latency of
        # whole rounds at random. Twilio's connections arrive spread out, too.
        opened = asyncio.Event()
        tasks.append(
            asyncio.create_task(
                _connection(
                    job["host"], job["port"], request, window, latencies, errors, opened, enough
                )
            )
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(opened.wait(), RAMP_SECONDS)
    window[0] = time.perf_counter() + job["warmup"]
    await asyncio.sleep(job["warmup"])
    workers_before = workers(job["master"])
    cpu_before = server_cpu(job["master"])
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(enough[1].wait(), job["most_seconds"])
    give_up = time.perf_counter() + GRACE
    while not latencies and time.perf_counter() < give_up:
        await asyncio.sleep(0.05)
    cpu_after = server_cpu(job["master"])
    workers_after = workers(job["master"])
    window[1] = min(window[1], time.perf_counter())
    await asyncio.gather(*tasks)
    return {
        "answered": len(latencies),
        "latencies_ms": [round(t * 1000, 3) for t in latencies],
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "seconds": window[1] - window[0],
        "server_cpu": max(cpu_after - cpu_before, 1e-9),
        "recycled": workers_before != workers_after,
    }


def main() -> None:
    job = json.load(sys.stdin)
    print(json.dumps(asyncio.run(_run(job))))


if __name__ == "__main__":
    main()
