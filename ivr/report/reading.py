"""Reading the app's log lines: webhook records out, anything else counted and skipped.

    read(lines, since=None, until=None, counts=Lines()) -> Iterator[Turn]

A line is one of:
- a webhook line, as the app writes it: one JSON object with `time` (ISO 8601 UTC with
  milliseconds and Z), `event` "webhook", `channel`, `outcome` and `conversation`, and
  `script` and `node` (either may be null or absent: a fault reply knows neither); or
  the older shape, "2026-11-24 21:30:00,123 INFO ivr {json}", its time taken as UTC;
- another line (gunicorn's own lines, other events, blank lines): skipped, counted;
- a malformed line (broken JSON, a webhook line missing a field or with one of the wrong
  kind, an impossible time): skipped, counted, never an exception.

A webhook record may carry more fields than these (a later version of the app adds the
conversation's `language` or `guide`): any other field whose value is shaped like an id
is kept as a dimension the report can break conversations down by, so a new field needs
no change here; a field with any other value is ignored.

Only ids, outcomes and times are kept. An id that is not shaped like a script or node id
(lower-case letters, digits, - and _), or that holds a run of seven or more digits, is
treated as malformed: whatever a log line says, the report never repeats a phone number
or a person's words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

CHANNELS = ("voice", "sms")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# A node may also be one of the opening's own (ivr.script.OPENING_NODES): where one number
# offers several guides, "_guides" is the guide choice.
_NODE = re.compile(r"(?:_languages|_guides|[a-z0-9][a-z0-9_-]{0,63})")
_PHONE_LIKE = re.compile(r"\d{7}")
_OUTCOME = re.compile(r"[a-z][a-z_-]{0,31}")
CHECKED_CAP = 4096
_CONVERSATION = re.compile(r"[A-Za-z0-9_-]{1,128}")
# The time as the app writes it: it sorts as text, so filters need no parsing per line.
_CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
# A webhook line exactly as ivr.web.logs writes it, read without parsing JSON (four
# times faster); any other line, or any other order of fields, takes the JSON path.
_APP_LINE = re.compile(
    rb'\{"time": "(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)", "level": "[A-Z]+", '
    rb'"logger": "[a-z.]+", "event": "webhook", "channel": "(voice|sms)", '
    rb'"script": (?:"([a-z0-9][a-z0-9_-]{0,63})"|null), '
    rb'"node": (?:"(_languages|_guides|[a-z0-9][a-z0-9_-]{0,63})"|null), '
    rb'"outcome": "([a-z][a-z_-]{0,31})", "conversation": "([A-Za-z0-9_-]{1,128})", '
    rb'"ms": -?[0-9.]+(?:e-?[0-9]+)?\}\r?\n?'
)
CHANNEL_NAMES = {b"voice": "voice", b"sms": "sms"}
_UNSEEN = object()
_LEGACY = re.compile(rb"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3}) [A-Z]+ ivr ")


@dataclass(slots=True)
class Lines:
    """How many lines were read, and what became of them."""

    read: int = 0
    webhook: int = 0
    other: int = 0
    malformed: int = 0
    outside: int = 0  # webhook lines outside --since/--until
    first: str = ""  # the earliest and latest time of a webhook line counted
    last: str = ""


class Turn(NamedTuple):  # a tuple: millions are made, and a tuple is made fastest
    """One webhook: what the report needs of it, and nothing else."""

    time: str  # canonical: 2026-11-24T21:30:00.123Z
    channel: str
    script: str | None  # None on the fault and fallback replies, which know no script
    node: str | None  # None when no node was kept (a texter opting out, a fault)
    outcome: str
    conversation: str
    # Other id-shaped fields the line carried, sorted: (("guide", "x"), ("language", "cy"))
    dimensions: tuple[tuple[str, str], ...] = ()


# The fields every webhook line has, and the logging ones: never a dimension.
KNOWN_FIELDS = frozenset(
    {"time", "level", "logger", "event", "channel", "script", "node", "outcome"}
    | {"conversation", "ms", "message"}
)
_FIELD_NAME = re.compile(r"[a-z][a-z_]{0,31}")


def canonical(moment: datetime) -> str:
    """A time as the app writes it, so times compare as text."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(text: str) -> datetime:
    """A time given by a person (--since, --until): a date, or a date and time; UTC
    unless it says otherwise. Raises ValueError with a sentence naming the fix."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"'{text}' is not a time this report can read. Give a date or a date and "
            "time, e.g. 2026-11-24 or 2026-11-24T21:30 (UTC unless you add +01:00)."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read(
    lines: Iterable[bytes],
    since: datetime | None = None,
    until: datetime | None = None,
    counts: Lines | None = None,
) -> Iterator[Turn]:
    """The webhook turns in `lines` (bytes, as read from a file), within [since, until).

    Written for speed (a day of logs is millions of lines): counters are local until the
    end, and ids already checked are remembered, so most lines cost one pattern match."""
    counts = counts if counts is not None else Lines()
    low = canonical(since) if since else ""
    high = canonical(until) if until else ""
    app_shaped = _APP_LINE.fullmatch
    names: dict[bytes, str | None] = {b"": None}  # checked ids as text; b"": null
    checked = _Checked(json.JSONDecoder().scan_once)
    read_ = other = malformed = outside = webhook = 0
    first, last = counts.first, counts.last
    try:
        for line in lines:
            read_ += 1
            shaped = app_shaped(line)
            turn = _app_turn(shaped, names) if shaped is not None else _logged_turn(line, checked)
            if turn is _OTHER:
                other += 1
                continue
            if turn is _MALFORMED:
                malformed += 1
                continue
            time = turn[0]
            if (low and time < low) or (high and time >= high):
                outside += 1
                continue
            webhook += 1
            if not first or time < first:
                first = time
            if time > last:
                last = time
            yield turn
    finally:
        counts.read += read_
        counts.other += other
        counts.malformed += malformed
        counts.outside += outside
        counts.webhook += webhook
        counts.first, counts.last = first, last


# What a line that is not a webhook turn is counted as.
_OTHER = "other"
_MALFORMED = "malformed"


def _app_turn(shaped: re.Match, names: dict[bytes, str | None]) -> Turn | str:
    """The turn on a line exactly as the app writes it. Every field's shape is already
    checked by the pattern, so only the ids' digit runs remain: _MALFORMED if one has a
    run like a phone number."""
    time, channel, script, node, outcome, conversation = shaped.groups()
    script = names.get(script or b"", _UNSEEN)
    node = names.get(node or b"", _UNSEEN)
    outcome = names.get(outcome, _UNSEEN)
    if _UNSEEN in (script, node, outcome):
        raw = shaped.groups()
        script, node, outcome = (
            names[v] if v in names else _remember(v, names)
            for v in (raw[2] or b"", raw[3] or b"", raw[4])
        )
        if _UNSEEN in (script, node, outcome):
            return _MALFORMED
    # tuple.__new__ makes the Turn without NamedTuple's Python-level __new__.
    return tuple.__new__(
        Turn,
        (time.decode(), CHANNEL_NAMES[channel], script, node, outcome, conversation.decode(), ()),
    )


@dataclass(slots=True)
class _Checked:
    """What reading JSON lines remembers: the scanner, and the ids and outcomes already
    checked (a script has few ids; CHECKED_CAP bounds a hostile log)."""

    scan: Callable
    ids: set[str] = field(default_factory=set)
    outcomes: set[str] = field(default_factory=set)


def _logged_turn(line: bytes, checked: _Checked) -> Turn | str:
    """The turn on any other line: a webhook record as JSON, alone or after the older
    shape's prefix; _OTHER for another kind of line, _MALFORMED for a broken one."""
    found = _json_part(line)
    if found is _OTHER:
        return _OTHER
    when, body = found
    data = _json_object(body, checked.scan)
    if data is None:
        return _MALFORMED
    event = data.get("event")
    if event != "webhook":
        return _OTHER if isinstance(event, str) else _MALFORMED
    return _record_turn(data, when, checked)


