"""Disguised spellings, undone before a message is read: "k!ll", "su1c1de", "s*icide",
"s u i c i d e", "diiiie", "od'd", and what speech recognisers write ("sue a side").

    Disguises(vocabulary, sounds_like, clipped, objects, fillers)
        .undo_text(text)     -> (text, [Change])    symbols, digits, clipped forms, and a
                                                     capital I typed for an l ("kiII myseIf")
        .undo_words(tokens)  -> (tokens, [Change])  fillers and stutters, spaced letters,
                                                     stretched words, text-speak, homophones
        .undo_words(tokens, found, present)          the same, `found` by the reading's search,
                                                     `present` the words as a set
        .suspects                                    what that search must carry (below)

People hide crisis words from filters, or type in a hurry; recognisers write what a word
sounds like. Every rule here is undone only where the result is a word of a danger phrase
(`vocabulary`), so an everyday word or a price is never touched: "£5", "b4", "l8r" and
"tablet" stay as they are, "k1ll" becomes "kill". The homophones and clipped forms are
the lexicon's (`spellings:`), as `written => meant`; a homophone is left alone before one
of `objects` ("dye my hair" is dye: "die" takes no object).

Most messages hide nothing. So the words are first asked whether any rule could change
them (`could_change`): one pass of an Aho-Corasick automaton over the spaced words for
every word and pair of neighbours a rule changes and for a letter held down, then a
comparison of neighbours and two regular expressions, all compiled code; only then are
they walked word by word. Each check finds every place its rule would change (a
superset), so the walk is skipped only where it would change nothing. The automaton's
keys are a table (`suspects`) that the reading's one search of the words carries beside
the phrase tables (`meaning`, `phrases.Search`): the words are searched once for both,
which costs much less than two passes over the same text (docs/performance.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, product
from operator import eq
from string import ascii_lowercase

from ivr.understanding.phrases import Found, Phrases, Search, spaced
from ivr.understanding.tokens import Tokens

# What each symbol or digit can stand for in a disguised word; "*" is any one letter.
_STANDS_FOR = {
    "0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "il", "+": "t", "€": "e", "£": "l",
}  # fmt: skip
_WILD = "*"
_SYMBOLS = (*_STANDS_FOR, _WILD)  # what a disguised word holds: one of these
# A written word that may hide letters behind symbols: letters with digits or symbols
# among them (trailing "!" or "?" is punctuation, so a word must not end with them).
_DISGUISED = re.compile(
    r"(?<![\w@$!|*+€£])(?:[\w@$!|*+€£]*[@$!|*+€£\d][\w@$!|*+€£]*[\w*]|[a-z][\w@$!|*+€£]*\d\b)"
)  # the second form: a word whose last letter is a digit ("di3"); "b4" reads as no word
_MARKS = "'’`"  # apostrophes, as typed
# A capital I right after a small letter, inside a word: "kiII", "myseIf".
# Searched from the literal I, which the engine finds fast (4 us at 1,600 characters; "[a-z]I"
# tries every letter: 60 us).
_CAPITAL_I_SEEN = re.compile(r"I(?<=[a-z]I)")
_CAPITAL_I = re.compile(r"[A-Za-z]*[a-z]I[A-Za-z]*")
_CLIPPED = re.compile(rf"\b[a-z]+[{_MARKS}][a-z]+\b")
_STRETCHED = re.compile(r"(.)\1\1+")
# Three letters or more typed apart ("s u i c i d e"): three words of one letter in a row.
_APART = tuple(spaced(three) for three in product(ascii_lowercase, repeat=3))
# A letter held down (only letters: a danger word has no digits, so "1000" stays 1000).
_HELD = tuple(letter * 3 for letter in ascii_lowercase)
SPLIT_AT_LEAST = 6  # letters: a danger word typed in two halves ("sui cide") is joined
RUN_ON_AT_LEAST = 7  # letters: a danger phrase typed without spaces ("killmyself")
# What "suicide" and "suicidal" sound like, as a recogniser or a phone keyboard spells
# them in one to three words ("sooey side", "sue icidal", "sewer cidal"): an s, the "oo"
# sound, a hiss, an optional i, a d, and for the adjective an "al". Never "sa" or "se"
# ("Sue said", "so I side with her": no "oo" sound after the s).
_SUICIDE_SOUNDS = re.compile(
    r"s(?:oo|ou|ue|ew|ow|u|ui)(?:e|ee|ey|y|i|wer|er|w)?i?(?:c|s|ss|sc|z)(?:i|y|ie|ei|igh|ee)?"
    r"(?:d|de|t|te)e?(al|all|le|el|ul|ull|ol)?"
)
SOUNDED = 3  # words: "soo i cidal"
MAX_GUESSES = 64  # ways of reading one disguised word: "1" alone has two
# A short danger word with two letters swapped or one doubled ("dei", "diee") is read as
# that word only right after an intent ("want to dei"): too short for the typo corrector
# (`typos`), which would find everyday words one letter from it everywhere else.
SWAPPED_LETTERS = (3, 5)


@dataclass(frozen=True, slots=True)
class Change:
    """One disguise undone: what was written, what it was read as, and which rule."""

    written: str
    read: str
    rule: str  # symbols, clipped, filler, said twice, spaced, stretched, text-speak, sounds like


class Disguises:
    def __init__(
        self,
        vocabulary: Iterable[str],
        sounds_like: Mapping[str, str],
        clipped: Mapping[str, str],
        objects: Iterable[str],
        fillers: Iterable[str] = (),
        text_speak: Mapping[str, str] | None = None,
        phrases: Iterable[str] = (),
        short_words: Iterable[str] = (),
        intent_ends: Iterable[str] = (),
    ):
        """`short_words`: danger words a slip after an intent may mean ("die"), and
        `intent_ends`: the last words of the intents ("to" of "want to", "wanna")."""
        self._words = frozenset(w for w in vocabulary if w.isalpha())
        self._by_length: dict[int, list[str]] = {}
        for word in self._words:
            self._by_length.setdefault(len(word), []).append(word)
        self._sounds = dict(sounds_like)
        self._heard = Phrases(self._sounds)
        self._clipped = {k.replace("’", "'").replace("`", "'"): v for k, v in clipped.items()}
        # Each clipped form's letters before its apostrophe, with each apostrophe: a text
        # that holds none of these has no clipped form to undo ("od'd", "od’d", "od`d").
        self._clipped_starts = tuple(
            {k.partition("'")[0] + mark for k in self._clipped if "'" in k for mark in _MARKS}
        )
        self._objects = frozenset(objects)
        self._fillers = frozenset(fillers)
        self._speak = dict(text_speak or {})
        low, high = SWAPPED_LETTERS
        self._slipped = {
            slip: word
            for word in short_words
            if word.isalpha() and low <= len(word) <= high
            for slip in _slips(word)
            if slip not in self._words
        }
        self._intent_ends = frozenset(intent_ends)
        # Danger phrases typed as one word: "killmyself" -> "kill myself". Where two
        # phrases run together alike ("kill my self", "kill myself"; "can not cope",
        # "cannot cope"), the one of fewest words is read, whatever order they come in
        # (a set's order changes from one process to the next).
        self._run_on = {
            "".join(p.split()): p
            for p in sorted(phrases, key=lambda p: (p.count(" "), p), reverse=True)
            if " " in p
            and len(p) - p.count(" ") >= RUN_ON_AT_LEAST
            and p.replace(" ", "").isalpha()
        }
        self.suspects = _suspects(
            self._words,
            self._fillers,
            frozenset(self._speak),
            frozenset(self._run_on),
            frozenset(self._heard.keys),
        )

    # -- the written text, before it is cut into words ---------------------------------

    def undo_text(self, text: str) -> tuple[str, list[Change]]:
        changes: list[Change] = []
        if _CAPITAL_I_SEEN.search(text):  # before lowering, where an I and an l differ
            text = _CAPITAL_I.sub(lambda m: self._capital_i(m.group(), changes), text)
        lowered = text.lower()
        if any(map(lowered.__contains__, self._clipped_starts)):
            lowered = _CLIPPED.sub(lambda m: self._unclip(m.group(), changes), lowered)
        if any(map(lowered.__contains__, _SYMBOLS)):
            lowered = _DISGUISED.sub(lambda m: self._decode(m.group(), changes), lowered)
        return (lowered if changes else text), changes

    def _capital_i(self, written: str, changes: list[Change]) -> str:
        """ "kiII", "myseIf": a capital I after a small letter typed for an l, read so
        only where that makes a danger word ("McIntosh", "iPhone" stay)."""
        letters = list(written)
        for i in range(1, len(letters)):
            if letters[i] == "I" and letters[i - 1].islower():
                letters[i] = "l"
        meant = "".join(letters).lower()
        if meant not in self._words:
            return written
        changes.append(Change(written, meant, "capital I for l"))
        return meant

    def _unclip(self, written: str, changes: list[Change]) -> str:
        meant = self._clipped.get(written.replace("’", "'").replace("`", "'"))
        if meant is None:
            return written
        changes.append(Change(written, meant, "clipped"))
        return meant

    def _decode(self, written: str, changes: list[Change]) -> str:
        if written.isdigit() or not any(c.isalpha() for c in written):
            return written  # a number, a price: never a word
        found = self._reading(written)
        if found is None:
            return written
        changes.append(Change(written, found, "symbols"))
        return found

    def _reading(self, written: str) -> str | None:
        """The one danger word a disguised word can be, or None."""
        if _WILD in written:
            letters = (
                "[a-z]" if c == _WILD else re.escape(_STANDS_FOR.get(c, c)[0]) for c in written
            )
            pattern = re.compile("".join(letters))
            found = {w for w in self._by_length.get(len(written), ()) if pattern.fullmatch(w)}
            return found.pop() if len(found) == 1 else None
        options = [_STANDS_FOR.get(c, c) for c in written]
        guesses = 1
        for option in options:
            guesses *= len(option)
        if guesses > MAX_GUESSES:
            return None
        found = {"".join(p) for p in product(*options)} & self._words
        return found.pop() if len(found) == 1 else None

    # -- the words ------------------------------------------------------------------------

    def could_change(
        self, words: tuple[str, ...], found: Found | None = None, present: Set[str] | None = None
    ) -> bool:
        """Whether any rule of `undo_words` could change these words. `found`: what a
        Search carrying `suspects` found in them, spaced; without it, they are searched
        for the suspects alone. `present`: the words as a set, if the caller made one."""
        if found is None:
            found = _alone(self.suspects)(spaced(words))
        # a filler, text-speak, a homophone, a phrase run together, a danger word's halves
        # ("over dose"), a letter held down, letters typed apart (`_suspects`)
        if found.within(self.suspects):
            return True
        if any(map(eq, words, islice(words, 1, None))):
            return True  # a word said twice
        if not self._slipped.keys().isdisjoint(words if present is None else present):
            return True  # a short danger word slipped (read only after an intent)
        return _SUICIDE_SOUNDS.search("".join(words)) is not None

    def undo_words(
        self, tokens: Tokens, found: Found | None = None, present: Set[str] | None = None
    ) -> tuple[Tokens, list[Change]]:
        """`found` and `present`: as for `could_change`."""
        if not self.could_change(tokens.words, found, present):
            return tokens, []
        return self.undo_words_plain(tokens)

    def undo_words_plain(self, tokens: Tokens) -> tuple[Tokens, list[Change]]:
        """`undo_words` without asking `could_change` first: each rule, word by word."""
        changes: list[Change] = []
        words, clauses = self._unfilled(tokens, changes)
        words, clauses = self._join_spaced(words, clauses, changes)
        words, clauses = self._run_together(words, clauses, changes)
        words, clauses = self._sounded(words, clauses, changes)
        for i, word in enumerate(words):
            if word not in self._words and _STRETCHED.search(word):
                words[i] = self._unstretch(word, changes)
        if self._slipped:
            self._unslip(words, changes)
        if self._speak:
            words, clauses = self._spelled_out(words, clauses, changes)
        if self._sounds:
            words, clauses = self._homophones(words, clauses, changes)
        if not changes:
            return tokens, changes
        return Tokens(tuple(words), tuple(clauses)), changes

    def _unfilled(self, tokens: Tokens, changes: list[Change]) -> tuple[list[str], list[int]]:
        """Speech's "um" and "er" dropped, and a word said twice in a row once ("I I
        want"); numbers and single letters stay ("9 9 9" is 999, "k i l l" is spelled)."""
        words: list[str] = []
        clauses: list[int] = []
        for word, clause in zip(tokens.words, tokens.clauses, strict=True):
            if word in self._fillers:
                changes.append(Change(word, "", "filler"))
            elif (
                words
                and word == words[-1]
                and clause == clauses[-1]
                and word.isalpha()
                and len(word) > 1
            ):
                changes.append(Change(f"{word} {word}", word, "said twice"))
            else:
                words.append(word)
                clauses.append(clause)
        return words, clauses

    def _join_spaced(self, words: list[str], clauses: list[int], changes: list[Change]):
        """Letters typed apart ("s u i c i d e", "k i l l myself"), and a word split in
        two ("sui cide", "over dose"), joined where they make a danger word."""
        out_words: list[str] = []
        out_clauses: list[int] = []
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and len(words[j]) == 1 and words[j].isalpha():
                j += 1
            if j - i >= 3:
                joined = self._split("".join(words[i:j]))
                if joined:
                    changes.append(Change(" ".join(words[i:j]), " ".join(joined), "spaced"))
                    out_words += joined
                    out_clauses += [clauses[i]] * len(joined)
                    i = j
                    continue
            pair = words[i] + words[i + 1] if i + 1 < len(words) else ""
            if len(pair) >= SPLIT_AT_LEAST and pair in self._words and words[i] not in self._words:
                changes.append(Change(f"{words[i]} {words[i + 1]}", pair, "spaced"))
                out_words.append(pair)
                out_clauses.append(clauses[i])
                i += 2
                continue
            out_words.append(words[i])
            out_clauses.append(clauses[i])
            i += 1
        return out_words, out_clauses

    def _run_together(self, words: list[str], clauses: list[int], changes: list[Change]):
        """A danger phrase typed without its spaces ("killmyself", "wanttodie")."""
        if self._run_on.keys().isdisjoint(words):
            return words, clauses
        return _replaced(words, clauses, changes, self._run_on, "run together", self._words)

    def _sounded(self, words: list[str], clauses: list[int], changes: list[Change]):
        """ "suicide" and "suicidal" as they sound, in one to three words of one clause
        (see _SUICIDE_SOUNDS)."""
        out_words: list[str] = []
        out_clauses: list[int] = []
        i = 0
        while i < len(words):
            for size in range(SOUNDED, 0, -1):
                part = words[i : i + size]
                if len(part) < size or clauses[i + size - 1] != clauses[i]:
                    continue
                joined = "".join(part)
                found = _SUICIDE_SOUNDS.fullmatch(joined)
                if not found or joined in ("suicide", "suicidal") or not joined.isalpha():
                    continue
                meant = "suicidal" if found.group(1) else "suicide"
                changes.append(Change(" ".join(part), meant, "sounds like"))
                out_words.append(meant)
                out_clauses.append(clauses[i])
                i += size
                break
            else:
                out_words.append(words[i])
                out_clauses.append(clauses[i])
                i += 1
        return out_words, out_clauses

    def _split(self, letters: str) -> list[str] | None:
        """`letters` as one or two danger words ("killmyself": kill, myself), or None."""
        if letters in self._words:
            return [letters]
        for cut in range(2, len(letters) - 1):
            if letters[:cut] in self._words and letters[cut:] in self._words:
                return [letters[:cut], letters[cut:]]
        return None

    def _unstretch(self, word: str, changes: list[Change]) -> str:
        """ "diiiie", "killlll": a letter held down, read once or twice."""
        for keep in (r"\1", r"\1\1"):
            candidate = _STRETCHED.sub(keep, word)
            if candidate in self._words:
                changes.append(Change(word, candidate, "stretched"))
                return candidate
        return word

    def _unslip(self, words: list[str], changes: list[Change]) -> None:
        """ "want to dei": a short danger word slipped, right after an intent."""
        for i in range(1, len(words)):
            meant = self._slipped.get(words[i])
            if meant is not None and words[i - 1] in self._intent_ends:
                changes.append(Change(words[i], meant, "slip after an intent"))
                words[i] = meant

    def _spelled_out(self, words: list[str], clauses: list[int], changes: list[Change]):
        """Text-speak ("2nite", "cnt", "idwtl") as the words it stands for."""
        if not any(w in self._speak for w in words):
            return words, clauses
        return _replaced(words, clauses, changes, self._speak, "text-speak")

    def _homophones(self, words: list[str], clauses: list[int], changes: list[Change]):
        found = list(self._heard.find(tuple(words)))
        if not found:
            return words, clauses
        out_words: list[str] = []
        out_clauses: list[int] = []
        i = 0
        for start, heard in found:
            size = len(heard.split())
            after = words[start + size] if start + size < len(words) else ""
            if after in self._objects and size == 1:
                continue  # "dye my hair": a verb with an object is the word as written
            out_words += words[i:start]
            out_clauses += clauses[i:start]
            meant = self._sounds[heard].split()
            out_words += meant
            out_clauses += [clauses[start]] * len(meant)
            changes.append(Change(heard, self._sounds[heard], "sounds like"))
            i = start + size
        out_words += words[i:]
        out_clauses += clauses[i:]
        return out_words, out_clauses


