#!/usr/bin/env python3
"""How fast `ivr report` reads a day of logs, and whether its memory follows the lines.

    .venv/bin/python benchmarks/report_day.py              a day: 8,640,000 lines
    .venv/bin/python benchmarks/report_day.py --hours 2    a shorter run

Writes a day of webhook lines at 100 a second (the issue's "about 9 million"), in the
app's log format, to a temporary file: 1,000 conversations open at any moment, calls and
texts, each taking six to nine turns ten seconds apart, with 1 line in 1,000 another
kind and 1 in 10,000 malformed. Then runs `ivr report FILE --format json` twice, as an
operator would (one process each): on the first quarter of the file (six hours), and on
all of it.

Prints, from that one run: lines a second, the full run's time as a share of the two
minutes allowed, and the peak memory of each run. Memory bounded by the conversations
that could still be going on (texts: the last four hours), not by lines, shows as a
ratio near 1 between the two peaks, though the second read four times the lines.
Run it with `nice` on a shared machine; nothing here is a pass or a fail.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IVR = Path(sys.executable).parent / "ivr"
SCRIPT = "link-claiming-intimate-photo"
PER_SECOND = 100
LANES = 1000  # conversations open at once; each takes a turn every LANES / PER_SECOND s
BUDGET_SECONDS = 120
PATHS = (  # (channel, [(node, outcome), ...]): what conversations do
    ("voice", [("main", "start"), ("clicked", "chose"), ("steps", "chose"), ("steps", "next"),
               ("steps", "next"), ("steps", "wrong"), ("main", "next")]),
    ("voice", [("main", "start"), ("main", "silence"), ("danger", "chose"), ("support", "chose"),
               ("support", "repeat"), ("main", "chose")]),
    ("sms", [("main", "start"), ("under-18", "chose"), ("under-18", "next"), ("steps", "chose"),
             ("steps", "next"), ("steps", "next"), ("main", "unknown"), ("dont", "chose")]),
    ("sms", [("main", "start"), ("support", "chose"), ("support", "next"), ("can-wait", "chose"),
             ("about", "chose"), ("about", "unknown"), ("steps", "chose"), ("steps", "next"),
             ("main", "chose")]),
)  # fmt: skip
GUNICORN = "[2026-11-24 00:00:00 +0000] [7] [INFO] Booting worker with pid: 7\n"


def write_day(path: Path, hours: float) -> int:
    """The log lines of `hours` of traffic; returns how many were written."""
    start = datetime(2026, 11, 24, tzinfo=UTC)
    lanes = [(n, 0, 0) for n in range(LANES)]  # (conversation number, path, turn)
    next_conversation = LANES
    written = webhooks = 0
    with path.open("w") as out:
        for second in range(int(hours * 3600)):
            stamp = (start + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%S")
            lines = []
            for i in range(PER_SECOND):
                lane = (second * PER_SECOND + i) % LANES
                number, which, turn = lanes[lane]
                channel, steps = PATHS[number % len(PATHS)]
                node, outcome = steps[turn]
                lines.append(
                    f'{{"time": "{stamp}.{i * 10:03d}Z", "level": "INFO", "logger": "ivr", '
                    f'"event": "webhook", "channel": "{channel}", "script": "{SCRIPT}", '
                    f'"node": "{node}", "outcome": "{outcome}", '
                    f'"conversation": "{number:016x}", "ms": 0.8}}\n'
                )
                if turn + 1 < len(steps):
                    lanes[lane] = (number, which, turn + 1)
                else:
                    lanes[lane] = (next_conversation, 0, 0)
                    next_conversation += 1
                webhooks += 1
                if webhooks % 1000 == 0:
                    lines.append(GUNICORN)
                if webhooks % 10_000 == 0:
                    lines.append('{"time": "2026-11-24T00:00:00.000Z", "event": "webh\n')
            written += len(lines)
            out.writelines(lines)
    return written


def run_report(path: Path) -> tuple[float, float, float, dict]:
    """Time one `ivr report` process: wall and CPU seconds, peak memory in MB, its JSON."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    done = subprocess.run(
        [str(IVR), "report", str(path), "--format", "json"],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    # ru_maxrss is the largest child so far, so run the smaller file first.
    return seconds, cpu, max(usage.ru_maxrss, before) / 1024, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=24.0, help="hours of traffic (24)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ivr-report-bench-") as folder:
        full, part = Path(folder) / "day.log", Path(folder) / "part.log"
        print(f"Writing {args.hours:g} hours of logs at {PER_SECOND} webhooks a second...")
        lines = write_day(full, args.hours)
        with full.open("rb") as source, part.open("wb") as out:
            for n, line in enumerate(source):
                if n >= lines // 4:
                    break
                out.write(line)
        size = full.stat().st_size / 1e9
        print(f"  {lines:,} lines, {size:.2f} GB")
        small_seconds, _, small_peak, _ = run_report(part)
        seconds, cpu, peak, counted = run_report(full)
    conversations = sum(counted["conversations"].values())
    print(f"ivr report on {lines:,} lines ({conversations:,} conversations):")
    print(f"  {seconds:.1f} s ({cpu:.1f} s of CPU), {lines / seconds:,.0f} lines a second")
    print(f"  time / the two minutes allowed: {seconds / BUDGET_SECONDS:.2f}")
    print(f"  malformed lines counted: {counted['lines']['malformed']:,}")
    print(
        f"  peak memory: {small_peak:.0f} MB on the first quarter of the lines "
        f"({small_seconds:.1f} s), {peak:.0f} MB on all of them"
    )
    print(
        f"  peak memory, all the lines / a quarter: {peak / small_peak:.2f} "
        "(near 1: memory does not follow the lines)"
    )


if __name__ == "__main__":
    main()
