"""`ivr report`: counts from the log lines of real conversations, played through the real
webhooks, and every kind of line a log file can hold."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import main
from ivr.report import build
from ivr.report.reading import Turn, canonical
from ivr.report.tally import CALL_IDLE, NO_SCRIPT, PATH_SHOWN, SWEEP_EVERY, Tally

from support import GUIDE, ROOT, Call, Texter
from support import log_line as line

SCRIPT = "link-claiming-intimate-photo"


def report(*args: str, input: bytes | None = None):
    result = CliRunner().invoke(main, ["report", "--script", str(GUIDE), *args], input=input)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def played(app, client, capsys):
    """The log of five conversations played through the real webhooks: three calls and
    two texters."""
    capsys.readouterr()
    clicked_then_danger = Call(client)
    clicked_then_danger.start()
    clicked_then_danger.press("1")
    clicked_then_danger.press("9")
    steps_then_wrong_key = Call(client)
    steps_then_wrong_key.start()
    steps_then_wrong_key.press("3")  # more choices
    steps_then_wrong_key.press("1")  # the steps
    steps_then_wrong_key.press("1")  # the next step
    steps_then_wrong_key.press("7")  # not a choice here
    silent = Call(client)
    silent.start()
    for _ in range(3):
        silent.silence()
    assert silent.heard.hangup
    texter = Texter(app)
    texter.send("hello")
    texter.send("1")
    texter.send("zzz")
    frightened = Texter(app, sender="+447700900456")
    frightened.send("hi")
    frightened.send("DANGER")
    return capsys.readouterr().err


def test_the_counts_match_the_conversations_played(played):
    result = report("--format", "json", input=played.encode())
    assert result.exit_code == 0, result.output
    counted = json.loads(result.output)
    assert counted["conversations"] == {"sms": 2, "voice": 3}
    assert counted["nodes"] == {"clicked": 2, "danger": 2, "main": 5, "more": 1, "steps": 1}
    assert counted["ended_at"] == {"clicked": 1, "danger": 2, "main": 1, "steps": 1}
    assert counted["danger"] == 2
    # Inputs: keys 1 9 / 3 1 1 7 on the phone (silence is none), and all five texts.
    assert counted["not_understood"] == {"count": 2, "inputs": 11, "share": round(2 / 11, 4)}
    calls, texts = (
        next(g for g in counted["by_script"] if g["channel"] == c) for c in ("voice", "sms")
    )
    assert calls["turns"] == {"median": 4, "mean": 4.0, "p90": 5, "longest": 5}
    assert {p["path"]: p["conversations"] for p in calls["paths"]} == {
        "main > clicked > danger": 1,
        "main > more > steps": 1,
        "main": 1,
    }
    assert {p["path"] for p in texts["paths"]} == {"main > clicked", "main > danger"}
    assert counted["lines"]["webhook"] == 3 + 5 + 4 + 3 + 2
    assert counted["lines"]["malformed"] == 0


def test_the_text_report_says_it_per_script_and_channel(played):
    result = report(input=played.encode())
    assert result.exit_code == 0
    out = result.output
    assert f"{SCRIPT}, calls: 3 conversations" in out
    assert f"{SCRIPT}, texts: 2 conversations" in out
    assert "reached the danger answer (danger): 1 conversation (33.3%)" in out
    assert "not understood: 16.7% of inputs (1 of 6)" in out
    assert "turns per conversation: median 4, mean 4.0, 90th percentile 5, longest 5" in out
    assert "    1  main > clicked > danger" in out


def test_the_report_shows_no_numbers_or_words(played):
    for args in ((), ("--format", "json"), ("--format", "mermaid")):
        out = report(*args, input=played.encode()).output
        for private in ("447700900", "hello", "zzz", "hi\n", "DANGER\n"):
            assert private not in out, (args, private)


def test_min_count_hides_small_counts(played):
    out = report("--min-count", "5", input=played.encode()).output
    assert "Counts under 5 are hidden." in out
    assert f"{SCRIPT}, calls: <5 conversations" in out
    assert "reached the danger answer (danger): <5 conversations (-)" in out
    counted = json.loads(
        report("--format", "json", "--min-count", "3", input=played.encode()).output
    )
    assert counted["conversations"] == {"sms": None, "voice": 3}
    assert counted["nodes"] == {"main": 5}  # 2 and 1 are under 3: left out
    assert counted["danger"] is None and counted["hidden_below"] == 3
    picture = report("--format", "mermaid", "--min-count", "3", input=played.encode()).output
    assert "reached: 5" in picture and "reached: #lt;3" in picture and "[#lt;3]" in picture
    assert "reached: 1" not in picture and "reached: 2" not in picture


def test_mermaid_puts_counts_on_the_script_picture(played, guide):
    out = report("--format", "mermaid", input=played.encode()).output
    assert out.startswith("---\nconfig:\n") and "\nflowchart TD\n" in out
    assert 'n_main["main<br/>main menu<br/>reached: 5"]' in out
    clicked = next(o for o in guide.main.options if o.target == "clicked")
    assert f'-->|"1 CLICKED: {clicked.label.voice} [2]"| n_clicked' in out
    # Into danger from the main menu's 9 and the clicked node's 9: the global arrow.
    danger = next(o for o in guide.globals if o.target == "danger")
    assert f'-.->|"9 DANGER: {danger.label.voice} [2]"| n_danger' in out
    assert re.search(r'n_more -->\|"1 STEPS: [^"]* \[1\]"\| n_steps', out)


def test_other_and_malformed_lines_are_counted_and_skipped_never_a_traceback():
    good = line("2026-11-24T21:30:00.123Z", "c1", "main", "start")
    lines = [
        good,
        "[2026-11-24 21:30:01 +0000] [7] [INFO] Booting worker with pid: 7",  # gunicorn's own
        "",
        line("2026-11-24T21:30:02.000Z", "c1", "clicked", "chose")[:-9],  # cut short
        json.dumps({"time": "2026-11-24T21:30:03.000Z", "event": "webhook", "channel": "sms"}),
        json.dumps({"event": "started", "level": "INFO"}),  # another event: not malformed
        line("2026-11-24T21:30:04.000Z", "c1", "447700900123", "chose"),  # a number as a node
        line("2026-11-24T21:30:05.000Z", "c1", "[private]", "chose"),
        line("not a time", "c1", "main", "chose"),
        line("2026-11-24T21:30:06.000Z", "c1", "main", "chose", channel="fax"),
        line("2026-11-24T21:30:07.000Z", "c1", "main", 7),
        "[1, 2, 3]",  # not an object: not one of the app's lines at all
        "{\x00\xff}",
        line("2026-11-24T21:30:08.000Z", "c1", "danger", "chose"),
    ]
    data = "\n".join(lines).encode() + b'\n\xff\xfe{\n{"event": "webhook", \xff}\n'
    result = report("--format", "json", input=data)
    assert result.exit_code == 0
    counted = json.loads(result.output)
    assert counted["lines"] == {
        "read": 16,
        "webhook": 2,
        "other": 5,
        "malformed": 9,
        "outside_times": 0,
    }
    assert counted["nodes"] == {"danger": 1, "main": 1}
    assert "447700900123" not in result.output


def test_a_json_line_is_one_object_whose_event_is_named():
    app_line = line("2026-11-24T21:30:00.123Z", "c1", "main", "start")
    record = json.dumps(dict(sorted(json.loads(app_line).items())))  # not the app's order
    lines = [
        record + "  \t",  # trailing white space: still the one object
        record + ' {"event": "webhook"}',  # something after it: not one of the app's lines
        record.replace('"event": "webhook"', '"event": 5'),
        record.replace('"event": "webhook"', '"event": null'),
        record.replace('"event": "webhook", ', ""),
        # fields of the wrong kind or shape, and ids that could be a phone number
        record.replace('"conversation": "c1"', '"conversation": 5'),
        record.replace('"conversation": "c1"', '"conversation": "+44 7700 900123"'),
        record.replace('"script": "', '"script": "447700900123'),
        record.replace('"node": "main"', '"node": "i am scared"'),
    ]
    counted = json.loads(report("--format", "json", input="\n".join(lines).encode()).output)
    assert counted["lines"] == {
        "read": 9,
        "webhook": 1,
        "other": 0,
        "malformed": 8,
        "outside_times": 0,
    }
    assert counted["from"] == "2026-11-24T21:30:00.123Z"
    assert "447700900123" not in str(counted) and "scared" not in str(counted)


def test_from_and_to_are_the_earliest_and_latest_turns_in_any_order():
    times = ["2026-11-24T10:05:00.000Z", "2026-11-24T10:00:00.000Z", "2026-11-24T10:09:00.000Z"]
    lines = [line(t, "c1", "main", "start") for t in [*times, "2026-11-24T10:01:00.000Z"]]
    counted = json.loads(report("--format", "json", input="\n".join(lines).encode()).output)
    assert (counted["from"], counted["to"]) == (times[1], times[2])


def test_the_older_log_shape_is_read_too():
    lines = (
        "2026-11-24 21:30:00,123 INFO ivr serving scripts: x (default x)\n"
        '2026-11-24 21:30:00,200 INFO ivr {"channel": "voice", "conversation": "c1", '
        '"event": "webhook", "ms": 1.2, "node": "main", "outcome": "start", '
        f'"script": "{SCRIPT}"}}\n'
    )
    counted = json.loads(report("--format", "json", input=lines.encode()).output)
    assert counted["conversations"] == {"voice": 1}
    assert counted["from"] == "2026-11-24T21:30:00.200Z"
    assert counted["lines"]["other"] == 1


def test_since_and_until_keep_the_turns_between(tmp_path):
    lines = [
        line("2026-11-23T23:59:59.999Z", "early", "main", "start"),
        line("2026-11-24T00:00:00.000Z", "day", "main", "start"),
        line("2026-11-24T00:01:00.000+00:00", "day", "clicked", "chose"),  # another form
        line("2026-11-24T23:59:59.999Z", "late", "main", "start"),
        line("2026-11-25T00:00:00.000Z", "next", "main", "start"),
    ]
    log = tmp_path / "app.log"
    log.write_text("\n".join(lines) + "\n")
    out = report(str(log), "--since", "2026-11-24", "--until", "2026-11-25", "--format", "json")
    counted = json.loads(out.output)
    assert counted["conversations"] == {"voice": 2}
    assert counted["lines"]["outside_times"] == 2
    assert (counted["from"], counted["to"]) == (
        "2026-11-24T00:00:00.000Z",
        "2026-11-24T23:59:59.999Z",
    )
    # A time with an offset means that moment: 01:00 in UTC+01:00 is midnight UTC.
    shifted = report(str(log), "--since", "2026-11-24T01:00+01:00", "--format", "json").output
    assert json.loads(shifted)["conversations"] == {"voice": 3}
    wrong = report(str(log), "--since", "yesterday")
    assert wrong.exit_code == 1
    assert "'yesterday' is not a time this report can read. Give a date" in wrong.output


def test_files_in_order_gzip_included_and_unreadable_ones_named(tmp_path):
    first, second = tmp_path / "app.log.1.gz", tmp_path / "app.log"
    with gzip.open(first, "wt") as f:
        f.write(line("2026-11-24T10:00:00.000Z", "c1", "main", "start") + "\n")
    second.write_text(line("2026-11-24T10:01:00.000Z", "c1", "danger", "chose") + "\n")
    counted = json.loads(report(str(first), str(second), "--format", "json").output)
    assert counted["ended_at"] == {"danger": 1} and counted["danger"] == 1
    missing = report(str(tmp_path / "nope.log"))
    assert missing.exit_code == 1
    assert f"Cannot read the log file {tmp_path / 'nope.log'}: No such file" in missing.output
    folder = report(str(tmp_path))
    assert folder.exit_code == 1 and "is a folder; give the log files in it" in folder.output


def test_a_conversation_quiet_for_longer_than_it_could_be_is_over():
    start = datetime(2026, 11, 24, 9, tzinfo=UTC)

    def at(minutes: float, conversation: str, node: str, outcome: str, channel: str) -> bytes:
        time = canonical(start + timedelta(minutes=minutes))
        return line(time, conversation, node, outcome, channel=channel).encode()

    call_gap = CALL_IDLE.total_seconds() / 60 + 1
    lines = [
        at(0, "call", "main", "start", "voice"),
        at(1, "call", "clicked", "chose", "voice"),
        at(1 + call_gap, "call", "main", "start", "voice"),  # a new call: none is that quiet
        at(0, "put-through", "support", "dial", "voice"),
        at(90, "put-through", "support", "resume", "voice"),  # back after a long call
        at(0, "texter", "main", "start", "sms"),
        at(120, "texter", "clicked", "chose", "sms"),  # texts may be hours apart
        at(130, "texter", "danger", "expired", "sms"),  # the app said: a fresh start
    ]
    counted = build(lines)
    calls, texts = counted.groups[(SCRIPT, "voice")], counted.groups[(SCRIPT, "sms")]
    assert calls.conversations == 3
    assert calls.ended_at == {"clicked": 1, "main": 1, "support": 1}
    assert texts.conversations == 2 and texts.ended_at == {"clicked": 1, "danger": 1}


def test_memory_holds_the_open_conversations_not_the_lines():
    """Three days of calls, three minutes each, one starting every 20 seconds: 12,960
    conversations and 51,840 lines, but only the calls that could still be going on (and
    one sweep's worth of turns) are ever held."""
    start = datetime(2026, 11, 24, tzinfo=UTC)
    tally = Tally({SCRIPT: "danger"})
    most_open = 0
    for n in range(12960):
        for minute, (node, outcome) in enumerate(
            (("main", "start"), ("clicked", "chose"), ("steps", "chose"), ("steps", "next"))
        ):
            time = canonical(start + timedelta(seconds=20 * n, minutes=minute))
            tally.add(Turn(time, "voice", SCRIPT, node, outcome, f"c{n}"))
        most_open = max(most_open, tally.open_count())
    groups = tally.finish()
    assert groups[(SCRIPT, "voice")].conversations == 12960
    window = CALL_IDLE.total_seconds() / 20 + SWEEP_EVERY / 4
    assert CALL_IDLE.total_seconds() / 20 < most_open <= window < 12960 / 4


def test_a_progress_bar_only_on_a_terminal(tmp_path):
    log = tmp_path / "app.log"
    log.write_text(
        "\n".join(line("2026-11-24T10:00:00.000Z", f"c{n}", "main", "start") for n in range(70_000))
    )
    command = Path(sys.executable).parent / "ivr"  # the console script, as operators run it
    ivr = [str(command), "report", str(log), "--script", str(GUIDE)]
    plain = subprocess.run(ivr, capture_output=True, cwd=ROOT, timeout=120)
    assert plain.returncode == 0 and plain.stderr == b""
    leader, follower = os.openpty()
    with subprocess.Popen(ivr, stdout=subprocess.PIPE, stderr=follower, cwd=ROOT) as shown:
        os.close(follower)
        out, _ = shown.communicate(timeout=120)
        bar = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal's other end has closed
                break
            if not chunk:
                break
            bar += chunk
    os.close(leader)
    assert shown.returncode == 0 and b"70,000 conversations" in out
    assert b"100% 70,000 lines" in bar and b"%" in bar


def test_a_long_conversation_counts_every_node_it_reached_and_shortens_its_path():
    nodes = [f"n{i}" for i in range(11)] + ["n0", "n10"]  # back to the first, then on
    tally = Tally({SCRIPT: "n9"})
    for second, node in enumerate(nodes):
        time = f"2026-11-24T10:00:{second:02d}.000Z"
        tally.add(Turn(time, "sms", SCRIPT, node, "chose", "c1"))
    (group,) = tally.finish().values()
    assert group.reached == {node: 1 for node in nodes}  # n9 and n10 are past the path
    assert group.danger == 1
    assert group.paths == {" > ".join(nodes[:PATH_SHOWN]) + " > ...": 1}
    assert sum(group.moves.values()) == len(nodes) - 1 and group.moves[("n10", "n0")] == 1
    assert group.ended_at == {"n10": 1} and group.turns == {len(nodes): 1}


def test_a_conversation_of_fault_replies_only_is_counted_under_no_script():
    tally = Tally({SCRIPT: "danger"})
    tally.add(Turn("2026-11-24T10:00:00.000Z", "sms", None, None, "fault", "c1"))
    tally.add(Turn("2026-11-24T10:00:05.000Z", "sms", None, None, "fault", "c1"))
    groups = tally.finish()
    assert list(groups) == [(NO_SCRIPT, "sms")]
    (group,) = groups.values()
    assert (group.conversations, group.inputs, group.danger) == (1, 0, None)
    assert group.turns == {2: 1} and not group.reached and not group.paths
