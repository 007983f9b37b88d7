"""Structured logs: one JSON object per line, built only from fields the app chooses.

Every line is serialised once, by `_line`, from a dict of fields the code names
(ids, counters, outcomes, times), never from text a caller or texter sent, so nothing a
person sends can reach a line or break one: there is nothing to redact afterwards.

    {"time": "2026-11-24T21:30:00.123Z", "level": "INFO", "logger": "ivr",
     "event": "webhook", "channel": "sms", "script": "...", "node": "...",
     "outcome": "chose", "conversation": "3f9c...", "ms": 1.2}

`time` is ISO 8601 UTC with milliseconds; `event` names the kind of line ("webhook" for
the one line per webhook that `ivr report` reads). A stray `log.info("... %s", value)`
logs its format string and never its arguments.

An exception is logged as its type and its frames (file, line, function: no locals),
always, and its message only where it cannot carry what the request carried, the one
place an input could otherwise slip in (`private_message`):
- each value of the request (form, query, cookies) that stands whole in the message,
  not as a piece of a longer word, is replaced by "[value]": "no node '[value]'";
  "0" or "hi" leave "10" and "while" alone;
- if the message still shares a run of WINDOW characters with any value (a value
  quoted cut short, or run into other letters), the whole message is withheld;
- where the request's values cannot be known (the request is gone, or its form could
  not be read), the message is withheld.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback

from flask import has_request_context, request

LOGGER = "ivr"
SCRUBBED = "[value]"
WITHHELD = "[withheld: it may quote the request]"
WINDOW = 6  # characters a message may share with a request value before it is withheld
REQUEST = "ivr_request"  # a record's request, where it was logged outside the request

log = logging.getLogger(LOGGER)


def event(name: str, level: int = logging.INFO, /, **fields) -> None:
    """Log one line: the event's name and the fields given (JSON-ready values only)."""
    if not log.isEnabledFor(level):
        return
    handler = _only_ours(level)
    if handler is not None:
        # The line goes straight to stderr, as the handler would write it: building a
        # LogRecord and passing it through Logger.handle, Handler.handle and a Formatter
        # cost a webhook turn about a tenth of its time under gunicorn's gevent workers.
        text = _line(time.time(), logging.getLevelName(level), LOGGER, name, fields)
        handler.write(text)
        return
    # Logger.log would also walk the stack for the caller's file and line, which no
    # line prints: the record is made here without that walk.
    record = log.makeRecord(LOGGER, level, "", 0, name, (), None, extra={"ivr_fields": fields})
    log.handle(record)


def webhook_line(**fields) -> None:
    """The one line per webhook: channel, script, node, outcome, conversation, ms."""
    event("webhook", **fields)


def _only_ours(level: int) -> _Stderr | None:
    """setup()'s handler when it alone would see a line; None once anything else is
    attached (a filter, another handler, propagation), so that it sees every line."""
    handlers = log.handlers
    if len(handlers) != 1 or log.filters or log.propagate:
        return None
    handler = handlers[0]
    if type(handler) is not _Stderr or handler.filters or handler.level > level:
        return None
    return handler if type(handler.formatter) is JsonFormatter else None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "ivr_fields", None)
        if fields is None:
            name, fields = self.event_of(record)
        else:
            name = str(record.msg)
        extra = None
        if record.exc_info and record.exc_info[1] is not None:
            extra = _exception(record.exc_info[1], self.values_of(record))
        return _line(record.created, record.levelname, record.name, name, fields, extra)

    def event_of(self, record: logging.LogRecord) -> tuple[str, dict]:
        """A line not written through event(): its format string, never its arguments."""
        return "message", {"message": str(record.msg)}

    def values_of(self, record: logging.LogRecord) -> list[str] | None:
        """The values of the request a record was logged in: [] when it was logged outside
        any request, None when there was one but its values cannot be known."""
        if hasattr(record, REQUEST):
            given = getattr(record, REQUEST)
            return None if given is None else request_values(given)
        return request_values(request) if has_request_context() else []


class ServerJsonFormatter(JsonFormatter):
    """The lines of the server around the app, gunicorn's (ivr.web.gunicorn_logs) and the
    development server's (werkzeug), in the same shape, and free of what a request sent.

    A request line becomes an "access" line of method, path (no query string: the voice
    state travels there), status and size; no client address. Any other line keeps its
    words up to the first quote (where a server quotes a request line or header it could
    not read), without query strings or the client's address. A server's exception may
    come from any request, so its message is withheld; its type and frames are kept."""

    def event_of(self, record: logging.LogRecord) -> tuple[str, dict]:
        if record.name == "werkzeug" and record.args and len(record.args) == 3:
            line, status, size = record.args  # werkzeug's '"%s" %s %s'
            words = _ANSI.sub("", str(line)).split(" ")
            method, path = (words[0], words[1].split("?")[0]) if len(words) == 3 else (None, None)
            return "access", {"method": method, "path": path, "status": _number(status),
                              "bytes": _number(size)}  # fmt: skip
        text = record.getMessage() if record.name != "werkzeug" else str(record.msg)
        text = _QUERY.sub("", _QUOTED.sub("", _ANSI.sub("", text)))
        return "message", {"message": _CLIENT.sub("", text).strip().rstrip(":")}

    def values_of(self, record: logging.LogRecord) -> list[str] | None:
        return super().values_of(record) if hasattr(record, REQUEST) else None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # werkzeug colours its lines on a terminal
