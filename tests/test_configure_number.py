"""`ivr configure-number`, run against a local stand-in for Twilio's REST API.

The stand-in is a real HTTP server on 127.0.0.1. The command reaches it through
IVR_TWILIO_API_URL, so every request is made by the twilio package's own client and
the tests see exactly what Twilio would receive.
"""

from __future__ import annotations

import base64
import json
import re
import socket
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner

from ivr.cli import main

from support import serving

ACCOUNT = "AC" + "0123456789abcdef" * 2
TOKEN = "auth-token-for-the-stand-in"
KEY = "SK" + "fedcba9876543210" * 2
SECRET = "api-secret-for-the-stand-in"
NUMBER = "+441234567890"
SID = "PN" + "1" * 32
APP = "AP" + "2" * 32
TRUNK = "TK" + "3" * 32
LIST = f"/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers.json"
BASE = "https://helpline.example.org"
AUTHENTICATE = {"code": 20003, "message": "Authenticate", "more_info": "", "status": 401}


def _one(sid: str) -> str:
    return f"/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers/{sid}.json"


ONE = _one(SID)


@dataclass
class Seen:
    """One request as the stand-in received it."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    auth: str  # "username:password" from the Basic Authorization header


@dataclass
class StandIn:
    """What the fake Twilio holds, what it has been asked, and how to make it refuse."""

    url: str = ""
    numbers: dict[str, dict] = field(default_factory=dict)  # sid -> resource
    seen: list[Seen] = field(default_factory=list)
    refuse: str | None = None  # "GET" or "POST": answer that method with 401 Authenticate

    @property
    def calls(self) -> list[tuple[str, str]]:
        return [(s.method, s.path) for s in self.seen]


def _resource(sid: str, phone_number: str, **fields) -> dict:
    """An IncomingPhoneNumber as Twilio's API returns it (the fields this command reads)."""
    return {
        "sid": sid,
        "account_sid": ACCOUNT,
        "phone_number": phone_number,
        "friendly_name": "Helpline",
        "voice_url": "https://demo.twilio.com/welcome/voice/",
        "voice_method": "POST",
        "voice_fallback_url": None,
        "voice_fallback_method": "POST",
        "sms_url": "https://demo.twilio.com/welcome/sms/reply",
        "sms_method": "POST",
        "sms_fallback_url": "",
        "sms_fallback_method": "POST",
        # Twilio sends both "" and null for "no app"; neither may raise a warning
        "voice_application_sid": "",
        "sms_application_sid": None,
        "trunk_sid": None,
        "capabilities": {"voice": True, "sms": True, "mms": False, "fax": False},
        "date_created": "Mon, 24 Nov 2025 10:00:00 +0000",
        "date_updated": "Mon, 24 Nov 2025 10:00:00 +0000",
        "api_version": "2010-04-01",
        "uri": _one(sid),
        **fields,
    }


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format, *args) -> None:
        pass  # keep pytest's output to the tests' own

    def _answer(self) -> None:
        twilio = self.server.stand_in
        parts = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        auth = self.headers.get("Authorization", "")
        twilio.seen.append(
            Seen(
                self.command,
                parts.path,
                dict(parse_qsl(parts.query, keep_blank_values=True)),
                dict(parse_qsl(body, keep_blank_values=True)),
                base64.b64decode(auth.removeprefix("Basic ")).decode() if auth else "",
            )
        )
        if twilio.refuse == self.command:
            return self._send(401, AUTHENTICATE)
        if self.command == "GET" and parts.path == LIST:
            wanted = dict(parse_qsl(parts.query)).get("PhoneNumber", "")
            # Twilio treats PhoneNumber as a pattern, so a longer number matches too
            found = [n for n in twilio.numbers.values() if wanted in n["phone_number"]]
            return self._send(200, _page(found, parts.query))
        sid = next((sid for sid in twilio.numbers if _one(sid) == parts.path), None)
        if self.command == "POST" and sid:
            record = twilio.numbers[sid]
            for name, value in parse_qsl(body, keep_blank_values=True):
                record[re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()] = value  # VoiceUrl: voice_url
            return self._send(200, record)
        return self._send(404, {"code": 20404, "message": "Not found", "status": 404})

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _page(records: list[dict], query: str) -> dict:
    uri = f"{LIST}?{query}"
    return {
        "incoming_phone_numbers": records,
        "first_page_uri": uri,
        "next_page_uri": None,
        "previous_page_uri": None,
        "page": 0,
        "page_size": 2,
        "start": 0,
        "end": max(len(records) - 1, 0),
        "uri": uri,
    }


