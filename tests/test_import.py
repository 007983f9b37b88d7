"""`ivr import`: a written guide in the guides' shape becomes a script draft whose every
decision is marked, which validates once they are made, and says what the shipped script
says; a file not in the shape is refused, naming its line.

Decisions are made here as an operator would make them, by editing the draft: each answer
below replaces the DECIDE: line or value whose question it names (None: delete it).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ivr import engine, lint
from ivr.cli import main
from ivr.errors import GuideError
from ivr.guide.importing import import_guide
from ivr.guide.written import parse_guide, read_guide
from ivr.script import SMS, VOICE

from support import FIXTURES, GUIDE, SEED

FIXTURE_GUIDE = FIXTURES / "guides" / "account-link.txt"
FIXTURE_SCRIPT = FIXTURES / "guides" / "account-link.yaml"


def make(draft: str, answers: dict[str, object]) -> str:
    """The draft with each decision made: the first answer whose words are in a decision's
    question replaces it (None deletes it). Every decision must be answered."""
    out = []
    for line in draft.splitlines():
        if "DECIDE:" not in line or line.lstrip().startswith("#"):
            out.append(line)
            continue
        answer = next((a for q, a in answers.items() if q in line), KeyError)
        assert answer is not KeyError, f"no answer for: {line.strip()}"
        indent = line[: len(line) - len(line.lstrip())]
        if line.strip().startswith("DECIDE:"):  # a line of a text: replaced by lines
            out += [] if answer is None else [indent + a for a in str(answer).splitlines()]
        elif line.strip().startswith('- "DECIDE:') and answer is not None:  # list items
            out += [f"{indent}- {a}" for a in str(answer).splitlines()]
        elif answer is None:  # a value or a list item that may be left out
            continue
        else:
            out.append(re.sub(r'"DECIDE:[^"]*"', str(answer).replace("\\", r"\\"), line))
    return "\n".join(out) + "\n"


def reworded(text: str, node_texts: dict[str, dict]) -> str:
    """The draft with some nodes' texts written anew (what a lock screen shows, what fits
    in a first answer): the operator's rewording, which an import never does itself."""
    data = yaml.safe_load(text)
    for node, fields in node_texts.items():
        data["nodes"][node].update(fields)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# -- the shape --------------------------------------------------------------------------


def test_the_seed_guide_is_read_in_its_shape():
    written = read_guide(SEED)
    assert written.title.startswith("What to do if you receive a link claiming")
    assert [s.number for s in written.steps] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.number for s in written.steps if s.is_case] == [3, 6]
    assert [len(s.points) for s in written.steps] == [0, 0, 0, 3, 3, 0, 0]
    assert (len(written.donts), len(written.can_wait), len(written.resources)) == (5, 3, 8)


NOT_GUIDES = [
    # (what is done to the seed guide, the line named, words of the message)
    (lambda t: t.replace("What to do if…\n", "What to do when…\n"), 1, "starts 'What to do when"),
    (lambda t: t.replace("Short answer\n", ""), 3, "Expected the heading 'Short answer'"),
    # a heading misspelt: the shape breaks where the next heading comes too soon
    (lambda t: t.replace("What can wait\n", "What can wait later\n"), 37,
     "Expected the heading 'What can wait' here"),
    (lambda t: t.replace("Scope note\n", "Important reassurance\n"), 39, "found 'Important"),
    (lambda t: t.replace("- Don’t pay", "Don’t pay"), 7, "every line is a point starting '- '"),
    (lambda t: t.replace("What to do now\n-\n", "What to do now\n"), 12, "before any"),
    (lambda t: t.replace("- https://stopncii.org/\n", "- stopncii\n"), 47, "a web address"),
    (lambda t: t.split("Important note")[0], 40, "ends before its section 'Important note'"),
    (lambda t: t.replace("These are first steps only—focused on immediate safety, limiting "
                         "spread, and getting you to the right specialist support. Later "
                         "decisions (legal options, longer-term digital safety, ongoing "
                         "harassment) may need tailored help.\n", ""), 39,
     "The section 'Scope note' is empty"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "line", "words"), NOT_GUIDES)
def test_a_file_not_in_the_shape_is_refused_naming_its_line(change, line, words):
    text = change(SEED.read_text(encoding="utf-8"))
    with pytest.raises(GuideError) as refused:
        parse_guide(text, "guide.txt")
    (problem,) = refused.value.problems
    assert problem.line == line, str(problem)
    assert words in problem.message and problem.fix, str(problem)
    assert str(problem).startswith(f"guide.txt, line {line}: W001 ")


