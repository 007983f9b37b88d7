"""Reading one message, step by step, keeping what each step found.

    scan(tables, text, here) -> Findings     what was found, and where
    Findings.reading(...)    -> Reading      what it all means, most urgent first

The steps, in order (each one the module of its own name):

1. disguises: symbols, digits and clipped forms undone in the written text ("k!ll",
   "od'd"), then the words cut (`tokens`), then spaced letters, stretched words and
   homophones undone ("s u i c i d e", "diiie", "sue a side");
2. typos: small slips corrected to the word meant ("suicidle");
3. idioms: everyday phrases that hold a danger word ("my battery is dying") hide that
   word from the danger steps, and only from them (so they are looked for only where a
   danger step found something);
4. danger: phrases in every tense, patterns, doses, emoji; a phrase that is danger only
   when negated ("I don't feel safe"); a weak call for help ("please help");
   and for each, whether it is clearly denied ("I'm not in danger");
   then, only where none of that found danger (a weak call aside), the second opinion:
   a statistical reader's score over the same words (`second_opinion`), danger above
   its threshold;
5. topics: the script's and the lexicon's words, cancelled by a negation before them;
6. age: a child under 18, by an age, a school year or a phrase (`ages`).

Steps 3 to 5 take their phrases, and the patterns' and idioms' starts, from one search
of the words for every table at once (`phrases.Search`, compiled code); only what it
finds is looked at in Python. The same search, made before step 1's word rules, tells
them whether any could change a word (`disguises.suspects`); it is made again only
where a disguise or a typo changed the words. Where time goes, and why:
docs/performance.md.

`ivr understand` prints these findings, so an operator sees which rule decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from ivr.script import GO
from ivr.understanding.disguises import Change
from ivr.understanding.negation import REACH
from ivr.understanding.phrases import Found, spaced
from ivr.understanding.second_opinion import Opinion
from ivr.understanding.tokens import Tokens, tokenise
from ivr.understanding.vocabulary import PERSON, Meaning, Reading

MAX_WORDS = 400  # a long SMS is about 300 words; the rest is not read
MAX_CHARACTERS = 1600  # the most Twilio delivers in one message
NUMBER_BEFORE = 3  # words: "took 30 of my tablets" counts its number as a sign
DOSE_QUESTIONS = frozenset({("can", "i"), ("should", "i"), ("how", "many"), ("is", "it")})
DEATH_WORDS = frozenset({"die", "dying", "dead", "kill", "suicide", "suicidal", "overdose", "od"})
MANY = 5  # tablets: fewer is an everyday dose ("take two tablets")
# "tablets with food", "every 4 hours" ("" is a word an idiom hid: "every day")
ROUTINE_AFTER = frozenset({"for", "with", "daily", "twice", "once", "every", ""})
OWNERS = frozenset({"my", "your", "his", "her", "their", "our"})  # "did you take your tablets"
SHORT = 3  # words: a control's one-word synonym counts only in a clause this short
ONE_DOSE = frozenset({"a", "an", "1", "2"})  # right before a medicine: "took an ibuprofen"
COUPLE = ("couple", "of")  # "a couple of nurofen"
IDIOM_PAST_FILLERS = 3  # words: an idiom at least this long reads past fillers inside it
# "X is killing me" where X is a thing (`_things_killing`): the danger phrases and the
# verbs before them, longest first.
KILLING = frozenset({"killing me", "kill me", "killed me"})
KILLING_VERBS = (("is", "trying", "to"), ("are", "trying", "to"), ("is",), ("are",), ("was",))
THING_KILLING = "{a thing} is killing me (harm_doers)"
NEAR = 10  # words either side of danger found, where idioms are read past fillers

PHRASE, PATTERN, DOSE, WHEN_NEGATED, WEAK, OPINION = (
    "phrase", "pattern", "dose", "danger when negated", "weak call for help", "second opinion",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Hit:
    """Danger found: how (PHRASE, PATTERN, ...), what, where, and its denial if any."""

    kind: str
    what: str
    start: int
    end: int
    denied: str | None = None  # the words that clearly deny it ("not", "dont")


@dataclass(frozen=True, slots=True)
class Topic:
    """A phrase that leads somewhere, where it starts, and whether a negation cancels it."""

    phrase: str
    start: int
    meanings: tuple[Meaning, ...]
    cancelled: bool = False
    cancelled_by: str = "a negation before it"
    end: int = -1  # the index after its last word (-1: the whole message, or not known)
    pattern: bool = False  # a topic pattern (`topic_patterns`), not a phrase


@dataclass(slots=True)
class Findings:
    tokens: Tokens  # the words as read: disguises undone, typos corrected
    changes: list[Change] = field(default_factory=list)  # disguises undone
    fixes: list[tuple[str, str]] = field(default_factory=list)  # typos: (written, read)
    idioms: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, idiom)
    danger: list[Hit] = field(default_factory=list)
    unsigned: list[str] = field(default_factory=list)  # medicines named with no sign of harm
    in_use: list[str] = field(default_factory=list)  # means named beside an everyday use
    joke: str | None = None  # the laugh that made violence a joke ("lol")
    topics: list[Topic] = field(default_factory=list)
    child: str | None = None  # what says a child is involved
    safe: str | None = None  # "I'm safe", said beside a need: the crisis numbers first
    opinion: Opinion | None = None  # the second opinion, where it found danger

    def reading(self, danger_meaning: Meaning, child_meaning: Meaning | None):
        """What the findings mean (see `meaning.Reading`)."""
        clauses = self.tokens.clauses
        found = [
            m
            for t in self.topics
            if not t.cancelled
            for m in t.meanings
            # a control's one everyday word ("back", "more") inside a longer clause is
            # part of a sentence ("should I message them back"), not a request
            if not (
                m.is_control and " " not in t.phrase and clauses.count(clauses[t.start]) > SHORT
            )
        ]
        child = self.child is not None or (child_meaning is not None and child_meaning in found)
        if child and child_meaning is not None:
            found.append(child_meaning)
        strong = [h for h in self.danger if h.kind != WEAK]
        asks = any((m.kind == GO and not m.is_control) or m.kind == PERSON for m in found)
        # Danger clearly denied, beside a need: the crisis numbers first, then that need.
        # Denied with nothing else asked ("I'm not suicidal") is still answered as danger.
        denied = (all(h.denied for h in strong) if strong else self.safe is not None) and asks
        if strong:
            danger = not denied
        else:  # a weak call for help is danger only when nothing else is understood
            danger = bool(self.danger) and not any(m.kind == GO for m in found)
        if danger:
            found.append(danger_meaning)
        meanings = tuple(sorted(dict.fromkeys(found), key=lambda m: m.rank))
        return Reading(meanings, danger, child, denied)


def scan(tables, text: str, here: str | None) -> Findings:
    """Every step over one message. `tables`: a compiled `meaning.Understanding`."""
    text, changes = tables.disguises.undo_text(text[:MAX_CHARACTERS])
    tokens = tokenise(text)
    if len(tokens.words) > MAX_WORDS:
        tokens = Tokens(tokens.words[:MAX_WORDS], tokens.clauses[:MAX_WORDS])
    spaced_words = spaced(tokens.words)
    # Every table's phrases and the disguises' suspects, in one pass over the words.
    found = tables.search(spaced_words)
    # The words as a set, made once for the disguises, the typos and the patterns (each
    # asks which of its words the message holds), and again only where the words change.
    present = set(tokens.words)
    undone, more = tables.disguises.undo_words(tokens, found, present)
    findings = Findings(undone, changes + more)
    if not undone.words:
        return findings
    if undone is not tokens:
        present = set(undone.words)
    present = _correct(tables, findings, present)
    if findings.tokens.words != tokens.words:  # a disguise undone or a typo corrected
        spaced_words = spaced(findings.tokens.words)
        found = tables.search(spaced_words)  # searched again, as they now read
    _find_danger(tables, findings, found, spaced_words, present)
    _second_opinion(tables, findings)
    said = findings.tokens.text
    _find_topics(tables, findings, found, here, said, present)
    findings.child = tables.ages.child_rule(said)
    if findings.child is None and tables.child_meaning is not None:
        _adult_school(tables, findings, said)
    return findings


def _adult_school(tables, findings: Findings, said: str) -> None:
    """School words ("doing my A levels") that are an adult's: long ago, or beside the
    writer's own age of 18 or more (`ages.Ages.adult_school`), lead nowhere."""
    child = tables.child_meaning
    if not any(child in t.meanings and not t.cancelled for t in findings.topics):
        return
    why = tables.ages.adult_school(said)
    if why is None:
        return
    findings.topics = [
        Topic(t.phrase, t.start, t.meanings, True, why, t.end, t.pattern)
        if child in t.meanings and not t.cancelled
        else t
        for t in findings.topics
    ]


