"""The hand-off records: `transfers:` (put a caller through while a line is open) and
`text_me:` (text the caller the steps), declared like every other record.

Opening hours are read with ivr.hours; what it cannot read comes back as H111 with the
line, and a closed date that is not a date as H112.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import Any

from ivr import phone_numbers
from ivr.hours import LONDON, Hours, HoursError, parse_days, parse_period
from ivr.loader import fields as kind
from ivr.loader.records import by_id
from ivr.script import TEXT_OUTCOMES, Text, TextMe, Transfer
from ivr.yaml_records import (
    At,
    Field,
    Problems,
    described,
    listed,
    mapping,
    record,
    whole_number,
    words,
)

HOURS_FIX = "Write hours as monday-friday: 10:00-16:00 (see docs/script-format.md)."


def _e164(r: Problems, value: Any, at: At) -> str | None:
    number = phone_numbers.compact(value) if isinstance(value, str) else None
    if number and phone_numbers.is_e164(number):
        return number
    r.problem(
        "H110",
        at,
        f"{at.what} is {value!r}, which is not a phone number in E.164 form.",
        'Write it in quotes with + and the country code, e.g. number: "+443456000459" '
        "for 0345 6000 459.",
    )
    return None


def _yes_or_no(r: Problems, value: Any, at: At) -> bool | None:
    if isinstance(value, bool):
        return value
    r.problem(
        "F003",
        at,
        f"{at.what} should be true or false, but {described(value)}.",
        f"Write {at.what.split()[-1]}: true or {at.what.split()[-1]}: false.",
    )
    return None


def _weekly(r: Problems, value: Any, at: At) -> dict | None:
    data = mapping(r, value, at)
    if data is None:
        return None
    weekly: dict[int, list] = {}
    for days, periods in data.items():
        where = at.to(at.what, data.key_lines[days])
        try:
            numbers = parse_days(days)
            parsed = [
                parse_period(p) for p in (periods if isinstance(periods, list) else [periods])
            ]
        except HoursError as exc:
            r.problem("H111", where, f"{at.what}: {exc}", HOURS_FIX)
            return None
        if any(day in weekly for day in numbers):
            r.problem(
                "H111",
                where,
                f"{at.what} name one day twice.",
                "Give each day once; list two periods of a day as [09:00-12:00, 13:00-17:00].",
            )
            return None
        weekly.update({day: parsed for day in numbers})
    return {d: tuple(sorted(p, key=lambda x: x.start)) for d, p in weekly.items()}


def _a_date(r: Problems, value: Any, at: At) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        r.problem(
            "H112",
            at,
            f"{at.what} is {value!r}, which is not a date.",
            "Write dates as 2026-12-25.",
        )
        return None


CLOSED_FIELDS = (
    Field("source", words, required=True, add="Add 'source:', where the dates were checked."),
    Field("dates", listed(_a_date, lambda i: f"Closed date {i}"), required=True,
          add="Add 'dates:', a list like [2026-12-25]."),
)  # fmt: skip
HOURS_FIELDS = (
    Field("zone", words, default=LONDON),
    Field("weekly", _weekly, required=True, add="Add 'weekly:', like monday-friday: 10:00-16:00."),
    Field("closed_dates", record(CLOSED_FIELDS, lambda r, v, at: v)),
)


def _hours(r: Problems, v: dict, at: At) -> Hours | None:
    closed = v["closed_dates"] or {"dates": (), "source": ""}
    try:
        return Hours(v["weekly"], frozenset(closed["dates"]), closed["source"], v["zone"], at.line)
    except HoursError as exc:
        r.problem("H111", at, f"{at.what}: {exc}", "Use a tz database name such as Europe/London.")
        return None


TRANSFER_FIELDS = (
    Field("name", words, required=True, add="Add 'name:', how messages name the line."),
    Field("number", _e164, required=True, add='Add number: "+44...", the line\'s number.'),
    Field("hours", record(HOURS_FIELDS, _hours), required=True,
          add="Add 'hours:' with weekly: opening times."),
    Field("ring_seconds", whole_number(5, 60, "About 25 seconds lets the line answer before the "
          "caller gives up."), default=25),
    Field("adults_only", _yes_or_no, default=False),
    Field("connecting", kind.text),
    Field("unanswered", kind.text, required=True, add="Add 'unanswered:', said if nobody answers."),
    Field("completed", kind.text, required=True, add="Add 'completed:', said after the call."),
    Field("closed", kind.text),
    Field("person_menu", words),
)  # fmt: skip


def transfers(r: Problems, value: Any, at: At) -> MappingProxyType | None:
    return by_id(r, value, at, "transfer", _transfer)


def _transfer(r: Problems, body: Any, line: int, transfer_id: str) -> Transfer | None:
    read = record(TRANSFER_FIELDS, lambda r, v, at: Transfer(id=transfer_id, line=at.line, **v))
    return read(r, body, At(line, f"The '{transfer_id}' transfer"))


def _message(r: Problems, value: Any, at: At) -> Text | None:
    """The text sent: words, or {text:, cy-GB: {text:, from:}} with its translations.
    Texted only, so kept as an SMS-only Text (its voice words are never said)."""
    said = kind.text(r, value, at)
    if said is None:
        return None
    versions = tuple((tag, replace(t, text=Text("", t.text.sms, t.text.line)))
                     for tag, t in said.translations)  # fmt: skip
    return Text("", said.sms, said.line, versions)


TEXT_ME_FIELDS = (
    Field("message", _message, required=True, add="Add 'message:', the text to send."),
    Field("then", words, required=True, add="Add 'then:', the node shown afterwards."),
    *(Field(o.value, kind.text, required=True, add=f"Add '{o}:', what the caller hears then.")
      for o in TEXT_OUTCOMES),
)  # fmt: skip


def _text_me(r: Problems, v: dict, at: At) -> TextMe:
    outcomes = MappingProxyType({o: v[o] for o in TEXT_OUTCOMES})
    message = v["message"]
    translated = message if message.translations else None
    return TextMe(message.sms, outcomes, v["then"], at.line, translated)


text_me = record(TEXT_ME_FIELDS, _text_me)
