"""No HTML, ever, to Twilio: a fault anywhere in a webhook request is answered with TwiML.

A 500, or any HTML page, makes Twilio play its own "application error" to a caller (or
send nothing to a texter). `webhook.webhook` catches what a view raises; this module
covers everything around the view, for the paths under /voice and /sms:

- `on_server_error`, Flask's handler for 500: whatever Flask catches outside the view
  (opening the SMS cookie, the signature check and the form it reads, before_request
  and after_request hooks, saving the cookie). Flask has logged the exception (type,
  frames, message: see ivr.web.logs); this answers with the channel's fault TwiML.
- `on_http_error`, Flask's handler for every other HTTP error: the refusals the app
  means (403 unsigned, 404 and 405 for a path or method that is no webhook) keep their
  status, with one line of plain text; any other (a form that cannot be read: 400,
  413) is a fault like the rest.
- `FaultsAsTwiml`, a WSGI layer around the whole app: whatever escapes Flask (a teardown
  hook, an error handler that fails, a response that fails as it is read), and any 5xx
  or HTML that still comes out.

Each fault is answered 200, text/xml, with 999 and Samaritans, and logged as one
webhook line (outcome "fault"). An SMS fault outside the view also clears the cookie,
which may be its cause: the next text starts afresh instead of failing again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from urllib.parse import parse_qs

from flask import Flask, Response, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException, InternalServerError

from ivr.channels import sms, voice
from ivr.web import cookie, logs, webhook
from ivr.web.logs import log, webhook_line
from ivr.web.request import WebhookRequest
from ivr.web.sealed import Carried, Sealer

TWIML = "text/xml; charset=utf-8"
STATE = "s"  # the voice URLs' one query field (ivr.web.voice): the retry flag is sealed in it
REFUSALS = (403, 404, 405)  # an unsigned request, and a path or method that is no webhook
STARTED = "ivr.started"  # environ: when FaultsAsTwiml first saw the request
REQUEST = "ivr.request"  # environ: the request, for a failure after Flask let it go


def channel_of(path: str) -> str | None:
    """The channel of a path under /voice or /sms ("voice" or "sms"), else None."""
    for channel in ("voice", "sms"):
        prefix = "/" + channel
        if path == prefix or path.startswith(prefix + "/"):
            return channel
    return None


def fault_twiml(channel: str, script_root: str, args: Mapping, sealer: Sealer) -> str:
    """The channel's fault reply. A call gets one fresh start, unless this request was
    already that fresh start (then it ends, politely). The flag saying so is sealed in
    the retry URL like any state (ivr.web.sealed): Twilio's logs show no "fault"."""
    if channel == "sms":
        return sms.fault_twiml()
    again = sealer.open(args.get(STATE), "voice")
    if again is not None and again.retry:
        return voice.fault_twiml(None)
    retry = sealer.seal(Carried(retry=True), "voice")
    return voice.fault_twiml(f"{script_root}/voice?{STATE}={retry}")


def install(app: Flask) -> None:
    """Register the handlers on the app and wrap its WSGI app (create_app, last)."""
    app.request_class = KeptRequest
    app.register_error_handler(InternalServerError, on_server_error)
    app.register_error_handler(HTTPException, on_http_error)
    app.wsgi_app = FaultsAsTwiml(app.wsgi_app, app.extensions["ivr"].sealer)


class KeptRequest(WebhookRequest):
    """The app's request (ivr.web.request), kept in the environ until
    FaultsAsTwiml is done with it: a failure after Flask has let the request go (a
    teardown hook) is logged against what this request carried (see ivr.web.logs), not
    with its message withheld."""

    def __init__(self, environ, *args, **kwargs):
        super().__init__(environ, *args, **kwargs)
        environ[REQUEST] = self


def on_server_error(error: InternalServerError):
    channel = channel_of(request.path)
    if channel is None:
        return error  # /try and /healthz: Flask's own page
    return _fault_response(channel)


