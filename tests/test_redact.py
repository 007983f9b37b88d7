"""`ivr redact`, run against a local stand-in for Twilio's REST API (tests/records_api.py):
exactly the helpline's finished records older than the window go, and nothing else;
refusals, 404s, 429s, stalls and a time limit never fail a run; only counts come out."""

from __future__ import annotations

import re
import shlex
import textwrap
import time
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from click.testing import CliRunner
from freezegun import freeze_time
from records_api import ACCOUNT, Record, records_api

from ivr.cli import main

from support import ROOT

HELPLINE = "+447700900999"
OTHER_LINE = "+447700900888"  # another service on the same account: never touched
PEOPLE = ["+447700900123", "+447700900456", "+447700900789"]
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(hours=5)  # past the default window of 4 hours
FRESH = NOW - timedelta(hours=1)
PRIVATE = "im 15 and he has my pictures"


def env_for(api, **extra: str) -> dict[str, str]:
    return {
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": "auth-token-for-the-stand-in",
        "IVR_TWILIO_API_URL": api.url,
        "no_proxy": "127.0.0.1",
        "NO_PROXY": "127.0.0.1",
        **extra,
    }


def run(api, *args: str, **env: str):
    with freeze_time(NOW, tick=True):
        return CliRunner().invoke(main, ["redact", *args], env=env_for(api, **env))


def message(n: int, to: str, from_: str, when: datetime, status: str = "delivered", **kw):
    return Record(f"SM{n:032x}", to, from_, status, when, body=kw.pop("body", PRIVATE), **kw)


def call(n: int, to: str, from_: str, when: datetime, status: str = "completed", **kw):
    return Record(f"CA{n:032x}", to, from_, status, when, **kw)


def mixed() -> tuple[list[Record], set[str]]:
    """A day's records of every kind; and the SIDs that must be left after a run."""
    gone = [
        *(
            message(i, HELPLINE, PEOPLE[i % 3], OLD - timedelta(minutes=i), "received")
            for i in range(1, 260)
        ),
        *(
            message(300 + i, PEOPLE[i % 3], HELPLINE, OLD - timedelta(days=i), status)
            for i, status in enumerate(["delivered", "undelivered", "failed", "sent", "read"])
        ),
        call(1, HELPLINE, PEOPLE[0], OLD),
        call(2, HELPLINE, PEOPLE[1], OLD - timedelta(days=40), "no-answer"),
        call(3, "+441632960000", HELPLINE, OLD, "busy"),  # a transfer's leg: from the helpline
        call(4, HELPLINE, PEOPLE[2], OLD, "canceled"),
    ]
    kept = [
        message(400, HELPLINE, PEOPLE[0], FRESH, "received"),  # inside the window
        message(401, PEOPLE[0], HELPLINE, NOW - timedelta(hours=3, minutes=59)),
        message(402, PEOPLE[1], HELPLINE, OLD, "queued"),  # still in progress
        message(403, PEOPLE[1], HELPLINE, OLD, "sending"),
        message(404, HELPLINE, PEOPLE[1], OLD, "receiving"),
        message(405, PEOPLE[1], HELPLINE, OLD, "accepted"),
        message(406, PEOPLE[1], HELPLINE, OLD, "scheduled"),
        message(407, OTHER_LINE, PEOPLE[2], OLD, "received"),  # another number's
        message(408, PEOPLE[2], OTHER_LINE, OLD - timedelta(days=3)),
        call(10, HELPLINE, PEOPLE[0], OLD, "in-progress"),
        call(11, HELPLINE, PEOPLE[1], OLD, "ringing"),
        call(12, HELPLINE, PEOPLE[2], OLD, "queued"),
        call(13, HELPLINE, PEOPLE[0], FRESH),
        call(14, OTHER_LINE, PEOPLE[0], OLD),
    ]
    return gone + kept, {r.sid for r in kept}