def test_a_guide_saved_with_a_byte_order_mark_or_windows_line_ends_is_read_alike(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    marked = tmp_path / "marked.txt"
    marked.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert read_guide(marked).title == read_guide(SEED).title
    assert read_guide(marked).steps == read_guide(SEED).steps


def test_the_command_refuses_a_file_not_in_the_shape_and_writes_nothing(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("Dear team,\nplease turn this into a script.\n")
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["import", str(bad), "--output", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert f"{bad}, line 1: W001 A guide starts with the line 'What to do if...'" in result.output


# -- the draft --------------------------------------------------------------------------


@pytest.fixture
def seed_draft(tmp_path):
    shutil.copy(SEED, tmp_path / "guide.txt")
    out = tmp_path / "scripts" / "draft.yaml"
    out.parent.mkdir()
    result = CliRunner().invoke(main, ["import", str(tmp_path / "guide.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "a draft with 20 decisions to make" in result.output
    return out


def test_validate_refuses_a_draft_naming_each_decision_and_its_line(seed_draft):
    text = seed_draft.read_text()
    report = lint.check(seed_draft)
    assert {p.code for p in report.errors} == {"F014"}
    lines = [n for n, line in enumerate(text.splitlines(), 1)
             if "DECIDE:" in line and not line.lstrip().startswith("#")]  # fmt: skip
    assert [p.line for p in report.errors] == lines and len(lines) == 20
    assert "a key for the branch 'if you already clicked the link'" in str(report.errors[3])
    assert '  source: "../guide.txt"\n' in text  # relative to the draft, as the format says


def test_by_default_the_draft_goes_to_drafts_out_of_the_served_scripts(tmp_path, monkeypatch):
    # scripts/*.yaml is what the app serves unless told otherwise, and it refuses to start
    # with a draft among them: the default is a folder beside it, so `source:` holds.
    (tmp_path / "guides").mkdir()
    shutil.copy(FIXTURE_GUIDE, tmp_path / "guides" / "account-link.txt")
    monkeypatch.chdir(tmp_path)  # where an operator runs it: the repository's root
    result = CliRunner().invoke(main, ["import", "guides/account-link.txt"])
    assert result.exit_code == 0, result.output
    assert "Wrote drafts/account-link.yaml" in result.output
    text = (tmp_path / "drafts" / "account-link.yaml").read_text()
    assert '  source: "../guides/account-link.txt"\n' in text
    assert "W001" not in text  # its guide was found, though drafts/ was made only to write it
    assert not (tmp_path / "scripts").exists()


def test_the_command_will_not_write_over_a_script(seed_draft):
    result = CliRunner().invoke(main, ["import", str(SEED), "-o", str(seed_draft)])
    assert result.exit_code == 1 and "is there already" in result.output


def test_a_guide_without_an_under_18_step_leaves_each_way_there_a_decision(tmp_path):
    # No "If you are under 18" step: the draft must not send "if you are under 18" to
    # the main menu (a wrong branch); the role and each option to it are decisions, each
    # asked once.
    tiny = (FIXTURES / "guides" / "tiny.txt").read_text(encoding="utf-8")
    guide = tmp_path / "no-young.txt"
    guide.write_text(tiny.replace("-\nIf you are under 18:\nTell a trusted adult.\n", ""))
    out = tmp_path / "no-young.yaml"
    text = import_guide(guide, out).text
    out.write_text(text)
    young = [line for line in text.splitlines() if "keyword: YOUNG" in line]
    assert young and all("target: \"DECIDE: which node answers 'if you are under 18'" in line
                         for line in young), young  # fmt: skip
    assert 'under_18: "DECIDE:' in text and "G001" not in text
    errors = lint.check(out).errors
    assert {p.code for p in errors} == {"F014"}
    assert len(errors) == text.count("DECIDE:") - text.count("# line holding DECIDE:")


SHIPPED = yaml.safe_load(GUIDE.read_text(encoding="utf-8"))


def _sms(node: str):
    return SHIPPED["nodes"][node]["text"]["sms"]


# The operator's decisions for the seed guide: the shipped script's own, with numbers and
# hours from the checked routes (/work/shared/UK-ROUTES.md, the shipped `sources:`).
SEED_ANSWERS = {
    "how a guide choice names this guide": "{voice: if you got a link claiming to be a photo "
    "of you, sms: a link claiming to be a photo of you}",
    "one word a texter sends": "PHOTO",
    "words a first text holds": None,
    "the branch 'if you already clicked the link'": '"1"',
    "the branch 'if you are under 18'": '"2"',
    "the same routes in Scotland": "In Scotland, call 111 for NHS 24. In Wales, call 111 and "
    "press 2. In Northern Ireland, call Lifeline on 0808 808 8000.",
    "rather text than talk": "If you would rather text, text the word SHOUT to 85258, free, at "
    "any time.",
    "deaf or speech-impaired texter": "Deaf or speech-impaired? Text 999 once you have "
    'registered with emergencySMS (register first by texting "register" to 999), or call 18000 '
    "with Relay UK. This text line cannot reach emergency services.",
    "phone number for Report Fraud": "In England, Wales or Northern Ireland you can also call "
    "Report Fraud, which used to be Action Fraud, on 0300 123 2040.",
    "phone number for Revenge Porn Helpline": "You can call them on 0345 6000 459, Monday to "
    "Friday, 10am to 4pm, except bank holidays. Their help is free; the call costs a normal "
    "call rate.",
    "phone number for StopNCII.org": None,
    "phone number for CEOP Safety Centre": "There is no phone line; an adviser follows up "
    "your report.",
    "phone number for Childline": "To talk to someone, you can call Childline free on 0800 "
    "1111. The call won't show on your phone bill.",
    "D101": None,  # reworded below
    "M002": None,
}
SEED_REWORDED = {
    "if-you-are-under-18": {"text": {"voice": None, "sms": _sms("under-18")}},
    "dont": {"text": {"voice": None, "sms": _sms("dont")}},
    "support": {"text": {"voice": None, "sms": _sms("support")}},
    "steps": {"steps": None},
}


def _seed_made(seed_draft: Path) -> Path:
    made = make(seed_draft.read_text(), SEED_ANSWERS)
    data = yaml.safe_load(made)
    nodes = data["nodes"]
    for node, fields in SEED_REWORDED.items():
        if "text" in fields:
            voice = _voice(nodes[node]["text"])
            nodes[node]["text"] = {"voice": voice, "sms": fields["text"]["sms"]}
    shipped_steps = SHIPPED["nodes"]["steps"]["steps"]
    nodes["steps"]["steps"] = [
        {"voice": _voice(mine), "sms": _texted(theirs)}
        for mine, theirs in zip(nodes["steps"]["steps"], shipped_steps, strict=True)
    ]
    data["sources"] = SHIPPED["sources"]
    out = seed_draft.with_name("made.yaml")
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return out


def _voice(text) -> str:
    return text if isinstance(text, str) else text["voice"]


def _texted(text) -> str:
    return text if isinstance(text, str) else text.get("sms", text.get("text"))


def test_with_its_decisions_made_the_seed_draft_validates(seed_draft):
    report = lint.check(_seed_made(seed_draft))
    assert report.ok, "\n".join(map(str, report.errors))
    assert {p.code for p in report.warnings} <= {"L004"}  # addresses the voice spells out


def _numbers(script, channel: str) -> set[str]:
    said = " ".join(p for _, r in engine.every_reply(script, channel) for p in r.paragraphs)
    if channel == SMS:
        return set(re.findall(r"(?<![\w/])\d{3,5}(?: \d{3,4})*(?![\w/])", said))
    digit = "(?:zero|one|two|three|four|five|six|seven|eight|nine)"
    return set(re.findall(rf"(?:{digit},? ){{2,}}{digit}", said))


def test_the_made_draft_says_every_fact_of_the_shipped_script(seed_draft, guide):
    made = lint.check(_seed_made(seed_draft)).script
    for channel in (VOICE, SMS):
        assert _numbers(guide, channel) <= _numbers(made, channel), channel
    texted = " ".join(p for _, r in engine.every_reply(made, SMS) for p in r.paragraphs)
    assert all(link in texted for link in guide.links)
    # and every fact of the guide, on both channels: the fidelity check passes
    assert not [p for p in lint.check(seed_draft.with_name("made.yaml")).problems
                if p.code.startswith("W")]  # fmt: skip


# -- the test fixture's guide -----------------------------------------------------------

FIXTURE_ANSWERS = {
    "how a guide choice names this guide": "if a message says your account will be locked",
    "one word a texter sends": "ACCOUNT",
    "words a first text holds": "account\nlocked\nsign in\npassword",
    "the branch 'if you already followed the link'": '"1"',
    "the branch 'if you are under 18'": '"2"',
    "rather text than talk": None,
    "deaf or speech-impaired texter": "Deaf or speech-impaired? Text 999 once you have "
    "registered with emergencySMS, or call 18000 with Relay UK. This text line cannot reach "
    "emergency services.",
}


def test_the_fixture_script_is_its_guide_imported_with_its_decisions_made(tmp_path):
    out = tmp_path / "account-link.yaml"
    shutil.copy(FIXTURE_GUIDE, tmp_path / "account-link.txt")
    imported = import_guide(tmp_path / "account-link.txt", out)
    made = make(imported.text, FIXTURE_ANSWERS)
    assert made == FIXTURE_SCRIPT.read_text(encoding="utf-8")
