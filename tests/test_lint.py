"""Each linter rule, shown by one invalid fixture and the message it must give."""

from __future__ import annotations

import gc
from datetime import date

import pytest

from ivr.errors import ERROR, WARNING
from ivr.lint import check
from ivr.lint.fault import fault_words
from ivr.lint.rules import RULES as RULE_BOOK
from ivr.lint.rules import explain
from ivr.script import Text

from support import FIXTURES, SCRIPTS, TESTS

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these

INVALID = FIXTURES / "invalid"

# fixture file, rule code, node named in the message (or None), words the message must contain
RULES = [
    (
        "missing-target",
        "G004",
        "clicked",
        ["goes to 'stepz'", "Did you mean 'steps'"],
    ),
    ("unreachable-node", "G006", "orphan", ["Nothing leads to this node"]),
    ("menu-without-options", "G005", "clicked", ["no options of its own", "dead end"]),
    ("steps-without-next", "G005", "steps", ["no way on after its last step", "next:"]),
    ("duplicate-key", "V001", "main", ["uses key 1, which an earlier option uses"]),
    ("global-key-clash", "V002", "main", ["uses key 9", "global key"]),
    ("missing-role", "G001", None, ["no 'under_18' role"]),
    (
        "role-not-on-main",
        "S001",
        "main",
        ["first spoken menu and the texted main menu of 'main' have no option for the 'under_18'"],
    ),
    (
        "danger-not-one-away",
        "S002",
        "main",
        ["On sms", "away from nodes 'main', 'clicked'"],
    ),
    (
        "dial-emergency",
        "S003",
        "clicked",
        ["dials +44 999, an emergency", "dial 999 themselves"],
    ),
    ("not-gsm7", "M001", "danger", ["GSM-7", "PERSON WITH FOLDED HANDS", "RIGHTWARDS ARROW"]),
    ("too-many-segments", "M002", None, ["the opening takes 7 segments (at most 4)"]),
    (
        "too-long-shared-phrase",
        "M002",
        "main",
        [
            "saying not_understood takes 7 segments",
            "at 4 more: 'clicked', 'young', 'danger'",
            "The phrase 'not_understood' is in every one of them.",
        ],
    ),
    ("http-link", "L001", "danger", ["http://www.samaritans.org/", "not https"]),
    (
        "link-not-allowed",
        "L002",
        "danger",
        ["https://www.example.com/help", "allow-list"],
    ),
    ("sms-bare-address", "L003", "danger", ["samaritans.org without https://"]),
    ("long-voice-prompt", "T001", "young", ["about 33 seconds to say (more than 30)"]),
    ("no-999-line", "S005", None, ["danger_line (voice) does not mention 999"]),
    ("goodbye-without-samaritans", "S005", None, ["goodbye does not mention 116 123"]),
    ("not-discreet", "D001", None, ["lock screen", "'nude'"]),
    ("reserved-keyword", "V003", "main", ["'STOP' is a word Twilio answers itself"]),
    ("global-keyword-clash", "V002", "main", ["keyword DANGER, which is a global keyword"]),
    ("duplicate-keyword", "V001", "main", ["keyword CLICKED, which an earlier option uses"]),
    # hand-offs: transfers in opening hours and "text me these steps"
    ("transfer-emergency", "S170", None, ["dials +4418000, an emergency number"]),
    ("adults-line-for-under-18s", "S171", "young", ["offers the transfer 'line'", "adults"]),
    ("text-without-999", "S172", None, ["does not give the 999 line"]),
    ("transfer-goodbye-without-samaritans", "S173", None, ["do not mention 116 123"]),
    ("text-not-discreet", "S174", None, ["lock screen", "'nude'"]),
    ("unknown-transfer", "H101", "main", ["through to 'lime'", "(those defined: line)"]),
    ("text-me-then-not-a-node", "H106", None, ["then: 'mian' is not a node"]),
    ("text-too-long", "H107", None, ["1766 characters", "at most 1600"]),
    ("text-me-without-confirm", "H108", "main", ["leads to 'text-me'", "no send_text"]),
    ("step-option-key-taken", "H109", "steps", ["Step 2 offers key 9"]),
    ("person-menu-without-the-transfer", "H114", None, ["person_menu: 'clicked'"]),
    ("person-menu-on-the-under-18-node", "S171", "young", ["'line' would be offered"]),
    ("text-me-without-a-section", "H106", "main", ["(text_me) needs a text_me: section"]),
    ("send-text-without-a-warning", "H108", "text-me", ["belongs in a menu whose text warns"]),
    ("straight-to-sending", "H108", "clicked", ["goes straight to 'text-me'"]),
    ("quiet-key-not-global", "H113", "text-me", ["quiet: names key 7"]),
    ("quiet-danger-key", "S175", "text-me", ["quiet: names key 9, the danger key"]),
    ("transfer-number-not-e164", "H110", None, ["'01632 960000'", "E.164"]),
    ("unreadable-hours", "H111", None, ["'10am-4pm' is not a period like 10:00-16:00"]),
    ("unreadable-closed-date", "H112", None, ["'25/12/2026', which is not a date"]),
    # spoken time (T), the main menu and the danger answer (S), each naming its fix
    (
        "danger-heard-late",
        "T101",
        "main",
        [
            "hears the danger key about 21 s into the call",
            "within 15 s",
            "Fix: Give phrases a danger_first",
        ],
    ),
    ("long-opening", "T102", "main", ["opening lasts about 76 s", "at most 45 s", "Fix: Shorten"]),
    (
        "too-many-keys",
        "T103",
        "main",
        [
            "announces 7 keys (9, 1, 2, 3, 4, 5, *)",
            "at most 6",
            "Fix: Move some options to a menu one level down",
        ],
    ),
    (
        "loose-limits",
        "T104",
        None,
        ["opening_within is 60, looser than the helpline's limit of 45", "Fix: Write 45 or less"],
    ),
    (
        "under-18-sms-only",
        "S001",
        "main",
        [
            "first spoken menu of 'main' has no option for the 'under_18' node",
            "Fix: Add an option with a key (on voice)",
        ],
    ),
    (
        "topic-three-menus-down",
        "S102",
        "main",
        ["On voice, the 'steps' node ('steps') is not reachable within two menus", "Fix: Offer it"],
    ),
    (
        "announce-on-node-option",
        "F013",
        "clicked",
        ["only a global option can have", "Fix: Remove announce:"],
    ),
    (
        "danger-without-999",
        "S101",
        "danger",
        [
            "first spoken paragraph (voice) and first text (sms) do not give 999",
            "Fix: Start the danger answer with 'call 999'",
        ],
    ),
    (
        "danger-999-only-to-text",
        "S101",
        "danger",
        [
            "first spoken paragraph (voice) and first text (sms) do not tell people to call 999",
            "Fix: Start the danger answer with 'call 999'",
        ],
    ),
    (
        "danger-samaritans-late",
        "S101",
        "danger",
        ["first spoken paragraph (voice) does not give Samaritans 116 123", "Fix:"],
    ),
    (
        "danger-samaritans-behind-next",
        "S101",
        "danger",
        ["first text (sms) does not give Samaritans 116 123", "Fix: Start"],
    ),
    (
        "dial-relay-uk",
        "S003",
        "clicked",
        [
            "dials 18000, an emergency number",
            "Fix: Remove it: tell callers to hang up and dial 999",
        ],
    ),
    (
        "later-text-not-discreet",
        "D101",
        "young",
        ["first 100 characters of node 'young'", "'image'", "Fix: Reword the start"],
    ),
    (
        "telltale-in-a-shared-phrase",
        "D101",
        None,
        ["line 36", "the phrase 'not_understood' near its start", "'image'", "Fix: Reword"],
    ),
    (
        "preview-too-short",
        "D102",
        None,
        ["preview_characters is 50", "Fix: Write a whole number of 100 or more"],
    ),
    (
        "danger-not-for-deaf-texters",
        "S103",
        "danger",
        ["deaf or speech-impaired", "Fix: After 999 and Samaritans"],
    ),
    # structural problems, reported by the loader through the same check()
    ("broken-yaml", "F001", None, ["line 72", "not valid YAML", "indentation"]),
    ("unknown-field", "F004", "young", ["field 'optons'", "Did you mean 'options'?"]),
    ("duplicate-yaml-key", "F001", None, ["the key 'young' appears twice (first on line 70)"]),
    ("unquoted-star", "F001", None, ["line 48", 'key: "*"']),
    ("keyword-read-as-boolean", "F007", "main", ["read as true/false", "quotes"]),
    ("missing-phrase", "F005", None, ["phrases is missing the field 'goodbye'"]),
    ("wrong-format", "F008", None, ["format 2", "format: 1"]),
    ("bad-placeholder", "F011", None, ["uses {number}, which it cannot fill in", "{label}, {key}"]),
    ("not-utf8", "F002", None, ["not UTF-8 text", "Save it as UTF-8"]),
    ("links-not-a-list", "F003", None, ["links should be a list, but it is text"]),
    ("empty-text", "F006", "young", ["This node's text is empty.", "or remove the field"]),
    ("bad-node-id", "F009", "Danger", ["node id 'Danger'", "cannot go in a web address"]),
    ("retries-out-of-range", "F010", None, ["max_retries should be a whole number from 0 to 5"]),
    ("phrase-silent-where-used", "F012", None, ["'welcome' says nothing on sms"]),
    ("role-not-a-node", "G002", None, ["names 'clicke'", "Did you mean 'clicked'?"]),
    ("main-not-a-menu", "G003", "steps", ["main role names a steps node"]),
    ("menu-with-next", "G007", "clicked", ["A menu has no 'next'"]),
    ("keyless-voice-option", "V005", "main", ["Option 3 has no key", "channels: [sms]"]),
    ("dial-not-a-number", "S004", "clicked", ["'call me' is not a phone number"]),
    ("lexicon-shape", "V101", None, ["a section 'colours' that the format does not know"]),
    ("lexicon-without-source", "V102", None, ["'topics.steps' does not say where"]),
    ("lexicon-repeated-phrase", "V103", None, ["'What happens next?' in topics.steps"]),
    ("word-read-as-danger", "V104", "main", ["'i want to die' of option STEPS", "'danger'"]),
    ("topic-phrase-read-as-danger", "V104", None, ["'i want to die' of topics.clicked_link"]),
    ("lexicon-pattern-without-slot", "V140", None, ["'{intent} {leaving}'", "{leaving}"]),
    ("translation-missing", "X001", "young", ["no cy-GB (Cymraeg) version", 'from: "14f419de"']),
    ("translation-undeclared", "X003", "young", ["'cy-UK'", "declares cy-GB"]),
    (
        "translation-not-gsm7",
        "M001",
        "clicked",
        ["In cy-GB (Cymraeg)", "CIRCUMFLEX", "sms_encoding: ucs2"],
    ),
    (
        "decision-left",
        "F014",
        None,
        ["A decision is still to be made here: a key for the branch 'if you clicked': 1 is free"],
    ),
]

