"""What the commands share: a checked script, the time, counted nouns, a line of input.

`load_checked` turns a script with errors into a ClickException listing them, so every
command that runs a script refuses a broken one in the same words; `load_library` does
the same for several scripts offered together on one number. Both check a script as the
app does (`ivr.library.checked`: remembered while its files are unchanged, for the tests'
sake); `ivr validate` checks afresh.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from ivr import SCRIPTS_DIR, lint
from ivr.errors import ConfigError
from ivr.library import Library, checked
from ivr.script import Script


def read_line(prompt: str, interactive: bool) -> str | None:
    if interactive:
        try:
            return input(prompt)
        except EOFError:
            click.echo()
            return None
    line = sys.stdin.readline()
    return line if line else None


def load_checked(path: Path | None) -> Script:
    if path is None:
        found = sorted(SCRIPTS_DIR.glob("*.yaml"))
        if len(found) != 1:
            raise click.ClickException(
                f"Say which script to use: there are {len(found)} in {SCRIPTS_DIR}."
            )
        path = found[0]
    try:
        report = checked(Path(path))
    except OSError:  # missing, a folder or unreadable: the check says which, in a sentence
        report = lint.check(path)
    if not report.ok:
        raise click.ClickException(
            "This script has errors; fix them first:\n" + "\n".join(map(str, report.errors))
        )
    return report.script


def now() -> datetime:
    return datetime.now(UTC)


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def load_library(paths: tuple[Path, ...], languages: tuple[str, ...] = ()) -> Library:
    """The scripts named, as one line offers them (one: that script alone; none: the one
    shipped script), refused in one sentence if any has an error or they clash.
    `languages`: those to offer, drafts included (as development does)."""
    try:
        if len(paths) <= 1:
            script = load_checked(paths[0] if paths else None)
            return Library([script], languages, drafts=True) if languages else Library([script])
        return Library.load([str(p) for p in paths], languages, drafts=bool(languages))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
