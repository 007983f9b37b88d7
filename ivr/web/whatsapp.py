"""WhatsApp on the SMS webhook: a message whose `From` is `whatsapp:+44...`.

    WhatsApp.from_env(env, settings, library)   the place store, the menus to tap, the sender
    incoming()                                   the view: (TwiML, log fields)

What Twilio sends (its page "Twilio's request to your incoming message Webhook URL",
twilio.com/docs/messaging/guides/webhook-request): the SMS webhook's parameters, with
`From` and `To` prefixed `whatsapp:`; `Body`; `NumMedia` and `MediaContentType0`...
(a voice note is `audio/...`); `ProfileName` and `WaId` (the person's WhatsApp name and
id: read by nothing here); `ButtonText` and `ButtonPayload` for a tapped quick reply;
`ListId` and `ListTitle` for a list item. The payload or id is the one the template
gave the choice (ivr.channels.whatsapp.ChoiceIds): the tap goes where the choice leads,
and `Body` (the label) is read only if the id is not one of ours. Checked 2026-12-07
with the search tool: the stored copy of that page (modified 2026-03-09) says the
request is the same for "a WhatsApp-enabled number", but the copy ends before its
parameter table; a list item's `id` ("Unique item identifier. Not visible to the
recipient", up to 200 characters) is the Content API's twilio/list-picker page
(twilio.com/docs/content/twiliolist-picker); and public integrations of Twilio's
webhook read these same names (ButtonPayload and ButtonText, ListId and ListTitle,
ProfileName, WaId, MediaContentTypeN). None was found wrong; a name Twilio changed
would only make a tap read as its label (`Body`), never lose the message.

Where a conversation is: Twilio's messaging cookies are described for SMS webhooks
("How do Twilio cookies work?", help.twilio.com/articles/223136287: "this behaviour
applies to SMS Webhooks ... and may not reflect the behaviour of Webhooks associated
with other Twilio Products"), so nothing says a WhatsApp sender gets them. The place is
kept in Redis instead (REDIS_URL): key = HMAC-SHA256 of the sender under a key derived
from SECRET_KEY, value = the sealed token (ivr.web.sealed, use "whatsapp") and nothing
else, expiring with the idle limit. Without REDIS_URL every message is a first one
(start-up says so once); a Redis that fails is the same for that message. In
development (IVR_DEVELOPMENT, for /try) without REDIS_URL, this process's memory keeps
them instead, with the same expiry.

Replies: free-form replies, and the list picker and quick replies, are allowed within
24 hours of the person's last message (Twilio's error 63016, "Outside messaging
window", twilio.com/docs/api/errors/63016); the line only ever answers a message, so
every reply is inside it. A reply that ends with a menu to tap, whose template the
operator has made, goes through the Messages API (ContentSid) and the webhook answers
with an empty <Response/>; any failure, or no answer within
IVR_TEXT_TIMEOUT_SECONDS, and the same reply goes in the TwiML as numbered
text. A send that times out but reached Twilio arrives as well: the person then has
the menu twice, both working (docs/whatsapp.md).

Privacy: the number is used for the Redis key's hash and as the send's `To`, never
logged or stored; `ProfileName` is never read.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from logging import WARNING

from flask import current_app, request

from ivr import engine, phone_numbers, settings
from ivr import whatsapp as menus
from ivr.channels import sms as sms_channel
from ivr.channels import whatsapp as channel
from ivr.library import Library
from ivr.outcomes import Outcome
from ivr.script import WHATSAPP
from ivr.turns import text_turn
from ivr.web.config import Settings
from ivr.web.logs import event
from ivr.web.sealed import Carried
from ivr.web.webhook import asked_guide, new_conversation, restore, webhook

PREFIX = phone_numbers.WHATSAPP
USE = "whatsapp"
PLACE_KEY_INFO = b"helpline-ivr whatsapp places 1"
FRESH_EVENTS = (Outcome.EXPIRED, Outcome.RESTART)
EMPTY = str(channel.twiml(None))


def is_whatsapp(form: Mapping[str, str]) -> bool:
    return form.get("From", "").startswith(PREFIX)


class Keyed:
    """A sender's key: HMAC-SHA256 of the number under a key derived from SECRET_KEY."""

    def __init__(self, secret: str):
        self._key = hmac.new(secret.encode(), PLACE_KEY_INFO, hashlib.sha256).digest()

    def key(self, sender: str) -> str:
        return "ivr:wa:" + hmac.new(self._key, sender.encode(), hashlib.sha256).hexdigest()


