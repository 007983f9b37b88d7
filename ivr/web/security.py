"""Only Twilio may drive the webhooks: every request must carry a valid signature.

Twilio signs the exact URL it requested plus the POST parameters with the account's
auth token. Behind a TLS-terminating proxy (Heroku, ngrok, a load balancer) the app
sees http://127.0.0.1:8000/voice while Twilio signed https://helpline.example/voice,
so the URL is rebuilt from PUBLIC_BASE_URL when it is set. Otherwise the request's own
URL is used, with X-Forwarded-* trusted only for IVR_PROXY_HOPS hops (see create_app).
"""

from __future__ import annotations

import logging

from flask import Request, abort, current_app, request
from twilio.request_validator import RequestValidator

from ivr.web import logs

SIGNATURE_HEADER = "X-Twilio-Signature"


def public_root(req: Request, base_url: str | None) -> str:
    """Where Twilio reaches this app: PUBLIC_BASE_URL, else the request's own host."""
    return base_url or req.host_url.rstrip("/")


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
    if not signature or not validator.validate(url, request.form, signature):
        logs.event(
            "refused",
            logging.WARNING,
            path=request.path,
            reason="wrong signature" if signature else "no signature",
        )
        abort(403)