def test_a_run_deletes_exactly_the_helplines_finished_records_older_than_the_window():
    records, kept = mixed()
    with records_api() as api:
        api.add(*records)
        result = run(api, "--number", HELPLINE)
        assert result.exit_code == 0, result.output
        assert set(api.records) == kept
        # Paged: the messages received came in pages of 200, and every page was read.
        pages = [s for s in api.requests("GET") if s.path.endswith("Messages.json")]
        assert sum("PageToken" in s.query for s in pages) >= 1
        assert not api.requests("POST")  # nothing needed blanking
    assert "messages received: 259 deleted, 1 in progress, left alone" in result.output
    assert "messages sent: 5 deleted, 4 in progress, left alone" in result.output
    assert "calls received: 3 deleted, 3 in progress, left alone" in result.output
    assert "calls made: 1 deleted" in result.output
    assert "... 200 records looked at" in result.output  # the progress line
    assert_private(result.output)


def assert_private(output: str) -> None:
    """Counts only: no number, no body, no SID."""
    for private in [HELPLINE, OTHER_LINE, *PEOPLE, PRIVATE, "pictures"]:
        assert private not in output and private.lstrip("+") not in output, private
    assert not re.search(r"(SM|CA)[0-9a-f]{32}", output)


def test_a_message_twilio_will_not_delete_yet_has_its_body_blanked_and_goes_later():
    with records_api() as api:
        stuck = message(1, HELPLINE, PEOPLE[0], OLD, "sent", refuse_delete=True)
        stubborn = message(2, PEOPLE[0], HELPLINE, OLD, refuse_delete=True, refuse_blank=True)
        stuck_call = call(3, HELPLINE, PEOPLE[0], OLD, refuse_delete=True)
        api.add(stuck, stubborn, stuck_call, message(4, HELPLINE, PEOPLE[1], OLD, "received"))
        first = run(api, "--number", HELPLINE)
        assert first.exit_code == 0, first.output
        assert set(api.records) == {stuck.sid, stubborn.sid, stuck_call.sid}
        assert stuck.body == "" and stubborn.body == PRIVATE
        (blank,) = [s for s in api.requests("POST") if stuck.sid in s.path]
        assert blank.form == {"Body": ""}  # Twilio's "redact a message body"
        assert "messages received: 1 deleted, 1 blanked" in first.output
        assert "messages sent: 0 deleted, 1 left for a later run" in first.output
        assert "calls received: 0 deleted, 1 left for a later run" in first.output
        # A later run: Twilio has finished with them, and they go.
        for record in (stuck, stubborn, stuck_call):
            record.refuse_delete = False
        second = run(api, "--number", HELPLINE)
        assert second.exit_code == 0 and api.records == {}
    assert "messages received: 1 deleted" in second.output


def test_a_second_run_finds_nothing_more_to_do_and_succeeds():
    records, kept = mixed()
    with records_api() as api:
        api.add(*records)
        assert run(api, "--number", HELPLINE).exit_code == 0
        deletes = len(api.requests("DELETE"))
        again = run(api, "--number", HELPLINE)
        assert again.exit_code == 0 and set(api.records) == kept
        assert len(api.requests("DELETE")) == deletes  # nothing was left to delete
    assert "messages received: 0 deleted" in again.output


def test_a_record_deleted_elsewhere_meanwhile_is_counted_as_gone():
    """A 404 on DELETE: the Console or an overlapping run got there first."""
    with records_api() as api:
        api.add(*(message(i, HELPLINE, PEOPLE[0], OLD, "received", gone_elsewhere=True)
                  for i in range(5)))  # fmt: skip
        result = run(api, "--number", HELPLINE)
        assert result.exit_code == 0, result.output
        assert api.records == {} and len(api.requests("DELETE")) == 5
    assert "messages received: 0 deleted, 5 already gone" in result.output


