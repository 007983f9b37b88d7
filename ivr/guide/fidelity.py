"""Is a script still faithful to its written guide? What of the guide a channel never says.

    Said.of(script, channel, texts)     everything a person can reach on that channel
    unsaid(facts, said)                 -> the facts not said there
    excused(fact, left_out)             -> the left_out item that excuses it, or None

A fact is said on a channel when some reply of the engine on that channel says it, in
the channel's own form: spoken (pronunciations, numbers digit by digit) on the phone,
texted (GSM-7) by SMS. The words may differ from the guide's: a sentence counts as said
when one paragraph of a reply holds at least SAID_SHARE of its words that carry meaning
(small words such as "the" and "to" left out, plurals counted as their singular), so a
script may write "the messages" for "the message(s)" or cut a sentence in two, but not
leave out what the sentence says, nor drop or add a "not". A service must be named (as
whole words), a number given as written (on the phone as it is said), and a link given
whole by text or named by its site on the phone, where no address can be clicked.

Pure domain: the engine's replies (the same the linter walks) and the guide's facts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ivr import gsm7
from ivr.guide.facts import LINK, NUMBER, SENTENCE, SERVICE, Fact, names, sentences
from ivr.keywords import normalise
from ivr.script import VOICE, LeftOut, Script
from ivr.spoken import speaker

SAID_SHARE = 0.75
# Words that carry little meaning alone: a sentence is matched on the others.
SMALL = frozenset({"a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for",
    "with", "from", "as", "is", "are", "be", "it", "its", "this", "that", "these", "those",
    "you", "your", "yours", "i", "me", "my", "we", "our", "they", "them", "their", "he", "she",
    "his", "her", "if", "then", "than", "so", "do", "does", "can", "could", "may", "might",
    "will", "would", "should", "just", "also", "very", "any", "some", "all", "there", "here",
    "what", "when", "where", "which", "who", "how", "into", "out", "up", "about",
    "over"})  # fmt: skip


# Advice that loses its negation says the opposite: a sentence with one of these is said
# only where its paragraph has it too, whatever share of its other words it holds.
NEGATIONS = frozenset({"not", "no", "never", "nothing", "nobody", "none", "dont", "doesnt",
    "didnt", "cant", "cannot", "wont", "shouldnt"})  # fmt: skip


def words(text: str) -> frozenset[str]:
    """The words of a text that carry meaning, in a normal form (plurals as singulars)."""
    return _meaning(normalise(text), {})


def _meaning(normal: str, singulars: dict[str, str]) -> frozenset[str]:
    """`words` of a text already in normal form; `singulars` remembers each word's
    singular across the many paragraphs of one script (set operations run in C)."""
    found = set(normal.split()) - SMALL
    for word in found.difference(singulars):  # a dict: looked up word by word, in C
        singulars[word] = _singular(word)
    return frozenset(map(singulars.__getitem__, found))


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass
class Said:
    """What a channel says: its distinct paragraphs, their words indexed for look-up."""

    channel: str
    form: object  # text -> the channel's form of it (spoken, or plain GSM-7)
    paragraphs: list[frozenset[str]]
    index: dict[str, list[int]]
    squashed: str  # every paragraph, normal form, no spaces: for names and sites
    normal: str  # every paragraph, normal form, spaced: for numbers
    raw: str  # every paragraph as sent: for whole web addresses
    texts: list[str]  # the distinct paragraphs themselves, by index

    @classmethod
    def of(cls, script: Script, channel: str, texts: Iterable[str]) -> Said:
        distinct = list(dict.fromkeys(texts))
        normals = [normalise(p) for p in distinct]
        singulars: dict[str, str] = {}
        paragraphs = [_meaning(n, singulars) for n in normals]
        index: dict[str, list[int]] = {}
        for i, found in enumerate(paragraphs):
            for word in found:
                index.setdefault(word, []).append(i)
        normal = " | ".join(normals)
        form = speaker(script.pronounce) if channel == VOICE else gsm7.plain
        return cls(channel, form, paragraphs, index, normal.replace(" ", ""), f" {normal} ",
                   "\n".join(distinct), distinct)  # fmt: skip

    def says(self, fact: Fact, all_names: tuple[str, ...] = ()) -> bool:
        if fact.kind == SENTENCE:
            return self._sentence(fact.text)
        if fact.kind == SERVICE:
            return _name(self.form(fact.text)).search(self.normal) is not None
        if fact.kind == NUMBER:
            return f" {normalise(self.form(fact.text))} " in self.normal
        if fact.kind == LINK:
            return self._link(fact.text, all_names)
        return False

    def _sentence(self, text: str) -> bool:
        wanted = words(self.form(text))
        if not wanted:
            return True
        needed = math.ceil(SAID_SHARE * len(wanted))
        # A paragraph with `needed` of the words holds one of any len - needed + 1 of
        # them: look only where the rarest of those are.
        rare = sorted(wanted, key=lambda w: len(self.index.get(w, ())))
        candidates = {i for w in rare[: len(wanted) - needed + 1] for i in self.index.get(w, ())}
        negated = wanted & NEGATIONS
        if not negated:
            return any(
                len(wanted & self.paragraphs[i]) >= needed and self._unnegated(i, wanted, needed)
                for i in candidates
            )
        # Negated: matched sentence by sentence, so another sentence's "not" cannot lend it.
        return any(
            len(wanted & found) >= needed and negated <= found
            for i in candidates
            if negated <= self.paragraphs[i]
            for found in map(words, _SENTENCE_END.split(self.texts[i]))
        )

    def _unnegated(self, i: int, wanted: frozenset[str], needed: int) -> bool:
        """Whether paragraph i says a sentence without a negation as it is: not when every
        sentence of it that holds the words adds a "not" (the guide's "You need to ..."
        is not said by "You do not need to ..."). Read clause by clause: asides in
        brackets, ";" and "," parts apart, so a "not" negates only its own clause ("use
        takedown support, even if you're not sure it's real"; "Don't click (it may be used
        to steal passwords)"). Words spread over several clauses count as said: a rule of
        thumb that catches a "not" put into the sentence itself."""
        if not self.paragraphs[i] & NEGATIONS:
            return True
        parts = (
            clause
            for s in _SENTENCE_END.split(self.texts[i])
            for part in sentences(s)
            for clause in part.split(",")
        )
        holding = [found for found in map(words, parts) if len(wanted & found) >= needed]
        return not holding or any(not found & NEGATIONS for found in holding)

    def _link(self, url: str, all_names: tuple[str, ...]) -> bool:
        if self.channel != VOICE:
            return url in self.raw
        host = urlsplit(url).hostname or ""
        host = host.removeprefix("www.")
        site = host.split(".")[0]
        forms = [host, site, *(n for n in all_names if site in _squash(n))]
        return any(_squash(self.form(f)) in self.squashed for f in forms)


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n")


def _squash(text: str) -> str:
    return normalise(text).replace(" ", "")


def _name(text: str) -> re.Pattern:
    """A service's name in normal text, spaced or not ("Childline", "Child Line"), as
    whole words: a short name ("GP") is not found inside others ("blocking people")."""
    letters = _squash(text)
    return re.compile(rf"(?<![a-z0-9]){' ?'.join(map(re.escape, letters))}(?![a-z0-9])")


def excused(fact: Fact, left_out: Iterable[LeftOut]) -> LeftOut | None:
    """The left_out item that names this fact: its words are the fact's, or hold them."""
    for item in left_out:
        if fact.kind == SENTENCE:
            mine, theirs = words(fact.text), words(item.item)
            if mine and len(mine & theirs) >= math.ceil(SAID_SHARE * len(mine)):
                return item
        elif _squash(fact.text) in _squash(item.item):
            return item
    return None


def unsaid(facts: Iterable[Fact], said: Said) -> list[Fact]:
    facts = tuple(facts)
    all_names = tuple(f.text for f in facts if f.kind == SERVICE)
    return [f for f in facts if not said.says(f, all_names)]


__all__ = ["SAID_SHARE", "Said", "excused", "names", "unsaid", "words"]
