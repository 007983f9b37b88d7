"""Judging each reply against the phrase file's answer, and adding up the rates.

    judge(script, line, seen)       -> Verdict
    Tally.add(line, context, verdict); Tally.rows() -> [Row]

Every (phrase, context) pair counts once. Per class:

- right: the reply is what the answer asks (see `judge`);
- crisis recall: of the pairs whose answer is `danger`, the share that reached danger;
- taken for danger: of the pairs whose answer is neither `danger` nor
  `negated-danger:...`, the share that reached danger: a false alarm (the summary also
  gives it for the `not-danger` answers alone, the everyday messages);
- taken for a child: of the `adult` pairs, the share answered as someone under 18.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ivr.script import Script
from ivr.spoken import speak
from understanding_trial.conversations import CHANNEL, CONTEXTS, SPOKEN_AT_MENU, Seen
from understanding_trial.phrase_file import ADULT, NEGATED, NOT_DANGER, Line

DANGER = "danger"
CRISIS_NUMBERS = ("999", "116 123")  # 999 and Samaritans
# By phone the reassurance comes with what can wait (the phone's shorter menus), so a
# phrase that reaches the reassurance node by text reaches what can wait by phone.
ON_THE_PHONE = {"about": "can_wait"}


@dataclass(frozen=True, slots=True)
class Verdict:
    right: bool
    danger: bool  # the reply was the danger answer
    child: bool  # the reply was for someone under 18 (the node, or Childline beside danger)


def judge(script: Script, line: Line, seen: Seen, context: str) -> Verdict:
    roles = script.roles
    danger = seen.place == roles["danger"]
    child_line = " ".join(script.phrase("child_in_danger", CHANNEL[context]).split())
    child = seen.place == roles.get("under_18") or (bool(child_line) and child_line in seen.text)
    if line.kind == DANGER:
        right = danger
    elif line.kind == NOT_DANGER:
        right = not danger and not child
    elif line.kind == ADULT:
        right = not child
    elif line.kind == NEGATED:
        right = not danger and _at(script, line.role, context, seen.place)
        right = right and _crisis_first(script, seen, context)
    else:
        right = _at(script, line.answer, context, seen.place)
    return Verdict(right, danger, child)


def _place(script: Script, answer: str, context: str) -> str:
    """The place a reply should leave someone, for an answer of the phrase file."""
    if CHANNEL[context] == "voice":
        answer = ON_THE_PHONE.get(answer, answer)
    if answer in ("none", "person", "main"):
        return answer
    return script.roles.get(answer, answer)


def _at(script: Script, answer: str, context: str, place: str) -> bool:
    """Whether a reply that left someone at `place` is the answer wanted. Not understood
    ("none") is the sorry sentence mid-conversation, and the welcome for a first text."""
    wanted = _place(script, answer, context)
    return place == wanted or (wanted == "none" and place == "main")


def _crisis_first(script: Script, seen: Seen, context: str) -> bool:
    """999 and Samaritans given before the answer to what was asked."""
    before = seen.text[: seen.at]
    voice = CHANNEL[context] == "voice"
    numbers = [speak(n, script.pronounce) if voice else n for n in CRISIS_NUMBERS]
    return all(n in before for n in numbers)


@dataclass
class Counts:
    pairs: int = 0
    right: int = 0
    crisis: int = 0  # pairs whose answer is danger
    recalled: int = 0
    ordinary: int = 0  # pairs whose answer is neither danger nor negated danger
    alarms: int = 0  # ordinary pairs answered as danger
    adults: int = 0
    childish: int = 0  # adult pairs answered as a child
    everyday: int = 0  # pairs whose answer is not-danger: the ordinary messages
    everyday_alarms: int = 0

    def add(self, line: Line, verdict: Verdict) -> None:
        self.pairs += 1
        self.right += verdict.right
        if line.kind == DANGER:
            self.crisis += 1
            self.recalled += verdict.danger
        elif line.kind != NEGATED:
            self.ordinary += 1
            self.alarms += verdict.danger
        if line.kind == ADULT:
            self.adults += 1
            self.childish += verdict.child
        if line.kind == NOT_DANGER:
            self.everyday += 1
            self.everyday_alarms += verdict.danger


@dataclass
class Tally:
    by_class: dict[str, Counts] = field(default_factory=dict)
    by_context: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CONTEXTS})
    total: Counts = field(default_factory=Counts)
    misses: list[tuple[Line, str, str]] = field(default_factory=list)  # line, context, place

    def add(self, line: Line, context: str, verdict: Verdict, seen: Seen) -> None:
        for counts in (self.by_class.setdefault(line.klass, Counts()), self.by_context[context]):
            counts.add(line, verdict)
        self.total.add(line, verdict)
        if not verdict.right:
            self.misses.append((line, context, seen.place))


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def table(tally: Tally) -> list[str]:
    """The per-class table, in Markdown, with the whole file last."""
    out = [
        "| class | phrases | right | crisis recall | taken for danger | taken for a child |",
        "|---|---|---|---|---|---|",
    ]
    rows = [*tally.by_class.items(), ("all", tally.total)]
    for name, c in rows:
        phrases = c.pairs // len(CONTEXTS)
        out.append(
            f"| {name} | {phrases} | {percent(c.right, c.pairs)} "
            f"| {_rate(c.recalled, c.crisis)} | {_rate(c.alarms, c.ordinary)} "
            f"| {_rate(c.childish, c.adults)} |"
        )
    return out


def contexts_table(tally: Tally) -> list[str]:
    out = ["| context | right | crisis recall | taken for danger |", "|---|---|---|---|"]
    for name, c in tally.by_context.items():
        out.append(
            f"| {name} | {percent(c.right, c.pairs)} | {_rate(c.recalled, c.crisis)} "
            f"| {_rate(c.alarms, c.ordinary)} |"
        )
    return out


def _rate(part: int, whole: int) -> str:
    return f"{percent(part, whole)} ({part}/{whole})" if whole else "-"


__all__ = ["SPOKEN_AT_MENU", "Counts", "Tally", "Verdict", "judge", "table"]
