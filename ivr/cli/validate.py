"""`ivr validate`: lint scripts and print each one's problems and verdict; with --tables,
also the SMS segments of every reply and when each key is heard on the phone.

With no path it checks the shipped scripts (`scripts/`), the folder an operator edits."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ivr import SCRIPTS_DIR, lint
from ivr.cli import common
from ivr.cli.group import main
from ivr.errors import INFO
from ivr.library import Library
from ivr.lint import rules
from ivr.lint.fault import fault_words
from ivr.lint.library import check_library
from ivr.lint.sms import SEGMENTS
from ivr.lint.timing import HEARD


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--tables",
    is_flag=True,
    help="Also print how many SMS segments each reply takes, and when each key is heard "
    "in every spoken menu.",
)
# The old way to leave the tables out, now the default: still accepted, so scripts using it run.
@click.option("--quiet", "-q", is_flag=True, hidden=True)
@click.option("--explain", metavar="CODE", help="Say what a rule (like G004) protects, and stop.")
@click.option(
    "--library",
    is_flag=True,
    help="Also check the scripts as one number offers them together, in the order given "
    "(as IVR_SCRIPTS orders them): the guide choice, its timing and texts.",
)
def validate(
    paths: tuple[Path, ...], tables: bool, quiet: bool, explain: str | None, library: bool
) -> None:
    """Check script files (or folders of them; default: scripts/) for errors and warnings.

    Prints each problem, then each file's verdict. Exits with status 1 if any file has an
    error; warnings are printed but do not fail. Each problem starts with its rule's code;
    `ivr validate --explain CODE` says what that rule protects. With --library the
    scripts are also checked as guides one number offers together (docs/several-guides.md),
    as they are without it when a folder (scripts/ by default) offers more than one guide.
    """
    if explain is not None:
        _explain(explain)
        return
    paths = paths or (_shipped(),)
    files = [f for p in paths for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    if not files:
        where = ", ".join(str(p) for p in paths)
        raise click.ClickException(f"No .yaml script files in {where}. Name a script or folder.")
    failed = False
    loaded = []
    for path in files:
        report = lint.check(path)
        loaded.append(report.script)
        for problem in report.problems:
            if problem.severity != INFO:
                click.echo(f"{problem.severity}: {problem}")
        texted = [p.message for p in report.info if p.code == SEGMENTS]
        spoken = [p.message for p in report.info if p.code == HEARD]
        if texted and tables:
            click.echo(f"{path}: SMS segments per reply (at most {lint.MAX_SMS_SEGMENTS}):")
            for message in texted:
                click.echo(f"  {message.removeprefix('SMS: ')}")
        if spoken and tables:
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
    # A folder (scripts/ by default) is what IVR_SCRIPTS serves as a glob, in name order,
    # and the app refuses guides it cannot offer together: check them as it would.
    folder = any(p.is_dir() for p in paths)
    if not failed and (library or (folder and len(Library(loaded).offered) > 1)):
        failed |= _check_together(loaded)
    for problem in fault_words():  # the words said when answering fails obey the same rules
        click.echo(f"{problem.severity}: {problem}")
        failed = True
    if failed:
        sys.exit(1)


def _shipped() -> Path:
    """scripts/, named as short as it can be from here (scripts/ from the repository)."""
    try:
        return SCRIPTS_DIR.relative_to(Path.cwd())
    except ValueError:
        return SCRIPTS_DIR


def _explain(code: str) -> None:
    text = rules.explain(code)
    if text is None:
        known = ", ".join(rules.RULES)
        raise click.ClickException(f"There is no rule '{code}'. The rules are: {known}.")
    click.echo(text)


def _check_together(scripts) -> bool:
    """The scripts as one line offers them (ivr.lint.library); True if that fails."""
    library = Library(scripts)
    problems = check_library(library)
    for problem in problems:
        click.echo(f"{problem.severity}: {problem}")
    errors = [p for p in problems if p.severity == "error"]
    verdict = "FAILED" if errors else "ok"
    guides = common.count(len(library.offered), "guide")
    counted = common.count(len(errors), "error")
    click.echo(f"the library ({guides} offered on one number): {verdict} ({counted})")
    return bool(errors)
