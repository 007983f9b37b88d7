"""The Twilio REST edge: point a number at this app, and send a text.

    client_from_env(env, timeout, http)         a Client from the credentials set
    configure_number(client, number, base_url)  set the number's voice and SMS webhooks
    send_text(client, to, body, sender)         one text ("text me these steps")
    send_content(client, to, sender, sid, vars) one WhatsApp template (a menu to tap)
    failure(exc)                                what went wrong with a send, in one word

Credentials come from TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or with TWILIO_API_KEY and
TWILIO_API_SECRET; IVR_TWILIO_API_URL sends every API call to a stand-in for Twilio's API
(tests, rehearsals), keeping each request's path and query. All are read and checked in
ivr/settings.py.

This module is the edge: it may use twilio, never flask. The CLI imports it, and the web
layer only lazily, on the first text it sends, so webhook workers start without it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
from twilio.base.exceptions import (
    TwilioException,
    TwilioRestException,
    TwilioServiceException,
)
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from ivr import phone_numbers, settings
from ivr.errors import ConfigError, NumberError

if TYPE_CHECKING:  # loaded by the client only when it lists numbers
    from twilio.rest.api.v2010.account.incoming_phone_number import (
        IncomingPhoneNumberInstance,
    )

STAND_IN = "IVR_TWILIO_API_URL"
METHOD = "POST"  # the app's webhooks only accept POST
TIMEOUT_SECONDS = 30  # an operator at a terminal should get an answer, not a hang
MESSAGING_SERVICE_NOTE = (
    "Note: if this number is in a Messaging Service whose 'Incoming messages' setting sends "
    "to the service's own webhook, the service's settings win over the SMS URL set here; "
    "choose 'Defer to sender's webhook' there."
)


@dataclass(frozen=True, slots=True)
class Configured:
    """What Twilio says the number now does."""

    number: str
    sid: str
    voice_url: str
    voice_fallback_url: str
    sms_url: str
    sms_fallback_url: str
    warnings: tuple[str, ...] = ()


class StandInHttpClient(TwilioHttpClient):
    """Sends every API request to `base` (a stand-in for Twilio) instead of Twilio's hosts."""

    def __init__(self, base: str, **kwargs):
        super().__init__(**kwargs)
        self.base = base

    def request(self, method, url, *args, **kwargs):
        return super().request(method, stand_in_target(url, self.base), *args, **kwargs)


def stand_in_target(url: str, base: str) -> str:
    """`url` with the stand-in's scheme and host: api.twilio.com, messaging.twilio.com,
    edges and regions all go to the one stand-in, path and query unchanged."""
    scheme, netloc = urlsplit(base)[:2]
    parts = urlsplit(url)
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))


def stand_in_url(env: Mapping[str, str]) -> str | None:
    """The stand-in's base from IVR_TWILIO_API_URL, or None to talk to Twilio itself."""
    return _checked(lambda: settings.read(env, STAND_IN))


def client_from_env(
    env: Mapping[str, str],
    timeout: float = TIMEOUT_SECONDS,
    http: TwilioHttpClient | None = None,
) -> Client:
    """A Twilio REST client from an auth token or an API key, as the environment says.
    `timeout` bounds each request, in seconds; `http`: an HTTP client of the caller's
    own (it then decides where requests go and how long they may take). Raises
    NumberError, saying what to set."""
    credentials = _checked(lambda: settings.credentials(env))
    if credentials.missing:
        raise NumberError(credentials.missing)
    if http is None:
        base = stand_in_url(env)
        http = (
            StandInHttpClient(base, timeout=timeout) if base else TwilioHttpClient(timeout=timeout)
        )
    username, password = credentials.login
    return Client(username, password, credentials.account, http_client=http, environment=dict(env))


def _checked(read):
    """A setting read for the REST edge: its ConfigError becomes this edge's NumberError."""
    try:
        return read()
    except ConfigError as exc:
        raise NumberError(str(exc)) from exc


def e164(number: str) -> str:
    """The number without spaces, if it is in E.164 form (+ country code, digits)."""
    compact = phone_numbers.compact(number)
    if not phone_numbers.is_e164(compact):
        raise NumberError(
            f"'{number}' is not a phone number in E.164 form. Write it with + and the country "
            "code and without the leading 0, e.g. +447700900123 for 07700 900123."
        )
    return compact


def webhook_urls(
    base_url: str, script: str | None = None, allow_http: bool = False
) -> dict[str, str]:
    """The number's webhook settings, named as the REST client's update() takes them."""
    base = base_url.strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise NumberError(
            f"--base-url '{base_url}' is not a web address Twilio can call. Give the app's "
            "public address without a query, e.g. https://helpline.example.org."
        )
    if parts.scheme == "http" and not allow_http:
        raise NumberError(
            f"--base-url '{base_url}' is http, not https. Twilio's request signatures and "
            "callers' privacy need https: what people text or say would otherwise cross the "
            "internet in clear. Use the https address, or add --allow-http only for a local "
            "stand-in."
        )
    if script is not None and not script.strip():
        raise NumberError("--script is empty. Give a script id, or leave --script out.")
    query = f"?{urlencode({'script': script.strip()})}" if script else ""
    return {
        "voice_url": f"{base}/voice{query}",
        "voice_method": METHOD,
        "voice_fallback_url": f"{base}/voice/fallback",  # fallbacks serve every script alike
        "voice_fallback_method": METHOD,
        "sms_url": f"{base}/sms{query}",
        "sms_method": METHOD,
        "sms_fallback_url": f"{base}/sms/fallback",
        "sms_fallback_method": METHOD,
    }