_QUOTED = re.compile(r"""['"].*""", re.DOTALL)  # from the first quote on
_QUERY = re.compile(r"\?\S*")
_CLIENT = re.compile(r" from ip=\S*?(?=: |$)")  # gunicorn's "Invalid request from ip=...: "


def _number(value) -> int | None:
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() else None


def _line(
    created: float, level: str, logger: str, name: str, fields: dict, extra: dict | None = None
) -> str:
    """The one way a line is written, whichever path it took."""
    line = {"time": _utc(created), "level": level, "logger": logger, "event": name}
    line.update(fields)
    if extra:
        line.update(extra)
    return _encode(line)


# One encoder for every line: json.dumps with `default` would build a new one each time.
_encode = json.JSONEncoder(ensure_ascii=True, default=str).encode
_second: tuple[int, str] = (-1, "")  # the last whole second written, and its text


def _utc(created: float) -> str:
    global _second
    kept = _second
    whole = int(created)
    if kept[0] != whole:
        kept = (whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)))
        _second = kept
    msecs = int((created - whole) * 1000)  # as LogRecord works out its msecs
    return f"{kept[1]}.{msecs:03d}Z"


def _exception(exc: BaseException, values: list[str] | None) -> dict:
    """The exception and its causes: types and frames as they are, messages made private
    (`values`: the request's, None where they cannot be known)."""
    chain: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)  # summaries carry no locals
        chain[:0] = [
            *(f"{f.filename}:{f.lineno} in {f.name}" for f in frames),
            f"{type(current).__qualname__}: {private_message(str(current), values)}",
        ]
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return {
        "error": type(exc).__qualname__,
        "error_message": private_message(str(exc), values),
        "traceback": chain,
    }


def request_values(req) -> list[str] | None:
    """Every value a request carried (form, query string, cookies), in each form a
    message may show it in; None if its form cannot be read."""
    try:
        values = [*req.form.values(), *req.args.values(), *req.cookies.values()]
    except Exception:  # an unreadable body: what it held is unknown
        return None
    found = set()
    for value in values:
        for form in (value, value.strip(), " ".join(value.split()), value.lstrip("+")):
            if form:
                found.update((form, repr(form)[1:-1]))  # as it is, and as repr() shows it
    return sorted(found, key=len, reverse=True)


def private_message(text: str, values: list[str] | None) -> str:
    """An exception's message, safe to log (see the module docstring)."""
    if values is None:
        return WITHHELD
    if not values or not text:
        return text
    whole = re.compile("|".join(map(_standing_whole, values)), re.IGNORECASE)
    rest = whole.sub("\x00", text).lower()  # a NUL where each whole value stood
    windows = {rest[i : i + WINDOW] for i in range(len(rest) - WINDOW + 1)}
    for value in values:
        value = value.lower()
        if any(value[i : i + WINDOW] in windows for i in range(len(value) - WINDOW + 1)):
            return WITHHELD
    return whole.sub(SCRUBBED, text)


def _standing_whole(value: str) -> str:
    """A pattern for `value` where it is not part of a longer word."""
    before = r"(?<!\w)" if re.match(r"\w", value) else ""
    after = r"(?!\w)" if re.search(r"\w$", value) else ""
    return before + re.escape(value) + after


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged, not when the app was built
    (process managers and test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass

    def write(self, line: str) -> None:
        """One finished line, under the handler's lock as emit() writes it."""
        self.acquire()
        try:
            stream = sys.stderr
            stream.write(line + self.terminator)
            stream.flush()
        except Exception:  # as emit() does: a broken stderr never fails a webhook
            self.handleError(logging.makeLogRecord({"msg": "a log line could not be written"}))
        finally:
            self.release()


def setup(level: str) -> None:
    """Send the app's logs to stderr, one JSON object a line; and the development
    server's (werkzeug's, under `flask run`) in the same shape."""
    for name, formatter in ((LOGGER, JsonFormatter()), ("werkzeug", ServerJsonFormatter())):
        handler = _Stderr()
        handler.setFormatter(formatter)
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