class _Server(ThreadingHTTPServer):
    stand_in: StandIn


@pytest.fixture
def twilio():
    """A stand-in for Twilio's API, holding one number, NUMBER, in the account."""
    stand_in = StandIn(numbers={SID: _resource(SID, NUMBER)})
    server = _Server(("127.0.0.1", 0), _Handler)
    server.stand_in = stand_in
    stand_in.url = f"http://127.0.0.1:{server.server_port}"
    with serving(server):
        yield stand_in


def run(twilio: StandIn, *args: str, **env: str | None):
    """The real command, with the account's auth token unless env says otherwise."""
    environ = {
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_API_KEY": None,  # None unsets whatever the machine running the tests has
        "TWILIO_API_SECRET": None,
        "IVR_TWILIO_API_URL": twilio.url,
        "no_proxy": "127.0.0.1",  # a proxy configured on the machine must not catch these
        "NO_PROXY": "127.0.0.1",
    }
    return CliRunner().invoke(main, ["configure-number", *args], env=environ | env)


def test_points_voice_sms_and_their_fallbacks_at_the_app(twilio):
    result = run(twilio, NUMBER, "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert twilio.calls == [("GET", LIST), ("POST", ONE)]
    assert twilio.seen[0].query == {"PhoneNumber": NUMBER, "PageSize": "2"}
    assert twilio.seen[1].form == {
        "VoiceUrl": f"{BASE}/voice",
        "VoiceMethod": "POST",
        "VoiceFallbackUrl": f"{BASE}/voice/fallback",
        "VoiceFallbackMethod": "POST",
        "SmsUrl": f"{BASE}/sms",
        "SmsMethod": "POST",
        "SmsFallbackUrl": f"{BASE}/sms/fallback",
        "SmsFallbackMethod": "POST",
    }
    assert [s.auth for s in twilio.seen] == [f"{ACCOUNT}:{TOKEN}"] * 2
    lines = result.stdout.splitlines()
    assert lines[0] == f"Using a stand-in for Twilio's API at {twilio.url} (IVR_TWILIO_API_URL)."
    assert lines[1:6] == [
        f"Configured {NUMBER} ({SID}):",
        f"  voice URL          POST {BASE}/voice",
        f"  voice fallback URL POST {BASE}/voice/fallback",
        f"  SMS URL            POST {BASE}/sms",
        f"  SMS fallback URL   POST {BASE}/sms/fallback",
    ]
    assert lines[6].startswith("Note: if this number is in a Messaging Service")
    assert lines[7] == "Test it: text the number, or use Twilio's Virtual Phone in the Console."
    assert len(lines) == 8  # no warnings: the number has no TwiML App or trunk


@pytest.mark.parametrize(
    ("base_url", "extra", "voice", "sms", "fallback"),
    [
        (f"{BASE}/", [], f"{BASE}/voice", f"{BASE}/sms", BASE),
        (f"{BASE}/ivr//", [], f"{BASE}/ivr/voice", f"{BASE}/ivr/sms", f"{BASE}/ivr"),
        (
            BASE,
            ["--script", "teen"],
            f"{BASE}/voice?script=teen",
            f"{BASE}/sms?script=teen",
            BASE,
        ),
        (
            BASE,
            ["--script", "a b&c"],
            f"{BASE}/voice?script=a+b%26c",
            f"{BASE}/sms?script=a+b%26c",
            BASE,
        ),
        (
            "http://127.0.0.1:5000",
            ["--allow-http"],
            "http://127.0.0.1:5000/voice",
            "http://127.0.0.1:5000/sms",
            "http://127.0.0.1:5000",
        ),
    ],
)
def test_webhook_urls(twilio, base_url, extra, voice, sms, fallback):
    result = run(twilio, NUMBER, "--base-url", base_url, *extra)
    assert result.exit_code == 0, result.output
    form = twilio.seen[-1].form
    assert (form["VoiceUrl"], form["SmsUrl"]) == (voice, sms)
    # Fallbacks carry no ?script=: they answer the same way whichever script failed
    assert form["VoiceFallbackUrl"] == f"{fallback}/voice/fallback"
    assert form["SmsFallbackUrl"] == f"{fallback}/sms/fallback"
    assert f"  voice URL          POST {voice}" in result.stdout


@pytest.mark.parametrize("written", ["+44 1234 567890", " +441234567890 ", "+44 12 34 56 78 90"])
def test_spaces_in_the_number_are_dropped(twilio, written):
    result = run(twilio, written, "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert twilio.seen[0].query["PhoneNumber"] == NUMBER


@pytest.mark.parametrize("token", [None, TOKEN])
def test_an_api_key_signs_in_as_the_key_and_is_preferred_to_the_token(twilio, token):
    result = run(
        twilio,
        NUMBER,
        "--base-url",
        BASE,
        TWILIO_AUTH_TOKEN=token,
        TWILIO_API_KEY=KEY,
        TWILIO_API_SECRET=SECRET,
    )
    assert result.exit_code == 0, result.output
    assert twilio.calls == [("GET", LIST), ("POST", ONE)]  # still the account's own paths
    assert [s.auth for s in twilio.seen] == [f"{KEY}:{SECRET}"] * 2


def test_a_number_not_in_the_account_is_not_touched(twilio):
    result = run(twilio, "+447700900123", "--base-url", BASE)
    assert result.exit_code == 1
    assert f"+447700900123 is not a number in the Twilio account {ACCOUNT}." in result.stderr
    assert "Buy it or port it into this account first" in result.stderr
    assert twilio.calls == [("GET", LIST)]


def test_only_the_exact_number_counts_though_twilio_matches_a_pattern(twilio):
    twilio.numbers = {SID: _resource(SID, NUMBER + "1")}
    result = run(twilio, NUMBER, "--base-url", BASE)
    assert result.exit_code == 1
    assert f"{NUMBER} is not a number in the Twilio account" in result.stderr
    assert twilio.calls == [("GET", LIST)]


@pytest.mark.parametrize(
    "number",
    [
        "01234567890",  # national form
        "441234567890",  # no +
        "+44 (0)1234 567890",
        "+44-1234-567890",
        "+0441234567890",  # country codes never start with 0
        "+4412345678901234",  # 16 digits, one too many
        "tel:+441234567890",
        "",
    ],
)
def test_numbers_not_in_e164_are_refused_before_any_api_call(twilio, number):
    result = run(twilio, number, "--base-url", BASE)
    assert result.exit_code == 1
    assert f"'{number}' is not a phone number in E.164 form." in result.stderr
    assert "e.g. +447700900123 for 07700 900123" in result.stderr
    assert twilio.seen == []


@pytest.mark.parametrize(
    ("base_url", "extra", "says"),
    [
        ("http://helpline.example.org", [], "is http, not https. Twilio's request signatures"),
        ("http://helpline.example.org", ["--script", "teen"], "add --allow-http only for a local"),
        ("helpline.example.org", [], "is not a web address Twilio can call"),
        (f"{BASE}/?script=teen", [], "is not a web address Twilio can call"),
        (BASE, ["--script", " "], "--script is empty"),
    ],
)
def test_bad_addresses_are_refused_before_any_api_call(twilio, base_url, extra, says):
    result = run(twilio, NUMBER, "--base-url", base_url, *extra)
    assert result.exit_code == 1
    assert says in result.stderr
    assert twilio.seen == []


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"TWILIO_ACCOUNT_SID": None}, "TWILIO_ACCOUNT_SID is not set."),
        ({"TWILIO_ACCOUNT_SID": "  "}, "TWILIO_ACCOUNT_SID is not set."),
        ({"TWILIO_ACCOUNT_SID": KEY}, f"TWILIO_ACCOUNT_SID is '{KEY}', which is not an account"),
        (
            {"TWILIO_AUTH_TOKEN": None},
            "Set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET, alongside "
            "TWILIO_ACCOUNT_SID.",
        ),
        ({"TWILIO_API_KEY": KEY}, "TWILIO_API_SECRET is not set, but its partner is."),
        ({"TWILIO_API_SECRET": SECRET}, "TWILIO_API_KEY is not set, but its partner is."),
        ({"IVR_TWILIO_API_URL": "127.0.0.1:8123"}, "IVR_TWILIO_API_URL is '127.0.0.1:8123'"),
    ],
)
def test_missing_or_wrong_settings_name_the_variable(twilio, env, says):
    result = run(twilio, NUMBER, "--base-url", BASE, **env)
    assert result.exit_code == 1
    assert says in result.stderr
    assert twilio.seen == []