class Places(Keyed):
    """Where each WhatsApp conversation is, in Redis: keyed hashes to sealed tokens."""

    def __init__(self, url: str, secret: str, seconds: int):
        import redis  # only when REDIS_URL is set

        super().__init__(secret)
        self.redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.seconds = seconds

    def get(self, sender: str) -> str | None:
        found = self.redis.get(self.key(sender))
        return found.decode("ascii", "replace") if found is not None else None

    def put(self, sender: str, token: str) -> None:
        self.redis.set(self.key(sender), token.encode("ascii"), ex=self.seconds)

    def forget(self, sender: str) -> None:
        self.redis.delete(self.key(sender))


class MemoryPlaces(Keyed):
    """Development only (/try without Redis): the same keys and tokens, in this process."""

    def __init__(self, secret: str, seconds: int):
        super().__init__(secret)
        self.seconds = seconds
        self._kept: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, sender: str) -> str | None:
        with self._lock:
            token, until = self._kept.get(self.key(sender), ("", 0.0))
            return token if until > time.monotonic() else None

    def put(self, sender: str, token: str) -> None:
        with self._lock:
            self._kept[self.key(sender)] = (token, time.monotonic() + self.seconds)

    def forget(self, sender: str) -> None:
        with self._lock:
            self._kept.pop(self.key(sender), None)


@dataclass
class WhatsApp:
    env: Mapping[str, str]
    places: Places | MemoryPlaces | None  # None: no REDIS_URL, each message is a first one
    tappable: channel.Tappable
    timeout: float
    _client: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_env(cls, env: Mapping[str, str], config: Settings, library: Library) -> WhatsApp:
        url = settings.read(env, "REDIS_URL")
        seconds = int(config.sms_idle.total_seconds())
        places = Places(url, config.secret_key, seconds) if url else None
        if places is None and config.development:
            places = MemoryPlaces(config.secret_key, seconds)  # for /try, never production
        elif places is None:
            event(
                "whatsapp_places_off",
                WARNING,
                message="REDIS_URL is not set, so WhatsApp conversations are not kept between "
                "messages and each is answered as a first one: set REDIS_URL to keep them.",
            )
        secrets = (config.secret_key, *config.secret_key_fallbacks)
        ids = channel.ChoiceIds(secrets, library.guides)
        name = "IVR_WHATSAPP_TEMPLATES"
        sids = channel.sids_from(name, settings.read(env, name))
        if sids and settings.credentials(env).missing:
            event(
                "whatsapp_menus_off",
                WARNING,
                message="IVR_WHATSAPP_TEMPLATES is set but the Twilio credentials are not, so "
                "WhatsApp menus go as numbered text: set them as for 'ivr configure-number'.",
            )
            sids = {}
        timeout = settings.read(env, "IVR_TEXT_TIMEOUT_SECONDS")  # every send's limit
        return cls(dict(env), places, channel.Tappable(ids, sids), timeout)

    def client(self):
        with self._lock:
            if self._client is None:
                from ivr import twilio_api  # imports twilio.rest: on the first send only

                self._client = twilio_api.client_from_env(self.env, timeout=self.timeout)
            return self._client

    def send(self, sendable: channel.Sendable, to: str, sender: str) -> str:
        """Send a menu to tap; "sent", or what went wrong in one word (never raises)."""
        from ivr import twilio_api

        try:
            twilio_api.send_content(self.client(), to, sender, sendable.sid, sendable.variables)
        except Exception as exc:
            code = getattr(exc, "code", None)
            result = twilio_api.failure(exc)
            twilio_code = code if isinstance(code, int) else None
            error = type(exc).__name__
            event("whatsapp_send", WARNING, result=result, kind=sendable.kind, error=error,
                  twilio_code=twilio_code)  # fmt: skip
            return result
        event("whatsapp_send", result="sent", kind=sendable.kind)
        return "sent"


