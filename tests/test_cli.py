"""The `ivr` command, run the way an operator runs it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ivr.cli import main

from support import FIXTURES, GUIDE


@pytest.fixture
def run():
    def invoke(*args, input=None):
        return CliRunner().invoke(main, list(args), input=input)

    return invoke


def test_every_command_has_help(run):
    for name, command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert command.get_short_help_str() and "Usage:" in result.output


def test_validate_passes_the_shipped_scripts(run):
    result = run("validate", str(GUIDE.parent), "--tables")
    assert result.exit_code == 0
    assert f"{GUIDE}: ok (0 errors, 0 warnings)" in result.output
    assert "the opening is 4 segments" in result.output


def test_validate_with_no_path_checks_the_shipped_scripts_and_prints_only_the_verdict(
    run, monkeypatch
):
    monkeypatch.chdir(GUIDE.parent.parent)  # where an operator runs it: the repository
    result = run("validate")
    assert result.exit_code == 0, result.output
    # No tables by default: the verdict of each shipped script, and nothing else
    shipped = sorted(GUIDE.parent.glob("*.yaml"))
    assert shipped and result.output.splitlines() == [
        f"scripts/{p.name}: ok (0 errors, 0 warnings)" for p in shipped
    ]


def test_validate_of_a_folder_without_scripts_says_so(run, tmp_path):
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert f"No .yaml script files in {tmp_path}." in result.output


def test_validate_fails_naming_the_missing_node_and_the_file(run, tmp_path):
    broken = tmp_path / "copy.yaml"
    broken.write_text(GUIDE.read_text().replace("target: clicked", "target: clicked-it", 1))
    result = run("validate", str(broken))
    assert result.exit_code == 1
    assert f"error: {broken}, line " in result.output
    assert "goes to 'clicked-it', which is not a node" in result.output
    assert "node 'main'" in result.output


def test_validate_reports_broken_yaml_with_its_line_number(run):
    result = run("validate", str(FIXTURES / "invalid" / "broken-yaml.yaml"))
    assert result.exit_code == 1
    assert "line 72: F001 This is not valid YAML" in result.output
    assert "Traceback" not in result.output


def test_validate_warnings_do_not_fail(run, tmp_path):
    text = (FIXTURES / "valid.yaml").read_text().replace("name: Polly.Amy-Neural", "name: alice")
    path = tmp_path / "warn.yaml"
    path.write_text(text)
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert "warning:" in result.output and "(0 errors, 1 warning)" in result.output


def test_simulate_sms_from_a_pipe(run):
    result = run("simulate", "--channel", "sms", input="hello\n1\nMENU\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("call 999") < out.index("> 1")  # the welcome, with 999, comes first
    advice = out[out.index("> 1") : out.index("> MENU")]
    assert "change those passwords from a different trusted device" in advice
    assert "turn on 2-step verification" in advice
    assert "1 - if you already clicked the link (CLICKED)" in out[out.index("> MENU") :]


def test_simulate_voice_prints_what_the_caller_hears(run):
    result = run("simulate", "--channel", "voice", input="1\n\n")
    assert result.exit_code == 0, result.output
    out = result.output
    first = out.splitlines()[1].strip()
    assert first == "If you are in immediate danger, hang up now and call nine nine nine."
    assert "If you already clicked the link, press 1." in out
    assert "> (silence)" in out


def test_simulate_voice_until_the_goodbye(run):
    result = run("simulate", "--channel", "voice", input="\n\n\n")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("[the call ends]")
    assert "one one six, one two three" in result.output


def test_simulate_sms_stop_gets_no_reply(run):
    result = run("simulate", "--channel", "sms", input="STOP\n")
    assert result.exit_code == 0, result.output
    assert "[no reply: Twilio answers 'STOP' itself]" in result.output


def test_simulate_refuses_a_broken_script(run):
    result = run("simulate", "--channel", "sms", str(FIXTURES / "invalid" / "missing-target.yaml"))
    assert result.exit_code == 1
    assert "goes to 'stepz'" in result.output and "Traceback" not in result.output


def test_explain_says_what_a_rule_protects(run):
    result = run("validate", "--explain", "s003")
    assert result.exit_code == 0
    assert result.output.startswith("S003 (safety, error)\nProtects: Bridging a call to 999")
    assert "To satisfy it:" in result.output


def test_explain_of_an_unknown_code_fails_listing_the_codes(run):
    result = run("validate", "--explain", "X42")
    assert result.exit_code == 1
    assert "There is no rule 'X42'. The rules are: F001," in result.output


@pytest.mark.parametrize(
    ("at", "london", "offered"),
    [
        ("2026-06-15 10:30", "Monday 15 June 2026, 10:30 BST", True),
        ("2026-06-15 16:05", "Monday 15 June 2026, 16:05 BST", False),
        ("2026-12-25 11:00", "Friday 25 December 2026, 11:00 GMT", False),
        ("2026-06-13 10:30", "Saturday 13 June 2026, 10:30 BST", False),
    ],
)
def test_simulate_at_a_london_time_plays_the_opening_hours(run, at, london, offered):
    result = run("simulate", "--channel", "voice", "--at", at, str(GUIDE), input="3\n5\nbusy\n")
    assert result.exit_code == 0, result.output
    assert f"[the time in London: {london}]" in result.output
    offer = "To be put through to the Revenge Porn Helpline now, press 5."
    assert (offer in result.output) is offered
    if offered:
        assert "[the call is put through to +443456000459;" in result.output
        assert "They couldn't answer just now." in result.output
    else:
        assert "The Revenge Porn Helpline is closed now." in result.output


def test_simulate_at_a_time_that_cannot_be_read_says_how_to_write_it(run):
    result = run("simulate", "--channel", "voice", "--at", "15/06/2026 10:30", str(GUIDE))
    assert result.exit_code == 2
    assert '"2026-06-15 10:30" (London time)' in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "node", "words"),
    [
        ("danger-without-999", "danger", "do not give 999"),
        ("danger-samaritans-behind-next", "danger", "first text (sms) does not give Samaritans"),
        ("dial-relay-uk", "clicked", "dials 18000, an emergency number"),
    ],
)
def test_validate_refuses_the_three_broken_danger_scripts_naming_file_node_and_fix(
    run, name, node, words
):
    path = FIXTURES / "invalid" / f"{name}.yaml"
    result = run("validate", str(path))
    assert result.exit_code == 1
    (error,) = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert error.startswith(f"error: {path}, line ")
    assert f"node '{node}'" in error and words in error and " Fix: " in error


def test_validate_prints_when_each_key_is_heard_on_the_phone(run):
    result = run("validate", str(GUIDE), "--tables")
    assert result.exit_code == 0
    assert "on the phone, when each key has been heard (160 words a minute" in result.output
    assert "  the opening (43 s): 9 (danger) at 11 s; 1 (clicked) at" in result.output


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (["i want to k!ll myslef"], [
            "symbols: 'k!ll' read as 'kill'", "typo: 'myslef' read as 'myself'",
            "Danger: phrase 'kill myself'", "Meaning: node 'danger'"]),
        (["im not in danger, i just want it taken down", "--channel", "voice", "--at", "steps"], [
            "voice, at node 'steps'", "Danger, clearly denied by 'not': phrase 'in danger'",
            "Topic: 'taken down' -> node 'support'",
            "Meaning: node 'support', after the crisis numbers (danger clearly denied)"]),
        (["my battery is dying"], [
            "Idiom, so not danger: 'my battery is dying'", "Meaning: nothing understood"]),
        (["I didn't click it"], ["Topic cancelled by a negation before it: 'click it'"]),
        (["im 15 and i clicked"], [
            "Under 18: an age under 18", "Meaning: node 'under-18'; also offered: node 'clicked'"]),
    ],
)  # fmt: skip
def test_understand_says_which_rule_decided(run, args, lines):
    result = run("understand", *args, "--script", str(GUIDE))
    assert result.exit_code == 0, result.output
    for line in lines:
        assert line in result.output


def test_understand_names_the_nodes_when_the_node_is_unknown(run):
    result = run("understand", "help", "--at", "nowhere", "--script", str(GUIDE))
    assert result.exit_code == 1
    assert "There is no node 'nowhere'" in result.output and "under-18" in result.output