def _json_part(line: bytes) -> tuple[str | None, bytes] | str:
    """(the time the older shape's prefix gives, or None; the JSON), or _OTHER when the
    line holds no JSON record (gunicorn's lines, the app's other messages)."""
    if line[:1] == b"{":
        return None, line
    legacy = _LEGACY.match(line)
    if legacy is None:
        return _OTHER
    body = line[legacy.end() :]
    if body[:1] != b"{":
        return _OTHER  # the app's other messages in the older shape
    day, clock, ms = legacy.groups()
    return f"{day.decode()}T{clock.decode()}.{ms.decode()}Z", body


def _json_object(body: bytes, scan: Callable) -> dict | None:
    """The one JSON object `body` holds, or None: not UTF-8, not JSON, not an object,
    or followed by more than white space."""
    try:
        text = body.decode()
        data, end = scan(text, 0)
    except (ValueError, StopIteration):  # not UTF-8, or not JSON
        return None
    if type(data) is not dict or (end < len(text) and text[end:].strip()):
        return None
    return data


def _record_turn(data: dict, when: str | None, checked: _Checked) -> Turn | str:
    """The turn a webhook record gives, or _MALFORMED if a field is missing, of the wrong
    kind or shape, holds a run of digits like a phone number, or the time is impossible."""
    time = when if when is not None else data.get("time")
    get = data.get
    channel, script, node = get("channel"), get("script"), get("node")
    outcome, conversation = get("outcome"), get("conversation")
    ids, outcomes = checked.ids, checked.outcomes
    if (
        channel not in CHANNELS
        or type(time) is not str
        or not (script is None or script in ids or _check(script, ids))
        or not (node is None or node in ids or _check(node, ids, _NODE))
        or not (outcome in outcomes or _check(outcome, outcomes, _OUTCOME))
        or type(conversation) is not str
        or not _CONVERSATION.fullmatch(conversation)
    ):
        return _MALFORMED
    time = _canonical_text(time)
    if time is None:
        return _MALFORMED
    return Turn(time, channel, script, node, outcome, conversation, _dimensions(data, checked))