def configure_number(
    client: Client,
    number: str,
    base_url: str,
    script: str | None = None,
    allow_http: bool = False,
) -> Configured:
    """Set the number's voice and SMS webhooks (and fallbacks) to the app at base_url."""
    # Check everything we can before the first API call, so a typo changes nothing
    wanted = e164(number)
    settings = webhook_urls(base_url, script, allow_http)
    try:
        updated = _owned_number(client, wanted).update(**settings)
    except (TwilioException, requests.RequestException) as exc:
        raise _api_error(exc, client) from exc
    return Configured(
        number=updated.phone_number,
        sid=updated.sid,
        voice_url=updated.voice_url,
        voice_fallback_url=updated.voice_fallback_url,
        sms_url=updated.sms_url,
        sms_fallback_url=updated.sms_fallback_url,
        warnings=_overrides(updated),
    )


def _owned_number(client: Client, wanted: str) -> IncomingPhoneNumberInstance:
    """The account's number `wanted` (E.164), or a NumberError saying it has none."""
    # PhoneNumber is a pattern to Twilio, so keep only the exact match
    found = [
        n
        for n in client.incoming_phone_numbers.list(phone_number=wanted, limit=2)
        if n.phone_number == wanted
    ]
    if not found:
        raise NumberError(
            f"{wanted} is not a number in the Twilio account {client.account_sid}. Buy it "
            "or port it into this account first, or set the credentials of the account "
            "that has it."
        )
    return found[0]


def _overrides(updated: IncomingPhoneNumberInstance) -> tuple[str, ...]:
    """A warning for each setting of the number that wins over the URLs just set."""
    return tuple(
        f"Warning: {what} on this number go to {kind} {sid}, which overrides the "
        f"{which} set here. Remove it from the number in the Twilio Console to use these URLs."
        for what, kind, which, sid in (
            ("calls", "the TwiML App", "voice URLs", updated.voice_application_sid),
            ("texts", "the TwiML App", "SMS URLs", updated.sms_application_sid),
            ("calls", "the SIP trunk", "voice URLs", updated.trunk_sid),
        )
        if sid
    )


def _api_error(exc: Exception, client: Client) -> NumberError:
    """One sentence from whatever the REST client raised: a refusal or no connection."""
    http = client.http_client
    stand_in = http.base if isinstance(http, StandInHttpClient) else None
    where = f"the stand-in at {stand_in}" if stand_in else "Twilio"
    if isinstance(exc, requests.RequestException):
        check = f" and that the stand-in is running, or unset {STAND_IN}" if stand_in else ""
        return NumberError(
            f"Could not reach {where} ({type(exc).__name__}). Check the network connection{check}."
        )
    status, code, message = refusal(exc)
    said = f"error {code}: {message}" if code else message
    said = f"HTTP {status}, {said}" if status else said
    text = f"{where[:1].upper()}{where[1:]} refused the request ({said})."
    if status == 401:
        text += (
            " Check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and "
            "TWILIO_API_SECRET: they must belong to the same account."
        )
    if code:
        text += f" See https://www.twilio.com/docs/errors/{code}."
    return NumberError(text)


def refusal(exc: Exception) -> tuple[int | None, int | None, str]:
    """(HTTP status, Twilio error code, message) from each exception the client raises."""
    if isinstance(exc, TwilioRestException):
        # The client puts what it was doing before Twilio's message; keep Twilio's words
        return exc.status, exc.code, exc.msg.split(": ", 1)[-1]
    if isinstance(exc, TwilioServiceException):
        return exc.status, exc.code, exc.detail or exc.title
    # A failed list page arrives as TwilioException("Unable to fetch page", response)
    response = exc.args[1] if len(exc.args) > 1 else None
    if not isinstance(response, Response):
        return None, None, str(exc)
    try:
        body = json.loads(response.text)
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    return response.status_code, body.get("code"), body.get("message") or str(exc.args[0])


def send_text(client: Client, to: str, body: str, sender: str) -> str:
    """Send one text through the REST client; return its SID. `sender` is a Messaging
    Service SID (MG...) or a number. Raises what the client raises (TwilioException,
    requests' errors): the caller decides what a failure means."""
    if sender.startswith("MG"):
        message = client.messages.create(to=to, body=body, messaging_service_sid=sender)
    else:
        message = client.messages.create(to=to, body=body, from_=sender)
    return message.sid


def send_content(client: Client, to: str, sender: str, content_sid: str, variables: str) -> str:
    """Send one Content template (a WhatsApp list or buttons to tap) with its variables
    (a JSON string), through the Messages API's ContentSid and ContentVariables
    (twilio.com/docs/content/send-templates-created-with-the-content-template-builder;
    since September 2024 a template goes From a sender as well as from a Messaging
    Service: twilio.com/en-us/changelog/content-templates-messaging-services-optional).
    Returns the message's SID; raises what the client raises."""
    if sender.startswith("MG"):
        message = client.messages.create(
            to=to, messaging_service_sid=sender, content_sid=content_sid,
            content_variables=variables,
        )  # fmt: skip
    else:
        message = client.messages.create(
            to=to, from_=sender, content_sid=content_sid, content_variables=variables
        )
    return message.sid


def failure(exc: Exception) -> str:
    """What went wrong with a send, in one word for the logs: "timeout" (no answer in
    time; Twilio may still have taken it), "unreachable", "limited" (HTTP 429),
    "refused" (another 4xx) or "failed" (5xx, or anything else)."""
    if isinstance(exc, requests.Timeout):
        return "timeout"
    if isinstance(exc, requests.ConnectionError):
        return "unreachable"
    status = refusal(exc)[0] if isinstance(exc, TwilioException) else None
    if status == 429:
        return "limited"
    return "refused" if status is not None and 400 <= status < 500 else "failed"