@pytest.mark.parametrize(
    ("refused", "calls"), [("GET", [("GET", LIST)]), ("POST", [("GET", LIST), ("POST", ONE)])]
)
def test_a_refusal_from_the_api_is_one_clear_line(twilio, refused, calls):
    twilio.refuse = refused
    result = run(twilio, NUMBER, "--base-url", BASE)
    assert result.exit_code == 1
    # One line on stderr, and a ClickException's exit: no traceback, no escape codes
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        f"Error: The stand-in at {twilio.url} refused the request "
        "(HTTP 401, error 20003: Authenticate). Check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN"
    )
    assert "See https://www.twilio.com/docs/errors/20003." in result.stderr
    assert twilio.calls == calls


def test_a_stand_in_that_is_not_running_is_named(twilio):
    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = run(twilio, NUMBER, "--base-url", BASE, IVR_TWILIO_API_URL=closed)
    assert result.exit_code == 1
    assert f"Could not reach the stand-in at {closed} (ConnectionError)." in result.stderr
    assert "unset IVR_TWILIO_API_URL" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "warnings"),
    [
        ({"voice_application_sid": APP}, [f"calls on this number go to the TwiML App {APP}"]),
        ({"sms_application_sid": APP}, [f"texts on this number go to the TwiML App {APP}"]),
        ({"trunk_sid": TRUNK}, [f"calls on this number go to the SIP trunk {TRUNK}"]),
        (
            {"voice_application_sid": APP, "sms_application_sid": APP},
            [
                f"calls on this number go to the TwiML App {APP}",
                f"texts on this number go to the TwiML App {APP}",
            ],
        ),
    ],
)
def test_a_twiml_app_or_trunk_that_overrides_the_urls_is_warned_about(twilio, overrides, warnings):
    twilio.numbers[SID].update(overrides)
    result = run(twilio, NUMBER, "--base-url", BASE)
    assert result.exit_code == 0, result.output
    shown = [line for line in result.stdout.splitlines() if line.startswith("Warning: ")]
    assert [line.removeprefix("Warning: ").split(",")[0] for line in shown] == warnings
    assert all("Remove it from the number in the Twilio Console" in line for line in shown)


def test_the_help_explains_the_stand_in():
    result = CliRunner().invoke(main, ["configure-number", "--help"])
    text = " ".join(result.output.split())  # click rewraps the paragraphs
    assert (
        "IVR_TWILIO_API_URL: send the API calls to a stand-in for Twilio's API, for tests and "
        "rehearsals; leave unset in production." in text
    )
    assert "--allow-http" in text and "--script ID" in text
