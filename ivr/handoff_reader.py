"""Reading a script's hand-offs: `transfers:` (put a caller through) and `text_me:`.

    read_transfers(reader, value, line) -> {id: Transfer}
    read_text_me(reader, value, line)   -> TextMe | None

Used by `ivr.loader` only, with its reader, so every problem is collected with the
rest and reported as a sentence naming the file, line and fix. Pure domain.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ivr.hours import LONDON, Hours, HoursError, parse_days, parse_period
from ivr.script import TEXT_OUTCOMES, TextMe, Transfer

TRANSFER_FIELDS = (
    "name",
    "number",
    "hours",
    "ring_seconds",
    "adults_only",
    "connecting",
    "unanswered",
    "completed",
    "closed",
)
HOURS_FIELDS = ("zone", "weekly", "closed_dates")
CLOSED_FIELDS = ("source", "dates")
TEXT_ME_FIELDS = ("message", "then", *TEXT_OUTCOMES)
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
RING_SECONDS = (5, 60)  # Twilio's <Dial timeout> is 5-600; past a minute a caller gives up


def read_transfers(reader, value: Any, line: int) -> dict[str, Transfer]:
    if value is None:
        return {}
    data = reader.mapping(value, line, "transfers")
    if data is None:
        return {}
    found = {}
    for transfer_id, body in data.items():
        where = data.key_lines[transfer_id]
        if not isinstance(transfer_id, str) or not ID.match(transfer_id):
            reader.problem(
                "F009",
                where,
                None,
                f"The transfer id '{transfer_id}' cannot be used.",
                "Use lower-case letters, digits, '-' and '_'.",
            )
            continue
        transfer = _transfer(reader, transfer_id, body, where)
        if transfer is not None:
            found[transfer_id] = transfer
    return found


def _transfer(reader, transfer_id: str, value: Any, line: int) -> Transfer | None:
    what = f"The transfer '{transfer_id}'"
    data = reader.mapping(value, line, what)
    if data is None:
        return None
    reader.known_keys(data, TRANSFER_FIELDS, what)
    before = len(reader.problems)
    lines = data.key_lines
    name = reader.string(reader.require(data, "name", what), lines.get("name", data.line), "name")
    number = data.get("number")
    if not isinstance(number, str) or not E164.match("".join(number.split())):
        reader.problem(
            "H110",
            lines.get("number", data.line),
            None,
            f"{what} has number {number!r}, which is not a phone number in E.164 form.",
            'Write it in quotes with + and the country code, e.g. number: "+443456000459" '
            "for 0345 6000 459.",
        )
    ring = data.get("ring_seconds", 25)
    low, high = RING_SECONDS
    if not isinstance(ring, int) or isinstance(ring, bool) or not low <= ring <= high:
        reader.problem(
            "F010",
            lines.get("ring_seconds") or data.line,
            None,
            f"{what} has ring_seconds {ring!r}; it should be a whole number from {low} to {high}.",
            "About 25 seconds lets the line answer before the caller gives up.",
        )
    adults = data.get("adults_only", False)
    if not isinstance(adults, bool):
        reader.problem(
            "F003",
            lines.get("adults_only") or data.line,
            None,
            f"{what} has adults_only {adults!r}.",
            "Write adults_only: true or adults_only: false.",
        )
    hours = _hours(reader, what, reader.require(data, "hours", what), lines.get("hours", line))
    texts = {}
    for field in ("unanswered", "completed", "connecting", "closed"):
        required = field in ("unanswered", "completed")
        raw = reader.require(data, field, what) if required else data.get(field)
        if raw is not None:
            texts[field] = reader.text(raw, lines.get(field, data.line), f"{what}'s {field}", None)
    if len(reader.problems) > before or hours is None:
        return None
    return Transfer(
        id=transfer_id,
        name=name,
        number="".join(number.split()),
        hours=hours,
        ring_seconds=ring,
        adults_only=adults,
        unanswered=texts["unanswered"],
        completed=texts["completed"],
        connecting=texts.get("connecting"),
        closed=texts.get("closed"),
        line=data.line,
    )


def _hours(reader, what: str, value: Any, line: int) -> Hours | None:
    data = reader.mapping(value, line, f"{what}'s hours")
    if data is None:
        return None
    reader.known_keys(data, HOURS_FIELDS, f"{what}'s hours")
    before = len(reader.problems)
    zone = data.get("zone", LONDON)
    weekly: dict[int, list] = {}
    days = reader.mapping(
        reader.require(data, "weekly", f"{what}'s hours"),
        data.key_lines.get("weekly", data.line),
        f"{what}'s weekly hours",
    )
    for days_text, periods in (days or {}).items():
        day_line = days.key_lines[days_text]
        try:
            numbers = parse_days(days_text)
            listed = periods if isinstance(periods, list) else [periods]
            parsed = [parse_period(p) for p in listed]
        except HoursError as exc:
            reader.problem(
                "H111",
                day_line,
                None,
                f"{what}'s weekly hours: {exc}",
                "Write hours as monday-friday: 10:00-16:00 (see docs/script-format.md).",
            )
            continue
        for day in numbers:
            if day in weekly:
                reader.problem(
                    "H111",
                    day_line,
                    None,
                    f"{what}'s weekly hours name one day twice.",
                    "Give each day once; list two periods of a day as [09:00-12:00, 13:00-17:00].",
                )
            weekly.setdefault(day, []).extend(parsed)
    closed, source = _closed_dates(reader, what, data.get("closed_dates"), data)
    if len(reader.problems) > before:
        return None
    try:
        return Hours(
            {d: tuple(sorted(p, key=lambda x: x.start)) for d, p in weekly.items()},
            closed,
            source,
            str(zone),
            data.line,
        )
    except HoursError as exc:
        reader.problem(
            "H111",
            data.key_lines.get("zone", data.line),
            None,
            f"{what}'s hours: {exc}",
            "Use a tz database name such as Europe/London.",
        )
        return None


def _closed_dates(reader, what: str, value: Any, hours) -> tuple[frozenset[date], str]:
    if value is None:
        return frozenset(), ""
    line = hours.key_lines.get("closed_dates", hours.line)
    data = reader.mapping(value, line, f"{what}'s closed_dates")
    if data is None:
        return frozenset(), ""
    reader.known_keys(data, CLOSED_FIELDS, f"{what}'s closed_dates")
    source = reader.string(
        reader.require(data, "source", f"{what}'s closed_dates"),
        data.key_lines.get("source", data.line),
        "closed_dates source",
    )
    if "dates" not in data:
        reader.require(data, "dates", f"{what}'s closed_dates")  # reports it
        return frozenset(), source or ""
    listed = reader.items(data["dates"], data.key_lines["dates"], f"{what}'s closed_dates dates")
    found = set()
    for item, item_line in zip(listed, getattr(listed, "item_lines", []), strict=False):
        day = item if isinstance(item, date) else _iso_date(item)
        if day is None:
            reader.problem(
                "H112",
                item_line,
                None,
                f"{what}'s closed_dates has {item!r}, which is not a date.",
                "Write dates as 2026-12-25.",
            )
        else:
            found.add(day)
    return frozenset(found), source or ""


def _iso_date(text: Any) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def read_text_me(reader, value: Any, line: int) -> TextMe | None:
    if value is None:
        return None
    data = reader.mapping(value, line, "text_me")
    if data is None:
        return None
    reader.known_keys(data, TEXT_ME_FIELDS, "text_me")
    before = len(reader.problems)
    lines = data.key_lines
    message = reader.string(
        reader.require(data, "message", "text_me"), lines.get("message", data.line), "message"
    )
    then = reader.string(
        reader.require(data, "then", "text_me"), lines.get("then", data.line), "text_me then"
    )
    outcomes = {
        outcome: reader.text(
            reader.require(data, outcome, "text_me"),
            lines.get(outcome, data.line),
            f"text_me {outcome}",
            None,
        )
        for outcome in TEXT_OUTCOMES
    }
    if len(reader.problems) > before:
        return None
    return TextMe(message, outcomes, then, data.line)