# Warnings: each fixture in fixtures/warned/ passes, with this one warning.
WARNED = [
    ("word-in-two-places", "V004", None, ["'emergency' leads to two places"]),
    ("unpronounced-address", "L004", "young", ["childline.org.uk with no pronunciation"]),
    ("unknown-voice", "T002", None, ["'alice' is not a Polly or Google voice"]),
    ("american-voice", "T003", None, ["en-US, not British English"]),
    ("speech-timeout-auto", "T106", None, ["speech_timeout is 'auto'", "13335", "Fix: Write"]),
    ("transfer-never-offered", "H104", None, ["'line' is not offered by any option"]),
    ("translation-stale", "X002", "young", ['from: "14f419de"', "deab0d90", "ivr stamp"]),
    ("recordings-miscounted", "X005", None, ["2 recording(s) for 1 spoken paragraph(s)"]),
    ("ucs2-not-needed", "M005", None, ["every one of its texts is GSM-7"]),
]
# Rules shown by a test of their own, because their fixture needs a date or a change
# made in the test: the test's name.
SHOWN_ELSEWHERE = {
    "H102": "test_validate_warns_without_failing_when_the_closed_dates_run_out",
    "H103": "test_a_transfer_with_no_closed_dates_or_no_number_when_closed_is_warned",
    "H105": "test_a_transfer_with_no_closed_dates_or_no_number_when_closed_is_warned",
    "M003": "test_info_lines_count_sms_segments_and_time_each_spoken_menu",
    "T105": "test_info_lines_count_sms_segments_and_time_each_spoken_menu",
    "C001": "test_whatsapp_lint.py::test_a_whatsapp_reply_longer_than_one_message_is_an_error",
    "C002": "test_whatsapp_lint.py::test_a_label_too_long_to_tap_is_warned_once_and_named",
    "C003": "test_whatsapp_lint.py::test_markdown_whatsapp_does_not_show_is_warned",
    "C101": "test_whatsapp_lint.py::test_each_point_says_how_whatsapp_shows_its_menu",
    "C102": "test_whatsapp_lint.py::test_sms_labels_too_long_to_tap_are_information_once",
    # The guides of a library need several files together: tests/test_library_lint.py.
    "O001": "test_library_lint.py::test_a_script_without_a_label_is_warned_about_not_refused",
    "O002": "test_library_lint.py::test_one_danger_key_for_every_guide",
    "O003": "test_library_lint.py::test_the_guide_choice_keys_leave_the_danger_key_free",
    "O004": "test_library_lint.py::test_a_guides_words_are_its_own",
    "O101": "test_library_lint.py::test_the_danger_key_is_heard_early_on_every_path",
    "O102": "test_library_lint.py::test_each_menu_of_the_opening_stays_short",
    "O103": "test_library_lint.py::test_a_main_menu_with_its_way_back_stays_within_six_keys",
    "O104": "test_library_lint.py::test_the_opening_texts_are_short_and_discreet",
    "M004": "test_a_language_texted_in_ucs2_is_told_which_letters_need_it",
    "X004": "test_a_draft_language_is_named_as_one",
    # Faithful to a written guide: a guide file beside the script, edited in the test.
    "W001": "test_fidelity.py::test_a_guide_that_cannot_be_read_is_an_error_naming_the_path",
    "W002": "test_fidelity.py::test_a_guide_edited_without_its_script_fails_naming_what_is_missing",
    "W003": "test_fidelity.py::test_a_fact_left_out_with_a_reason_passes_and_a_stale_one_is_warned",
}


