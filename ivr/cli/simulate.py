"""`ivr simulate`: a conversation in the terminal, through the engine callers reach."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from ivr import engine, whatsapp
from ivr.cli import common
from ivr.cli.group import main
from ivr.hours import LONDON, zone_info
from ivr.library import Library
from ivr.script import SMS, VOICE, WHATSAPP
from ivr.turns import Turn, call_turn, text_turn

TAP = re.compile(r"tap\s+(\d+)", re.IGNORECASE)


@main.command()
@click.option(
    "--channel",
    type=click.Choice([SMS, VOICE, WHATSAPP]),
    required=True,
    help="Texting, calling or WhatsApp.",
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
    one input per line. By SMS each line is a text. On WhatsApp each line is a message,
    and a menu shows as its buttons or list would (as it goes once its templates are
    made: ivr whatsapp-templates); `tap 2` taps the second. On the phone each line is a
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
        _simulate_text(library, interactive, moment, channel)


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


def _simulate_text(library: Library, interactive: bool, at: datetime | None, channel: str):
    state = None
    menu: whatsapp.Menu | None = None
    while True:
        line = common.read_line("text> " if channel == SMS else "message or tap N> ", interactive)
        if line is None:
            return
        line = line.rstrip("\n")
        if not interactive:
            click.echo(f"> {line}")
        tap = TAP.fullmatch(line.strip()) if menu else None
        tapped = None
        if tap and 1 <= int(tap.group(1)) <= len(menu.items):
            item = menu.items[int(tap.group(1)) - 1]
            tapped, line = engine.tapped(*whatsapp.choice_of(item.ref)), item.label
            click.echo(f"  [you tap '{item.label}']")
        turn = text_turn(library, state, line, at or common.now(), channel=channel, tapped=tapped)
        state = turn.state
        menu = _show(library, turn, line)


def _show(library: Library, turn: Turn, line: str) -> whatsapp.Menu | None:
    """Print a reply as the person sees it; on WhatsApp, a menu to tap as its buttons or
    list. Returns that menu, for `tap N`."""
    if turn.reply is None:
        click.echo(f"  [no reply: Twilio answers '{line.strip()}' itself]")
        return None
    reply = turn.reply
    script = library.get(reply.state.script)
    shown = whatsapp.to_tap(script, reply) if script is not None else None
    words = shown[0] if shown else reply.text
    for text_line in words.splitlines():
        click.echo(f"  {text_line}")
    if shown is None:
        return None
    menu = shown[1]
    if menu.kind == whatsapp.LIST:
        click.echo(f"  [a list behind the button '{menu.button}':]")
    else:
        click.echo("  [buttons:]")
    for n, item in enumerate(menu.items, 1):
        under = f"  ({item.description})" if item.description else ""
        click.echo(f"   [{n}] {item.label}{under}")
    return menu