def _correct(tables, findings: Findings, present: set[str]) -> set[str]:
    """Typos corrected; `present`: the words as a set. Gives back the set of the words
    as they now read."""
    words = findings.tokens.words
    corrected = tables.typos.correct_all(words, present)
    if corrected is words:
        return present
    findings.fixes = [(w, c) for w, c in zip(words, corrected, strict=True) if w != c]
    findings.tokens = Tokens(corrected, findings.tokens.clauses)
    return set(corrected)


def _find_danger(tables, findings: Findings, found: Found, text: str, present: set[str]) -> None:
    """`found`: what the one search found in the words; `text`: the words spaced;
    `present`: the words as a set (for the patterns and idioms; after idioms hide words
    it still holds them, which only lets a rule be tried that then fails)."""
    tokens = findings.tokens
    words = tokens.words
    doses = tables.doses(text)
    patterns = tables.patterns.find(words, found, present)
    # Idioms only ever take danger away, so they are read only where there is some.
    danger_tables = (tables.danger, tables.when_negated, tables.safe_said, tables.weak)
    if patterns or doses or any(map(found.within, danger_tables)):
        findings.idioms = _idioms(tables, words, found, present, patterns, doses)
        findings.idioms += _things_killing(tables, words, found)
    if findings.idioms:  # the danger steps read the message as if the idioms were not there
        hidden = set()
        for start, end, _ in findings.idioms:
            hidden.update(range(start, end))
        words = tuple("" if i in hidden else w for i, w in enumerate(words))
        found = found.hiding(hidden)
        doses = [(s, e) for s, e in doses if hidden.isdisjoint(range(s, e))]
        patterns = tables.patterns.find(words, found, present)  # `present` holds these words too
    hits = findings.danger
    for start, phrase in found.find(tables.danger):
        if phrase in tables.medicines and _medicine_alone(tables, words, start, phrase):
            findings.unsigned.append(phrase)
            continue
        if phrase in tables.everyday_means and _in_use(tables, present):
            findings.in_use.append(phrase)
            continue
        hits.append(Hit(PHRASE, phrase, start, start + len(phrase.split())))
    hits += [Hit(PATTERN, rule, s, e) for s, e, rule in patterns]
    if doses and not _prescribed(tables, present):
        hits += [Hit(DOSE, " ".join(words[s:e]), s, e) for s, e in doses]
    if hits and all(h.what in tables.jokes for h in hits):
        findings.joke = _laugh(tables, tokens, present)
        if findings.joke:
            hits.clear()
    for start, phrase in found.find(tables.when_negated):
        if tables.negation.before(tokens, start):
            hits.append(Hit(WHEN_NEGATED, phrase, start, start + len(phrase.split())))
    findings.safe = next((phrase for _, phrase in found.find(tables.safe_said)), None)
    if not hits:
        hits += [
            Hit(WEAK, phrase, start, start + len(phrase.split()))
            for start, phrase in found.find(tables.weak)
        ]
        return
    findings.danger = [h if h.kind == WHEN_NEGATED else _denied(tables, tokens, h) for h in hits]