def place(sender: str) -> Carried | None:
    """Where this sender's conversation is, opened (for /try, which runs in the app)."""
    return _place(current_app.extensions["ivr"].whatsapp, sender)[1]


def forget(sender: str) -> None:
    """Forget where this sender's conversation is (for /try's Start again)."""
    _keep(current_app.extensions["ivr"].whatsapp, sender, None)


def _place(whatsapp: WhatsApp, sender: str) -> tuple[str | None, Carried | None]:
    """(the token kept for this sender, what it opens as): (None, None) when none is."""
    if whatsapp.places is None:
        return None, None
    try:
        token = whatsapp.places.get(sender)
    except Exception as exc:  # the person is still answered, as a first message
        event("whatsapp_places_failed", WARNING, error=type(exc).__name__, stage="reading")
        return None, None
    return token, (current_app.extensions["ivr"].sealer.open(token, USE) if token else None)


def _keep(whatsapp: WhatsApp, sender: str, carried: Carried | None) -> None:
    if whatsapp.places is None:
        return
    try:
        if carried is None:
            whatsapp.places.forget(sender)
        else:
            token = current_app.extensions["ivr"].sealer.seal(carried, USE)
            whatsapp.places.put(sender, token)
    except Exception as exc:
        event("whatsapp_places_failed", WARNING, error=type(exc).__name__, stage="keeping")


def _tapped(whatsapp: WhatsApp, form: Mapping[str, str]) -> engine.Input | None:
    """The choice a tap names, from its quick reply's payload or list item's id."""
    given = form.get("ButtonPayload") or form.get("ListId") or ""
    found = whatsapp.tappable.ids.read(given) if given else None
    if found is None:
        return None  # not a tap, or an id this app never made: the words are read
    return engine.tapped(*menus.choice_of(found[1]))


def _media(form: Mapping[str, str]) -> tuple[bool, bool]:
    """(any media, a voice note among it): never fetched, only counted and typed."""
    try:
        count = min(int(form.get("NumMedia", "0") or 0), 10)
    except ValueError:
        count = 0
    types = [form.get(f"MediaContentType{i}", "") for i in range(count)]
    return count > 0, any(t.strip().lower().startswith("audio/") for t in types)


@webhook("whatsapp", sms_channel.fault_twiml)
def incoming():
    ivr = current_app.extensions["ivr"]
    whatsapp: WhatsApp = ivr.whatsapp
    form = request.form
    sender = form.get("From", "")
    token, carried = _place(whatsapp, sender)
    state = restore(carried, token, WHATSAPP)
    conversation = carried.conversation if state is not None else new_conversation()
    has_media, has_voice = _media(form)
    guide = asked_guide()
    turn = text_turn(
        ivr.library,
        state,
        form.get("Body", ""),
        datetime.now(UTC),
        guide=guide,
        has_media=has_media,
        idle_limit=ivr.settings.sms_idle,
        opt_out_type=form.get("OptOutType", ""),
        channel=WHATSAPP,
        tapped=_tapped(whatsapp, form),
        has_voice=has_voice,
    )
    if turn.state is not None and turn.event in FRESH_EVENTS:
        conversation = new_conversation()
    kept = Carried(turn.state, conversation=conversation) if turn.state else None
    _keep(whatsapp, sender, kept)
    body = channel.twiml(turn.reply)
    reply = turn.reply
    if reply is not None:
        sendable = whatsapp.tappable.of(ivr.library.get(reply.state.script), reply)
        if sendable is not None and whatsapp.send(sendable, sender, form.get("To", "")) == "sent":
            body = EMPTY  # the menu went through the API: the webhook says nothing more
    now_in = turn.state or state
    fields = {
        "script": now_in.script if now_in else (guide or ivr.library.default).id,
        "node": turn.state.node if turn.state else None,
        "outcome": turn.event,
        "conversation": conversation,
    }
    return body, fields