def _replaced(words, clauses, changes, table, why, keep=frozenset()):
    """Each word `table` holds (and `keep` does not) as the words it stands for, in the
    clause it was in, each replacement noted in `changes` as `why`."""
    out_words: list[str] = []
    out_clauses: list[int] = []
    for word, clause in zip(words, clauses, strict=True):
        meant = table.get(word)
        if meant is None or word in keep:
            out_words.append(word)
            out_clauses.append(clause)
            continue
        changes.append(Change(word, meant, why))
        out_words += meant.split()
        out_clauses += [clause] * len(meant.split())
    return out_words, out_clauses


@dataclass(frozen=True, eq=False)  # eq=False: a table is itself (a Search keeps it by id)
class Suspects:
    """What `could_change` looks for in the spaced words, as a table a `phrases.Search`
    carries: each key, and its words (a letter held down, "aaa", stands inside one)."""

    keys: tuple[str, ...]
    sizes: tuple[int, ...]


@lru_cache(maxsize=16)
def _alone(suspects: Suspects) -> Search:
    """The suspects searched for on their own (where no reading's search carried them)."""
    return Search([suspects])


@lru_cache(maxsize=16)  # scripts of one language share their danger words
def _suspects(
    words: frozenset[str],
    fillers: frozenset[str],
    text_speak: frozenset[str],
    run_on: frozenset[str],
    heard: frozenset[str],
) -> Suspects:
    """The keys of what `could_change` looks for in the spaced words: each filler,
    text-speak and run-together word alone, each homophone (`heard`: spaced already),
    each pair of neighbours that are a danger word's two halves as written apart ("over
    dose": the first half not a word itself), a letter held down three times (inside a
    word: the spaces keep words apart), and three words of one letter in a row."""
    halves = {
        spaced((word[:cut], word[cut:]))
        for word in words
        if len(word) >= SPLIT_AT_LEAST
        for cut in range(1, len(word))
        if word[:cut] not in words
    }
    alone = {spaced((word,)) for word in fillers | text_speak | run_on if word and " " not in word}
    keys = tuple(sorted(alone | heard | halves | {*_HELD, *_APART}))
    return Suspects(keys, tuple(key.count("  ") + 1 for key in keys))


def _slips(word: str) -> set[str]:
    """Two neighbouring letters swapped, or one letter doubled: "dei", "ide", "diee"."""
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    doubled = {word[: i + 1] + word[i:] for i in range(len(word))}
    return (swapped | doubled) - {word}
