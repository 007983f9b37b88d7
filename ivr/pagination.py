"""Pagination: a node's texted words cut into parts that each fit one message: SMS pages
within a budget of GSM-7 septets (or, for a language texted in UCS-2, of UTF-16 code
units: `size`), and WhatsApp's parts (`by_paragraph`).

    pack(blocks, budget, continued, size) -> ((paragraph, ...), ...)   SMS
    pack_each(blocks, budgets, continued)  -> the same, each part in its own encoding
    by_paragraph(groups, first, later, size) -> ((paragraph, ...), ...)   WhatsApp

A block is one paragraph and the number of the step it belongs to (None for a node's
own text). A part is a tuple of paragraphs, sent with a blank line between them.

What a reader keeps, whatever the cut:
- a paragraph that fits stays whole, and in order;
- a paragraph too long for a part is cut at its line breaks first, so a list keeps one
  item a line, then at sentence ends, then at spaces, and only as a last resort inside
  a word; each cut keeps the break it was made at (a line break stays a line break);
- a step whose words run on into the next part starts that part with the `continued`
  words ("4 (continued)"), so its number is never lost.

WhatsApp carries ten SMS segments' worth in one message, so `by_paragraph` cuts only
between paragraphs, and between steps before that: a group (a step's paragraphs, or one
paragraph of a node's own text) stays whole in one part whenever it fits one.

An SMS part is counted in the encoding Twilio sends it in: `pack` in one (the caller's
`size`), `pack_each` part by part, GSM-7 septets while a part holds only GSM-7 and
UTF-16 units once it holds a letter GSM-7 lacks (a Welsh ŵ), each against its own
budget. So one Welsh paragraph with a circumflex makes its own part shorter, not every
part of the node.

Pure: words in, parts out. The engine decides the budget (room for each part's choices).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ivr import gsm7

GAP = "\n\n"  # between two paragraphs of one part
LINE = "\n"
SPACE = " "


@dataclass(frozen=True, slots=True)
class _Piece:
    text: str
    joint: str | None  # how it joins the piece before it: None starts a paragraph
    step: int | None  # the step's number, for the continued words


def pack(
    blocks: list[tuple[str, int | None]],
    budget: int,
    continued: str = "",
    size: Callable[[str], int] = gsm7.septets,
) -> tuple[tuple[str, ...], ...]:
    """Cut paragraphs into parts of at most `budget` (see the module docstring), each
    text measured by `size` (GSM-7 septets unless a language is texted in UCS-2).

    `continued` may hold {number}: it leads a part that carries on a step."""
    longest_mark = max(
        (size(_mark(continued, step, LINE)) for _, step in blocks if step is not None),
        default=0,
    )
    if _fits_whole(blocks, budget, longest_mark, size):
        return (tuple(paragraph for paragraph, _ in blocks),)
    return _packed(blocks, budget, continued, longest_mark, size)


def _fits_whole(
    blocks: list[tuple[str, int | None]], budget: int, longest_mark: int, size=gsm7.septets
) -> bool:
    """Whether every paragraph goes, whole and uncut, into one part: what `_packed` gives
    then, found without cutting. True when no line is cut (each fits its budget, as
    `_cut` measures it) and all of them, with the gaps between, fit the part (sizes add
    up, so the part never fills before the last)."""
    if not blocks:
        return False
    total = sum(size(paragraph) for paragraph, _ in blocks) + size(GAP) * (len(blocks) - 1)
    if total > budget:
        return False
    step_budget = max(budget - longest_mark, 1)
    return all(
        size(line) <= step_budget
        for paragraph, step in blocks
        if step is not None
        for line in paragraph.split(LINE)
    )


def _packed(
    blocks: list[tuple[str, int | None]],
    budget: int,
    continued: str,
    longest_mark: int,
    size=gsm7.septets,
) -> tuple[tuple[str, ...], ...]:
    pieces = [
        piece
        for paragraph, step in blocks
        for piece in _cut(paragraph, budget - (longest_mark if step is not None else 0), step, size)
    ]
    parts: list[list[str]] = []
    used = 0
    previous: _Piece | None = None
    for piece in pieces:
        if parts and piece.joint is not None:
            added = piece.joint + piece.text  # carries on the paragraph before it
        else:
            added = (GAP if parts and parts[-1] else "") + piece.text
        if not parts or used + size(added) > budget:
            lead = ""
            if piece.step is not None and previous is not None and previous.step == piece.step:
                lead = _mark(continued, piece.step, piece.joint or LINE)
            parts.append([lead + piece.text])
            used = size(parts[-1][0])
        elif piece.joint is not None:
            parts[-1][-1] += added
            used += size(added)
        else:
            parts[-1].append(piece.text)
            used += size(added)
        previous = piece
    return tuple(tuple(part) for part in parts) or ((),)


def pack_each(
    blocks: list[tuple[str, int | None]], budgets: Mapping[str, int], continued: str = ""
) -> tuple[tuple[str, ...], ...]:
    """`pack`, each part counted in the encoding it needs (gsm7.encoding) against that
    encoding's budget in `budgets` (gsm7.GSM7 and gsm7.UCS2 each a key)."""
    measured = {enc: gsm7.sizer(enc) for enc in budgets}
    marks = {
        enc: max((size(_mark(continued, s, LINE)) for _, s in blocks if s is not None), default=0)
        for enc, size in measured.items()
    }
    whole = gsm7.encoding(*(paragraph for paragraph, _ in blocks))
    if _fits_whole(blocks, budgets[whole], marks[whole], measured[whole]):
        return (tuple(paragraph for paragraph, _ in blocks),)
    pieces = []
    for paragraph, step in blocks:
        for i, line in enumerate(paragraph.split(LINE)):  # each line cut in its own encoding
            enc = gsm7.encoding(line)
            room = max(budgets[enc] - (marks[enc] if step is not None else 0), 1)
            for j, piece in enumerate(_fit(line, room, measured[enc])):
                joint = None if i == j == 0 else (LINE if j == 0 else SPACE)
                pieces.append(_Piece(piece, joint, step))
    parts: list[list[str]] = []
    wide = False  # whether the part being filled holds a letter GSM-7 lacks
    previous: _Piece | None = None
    for piece in pieces:
        if parts and piece.joint is not None:
            added = piece.joint + piece.text
        else:
            added = (GAP if parts and parts[-1] else "") + piece.text
        widened = wide or gsm7.encoding(piece.text) == gsm7.UCS2
        enc = gsm7.UCS2 if widened else gsm7.GSM7
        joined = GAP.join(parts[-1]) + added if parts else ""
        if not parts or measured[enc](joined) > budgets[enc]:
            lead = ""
            if piece.step is not None and previous is not None and previous.step == piece.step:
                lead = _mark(continued, piece.step, piece.joint or LINE)
            parts.append([lead + piece.text])
            wide = gsm7.encoding(parts[-1][0]) == gsm7.UCS2
        elif piece.joint is not None:
            parts[-1][-1] += added
            wide = widened
        else:
            parts[-1].append(piece.text)
            wide = widened
        previous = piece
    return tuple(tuple(part) for part in parts) or ((),)


