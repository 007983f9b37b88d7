"""Run the drill's phases and make its table. `phases(short)` is what the tests call.

A request is *lost* when its connection reached the server and no whole reply came
back: a caller would hear Twilio's error. *Refused* means it never reached the server
(the listener was already closed, as during a restart on one machine; a platform sends
those to the new instance).
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from drill import flood
from drill.load import Tally, surge
from drill.server import Gunicorn
from ivr.library import Library
from ivr.web.config import DEFAULT_SCRIPTS

SLOW_RATE = 200  # new slow connections a second through the slow-client phase


@dataclass(frozen=True, slots=True)
class Plan:
    seconds: float  # per phase
    concurrency: int  # conversations at once
    saturation: int  # conversations at once for the saturated SIGTERM (0: skip)


SHORT = Plan(seconds=1.0, concurrency=6, saturation=0)
FULL = Plan(seconds=8.0, concurrency=24, saturation=200)


@dataclass(frozen=True, slots=True)
class Row:
    phase: str
    tally: Tally
    note: str = ""


def phases(short: bool = False, seed: int = 11, log_dir: Path | None = None) -> list[Row]:
    plan = SHORT if short else FULL
    scripts = [Library.load((DEFAULT_SCRIPTS,)).default]  # what /voice and /sms serve
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="ivr-drill-"))
    rows: list[Row] = []
    with Gunicorn(log_dir / "gunicorn.log") as server:
        rows.append(Row("surge", surge(server.port, scripts, plan.seconds, plan.concurrency, seed)))
        rows.append(_worker_killed(server, scripts, plan, seed + 1))
        rows.append(_slow_clients(server, scripts, plan, seed + 2))
        rows.append(_terminated(server, scripts, plan.seconds, plan.concurrency, seed + 3))
    if plan.saturation:
        with Gunicorn(log_dir / "gunicorn-saturated.log") as server:
            row = _terminated(server, scripts, plan.seconds, plan.saturation, seed + 4)
            rows.append(Row(f"SIGTERM at saturation ({plan.saturation} at once)", row.tally,
                            row.note))  # fmt: skip
    return rows


def _in_background(server, scripts, seconds, concurrency, seed):
    result: dict[str, Tally] = {}
    thread = threading.Thread(
        target=lambda: result.setdefault(
            "tally", surge(server.port, scripts, seconds, concurrency, seed)
        ),
        daemon=True,
    )
    thread.start()
    return thread, result


def _worker_killed(server: Gunicorn, scripts, plan: Plan, seed: int) -> Row:
    thread, result = _in_background(server, scripts, plan.seconds, plan.concurrency, seed)
    time.sleep(plan.seconds / 2)
    victim = server.workers()[0]
    os.kill(victim, signal.SIGKILL)  # a worker of the gunicorn this drill started
    thread.join()
    return Row("worker SIGKILL mid-surge", result["tally"], "the master starts a new worker")


def _slow_clients(server: Gunicorn, scripts, plan: Plan, seed: int) -> Row:
    """Slow connections are let go at their deadlines (a second or two), so the attack is
    kept up: new ones all through the phase, a few hundred held at any moment."""
    executor, running = flood.in_a_process(server.port, SLOW_RATE, plan.seconds + 1.5)
    try:
        time.sleep(1.5)  # the flood reaches its steady state
        tally = surge(server.port, scripts, plan.seconds, max(2, plan.concurrency // 3), seed)
        held = running.result(timeout=plan.seconds + flood.LINGER + 60).most_held
    finally:
        executor.shutdown()
    return Row(f"{SLOW_RATE} new slow connections a second", tally, f"{held} open at most")


def _terminated(server: Gunicorn, scripts, seconds, concurrency, seed) -> Row:
    thread, result = _in_background(server, scripts, seconds, concurrency, seed)
    time.sleep(seconds / 2)
    server.signal(signal.SIGTERM)
    code = server.wait(seconds + 30)
    thread.join()
    return Row("SIGTERM mid-surge", result["tally"], f"master exited with {code}")


# The slow-client flood: new slow connections a second, each row on its own.
FLOOD_RATES = (250, 500, 1000, 1500, 2000)
FLOOD_SECONDS = 12.0
FLOOD_WARM = 3.0  # seconds for the flood to reach its steady state before texts are timed
TWILIO_AT_ONCE = 4  # conversations at once beside the flood: a busy helpline's traffic
ANSWER_IN = 2000.0  # ms: what a text or call should be answered within


@dataclass(frozen=True, slots=True)
class FloodRow:
    flood: flood.Flood
    tally: Tally
    load: tuple[float, float]  # the 1-minute load average before and after


def flood_phases(short: bool = False, seed: int = 11, log_dir: Path | None = None):
    """One row per rate of new slow connections, texts and calls timed beside each."""
    scripts = [Library.load((DEFAULT_SCRIPTS,)).default]
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="ivr-drill-"))
    rates, seconds = ((500,), 5.0) if short else (FLOOD_RATES, FLOOD_SECONDS)
    with Gunicorn(log_dir / "gunicorn-flood.log") as server:
        return [flood_row(server, scripts, rate, seconds, seed + rate) for rate in rates]


def flood_row(server: Gunicorn, scripts, rate: int, seconds: float, seed: int) -> FloodRow:
    before = os.getloadavg()[0]
    executor, running = flood.in_a_process(server.port, rate, seconds)
    try:
        time.sleep(FLOOD_WARM)
        tally = surge(server.port, scripts, seconds - FLOOD_WARM, TWILIO_AT_ONCE, seed)
        flooded = running.result(timeout=seconds + flood.LINGER + 60)
    finally:
        executor.shutdown()
    return FloodRow(flooded, tally, (before, os.getloadavg()[0]))


def flood_table(rows: list[FloodRow]) -> str:
    head = ("| new slow connections a second: asked | made | most open at once | longest held s "
            "| texts and calls | lost | refused | p50 ms | p99 ms | max ms | over 2 s "
            "| load average |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")  # fmt: skip
    lines = [head]
    for row in rows:
        f, t = row.flood, row.tally
        late = sum(1 for ms in t.latencies if ms > ANSWER_IN)
        slowest = max(t.latencies, default=float("nan"))
        lines.append(
            f"| {f.rate} | {f.achieved:.0f}/s | {f.most_held} | {f.longest_hold():.1f} "
            f"| {t.requests} | {t.lost} | {t.refused} | {t.percentile(0.5):.0f} "
            f"| {t.percentile(0.99):.0f} | {slowest:.0f} | {late} "
            f"| {row.load[0]:.1f} to {row.load[1]:.1f} |"
        )
    return "\n".join(lines)


def table(rows: list[Row]) -> str:
    head = ("| phase | requests | 5xx | mismatches | lost replies | refused | p50 ms | p99 ms |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    lines = [head]
    for row in rows:
        t = row.tally
        lines.append(
            f"| {row.phase} | {t.requests} | {t.server_errors} | {t.mismatches} | {t.lost} "
            f"| {t.refused} | {t.percentile(0.5):.1f} | {t.percentile(0.99):.1f} |"
        )
    return "\n".join(lines)
