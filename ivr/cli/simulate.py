"""`ivr simulate`: a conversation in the terminal, through the engine callers reach."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from ivr.cli import common
from ivr.cli.group import main
from ivr.hours import LONDON, zone_info
from ivr.library import Library
from ivr.script import SMS, VOICE
from ivr.turns import call_turn, text_turn


@main.command()
@click.option(
    "--channel", type=click.Choice([SMS, VOICE]), required=True, help="Texting or calling."
)
@click.argument("scripts", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--at",
    "at",
    metavar='"YYYY-MM-DD HH:MM"',
    help="Play the conversation at this London time (for opening hours), e.g. "
    '"2026-06-15 10:30". Default: now.',
)
@click.option(
    "--language",
    "languages",
    multiple=True,
    metavar="TAG",
    help="Offer this language (cy-GB), drafts included; twice or more for the language "
    "choice, in that order. Default: the languages production offers.",
)
def simulate(
    channel: str, scripts: tuple[Path, ...], at: str | None, languages: tuple[str, ...]
) -> None:
    """Talk to a script in the terminal, through the same engine callers reach.

    Name several scripts to hear them as one number offering them all (a library, in
    the order given, as IVR_SCRIPTS orders them): the guide choice comes first. Reads
    one input per line. By SMS each line is a text. On the phone each line is a
    key (1, *, 0...) or words as if spoken; an empty line is silence. When a call is
    put through, the next line says how that call ended (completed, busy, no-answer,
    failed or canceled). Input can be piped: printf '1\\n\\n' | ivr simulate --channel voice
    """
    moment = _moment(at)
    library = common.load_library(scripts, languages)
    interactive = sys.stdin.isatty()
    if interactive:
        titles = " / ".join(s.title for s in library.guides)
        click.echo(f"Simulating {titles} ({channel}). Ctrl-D to stop.")
    if at:
        shown = moment.astimezone(zone_info(LONDON)).strftime("%A %d %B %Y, %H:%M %Z")
        click.echo(f"[the time in London: {shown}]")
    if channel == VOICE:
        _simulate_voice(library, interactive, moment)
    else:
        _simulate_sms(library, interactive, moment)


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


def _simulate_voice(library: Library, interactive: bool, at: datetime | None) -> None:
    click.echo("[the call connects]")
    reply = call_turn(library, None, at or common.now())
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
        line = common.read_line("key or words> ", interactive)
        if line is None:
            click.echo("[you hang up]")
            return
        line = line.strip()
        if not interactive:
            click.echo(f"> {line or '(silence)'}")
        now = at or common.now()
        if reply.dial:
            via = reply.transfer.id if reply.transfer else ""
            status = line.lower() or "no-answer"
            reply = call_turn(library, reply.state, now, dial_status=status, via=via)
            continue
        digits = line if len(line) == 1 and line in "0123456789*#" else ""
        speech = "" if digits else line
        reply = call_turn(library, reply.state, now, digits=digits, speech=speech)


def _simulate_sms(library: Library, interactive: bool, at: datetime | None) -> None:
    state = None
    while True:
        line = common.read_line("text> ", interactive)
        if line is None:
            return
        line = line.rstrip("\n")
        if not interactive:
            click.echo(f"> {line}")
        turn = text_turn(library, state, line, at or common.now())
        state = turn.state
        if turn.reply is None:
            click.echo(f"  [no reply: Twilio answers '{line.strip()}' itself]")
        else:
            for text_line in turn.reply.text.splitlines():
                click.echo(f"  {text_line}")
