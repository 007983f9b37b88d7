"""`ivr import`'s work: a written guide turned into a script draft, its decisions marked.

    import_guide(guide_path, script_path) -> Imported(text, decisions)

The draft (ivr.guide.draft) says the guide in its own words and marks what the guide
does not decide. Then it is linted as it would be once those decisions are made (each
decision's stand-in in its place), and whatever the guide's own words still break
(a lock screen showing "image" in the start of a text, a first answer too long for four
texts) becomes one more decision, at the node it is about, with the linter's words: an
import never rewords the guide, and never leaves a draft that fails for a reason its
decisions do not name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ivr.errors import ERROR, ScriptError
from ivr.guide.draft import draft
from ivr.guide.written import read_guide
from ivr.guide.yaml_out import MARK, Decide, Texts, render
from ivr.lint import lint
from ivr.loader import parse_script

# Codes a decision already stands for: S103 (deaf texters) is the danger answer's own
# decision; G001 (a role missing) can only be the clicked-link or under-18 role, whose
# line under roles: is a decision already; the fidelity rules would only repeat the facts
# a decision is about.
_DECIDED = {"S103", "G001"}
_MEANING = re.compile(r"meaning '([^']+)'")


@dataclass(frozen=True)
class Imported:
    text: str  # the draft, as YAML
    decisions: int  # how many lines say DECIDE:


def import_guide(guide_path: str | Path, script_path: str | Path) -> Imported:
    """Raises GuideError (naming the line) when the guide is not in the shape."""
    guide_path, script_path = Path(guide_path), Path(script_path)
    written = read_guide(guide_path)
    source = Path(os.path.relpath(guide_path.resolve(), script_path.resolve().parent))
    document = draft(written, source.as_posix(), _script_id(script_path))
    for node, channel, question in _still_wrong(document, str(script_path)):
        _decide(document, node, channel, question)
    text = render(document)
    return Imported(_header(written, source) + text, text.count(MARK))


def _still_wrong(document: dict, path: str):
    """(node, channel, question) for each error the draft keeps once its decisions stand in."""
    try:
        script = parse_script(render(document, provisional=True), path)
    except ScriptError as exc:  # a draft that does not load is this module's bug
        raise AssertionError(f"The import made a draft that does not load:\n{exc}") from None
    told = set()
    for problem in lint(script):
        if problem.severity != ERROR or problem.code in _DECIDED:
            continue
        node = problem.node or _node_of(problem.message) or "main"
        channel = "voice" if problem.code.startswith("T") else "sms"
        question = (
            f"{problem.code}: {problem.message} {problem.fix} (The guide's words "
            "cannot be changed by an import; reword them here, then delete this line.)"
        )
        if (node, problem.code) not in told:
            told.add((node, problem.code))
            yield node, channel, question


def _node_of(message: str) -> str | None:
    found = _MEANING.search(message)
    return found.group(1) if found else None


def _decide(document: dict, node: str, channel: str, question: str) -> None:
    """A decision at the top of a node's text on a channel (a steps node's intro)."""
    body = document["nodes"].get(node) or document["nodes"]["main"]
    text = body.get("text")
    if not isinstance(text, Texts):
        text = body["text"] = Texts([], [])
    getattr(text, channel).insert(0, [Decide(question)])


def _script_id(path: Path) -> str:
    found = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-")
    return found if found and found[0].isalnum() else f"guide-{found}"


def _header(written, source: Path) -> str:
    notes = "".join(f"# {note}\n".replace("# \n", "#\n") for note in written.notes)
    return (
        (f"{notes}#\n" if notes else "") + f"# Drafted by `ivr import` from the guide {source}:\n"
        f'# "{written.title}".\n'
        "#\n"
        "# It says what the guide says, in the guide's own words, by phone and by text. Each\n"
        f"# line holding {MARK} is a decision the guide does not make (a key for a branch, a\n"
        "# phone number for a route named only by its website): `ivr validate` refuses this\n"
        "# script until every one is made. To make one, replace the line (or its value) with\n"
        '# your decision, or delete it where it says so (docs/script-format.md, "Decisions\n'
        '# an import leaves"). Then check the script with `ivr validate`.\n\n'
    )
