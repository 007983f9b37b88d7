"""No HTML, ever, to Twilio (issue 22, finding 2): a fault anywhere in a webhook request,
before, inside or after the view, is answered 200 text/xml with the channel's fault
TwiML (999 and Samaritans), and logged as a fault.

Each place is driven through the real app: with a real input where one exists today
(a signed cookie holding a list, a form too many fields long, a Host the signature
check cannot decode), and else with a hook that raises, registered where Flask runs an
app's own hooks (before_request, after_request, teardown_request, the session
interface), since a future hook of ours would run there.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.test import EnvironBuilder

from drill import attack
from drill.server import PUBLIC, Gunicorn
from drill.server import TOKEN as DRILL_TOKEN
from ivr.fault import FAULT_TEXT, FAULT_WORDS
from ivr.web import create_app

from support import TOKEN, Call, Texter, logged_events, opened_url, production_env, signed_post

PRIVATE = ("+447700900123", "447700900123", "Hello, I am Alex")


def call_params() -> dict:
    return Call(None).params("ringing")


def text_params(body: str = PRIVATE[2]) -> dict:
    texter = Texter.__new__(Texter)  # only its Twilio-shaped parameters
    texter.sender = PRIVATE[0]
    return texter.params(body)


def is_fault(status: int, content_type: str, body: bytes, channel: str) -> bool:
    """200, TwiML, and the channel's fault words: 999 and Samaritans."""
    if status != 200 or not content_type.startswith("text/xml"):
        return False
    root = ET.fromstring(body)
    if channel == "sms":
        return [m.text for m in root.iter("Message")] == [FAULT_TEXT]
    return [s.text for s in root.iter("Say")] == [FAULT_WORDS]


def fault_reply(response, channel: str) -> bool:
    return is_fault(response.status_code, response.content_type, response.data, channel)


def faults_logged(err: str, channel: str) -> list[dict]:
    lines = logged_events(err)
    for private in PRIVATE:
        assert private not in json.dumps(lines), private
    return [
        line
        for line in lines
        if line["event"] == "webhook" and line["outcome"] == "fault" and line["channel"] == channel
    ]


def cleared(response) -> bool:
    """The SMS cookie is cleared, so the next text starts afresh."""
    cookies = response.headers.getlist("Set-Cookie")
    return any(c.startswith("ivr_sms=;") and "1970" in c for c in cookies)


WEBHOOKS = [("voice", "/voice", call_params), ("sms", "/sms", text_params)]


def wsgi_post(app, path: str, params: dict, host: str, signature: str) -> tuple:
    """A POST straight through WSGI, for what the test client cannot send (a Host it
    cannot decode itself)."""
    environ = EnvironBuilder(
        path=path,
        method="POST",
        data=params,
        headers={"Host": host, "X-Twilio-Signature": signature},
    ).get_environ()
    got: dict = {}

    def start_response(status, headers, exc_info=None):
        got.update(status=int(status[:3]), headers=dict(headers))

    body = b"".join(app(environ, start_response))
    return got["status"], got["headers"]["Content-Type"], body


def test_a_validly_signed_cookie_holding_a_list_gets_twiml_and_the_next_text_an_answer(app, capfd):
    """The red team's example: two tracebacks and an HTML 500 before. Whatever the
    cookie's rules make of it (a fault, or a fresh start), it is never HTML, and the
    texter is not left stuck with it."""
    texter = Texter(app, sender=PRIVATE[0])
    cookie = app.extensions["ivr"].sealer.seal_values(["s", "c"], "sms")  # sealed, not a state
    texter.client.set_cookie("ivr_sms", cookie, domain="localhost")
    response = signed_post(texter.client, "/sms", texter.params(PRIVATE[2]))
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert ET.fromstring(response.data).find("Message").text
    assert texter.send("hi") != FAULT_TEXT
    faults_logged(capfd.readouterr().err, "sms")  # and nothing private in any line


def test_a_cookie_that_fails_to_open_gets_the_fault_and_is_cleared(capfd):
    app = create_app(production_env())

    class FailingToOpen(type(app.session_interface)):
        def open_session(self, app, request):
            raise RuntimeError("the cookie could not be read")

    app.session_interface = FailingToOpen()
    response = signed_post(app.test_client(), "/sms", text_params())
    assert fault_reply(response, "sms") and cleared(response)
    assert len(faults_logged(capfd.readouterr().err, "sms")) == 1


# A multipart form of 1001 parts, each one letter long: well inside the body limit, but
# past werkzeug's 1000 parts, so reading the form raises (RequestEntityTooLarge).
MANY_PARTS = (
    b"".join(
        b'--b\r\nContent-Disposition: form-data; name="%d"\r\n\r\nx\r\n' % i for i in range(1001)
    )
    + b"--b--\r\n"
)
MULTIPART = "multipart/form-data; boundary=b"


