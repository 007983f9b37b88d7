"""The guides of a library, checked as one line (ivr.lint.library, the O rules): each rule
shown by guides written to files that break it, as an operator would write them, checked
by `ivr validate --library` and refused by the app at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr import lint
from ivr.cli import main
from ivr.errors import ConfigError
from ivr.library import Library, checked
from ivr.lint.library import check_library
from ivr.web import create_app

from support import FIXTURES, GUIDE, production_env

ACCOUNT = FIXTURES / "guides" / "account-link.yaml"


def variant(tmp_path: Path, name: str, changes: dict[str, str], base: Path = ACCOUNT) -> Path:
    """A copy of a guide's script with some lines rewritten, beside copies of the test
    fixtures' written guides (its source among them)."""
    text = base.read_text()
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    for written in (FIXTURES / "guides").glob("*.txt"):  # the guides, beside the scripts
        (tmp_path / written.name).write_text(written.read_text())
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    report = lint.check(path)
    assert report.ok, "\n".join(map(str, report.errors))
    CHECKED[path] = report
    return path


# Each variant's check, made by `variant` and taken by the `problems` that follows (its
# path is the test's own), and the files shipped for tests checked once through the
# library's remembered check, as the app does: a check builds the understanding for each
# channel and language, about half a second each.
CHECKED: dict[Path, lint.Report] = {}


def problems(*paths: Path):
    return check_library(Library([(CHECKED.pop(p, None) or checked(p)).script for p in paths]))


def only(found, code):
    assert [p.code for p in found] == [code], "\n".join(map(str, found))
    return str(found[0])


def renamed(n: int) -> dict[str, str]:
    """A copy of the account guide under another id and keyword, with words of its own."""
    return {
        "id: account-link": f"id: account-{n}",
        "keyword: ACCOUNT": f"keyword: ACCOUNT{n}",
        "    - account\n    - locked\n    - sign in\n    - password\n": f"    - number {n}\n",
    }


def test_the_two_guides_shipped_for_tests_pass_together():
    assert problems(GUIDE, ACCOUNT) == []


def test_a_script_without_a_label_is_warned_about_not_refused():
    text = only(problems(GUIDE, ACCOUNT, FIXTURES / "valid.yaml"), "O001")
    assert "reached only by a webhook URL with ?script=tiny" in text and "warning" not in text
    assert problems(GUIDE, ACCOUNT, FIXTURES / "valid.yaml")[0].severity == "warning"


def test_one_danger_key_for_every_guide(tmp_path):
    other = variant(
        tmp_path,
        "eight",
        {'  - key: "9"\n    keyword: DANGER': '  - key: "8"\n    keyword: DANGER'},
    )
    text = only(problems(GUIDE, other), "O002")
    assert "The danger key here is 8, but 9 in link-claiming-intimate-photo" in text


def test_the_guide_choice_keys_leave_the_danger_key_free(tmp_path):
    copies = [variant(tmp_path, f"a{n}", renamed(n)) for n in range(2, 10)]
    text = only(problems(GUIDE, *copies), "O003")
    assert "would take the key 9, which is a global key" in text and "a9.yaml" in text


def test_a_guides_words_are_its_own(tmp_path):
    other = variant(tmp_path, "photo", {"    - sign in\n": "    - photo of me\n"})
    text = only(problems(GUIDE, other), "O004")
    assert "'photo of me' is also one of the guide link-claiming-intimate-photo" in text
    reserved = variant(tmp_path, "guides", {"keyword: ACCOUNT": "keyword: GUIDES"})
    assert "the line's own words" in only(problems(GUIDE, reserved), "O004")


def test_the_danger_key_is_heard_early_on_every_path(tmp_path):
    """The tiny script says no danger_first sentence: alone, its short menu says the danger
    key in time; after a guide choice it would come too late."""
    tiny = variant(
        tmp_path,
        "tiny",
        {"title: A tiny script for tests\n": "title: A tiny script for tests\nguide: {source: "
         "tiny.txt, label: a message about a test line, keyword: TINY, left_out: [{item: "
         "Don't pay anyone., reason: not said}, {item: You do not need to do it all today., "
         "reason: not said}]}\n",
         '  danger_first: {voice: "{label}, press {key}, at any time.", sms: ""}\n': "",
         'voice: "If you are in danger, hang up and call 999."': 'voice: "Danger? Call 999."',
         "welcome: Welcome to the test line.": "welcome: Test line."},
        base=FIXTURES / "valid.yaml",
    )  # fmt: skip
    text = only(problems(tiny, GUIDE, ACCOUNT), "O101")
    assert "hears the danger key about 23 s into the call; it must be within 15 s" in text


def test_each_menu_of_the_opening_stays_short(tmp_path):
    said = "if a message says your account will be locked unless you follow its link"
    copies = [
        variant(tmp_path, f"a{n}", {**renamed(n), "label: if a message says your account "
                                    "will be locked": f"label: {{voice: {said} number {n}, "
                                    f"sms: account {n}}}"})
        for n in (2, 3, 4)
    ]  # fmt: skip
    text = only(problems(GUIDE, *copies), "O102")
    assert "the opening lasts about 4" in text and "within 45 s of where it starts" in text


def test_a_main_menu_with_its_way_back_stays_within_six_keys(tmp_path):
    busy = variant(tmp_path, "busy", {
        "      - {key: \"3\", keyword: OTHER,": "      - {key: \"4\", keyword: YOUNGER, label: "
        "if you are under 13, target: if-you-are-under-18, channels: [voice]}\n"
        "      - {key: \"3\", keyword: OTHER,",
    })  # fmt: skip
    text = only(problems(GUIDE, busy), "O103")
    assert "guide 'account-link', once chosen announces 7 keys (1, 2, 4, 3, 9, *, 0)" in text


def test_the_opening_texts_are_short_and_discreet(tmp_path):
    telling = variant(tmp_path, "telling", {
        "label: if a message says your account will be locked": "label: nude",
    })  # fmt: skip
    found = problems(telling, GUIDE)
    assert {p.code for p in found} == {"O104"}, "\n".join(map(str, found))
    assert "says 'nude'" in str(found[0])


def test_validate_checks_a_folder_of_guides_together_as_the_app_serves_it(tmp_path):
    # IVR_SCRIPTS serves scripts/*.yaml by default: a folder that offers several guides
    # is checked as one line without --library, so `ivr validate` (the README's "after
    # any change") does not pass guides the app would then refuse to start with.
    folder = tmp_path / "scripts"
    folder.mkdir()
    variant(
        folder, "eight", {'  - key: "9"\n    keyword: DANGER': '  - key: "8"\n    keyword: DANGER'}
    )
    variant(folder, "account", renamed(2))
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1, result.output
    assert "O002" in result.output
    assert "the library (2 guides offered on one number): FAILED" in result.output
    one = tmp_path / "one"
    one.mkdir()
    variant(one, "account", {})
    alone = CliRunner().invoke(main, ["validate", str(one)])
    assert alone.exit_code == 0 and "the library" not in alone.output, alone.output


def test_the_app_refuses_guides_that_cannot_be_offered_together(tmp_path):
    other = variant(
        tmp_path,
        "eight",
        {'  - key: "9"\n    keyword: DANGER': '  - key: "8"\n    keyword: DANGER'},
    )
    with pytest.raises(ConfigError) as refused:
        create_app(production_env(IVR_SCRIPTS=f"{GUIDE},{other}"))
    message = str(refused.value)
    assert "cannot be offered together on one number" in message and "O002" in message
    assert f"ivr validate --library {GUIDE} {other}" in message
