"""The `ivr` command: check scripts, try them in a terminal, connect a Twilio number.

    ivr validate PATH...                       lint scripts (non-zero exit on any error)
    ivr simulate --channel sms|voice [SCRIPT]  a conversation through the real engine
    ivr configure-number NUMBER --base-url URL point a Twilio number at the app
    ivr graph SCRIPT [--format mermaid|dot|markdown] [--channel voice|sms]
                                               draw a script's flow
    ivr report [LOGFILE...] [--format text|json|mermaid] [--since T] [--until T]
                                               how scripts are used, from the app's logs

Domain errors become click.ClickException here, at the edge, so people see a sentence
and never a traceback. Only the domain is imported up front: validate, simulate and graph
never load flask or twilio; configure-number imports the Twilio REST edge when it runs.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from ivr import SCRIPTS_DIR, lint, report
from ivr import graph as flowchart
from ivr.errors import INFO, NumberError, ScriptError
from ivr.hours import LONDON, zone_info
from ivr.lint import rules
from ivr.lint.fault import fault_words
from ivr.lint.sms import SEGMENTS
from ivr.lint.timing import HEARD
from ivr.loader import load_script
from ivr.report import files as log_files
from ivr.report import render
from ivr.report.reading import parse_time
from ivr.script import SMS, VOICE, Script
from ivr.turns import call_turn, text_turn


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="helpline-ivr")
def main() -> None:
    """Helpline IVR: check, try and connect the helpline's scripts."""


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
        click.echo(f"{path}: {verdict} ({_count(errors, 'error')}, {_count(warnings, 'warning')})")
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


@main.command()
@click.option(
    "--channel", type=click.Choice([SMS, VOICE]), required=True, help="Texting or calling."
)
@click.argument("script", required=False, type=click.Path(path_type=Path))
@click.option(
    "--at",
    "at",
    metavar='"YYYY-MM-DD HH:MM"',
    help="Play the conversation at this London time (for opening hours), e.g. "
    '"2026-06-15 10:30". Default: now.',
)
def simulate(channel: str, script: Path | None, at: str | None) -> None:
    """Talk to a script in the terminal, through the same engine callers reach.

    Reads one input per line. By SMS each line is a text. On the phone each line is a
    key (1, *, 0...) or words as if spoken; an empty line is silence. When a call is
    put through, the next line says how that call ended (completed, busy, no-answer,
    failed or canceled). Input can be piped: printf '1\\n\\n' | ivr simulate --channel voice
    """
    moment = _moment(at)
    loaded = _load(script)
    interactive = sys.stdin.isatty()
    if interactive:
        click.echo(f"Simulating {loaded.title} ({channel}). Ctrl-D to stop.")
    if at:
        shown = moment.astimezone(zone_info(LONDON)).strftime("%A %d %B %Y, %H:%M %Z")
        click.echo(f"[the time in London: {shown}]")
    if channel == VOICE:
        _simulate_voice(loaded, interactive, moment)
    else:
        _simulate_sms(loaded, interactive, moment)


def _moment(at: str | None) -> datetime | None:
    if not at:
        return None
    try:
        local = datetime.strptime(" ".join(at.split()), "%Y-%m-%d %H:%M")
    except ValueError:
        raise click.BadParameter(
            f"'{at}' is not a date and time like \"2026-06-15 10:30\" (London time).",
            param_hint="--at",
        ) from None
    return local.replace(tzinfo=zone_info(LONDON)).astimezone(UTC)


def _simulate_voice(script: Script, interactive: bool, at: datetime | None) -> None:
    click.echo("[the call connects]")
    reply = call_turn(script, None, at or _now())
    while True:
        for paragraph in reply.paragraphs:
            click.echo(f"  {paragraph}")
        if reply.ends:
            click.echo("[the call ends]")
            return
        if reply.dial:
            click.echo(
                f"[the call is put through to {reply.dial}; type how that call ends: "
                "completed, busy, no-answer, failed or canceled]"
            )
        line = _read("key or words> ", interactive)
        if line is None:
            click.echo("[you hang up]")
            return
        line = line.strip()
        if not interactive:
            click.echo(f"> {line or '(silence)'}")
        now = at or _now()
        if reply.dial:
            via = reply.transfer.id if reply.transfer else ""
            status = line.lower() or "no-answer"
            reply = call_turn(script, reply.state, now, dial_status=status, via=via)
            continue
        digits = line if len(line) == 1 and line in "0123456789*#" else ""
        reply = call_turn(script, reply.state, now, digits=digits, speech="" if digits else line)


