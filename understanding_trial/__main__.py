"""`python3 dev.py understanding [PATH]`: recall and false alarms on a phrase file.

PATH            a phrase file (default: the sealed held-out file, tests/corpus/held-out/en-GB.txt)
--script PATH   the script to answer with (default: the shipped guide)
--misses        also list every phrase answered wrongly; only for a final measurement,
                as the held-out file is never tuned against
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from ivr.loader import load_script
from understanding_trial import measure, phrase_file
from understanding_trial.conversations import CONTEXTS, Helpline, quiet_app

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "corpus" / "held-out" / "en-GB.txt"
GUIDE = ROOT / "scripts" / "link-claiming-intimate-photo.yaml"
CRISIS_RECALL_AT_LEAST = 97  # percent: issue 19's bar
TAKEN_FOR_DANGER_AT_MOST = 5


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 dev.py understanding",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", nargs="?", type=Path, default=HELD_OUT)
    parser.add_argument("--script", type=Path, default=GUIDE)
    parser.add_argument("--misses", action="store_true", help="list the phrases got wrong")
    args = parser.parse_args(argv)
    if not args.path.is_file():
        print(f"There is no phrase file at {args.path}; give the path of one.", file=sys.stderr)
        return 2
    try:
        lines = phrase_file.read(args.path)
    except phrase_file.PhraseFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    script = load_script(args.script)
    helpline = Helpline(quiet_app_for(args.script), script)
    started = time.monotonic()
    tally = measure.Tally()
    for line in lines:
        for context, seen in helpline.replies(line.phrase).items():
            tally.add(line, context, measure.judge(script, line, seen, context), seen)
    total = tally.total
    print(
        f"Understanding on {_shown(args.path)}, {date.today().isoformat()}: {len(lines)} "
        f"phrases, each in {len(CONTEXTS)} contexts ({', '.join(CONTEXTS)}), through the "
        f"signed webhooks ({time.monotonic() - started:.0f} s).\n"
    )
    print("\n".join(measure.table(tally)))
    print()
    print("\n".join(measure.contexts_table(tally)))
    print(
        f"\nCrisis recall {measure.percent(total.recalled, total.crisis)} (at least "
        f"{CRISIS_RECALL_AT_LEAST}% wanted). Taken for danger (at most "
        f"{TAKEN_FOR_DANGER_AT_MOST}% wanted): everyday messages (not-danger) "
        f"{measure.percent(total.everyday_alarms, total.everyday)}, every message that "
        f"is not a crisis {measure.percent(total.alarms, total.ordinary)}."
    )
    if args.misses:
        print("\nAnswered wrongly (expected <- got, context):")
        for line, context, place in tally.misses:
            print(f"  {line.answer:>24} <- {place:<12} {context:<16} {line.phrase!r}")
    return 0


def quiet_app_for(script: Path):
    return quiet_app({"IVR_SCRIPTS": str(script)})


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
