"""`ivr configure-number`: point a Twilio number at the app (the REST edge, loaded lazily)."""

from __future__ import annotations

import os

import click

from ivr.cli.group import main
from ivr.errors import NumberError


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
    rehearsals; leave unset in production. (Every setting: the README's table.)
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
