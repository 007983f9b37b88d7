"""The app's request (ivr.web.request) reads a webhook's form from the bytes WholeBody
kept, and its cookies from HTTP_COOKIE: the same parameters and cookies, in the same
order, as werkzeug's own reading gives for any body and header, and the signature check
sees exactly what Twilio signed."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from flask import Request
from twilio.request_validator import RequestValidator

from ivr.web.body import BODY, WholeBody
from ivr.web.faults import KeptRequest

from support import ACCOUNT, CALLER, HELPLINE, TOKEN

URLENCODED = "application/x-www-form-urlencoded"
LONG = "I clicked the link – what now? £5 café 😟 " * 40  # past 1,600 characters, not ASCII

SMS = {"MessageSid": "SM" + "0" * 32, "AccountSid": ACCOUNT, "From": CALLER, "To": HELPLINE,
       "Body": LONG, "NumMedia": "0", "NumSegments": "11", "ApiVersion": "2010-04-01"}  # fmt: skip

BODIES = {
    "twilio's sms": urlencode(SMS).encode(),
    "escaped utf-8 and plus": b"Body=caf%C3%A9+%26+more&From=%2B447700900123",
    "escapes that are not utf-8": b"Body=%FF%FE%C3&To=x",
    "bytes that are not utf-8": b"Body=\xff\xfe&To=x",
    "broken escapes": b"Body=%zz%4&x=%&%G1=1",
    "repeated, blank and bare keys": b"a=1&a=2&b=&c&=d&a=3",
    "separators only": b"&&&=&",
    "a semicolon": b"Body=a;b=c&To=x",
    "empty": b"",
}
CONTENT_TYPES = [URLENCODED, URLENCODED + "; charset=utf-8", "text/plain", ""]


def _through_whole_body(body: bytes, content_type: str) -> dict:
    """The environ as the app behind WholeBody sees it."""
    seen = {}

    def inner(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/sms",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
    }
    WholeBody(inner, 64 * 1024, 5)(environ, lambda *a: None)
    return seen


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize("name", BODIES)
def test_the_form_is_what_werkzeug_reads_from_the_same_body(name, content_type):
    body = BODIES[name]
    environ = _through_whole_body(body, content_type)
    assert environ[BODY] == body
    theirs = Request({**environ, "wsgi.input": io.BytesIO(body)})
    ours = KeptRequest(dict(environ))
    assert list(ours.form.items(multi=True)) == list(theirs.form.items(multi=True))
    assert list(ours.files.items(multi=True)) == []
    assert ours.stream.read() == theirs.stream.read()  # read or not, as werkzeug leaves it


def test_a_form_is_read_by_werkzeug_where_no_body_was_kept():
    body = b"Body=hello&To=x"
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": URLENCODED,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    assert KeptRequest(environ).form.to_dict() == {"Body": "hello", "To": "x"}


@pytest.mark.parametrize("name", ["escaped utf-8 and plus", "repeated, blank and bare keys",
                                  "broken escapes", "escapes that are not utf-8"])  # fmt: skip
def test_the_signature_covers_every_value_as_twilio_signed_it(client, name):
    """Signed over the parameters werkzeug reads (every value of a repeated key): the
    webhook accepts it; one value changed, it refuses."""
    body = BODIES[name]
    params = Request(_through_whole_body(body, URLENCODED) | {"wsgi.input": io.BytesIO(body)}).form
    signature = RequestValidator(TOKEN).compute_signature("http://localhost/sms", params)
    headers = {"X-Twilio-Signature": signature, "Content-Type": URLENCODED}
    assert client.post("/sms", data=body, headers=headers).status_code == 200
    changed = body + b"&a=4"
    assert client.post("/sms", data=changed, headers=headers).status_code == 403


COOKIE_HEADERS = [
    "ivr_sms=AQID-_abc",
    "ivr_sms=AQID; other=1; ivr_sms=second",
    'a="quoted \\"value\\""; b=caf\xc3\xa9; ivr_sms',
    " ; ;=;ivr_sms=x y;; z=\x7f",
    "",
]


@pytest.mark.parametrize("header", COOKIE_HEADERS)
def test_the_cookies_are_what_werkzeug_reads_from_the_same_header(header):
    environ = {"REQUEST_METHOD": "POST", "HTTP_COOKIE": header, "HTTP_X_OTHER": "1"}
    ours, theirs = KeptRequest(dict(environ)), Request(dict(environ))
    assert list(ours.cookies.items(multi=True)) == list(theirs.cookies.items(multi=True))
    assert type(ours.cookies) is type(theirs.cookies)


def test_no_cookie_header_is_no_cookies():
    assert not KeptRequest({"REQUEST_METHOD": "POST"}).cookies
