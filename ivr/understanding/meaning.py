"""What a message means: the script's roles and options, most urgent first.

    for_script(script, channel)        -> Understanding   compiled once per script and channel
    Understanding.read(text, here)     -> Reading         `here`: the node the person is at
    Understanding.findings(text, here) -> Findings        how it was read, step by step

One reading serves typed text and recognised speech alike. A Reading lists the meanings
found, each once, most urgent first:

1. danger: any danger or distress phrase of the lexicon or the script's danger option,
   in any tense (see `inflection`), a danger pattern (see `patterns`), a medicine, a
   dose ("800mg"), an emoji; negated or not. A when-negated phrase only after a
   negation ("I don't feel safe"); a weak one ("please help") only when nothing else is
   understood. Disguised spellings are undone first (see `disguises`), and a danger word
   inside a known idiom ("my battery is dying") is not danger. Where the rules find no
   danger, a statistical reader trained on the corpus may still find some, above its
   threshold (see `second_opinion`); it never takes danger away.
2. under 18: an age, a school year, or an under-18 phrase (see `ages`).
3. the other roles, in the order the script's `roles:` lists them, then options that
   lead to other nodes, in the order the script writes them.
4. asking for a person, then the controls: the main menu, next, repeat.

Danger that is clearly denied beside something asked ("I'm not in danger, I just want
it taken down") is not the danger answer: the Reading says `denied`, and the engine
gives the crisis numbers first and then what was asked. Anything less clear stays
danger (see `negation.Denial`).

Topic phrases (everything but danger) are cancelled by a negation shortly before them
("I didn't click it"). A phrase made only of negations (the keyword DONT) counts only as
the whole message, so "I don't want to live" is never "what not to do". Small typos are
forgiven (see `typos`). Where phrases overlap, the one that starts first, then the
longest, is read ("should I click it" asks what not to do, not "clicked").

Everything that depends only on the script and lexicon (phrase tables as automata, the
danger patterns' and idioms' starts, the typo index, the disguises' word lists) is built
in `for_script`; reading a message is one pass of compiled code over its words for every
table at once (see `phrases`), a few set operations and dict lookups, whatever the size
of the lexicon (the steps: `findings`). Its cost, and what each choice bought, is in
docs/performance.md.
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import MappingProxyType

from ivr.script import GO, Script
from ivr.understanding import lexicon as lexicons
from ivr.understanding import lexicon_file, patterns, second_opinion
from ivr.understanding.ages import Ages
from ivr.understanding.disguises import Disguises
from ivr.understanding.findings import MAX_CHARACTERS, MAX_WORDS, Findings, scan
from ivr.understanding.inflection import forms
from ivr.understanding.negation import Denial, Negation
from ivr.understanding.phrases import Phrases, Search
from ivr.understanding.tokens import digits_at
from ivr.understanding.vocabulary import (
    CHILD_RANK,
    DANGER,
    DANGER_RANK,
    NEXT,
    PERSON,
    PERSON_RANK,
    Entry,
    Meaning,
    Reading,
    corrector,
    ranks,
    script_words,
)

__all__ = [
    "DANGER",
    "MAX_CHARACTERS",
    "MAX_WORDS",
    "NEXT",
    "NOTHING",
    "PERSON",
    "Meaning",
    "Reading",
]

DANGER_LISTS = ("danger.words", "danger.distress", "danger.medications", "danger.emoji")


NOTHING = Reading(())


class Understanding:
    """A script's words and its language's lexicon, compiled for reading messages."""

    def __init__(
        self, script: Script, lexicon: lexicons.Lexicon, channel: str, opinion: bool = True
    ):
        roles = script.roles
        self.danger_meaning = Meaning(GO, roles["danger"], DANGER_RANK)
        self.child_meaning = (
            Meaning(GO, roles["under_18"], CHILD_RANK) if "under_18" in roles else None
        )
        self.negation = Negation(lexicon.words("negation.words"), lexicon.words("negation.breaks"))
        denials = (*lexicon.words("negation.words"), *lexicon.words("negation.of_danger"))
        self.denial = Denial(denials, lexicon.words("negation.hedges"))
        self.ages = _ages(lexicon.words("relations"))
        self._entries, danger_words = _entries(script, lexicon, channel, self.danger_meaning)
        self.whole_only = {w for w in self._entries if self.negation.is_negation(w)}
        # A message longer than any of them is none of them, and is not hashed to ask.
        self.whole_only_longest = max(map(len, self.whole_only), default=-1)
        self.units = frozenset(lexicon.words("danger.dose_units"))
        units = "|".join(map(re.escape, sorted(self.units)))
        # "800mg" or "800 mg", as whole words of the spaced message (see `phrases`). It
        # starts with a space, which the regular expression engine finds fast.
        self.dose = re.compile(rf" \d+(?:  )?(?:{units})(?= )") if units else None
        # Every tense of a danger phrase: "end it" also hears "ending it" and "ended it".
        inflected = frozenset(form for word in danger_words for form in forms(word))
        self.danger = _danger(inflected)
        frozen_slots = _slots(lexicon)
        self.patterns = _patterns(lexicon.words(lexicons.PATTERNS), frozen_slots)
        self.idioms = _patterns(lexicon.words("idioms"), frozen_slots)
        self.when_negated = Phrases(lexicon.words("danger.when_negated"))
        self.safe_said = Phrases(lexicon.words("negation.safe_said"))
        self.weak = Phrases(lexicon.words("danger.weak"))
        # A medicine named alone is danger only beside a sign (findings._medicine_alone).
        self.medicines = frozenset(
            form for word in lexicon.words("danger.medications") for form in forms(word)
        )
        self.medicine_signs = frozenset(lexicon.words("medicine_signs"))
        self.medicine_verbs = frozenset(lexicon.words("medicine_verbs"))
        self._everyday_use(lexicon)
        self.topics = Phrases(w for w in self._entries if w not in self.whole_only)
        topics = _topic_tables(script, lexicon, frozen_slots)  # "where do i even start"
        self.topic_meanings, self.topic_patterns, self._topic_words = topics
        danger_slots = _danger_slots(lexicon, frozen_slots)
        self.typos = corrector(lexicon, danger_words, self._entries, inflected, dict(danger_slots))
        self.disguises = _disguises(_spellings(lexicon), inflected, danger_slots)
        # A statistical reader where the rules found no danger (`opinion` False: rules alone)
        self.second_opinion = second_opinion.load(script.language) if opinion else None
        # Every table above, the patterns' and idioms' starts, and what the disguises look
        # for, found in one pass.
        self.search = Search(
            (
                self.danger,
                self.patterns,
                self.idioms,
                self.when_negated,
                self.safe_said,
                self.weak,
                self.topics,
                self.topic_patterns,
                self.disguises.suspects,
            )
        )

    def _everyday_use(self, lexicon: lexicons.Lexicon) -> None:
        """The lists that let danger words in everyday use go (round nine, `findings`)."""
        # Words an idiom reads past: "my phone is literally dying" is "my phone is dying".
        self.idiom_fillers = frozenset(lexicon.words("idiom_fillers"))
        self.prescribers = frozenset(lexicon.words("prescribers"))
        # A means named alone is danger unless beside an everyday use (findings._in_use).
        self.everyday_means = frozenset(
            form for word in lexicon.words("everyday_means") for form in forms(word)
        )
        self.everyday_uses = frozenset(lexicon.words("everyday_uses"))
        self.means_signs = frozenset(lexicon.words("means_signs"))
        # Violence said with a laugh is a joke, where all the danger is one of these.
        self.jokes = frozenset(lexicon.words("jokes"))
        self.laughs = frozenset(lexicon.words("laughs"))
        # "X is killing me" is danger only where X is one of these (findings._things_killing).
        self.harm_doers = frozenset(lexicon.words("harm_doers"))

    def read(self, text: str, here: str | None = None) -> Reading:
        found = scan(self, text, here)
        if not found.tokens.words:
            return NOTHING
        return found.reading(self.danger_meaning, self.child_meaning)

    def findings(self, text: str, here: str | None = None) -> Findings:
        """How a message is read, step by step (for `ivr understand`)."""
        return scan(self, text, here)

    def doses(self, text: str) -> list[tuple[int, int]]:
        """Where a number with a unit of dose stands, "800mg" or "800 mg", as (first word,
        word after it); `text`: the spaced words (see `phrases`)."""
        if self.dose is None:
            return []
        found = []
        # Where a digit starts a word: the only places the pattern (" 800") can start.
        for at in digits_at(text):
            if text[at - 1] == " ":
                match = self.dose.match(text, at - 1)
                if match:
                    word = text.count("  ", 0, at)  # two spaces stand between words
                    found.append((word, word + 1 + ("  " in match.group())))
        return found

    def topic_words(self, rule: str) -> frozenset[str]:
        """Every word a topic pattern can match itself: its own and its slots'."""
        return self._topic_words[rule]

    def pick(self, word: str, here: str | None) -> list[Meaning]:
        for entry in self._entries.get(word, ()):
            if entry.where is None or entry.where == here:
                return [entry.meaning]
        return []


