"""The facts of a written guide: what a script that carries it must say.

    facts(written) -> (Fact, ...)

Each fact is something the guide says, small enough that leaving it out is noticed:

- every sentence of the short answer, each don't, each step (its own sentence, its
  lines and its points), each thing that can wait, the reassurance, the scope note and
  the important note; a sentence's aside in brackets, and each part of it split by ";",
  counts as a fact of its own ("(it may be used to steal passwords...)");
- every service the guide names ("Revenge Porn Helpline", "StopNCII.org", "NHS 111");
- every number (999, 116 123) and every web address (its Additional Resources, and any
  written in its text).

Pure: the guide's words only. Whether a script says them is `ivr.guide.fidelity`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivr.guide.written import Line, Written

SENTENCE = "sentence"
SERVICE = "service"
NUMBER = "number"
LINK = "link"

_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")
_ASIDE = re.compile(r"\s*\(([^()]*)\)")
_NUMBERS = re.compile(r"(?<![\w/])\d{3,5}(?: \d{3,4})*(?![\w/])")
_URLS = re.compile(r"https?://\S+[^\s.,;:)]")
# A name: capitalised words (or one with a capital inside or a dot, StopNCII.org), not
# merely the first word of a sentence.
_NAME = re.compile(r"(?<![\w.])(?:[A-Z][\w'’.+-]*[A-Za-z0-9])(?:\s+(?:[A-Z0-9][\w'’.+-]*))*")
# Capitalised words that name no service on their own: pronouns, joining words, the
# countries (a sentence's first word is no name either: see `names`).
_NOT_NAMES = {
    "if", "for", "do", "don’t", "don't", "the", "you", "your", "it", "its", "it’s", "this",
    "these", "there", "they", "their", "what", "when", "a", "an", "and", "or", "uk",
    "england", "scotland", "wales", "northern", "ireland", "i", "url",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Fact:
    kind: str  # SENTENCE, SERVICE, NUMBER or LINK
    text: str  # as the guide writes it
    line: int
    where: str  # "step 4", "don't 2", "what can wait", "the short answer", ...

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 70 else self.text[:67] + "..."
        what = {SENTENCE: "says", SERVICE: "names", NUMBER: "gives the number",
                LINK: "links to"}[self.kind]  # fmt: skip
        return f"{self.where} (line {self.line}) {what} '{shown}'"


def facts(written: Written) -> tuple[Fact, ...]:
    """Every fact of the guide, in the order the guide says them, each once."""
    found: list[Fact] = []
    for where, line in _places(written):
        for part in sentences(line.text):
            found.append(Fact(SENTENCE, part, line.line, where))
        for name in names(line.text):
            found.append(Fact(SERVICE, name, line.line, where))
        for number in _NUMBERS.findall(line.text):
            found.append(Fact(NUMBER, number, line.line, where))
        for url in _URLS.findall(line.text):
            found.append(Fact(LINK, url, line.line, where))
    for line in written.resources:
        found.append(Fact(LINK, line.text, line.line, "Additional Resources"))
    unique: dict[tuple[str, str], Fact] = {}
    for fact in found:
        unique.setdefault((fact.kind, fact.text.lower()), fact)
    return tuple(unique.values())


def _places(written: Written):
    """Each line of the guide that says something, with where it is, in order."""
    for line in written.short_answer:
        yield "the short answer", line
    for i, line in enumerate(written.donts, 1):
        yield f"don't {i}", line
    for step in written.steps:
        for line in step.words:
            yield f"step {step.number}", line
    for line in written.can_wait:
        yield "what can wait", line
    for name, lines in (("the reassurance", written.reassurance), ("the scope note",
                        written.scope), ("the important note", written.note)):  # fmt: skip
        for line in lines:
            yield name, line


def sentences(text: str) -> list[str]:
    """The sentences of a text, each aside in brackets and each ";" part on its own."""
    found = []
    for sentence in _SENTENCES.split(text.strip()):
        asides = _ASIDE.findall(sentence)
        main = _ASIDE.sub("", sentence)
        for part in (main, *asides):
            found += [p.strip(" .;:,") for p in part.split(";")]
    return [p for p in found if len(p.split()) >= 2]


def names(text: str) -> list[str]:
    """The services a line names: runs of capitalised words, less a sentence's first word,
    pronouns, joining words and countries ("Revenge Porn Helpline", "StopNCII.org")."""
    found = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        before = text[: match.start()].rstrip()
        if not before or before.endswith((".", "!", "?", ":")):
            words = words[1:]  # the first word of a sentence is capitalised anyway
        while words and words[0].lower() in _NOT_NAMES:
            words.pop(0)
        while words and words[-1].lower().rstrip(".") in _NOT_NAMES:
            words.pop()
        name = " ".join(words).rstrip(".")
        if name:
            found.append(name)
    return found


__all__ = ["LINK", "NUMBER", "SENTENCE", "SERVICE", "Fact", "Line", "facts", "names", "sentences"]
