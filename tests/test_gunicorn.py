"""The Procfile's `gunicorn app:app`, started for real, as a deploy would run it."""

from __future__ import annotations

import http.cookiejar
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