def test_a_dry_run_counts_by_kind_and_age_and_deletes_nothing():
    records, _ = mixed()
    with records_api() as api:
        api.add(*records)
        before = set(api.records)
        result = run(api, "--number", HELPLINE, "--dry-run")
        assert result.exit_code == 0, result.output
        assert set(api.records) == before
        assert not api.requests("DELETE") and not api.requests("POST")
    assert result.output.startswith("Dry run, nothing is deleted:")
    assert "messages received: 259 would be deleted (under a day: 259), 1 in" in result.output
    assert (
        "messages sent: 5 would be deleted (under a day: 1, 1-7 days: 4), 4 in progress"
        in result.output
    )
    assert "calls received: 3 would be deleted (under a day: 2, over 30 days: 1)" in result.output
    assert_private(result.output)


@pytest.mark.parametrize(
    ("retry_after", "throttled", "least_wait"), [("0", 4, 0), ("1", 2, 2), ("", 2, 3)]
)
def test_429s_are_waited_out_and_retried(retry_after, throttled, least_wait):
    """Retry-After is obeyed; without one, 1 s, then 2 s ... (here, 1 + 2)."""
    with records_api() as api:
        api.add(*(message(i, HELPLINE, PEOPLE[0], OLD, "received") for i in range(3)))
        api.throttle, api.retry_after = throttled, retry_after
        started = time.monotonic()
        result = run(api, "--number", HELPLINE)
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started >= least_wait
        assert api.records == {}
    assert f"waited {throttled} times when Twilio asked to slow down" in result.output


def test_a_429_that_does_not_end_leaves_the_records_for_a_later_run():
    with records_api() as api:
        api.add(*(message(i, HELPLINE, PEOPLE[0], OLD, "received") for i in range(3)))
        api.throttle = 1_000
        started = time.monotonic()
        result = run(api, "--number", HELPLINE, "--time-limit", "20s")
        assert result.exit_code == 1  # no list could be read at all: said so
        assert time.monotonic() - started < 15
        # six lists (texts and WhatsApp messages in and out, calls in and out), each
        # asked once and retried 4 times
        assert len(api.seen) == 6 * 5
        assert len(api.records) == 3
    assert "Twilio could not be reached for any list" in result.output


def test_a_stalled_delete_is_given_up_and_the_run_finishes():
    with records_api() as api:
        stalled = message(1, HELPLINE, PEOPLE[0], OLD, "received", stall=True)
        api.add(stalled, *(message(i, HELPLINE, PEOPLE[0], OLD, "received") for i in (2, 3)))
        started = time.monotonic()
        result = run(api, "--number", HELPLINE, "--request-timeout", "0.5")
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started < api.stall_seconds
        assert set(api.records) == {stalled.sid}
    assert "messages received: 2 deleted, 1 left for a later run" in result.output


def test_a_stalled_list_is_given_up_and_the_other_lists_are_done():
    with records_api() as api:
        api.add(message(1, HELPLINE, PEOPLE[0], OLD, "received"), call(2, HELPLINE, PEOPLE[0], OLD))
        api.stall_list = "Calls"
        result = run(api, "--number", HELPLINE, "--request-timeout", "0.5")
        assert result.exit_code == 0, result.output
        assert set(api.records) == {call(2, HELPLINE, PEOPLE[0], OLD).sid}
    assert "2 lists could not be read to the end" in result.output


def test_the_time_limit_ends_a_run_and_the_next_run_goes_on():
    with records_api() as api:
        api.add(*(message(i, HELPLINE, PEOPLE[0], OLD, "received") for i in range(30)))
        api.delay = 0.1
        first = run(api, "--number", HELPLINE, "--time-limit", "1s")
        assert first.exit_code == 0, first.output
        assert 0 < len(api.records) < 30
        assert "Stopped at the time limit (1s): the next run goes on" in first.output
        api.delay = 0.0
        second = run(api, "--number", HELPLINE)
        assert second.exit_code == 0 and api.records == {}


