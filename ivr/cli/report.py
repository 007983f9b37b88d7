"""`ivr report`: how scripts are used, counted from the app's log lines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ivr import SCRIPTS_DIR, report
from ivr.cli.group import main
from ivr.errors import ScriptError
from ivr.loader import load_script
from ivr.report import files as log_files
from ivr.report import page, render
from ivr.report.reading import parse_time
from ivr.script import Script


@main.command("report")
@click.argument("logs", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "json", "mermaid", "html"]),
    default="text",
    show_default=True,
    help="Text for people, one JSON object for programs, the flowchart with counts, or one "
    "self-contained HTML page of charts (works from a file or an email attachment).",
)
@click.option("--since", metavar="TIME", help="Count only from this time (UTC unless it says).")
@click.option("--until", metavar="TIME", help="Count only before this time.")
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Hide counts below this (e.g. 5), so a report that travels singles out nobody.",
)
@click.option(
    "--script",
    "script_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A script the logs are from (repeatable; default: scripts/*.yaml). It says which "
    "node is the danger answer, and is what --format mermaid draws.",
)
def report_command(
    logs: tuple[str, ...],
    format_: str,
    since: str | None,
    until: str | None,
    min_count: int,
    script_files: tuple[Path, ...],
) -> None:
    """How scripts are used, counted from the app's log lines (LOGS files, .gz too, or
    standard input).

    Per script and channel: conversations, how many reached each node, the most common
    paths, where conversations ended, how many reached the danger answer, the share of
    inputs not understood, and turns per conversation. Lines that are not webhook lines
    are skipped; malformed ones are counted and skipped. Example:

        ivr report app.log --since 2026-11-24 --min-count 5
    """
    if not logs and sys.stdin.isatty():
        raise click.ClickException(
            "Give log files, or pipe log lines in: ivr report app.log, or "
            "heroku logs -n 1500 | ivr report"
        )
    try:
        since_at = parse_time(since) if since else None
        until_at = parse_time(until) if until else None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    scripts = _scripts_for_report(script_files)
    danger = {s.id: s.roles["danger"] for s in scripts.values()}
    under_18 = {s.id: s.roles["under_18"] for s in scripts.values()}
    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        counted = report.build(log_files.lines_of(logs, bar), since_at, until_at, danger)
    except log_files.LogFileError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if bar:
            bar.clear()
    if format_ == "json":
        click.echo(render.as_json(counted, min_count, under_18), nl=False)
    elif format_ == "html":
        click.echo(page.html(render.summary(counted, min_count, under_18)), nl=False)
    elif format_ == "mermaid":
        click.echo(render.mermaid(counted, scripts, min_count), nl=False)
    else:
        click.echo(render.text(counted, min_count), nl=False)


def _scripts_for_report(paths: tuple[Path, ...]) -> dict[str, Script]:
    scripts = {}
    for path in paths or tuple(sorted(SCRIPTS_DIR.glob("*.yaml"))):
        try:
            script = load_script(path)
        except ScriptError as exc:
            if paths:  # asked for by name: say why it cannot be used
                raise click.ClickException(f"Cannot use the script {path}:\n{exc}") from None
            continue
        scripts[script.id] = script
    return scripts


class _ProgressBar:
    """A one-line bar on standard error, only on a terminal."""

    WIDTH = 30

    def __call__(self, done: int, total: int, lines: int) -> None:
        if total:
            filled = min(self.WIDTH, self.WIDTH * done // total)
            bar = (
                f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {min(100, 100 * done // total):3d}%"
            )
        else:
            bar = "reading"
        click.echo(f"\r{bar} {lines:,} lines", nl=False, err=True)

    def clear(self) -> None:
        click.echo("\r\033[K", nl=False, err=True)
