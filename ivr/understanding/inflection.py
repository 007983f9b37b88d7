"""Inflected forms of a danger phrase, generated once when a lexicon compiles.

    forms(phrase) -> frozenset[str]   the phrase and its inflected forms, in normal form

Crisis language comes in every tense: a list that says "end it" must also hear "ending
it", "ended it" and "ends it"; "take my life" must hear "took my life" and "taken my
life". Staff write the base form once; this module adds the rest at load, so reading a
message stays exact phrase matching.

Only one word of a phrase is inflected: the first that can take an ending (danger phrases
lead with their verb: "cut myself", "hang myself", "want to die", "self harm").
Irregular verbs come from a small table of families ("take took taken taking takes");
any form of a family stands for all of them, so "took pills" also covers "taking pills".
Other words follow the regular English rules ("end" ending ended ends; "cope" coping
coped copes; "cut" cutting cuts; "cry" cries cried). Words that never inflect (pronouns,
negations, numbers, emoji codes) are left as written. The forms are pure strings; nothing
here knows about meanings.
"""

from __future__ import annotations

from functools import cache

# Irregular families: every form stands for the others. Kept to the verbs of crisis
# language; a regular verb needs no entry.
_FAMILIES = (
    "take takes taking took taken",
    "cut cuts cutting",
    "slit slits slitting",
    "hit hits hitting",
    "hurt hurts hurting",
    "hang hangs hanging hanged hung",
    "die dies dying died",
    "go goes going went gone",
    "give gives giving gave given",
    "swallow swallows swallowing swallowed",
    "overdose overdoses overdosing overdosed",
    "od ods oding oded",
    "drink drinks drinking drank drunk",
    "stab stabs stabbing stabbed",
    "shoot shoots shooting shot",
    "sleep sleeps sleeping slept",
    "find finds finding found",
    "get gets getting got gotten",
    "come comes coming came",
    "run runs running ran",
    "burn burns burning burned burnt",
    "bleed bleeds bleeding bled",
    "feel feels feeling felt",
    "say says saying said",
    "tell tells telling told",
    "leave leaves leaving left",
    "write writes writing wrote written",
    "drown drowns drowning drowned",
    "jump jumps jumping jumped",
    "kill kills killing killed",
)
_FAMILY = {form: tuple(f.split()) for f in _FAMILIES for form in f.split()}

# Words that never take an ending: inflecting them would only make noise.
_FIXED_WORDS = """i im ive id ill me my myself self mine you your he she they them we us it its
    a an the this that these those to of in on at off for with by from up down out over
    all and or but so no not dont cant cannot wont isnt didnt never any anymore more
    is am are was were be been being do does did have has had will would could should
    can may might must shall just really very too wanna gonna"""
_FIXED = frozenset(_FIXED_WORDS.split())


@cache
def forms(phrase: str) -> frozenset[str]:
    """`phrase` (normal form: lower case, single spaces) and its inflections."""
    words = phrase.split()
    if not words:
        return frozenset()
    for i, word in enumerate(words):
        found = word_forms(word)
        if len(found) > 1:
            return frozenset(" ".join([*words[:i], form, *words[i + 1 :]]) for form in found)
    return frozenset((phrase,))


@cache
def word_forms(word: str) -> tuple[str, ...]:
    """A word and its inflections; itself alone when it does not inflect."""
    if word in _FAMILY:
        return _FAMILY[word]
    if word in _FIXED or not word.isalpha() or not word.isascii() or len(word) < 3:
        return (word,)
    if word.endswith(("ing", "ed")) or (word.endswith("s") and not word.endswith("ss")):
        return (word,)  # already inflected (or a plural): the list says which form it means
    return (word, *_regular(word))


def _regular(word: str) -> tuple[str, ...]:
    if word.endswith("ie"):
        return (word + "s", word[:-2] + "ying", word + "d")
    if word.endswith("e"):
        return (word + "s", word[:-1] + "ing", word + "d")
    if word.endswith("y") and word[-2] not in "aeiou":
        return (word[:-1] + "ies", word + "ing", word[:-1] + "ied")
    if word.endswith(("sh", "ch", "x", "ss", "z")):
        return (word + "es", word + "ing", word + "ed")
    if _short_closed(word):
        stem = word + word[-1]
        return (word + "s", stem + "ing", stem + "ed")
    return (word + "s", word + "ing", word + "ed")


def _short_closed(word: str) -> bool:
    """One-syllable consonant-vowel-consonant words double their last letter ("stop")."""
    vowels = "aeiou"
    return (
        len(word) <= 4
        and word[-1] not in vowels + "wxy"
        and word[-2] in vowels
        and word[-3] not in vowels
        and sum(c in vowels for c in word) == 1
    )
