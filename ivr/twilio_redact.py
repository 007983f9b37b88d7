"""What Twilio keeps of the helpline's conversations, deleted (`ivr redact`).

Twilio keeps every message with both numbers and the whole body, and every call's
record with both numbers, for 13 months in its logs unless they are deleted, and
messages after that in its archive, with no end date (Twilio support article 223181008,
"Twilio SMS message and traffic storage"): what a frightened person texted ("im 15 and
he has my pictures") stays readable to anyone with Console access. This module deletes,
for the helpline's own numbers only, everything older than a window the operator sets:

    window("4h", option)                -> timedelta, or RedactError saying what to write
    PatientHttpClient(base, timeout, deadline)   Twilio's HTTP client, patient with 429s
    redact(client, numbers, cutoff, now, deadline, dry_run, progress) -> Tally

Looked at, for each number: messages to it (texts in) and from it (replies, and "text
me these steps"); the same for its WhatsApp address, `whatsapp:` and the number, which is
how Twilio writes a WhatsApp message's To and From (a number given as `whatsapp:+44...`
is the same number); calls to it (calls in) and from it (the legs a transfer dials,
which show the helpline's number). Each record:

- newer than the cutoff, or still in progress, is left alone;
- is deleted; a 404 means it is gone already (an earlier run, the Console);
- if Twilio will not delete it yet (error 20009, or any other refusal), a message has
  its body blanked instead, and the record is tried again on a later run;
- a request that fails any other way (a timeout, a dropped connection, a 5xx, a 429
  that outlasts its retries) is left for a later run: the run goes on with the next.

So a run is idempotent and safe on a schedule: it never fails for a record, only for
settings (credentials, numbers) that no later run could get past either. It stops
starting requests at `deadline`, and what is left waits for the next run. Only counts
come out: never a body, a number or a SID.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ivr.errors import RedactError
from ivr.phone_numbers import WHATSAPP, number_of
from ivr.twilio_api import e164, refusal, stand_in_target

# Twilio asks for at least a minute after a message or call before deleting it, and
# several more if that is refused (https://www.twilio.com/docs/api/errors/20009).
SHORTEST_WINDOW = timedelta(minutes=10)
LONGEST = timedelta(days=3650)
PAGE_SIZE = 200
RETRIES_AFTER_429 = 4
LONGEST_WAIT_SECONDS = 30.0
PROGRESS_EVERY = 200  # records, or...
PROGRESS_SECONDS = 15.0  # ...seconds, whichever comes first
AGES = ((timedelta(days=1), "under a day"), (timedelta(days=7), "1-7 days"),
        (timedelta(days=30), "7-30 days"), (timedelta.max, "over 30 days"))  # fmt: skip

# Statuses of a record still in progress, left alone (twilio-python's MessageInstance.
# Status and CallInstance.Status; https://www.twilio.com/docs/messaging/api/message-resource
# and https://www.twilio.com/docs/voice/api/call-resource, "status"). A message that
# is "sent" has left Twilio but may wait for its delivery receipt: deleting it is tried,
# and Twilio's refusal (20009) leaves it for a later run.
MESSAGE_IN_PROGRESS = {"accepted", "scheduled", "queued", "sending", "receiving"}
CALL_IN_PROGRESS = {"queued", "ringing", "in-progress"}

# Refusals that no later run gets past: wrong credentials, or a key without the right.
FATAL = (401, 403)

KINDS = ("messages received", "messages sent", "calls received", "calls made")


@dataclass
class Count:
    """What happened to one kind of record."""

    deleted: int = 0
    blanked: int = 0  # deleting refused for now; the body was blanked instead
    gone: int = 0  # already deleted (404)
    in_progress: int = 0
    left: int = 0  # refused or failed: a later run tries again
    ages: dict[str, int] = field(default_factory=dict)  # a dry run: what would go, by age

    @property
    def would_go(self) -> int:
        return sum(self.ages.values())


@dataclass
class Tally:
    counts: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in KINDS})
    looked_at: int = 0
    lists_cut_short: int = 0  # a list that could not be read to its end
    lists_read: int = 0
    out_of_time: bool = False


UNITS = {"s": timedelta(seconds=1), "m": timedelta(minutes=1), "h": timedelta(hours=1),
         "d": timedelta(days=1)}  # fmt: skip


def duration(text: str, option: str) -> timedelta:
    """'4h', '90m', '2d', '30s' or '1h30m' as a timedelta; RedactError if it is none."""
    rest, total = text.strip().lower(), timedelta()
    while rest:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        unit = UNITS.get(rest[digits : digits + 1]) if digits else None
        if unit is None:
            total = timedelta()
            break
        total += min(int(rest[:digits]), 10**7) * unit
        rest = rest[digits + 1 :]
    if not timedelta() < total <= LONGEST:
        raise RedactError(
            f"{option} '{text}' is not a length of time of at most ten years. Write it in "
            "days, hours, minutes or seconds, e.g. 4h, 90m, 2d or 30s."
        )
    return total


def window(text: str, option: str) -> timedelta:
    """How old a record must be to be deleted: at least SHORTEST_WINDOW."""
    total = duration(text, option)
    if total < SHORTEST_WINDOW:
        raise RedactError(
            f"{option} '{text}' is shorter than 10 minutes. Twilio needs a few minutes to "
            "finish with a message or a call before it can be deleted; use 10m or more "
            "(the default is 4h)."
        )
    return total


def helpline_numbers(given: Iterable[str]) -> tuple[str, ...]:
    """The numbers, each once: '+44...' and 'whatsapp:+44...' are the same number, whose
    texts, WhatsApp messages and calls are all looked at."""
    numbers = tuple(dict.fromkeys(e164(number_of(n)) for n in given if n.strip()))
    if not numbers:
        raise RedactError(
            "No helpline number to redact for. Give each with --number +44..., or set "
            "IVR_HELPLINE_NUMBERS to them, comma-separated."
        )
    return numbers


class PatientHttpClient(TwilioHttpClient):
    """Twilio's HTTP client that waits out a 429 and tries again, a few times.

    Twilio answers 429 (error 20429) when an account sends too many requests at once;
    such a request "is never processed and is always safe to retry" after backing off
    (https://www.twilio.com/docs/api/errors/20429). The wait is the Retry-After header's
    when it gives seconds, else 1, 2, 4... seconds; never past `deadline` (a monotonic
    time), never longer than LONGEST_WAIT_SECONDS. `base`: a stand-in's address
    (IVR_TWILIO_API_URL), or None for Twilio."""

    def __init__(self, base: str | None, timeout: float, deadline: float, sleep=time.sleep):
        super().__init__(timeout=timeout)
        self.base = base
        self.deadline = deadline
        self.sleep = sleep
        self.waits = 0

    def request(self, method, url, *args, **kwargs):
        if self.base:
            url = stand_in_target(url, self.base)
        for attempt in range(RETRIES_AFTER_429 + 1):
            response = super().request(method, url, *args, **kwargs)
            if response.status_code != 429 or attempt == RETRIES_AFTER_429:
                return response
            wait = _retry_after(response.headers, attempt)
            if time.monotonic() + wait > self.deadline:
                return response
            self.waits += 1
            self.sleep(wait)
        return response


def _retry_after(headers, attempt: int) -> float:
    raw = str((headers or {}).get("Retry-After", "")).strip()
    seconds = float(raw) if raw.isascii() and raw.isdigit() else 2.0**attempt
    return min(seconds, LONGEST_WAIT_SECONDS)


@dataclass(frozen=True)
class _List:
    kind: str
    records: Callable[[], Iterator]  # the records, page by page
    in_progress: set[str]
    when: Callable[[object], datetime | None]  # a record's time, for its age
    message: bool


def redact(
    client: Client,
    numbers: tuple[str, ...],
    cutoff: datetime,
    now: datetime,
    deadline: float,
    dry_run: bool = False,
    progress: Callable[[Tally], None] = lambda tally: None,
) -> Tally:
    """Delete (or with `dry_run`, count) what is older than `cutoff`, as the module says."""
    tally = Tally()
    seen: set[str] = set()  # a record in two lists (a number texting another) is done once
    # The lists ask Twilio for records a day past the cutoff, then each record's own time
    # decides: Twilio reads DateSent< and StartTime< as dates (twilio-python's
    # MessageList.stream: "Accepts GMT dates ... YYYY-MM-DD"), so the filter only narrows.
    before = cutoff + timedelta(days=1)
    shown = time.monotonic()
    for number in numbers:
        for listing in _lists(client, number, before):
            tally.lists_read += 1
            records = None
            while True:
                if time.monotonic() >= deadline:
                    tally.out_of_time = True
                    return tally
                try:
                    # The first page is asked for when the list is opened, the next ones
                    # as the records run out: any of them may fail.
                    records = records or listing.records()
                    record = next(records)
                except StopIteration:
                    break
                except (TwilioException, requests.RequestException) as exc:
                    _fatal(exc)
                    tally.lists_cut_short += 1  # the next run reads it again
                    break
                if record.sid in seen:
                    continue
                seen.add(record.sid)
                tally.looked_at += 1
                _one(client, listing, record, cutoff, now, dry_run, tally)
                if (
                    tally.looked_at % PROGRESS_EVERY == 0
                    or time.monotonic() - shown >= PROGRESS_SECONDS
                ):
                    shown = time.monotonic()
                    progress(tally)
    return tally


def _lists(client: Client, number: str, before: datetime) -> Iterator[_List]:
    # List filters To, From, DateSent< and StartTime< (twilio-python MessageList.stream
    # and CallList.stream; https://www.twilio.com/docs/messaging/api/message-resource and
    # https://www.twilio.com/docs/voice/api/call-resource, "Read multiple ... resources").
    # A WhatsApp message's record names the `whatsapp:` address, not the bare number, so
    # the number's own lists never hold it: each address is listed apart.
    messages, calls = client.messages, client.calls
    for address in (number, WHATSAPP + number):
        yield _List(
            "messages received",
            lambda a=address: messages.stream(to=a, date_sent_before=before, page_size=PAGE_SIZE),
            MESSAGE_IN_PROGRESS,
            lambda m: m.date_sent or m.date_created,
            True,
        )
        yield _List(
            "messages sent",
            lambda a=address: messages.stream(
                from_=a, date_sent_before=before, page_size=PAGE_SIZE
            ),
            MESSAGE_IN_PROGRESS,
            lambda m: m.date_sent or m.date_created,
            True,
        )
    yield _List(
        "calls received",
        lambda: calls.stream(to=number, start_time_before=before, page_size=PAGE_SIZE),
        CALL_IN_PROGRESS,
        lambda c: c.end_time or c.start_time or c.date_created,
        False,
    )
    yield _List(
        "calls made",
        lambda: calls.stream(from_=number, start_time_before=before, page_size=PAGE_SIZE),
        CALL_IN_PROGRESS,
        lambda c: c.end_time or c.start_time or c.date_created,
        False,
    )


def _one(client, listing: _List, record, cutoff, now, dry_run, tally: Tally) -> None:
    count = tally.counts[listing.kind]
    when = listing.when(record)
    if when is None or when >= cutoff:
        return  # newer than the window (the list's filter is a day wide)
    if (record.status or "") in listing.in_progress:
        count.in_progress += 1
        return
    if dry_run:
        label = next(label for limit, label in AGES if now - when < limit)
        count.ages[label] = count.ages.get(label, 0) + 1
        return
    resource = client.messages(record.sid) if listing.message else client.calls(record.sid)
    try:
        # DELETE removes the record, and a message's media with it (Twilio support,
        # "Deleting messages, message media or message bodies", article 223133687).
        resource.delete()
        count.deleted += 1
        return
    except TwilioRestException as exc:
        _fatal(exc)
        if exc.status == 404:
            count.gone += 1
            return
        if not listing.message:
            count.left += 1
            return
    except (TwilioException, requests.RequestException):
        count.left += 1
        return
    # Deleting was refused: error 20009, "Cannot delete this resource before it is
    # complete" (https://www.twilio.com/docs/api/errors/20009: a message may need minutes,
    # rarely days, before it can be deleted; one still "sent" waits for its delivery
    # receipt), or any other refusal. Blank the body instead: "To redact the text content
    # of a Message, this parameter's value must be an empty string" (twilio-python's
    # MessageInstance.update; the same support article, "Delete message bodies").
    if (record.body or "") == "":
        count.left += 1  # already blank: only deleting is left, on a later run
        return
    try:
        resource.update(body="")
    except TwilioRestException as exc:
        _fatal(exc)
        count.left += 1
        return
    except (TwilioException, requests.RequestException):
        count.left += 1
        return
    count.blanked += 1


def _fatal(exc: Exception) -> None:
    """Stop the run for a refusal no later run could get past: wrong credentials."""
    status, code, _ = refusal(exc)
    if status in FATAL:
        raise RedactError(
            f"Twilio refused the credentials (HTTP {status}"
            f"{f', error {code}' if code else ''}). Check TWILIO_ACCOUNT_SID with "
            "TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET: they must belong "
            "to the account that has the numbers, and an API key needs the right to "
            "delete messages and calls."
        ) from exc