def _idioms(tables, words, found: Found, present: set[str], patterns, doses) -> list[tuple]:
    """The idioms in the words, and those with fillers between their words ("my phone is
    literally dying", "my mum would so actually kill me"): found in the words without
    their fillers (`idiom_fillers`), each put back over the words it spans, fillers
    inside included. An idiom of two words reads past no filler ("dying, so to be
    clear" is not "dying to"): a filler skipped there joins words too easily. Only the
    words near danger found (`_near_danger`) are read again: an idiom elsewhere hides
    nothing, and a long message is not searched twice."""
    idioms = tables.idioms.find(words, found, present)
    fillers = tables.idiom_fillers
    if fillers.isdisjoint(present):
        return idioms
    fewer: list[str] = []
    kept: list[int] = []  # each word of `fewer`: its place in `words`
    last = -1
    for i in _near_danger(tables, found, patterns, doses, len(words)):
        if words[i] in fillers:
            continue
        if last >= 0 and i > last + 1 and not fillers.issuperset(words[last + 1 : i]):
            fewer.append("")  # a gap between two windows: no idiom reads across it
            kept.append(-1)
        fewer.append(words[i])
        kept.append(i)
        last = i
    fewer_words = tuple(fewer)
    more = {
        (kept[start], kept[end - 1] + 1, idiom)
        for start, end, idiom in tables.idioms.find(fewer_words, None, present)
        if end - start >= IDIOM_PAST_FILLERS and kept[end - 1] + 1 - kept[start] > end - start
    }
    return sorted(more.union(idioms)) if more else idioms


