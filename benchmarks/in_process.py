"""Both apps called through WSGI in this one process, as a server would call them.

For each workload, rounds alternate between the apps (ABBA...), each round a batch of
requests timed in CPU seconds of this process, so a neighbour's load on the machine
slows both alike. The ratio of a round is the helpline's requests per CPU-second over
the minimal webhook's; the table shows the median over rounds. Where a workload sends
words (a text or speech), each round also times reading them alone (the helpline's
understanding layer, as the turn calls it), shown as a share of the minimal webhook's
whole turn: the budget for reading a message is a quarter of it.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.workloads import WORKLOADS, Request, WsgiApp


@dataclass(frozen=True)
class Row:
    workload: str
    ratio: float  # median over rounds of helpline / minimal, in requests per CPU-second
    helpline_us: float  # median CPU microseconds a request
    minimal_us: float
    rounds: int
    reading_us: float | None = None  # median CPU microseconds reading the words alone


def _prepared(request: Request) -> tuple[dict, bytes]:
    return request.environ()


def _readings(read: Callable[[], object], count: int) -> float:
    """CPU seconds to read the same words `count` times."""
    started = time.process_time()
    for _ in range(count):
        read()
    return max(time.process_time() - started, 1e-9)


def _batch(app: WsgiApp, environ: dict, body: bytes, count: int) -> float:
    """CPU seconds to answer `count` requests."""
    statuses: list[str] = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    started = time.process_time()
    for _ in range(count):
        env = environ.copy()
        env["wsgi.input"] = io.BytesIO(body)
        result = app(env, start_response)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    spent = time.process_time() - started
    wrong = [s for s in statuses if not s.startswith("200")]
    if wrong:
        raise RuntimeError(f"A benchmark request was answered {wrong[0]}, not 200.")
    return max(spent, 1e-9)


def measure(
    helpline: WsgiApp,
    minimal: WsgiApp,
    helpline_requests: dict[str, Request],
    minimal_requests: dict[str, Request],
    rounds: int,
    batch_seconds: float,
    workloads: tuple[str, ...] = WORKLOADS,
    readers: dict[str, Callable[[], object]] | None = None,
) -> list[Row]:
    """`readers`: for a workload that sends words, reading them as the helpline does."""
    readers = readers or {}
    rows = []
    # The helpline writes one log line a request: to nowhere here, but still written.
    with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
        for workload in workloads:
            apps = {
                "helpline": (helpline, *_prepared(helpline_requests[workload])),
                "minimal": (minimal, *_prepared(minimal_requests[workload])),
            }
            counts = {}
            for name, (app, environ, body) in apps.items():
                _batch(app, environ, body, 20)  # warm up
                per_request = _batch(app, environ, body, 50) / 50
                counts[name] = max(5, int(batch_seconds / per_request))
            read = readers.get(workload)
            reading_us: list[float] = []
            per_request_us: dict[str, list[float]] = {name: [] for name in apps}
            ratios = []
            for round_ in range(rounds):
                order = list(apps) if round_ % 2 == 0 else list(reversed(apps))
                rate = {}
                for name in order:
                    app, environ, body = apps[name]
                    spent = _batch(app, environ, body, counts[name])
                    rate[name] = counts[name] / spent
                    per_request_us[name].append(spent / counts[name] * 1e6)
                ratios.append(rate["helpline"] / rate["minimal"])
                if read is not None:
                    reading_us.append(
                        _readings(read, counts["helpline"]) / counts["helpline"] * 1e6
                    )
            rows.append(
                Row(
                    workload,
                    statistics.median(ratios),
                    statistics.median(per_request_us["helpline"]),
                    statistics.median(per_request_us["minimal"]),
                    rounds,
                    statistics.median(reading_us) if reading_us else None,
                )
            )
    return rows


def table(rows: list[Row], sizes: dict[str, tuple[int, int]]) -> str:
    """`sizes`: each workload's reply bytes, (helpline, minimal)."""
    lines = [
        "| workload | helpline / minimal webhook | helpline µs | minimal µs "
        "| reply bytes (helpline, minimal) | reading alone µs (share of minimal) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        ours, theirs = sizes[row.workload]
        reading = (
            "" if row.reading_us is None
            else f"{row.reading_us:.0f} ({row.reading_us / row.minimal_us:.2f})"
        )  # fmt: skip
        lines.append(
            f"| {row.workload} | {row.ratio:.2f} | {row.helpline_us:.0f} | {row.minimal_us:.0f} "
            f"| {ours}, {theirs} | {reading} |"
        )
    return "\n".join(lines)
