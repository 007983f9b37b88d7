"""Opening hours: is a line open at a given moment, in its own time zone?

    Hours.is_open(now)     True when `now` falls in a weekly period and not on a closed date
    parse_period(text)     "10:00-16:00" -> Period, or HoursError saying what is wrong
    parse_days(text)       "monday-friday" -> (0, 1, 2, 3, 4)

Pure: no clock, no Flask, no Twilio. `now` is given and must carry its time zone; it is
converted to the line's zone (Europe/London by default) by zoneinfo, so the change
between GMT and BST is the tz database's business, never arithmetic here. The tzdata
package is a dependency so this works where the system has no tz database.

A period includes its opening minute and excludes its closing minute: 10:00-16:00 is
open at 10:00 and at 15:59, closed at 16:00. Closed dates (bank holidays) are whole days
in the line's zone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LONDON = "Europe/London"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class HoursError(ValueError):
    """Something written about opening hours that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class Period:
    """One stretch of a day when the line is open, [start, end)."""

    start: time
    end: time

    def covers(self, moment: time) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True, slots=True)
class Hours:
    """A line's weekly opening times, the dates it is closed, and where those came from."""

    weekly: Mapping[int, tuple[Period, ...]]  # Monday is 0, as datetime.weekday() counts
    closed: frozenset[date] = frozenset()
    closed_source: str = ""
    zone: str = LONDON
    line: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekly", MappingProxyType(dict(self.weekly)))
        zone_info(self.zone)  # fail at load, not on a caller's turn

    def local(self, now: datetime) -> datetime:
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("Opening hours need a moment with its time zone, not a naive one.")
        return now.astimezone(zone_info(self.zone))

    def is_open(self, now: datetime) -> bool:
        here = self.local(now)
        if here.date() in self.closed:
            return False
        return any(p.covers(here.time()) for p in self.weekly.get(here.weekday(), ()))

    @property
    def closed_until(self) -> date | None:
        """The last closed date listed: after it, bank holidays are no longer known."""
        return max(self.closed) if self.closed else None


def zone_info(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise HoursError(
            f"'{name}' is not a time zone in the tz database; use a name like {LONDON}."
        ) from None


def parse_period(text: str) -> Period:
    match = _PERIOD.match(text) if isinstance(text, str) else None
    if not match:
        raise HoursError(f"'{text}' is not a period like 10:00-16:00.")
    h1, m1, h2, m2 = map(int, match.groups())
    midnight = (h2, m2) == (24, 0)  # "until midnight": open through the day's last minute
    if not (h1 < 24 and (h2 < 24 or midnight) and m1 < 60 and m2 < 60):
        raise HoursError(f"'{text}' has a time that is not on a 24-hour clock.")
    start, end = time(h1, m1), (time.max if midnight else time(h2, m2))
    if end <= start:
        raise HoursError(
            f"'{text}' closes before it opens; a period that runs past midnight is written "
            "as two days, e.g. friday: 22:00-24:00 and saturday: 00:00-02:00."
        )
    return Period(start, end)


def parse_days(text: str) -> tuple[int, ...]:
    """A day name, or a range of them ("monday-friday"), as weekday numbers."""
    words = [w.strip().lower() for w in str(text).split("-")]
    if not 1 <= len(words) <= 2 or any(w not in DAYS for w in words):
        raise HoursError(
            f"'{text}' is not a day or a range of days; write e.g. monday, or monday-friday."
        )
    first, last = DAYS.index(words[0]), DAYS.index(words[-1])
    if last < first:
        raise HoursError(f"'{text}' runs backwards; write the earlier day first.")
    return tuple(range(first, last + 1))
