"""Structured logs: one JSON object per line, built only from fields the app chooses.

Every line is serialised once, by `_line`, from a dict of fields the code names
(ids, counters, outcomes, times), never from text a caller or texter sent, so nothing a
person sends can reach a line or break one: there is nothing to redact afterwards.

    {"time": "2026-11-24T21:30:00.123Z", "level": "INFO", "logger": "ivr",
     "event": "webhook", "channel": "sms", "script": "...", "node": "...",
     "outcome": "chose", "conversation": "3f9c...", "ms": 1.2}

`time` is ISO 8601 UTC with milliseconds; `event` names the kind of line ("webhook" for
the one line per webhook that `ivr report` reads). A stray `log.info("... %s", value)`
logs its format string and never its arguments. An exception is logged as its type,
its frames (file, line, function: no locals) and its message with every value of the
current request blanked out, the one place an input could otherwise slip in.
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
            # Not written through event(): keep the format string, never its arguments.
            name, fields = "message", {"message": str(record.msg)}
        else:
            name = str(record.msg)
        extra = None
        if record.exc_info and record.exc_info[1] is not None:
            extra = _exception(record.exc_info[1])
        return _line(record.created, record.levelname, record.name, name, fields, extra)


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


def _exception(exc: BaseException) -> dict:
    """The exception and its causes: types and frames as they are, messages scrubbed."""
    private = _request_values()
    chain: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)  # summaries carry no locals
        chain[:0] = [
            *(f"{f.filename}:{f.lineno} in {f.name}" for f in frames),
            f"{type(current).__qualname__}: {_scrub(str(current), private)}",
        ]
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return {
        "error": type(exc).__qualname__,
        "error_message": _scrub(str(exc), private),
        "traceback": chain,
    }


def _request_values() -> list[str]:
    """Every value the current request carried: form, query string and cookies."""
    if not has_request_context():
        return []
    try:
        values = [*request.form.values(), *request.args.values(), *request.cookies.values()]
    except Exception:  # an unreadable body: nothing from it could be in the message
        values = [*request.args.values()]
    found = set()
    for value in values:
        for form in (value, value.strip(), " ".join(value.split()), value.lstrip("+")):
            if form:
                found.add(form)
    return sorted(found, key=len, reverse=True)


def _scrub(text: str, private: list[str]) -> str:
    """Blank each request value in an exception's message, ignoring case."""
    if not private or not text:
        return text
    pattern = re.compile("|".join(re.escape(v) for v in private), re.IGNORECASE)
    return pattern.sub(SCRUBBED, text)


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
    """Send the app's logs to stderr, one JSON object a line."""
    handler = _Stderr()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
