"""A second opinion on danger: a small statistical reader, trained on our own text.

    load(language)                  -> SecondOpinion | None   (None: no weights shipped)
    SecondOpinion.judge(words)      -> Opinion | None          above the threshold only
    SecondOpinion.weigh(words)      -> Opinion                 with the n-grams that weighed most
    features(words)                 -> [str]                   what training counts

The rules (phrases, patterns, idioms) read what they were written for; phrasings nobody
wrote a rule for slip past them. This reader is a logistic regression over the words of
a message as the rules read them (disguises undone, typos fixed: `findings.Findings`'s
tokens): each word, each word's first five letters (its stem: a character n-gram), so a
form it never saw ("unaliving", "overdosin") still weighs like its neighbours, and in a
message of up to `PAIRS_UP_TO` words each pair of words side by side ("still alive",
"my note"), which tells "want to go to sleep forever" from "want to sleep in". It
only ever ADDS danger, and only where the rules found none (`findings.scan` asks it
then, and nowhere else); it never takes danger away and never decides a topic.

Its weights are data, made by `python3 dev.py train` from tests/corpus/en-GB.txt and the
unsealed held-out files, and stored beside the lexicon
(`lexicons/<language>.danger-weights.tsv`): a test retrains and compares, so they are
never edited by hand. The threshold in that file was chosen by leaving one file out at a
time (understanding_trial/train.py; the figures are in docs/understanding.md).

Reading cost: one lookup a word, through `map` in C (a known word's own weight and its
stem's are added once, when the weights load); only a word never learnt costs a call
here, for its stem; in a short message, one more lookup a pair of words, also in C.
Long messages (the 1,600-character reading) weigh no pairs: they would double the
reader's cost there. Letter groups inside words were tried and left out: no better on
files left out (docs/understanding.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, repeat
from pathlib import Path

HERE = Path(__file__).parent / "lexicons"
SUFFIX = ".danger-weights.tsv"
STEM = 5  # letters: "overd" for overdose, overdosed, overdosin
WORD, STEMS, PAIRS = "w", "s", "p"  # the kinds of n-gram, as the weights file names them
_KINDS = {WORD: "word", STEMS: "stem", PAIRS: "pair"}  # as `ivr understand` names them
PAIRS_UP_TO = 60  # words: pairs are weighed in a message this long or shorter
SHOWN = 5  # n-grams `ivr understand` names


def features(words: tuple[str, ...] | list[str]) -> list[str]:
    """Every n-gram of a message, one entry each time it occurs, named as the weights
    file names them ("w\tdying", "s\tdying"): what training counts and what
    `SecondOpinion.score` adds up, one weight per entry."""
    found = []
    for word in words:
        found += (f"{WORD}\t{word}", f"{STEMS}\t{word[:STEM]}")
    if len(words) <= PAIRS_UP_TO:
        found += (f"{PAIRS}\t{a} {b}" for a, b in pairwise(words))
    return found


@dataclass(frozen=True, slots=True)
class Opinion:
    score: float
    threshold: float
    weighed: tuple[tuple[str, float], ...] = ()  # the n-grams that weighed most, heaviest first

    @property
    def danger(self) -> bool:
        return self.score >= self.threshold


class _Words(dict):
    """A learnt word's weight with its stem's; a word never learnt weighs as its stem
    (worked out each time and not kept: no word of a message is stored)."""

    __slots__ = ("stems",)

    def __missing__(self, word: str) -> float:
        return self.stems.get(word[:STEM], 0.0)


class SecondOpinion:
    def __init__(self, bias: float, threshold: float, weights: dict[str, float]):
        self.bias = bias
        self.threshold = threshold
        self.weights = weights  # every n-gram by its name (see `features`)
        self.stems = {k[2:]: w for k, w in weights.items() if k[0] == STEMS}
        # A learnt word's weight and its stem's, added once.
        self.words = _Words(
            (k[2:], w + self.stems.get(k[2 : 2 + STEM], 0.0))
            for k, w in weights.items()
            if k[0] == WORD
        )
        self.words.stems = self.stems
        self.pairs = {
            tuple(k[2:].split(" ")): w for k, w in weights.items() if k[0] == PAIRS
        }  # by (word, next word), as `pairwise` makes them

    def score(self, words: tuple[str, ...]) -> float:
        """The bias and every n-gram's weight: a word never learnt weighs as its stem."""
        score = self.bias + sum(map(self.words.__getitem__, words))
        if len(words) <= PAIRS_UP_TO:
            score += sum(map(self.pairs.get, pairwise(words), repeat(0.0)))
        return score

    def judge(self, words: tuple[str, ...]) -> Opinion | None:
        """Danger in the reader's opinion, or None: the one call `findings.scan` makes."""
        score = self.score(words)
        return Opinion(score, self.threshold) if score >= self.threshold else None

    def weigh(self, words: tuple[str, ...]) -> Opinion:
        """The score with the n-grams that pushed it most towards danger (for `ivr
        understand`; slower than `judge`, and never on the line's path)."""
        weights: dict[str, float] = {}
        for name in features(words):
            weights[name] = weights.get(name, 0.0) + self.weights.get(name, 0.0)
        heaviest = sorted(weights.items(), key=lambda kw: (-kw[1], kw[0]))[:SHOWN]
        shown = tuple((_shown(name), w) for name, w in heaviest if w > 0)
        return Opinion(self.score(words), self.threshold, shown)


def _shown(name: str) -> str:
    kind, _, gram = name.partition("\t")
    return f"{_KINDS[kind]} {gram!r}"


def path_for(language: str) -> Path:
    return HERE / f"{language}{SUFFIX}"


@lru_cache(maxsize=8)
def load(language: str) -> SecondOpinion | None:
    """The language's shipped weights, or None where it has none (Welsh, for now)."""
    path = path_for(language)
    if not path.is_file():
        return None
    return parse(path.read_text(encoding="utf-8"), path)


def parse(text: str, path: Path | str = "<weights>") -> SecondOpinion:
    settings: dict[str, float] = {}
    weights: dict[str, float] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            if len(parts) == 2:
                settings[parts[0]] = float(parts[1])
            elif len(parts) == 3 and parts[0] in _KINDS:
                weights[f"{parts[0]}\t{parts[1]}"] = float(parts[2])
            else:
                raise ValueError(line)
        except ValueError:
            raise ValueError(
                f"{path}, line {number}: expected 'NAME<TAB>NUMBER' or 'KIND<TAB>N-GRAM<TAB>"
                "WEIGHT'; this file is made by `python3 dev.py train`, so make it again "
                "rather than editing it."
            ) from None
    missing = {"bias", "threshold"} - settings.keys()
    if missing:
        raise ValueError(
            f"{path}: no {' or '.join(sorted(missing))} line; make the file again with "
            "`python3 dev.py train`."
        )
    return SecondOpinion(settings["bias"], settings["threshold"], weights)
