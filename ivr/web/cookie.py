"""The SMS conversation's cookie: one sealed token (ivr.web.sealed), and nothing else.

Twilio keeps cookies per From/To pair (for up to four hours) and sends them back with
each text, so where a texter is travels in the cookie `ivr_sms`: a State and the random
conversation id the logs follow, sealed so that neither Twilio nor anyone reading its
logs can tell what the texter asked about.

    read()           the cookie's Carried, or None: no cookie, or one that cannot be used
    raw()            the cookie as it came (None: none came), to say why it could not be
    keep(carried)    seal it into the cookie sent with this response
    forget()         delete the cookie with this response, if the request had one
    after_fault()    the view failed: keep nothing it asked to keep, and delete the cookie
    set_by(response) what keep or forget chose, as the response's Set-Cookie (the webhook
                     wrapper, ivr.web.webhook, calls it on the reply it makes)

The cookie's content is untrusted until it opens: only the one cookie is read, at most
MAX_CHARS of it (a larger one is refused unread), and it must open as an "sms" token
with an SMS state and a conversation id of exactly the form the app makes. Anything
else is None, and the texter starts afresh with a new id. What is written is sealed
afresh from what the app chooses, so fields the app does not know are never read and
never written back, and no cookie can put its own words into a log line.

Flask's session is switched off (`NoSessions`): it would sign a second copy of the
state with its own serializer on every request, for nothing.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask.sessions import SessionInterface
from werkzeug.http import dump_cookie

from ivr.web.sealed import MAX_TOKEN, Carried

NAME = "ivr_sms"
MAX_CHARS = MAX_TOKEN
USE = "sms"
SET = "ivr.cookie.set"  # environ: the Set-Cookie header keep() or forget() chose


def read() -> Carried | None:
    raw = request.cookies.get(NAME)
    if raw is None or len(raw) > MAX_CHARS:
        return None
    return current_app.extensions["ivr"].sealer.open(raw, USE)


def raw() -> str | None:
    return request.cookies.get(NAME)


def keep(carried: Carried) -> None:
    token = current_app.extensions["ivr"].sealer.seal(carried, USE)
    # As Flask's session cookie was: the whole site, not readable by scripts, and gone
    # when Twilio's cookie store lets it go (its own limit is four hours). The header is
    # made by werkzeug, as Response.set_cookie would make it.
    request.environ[SET] = dump_cookie(NAME, token, path="/", httponly=True)


def forget() -> None:
    if NAME in request.cookies:
        request.environ[SET] = dump_cookie(NAME, "", max_age=0, expires=0, path="/", httponly=True)
    else:
        request.environ.pop(SET, None)


def after_fault() -> None:
    """The view failed: the state it came with, or the one it was moving to, may be the
    cause, so neither is kept and the next text starts afresh rather than meeting the
    same fault again (as ivr.web.faults does for a fault outside the view)."""
    forget()


def set_by(response: Response) -> Response:
    """The response with the Set-Cookie keep() or forget() chose, if either did."""
    header = request.environ.get(SET)
    if header is not None:
        response.headers.add("Set-Cookie", header)
    return response


class NoSessions(SessionInterface):
    """No Flask session: every request gets Flask's null session, and nothing is saved."""

    def open_session(self, app, request):
        return None

    def save_session(self, app, session, response) -> None:
        return None