def test_numbers_can_come_from_the_environment_for_a_schedule():
    with records_api() as api:
        api.add(message(1, HELPLINE, PEOPLE[0], OLD, "received"))
        api.add(message(2, OTHER_LINE, PEOPLE[0], OLD, "received"))
        result = run(api, IVR_HELPLINE_NUMBERS=f" {HELPLINE} , {OTHER_LINE} ")
        assert result.exit_code == 0, result.output
        assert api.records == {}
    assert "2 helpline numbers" in result.output


def test_the_number_text_me_these_steps_sends_from_is_redacted_too():
    """IVR_TEXT_FROM may be a number of its own (a UK 0800 line cannot text): its texts
    name a caller's number and what they called about, so they go with the rest."""
    sender = "+447700900555"
    with records_api() as api:
        api.add(
            message(1, PEOPLE[0], sender, OLD),  # the steps, texted to a caller
            message(2, sender, PEOPLE[0], OLD, "received"),  # a reply to that number
            message(3, HELPLINE, PEOPLE[1], OLD, "received"),
            message(4, PEOPLE[1], OTHER_LINE, OLD),
        )
        result = run(api, "--number", HELPLINE, IVR_TEXT_FROM=sender)
        assert result.exit_code == 0, result.output
        assert set(api.records) == {f"SM{4:032x}"}
    assert "With IVR_TEXT_FROM, the number 'text me these steps' sends from." in result.output
    assert "2 helpline numbers" in result.output


WHATSAPP = "whatsapp:"


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--number", HELPLINE), {}),
        (("--number", WHATSAPP + HELPLINE), {}),
        (("--number", HELPLINE, "--number", f" {WHATSAPP}{HELPLINE} "), {}),
        ((), {"IVR_HELPLINE_NUMBERS": f"{WHATSAPP}{HELPLINE}, {HELPLINE}"}),
    ],
)
def test_whatsapp_messages_go_with_the_numbers_texts_however_the_number_is_given(args, env):
    """Twilio records a WhatsApp message under the `whatsapp:` address, so listing the
    bare number never finds it; a number given either way is one number, looked at once."""
    with records_api() as api:
        api.add(
            message(1, WHATSAPP + HELPLINE, WHATSAPP + PEOPLE[0], OLD, "received"),
            message(2, WHATSAPP + PEOPLE[0], WHATSAPP + HELPLINE, OLD, "read"),
            message(3, HELPLINE, PEOPLE[1], OLD, "received"),
            call(4, HELPLINE, PEOPLE[2], OLD),
            message(5, WHATSAPP + HELPLINE, WHATSAPP + PEOPLE[1], FRESH, "received"),
            message(6, WHATSAPP + OTHER_LINE, WHATSAPP + PEOPLE[0], OLD, "received"),
            message(7, WHATSAPP + PEOPLE[0], WHATSAPP + OTHER_LINE, OLD),
        )
        result = run(api, *args, **env)
        assert result.exit_code == 0, result.output
        assert set(api.records) == {f"SM{n:032x}" for n in (5, 6, 7)}
        asked = {s.query.get("To") or s.query.get("From") for s in api.requests("GET")}
        assert asked == {HELPLINE, WHATSAPP + HELPLINE}
    assert "1 helpline number " in result.output
    assert "messages received: 2 deleted" in result.output
    assert "messages sent: 1 deleted" in result.output
    assert_private(result.output)


def test_a_whatsapp_address_that_is_not_a_number_fails_with_a_sentence():
    with records_api() as api:
        result = run(api, IVR_HELPLINE_NUMBERS=f"{HELPLINE}, whatsapp:07700 900999")
        assert result.exit_code == 1 and api.seen == []
    assert "'whatsapp:07700900999' in it is not in E.164 form" in result.output
    assert "whatsapp:+447700900123" in result.output


