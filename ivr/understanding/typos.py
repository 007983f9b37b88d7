"""Small typos: "clickd", "stpes", "emergancy" and "undr 18" read as what they meant.

    Corrector(targets, known).correct(word) -> word
    Corrector(targets, known).correct_all(words) -> words
    Corrector(targets, known).correct_all(words, set(words)) -> words   (a set made already)

Built once per script: every word of four letters or more in a phrase that means
something is a target, indexed by itself and each form with one letter left out (a
symmetric-deletion index, so a lookup is a handful of dict probes, never a scan of the
lexicon). A word in a message is corrected only when all of these hold:

- it has four letters or more, and no digits;
- it is not itself a word the lexicon or script uses, nor a listed known word ("hope"
  is not "cope", "want" is not "wait");
- it is one edit from a target (a letter added, missing, changed, or two swapped); a
  four-letter word only when a letter is missing ("undr"); in words of eight letters or
  more, also a letter missing and another added ("emrgencyx");
- every target it is that close to shares a meaning with the others, so a topic word
  never lands on another topic; of those, the one with the fewest meanings is taken
  ("clickd" is "clicked", not "click", which also stands in "should I click").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ivr.understanding.tokens import replace_all

MIN_LETTERS = 4
MAX_LETTERS = 24  # longer is not a word anyone meant; never worth the lookups
LONG = 8  # from this length two edits are forgiven
REMEMBERED = 50_000  # words whose correction is kept: far more than messages use


class Corrector:
    def __init__(
        self,
        targets: Mapping[str, frozenset[str]],
        known: Iterable[str],
        careful: frozenset[str] = frozenset(),
    ):
        """`targets`: word -> the meanings it belongs to. `known`: never corrected.
        `careful`: meanings reached only from words of CAREFUL_LETTERS or more that keep
        their first letter, as everyday words sit one letter from them ("beach" is not
        "bleach", "hoping" is not "coping", "loose" is not "noose")."""
        self._careful = careful
        self._meaning = {w: m for w, m in targets.items() if _eligible(w)}
        self._known = frozenset(known) | frozenset(targets)
        self._index: dict[str, list[str]] = {}
        for word in self._meaning:
            for variant in _deletions(word):
                self._index.setdefault(variant, []).append(word)
        # What each word of a message not known above was corrected to (itself, mostly).
        # A correction depends on the word alone, and people use the same few thousand
        # words, so each is worked out once; bounded, so no sender can grow it for ever.
        self._corrected: dict[str, str] = {}

    def correct_all(
        self, words: tuple[str, ...], present: set[str] | frozenset[str] | None = None
    ) -> tuple[str, ...]:
        """Every word corrected: known words are set aside in one C set operation, so only
        the others are looked at, each once. `present`: the words as a set, exactly (no
        other word), if the caller has made one."""
        unknown = (set(words) if present is None else present).difference(self._known)
        if not unknown:
            return words
        fixed = {}
        corrected = self._corrected
        for word in unknown:
            to = corrected.get(word)
            if to is None:
                to = self.correct(word)
                if len(corrected) < REMEMBERED:
                    corrected[word] = to
            if to != word:
                fixed[word] = to
        if not fixed:
            return words
        corrected_words = list(words)
        for word, to in fixed.items():
            replace_all(corrected_words, word, to)
        return tuple(corrected_words)

    def correct(self, word: str) -> str:
        if word in self._known or not _eligible(word):
            return word
        found = {t for v in _deletions(word) for t in self._index.get(v, ())}
        near = [t for t in found if _close(word, t) and self._may(word, t)]
        if not near or not frozenset.intersection(*(self._meaning[t] for t in near)):
            return word  # no target, or targets that mean different things
        return min(near, key=lambda t: (len(self._meaning[t]), t))  # the most specific

    def _may(self, word: str, target: str) -> bool:
        if not self._meaning[target] <= self._careful:
            return True
        return len(word) >= CAREFUL_LETTERS and word[0] == target[0]


CAREFUL_LETTERS = 6


def _eligible(word: str) -> bool:
    return MIN_LETTERS <= len(word) <= MAX_LETTERS and word.isalpha() and word.isascii()


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _close(word: str, target: str) -> bool:
    if len(word) == MIN_LETTERS:
        return len(target) == MIN_LETTERS + 1 and any(
            target[:i] + target[i + 1 :] == word for i in range(len(target))
        )
    limit = 2 if min(len(word), len(target)) >= LONG else 1
    return _distance(word, target, limit) <= limit


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent swaps (optimal string alignment), stopping past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
