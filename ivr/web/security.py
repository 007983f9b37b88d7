"""Only Twilio may drive the webhooks: every request must carry a valid signature.

Twilio signs the exact URL it requested plus the POST parameters with the account's
auth token. Behind a TLS-terminating proxy (Heroku, ngrok, a load balancer) the app
sees http://127.0.0.1:8000/voice while Twilio signed https://helpline.example/voice,
so the URL is rebuilt from PUBLIC_BASE_URL when it is set. Otherwise the request's own
URL is used, with X-Forwarded-* trusted only for IVR_PROXY_HOPS hops (see create_app).

RequestValidator.validate signs the URL twice, with and without its port, because
Twilio is not consistent about which it signs. The URL rebuilt here is one of the two,
so it is checked alone first, with the package's own signing and comparison; only a
request that fails that pays for validate's full check. Either way the signature must
be the auth token's over this URL and form: half the cost, the same protection.

A refused request is logged with the URL it was checked against (scheme, host and path:
never the query, which carries a call's state, nor any parameter) and its likely cause,
because "wrong signature" alone looks the same whether PUBLIC_BASE_URL or the token is
wrong. Only then, so it costs an accepted request nothing: the same signature is tried
against the other addresses the request could have been sent to (the request's own host,
a forwarded host, either scheme). One that validates was signed by Twilio with our token,
so the URL is at fault, and the log names the address Twilio signed; none that validates
points at the token (or at a request Twilio never sent).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from flask import Request, abort, current_app, request
from twilio.request_validator import RequestValidator, compare

from ivr.web import logs

SIGNATURE_HEADER = "X-Twilio-Signature"
# A host that host_url's IRI decoding leaves as it is: lower case, no escapes, a plain port.
PLAIN_HOST = re.compile(r"[a-z0-9.-]+(:[1-9][0-9]{0,4})?")


def public_root(req: Request, base_url: str | None) -> str:
    """Where Twilio reaches this app: PUBLIC_BASE_URL, else the request's own host."""
    if base_url:
        return base_url
    host = req.host
    if PLAIN_HOST.fullmatch(host) and "xn--" not in host:
        # What host_url gives for such a host, without its IRI decoding: a tenth of a turn.
        return f"{req.scheme}://{host}"
    return req.host_url.rstrip("/")


def public_url(req: Request, base_url: str | None) -> str:
    """The URL Twilio requested, as it signed it."""
    path = req.script_root + req.path
    query = req.query_string.decode("latin-1")
    root = public_root(req, base_url)
    return f"{root}{path}?{query}" if query else f"{root}{path}"


def require_twilio_signature() -> None:
    """A before_request hook for the webhook blueprints: 403 unless Twilio signed it."""
    if request.routing_exception is not None:
        return  # a wrong method or path: Flask answers 405 or 404, signed or not
    settings = current_app.extensions["ivr"].settings
    if settings.auth_token is None:
        return  # development only; create_app has warned
    signature = request.headers.get(SIGNATURE_HEADER, "")
    url = public_url(request, settings.public_base_url)
    validator = RequestValidator(settings.auth_token)
    if not signature or not signed(validator, url, request.form, signature):
        logs.event("refused", logging.WARNING, **diagnosis(validator, url, signature))
        abort(403)


def diagnosis(validator: RequestValidator, url: str, signature: str) -> dict[str, str]:
    """What a refused request's log line says: the URL checked, and the likely cause."""
    checked = shown(url)
    if not signature:
        return {
            "path": request.path,
            "url": checked,
            "cause": "no signature",
            "message": "The request has no X-Twilio-Signature, so it did not come from "
            "Twilio (or a proxy removed the header).",
        }
    for other in _other_addresses(url):
        if validator.validate(other, request.form, signature):
            root = shown(other).removesuffix(request.path)
            return {
                "path": request.path,
                "url": checked,
                "cause": "url",
                "signed_for": shown(other),
                "message": f"Twilio signed this request for {shown(other)}, but it was "
                f"checked against {checked}: set PUBLIC_BASE_URL to {root} (and the "
                "number's webhooks to the same address).",
            }
    return {
        "path": request.path,
        "url": checked,
        "cause": "token",
        "message": "The signature fits no address this request could have been sent to, so "
        "it was made with another auth token: set TWILIO_AUTH_TOKEN to the token of the "
        "account that owns the number (a subaccount's number signs with the subaccount's "
        "token), or the request did not come from Twilio.",
    }


def shown(url: str) -> str:
    """scheme://host/path of a URL, for a log: no query, no user, nothing a caller sent;
    a host that is not a plain name is not repeated."""
    parts = urlsplit(url)
    host = parts.netloc if PLAIN_HOST.fullmatch(parts.netloc.lower()) else "(an unusual host)"
    return f"{parts.scheme}://{host}{parts.path}"


def _other_addresses(url: str) -> list[str]:
    """The URL with the request's own host, a forwarded host and either scheme: where
    Twilio may have been told to send it, as the number's webhook or an old address."""
    checked = urlsplit(url)
    hosts = [checked.netloc, request.host]
    forwarded = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
    hosts += [forwarded] if forwarded else []
    found = []
    for host in dict.fromkeys(h for h in hosts if h):
        for scheme in ("https", "http"):
            other = checked._replace(scheme=scheme, netloc=host).geturl()
            if other != url and other not in found:
                found.append(other)
    return found


def signed(validator: RequestValidator, url: str, form, signature: str) -> bool:
    """Whether Twilio signed this URL and form: the URL as given first, then validate's
    other forms of it (with or without the port)."""
    if compare(validator.compute_signature(url, form), signature):
        return True
    return validator.validate(url, form, signature)
