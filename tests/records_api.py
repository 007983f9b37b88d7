"""A stand-in for the part of Twilio's REST API that `ivr redact` uses: a real HTTP server
on a free loopback port, holding messages and calls, and answering as Twilio does.

    GET    /2010-04-01/Accounts/{AC}/Messages.json   To, From, DateSent<, PageSize, PageToken
    GET    /2010-04-01/Accounts/{AC}/Calls.json      To, From, StartTime<, PageSize, PageToken
    DELETE /2010-04-01/Accounts/{AC}/{Messages|Calls}/{Sid}.json   204, or 404 (20404)
    POST   /2010-04-01/Accounts/{AC}/Messages/{Sid}.json   Body= (empty) blanks the body

Lists are newest first and paged by a token naming the last record of the page, as
Twilio's are, so deleting while paging skips nothing. Each record can be made to refuse
deletion (20009) or blanking, to stall (hold its DELETE longer than any client waits),
and the whole API to answer 429 for the next `throttle` requests or to stall a list.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from support import serving

ACCOUNT = "AC" + "7" * 32
PREFIX = f"/2010-04-01/Accounts/{ACCOUNT}/"
KEYS = {"Messages": "messages", "Calls": "calls"}
NOT_FOUND = 20404
NOT_YET = 20009


@dataclass
class Record:
    """One message (SM...) or call (CA...) as Twilio keeps it."""

    sid: str
    to: str
    from_: str
    status: str
    when: datetime  # date_sent for a message, start_time for a call
    body: str = ""
    refuse_delete: bool = False  # answer 20009: "Cannot delete this resource before..."
    refuse_blank: bool = False
    stall: bool = False  # hold its DELETE past any client's timeout, and keep it
    gone_elsewhere: bool = False  # deleted by someone else once listed: DELETE gets 404

    @property
    def kind(self) -> str:
        return "Messages" if self.sid.startswith(("SM", "MM")) else "Calls"

    def json(self) -> dict:
        stamp = format_datetime(self.when)  # RFC 2822, as Twilio writes its dates
        shared = {"sid": self.sid, "account_sid": ACCOUNT, "to": self.to, "from": self.from_,
                  "status": self.status, "date_created": stamp, "date_updated": stamp,
                  "uri": f"{PREFIX}{self.kind}/{self.sid}.json"}  # fmt: skip
        if self.kind == "Messages":
            return {**shared, "body": self.body, "date_sent": stamp, "num_media": "0",
                    "num_segments": "1", "direction": "inbound"}  # fmt: skip
        ended = self.status not in ("queued", "ringing", "in-progress")
        return {**shared, "start_time": stamp, "end_time": stamp if ended else None,
                "direction": "inbound", "duration": "30", "parent_call_sid": None}  # fmt: skip


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    auth: str


@dataclass
class RecordsApi:
    url: str = ""
    records: dict[str, Record] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    throttle: int = 0  # answer the next this many requests with 429
    retry_after: str = "0"  # the 429's Retry-After header ("" for none)
    stall_list: str = ""  # "Messages" or "Calls": hold that list's first page
    stall_seconds: float = 3.0
    delay: float = 0.0  # seconds before every answer: a slow API
    refuse_all: int = 0  # an HTTP status (401) to answer everything with
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *records: Record) -> None:
        for record in records:
            self.records[record.sid] = record

    def requests(self, method: str) -> list[Seen]:
        return [s for s in self.seen if s.method == method]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_DELETE(self) -> None:
        self._answer("DELETE")

    def _answer(self, method: str) -> None:
        api = self.server.api
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        auth = self.headers.get("Authorization", "").removeprefix("Basic ")
        with api.lock:
            api.seen.append(Seen(method, parts.path, query, form, base64.b64decode(auth).decode()))
            throttled = api.throttle > 0
            api.throttle -= throttled
        time.sleep(api.delay)
        if api.refuse_all:
            return self._send(api.refuse_all, _error(20003, "Authenticate", api.refuse_all))
        if throttled:
            headers = {"Retry-After": api.retry_after} if api.retry_after else {}
            return self._send(429, _error(20429, "Too Many Requests", 429), headers)
        path = parts.path.removeprefix(PREFIX)
        if method == "GET" and path in ("Messages.json", "Calls.json"):
            return self._list(path.removesuffix(".json"), query)
        kind, _, rest = path.partition("/")
        record = api.records.get(rest.removesuffix(".json"))
        if kind not in KEYS or record is None or record.kind != kind:
            return self._send(404, _error(NOT_FOUND, "The requested resource was not found", 404))
        if method == "DELETE":
            return self._delete(record)
        if method == "POST" and kind == "Messages" and form.get("Body") == "":
            if record.refuse_blank:
                return self._send(409, _error(NOT_YET, "Cannot update this message yet", 409))
            record.body = ""
            return self._send(200, record.json())
        return self._send(400, _error(30400, "Parameters are not valid", 400))

    def _list(self, kind: str, query: dict[str, str]) -> None:
        api = self.server.api
        if api.stall_list == kind and "PageToken" not in query:
            time.sleep(api.stall_seconds)
        field_name = "DateSent<" if kind == "Messages" else "StartTime<"
        before = datetime.fromisoformat(query[field_name].replace("Z", "+00:00"))
        with api.lock:
            found = [
                r for r in api.records.values()
                if r.kind == kind and r.when < before
                and query.get("To", r.to) == r.to and query.get("From", r.from_) == r.from_
            ]  # fmt: skip
        found.sort(key=lambda r: (r.when, r.sid), reverse=True)
        token = query.get("PageToken", "").removeprefix("PA")
        if token:
            after = [i for i, r in enumerate(found) if r.sid == token]
            found = found[after[0] + 1 :] if after else found
        size = int(query.get("PageSize", "50"))
        page, more = found[:size], len(found) > size
        base = {k: v for k, v in query.items() if k not in ("PageToken", "Page")}
        uri = f"{PREFIX}{kind}.json"
        next_uri = (
            f"{uri}?{urlencode({**base, 'PageToken': 'PA' + page[-1].sid})}" if more else None
        )
        self._send(200, {KEYS[kind]: [r.json() for r in page], "next_page_uri": next_uri,
                         "first_page_uri": f"{uri}?{urlencode(base)}", "previous_page_uri": None,
                         "uri": f"{uri}?{urlencode(query)}", "page": 0, "page_size": size,
                         "start": 0, "end": max(len(page) - 1, 0)})  # fmt: skip

    def _delete(self, record: Record) -> None:
        api = self.server.api
        if record.stall:
            time.sleep(api.stall_seconds)  # the client has given up by now; Twilio kept it
            return self._send(204, None)
        if record.gone_elsewhere:
            with api.lock:
                api.records.pop(record.sid, None)
            return self._send(404, _error(NOT_FOUND, "The requested resource was not found", 404))
        if record.refuse_delete:
            return self._send(
                409, _error(NOT_YET, "Cannot delete this resource before it is complete", 409)
            )
        with api.lock:
            api.records.pop(record.sid, None)
        self._send(204, None)

    def _send(self, status: int, payload, headers: dict | None = None) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        try:
            self.send_response(status)
            if payload is not None:
                self.send_header("Content-Type", "application/json")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up waiting: what a stall is for

    def log_message(self, format, *args) -> None:
        pass


def _error(code: int, message: str, status: int) -> dict:
    return {"code": code, "message": message, "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}"}  # fmt: skip


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: RecordsApi


@contextmanager
def records_api():
    """The stand-in, serving until the block ends."""
    api = RecordsApi()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.api = api
    api.url = f"http://127.0.0.1:{server.server_port}"
    with serving(server):
        yield api
