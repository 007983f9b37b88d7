"""The Content API edge: the templates behind WhatsApp's menus to tap, made in Twilio.

    existing(client)                  -> {name: SID} of this app's templates in the account
    sync(client, requests, prune)     -> Synced: each wanted template made (or found), and
                                         with `prune` the app's templates no script needs
                                         any more deleted

A template is never changed in place: its name is the fingerprint of everything in it
(ivr.channels.whatsapp), so a changed menu is a new template, found by name on the next
run, and an unchanged one is found and kept (running it twice makes nothing twice).
Calls go through the twilio package's Content API client
(twilio.com/docs/content/content-api-resources: list, create, fetch and delete), with the
credentials and stand-in of ivr.twilio_api. Never imported by the web layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import requests
from twilio.base.exceptions import TwilioException
from twilio.rest import Client
from twilio.rest.content.v1.content import ContentList

from ivr.errors import NumberError
from ivr.twilio_api import _api_error

PREFIX = "helpline-ivr-"  # every template this app makes is named so (ivr.channels.whatsapp)


@dataclass
class Synced:
    sids: dict[str, str] = field(default_factory=dict)  # template name -> SID, all wanted
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def existing(client: Client) -> dict[str, str]:
    """This app's templates in the account, by name (others are left alone)."""
    try:
        found = client.content.v1.contents.list(page_size=1000)
    except (TwilioException, requests.RequestException) as exc:
        raise _api_error(exc, client) from exc
    return {c.friendly_name: c.sid for c in found if (c.friendly_name or "").startswith(PREFIX)}


def sync(client: Client, wanted: Iterable[dict], prune: bool = False) -> Synced:
    """Make each wanted template that the account lacks; keep the rest; with `prune`,
    delete this app's templates no longer wanted. Raises NumberError in a sentence."""
    done = Synced()
    have = existing(client)
    for made in wanted:
        name = made["friendly_name"]
        if name in done.sids:
            continue
        if name in have:
            done.sids[name] = have[name]
            done.kept.append(name)
            continue
        try:
            content = client.content.v1.contents.create(ContentList.ContentCreateRequest(made))
        except (TwilioException, requests.RequestException) as exc:
            raise _made_so_far(_api_error(exc, client), done) from exc
        done.sids[name] = content.sid
        done.created.append(name)
    if prune:
        for name, sid in have.items():
            if name in done.sids:
                continue
            try:
                client.content.v1.contents(sid).delete()
            except (TwilioException, requests.RequestException) as exc:
                raise _made_so_far(_api_error(exc, client), done) from exc
            done.deleted.append(name)
    return done


def _made_so_far(error: NumberError, done: Synced) -> NumberError:
    if not (done.created or done.deleted):
        return error
    return NumberError(
        f"{error} Before that, {len(done.created)} template(s) were made and "
        f"{len(done.deleted)} deleted; run the command again to finish: it finds what is "
        "there already."
    )
