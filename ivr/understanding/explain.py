"""Why a message means what it means, in lines an operator can read (`ivr understand`).

    explain(understanding, text, here) -> [str]

Each step of `findings` says what it found: disguised spellings undone, typos fixed,
idioms that hid a danger word, a medicine or means named in everyday use, violence
said as a joke, each danger phrase or pattern (and any clear denial of
it), each topic phrase (and any negation that cancelled it), the age rule; then the
meaning the line acts on. Nothing here reads differently from `Understanding.read`: it
prints the same findings that decide the reading.
"""

from __future__ import annotations

from ivr.understanding.findings import OPINION, WEAK, Findings
from ivr.understanding.meaning import Reading, Understanding


def explain(understanding: Understanding, text: str, here: str | None) -> list[str]:
    found = understanding.findings(text, here)
    reading = understanding.read(text, here)
    lines = [f"Words read: {found.tokens.text or '(none)'}"]
    lines += [f"  {c.rule}: {c.written!r} read as {c.read!r}" for c in found.changes if c.read]
    lines += [f"  {c.rule}: {c.written!r} left out" for c in found.changes if not c.read]
    lines += [f"  typo: {written!r} read as {read!r}" for written, read in found.fixes]
    lines += _idioms(found)
    lines += [
        f"Medicine named with no sign of harm, so not danger: {m!r} (medicine_signs, "
        "medicine_verbs)"
        for m in found.unsigned
    ]
    lines += [
        f"Named beside an everyday use, so not danger: {m!r} (everyday_uses, means_signs)"
        for m in found.in_use
    ]
    if found.joke:
        lines.append(f"Said as a joke beside {found.joke!r}, so not danger (jokes, laughs)")
    lines += _danger(found)
    lines += _second_opinion(understanding, found)
    lines += _topics(found)
    if found.child:
        lines.append(f"Under 18: {found.child}")
    lines.append(_meaning(reading))
    return lines


def _words(found: Findings, start: int, end: int) -> str:
    return " ".join(found.tokens.words[start:end])


def _idioms(found: Findings) -> list[str]:
    return [
        f"Idiom, so not danger: {_words(found, start, end)!r} (idioms: {idiom!r})"
        for start, end, idiom in found.idioms
    ]


def _danger(found: Findings) -> list[str]:
    lines = []
    for hit in found.danger:
        said = f"{hit.kind} {hit.what!r}"
        if hit.kind == OPINION:
            opinion = found.opinion
            lines.append(
                f"Danger: second opinion (statistical reader, rules found none): score "
                f"{opinion.score:.2f}, threshold {opinion.threshold:.2f}"
            )
            continue
        if hit.kind != "phrase":
            said += f" on {_words(found, hit.start, hit.end)!r}"
        if hit.denied:
            lines.append(f"Danger, clearly denied by {hit.denied!r}: {said}")
        else:
            lines.append(f"Danger: {said}")
    return lines


def _second_opinion(understanding: Understanding, found: Findings) -> list[str]:
    """The statistical reader's score where it was asked (the rules found no danger), with
    the n-grams that weighed most towards danger."""
    reader = understanding.second_opinion
    if reader is None or any(h.kind not in (WEAK, OPINION) for h in found.danger):
        return []
    opinion = reader.weigh(found.tokens.words)
    weighed = ", ".join(f"{name} {weight:+.2f}" for name, weight in opinion.weighed)
    said = f"score {opinion.score:.2f}, threshold {opinion.threshold:.2f}"
    if opinion.danger:
        return [f"  weighed most: {weighed or '(nothing above zero)'}"]
    return [f"Second opinion (statistical reader): not danger, {said}; weighed most: "
            f"{weighed or '(nothing above zero)'}"]  # fmt: skip


def _topics(found: Findings) -> list[str]:
    lines = []
    for topic in found.topics:
        where = ", ".join(_target(m) for m in topic.meanings) or "nothing at this node"
        kind = "Topic pattern" if topic.pattern else "Topic"
        if topic.cancelled:
            lines.append(f"{kind} cancelled by {topic.cancelled_by}: {topic.phrase!r} ({where})")
        else:
            lines.append(f"{kind}: {topic.phrase!r} -> {where}")
    return lines


def _target(meaning) -> str:
    return f"node {meaning.target!r}" if meaning.target else meaning.kind


def _meaning(reading: Reading) -> str:
    if reading.top is None:
        return "Meaning: nothing understood (the sorry sentence, then the choices)"
    said = f"Meaning: {_target(reading.top)}"
    if reading.denied:
        said += ", after the crisis numbers (danger clearly denied)"
    if reading.also is not None:
        said += f"; also offered: {_target(reading.also)}"
    if reading.child and reading.danger:
        said += "; a child in danger: Childline beside Samaritans"
    return said