def _mark(continued: str, step: int, joint: str) -> str:
    if not continued:
        return ""
    return continued.format(number=step) + (LINE if joint != SPACE else SPACE)


def _cut(paragraph: str, budget: int, step: int | None, size) -> list[_Piece]:
    """A paragraph as pieces that each fit the budget, each with the break it was cut at."""
    budget = max(budget, 1)
    found: list[_Piece] = []
    for i, line in enumerate(paragraph.split(LINE)):
        for j, piece in enumerate(_fit(line, budget, size)):
            joint = None if i == j == 0 else (LINE if j == 0 else SPACE)
            found.append(_Piece(piece, joint, step))
    return found


def _fit(line: str, budget: int, size) -> list[str]:
    """One line as pieces of at most `budget`: whole sentences, else words, else letters."""
    if size(line) <= budget:
        return [line]
    units = re.split(r"(?<=[.!?;:])\s+", line)
    if len(units) == 1:
        units = line.split(SPACE)
    pieces: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if current and size(candidate) > budget:
            pieces.append(current)
            candidate = unit
        current = candidate
    pieces.append(current)
    return [p for piece in pieces for p in _fit_hard(piece, budget, size)]


def _fit_hard(text: str, budget: int, size) -> list[str]:
    if size(text) <= budget:
        return [text]
    if SPACE in text:
        return _fit(text, budget, size)  # a sentence too long: cut it at its spaces
    # A word longer than a part: cut by its size, not characters ('€' and '{' take two
    # septets; a character beyond the Basic Multilingual Plane two UTF-16 units).
    pieces, current, used = [], "", 0
    for ch in text:
        taken = size(ch)
        if current and used + taken > budget:
            pieces.append(current)
            current, used = "", 0
        current += ch
        used += taken
    pieces.append(current)
    return pieces


def by_paragraph(
    groups: list[tuple[str, ...]], first: int, later: int, size
) -> tuple[tuple[str, ...], ...]:
    """Groups of paragraphs packed in order into parts of at most `first` (the first
    part) and `later` (the others), as measured by `size`, with a blank line between
    paragraphs. A group that fits no part on its own is cut between its paragraphs; a
    paragraph longer than a part is a part of its own (the linter reports it)."""
    parts: list[list[str]] = []
    used = 0

    def budget(index: int) -> int:
        return first if index == 0 else later

    def place(words: tuple[str, ...]) -> bool:
        nonlocal used
        whole = size(GAP.join(words))
        if parts and used + size(GAP) + whole <= budget(len(parts) - 1):
            parts[-1].extend(words)  # on the part being filled
            used += size(GAP) + whole
            return True
        if whole <= budget(len(parts)) or len(words) == 1:
            parts.append(list(words))  # on a part of its own
            used = whole
            return True
        return False

    for group in groups:
        if not place(group):
            for paragraph in group:  # too long for any part: cut between its paragraphs
                place((paragraph,))
    return tuple(tuple(part) for part in parts) or ((),)
