"""Both apps under a real gunicorn on loopback, with this repo's gunicorn.conf.py.

Each app gets its own gunicorn (127.0.0.1 and a free port from the OS), started with the
same settings a deploy uses but one: no worker is recycled (`--max-requests 0`), as a
recycled worker's fork and warm-up would land inside one app's round and not the
other's; a round in which a worker changed anyway (a crash, a timeout) is reported.
For every workload and concurrency, rounds alternate between the two, each round a
closed-loop client in a process of its own that measures a fixed number of requests
after a warm-up. Requests per CPU-second of the server (master and workers) and per
second are the median over rounds of helpline / minimal; p50 and p99 latency are taken
over every request of every round of each app (rounds x requests: 10,000 by default,
so a p99 stands on its 100 slowest), then divided. The servers are stopped when the run
ends, however it ends.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.workloads import SECRET, TOKEN, WORKLOADS, Request

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = "benchmarks.minimal:create_app_from_env()"
TARGETS = {"helpline": "app:app", "minimal": MINIMAL}
# --calibrate: the minimal webhook in both seats, so every ratio "should" be 1 and how far
# each lands from it is this machine's noise, in the same table.
SAME_TWICE = {"helpline": MINIMAL, "minimal": MINIMAL}
HOST = "127.0.0.1"
START_SECONDS = 60
WARMUP_SECONDS = 0.3  # each round, before its requests are counted
MOST_SECONDS = 30  # a round on a machine too busy to answer its count in time ends here
NO_RECYCLING = ("--max-requests", "0")  # overrides gunicorn.conf.py's max_requests


@dataclass(frozen=True)
class Row:
    workload: str
    concurrency: int
    per_cpu: float  # helpline / minimal, requests per server CPU-second
    throughput: float  # helpline / minimal, requests per second
    p50: float  # helpline / minimal latency
    p99: float
    helpline_p99_ms: float
    minimal_p99_ms: float
    errors: int
    recycled: int  # rounds in which a worker of either server changed
    rounds: int
    per_round: int


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _env() -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TWILIO_", "IVR_", "SECRET_KEY", "PUBLIC_BASE_URL", "GUNICORN_"))
    }
    return {**keep, "TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": SECRET, "PYTHONUNBUFFERED": "1"}


@contextlib.contextmanager
def servers(folder: Path, targets: dict[str, str] = TARGETS) -> Iterator[dict[str, Server]]:
    """Start both gunicorns, wait until they answer, and stop them at the end."""
    running: dict[str, Server] = {}
    try:
        for name, target in targets.items():
            port = _free_port()
            log = folder / f"{name}.log"
            # No control socket: its default path is shared by every gunicorn of this
            # user, and other gunicorns may be running here.
            command = [
                sys.executable, "-m", "gunicorn", target, "--no-control-socket", *NO_RECYCLING
            ]  # fmt: skip
            with open(log, "w") as out:
                process = subprocess.Popen(
                    [*command, "--bind", f"{HOST}:{port}"],
                    cwd=ROOT,
                    env=_env(),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            running[name] = Server(name, port, process, log)
        for server in running.values():
            _wait_until_up(server)
        yield running
    finally:
        for server in running.values():
            server.process.terminate()
        for server in running.values():
            try:
                server.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{server.port}/healthz", timeout=2):
                return
        except OSError:
            if server.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"The {server.name} gunicorn did not start; its log says:\n"
                    + server.log.read_text()[-2000:]
                ) from None
            time.sleep(0.1)


def _drive(server: Server, request: Request, concurrency: int, requests: int) -> dict:
    job = {
        "host": HOST,
        "port": server.port,
        "request": base64.b64encode(request.http(HOST, server.port)).decode(),
        "concurrency": concurrency,
        "warmup": WARMUP_SECONDS,
        "requests": requests,
        "most_seconds": MOST_SECONDS,
        "master": server.process.pid,
    }
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.load_client"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=MOST_SECONDS + 90,
        check=True,
    )
    result = json.loads(done.stdout)
    if not result["answered"]:
        raise RuntimeError(
            f"The {server.name} gunicorn answered nothing ({result['first_error']}); its log "
            "says:\n" + server.log.read_text()[-2000:]
        )
    return result


def measure(
    helpline_requests: dict[str, Request],
    minimal_requests: dict[str, Request],
    concurrencies: tuple[int, ...],
    rounds: int,
    per_round: int,
    targets: dict[str, str] = TARGETS,
    workloads: tuple[str, ...] = WORKLOADS,
) -> list[Row]:
    """`per_round`: requests measured in each round of each app."""
    requests = {"helpline": helpline_requests, "minimal": minimal_requests}
    rows = []
    with tempfile.TemporaryDirectory() as folder, servers(Path(folder), targets) as running:
        for workload in workloads:
            for concurrency in concurrencies:
                ratios: dict[str, list[float]] = {"cpu": [], "rps": []}
                latencies: dict[str, list[float]] = {name: [] for name in running}
                errors = recycled = 0
                for round_ in range(rounds):
                    order = list(running) if round_ % 2 == 0 else list(reversed(running))
                    got = {
                        name: _drive(
                            running[name], requests[name][workload], concurrency, per_round
                        )
                        for name in order
                    }
                    h, m = got["helpline"], got["minimal"]
                    ratios["cpu"].append(
                        (h["answered"] / h["server_cpu"]) / (m["answered"] / m["server_cpu"])
                    )
                    ratios["rps"].append(
                        (h["answered"] / h["seconds"]) / (m["answered"] / m["seconds"])
                    )
                    for name in running:
                        latencies[name] += got[name]["latencies_ms"]
                    errors += h["errors"] + m["errors"]
                    recycled += h["recycled"] or m["recycled"]
                ours, theirs = latencies["helpline"], latencies["minimal"]
                rows.append(
                    Row(
                        workload,
                        concurrency,
                        statistics.median(ratios["cpu"]),
                        statistics.median(ratios["rps"]),
                        percentile(ours, 0.50) / percentile(theirs, 0.50),
                        percentile(ours, 0.99) / percentile(theirs, 0.99),
                        percentile(ours, 0.99),
                        percentile(theirs, 0.99),
                        errors,
                        recycled,
                        rounds,
                        per_round,
                    )
                )
    return rows


def percentile(values: list[float], p: float) -> float:
    """The value below which a share `p` of `values` lies (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def table(rows: list[Row], sizes: dict[str, tuple[int, int]]) -> str:
    """`sizes`: each workload's reply bytes, (helpline, minimal)."""
    lines = [
        "| workload | concurrency | per CPU-second | requests/s | p50 latency | p99 latency "
        "| p99 ms (helpline, minimal) | reply bytes (helpline, minimal) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ours, theirs = sizes[r.workload]
        lines.append(
            f"| {r.workload} | {r.concurrency} | {r.per_cpu:.2f} | {r.throughput:.2f} "
            f"| {r.p50:.2f}x | {r.p99:.2f}x | {r.helpline_p99_ms:.1f}, {r.minimal_p99_ms:.1f} "
            f"| {ours}, {theirs} |"
        )
    return "\n".join(lines)