@lru_cache(maxsize=128)  # a Script is hashed by identity: one compile per script and channel
def for_script(script: Script, channel: str) -> Understanding:
    """The script's words on one channel (an option offered only by phone has no meaning
    in a text), with its language's lexicon and its own `lexicon:` additions."""
    return Understanding(script, lexicon_for(script), channel)


@lru_cache(maxsize=16)  # scripts of one language share their patterns
def _patterns(rules: tuple[str, ...], slots: tuple) -> patterns.Patterns:
    return patterns.Patterns(rules, dict(slots))


@lru_cache(maxsize=32)  # scripts of one language share their danger phrases, mostly
def _danger(inflected: frozenset[str]) -> Phrases:
    return Phrases(inflected)


@lru_cache(maxsize=16)  # a Lexicon is hashed by identity: one per language, mostly
def _slots(lexicon: lexicons.Lexicon) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The lexicon's slots by name, sorted, as a key."""
    return tuple(sorted(lexicon.slots().items()))


@lru_cache(maxsize=16)
def _danger_slots(lexicon: lexicons.Lexicon, slots: tuple) -> tuple:
    """The slots a danger pattern or idiom names, as a key: those only topic patterns name
    are everyday words of asking ("now", "who", "helpline"), not words the disguises undo
    into, nor words kept from typo fixes."""
    topic_only = {n for name in lexicons.TOPIC_PATTERNS for r in lexicon.words(name)
                  for n in patterns.slots_named(r)}  # fmt: skip
    topic_only -= {n for name in (lexicons.PATTERNS, lexicons.IDIOMS)
                   for r in lexicon.words(name) for n in patterns.slots_named(r)}  # fmt: skip
    return tuple((name, phrases) for name, phrases in slots if name not in topic_only)