def _dimensions(data: dict, checked: _Checked) -> tuple[tuple[str, str], ...]:
    """The record's other fields that name something by an id (language, guide...)."""
    found = []
    for name, value in data.items():
        if name in KNOWN_FIELDS or not _FIELD_NAME.fullmatch(name):
            continue
        if isinstance(value, str) and (value in checked.ids or _check(value, checked.ids)):
            found.append((name, value))
    return tuple(sorted(found)) if found else ()


def _canonical_text(time: str) -> str | None:
    """A logged time as the app writes it, or None if it is not a time."""
    if _CANONICAL.fullmatch(time):
        return time
    try:
        return canonical(datetime.fromisoformat(time))
    except ValueError:
        return None


def _remember(raw: bytes, names: dict) -> str | object:
    """An id or outcome from an app-shaped line, as text, remembered once checked; _UNSEEN
    if it holds a run of digits like a phone number."""
    name = raw.decode()
    if _PHONE_LIKE.search(name):
        return _UNSEEN
    if len(names) < CHECKED_CAP:
        names[raw] = name
    return name


def _check(value, seen: set[str], shape: re.Pattern = _ID) -> bool:
    """Whether `value` is an id (or outcome) as the app writes one; remembered if so."""
    if not isinstance(value, str) or not shape.fullmatch(value) or _PHONE_LIKE.search(value):
        return False
    if len(seen) < CHECKED_CAP:
        seen.add(value)
    return True
