"""The Procfile's `gunicorn app:app`, started for real, as a deploy would run it."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from twilio.request_validator import RequestValidator

from drill.server import PUBLIC as DRILL_PUBLIC
from drill.server import TOKEN as DRILL_TOKEN
from drill.server import Gunicorn

from support import ROOT, SECRET, TOKEN, Call, Texter

PUBLIC = "https://public.example"


def clean_env(**extra: str) -> dict[str, str]:
    """The machine's environment without any Twilio or app settings, plus `extra`."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("TWILIO_", "IVR_", "SECRET_KEY", "PUBLIC_BASE_URL"))}  # fmt: skip
    return {**keep, "PYTHONUNBUFFERED": "1", **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BROKEN = ROOT / "tests" / "fixtures" / "invalid" / "missing-target.yaml"


@pytest.mark.parametrize(
    ("setting", "says", "lines"),
    [
        ({"TWILIO_AUTH_TOKEN": None}, "will not start: TWILIO_AUTH_TOKEN is not set", 1),
        # a script with errors: a sentence, the linter's line, and what to run after fixing
        ({"IVR_SCRIPTS": str(BROKEN)}, "goes to 'stepz'", 3),
        # (WEB_CONCURRENCY=abc fails inside gunicorn's own import, before this project's
        # code runs: see docs/deploy.md.)
        ({"WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY is '0'; set it to a whole number from 1", 1),
        ({"GUNICORN_WORKER_CONNECTIONS": "lots"}, "GUNICORN_WORKER_CONNECTIONS is 'lots'; set", 1),
        (
            {"GUNICORN_THREADS": "0"},
            "GUNICORN_THREADS is '0', but the workers are gevent workers",
            1,
        ),
        ({"IVR_LOG_LEVEL": "VERBOSE"}, "IVR_LOG_LEVEL is 'VERBOSE'; set it to one of DEBUG", 1),
        (
            {"IVR_SCRIPTS": str(ROOT / "scripts")},
            "which is a folder; name the script files in it",
            1,
        ),
        ({"PUBLIC_BASE_URL": "HTTPS://x.example"}, "which is not scheme://host[:port]", 1),
    ],
)
def test_gunicorn_refuses_to_start_with_a_missing_or_bad_setting_saying_why(setting, says, lines):
    wanted = {"TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": SECRET, **setting}
    env = clean_env(**{name: value for name, value in wanted.items() if value is not None})
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "app:app", "--bind", f"127.0.0.1:{free_port()}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.startswith("helpline-ivr will not start: ")
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == lines, result.stderr


class Server:
    def __init__(self, port: int, log_path):
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def post(self, path: str, params: dict, signed_for: str | None = PUBLIC):
        """POST as Twilio would, signed for the public URL it believes it is calling."""
        headers = {}
        if signed_for:
            url = signed_for + path
            headers["X-Twilio-Signature"] = RequestValidator(TOKEN).compute_signature(url, params)
        data = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.headers["Content-Type"], response.read()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.headers["Content-Type"], refused.read()

    @property
    def log(self) -> str:
        return self.log_path.read_text()


@pytest.fixture
def server(tmp_path):
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    env = clean_env(TWILIO_AUTH_TOKEN=TOKEN, SECRET_KEY=SECRET, PUBLIC_BASE_URL=PUBLIC)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "app:app", "--bind", f"127.0.0.1:{port}",
             "--workers", "1"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        running = Server(port, log_path)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(running.base + "/healthz", timeout=2) as health:
                    assert health.status == 200
                    break
            except OSError:
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "gunicorn did not start in 30 s"
                time.sleep(0.2)
        yield running
        process.terminate()
        process.wait(timeout=20)


def test_a_call_signed_for_the_public_url_is_answered_behind_the_proxy(server):
    params = Call(None).params("ringing")
    status, content_type, body = server.post("/voice", params)
    assert status == 200 and content_type.startswith("text/xml")
    first_say = ET.fromstring(body).find("Gather").find("Say").text
    assert first_say == "If you are in immediate danger, hang up now and call nine nine nine."


def test_unsigned_and_wrongly_addressed_requests_are_refused(server):
    params = Call(None).params("ringing")
    assert server.post("/voice", params, signed_for=None)[0] == 403
    assert server.post("/voice", params, signed_for=server.base)[0] == 403  # the inside URL


def test_a_texted_conversation_keeps_its_place_and_logs_nothing_private(server):
    texter = Texter.__new__(Texter)  # only its Twilio-shaped parameters are used here
    texter.sender = "+447700900444"
    replies = []
    for body in ("Hello, I'm Alex Example", "1", "1", "DANGER"):
        status, _, xml = server.post("/sms", texter.params(body))
        assert status == 200
        replies.append(ET.fromstring(xml).find("Message").text)
    assert replies[0].startswith("Some first steps:")
    assert replies[1].startswith("If you already clicked the link")
    assert replies[2].startswith("What to do now:")  # the cookie carried the place
    assert replies[3].startswith("If you feel at immediate risk of harm, call 999.")
    log = server.log
    assert log.count('"event": "webhook"') == 4
    for private in ("447700900444", "Alex Example", "Hello"):
        assert private not in log


def raw_post(port: int, path: str, params: dict, signed_for: str, headers: dict) -> int:
    """POST from loopback, as a proxy on this machine would, with the headers given."""
    signature = RequestValidator(DRILL_TOKEN).compute_signature(signed_for + path, params)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", path, urllib.parse.urlencode(params),
                           {"X-Twilio-Signature": signature,
                            "Content-Type": "application/x-www-form-urlencoded",
                            **headers})  # fmt: skip
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_forwarded_headers_from_a_local_proxy_count_only_as_ivr_proxy_hops_says(tmp_path):
    """Finding 4: gunicorn trusted X-Forwarded-Proto from loopback by default, so behind
    a proxy on the same machine the app saw https where Twilio had signed http: 403."""
    params = Call(None).params("ringing")
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "public.example"}
    clash = {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "off"}  # gunicorn: 400
    with Gunicorn(tmp_path / "none.log", workers=1, PUBLIC_BASE_URL="") as server:
        inside = f"http://127.0.0.1:{server.port}"  # what the app sees, as the docs say
        assert raw_post(server.port, "/voice", params, inside, https) == 200
        assert raw_post(server.port, "/voice", params, inside, clash) == 200
        assert raw_post(server.port, "/voice", params, "https://public.example", https) == 403
    with Gunicorn(tmp_path / "one.log", workers=1, PUBLIC_BASE_URL="", IVR_PROXY_HOPS="1") as s:
        assert raw_post(s.port, "/voice", params, "https://public.example", https) == 200
        inside = f"http://127.0.0.1:{s.port}"
        assert raw_post(s.port, "/voice", params, inside, {}) == 200


