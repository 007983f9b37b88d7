"""Only Twilio may drive the webhooks: signature checks, also behind proxies, and limits."""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

import pytest
from flask import request
from twilio.request_validator import RequestValidator

from ivr.web import create_app
from ivr.web.security import public_root

from support import (
    SECRET,
    TOKEN,
    Call,
    Texter,
    logged_events,
    logged_outcomes,
    production_env,
    read_voice,
    sealed_url,
    signed_post,
    url_state,
)

WEBHOOKS = ["/voice", "/voice/next?s=1.voice.link-claiming-intimate-photo.main.0.0..0", "/sms",
            "/voice/fallback", "/sms/fallback"]  # fmt: skip


def call_params(client) -> dict:
    return Call(client).params("ringing")


def opens_the_call(response, capfd) -> None:
    """Accepted means answered: the 999 line first, a menu waiting, and no fault logged."""
    heard = read_voice(response)
    assert heard.says[0].startswith("If you are in immediate danger"), heard.says
    assert heard.gather is not None and not heard.hangup
    outcomes = logged_outcomes(capfd.readouterr().err)
    assert outcomes and "fault" not in outcomes, outcomes


@pytest.mark.parametrize("token", [None, "not-the-real-token"], ids=["unsigned", "another-token"])
@pytest.mark.parametrize("url", WEBHOOKS)
def test_a_request_unsigned_or_signed_with_another_token_is_refused(client, url, token):
    if token is None:
        response = client.post(url, data=call_params(client))
    else:
        response = signed_post(client, url, call_params(client), token=token)
    assert response.status_code == 403


def test_a_signed_request_replayed_to_another_url_is_refused(client, capfd):
    params = call_params(client)
    signature = RequestValidator(TOKEN).compute_signature("http://localhost/voice", params)
    headers = {"X-Twilio-Signature": signature}
    opens_the_call(client.post("/voice", data=params, headers=headers), capfd)
    assert client.post("/sms", data=params, headers=headers).status_code == 403
    assert client.post("/voice?script=other", data=params, headers=headers).status_code == 403


@pytest.mark.parametrize("change", ["a parameter", "the state in the URL"])
def test_a_signed_press_that_is_altered_on_the_way_is_refused(client, change, capfd):
    call = Call(client)
    call.start()
    action = call.heard.gather["action"]
    params = call.params(Digits="1")
    signature = RequestValidator(TOKEN).compute_signature("http://localhost" + action, params)
    headers = {"X-Twilio-Signature": signature}
    pressed = read_voice(client.post(action, data=params, headers=headers))
    assert "fault" not in logged_outcomes(capfd.readouterr().err)
    assert pressed.says != call.heard.says and pressed.gather  # key 1 led somewhere new
    if change == "a parameter":
        params = {**params, "Digits": "2"}
    else:
        # A state the app itself sealed, but not the one Twilio signed the URL with.
        action = sealed_url(client.application, url_state(client.application, action))
    assert client.post(action, data=params, headers=headers).status_code == 403


def _signed_for(public_url: str, params: dict) -> dict:
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(public_url, params)}


def test_behind_a_tls_proxy_the_url_is_rebuilt_from_public_base_url(capfd):
    """Twilio signed https://public.example/voice; the app sees http://127.0.0.1:8000/voice."""
    params = call_params(None)
    headers = _signed_for("https://public.example/voice", params)
    app = create_app(production_env(PUBLIC_BASE_URL="https://public.example"))
    inside = app.test_client()
    response = inside.post("/voice", base_url="http://127.0.0.1:8000", data=params, headers=headers)
    opens_the_call(response, capfd)
    without = create_app(production_env()).test_client()
    refused = without.post("/voice", base_url="http://127.0.0.1:8000", data=params, headers=headers)
    assert refused.status_code == 403


def test_public_base_url_keeps_the_query_string_and_a_trailing_slash_is_ignored(capfd):
    app = create_app(production_env(PUBLIC_BASE_URL="https://public.example/"))
    params = call_params(None)
    headers = _signed_for(
        "https://public.example/voice?script=link-claiming-intimate-photo", params
    )
    response = app.test_client().post(
        "/voice?script=link-claiming-intimate-photo", base_url="http://127.0.0.1:8000",
        data=params, headers=headers,
    )  # fmt: skip
    opens_the_call(response, capfd)


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "helpline.example"}


