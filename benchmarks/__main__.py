"""`python3 dev.py bench` (or `python -m benchmarks`): run every benchmark, print tables.

--tiny          a few requests and two small scripts: proves the benchmark works
                (the test suite runs this), measures nothing worth reading
--only NAME     in-process, loopback or script-load
--rounds N      interleaved rounds for each measurement (default 7 in-process, 5 loopback)
--requests N    loopback: requests measured per round of each app (default 2,000: with
                5 rounds, each p99 stands on the 100 slowest of 10,000)
--workload TEXT only the workloads whose names contain TEXT (may be given again)
--calibrate     the loopback table with the minimal webhook in both seats: every ratio
                would be 1 on a perfect machine, so it shows how far this one's noise
                alone moves them (run it beside a real run before trusting a p99)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time

from benchmarks import in_process, loopback, script_load
from benchmarks.minimal import create_minimal_app
from benchmarks.workloads import (
    SECRET,
    TOKEN,
    WORKLOADS,
    helpline_requests,
    minimal_requests,
    readers,
    reply_sizes,
)

PARTS = ("in-process", "loopback", "script-load")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py bench", description=__doc__)
    parser.add_argument("--tiny", action="store_true", help="prove it works, fast")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only this part")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per measurement")
    parser.add_argument("--requests", type=int, help="loopback: requests per round")
    parser.add_argument("--workload", action="append", help="only workloads named so")
    parser.add_argument(
        "--calibrate", action="store_true", help="loopback: minimal against itself (noise)"
    )
    args = parser.parse_args(argv)
    parts = args.only or PARTS
    workloads = tuple(
        w for w in WORKLOADS if not args.workload or any(part in w for part in args.workload)
    )
    if not workloads:
        parser.error(f"no workload is named so; the workloads are: {', '.join(WORKLOADS)}.")
    started = time.monotonic()
    print(
        f"Helpline IVR benchmark: {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the start. Ratios are helpline / minimal webhook, "
        "from interleaved rounds of one run: above 1 is faster (latency: above 1 is "
        "slower).\n",
        flush=True,
    )
    if "in-process" in parts or "loopback" in parts:
        from ivr.web import create_app

        # The app logs every webhook to stderr; here, to nowhere (but still written).
        with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
            helpline = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": SECRET})
            minimal = create_minimal_app(TOKEN, SECRET)
            ours, theirs = helpline_requests(helpline), minimal_requests(minimal)
            mine, yours = reply_sizes(helpline, ours), reply_sizes(minimal, theirs)
            replies = {w: (mine[w], yours[w]) for w in mine}
    if "in-process" in parts:
        rows = in_process.measure(
            helpline,
            minimal,
            ours,
            theirs,
            rounds=args.rounds or (1 if args.tiny else 7),
            batch_seconds=0.01 if args.tiny else 0.25,
            workloads=workloads,
            readers=readers(helpline),
        )
        print("In-process (WSGI, one process), requests per CPU-second:\n", flush=True)
        print(in_process.table(rows, replies) + "\n", flush=True)
    if "loopback" in parts:
        rows = loopback.measure(
            theirs if args.calibrate else ours,
            theirs,
            concurrencies=(1,) if args.tiny else (1, 8, 32),
            # Five rounds, interleaved, so a neighbour's burst of load falls on both apps.
            rounds=args.rounds or (1 if args.tiny else 5),
            per_round=args.requests or (30 if args.tiny else 2_000),
            targets=loopback.SAME_TWICE if args.calibrate else loopback.TARGETS,
            workloads=workloads,
        )
        what = "the minimal webhook against itself" if args.calibrate else "both"
        print(
            f"gunicorn on loopback (this repo's gunicorn.conf.py for {what}, no worker "
            f"recycled, closed loop; {rows[0].rounds} rounds of {rows[0].per_round:,} "
            "requests per app, p50 and p99 over all of them):\n",
            flush=True,
        )
        seats = {w: (yours[w], yours[w]) for w in yours} if args.calibrate else replies
        print(loopback.table(rows, seats), flush=True)
        errors = sum(r.errors for r in rows)
        if errors:
            print(f"\n{errors} requests were reset or refused (counted out of the figures).")
        recycled = sum(r.recycled for r in rows)
        print(
            f"\nRounds in which a worker was replaced (recycling is off): {recycled}.",
            flush=True,
        )
        print(flush=True)
    if "script-load" in parts:
        sizes = (10, 100) if args.tiny else (10, 100, 1_000, 10_000)
        print("Script load and lint, generated scripts (one fresh process each):\n", flush=True)
        print(script_load.table(script_load.measure(sizes)) + "\n", flush=True)
    print(f"Done in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