def send_raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_gunicorns_own_lines_are_json_in_the_apps_shape_with_nothing_a_request_sent(tmp_path):
    """Its error lines, and its access lines when turned on, like the app's: one JSON
    object each, with no phone number, message, query string or client address, even
    for a request gunicorn itself refuses as malformed."""
    phone = "+447700900246"
    texter = Texter.__new__(Texter)
    texter.sender = phone
    form = texter.params("Hi, I am Robin Example")
    signature = RequestValidator(DRILL_TOKEN).compute_signature(DRILL_PUBLIC + "/sms", form)
    with Gunicorn(tmp_path / "gunicorn.log", workers=1, args=("--access-logfile", "-")) as s:
        answers = [
            send_raw(s.port, b"GET /healthz?From=%2B447700900246 HTTP/1.1\r\nHost: a\r\n"
                     b"Connection: close\r\n\r\n"),
            send_raw(s.port, b"GET /sms?From=+447700900246 HTTX/1.1\r\n\r\n"),  # bad version
            send_raw(s.port, b"GET /sms HTTP/1.1\r\nHost: a\r\nCall +447700900246\r\n\r\n"),
            send_raw(s.port, b"GET /" + b"447700900246" * 400 + b" HTTP/1.1\r\n\r\n"),
        ]  # fmt: skip
        body = urllib.parse.urlencode(form).encode()
        answers.append(send_raw(s.port, b"POST /sms?x=" + phone.encode() + b" HTTP/1.1\r\n"
                                b"Host: a\r\nConnection: close\r\nX-Twilio-Signature: "
                                + signature.encode() + b"\r\nContent-Type: application/"
                                b"x-www-form-urlencoded\r\nContent-Length: "
                                + str(len(body)).encode() + b"\r\n\r\n" + body))  # fmt: skip
    assert [a.split(b" ", 2)[1] for a in answers] == [b"200", b"400", b"400", b"414", b"403"]
    text = s.log
    lines = [json.loads(line) for line in text.splitlines()]  # every line is JSON
    for line in lines:
        assert {"time", "level", "logger", "event"} <= set(line), line
    access = [line for line in lines if line["event"] == "access"]
    seen = [(a["method"], a["path"], a["status"]) for a in access]  # (and start-up's checks)
    assert set(seen) == {("GET", "/healthz", 200), ("POST", "/sms", 403)}
    assert all(set(a) == {"time", "level", "logger", "event", "method", "path", "status",
                          "ms", "bytes"} for a in access)  # fmt: skip
    gunicorn = [line for line in lines if line["logger"] == "gunicorn.error"]
    assert any("Invalid request" in line["message"] for line in gunicorn)
    for private in ("447700900246", "7700900246", "Robin", "127.0.0.1:"):
        assert private not in text.replace(f"127.0.0.1:{s.port}", ""), private