def test_forwarded_headers_are_trusted_only_for_the_configured_proxy_hops(capfd):
    params = call_params(None)
    headers = {**_signed_for("https://helpline.example/voice", params), **FORWARDED}
    trusting = create_app(production_env(IVR_PROXY_HOPS="1")).test_client()
    opens_the_call(trusting.post("/voice", data=params, headers=headers), capfd)
    # With no proxy configured, anyone could send those headers: they are ignored.
    careful = create_app(production_env()).test_client()
    assert careful.post("/voice", data=params, headers=headers).status_code == 403


def test_development_mode_without_a_token_accepts_unsigned_requests(capfd):
    app = create_app({"IVR_DEVELOPMENT": "1"})
    client = app.test_client()
    opens_the_call(client.post("/voice", data=call_params(client)), capfd)


def test_development_mode_still_checks_signatures_when_a_token_is_set(capfd):
    app = create_app({"IVR_DEVELOPMENT": "1", "TWILIO_AUTH_TOKEN": TOKEN})
    client = app.test_client()
    assert client.post("/voice", data=call_params(client)).status_code == 403
    opens_the_call(signed_post(client, "/voice", call_params(client)), capfd)


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("url", WEBHOOKS)
def test_webhooks_answer_any_method_but_post_with_405_signed_or_not(client, url, method):
    signature = RequestValidator(TOKEN).compute_signature("http://localhost" + url, {})
    for headers in ({}, {"X-Twilio-Signature": signature}):
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == 405, (method, headers)
        assert response.headers["Allow"] == "POST"
        assert b"<Response" not in response.data


def test_an_oversized_body_is_refused_before_it_is_read(app):
    texter = Texter(app)
    response = signed_post(texter.client, "/sms", texter.params("x" * 70_000))
    assert response.status_code == 413


def chunked_post(client, url: str, params: dict):
    """POST the form with no Content-Length, as a chunked request arrives from the server."""
    signature = RequestValidator(TOKEN).compute_signature("http://localhost" + url, params)
    return client.post(
        url,
        input_stream=io.BytesIO(urlencode(params).encode()),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )


def test_a_chunked_body_is_read_whole_and_refused_past_the_limit(app):
    texter = Texter(app)
    fits = chunked_post(texter.client, "/sms", texter.params("1" + " " * 60_000))
    assert fits.status_code == 200 and b"Some first steps:" in fits.data  # read, not empty
    over = chunked_post(texter.client, "/sms", texter.params("x" * 70_000))
    assert over.status_code == 413


def test_healthz_says_the_scripts_loaded(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "scripts": ["link-claiming-intimate-photo"]}


def test_the_secret_key_signs_the_sms_cookie(app):
    texter = Texter(app)
    texter.send("hi")
    cookie = texter.client.get_cookie("ivr_sms").value
    other = create_app(production_env(SECRET_KEY=SECRET[::-1]))
    forged = Texter(other)
    forged.client.set_cookie("ivr_sms", cookie)
    # A cookie signed with another key is not trusted: the conversation starts afresh.
    assert forged.send("1").startswith("Some first steps:")


@pytest.mark.parametrize(
    ("signed_as", "seen_at"),
    [
        ("http://helpline.example/voice", "http://helpline.example"),  # as seen: checked first
        ("http://helpline.example:80/voice", "http://helpline.example"),  # Twilio added the port
        ("https://helpline.example/voice", "https://helpline.example:443"),
        ("http://127.0.0.1:8000/voice", "http://127.0.0.1:8000"),
        ("http://127.0.0.1/voice", "http://127.0.0.1:8000"),  # Twilio dropped the port
    ],
)
def test_twilio_may_sign_the_url_with_or_without_its_port(signed_as, seen_at, capfd):
    params = call_params(None)
    client = create_app(production_env()).test_client()
    response = client.post(
        "/voice", base_url=seen_at, data=params, headers=_signed_for(signed_as, params)
    )
    opens_the_call(response, capfd)
    elsewhere = signed_as.replace("helpline.example", "other.example").replace(
        "127.0.0.1", "10.0.0.1"
    )
    refused = client.post(
        "/voice", base_url=seen_at, data=params, headers=_signed_for(elsewhere, params)
    )
    assert refused.status_code == 403


