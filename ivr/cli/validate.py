"""`ivr validate`: lint scripts, print the verdict, the problems and the tables."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ivr import lint
from ivr.cli import common
from ivr.cli.group import main
from ivr.errors import INFO
from ivr.lint import rules
from ivr.lint.fault import fault_words
from ivr.lint.sms import SEGMENTS
from ivr.lint.timing import HEARD


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print only problems, not SMS segment counts.")
@click.option("--explain", metavar="CODE", help="Say what a rule (like G004) protects, and stop.")
def validate(paths: tuple[Path, ...], quiet: bool, explain: str | None) -> None:
    """Check script files (or folders of them) for errors and warnings.

    Exits with status 1 if any file has an error. Warnings are printed but do not fail.
    Also prints how many SMS segments each reply takes, and for every spoken menu how
    long it lasts and when each key has been heard. Each problem starts with its rule's
    code; `ivr validate --explain CODE` says what that rule protects.
    """
    if explain is not None:
        _explain(explain)
        return
    if not paths:
        raise click.UsageError("Name at least one script file or folder to check.")
    files = [f for p in paths for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    if not files:
        raise click.ClickException("No .yaml files found in the folders given.")
    failed = False
    for path in files:
        report = lint.check(path)
        for problem in report.problems:
            if problem.severity != INFO:
                click.echo(f"{problem.severity}: {problem}")
        texted = [p.message for p in report.info if p.code == SEGMENTS]
        spoken = [p.message for p in report.info if p.code == HEARD]
        if texted and not quiet:
            click.echo(f"{path}: SMS segments per reply (at most {lint.MAX_SMS_SEGMENTS}):")
            for message in texted:
                click.echo(f"  {message.removeprefix('SMS: ')}")
        if spoken and not quiet:
            rate = report.script.limits.words_per_minute
            click.echo(
                f"{path}: on the phone, when each key has been heard ({rate} words a minute, "
                "pauses included):"
            )
            for message in spoken:
                click.echo(f"  {message.removeprefix('Voice: ')}")
        errors, warnings = len(report.errors), len(report.warnings)
        verdict = "ok" if report.ok else "FAILED"
        counts = f"{common.count(errors, 'error')}, {common.count(warnings, 'warning')}"
        click.echo(f"{path}: {verdict} ({counts})")
        failed |= not report.ok
    for problem in fault_words():  # the words said when answering fails obey the same rules
        click.echo(f"{problem.severity}: {problem}")
        failed = True
    if failed:
        sys.exit(1)


def _explain(code: str) -> None:
    text = rules.explain(code)
    if text is None:
        known = ", ".join(rules.RULES)
        raise click.ClickException(f"There is no rule '{code}'. The rules are: {known}.")
    click.echo(text)
