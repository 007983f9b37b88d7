"""A stand-in for Twilio's Messages and Content APIs on a loopback port, for WhatsApp.

The app reaches it through IVR_TWILIO_API_URL, so every request is made by the twilio
package's own REST client, and a test sees what Twilio would receive:

    POST /2010-04-01/Accounts/{AC}/Messages.json     a message (ContentSid, ContentVariables)
    GET  /v1/Content                                  the account's templates (one page)
    POST /v1/Content                                  make a template (JSON)
    DELETE /v1/Content/{HX}                           delete one

How it answers a send is `answers`: one per request, in order (then `then`), each an
Answer: a status (201 sends; 400 refuses with Twilio's error 21211; 429 is Twilio's
"Too Many Requests" 20429; 500 a server error) after `delay` seconds. A stalled request
is still recorded when it arrives, as a real server would, and still answered after its
delay if the client is waiting then.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from support import ACCOUNT, serving

MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
ERRORS = {  # status -> (Twilio's code, its message)
    400: (21211, "Invalid 'To' Phone Number"),
    401: (20003, "Authenticate"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


@dataclass(frozen=True)
class Answer:
    status: int = 201
    delay: float = 0.0


@dataclass
class Request:
    method: str
    path: str
    form: dict  # the form fields of a send, or the JSON of a template
    auth: str  # "username:password"
    at: float  # time.monotonic() when it arrived


@dataclass
class TwilioApi:
    url: str = ""
    seen: list[Request] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)  # taken one per send, in order
    then: Answer = field(default_factory=Answer)  # after those
    templates: dict[str, dict] = field(default_factory=dict)  # SID -> the template made
    refuse_templates_after: int | None = None  # make this many, then answer 400
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def sent(self) -> list[Request]:
        return [r for r in self.seen if r.path == MESSAGES]

    def next_answer(self) -> Answer:
        with self.lock:
            return self.answers.pop(0) if self.answers else self.then


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _record(self) -> Request:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            form = json.loads(body) if body else {}
        else:
            form = dict(parse_qsl(body, keep_blank_values=True))
        auth = base64.b64decode(self.headers.get("Authorization", "")[6:]).decode()
        request = Request(self.command, urlsplit(self.path).path, form, auth, time.monotonic())
        self.server.api.seen.append(request)
        return request

    def _answer(self, status: int, payload: dict | None) -> None:
        data = json.dumps(payload).encode() if payload is not None else b""
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client stopped waiting: what a stall test wants

    def do_POST(self) -> None:
        api = self.server.api
        request = self._record()
        if request.path == "/v1/Content":
            full = api.refuse_templates_after is not None
            if full and len(api.templates) >= api.refuse_templates_after:
                refused = {"code": 20001, "message": "Invalid types", "status": 400}
                return self._answer(400, refused)
            sid = "HX" + uuid.uuid4().hex
            api.templates[sid] = request.form
            return self._answer(201, {"sid": sid, "account_sid": ACCOUNT, **request.form})
        if request.path != MESSAGES:
            return self._answer(404, {"code": 20404, "message": "Not Found", "status": 404})
        answer = api.next_answer()
        time.sleep(answer.delay)
        if answer.status == 201:
            sid = "MM" + uuid.uuid4().hex
            return self._answer(201, {"sid": sid, "status": "queued", "to": request.form["To"]})
        code, message = ERRORS.get(answer.status, (20500, "Error"))
        self._answer(answer.status, {"code": code, "message": message, "status": answer.status})

    def do_GET(self) -> None:
        api = self.server.api
        request = self._record()
        if request.path != "/v1/Content":
            return self._answer(404, {"code": 20404, "message": "Not Found", "status": 404})
        contents = [{"sid": sid, "account_sid": ACCOUNT, **t} for sid, t in api.templates.items()]
        meta = {"page": 0, "page_size": 1000, "next_page_url": None, "key": "contents"}
        self._answer(200, {"contents": contents, "meta": meta})

    def do_DELETE(self) -> None:
        request = self._record()
        sid = request.path.rsplit("/", 1)[-1]
        found = self.server.api.templates.pop(sid, None)
        self._answer(204 if found else 404, None if found else {"code": 20404, "status": 404})

    def log_message(self, format, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: TwilioApi


@contextmanager
def twilio_api():
    """The stand-in on a free loopback port, stopped when the block ends."""
    api = TwilioApi()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.api = api
    api.url = f"http://127.0.0.1:{server.server_port}"
    with serving(server):
        yield api
