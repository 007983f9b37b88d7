"""`python -m drill [--short] [--seed N]`: run the drill and print its table."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from drill.run import flood_phases, flood_table, phases, table


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py drill", description=__doc__)
    parser.add_argument("--short", action="store_true", help="a few seconds, as the tests run")
    parser.add_argument("--seed", type=int, default=11, help="the conversations' random seed")
    parser.add_argument(
        "--only", choices=("bad-day", "flood"), help="run one table only (default: both)"
    )
    args = parser.parse_args(argv)
    log_dir = Path(tempfile.mkdtemp(prefix="ivr-drill-"))
    print(f"Drill: real gunicorn on 127.0.0.1, logs in {log_dir}", flush=True)
    rows = []
    if args.only != "flood":
        rows = phases(short=args.short, seed=args.seed, log_dir=log_dir)
        print(table(rows))
        for row in rows:
            if row.note:
                print(f"- {row.phase}: {row.note}")
    flooded = []
    if args.only != "bad-day":
        flooded = flood_phases(short=args.short, seed=args.seed, log_dir=log_dir)
        print(f"\nSlow-client flood ({os.cpu_count()} CPUs; load average per row):\n")
        print(flood_table(flooded))
    tallies = [r.tally for r in rows] + [r.tally for r in flooded]
    bad = sum(t.server_errors + t.mismatches + t.other_status for t in tallies)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
