"""Request bodies arrive whole, in time, and no larger than the limit, before the app runs.

- A Content-Length over the limit gets 413 before a byte of the body is read.
- A chunked body has no length: Werkzeug would cut it at the limit (or the server hand
  over nothing) and the form would be read short or empty, so its signature check would
  fail for the wrong reason. It is read here up to one byte past the limit: over it,
  413; within it, the app gets the bytes with their length, like any request.
- Under gunicorn's gevent workers (gunicorn.conf.py) the whole body must arrive within
  `body_seconds`, else 408 and the connection is closed. Twilio sends a few kilobytes
  at once; a body still trickling in after that is a slow client holding a connection
  open on purpose, and each one it holds is a connection the worker cannot give Twilio.
  Elsewhere (tests, `flask run`) there is no event loop to time reads with, and no limit.

Each refusal is one line of plain text, made without werkzeug's HTML error pages: in a
flood of slow clients every 408 is paid for in the time Twilio's requests wait.

The bytes read are kept in the environ (`BODY`): the app's request class
(ivr.web.request) parses a urlencoded form straight from them.
"""

from __future__ import annotations

import contextlib
import io
import sys

BODY = "ivr.body"  # environ: the body as WholeBody read it, whole and within the limit
URLENCODED = "application/x-www-form-urlencoded"


class WholeBody:
    def __init__(self, app, limit: int, body_seconds: float):
        self.app = app
        self.limit = limit
        self.body_seconds = body_seconds

    def __call__(self, environ, start_response):
        length = environ.get("CONTENT_LENGTH", "").strip()
        known = length.isascii() and length.isdigit()
        if known and int(length) > self.limit:
            return _refuse(TOO_LARGE, start_response)  # before reading a byte
        if not known and not _chunked(environ):
            return self.app(environ, start_response)  # no body to read
        wanted = int(length) if known else self.limit + 1
        try:
            with _deadline(self.body_seconds):
                body = _read(environ["wsgi.input"], wanted)
        except TimeoutError:
            return _refuse(TOO_SLOW, start_response, close=True)
        if len(body) > self.limit:
            return _refuse(TOO_LARGE, start_response)
        if known and len(body) < wanted:
            return _refuse(CUT_SHORT, start_response, close=True)  # the client gave up
        environ["wsgi.input"] = io.BytesIO(body)
        environ[BODY] = body
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("wsgi.input_terminated", None)
        environ.pop("HTTP_TRANSFER_ENCODING", None)  # it is whole now, with a length
        return self.app(environ, start_response)


def _chunked(environ) -> bool:
    coding = environ.get("HTTP_TRANSFER_ENCODING", "")
    return "chunked" in coding.lower()


def _deadline(seconds: float):
    """A gevent Timeout when this process serves under gevent, else no limit."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("socket"):
        return sys.modules["gevent"].Timeout(seconds, TimeoutError)
    return contextlib.nullcontext()


TOO_SLOW = "408 Request Timeout", "the request body did not arrive in time"
TOO_LARGE = "413 Request Entity Too Large", "the request body is larger than the app takes"
CUT_SHORT = "400 Bad Request", "the request body ended before its Content-Length"


def _refuse(refusal: tuple[str, str], start_response, close: bool = False):
    """A refusal in plain text; `close` also ends the connection (its body may be unread)."""
    status, why = refusal
    body = f"{status}: {why}.\n".encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    if close:
        headers.append(("Connection", "close"))
    start_response(status, headers)
    return [body]


def _read(stream, most: int) -> bytes:
    parts, size = [], 0
    while size < most:
        part = stream.read(min(most - size, 65536))
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)