def test_a_messaging_service_sender_is_named_as_not_covered_by_itself():
    with records_api() as api:
        api.add(message(1, HELPLINE, PEOPLE[1], OLD, "received"))
        result = run(api, "--number", HELPLINE, IVR_TEXT_FROM="MG" + "0" * 32)
        assert result.exit_code == 0, result.output
        assert api.records == {}
    assert "IVR_TEXT_FROM is a Messaging Service" in result.output
    assert "1 helpline number " in result.output


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        ((), {}, "No helpline number to redact for"),
        (("--number", "07700 900999"), {}, "is not a phone number in E.164 form"),
        (("--number", "whatsapp:07700900999"), {}, "is not a phone number in E.164 form"),
        (("--number", HELPLINE, "--older-than", "5m"), {}, "shorter than 10 minutes"),
        (("--number", HELPLINE, "--older-than", "soon"), {}, "is not a length of time"),
        (("--number", HELPLINE, "--time-limit", "0s"), {}, "--time-limit '0s'"),
        (("--number", HELPLINE, "--older-than", "99999999999999d"), {}, "at most ten years"),
        (("--number", HELPLINE, "--older-than", "4h30"), {}, "is not a length of time"),
        (("--number", HELPLINE), {"TWILIO_ACCOUNT_SID": ""}, "TWILIO_ACCOUNT_SID is not set"),
        (("--number", HELPLINE), {"IVR_TEXT_FROM": "0800 123"}, "IVR_TEXT_FROM is '0800 123'"),
    ],
)
def test_settings_no_run_could_get_past_fail_with_a_sentence(args, env, said):
    with records_api() as api:
        api.add(message(1, HELPLINE, PEOPLE[0], OLD, "received"))
        result = run(api, *args, **env)
        assert result.exit_code == 1 and said in result.output, result.output
        assert len(api.records) == 1 and not api.requests("DELETE")


def test_wrong_credentials_stop_the_run_with_a_sentence():
    with records_api() as api:
        api.add(message(1, HELPLINE, PEOPLE[0], OLD, "received"))
        api.refuse_all = 401
        result = run(api, "--number", HELPLINE)
        assert result.exit_code == 1
        assert "Twilio refused the credentials (HTTP 401, error 20003)" in result.output
        assert len(api.seen) == 1  # the first refusal ends it


# -- every scheduled command in docs/privacy.md runs as written ---------------------------

PRIVACY = ROOT / "docs" / "privacy.md"
TARGETS = ("Heroku Scheduler", "cron", "A container job", "Kubernetes CronJob")


def schedules() -> dict[str, str]:
    """Each deploy target's paragraph under "Schedule it", by its name."""
    text = PRIVACY.read_text(encoding="utf-8")
    section = text.split("### Schedule it", 1)[1].split("\n## ", 1)[0]
    found = {}
    for bullet in section.split("\n- **")[1:]:
        name, _, body = bullet.partition(":**")
        found[name] = body
    return found


def commands_in(text: str) -> list[str]:
    """Each `ivr redact ...` written out, and each container's command in a YAML block."""
    found = [m.strip() for m in re.findall(r"ivr redact[^\n`>]*", text)]
    for block in re.findall(r"```yaml\n(.*?)\n\s*```", text, re.DOTALL):
        job = yaml.safe_load(textwrap.dedent(block))
        for container in job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]:
            found.append(shlex.join(container["command"]))
    return found


def test_the_docs_schedule_ivr_redact_on_every_deploy_target():
    found = schedules()
    assert list(found) == list(TARGETS)
    for target, text in found.items():
        assert commands_in(text), f"docs/privacy.md shows no ivr redact command for {target}"


@pytest.mark.parametrize(
    "command", sorted(set(commands_in(PRIVACY.read_text(encoding="utf-8")))) or ["(none)"]
)
def test_each_documented_command_runs_against_the_stand_in(command):
    records, kept = mixed()
    args = shlex.split(command)[2:]
    with records_api() as api:
        api.add(*records)
        result = run(api, *args, IVR_HELPLINE_NUMBERS=HELPLINE)
        assert result.exit_code == 0, (command, result.output)
        if "--dry-run" in args:
            assert len(api.records) == len(records)
        else:
            assert set(api.records) == kept
