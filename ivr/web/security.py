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
"""

from __future__ import annotations

import logging
import re

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
    if not signature or not signed(
        RequestValidator(settings.auth_token), url, request.form, signature
    ):
        logs.event(
            "refused",
            logging.WARNING,
            path=request.path,
            reason="wrong signature" if signature else "no signature",
        )
        abort(403)


def signed(validator: RequestValidator, url: str, form, signature: str) -> bool:
    """Whether Twilio signed this URL and form: the URL as given first, then validate's
    other forms of it (with or without the port)."""
    if compare(validator.compute_signature(url, form), signature):
        return True
    return validator.validate(url, form, signature)