@pytest.mark.parametrize(("channel", "path", "params"), WEBHOOKS)
def test_a_form_that_cannot_be_read_gets_the_fault_not_a_413_page(channel, path, params, capfd):
    app = create_app(production_env())
    response = app.test_client().post(
        path, data=MANY_PARTS, content_type=MULTIPART, headers={"X-Twilio-Signature": "c2ln"}
    )
    assert fault_reply(response, channel)
    assert len(faults_logged(capfd.readouterr().err, channel)) == 1


@pytest.mark.parametrize(("channel", "path", "params"), WEBHOOKS)
def test_a_host_the_signature_check_cannot_decode_gets_the_fault(channel, path, params, capfd):
    """'xn--zz' is not valid punycode: working out the signed URL raised UnicodeError."""
    app = create_app(production_env())
    form = params()
    signature = RequestValidator(TOKEN).compute_signature(f"http://xn--zz{path}", form)
    status, content_type, body = wsgi_post(app, path, form, "xn--zz", signature)
    assert is_fault(status, content_type, body, channel)
    lines = logged_events(capfd.readouterr().err)
    assert any(line.get("error") == "UnicodeError" for line in lines)


@pytest.mark.parametrize(("channel", "path", "params"), WEBHOOKS)
@pytest.mark.parametrize("place", ["before_request", "after_request", "teardown_request"])
def test_a_hook_that_raises_before_after_or_at_teardown_gets_the_fault(
    place, channel, path, params, capfd
):
    app = create_app(production_env())

    def broken(*_):
        raise LookupError(f"a {place} hook failed")

    getattr(app, place)(broken)
    response = signed_post(app.test_client(), path, params())
    assert fault_reply(response, channel)
    if channel == "sms":
        assert cleared(response)
    assert faults_logged(capfd.readouterr().err, channel)


def test_a_fault_in_the_fresh_start_a_voice_fault_offers_ends_the_call(capfd):
    """The voice fault offers one fresh start; a fault there too ends the call politely
    (999 and Samaritans, then hang up) rather than loop."""
    app = create_app(production_env())
    app.before_request(lambda: 1 / 0)
    client = app.test_client()
    first = signed_post(client, "/voice", call_params())
    assert fault_reply(first, "voice")
    retry = ET.fromstring(first.data).find("Redirect").text
    assert retry.startswith("/voice?s=") and "fault" not in retry  # the flag is sealed
    assert opened_url(app, retry).retry
    second = signed_post(client, retry, call_params())
    assert fault_reply(second, "voice")
    root = ET.fromstring(second.data)
    assert root.find("Redirect") is None and root.find("Hangup") is not None


@pytest.mark.parametrize(
    ("how", "status"),
    [("unsigned", 403), ("GET", 405), ("no such path", 404)],
)
def test_a_refusal_keeps_its_status_and_says_it_in_plain_text(how, status):
    client = create_app(production_env()).test_client()
    if how == "unsigned":
        response = client.post("/sms", data=text_params())
    elif how == "GET":
        response = client.get("/voice")
    else:
        response = signed_post(client, "/voice/nowhere", call_params())
    assert response.status_code == status
    assert response.mimetype == "text/plain" and b"<" not in response.data
    if how == "GET":
        assert "POST" in response.headers["Allow"]


def test_a_body_over_the_limit_is_refused_in_plain_text():
    client = create_app(production_env()).test_client()
    response = client.post("/sms", data={"Body": "x" * 70_000})
    assert response.status_code == 413
    assert response.mimetype == "text/plain" and b"<" not in response.data


def real_post(port: int, path: str, params: dict | bytes, cookie: str = "") -> tuple:
    if isinstance(params, bytes):
        headers = {"X-Twilio-Signature": "c2ln", "Content-Type": MULTIPART}
        data = params
    else:
        signature = RequestValidator(DRILL_TOKEN).compute_signature(PUBLIC + path, params)
        headers = {"X-Twilio-Signature": signature}
        data = urllib.parse.urlencode(params).encode()
    if cookie:
        headers["Cookie"] = f"ivr_sms={cookie}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data, headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers["Content-Type"], refused.read()


def test_a_real_gunicorn_answers_faults_before_the_view_with_twiml(tmp_path):
    signer = create_app(production_env(SECRET_KEY="drill-secret-key-0123456789abcdef"))
    list_cookie = signer.extensions["ivr"].sealer.seal_values(["a"], "sms")
    with Gunicorn(tmp_path / "gunicorn.log") as server:
        assert is_fault(*real_post(server.port, "/sms", MANY_PARTS), "sms")
        status, content_type, body = real_post(server.port, "/sms", text_params(), list_cookie)
        assert status == 200 and content_type.startswith("text/xml")
        assert ET.fromstring(body).find("Message").text
        held = attack.stalled(server.port, 1)  # 408 for a body that never arrives
        try:
            held[0].settimeout(20)
            answer = b""
            while chunk := held[0].recv(4096):
                answer += chunk
        finally:
            attack.release(held)
    assert answer.startswith(b"HTTP/1.1 408 ") and b"<html" not in answer.lower()
    assert b"Content-Type: text/plain" in answer
    for private in PRIVATE:
        assert private not in server.log