def _things_killing(tables, words: tuple[str, ...], found: Found) -> list[tuple]:
    """ "The Eurovision voting is killing me", "this Friday is trying to kill me": a
    "killing me" whose subject, the word before "is" or "are", is neither someone who
    could harm (`harm_doers`: "he", "my ex", "them") nor a pain ("guilt", "it",
    "everything"): an idiom (start, end, THING_KILLING), as the lexicon's idioms are."""
    found_here = []
    for start, phrase in found.find(tables.danger):
        if phrase not in KILLING:
            continue
        before = words[max(0, start - 4) : start]
        for verb in KILLING_VERBS:
            n = len(verb)
            if before[-n:] == verb and len(before) > n:
                subject = before[-n - 1]
                if subject and subject not in tables.harm_doers:
                    found_here.append((start - n - 1, start + len(phrase.split()), THING_KILLING))
                break
    return found_here


def _near_danger(tables, found: Found, patterns, doses, count: int) -> list[int]:
    """The places of the words within NEAR words of any danger found (phrases, patterns,
    doses), in order: where an idiom read past fillers could hide something."""
    near: set[int] = set()
    for table in (tables.danger, tables.when_negated, tables.safe_said, tables.weak):
        sizes = table.sizes
        for number, at, _ in found.hits(table):
            near.update(range(at - NEAR, at + sizes[number] + NEAR))
    for start, end, *_ in (*patterns, *doses):
        near.update(range(start - NEAR, end + NEAR))
    return sorted(i for i in near if 0 <= i < count)


def _second_opinion(tables, findings: Findings) -> None:
    """Where the rules found no danger (a weak call for help aside), the statistical
    reader may find some (`second_opinion`); it never takes danger away."""
    if tables.second_opinion is None or any(h.kind != WEAK for h in findings.danger):
        return
    opinion = tables.second_opinion.judge(findings.tokens.words)
    if opinion is not None:
        findings.opinion = opinion
        findings.danger.append(
            Hit(OPINION, f"score {opinion.score:.2f}", 0, len(findings.tokens.words))
        )


def _medicine_alone(tables, words: tuple[str, ...], start: int, phrase: str) -> bool:
    """A medicine named with no sign of harm: no amount or word of dying anywhere in the
    message, no number of five or more just before it, and no verb of taking unless the
    medicine is someone's own or taken for something ("I need to take my tablets", "take
    ibuprofen for the swelling"). "Paracetamol" on a shopping list is everyday; "took 30
    paracetamol" and "swallowed all the pills" are read as danger."""
    end = start + len(phrase.split())
    if not any(words[:start]) and not any(words[end:]):
        return False  # the medicine is all the message says: a sign in itself
    if _asks_about_a_dose(words):
        return True
    said = set(words)
    if not tables.medicine_signs.isdisjoint(said):
        return False
    before = words[max(0, start - NUMBER_BEFORE) : start]
    if any(w.isdigit() and int(w) >= MANY for w in before):
        return False  # "30 paracetamol", "thirty of my tablets"
    routine = not OWNERS.isdisjoint(before) or (end < len(words) and words[end] in ROUTINE_AFTER)
    # One or two taken ("took an ibuprofen", "a couple of nurofen"), or as prescribed.
    routine = routine or (start > 0 and words[start - 1] in ONE_DOSE) or before[-2:] == COUPLE
    routine = routine or not tables.prescribers.isdisjoint(said)
    return routine or tables.medicine_verbs.isdisjoint(said)