HOSTS = ["localhost", "localhost:8000", "Helpline.EXAMPLE", "127.0.0.1:5000", "[::1]:8000",
         "xn--bcher-kva.example", "a%41.example", "h:0080", "h:443", "h:80",
         "bücher.example"]  # fmt: skip


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("host", HOSTS)
def test_the_url_is_rebuilt_as_werkzeug_rebuilds_it_for_any_host(scheme, host):
    """public_root skips host_url's IRI decoding for plain hosts: it must not change a URL."""
    app = create_app(production_env())
    with app.test_request_context("/sms", base_url=f"{scheme}://x", headers={"Host": host}):
        assert public_root(request, None) == request.host_url.rstrip("/")


# -- A refused request says why -----------------------------------------------------------------

HELPLINE_URL = "https://helpline.example"


def refusal(capfd) -> dict:
    (line,) = [e for e in logged_events(capfd.readouterr().err) if e["event"] == "refused"]
    return line


@pytest.mark.parametrize(
    ("public", "host", "signed_for", "cause", "root"),
    [
        # http where Twilio calls https
        ("http://helpline.example", "127.0.0.1:8000", HELPLINE_URL, "url", HELPLINE_URL),
        # yesterday's ngrok address, while Twilio calls today's
        ("https://old1.ngrok-free.app", "new2.ngrok-free.app", "https://new2.ngrok-free.app",
         "url", "https://new2.ngrok-free.app"),
        # no PUBLIC_BASE_URL behind ngrok: the request says http, Twilio signed https
        (None, "abc3.ngrok-free.app", "https://abc3.ngrok-free.app", "url",
         "https://abc3.ngrok-free.app"),
        # the right address, signed with another account's token (a subaccount's number)
        (HELPLINE_URL, "127.0.0.1:8000", HELPLINE_URL, "token", None),
    ],
)  # fmt: skip
def test_a_refused_request_logs_the_url_checked_and_the_likely_cause(
    capfd, public, host, signed_for, cause, root
):
    env = production_env(**({"PUBLIC_BASE_URL": public} if public else {}))
    client = create_app(env).test_client()
    capfd.readouterr()
    texter = Texter.__new__(Texter)  # only its Twilio-shaped parameters are used here
    texter.sender = "+447700900321"
    params = texter.params("my secret words")
    token = "a-subaccount-token" if cause == "token" else TOKEN
    signature = RequestValidator(token).compute_signature(f"{signed_for}/sms?script=x", params)
    response = client.post(
        "/sms?script=x", base_url=f"http://{host}", data=params,
        headers={"X-Twilio-Signature": signature},
    )  # fmt: skip
    assert response.status_code == 403
    line = refusal(capfd)
    assert line["cause"] == cause
    assert line["url"] == f"{public or 'http://' + host}/sms"  # scheme, host, path: no query
    if root:
        assert line["signed_for"] == f"{root}/sms"
        assert f"set PUBLIC_BASE_URL to {root} " in line["message"]
    else:
        assert "signed_for" not in line and "TWILIO_AUTH_TOKEN" in line["message"]
        assert "subaccount" in line["message"]
    logged = json.dumps(line)
    for private in ("447700900321", "secret words", "script=x", "?"):
        assert private not in logged


def test_an_unsigned_request_to_a_call_logs_no_state_and_says_it_has_no_signature(capfd):
    app = create_app(production_env(PUBLIC_BASE_URL=HELPLINE_URL))
    capfd.readouterr()
    response = app.test_client().post(WEBHOOKS[1], data=call_params(None))
    assert response.status_code == 403
    line = refusal(capfd)
    assert line["cause"] == "no signature"
    assert line["url"] == f"{HELPLINE_URL}/voice/next"
    assert "s=" not in json.dumps(line) and "link-claiming" not in json.dumps(line)


def test_an_odd_host_is_not_repeated_in_the_log(capfd):
    client = create_app(production_env()).test_client()
    capfd.readouterr()
    params = call_params(None)
    headers = {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl", "Host": "EVIL\u2028host.example"}
    assert client.post("/voice", data=params, headers=headers).status_code == 403
    line = refusal(capfd)
    assert line["url"] == "http://(an unusual host)/voice" and line["cause"] == "token"
