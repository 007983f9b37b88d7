"""`ivr whatsapp-templates`: make the Content templates behind WhatsApp's menus to tap.

The app sends a menu to tap only where its template exists and the app knows its SID, so
this command makes them from the scripts the app serves (IVR_SCRIPTS) and prints the one
setting that tells the app their SIDs, to add to the deploy's settings:

    IVR_WHATSAPP_TEMPLATES=<fingerprint>=HX...,<fingerprint>=HX...

On its own line on standard output (what it did goes to standard error), so a platform's
command can take it whole, e.g. `heroku config:set "$(ivr whatsapp-templates)"`. SIDs are
not secrets (they work only with the account's credentials), but are per account: run it
with the credentials of the account whose WhatsApp sender the app answers for, and with
the app's SECRET_KEY, which the choices' ids are keyed with. Run it again after changing
a script's menus or SECRET_KEY: until then a changed menu goes as numbered text.
"""

from __future__ import annotations

import os

import click

from ivr import settings, whatsapp
from ivr.cli.common import count
from ivr.cli.group import main
from ivr.errors import ConfigError, NumberError
from ivr.library import Library


@main.command("whatsapp-templates")
@click.option("--dry-run", is_flag=True, help="Say what would be made; call nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Also delete this app's templates that no menu uses any more.",
)
def whatsapp_templates(dry_run: bool, prune: bool) -> None:
    """Make (or find) a Content template for each WhatsApp menu to tap, and print the
    IVR_WHATSAPP_TEMPLATES line for the deploy's settings.

    Reads what the app reads: IVR_SCRIPTS, SECRET_KEY, and the credentials
    (TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET).
    IVR_TWILIO_API_URL sends the calls to a stand-in, for tests and rehearsals.
    """
    from ivr.channels.whatsapp import ChoiceIds, request  # twilio's TwiML: only here

    try:
        secret = settings.read(os.environ, "SECRET_KEY")
        library = Library.load(settings.read(os.environ, "IVR_SCRIPTS"))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    if not secret:
        raise click.ClickException(
            "SECRET_KEY is not set. Set it to the app's own SECRET_KEY: the ids of the "
            "choices in the templates are keyed with it, so the app can read a tap."
        )
    ids = ChoiceIds([secret], library.guides)
    wanted = [
        request(script, menu, ids) for script in library.guides for menu in whatsapp.menus(script)
    ]
    if dry_run:
        for made in wanted:
            (kind,) = made["types"]
            click.echo(f"would make or find {made['friendly_name']} ({kind})", err=True)
        click.echo(f"{count(len(wanted), 'template')} in all; nothing was called.", err=True)
        return
    done = _sync(wanted, prune)
    click.echo(
        f"Made {count(len(done.created), 'template')}, found {len(done.kept)} already there"
        + (f", deleted {len(done.deleted)}" if prune else "")
        + ". Add this line to the deploy's settings (it replaces any earlier one):",
        err=True,
    )
    pairs = ",".join(
        f"{name.removeprefix('helpline-ivr-')}={sid}" for name, sid in done.sids.items()
    )
    click.echo(f"IVR_WHATSAPP_TEMPLATES={pairs}")


def _sync(wanted: list[dict], prune: bool):
    from ivr import twilio_api, twilio_templates  # the REST edge: loads twilio, so only here

    try:
        client = twilio_api.client_from_env(os.environ)
        stand_in = twilio_api.stand_in_url(os.environ)
        if stand_in:
            click.echo(f"Using a stand-in for Twilio's API at {stand_in}.", err=True)
        return twilio_templates.sync(client, wanted, prune)
    except NumberError as exc:
        raise click.ClickException(str(exc)) from exc