def _simulate_sms(script: Script, interactive: bool, at: datetime | None) -> None:
    state = None
    while True:
        line = _read("text> ", interactive)
        if line is None:
            return
        line = line.rstrip("\n")
        if not interactive:
            click.echo(f"> {line}")
        turn = text_turn(script, state, line, at or _now())
        state = turn.state
        if turn.reply is None:
            click.echo(f"  [no reply: Twilio answers '{line.strip()}' itself]")
        else:
            for text_line in turn.reply.text.splitlines():
                click.echo(f"  {text_line}")


@main.command()
@click.argument("script", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_",
    type=click.Choice(["mermaid", "dot", "markdown"]),
    default="mermaid",
    show_default=True,
    help="Mermaid (GitHub, GitLab, wikis), Graphviz DOT, or a Markdown page with the Mermaid.",
)
@click.option(
    "--channel",
    type=click.Choice([VOICE, SMS]),
    help="Draw only what callers (voice) or texters (sms) are offered; default both.",
)
def graph(script: Path, format_: str, channel: str | None) -> None:
    """Draw SCRIPT's flow: every node, option, step and global option, roles marked.

    Paste the Mermaid output into a Markdown file inside a ```mermaid block (GitHub and
    GitLab draw it), or render the DOT with Graphviz: ivr graph x.yaml --format dot | dot -Tsvg
    """
    picture = flowchart.flow(_load(script), channel)
    render = {"mermaid": flowchart.mermaid, "dot": flowchart.dot, "markdown": flowchart.markdown}
    click.echo(render[format_](picture), nl=False)


@main.command("report")
@click.argument("logs", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "json", "mermaid"]),
    default="text",
    show_default=True,
    help="Text for people, one JSON object for programs, or the flowchart with counts.",
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
    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        counted = report.build(log_files.lines_of(logs, bar), since_at, until_at, danger)
    except log_files.LogFileError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if bar:
            bar.clear()
    if format_ == "json":
        click.echo(render.as_json(counted, min_count), nl=False)
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


def _read(prompt: str, interactive: bool) -> str | None:
    if interactive:
        try:
            return input(prompt)
        except EOFError:
            click.echo()
            return None
    line = sys.stdin.readline()
    return line if line else None


def _load(path: Path | None) -> Script:
    if path is None:
        found = sorted(SCRIPTS_DIR.glob("*.yaml"))
        if len(found) != 1:
            raise click.ClickException(
                f"Say which script to use: there are {len(found)} in {SCRIPTS_DIR}."
            )
        path = found[0]
    report = lint.check(path)
    if not report.ok:
        raise click.ClickException(
            "This script has errors; fix them first:\n" + "\n".join(map(str, report.errors))
        )
    return report.script


def _now() -> datetime:
    return datetime.now(UTC)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@main.command("configure-number")
@click.argument("number")
@click.option(
    "--base-url",
    required=True,
    metavar="URL",
    help="The app's public https address, e.g. https://helpline.example.org.",
)
@click.option(
    "--script",
    "script_id",
    metavar="ID",
    help="Serve this script on the number: adds ?script=ID to the voice and SMS URLs.",
)
@click.option(
    "--allow-http",
    is_flag=True,
    help="Accept an http:// base URL; only for a local stand-in, never a real number.",
)
def configure_number(number: str, base_url: str, script_id: str | None, allow_http: bool) -> None:
    """Point a Twilio phone NUMBER at the app: voice, SMS and their fallback URLs.

    NUMBER is in E.164 form, e.g. +441234567890 (spaces are fine), and must already be
    in the account. Credentials come from TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or
    with TWILIO_API_KEY and TWILIO_API_SECRET.

    IVR_TWILIO_API_URL: send the API calls to a stand-in for Twilio's API, for tests and
    rehearsals; leave unset in production.
    """
    from ivr import twilio_api  # the REST edge: loads twilio, so only here

    try:
        client = twilio_api.client_from_env(os.environ)
        stand_in = twilio_api.stand_in_url(os.environ)
        if stand_in:
            click.echo(f"Using a stand-in for Twilio's API at {stand_in} ({twilio_api.STAND_IN}).")
        done = twilio_api.configure_number(client, number, base_url, script_id, allow_http)
    except NumberError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Configured {done.number} ({done.sid}):")
    for label, url in (
        ("voice URL", done.voice_url),
        ("voice fallback URL", done.voice_fallback_url),
        ("SMS URL", done.sms_url),
        ("SMS fallback URL", done.sms_fallback_url),
    ):
        click.echo(f"  {label:<19}{twilio_api.METHOD} {url}")
    for warning in done.warnings:
        click.echo(warning)
    click.echo(twilio_api.MESSAGING_SERVICE_NOTE)
    click.echo("Test it: text the number, or use Twilio's Virtual Phone in the Console.")