@lru_cache(maxsize=16)  # a language's relations: the same for all its scripts
def _ages(relations: tuple[str, ...]) -> Ages:
    return Ages(relations)


def _spellings(lexicon: lexicons.Lexicon) -> tuple:
    """What the disguises read of the lexicon, as a key: sounds like, clipped, objects,
    fillers and text-speak (the mappings as their items, in the order written)."""
    return (
        tuple(lexicon.mapping("spellings.sounds_like").items()),
        tuple(lexicon.mapping("spellings.clipped").items()),
        lexicon.words("spellings.objects"),
        lexicon.words("spellings.fillers"),
        tuple(lexicon.mapping("spellings.text_speak").items()),
    )


# Built once for the same danger phrases and spellings: scripts of one language differ
# only in the few danger words of their own options, most often not at all (the tests
# check hundreds of scripts; building one takes about 40 ms, 2026-12-07).
@lru_cache(maxsize=32)
def _disguises(spellings: tuple, inflected: frozenset[str], slot_items: tuple) -> Disguises:
    """Disguises undone only into the words of danger phrases and of the danger slots."""
    sounds_like, clipped, objects, fillers, text_speak = spellings
    slots = dict(slot_items)
    vocabulary = {t for p in inflected for t in p.split()}
    vocabulary |= {t for slot in slots.values() for p in slot for f in forms(p) for t in f.split()}
    return Disguises(
        vocabulary,
        dict(sounds_like),
        dict(clipped),
        objects,
        fillers,
        dict(text_speak),
        inflected,
        short_words=[p for p in slots.get("ending", ()) if " " not in p],  # as written
        intent_ends={f.split()[-1] for p in slots.get("intent", ()) for f in forms(p)},
    )


