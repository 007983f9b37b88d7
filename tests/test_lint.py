"""Each linter rule, shown by one invalid fixture and the message it must give."""

from __future__ import annotations

import pytest

from ivr.errors import ERROR, WARNING
from ivr.lint import check

from support import FIXTURES, SCRIPTS

INVALID = FIXTURES / "invalid"

# fixture file, node named in the message (or None), words the message must contain
RULES = [
    ("missing-target", "clicked", ["goes to 'stepz'", "not a node", "Did you mean 'steps'"]),
    ("unreachable-node", "orphan", ["Nothing leads to this node"]),
    ("menu-without-options", "clicked", ["no options of its own", "dead end"]),
    ("steps-without-next", "steps", ["no way on after its last step", "next:"]),
    ("duplicate-key", "main", ["uses key 1, which an earlier option uses"]),
    ("global-key-clash", "main", ["uses key 9", "global key"]),
    ("missing-role", None, ["no 'under_18' role"]),
    ("role-not-on-main", "main", ["main menu has no option for the 'under_18' node"]),
    ("danger-not-one-away", "clicked", ["On sms", "danger node 'danger' is not one choice away"]),
    ("dial-emergency", "clicked", ["dials +44 999, an emergency number", "dial 999 themselves"]),
    ("not-gsm7", "danger", ["GSM-7", "PERSON WITH FOLDED HANDS", "RIGHTWARDS ARROW"]),
    ("too-many-segments", None, ["the opening takes 7 segments (at most 4)"]),
    ("http-link", "danger", ["http://www.samaritans.org/", "not https"]),
    ("link-not-allowed", "danger", ["https://www.example.com/help", "not on the allow-list"]),
    ("sms-bare-address", "danger", ["samaritans.org without https://"]),
    ("long-voice-prompt", "young", ["about 35 seconds to say (more than 30)"]),
    ("no-999-line", None, ["danger_line (voice) does not mention 999"]),
    ("goodbye-without-samaritans", None, ["goodbye does not mention 116 123"]),
    ("not-discreet", None, ["lock screen", "'nude'"]),
    ("reserved-keyword", None, ["'STOP' is a word Twilio answers itself"]),
    ("global-keyword-clash", "main", ["keyword DANGER, which is a global keyword"]),
    ("duplicate-keyword", "main", ["keyword CLICKED, which an earlier option uses"]),
    # structural problems, reported by the loader through the same check()
    ("broken-yaml", None, ["line 71", "not valid YAML", "indentation"]),
    ("unknown-field", "young", ["field 'optons'", "Did you mean 'options'?"]),
    ("duplicate-yaml-key", None, ["the key 'young' appears twice (first on line 69)"]),
    ("unquoted-star", None, ["line 47", 'key: "*"']),
    ("keyword-read-as-boolean", "main", ["read as true/false", "quotes"]),
    ("missing-phrase", None, ["phrases is missing 'goodbye'"]),
    ("wrong-format", None, ["format 2", "format: 1"]),
    ("bad-placeholder", None, ["uses {number}, which it cannot fill in", "{label}, {key}"]),
]


@pytest.mark.parametrize(("name", "node", "words"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_reports_its_problem(name, node, words):
    path = INVALID / f"{name}.yaml"
    report = check(path)
    assert not report.ok
    messages = [str(p) for p in report.errors]
    matching = [m for m in messages if all(w in m for w in words)]
    assert matching, f"no error mentions {words}; got:\n" + "\n".join(messages)
    assert all(m.startswith(str(path)) for m in matching)  # names the file
    if node:
        assert any(f"node '{node}'" in m for m in matching)
    assert all(" line " in m for m in matching if "segments" not in m and "lock screen" not in m)


def test_every_rule_has_a_fixture_and_every_fixture_a_rule():
    assert sorted(p.stem for p in INVALID.glob("*.yaml")) == sorted(r[0] for r in RULES)


def test_the_valid_fixture_passes_cleanly():
    report = check(FIXTURES / "valid.yaml")
    assert report.errors == [] and report.warnings == []


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_every_shipped_script_validates_without_warnings(path):
    report = check(path)
    assert [str(p) for p in report.problems if p.severity in (ERROR, WARNING)] == []


def test_the_segment_count_of_each_sms_reply_is_reported():
    report = check(FIXTURES / "valid.yaml")
    counted = {p.message for p in report.info}
    assert "SMS: the opening is 2 segments." in counted
    assert "SMS: node 'young' is 1 segment." in counted


def test_an_unpronounced_web_address_is_only_a_warning(tmp_path):
    text = (FIXTURES / "valid.yaml").read_text()
    path = tmp_path / "address.yaml"
    text = text.replace(
        "  - https://www.samaritans.org/\n",
        "  - https://www.samaritans.org/\n  - https://www.childline.org.uk/\n",
    )
    text = text.replace(
        "text: Tell a trusted adult.",
        "text: {voice: Tell a trusted adult or see childline.org.uk., sms: Hi.}",
    )
    path.write_text(text)
    report = check(path)
    assert report.ok
    assert any("childline.org.uk" in str(w) and "pronounce" in str(w) for w in report.warnings)


def test_a_missing_file_is_a_sentence_not_a_traceback(tmp_path):
    report = check(tmp_path / "nowhere.yaml")
    assert [str(p) for p in report.errors] == [
        f"{tmp_path / 'nowhere.yaml'}: There is no such file. Fix: Check the path."
    ]
