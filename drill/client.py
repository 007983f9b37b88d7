"""Twilio's side of the wire: signed form POSTs, one new connection each, as Twilio sends.

`post` never raises for what the server does; it returns an Outcome saying whether the
connection was refused (the request never reached the server), was lost (it reached the
server and no whole reply came back: what a caller hears as Twilio's error), or was
answered, with the status, body, the SMS cookie and the time taken.
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from drill.server import PUBLIC, TOKEN

COOKIE = "ivr_sms"
REPLY_SECONDS = 15  # Twilio's own wait for a webhook
_SIGNER = RequestValidator(TOKEN)


@dataclass(frozen=True, slots=True)
class Outcome:
    refused: bool = False
    lost: bool = False
    status: int = 0
    body: bytes = b""
    cookie: str | None = None  # the ivr_sms cookie now ("" once the server cleared it)
    ms: float = 0.0


def post(port: int, path: str, params: dict, cookie: str | None = None) -> Outcome:
    signature = _SIGNER.compute_signature(PUBLIC + path, params)
    headers = {"X-Twilio-Signature": signature,
               "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    if cookie:
        headers["Cookie"] = f"{COOKIE}={cookie}"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REPLY_SECONDS)
    try:
        try:
            connection.connect()
        except OSError:
            return Outcome(refused=True)
        try:
            connection.request("POST", path, urlencode(params), headers)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            return Outcome(lost=True, ms=(time.perf_counter() - started) * 1000)
        return Outcome(
            status=response.status,
            body=body,
            cookie=_cookie(response.headers.get_all("Set-Cookie") or [], cookie),
            ms=(time.perf_counter() - started) * 1000,
        )
    finally:
        connection.close()


def _cookie(set_cookies: list[str], before: str | None) -> str | None:
    for header in set_cookies:
        jar = SimpleCookie()
        jar.load(header)
        if COOKIE in jar:
            morsel = jar[COOKIE]
            return "" if "1970" in (morsel["expires"] or "") else morsel.value
    return before