def _prescribed(tables, said: set[str]) -> bool:
    """A medicine or dose said beside who prescribed or dispensed it ("the doctor upped
    my sertraline to 100mg", "the pharmacist said 500mg"), with no sign of harm."""
    return not tables.prescribers.isdisjoint(said) and tables.medicine_signs.isdisjoint(said)


def _in_use(tables, said: set[str]) -> bool:
    """A knife, rope, bleach, razor, blade or gun named beside what it is used for
    ("dice the onion with the small knife", "bleach the whites"), with no sign of harm
    (a body part, a plan, a threat, oneself: `means_signs`)."""
    return not tables.everyday_uses.isdisjoint(said) and tables.means_signs.isdisjoint(said)


def _laugh(tables, tokens: Tokens, said: set[str]) -> str | None:
    """The laugh that makes violence a joke ("I'm going to kill my brother lol"): a word
    of `laughs` in the message not after a negation ("not joking")."""
    for i, word in enumerate(tokens.words):
        if word in tables.laughs and word in said and not tables.negation.before(tokens, i):
            return word
    return None


def _asks_about_a_dose(words: tuple[str, ...]) -> bool:
    """ "Can I take ibuprofen with paracetamol?", "how many can I take in a day?": a
    question about a dose, unless it names dying ("how many would kill me")."""
    return not DOSE_QUESTIONS.isdisjoint(pairwise(words)) and DEATH_WORDS.isdisjoint(words)


def _denied(tables, tokens: Tokens, hit: Hit) -> Hit:
    denial = tables.denial.denies(tokens, hit.start, hit.end)
    return Hit(hit.kind, hit.what, hit.start, hit.end, denial) if denial else hit


def _find_topics(
    tables, findings: Findings, found: Found, here: str | None, said: str, present: set[str]
) -> None:
    """`said`: the words joined by spaces (`Tokens.text`); `present`: the words as a set."""
    tokens = findings.tokens
    if len(said) <= tables.whole_only_longest and said in tables.whole_only:
        findings.topics.append(Topic(said, 0, tuple(tables.pick(said, here))))
    # A negation that denies a danger phrase has its object: it cancels nothing after it
    # ("I'm not suicidal what should I do" still asks what to do).
    denied_ends = [h.end for h in findings.danger if h.denied]

    def cancelled(start: int) -> bool:
        if not tables.negation.before(tokens, start):
            return False
        return not any(start - REACH <= end <= start for end in denied_ends)

    topics = [
        Topic(phrase, start, tuple(tables.pick(phrase, here)), cancelled(start),
              end=start + phrase.count(" ") + 1)
        for start, phrase in found.find(tables.topics)
    ]  # fmt: skip
    words = tokens.words
    for start, end, rule in tables.topic_patterns.find(words, found, present):
        # never across a negation the pattern does not name ("what should i never do")
        if tables.negation.among(words[start:end]) and not _names_negation(tables, rule):
            continue
        meaning = (tables.topic_meanings[rule],)
        topics.append(Topic(rule, start, meaning, cancelled(start), end=end, pattern=True))
    findings.topics += _without_overlaps(topics) if len(topics) > 1 else topics


def _names_negation(tables, rule: str) -> bool:
    """Whether a topic pattern's own words or slots hold a negation ("{doesnt_need} ...")."""
    return tables.negation.among(tables.topic_words(rule))


def _without_overlaps(topics: list[Topic]) -> list[Topic]:
    """Where topics overlap, the one that starts first, then the longest, is read; of
    equal span, the phrase ("what can i do ... tomorrow" over "what can i do", "is it safe
    to tap the link" over "tap the link"), as phrases are among themselves (`phrases`)."""
    kept: list[Topic] = []
    for t in sorted(topics, key=lambda t: (t.start, -t.end, t.pattern)):
        if not kept or t.start >= kept[-1].end:
            kept.append(t)
    return kept
