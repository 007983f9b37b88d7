"""Opening hours in Europe/London: weekly periods, closed dates, and the clock changes.

The moments are given in UTC so each test also checks the conversion: in summer (BST)
10:00 in London is 09:00 UTC, in winter (GMT) it is 10:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from ivr.hours import Hours, HoursError, parse_days, parse_period

pytestmark = pytest.mark.domain  # fast and pure

WEEKDAYS = parse_days("monday-friday")
HELPLINE = Hours(
    {day: (parse_period("10:00-16:00"),) for day in WEEKDAYS},
    closed=frozenset({date(2026, 12, 25), date(2026, 12, 28), date(2027, 3, 29)}),
    closed_source="https://www.gov.uk/bank-holidays",
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        # Monday 15 June 2026 (BST, UTC+1)
        (utc(2026, 6, 15, 8, 59), False),  # 09:59 London
        (utc(2026, 6, 15, 9, 0), True),  # 10:00 London: the opening minute
        (utc(2026, 6, 15, 9, 30), True),
        (utc(2026, 6, 15, 14, 59), True),  # 15:59 London
        (utc(2026, 6, 15, 15, 0), False),  # 16:00 London: closed at the closing minute
        (utc(2026, 6, 15, 15, 1), False),
        # Monday 7 December 2026 (GMT, UTC+0)
        (utc(2026, 12, 7, 9, 59), False),
        (utc(2026, 12, 7, 10, 0), True),
        (utc(2026, 12, 7, 15, 59), True),
        (utc(2026, 12, 7, 16, 0), False),
        (utc(2026, 12, 7, 16, 5), False),
        # the weekend, at what would be opening time
        (utc(2026, 6, 13, 10, 30), False),  # Saturday
        (utc(2026, 6, 14, 10, 30), False),  # Sunday
        # bank holidays: Christmas Day (a Friday) and its substitute Boxing Day (Monday)
        (utc(2026, 12, 25, 11, 0), False),
        (utc(2026, 12, 28, 11, 0), False),
        (utc(2026, 12, 29, 11, 0), True),  # the Tuesday after is a working day
        (utc(2027, 3, 29, 11, 0), False),  # Easter Monday, after the clocks go forward
    ],
)
def test_open_only_in_the_weekly_hours_and_not_on_closed_dates(moment, open_):
    assert HELPLINE.is_open(moment) is open_


def test_the_clocks_going_forward_on_the_last_sunday_of_march():
    # 29 March 2026: at 01:00 UTC London jumps from 01:00 GMT to 02:00 BST. The Monday
    # after, 10:00 London is 09:00 UTC, where the Friday before it was 10:00 UTC.
    assert not HELPLINE.is_open(utc(2026, 3, 27, 9, 30))  # Friday, 09:30 GMT
    assert HELPLINE.is_open(utc(2026, 3, 27, 10, 0))
    assert HELPLINE.is_open(utc(2026, 3, 30, 9, 0))  # Monday, 10:00 BST
    assert not HELPLINE.is_open(utc(2026, 3, 30, 8, 59))
    assert not HELPLINE.is_open(utc(2026, 3, 30, 15, 0))  # 16:00 BST
    assert HELPLINE.is_open(utc(2026, 3, 30, 14, 59))


def test_the_clocks_going_back_on_the_last_sunday_of_october():
    # 25 October 2026: at 01:00 UTC London goes from 02:00 BST back to 01:00 GMT.
    assert HELPLINE.is_open(utc(2026, 10, 23, 9, 0))  # Friday, 10:00 BST
    assert not HELPLINE.is_open(utc(2026, 10, 26, 9, 0))  # Monday, 09:00 GMT
    assert HELPLINE.is_open(utc(2026, 10, 26, 10, 0))
    assert HELPLINE.is_open(utc(2026, 10, 26, 15, 59))
    assert not HELPLINE.is_open(utc(2026, 10, 26, 16, 0))


def test_a_moment_in_any_zone_is_read_in_london():
    new_york = timezone(timedelta(hours=-4))
    assert HELPLINE.is_open(datetime(2026, 6, 15, 5, 30, tzinfo=new_york))  # 10:30 London
    assert not HELPLINE.is_open(datetime(2026, 6, 15, 12, 0, tzinfo=new_york))  # 17:00


def test_a_line_open_until_midnight_and_one_past_it():
    late = Hours(
        {4: (parse_period("22:00-24:00"),), 5: (parse_period("00:00-02:00"),)},
    )
    assert late.is_open(utc(2026, 12, 4, 23, 59, 30))  # Friday, GMT
    assert late.is_open(utc(2026, 12, 5, 0, 0))  # Saturday
    assert not late.is_open(utc(2026, 12, 5, 2, 0))


def test_a_naive_moment_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="time zone"):
        HELPLINE.is_open(datetime(2026, 6, 15, 10, 30))


def test_the_last_closed_date_is_known():
    assert HELPLINE.closed_until == date(2027, 3, 29)
    assert Hours({}).closed_until is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10-16", "not a period"),
        ("25:00-26:00", "24-hour clock"),
        ("10:60-11:00", "24-hour clock"),
        ("16:00-10:00", "closes before it opens"),
        ("10:00-10:00", "closes before it opens"),
        (None, "not a period"),
    ],
)
def test_periods_that_cannot_be_read_say_why(text, message):
    with pytest.raises(HoursError, match=message):
        parse_period(text)


def test_periods_and_days_that_can_be_read():
    assert parse_period(" 9:30 - 17:00 ").start == time(9, 30)
    assert parse_days("Saturday") == (5,)
    assert parse_days("monday-friday") == (0, 1, 2, 3, 4)
    for bad in ("mon", "friday-monday", "monday-tuesday-friday"):
        with pytest.raises(HoursError):
            parse_days(bad)


def test_an_unknown_time_zone_is_refused_when_the_hours_are_made():
    with pytest.raises(HoursError, match="not a time zone"):
        Hours({}, zone="Europe/Londres")
