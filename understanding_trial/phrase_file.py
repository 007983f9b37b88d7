"""Reading a phrase file: one `ANSWER<TAB>PHRASE` a line, in classes.

    read(path) -> [Line]

The held-out file (tests/corpus/held-out/en-GB.txt) and the corpus share this shape.
A section starts with `# == class: NAME ==`; lines before the first section belong to the
class "unclassed". Other lines starting with `#`, and blank lines, are comments.

Answers are a script role (danger, under_18, clicked_link, steps, dont, can_wait,
support), a node id (about), `none` (not understood), `person` (asked for a human), or:

    not-danger             an ordinary message: right unless it reaches danger or under 18
    adult                  an adult's message: right unless taken for someone under 18
    negated-danger:ROLE    danger denied: the crisis numbers first, then ROLE's answer
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

NOT_DANGER = "not-danger"
ADULT = "adult"
NEGATED = "negated-danger"
UNCLASSED = "unclassed"
_CLASS = re.compile(r"^#\s*==\s*class:\s*(.+?)\s*==\s*$")


class PhraseFileError(ValueError):
    """A line that is not `ANSWER<TAB>PHRASE`; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Line:
    klass: str
    answer: str  # as written: "danger", "not-danger", "negated-danger:support", ...
    phrase: str
    number: int  # the line number in the file

    @property
    def kind(self) -> str:
        """The answer without its role: "negated-danger" for "negated-danger:support"."""
        return self.answer.partition(":")[0]

    @property
    def role(self) -> str:
        """What is asked: the role after "negated-danger:", else the answer itself."""
        kind, _, role = self.answer.partition(":")
        return role or kind


def read(path: Path) -> list[Line]:
    lines: list[Line] = []
    klass = UNCLASSED
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        section = _CLASS.match(text)
        if section:
            klass = section.group(1)
            continue
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        answer, tab, phrase = text.partition("\t")
        if not tab or not answer.strip() or not phrase.strip():
            raise PhraseFileError(
                f"{path}, line {number}: write the answer, a tab, then the phrase "
                "(for example 'danger<TAB>I want to die')."
            )
        lines.append(Line(klass, answer.strip(), phrase.strip(), number))
    return lines