def on_http_error(error: HTTPException):
    channel = channel_of(request.path)
    if channel is None:
        return error
    if error.code in REFUSALS:
        response = error.get_response()
        response.set_data(f"{error.code} {error.name}\n")
        response.mimetype = "text/plain"
        return response
    logs.event("unreadable", logging.WARNING, status=error.code, error=type(error).__name__)
    return _fault_response(channel)


def _fault_response(channel: str) -> Response:
    """The fault TwiML from inside Flask, with the webhook line."""
    sealer = request_ctx.app.extensions["ivr"].sealer
    body = fault_twiml(channel, request.script_root, request.args, sealer)
    response = Response(body, status=200, mimetype="text/xml")
    if channel == "sms":
        response.delete_cookie(cookie.NAME)  # the cookie may be what failed: clear it
    started = request.environ.get(STARTED, time.perf_counter())
    _webhook_line(channel, _conversation(channel), started)
    return response


def _conversation(channel: str) -> str:
    try:
        return webhook.conversation(channel)
    except Exception:  # the form or the cookie may be what failed
        return webhook.new_conversation()


def _webhook_line(channel: str, conversation: str, started: float) -> None:
    webhook_line(
        channel=channel,
        script=None,
        node=None,
        outcome="fault",
        conversation=conversation,
        ms=round((time.perf_counter() - started) * 1000, 1),
    )


class FaultsAsTwiml:
    """The outermost WSGI layer: a webhook request gets TwiML, whatever happened inside.

    The inner app's response is read whole before anything is sent (a webhook's reply
    is a few kilobytes), so a failure at any point, even after the status was given,
    can still be answered with the fault reply."""

    def __init__(self, app, sealer: Sealer):
        self.app = app
        self.sealer = sealer

    def __call__(self, environ, start_response):
        try:
            return self._answer(environ, start_response)
        finally:
            environ.pop(REQUEST, None)  # no cycle left between the request and its environ

    def _answer(self, environ, start_response):
        channel = channel_of(environ.get("PATH_INFO", ""))
        if channel is None:
            return self.app(environ, start_response)
        environ[STARTED] = time.perf_counter()
        given: list = []
        written: list[bytes] = []

        def keep(status, headers, exc_info=None):
            given[:] = (status, headers)
            return written.append  # WSGI's write(): kept, to go before the body

        try:
            body = self.app(environ, keep)
            try:
                data = b"".join(body)
                if written:
                    data = b"".join(written) + data
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()
            status, headers = given
        except Exception as error:
            log.error(
                "a webhook request failed outside Flask; sent the fault reply",
                exc_info=error,
                extra={logs.REQUEST: environ.get(REQUEST)},
            )
            return self._fault(channel, environ, start_response)
        if status[:1] == "2":  # the usual answer: TwiML, as the view made it
            start_response(status, headers)
            return [data]
        if status[:1] == "5":
            logs.event("server_error", logging.ERROR, status=int(status[:3]))
            return self._fault(channel, environ, start_response)
        if _is_html(headers):  # a refusal (408, 413...) as werkzeug words it: plain text
            data = f"{status}\n".encode()
            headers = [(k, v) for k, v in headers if k.lower() not in _RETYPED]
            headers += [("Content-Type", "text/plain; charset=utf-8"),
                        ("Content-Length", str(len(data)))]  # fmt: skip
        start_response(status, headers)
        return [data]

    def _fault(self, channel, environ, start_response):
        args = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        body = fault_twiml(channel, environ.get("SCRIPT_NAME", ""), args, self.sealer).encode()
        headers = [("Content-Type", TWIML), ("Content-Length", str(len(body)))]
        if channel == "sms":
            expired = "Thu, 01 Jan 1970 00:00:00 GMT"
            headers.append(("Set-Cookie", f"{cookie.NAME}=; Expires={expired}; Path=/"))
        _webhook_line(channel, webhook.new_conversation(), environ[STARTED])
        start_response("200 OK", headers)
        return [body]


_RETYPED = ("content-type", "content-length")


def _is_html(headers) -> bool:
    return any(k.lower() == "content-type" and "html" in v.lower() for k, v in headers)