@pytest.mark.parametrize(("name", "code", "node", "words"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_reports_its_problem_once(name, code, node, words):
    path = INVALID / f"{name}.yaml"
    report = check(path)
    # One mistake, one error: each fixture holds exactly one, and it is this one.
    assert len(report.errors) == 1, "\n".join(str(p) for p in report.errors)
    (found,) = report.errors
    text = str(found)
    assert found.code == code, text
    assert all(w in text for w in words), f"{text!r} does not mention {words}"
    assert found.node == node and found.fix, text
    if code == "F002":  # a file that cannot be read has no line to name
        assert text.startswith(f"{path}: F002 ") and found.line is None
    else:
        assert text.startswith(f"{path}, line {found.line}")  # names the file and the line


@pytest.mark.parametrize(("name", "code", "node", "words"), WARNED, ids=[r[0] for r in WARNED])
def test_each_warning_is_given_once_and_does_not_fail(name, code, node, words):
    path = FIXTURES / "warned" / f"{name}.yaml"
    report = check(path)
    assert report.ok, "\n".join(str(p) for p in report.errors)
    assert len(report.warnings) == 1, "\n".join(str(p) for p in report.warnings)
    (found,) = report.warnings
    assert (found.code, found.node) == (code, node), str(found)
    assert all(w in str(found) for w in words), f"{found} does not mention {words}"


def test_every_registered_rule_is_shown_by_a_fixture_or_a_named_test():
    shown = {r[1] for r in RULES} | {r[1] for r in WARNED}
    for code, test in SHOWN_ELSEWHERE.items():
        if "::" in test:  # a test in another file: "file::name"
            file, name = test.split("::")
            assert f"\ndef {name}(" in (TESTS / file).read_text(), f"{code}: no test {test}"
        else:
            assert callable(globals().get(test)), f"{code}: no test named {test}"
    missing = set(RULE_BOOK) - shown - set(SHOWN_ELSEWHERE)
    assert not missing, f"rules no fixture shows: {sorted(missing)}"
    assert sorted(p.stem for p in (FIXTURES / "warned").glob("*.yaml")) == sorted(
        r[0] for r in WARNED
    )


def test_every_rule_has_a_fixture_and_every_fixture_a_rule():
    assert sorted(p.stem for p in INVALID.glob("*.yaml")) == sorted(r[0] for r in RULES)


def test_the_valid_fixture_passes_cleanly():
    report = check(FIXTURES / "valid.yaml")
    assert report.errors == [] and report.warnings == []


def test_checking_leaves_the_collector_on_and_nothing_frozen():
    # The script's objects join the oldest generation by a freeze and a thaw (ivr/lint).
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert check(FIXTURES / "valid.yaml").ok
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_checking_never_thaws_what_was_frozen_before():
    # As gunicorn's master freezes what it loaded before forking (ivr/web/serving.py).
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert check(FIXTURES / "valid.yaml").ok
        # A frozen object freed meanwhile leaves the count; a thaw would leave none there.
        assert gc.isenabled() and gc.get_freeze_count() > frozen // 2
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_every_shipped_script_validates_without_warnings(path):
    report = check(path)
    assert [str(p) for p in report.problems if p.severity in (ERROR, WARNING)] == []


def test_info_lines_count_sms_segments_and_time_each_spoken_menu():
    report = check(FIXTURES / "valid.yaml")
    counted = {(p.code, p.message) for p in report.info}
    assert ("M003", "SMS: the opening is 2 segments.") in counted
    assert ("M003", "SMS: node 'young' is 1 segment.") in counted
    assert (
        "T105",
        "Voice: node 'main' (12 s): 1 (clicked) at 2 s; 2 (young) at 4 s; "
        "3 (steps) at 6 s; 9 (danger) at 10 s; * (to hear this again) at 12 s.",
    ) in counted
    # When each key is heard: the opening first, then every node, step by step.
    voice = [p.message for p in report.info if p.message.startswith("Voice: ")]
    assert voice[0].startswith("Voice: the opening (25 s): 9 (danger) at 9 s; 1 (clicked) at")
    assert any(line.startswith("Voice: node 'steps', step 2") for line in voice)
    # One line for each spoken menu, none for the same menu said again after a re-prompt.
    assert not [line for line in voice if ", saying " in line]
    assert len(voice) == len(set(voice))


def test_a_missing_file_is_a_sentence_not_a_traceback(tmp_path):
    report = check(tmp_path / "nowhere.yaml")
    assert [str(p) for p in report.errors] == [
        f"{tmp_path / 'nowhere.yaml'}: F002 There is no such file. Fix: Check the path."
    ]


def _every_problem() -> list:
    paths = [*INVALID.glob("*.yaml"), *(FIXTURES / "warned").glob("*.yaml")]
    paths += [FIXTURES / "valid.yaml", FIXTURES / "handoffs.yaml"]
    paths += SCRIPTS
    return [p for path in paths for p in check(path).problems]


def test_every_problem_has_the_whole_shape():
    for found in _every_problem():
        assert found.code in RULE_BOOK, f"{found.code} is not in ivr/lint/rules.py: {found}"
        assert RULE_BOOK[found.code].severity == found.severity, str(found)
        unreadable = found.code == "F002"  # no line in a file that cannot be read
        assert unreadable or (isinstance(found.line, int) and found.line >= 1), str(found)
        assert found.message.endswith((".", '"', "?")) and found.fix.endswith("."), str(found)


def test_explain_says_what_each_rule_protects_and_how_to_satisfy_it():
    for code, rule in RULE_BOOK.items():
        text = explain(code.lower())
        assert text.startswith(f"{code} ({rule.family}, {rule.severity})")
        assert f"Protects: {rule.protects}" in text and f"To satisfy it: {rule.satisfy}" in text
    assert explain("Z999") is None


def test_the_fault_words_obey_the_rules_a_scripts_words_do():
    assert fault_words() == []


@pytest.mark.parametrize(
    ("voice", "sms", "codes"),
    [
        ("Sorry. Call 999.", "Sorry. Call 999 or 116 123.", ["S005"]),
        ("Call 999 or 116 123.", "Call 999 or 116 123 \u2013 sorry.", ["M001"]),
        ("Call 999 or 116 123.", "Call 999 or 116 123." + " Sorry." * 30, ["M002"]),
        ("Call 999 or 116 123." + " Sorry." * 80, "Call 999 or 116 123.", ["T001"]),
    ],
)
def test_broken_fault_words_are_caught(voice, sms, codes):
    found = fault_words(Text(voice, sms))
    assert [p.code for p in found] == codes
    assert all(p.path.endswith("fault.py") and p.line > 1 and p.fix for p in found)


@pytest.mark.parametrize(
    ("today", "warned"),
    [("2027-06-27", False), ("2027-06-29", True), ("2027-12-29", True)],
)
def test_validate_warns_without_failing_when_the_closed_dates_run_out(today, warned):
    # The fixture's dates end on 2027-12-28: the warning starts six months before.
    report = check(FIXTURES / "handoffs.yaml", today=date.fromisoformat(today))
    assert report.ok
    codes = [p.code for p in report.warnings]
    assert codes == (["H102"] if warned else [])
    if warned:
        assert "only until 2027-12-28" in str(report.warnings[0])
        assert "https://www.gov.uk/bank-holidays" in report.warnings[0].fix


def test_a_transfer_with_no_closed_dates_or_no_number_when_closed_is_warned(tmp_path):
    text = (FIXTURES / "handoffs.yaml").read_text()
    start = text.index("      closed_dates:")
    end = text.index("    connecting:")
    text = text[:start] + text[end:]
    text = text.replace("Call them then on 01632 960000.", "Call them then.")
    path = tmp_path / "no-dates.yaml"
    path.write_text(text)
    report = check(path)
    assert report.ok
    assert sorted(p.code for p in report.warnings) == ["H103", "H105"]


# The hand-off rules at their edges: one change to the tiny hand-offs script each.
_YOUNG_STEPS = '      - {key: "1", keyword: STEPS, label: for the steps, target: steps}\n  danger:'
_OFFER_LINE = '      - {key: "4", keyword: CONNECT, label: to be put through, transfer: line}\n'


@pytest.mark.parametrize(
    ("changes", "codes", "words"),
    [
        (  # a line for everyone may be offered to an under-18 caller asking for a person
            [
                ("adults_only: true", "adults_only: false"),
                ("person_menu: main", "person_menu: young"),
                (_YOUNG_STEPS, _YOUNG_STEPS.replace("  danger:", _OFFER_LINE + "  danger:")),
            ],
            [],
            "",
        ),
        (  # each missing route is its own problem: here 999
            [("completed: Goodbye. If you are in danger, call 999.", "completed: Goodbye.")],
            ["S173"],
            "do not mention 999",
        ),
        (  # two options of one step with the same key: the second is reported
            [
                (
                    '          - {key: "2", keyword: CONNECT, label: to be put through to the',
                    '          - {key: "3", keyword: MENU2, label: for the menu, target: main}\n'
                    '          - {key: "3", keyword: CONNECT, label: to be put through to the',
                )
            ],
            ["H109"],
            "Step 2 offers key 3, which is already taken there",
        ),
        (  # a steps node cannot carry the warning a menu's text gives (and the four
            # options that go to it go straight to sending)
            [
                (
                    '          - {key: "2", keyword: CONNECT, label: to be put through to the',
                    '          - {key: "3", keyword: SEND, label: to send it, action: send_text}\n'
                    '          - {key: "2", keyword: CONNECT, label: to be put through to the',
                )
            ],
            ["H108"] * 5,
            "node 'steps': H108 A send_text option belongs in a menu whose text warns",
        ),
        (  # a lock screen that shows 120 characters shows a word at 103 (S174 counts them)
            [
                (
                    'call 999."\n  then: main',
                    'call 999. Then, about the nude picture, report it."\n  then: main',
                ),
                ("text_me:\n", "discretion:\n  preview_characters: 120\ntext_me:\n"),
            ],
            ["S174"],
            "The first 120 characters of text_me's message (what a lock screen shows) say 'nude'",
        ),
    ],
)
def test_the_hand_off_rules_at_their_edges(tmp_path, changes, codes, words):
    text = (FIXTURES / "handoffs.yaml").read_text()
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "handoffs.yaml"
    path.write_text(text)
    errors = check(path).errors
    assert [p.code for p in errors] == codes, "\n".join(map(str, errors))
    assert not codes or words in str(errors[0])


def test_a_language_texted_in_ucs2_is_told_which_letters_need_it():
    report = check(FIXTURES / "languages" / "bilingual.yaml")
    (told,) = [p for p in report.info if p.code == "M004"]
    assert "In cy-GB (Cymraeg)" in told.message and "CIRCUMFLEX" in told.message
    assert "268 characters" in told.message and told.line == 10  # the language's entry


def test_a_draft_language_is_named_as_one():
    report = check(FIXTURES / "languages" / "bilingual.yaml")
    (told,) = [p for p in report.info if p.code == "X004"]
    assert "cy-GB (Cymraeg) is a draft" in told.message and "IVR_DRAFT_LANGUAGES" in told.message
    assert told.line == 10


@pytest.mark.parametrize(
    ("speech", "says"),
    [
        ("  speech_timeout: auto\n", "speech_timeout is 'auto' with a speech_model"),
        ("  enhanced: true\n", "Twilio limits enhanced to the phone_call model"),
        ("  speech_model: phone_call\n  language: ja-JP\n", None),  # listed: no T106
        ("  speech_model: phone_call\n  language: cy-GB\n", "does not list the language cy-GB"),
        ("  speech_model: whisper\n", "the speech_model 'whisper' is not one Twilio lists"),
        ("  speech_model: googlev2_telephony_short\n", None),  # a provider's own model
        ("", None),  # the defaults: experimental_utterances, 3 seconds
    ],
)
def test_speech_settings_twilio_will_not_honour_are_warned(tmp_path, speech, says):
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    if "language: ja-JP" in speech or "language: cy-GB" in speech:
        text = text.replace("  language: en-GB\n", "", 1)
    text = text.replace("  wait_seconds:", speech + "  wait_seconds:", 1)
    path = tmp_path / "speech.yaml"
    path.write_text(text, encoding="utf-8")
    report = check(path)
    assert report.ok, "\n".join(map(str, report.errors))
    found = [str(p) for p in report.warnings if p.code == "T106"]
    if says is None:
        assert found == []
    else:
        assert len(found) == 1 and says in found[0], found


@pytest.mark.parametrize(
    ("timeout", "ok"), [("3", True), ("auto", True), ("0", False), ("x", False)]
)
def test_a_speech_timeout_is_auto_or_whole_seconds(tmp_path, timeout, ok):
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    text = text.replace("  wait_seconds:", f"  speech_timeout: {timeout}\n  wait_seconds:", 1)
    path = tmp_path / "timeout.yaml"
    path.write_text(text, encoding="utf-8")
    report = check(path)
    assert report.ok is ok
    if not ok:
        assert "F010" in {p.code for p in report.errors}
