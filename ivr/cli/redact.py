"""`ivr redact`: delete from the Twilio account what it keeps of the helpline's
conversations, once they are older than a window (the REST edge, ivr/twilio_redact.py,
is loaded when the command runs)."""

from __future__ import annotations

import os
import time

import click

from ivr import settings
from ivr.cli.common import count, now
from ivr.cli.group import main
from ivr.errors import ConfigError, NumberError, RedactError

NUMBERS_VARIABLE = "IVR_HELPLINE_NUMBERS"
SENDER_VARIABLE = "IVR_TEXT_FROM"  # who "text me these steps" sends from (ivr/web/texting.py)


@main.command("redact")
@click.option(
    "--number",
    "numbers",
    multiple=True,
    metavar="NUMBER",
    help=f"A helpline number, in E.164 form (+44...; whatsapp:+44... is the same number); "
    f"repeat for each. Default: {NUMBERS_VARIABLE}, comma-separated.",
)
@click.option(
    "--older-than",
    default="4h",
    show_default=True,
    metavar="AGE",
    help="Delete what is older than this: hours, minutes or days, e.g. 4h, 90m, 2d.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option(
    "--time-limit",
    default="10m",
    show_default=True,
    metavar="TIME",
    help="Start no request after this long (e.g. 10m, 30s); the next run goes on.",
)
@click.option(
    "--request-timeout",
    type=click.FloatRange(0.1, 120),
    default=15.0,
    show_default=True,
    metavar="SECONDS",
    help="How long one request to Twilio may take before it is given up.",
)
def redact(
    numbers: tuple[str, ...],
    older_than: str,
    dry_run: bool,
    time_limit: str,
    request_timeout: float,
) -> None:
    """Delete the helpline's messages and call records from the Twilio account.

    Deletes the messages to and from each helpline number (texts in, replies out, and
    from IVR_TEXT_FROM when it is a number: the texts of "text me these steps"), the
    WhatsApp messages to and from its whatsapp: address, and the records of calls to
    and from it, once older than --older-than; never anything
    still in progress. A message Twilio will not delete yet has its body blanked, and
    is deleted by a later run. Safe to run again and again: schedule it (see
    docs/privacy.md). Prints counts only, never a number or a message.

    Credentials as for configure-number: TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or
    with TWILIO_API_KEY and TWILIO_API_SECRET. IVR_TWILIO_API_URL: a stand-in for
    Twilio's API, for tests and rehearsals.
    """
    from ivr import twilio_api, twilio_redact  # the REST edge: loads twilio, so only here

    started = time.monotonic()
    try:
        window = twilio_redact.window(older_than, "--older-than")
        limit = twilio_redact.duration(time_limit, "--time-limit")
        helpline = _numbers(numbers, twilio_redact)
        deadline = started + limit.total_seconds()
        http = twilio_redact.PatientHttpClient(
            twilio_api.stand_in_url(os.environ), request_timeout, deadline
        )
        client = twilio_api.client_from_env(os.environ, http=http)
        at = now()
        cutoff = at - window
        click.echo(
            f"{'Dry run, nothing is deleted: ' if dry_run else ''}Twilio's records of "
            f"{count(len(helpline), 'helpline number')} older than {_age(window)} "
            f"(before {cutoff:%Y-%m-%d %H:%M} UTC)."
        )
        tally = twilio_redact.redact(
            client, helpline, cutoff, at, deadline, dry_run, progress=_progress
        )
    except (RedactError, NumberError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from exc
    if tally.lists_read and tally.lists_cut_short == tally.lists_read:
        raise click.ClickException(
            "Twilio could not be reached for any list (a timeout or a refusal each time); "
            "nothing was done. Check the network, and IVR_TWILIO_API_URL if it is set."
        )
    for kind, done in tally.counts.items():
        click.echo(f"  {kind}: {_summary(done, dry_run)}")
    ending = f"Done in {time.monotonic() - started:.0f} s"
    if tally.out_of_time:
        ending = f"Stopped at the time limit ({time_limit}): the next run goes on"
    if tally.lists_cut_short:
        ending += f"; {count(tally.lists_cut_short, 'list')} could not be read to the end"
    if http.waits:
        ending += f"; waited {count(http.waits, 'time')} when Twilio asked to slow down"
    click.echo(ending + ".")


def _numbers(given: tuple[str, ...], twilio_redact) -> tuple[str, ...]:
    """The numbers to redact for: --number, else IVR_HELPLINE_NUMBERS; and IVR_TEXT_FROM."""
    helpline = twilio_redact.helpline_numbers(given or settings.read(os.environ, NUMBERS_VARIABLE))
    sender = settings.read(os.environ, SENDER_VARIABLE)
    if sender and not sender.startswith("MG") and sender not in helpline:
        # "Text me these steps" sends from it: each text it sent carries a caller's
        # number and says what they called about, so it goes with the rest.
        click.echo(f"With {SENDER_VARIABLE}, the number 'text me these steps' sends from.")
        return (*helpline, sender)
    if sender:
        click.echo(
            f"{SENDER_VARIABLE} is a Messaging Service: the texts it sent are deleted only "
            f"if the service's numbers are among these (--number, or {NUMBERS_VARIABLE})."
        )
    return helpline


def _summary(done, dry_run: bool) -> str:
    if dry_run:
        parts = [f"{done.would_go} would be deleted"]
        if done.would_go:
            parts[0] += " (" + ", ".join(f"{age}: {n}" for age, n in done.ages.items()) + ")"
    else:
        parts = [f"{done.deleted} deleted"]
        if done.blanked:
            parts.append(f"{done.blanked} blanked (not deletable yet: a later run deletes)")
        if done.gone:
            parts.append(f"{done.gone} already gone")
    if done.in_progress:
        parts.append(f"{done.in_progress} in progress, left alone")
    if done.left:
        parts.append(f"{done.left} left for a later run")
    return ", ".join(parts)


def _age(window) -> str:
    minutes = int(window.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return count(minutes // (24 * 60), "day")
    if minutes % 60 == 0:
        return count(minutes // 60, "hour")
    return count(minutes, "minute")


def _progress(tally) -> None:
    done = sum(c.deleted + c.blanked + c.gone for c in tally.counts.values())
    click.echo(f"... {tally.looked_at} records looked at, {done} dealt with so far", err=True)
