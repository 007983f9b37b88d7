"""Request bodies arrive whole, and no larger than the limit, before the app reads them.

A body whose Content-Length is over the limit gets 413 before a byte of it is read. A
chunked body has no length: Werkzeug would cut it at the limit (or the server hand over
nothing) and the form would be read short or empty, so its signature check would fail
for the wrong reason. So a chunked body is read here up to one byte past the limit:
over it, 413; within it, the app gets the bytes with their length, like any request.
"""

from __future__ import annotations

import io

from werkzeug.exceptions import RequestEntityTooLarge


class WholeBody:
    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    def __call__(self, environ, start_response):
        length = environ.get("CONTENT_LENGTH", "").strip()
        if length.isascii() and length.isdigit() and int(length) > self.limit:
            return RequestEntityTooLarge()(environ, start_response)  # before reading a byte
        if not length and _chunked(environ):
            body = _read(environ["wsgi.input"], self.limit + 1)
            if len(body) > self.limit:
                return RequestEntityTooLarge()(environ, start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("wsgi.input_terminated", None)
            environ.pop("HTTP_TRANSFER_ENCODING", None)  # it is whole now, with a length
        return self.app(environ, start_response)


def _chunked(environ) -> bool:
    coding = environ.get("HTTP_TRANSFER_ENCODING", "")
    return "chunked" in coding.lower() or bool(environ.get("wsgi.input_terminated"))


def _read(stream, most: int) -> bytes:
    parts, size = [], 0
    while size < most:
        part = stream.read(most - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)
