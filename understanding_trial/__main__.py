"""`python3 dev.py understanding [PATH...]`: recall and false alarms on phrase files.

PATH            phrase files (default: every held-out file of the language,
                tests/corpus/held-out/en-GB*.txt, each measured on its own)
--script PATH   the script to answer with (default: the shipped guide)
--misses        also list every phrase answered wrongly; refused for a file whose header
                says SEALED (measured only, never read: its phrases are never shown)
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import date
from pathlib import Path

from ivr.loader import load_script
from understanding_trial import measure, phrase_file
from understanding_trial.conversations import CONTEXTS, Helpline, quiet_app

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "corpus" / "held-out"
LANGUAGE = "en-GB"
GUIDE = ROOT / "scripts" / "link-claiming-intimate-photo.yaml"
CRISIS_RECALL_AT_LEAST = 97  # percent: issue 19's bar
TAKEN_FOR_DANGER_AT_MOST = 5
_SEALED = re.compile(r"^#\s*SEALED\b")


def held_out_files(language: str = LANGUAGE) -> list[Path]:
    """The language's held-out files: en-GB.txt, en-GB-2.txt, ... in that order."""
    found = [p for p in HELD_OUT.glob(f"{language}*.txt") if p.stem == language
             or p.stem.startswith(f"{language}-")]  # fmt: skip
    return sorted(found, key=lambda p: (len(p.stem), p.stem))


def sealed(path: Path) -> bool:
    """Whether the file's opening comment says SEALED: measured, never shown."""
    for text in path.read_text(encoding="utf-8").splitlines():
        if not text.startswith("#"):
            return False
        if _SEALED.match(text):
            return True
    return False


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 dev.py understanding",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--script", type=Path, default=GUIDE)
    parser.add_argument("--misses", action="store_true", help="list the phrases got wrong")
    args = parser.parse_args(argv)
    paths = args.paths or held_out_files()
    files = []
    for path in paths:
        if not path.is_file():
            print(f"There is no phrase file at {path}; give the path of one.", file=sys.stderr)
            return 2
        if args.misses and sealed(path):
            print(
                f"{_shown(path)} is sealed (its header says SEALED): its phrases are never "
                "shown. Run without --misses for its rates, or name only unsealed files.",
                file=sys.stderr,
            )
            return 2
        try:
            files.append((path, phrase_file.read(path)))
        except phrase_file.PhraseFileError as exc:
            print(exc, file=sys.stderr)
            return 2
    script = load_script(args.script)
    helpline = Helpline(quiet_app_for(args.script), script)
    summaries = []
    for path, lines in files:
        summaries.append(_measure(path, lines, script, helpline, args.misses))
    if len(summaries) > 1:
        print("\nEach file on its own:")
        print("\n".join(summaries))
    return 0


def _measure(path: Path, lines, script, helpline, misses: bool) -> str:
    """Print one file's tables; return its one-line summary."""
    started = time.monotonic()
    tally = measure.Tally()
    for line in lines:
        for context, seen in helpline.replies(line.phrase).items():
            tally.add(line, context, measure.judge(script, line, seen, context), seen)
    total = tally.total
    print(
        f"Understanding on {_shown(path)}, {date.today().isoformat()}: {len(lines)} "
        f"phrases, each in {len(CONTEXTS)} contexts ({', '.join(CONTEXTS)}), through the "
        f"signed webhooks ({time.monotonic() - started:.0f} s).\n"
    )
    print("\n".join(measure.table(tally)))
    print()
    print("\n".join(measure.contexts_table(tally)))
    recall = measure.percent(total.recalled, total.crisis)
    everyday = measure.percent(total.everyday_alarms, total.everyday)
    print(
        f"\nCrisis recall {recall} (at least "
        f"{CRISIS_RECALL_AT_LEAST}% wanted). Taken for danger (at most "
        f"{TAKEN_FOR_DANGER_AT_MOST}% wanted): everyday messages (not-danger) "
        f"{everyday}, every message that "
        f"is not a crisis {measure.percent(total.alarms, total.ordinary)}.\n"
    )
    if misses:
        print("Answered wrongly (expected <- got, context):")
        for line, context, place in tally.misses:
            print(f"  {line.answer:>24} <- {place:<12} {context:<16} {line.phrase!r}")
        print()
    return (
        f"- {_shown(path)}{' (sealed)' if sealed(path) else ''}: crisis recall {recall}, "
        f"everyday messages taken for danger {everyday}"
    )


def quiet_app_for(script: Path):
    return quiet_app({"IVR_SCRIPTS": str(script)})


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