def lexicon_for(script: Script) -> lexicons.Lexicon:
    """The script's language's lexicon, with the crisis words of every other language the
    script speaks (people switch: "I want to die" in a Welsh conversation is danger, and
    so is "dw i eisiau marw" in an English one), and the script's own additions."""
    others = tuple(dict.fromkeys((script.translated_from, *script.languages)))
    language = _spoken(script.language, others)
    own, _ = lexicon_file.parse(script.lexicon, script.path) if script.lexicon else (None, [])
    return language.extended(own) if own else language


# One Lexicon object for the scripts that speak the same languages (the language files
# are read once, `lexicon_file.load`): the memos keyed by a Lexicon (`_slots`, the known
# words) then serve them all, rather than missing for each script that speaks two.
@lru_cache(maxsize=16)
def _spoken(language: str, others: tuple[str, ...]) -> lexicons.Lexicon:
    """The language's lexicon with the crisis words of the others."""
    found = lexicon_file.load(language)
    for other in others:
        if other and other != language:
            found = found.extended(_crisis_words(lexicon_file.load(other)))
    return found


# The lists another language's crisis words live in: its words and distress, and its
# patterns with the slots they name (each language names its own slots).
_CRISIS_LISTS = ("danger.words", "danger.distress", lexicons.PATTERNS)


def _crisis_words(lexicon: lexicons.Lexicon) -> lexicons.Lexicon:
    kept = {
        name: found
        for name, found in lexicon.lists.items()
        if name in _CRISIS_LISTS or name.startswith(lexicons.SLOTS + ".")
    }
    return lexicons.Lexicon(lexicon.path, lexicon.language, MappingProxyType(kept))


def _topic_tables(script: Script, lexicon: lexicons.Lexicon, slots: tuple) -> tuple:
    """Topics asked with words between ("where do i even start"): each topic pattern's
    meaning, the patterns compiled, and each pattern's own words (its slots' too)."""
    meanings = _topic_pattern_meanings(script, lexicon)
    named = dict(slots)
    words = {rule: _rule_words(rule, named) for rule in meanings}
    return meanings, _patterns(tuple(meanings), slots), words


def _rule_words(rule: str, slots: dict[str, tuple[str, ...]]) -> frozenset[str]:
    words = set()
    for part in rule.split():
        named = patterns.slots_named(part)
        for phrase in (p for name in named for p in slots.get(name, ())) if named else (part,):
            words.update(phrase.split())
    return frozenset(words)


def _topic_pattern_meanings(script: Script, lexicon: lexicons.Lexicon) -> dict[str, Meaning]:
    """Each topic pattern of the script's roles, with the topic it leads to (the first
    role that lists it, in the lexicon's order of roles)."""
    roles, node_ranks = script.roles, ranks(script)
    found: dict[str, Meaning] = {}
    for role in lexicons.TOPIC_ROLES:
        if role in roles:
            meaning = Meaning(GO, roles[role], node_ranks[roles[role]])
            for rule in lexicon.words(f"topic_patterns.{role}"):
                found.setdefault(rule, meaning)
    return found


def _entries(script: Script, lexicon: lexicons.Lexicon, channel: str, danger: Meaning):
    """The script's and the lexicon's words with what each means (script entries first: an
    option's own words beat the lexicon at its node), and the words that mean danger."""
    roles = script.roles
    node_ranks = ranks(script)
    entries: dict[str, list[Entry]] = {}
    danger_words = {p for name in DANGER_LISTS for p in lexicon.words(name)}
    for word, meaning, where in script_words(script, node_ranks, channel):
        if meaning.target == danger.target and meaning.kind == GO:
            danger_words.add(word)
        else:
            entries.setdefault(word, []).append(Entry(meaning, where))
    for role in lexicons.TOPIC_ROLES:
        if role in roles:
            meaning = Meaning(GO, roles[role], node_ranks[roles[role]])
            for word in lexicon.words(f"topics.{role}"):
                entries.setdefault(word, []).append(Entry(meaning, None))
    for word in lexicon.words("person"):
        entries.setdefault(word, []).append(Entry(Meaning(PERSON, None, PERSON_RANK), None))
    ordered = {w: tuple(sorted(e, key=lambda x: x.where is None)) for w, e in entries.items()}
    return ordered, danger_words
