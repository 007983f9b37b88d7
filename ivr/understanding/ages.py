"""Ages: whether a message says someone under 18 is involved.

    Ages(relations).child(text)      -> bool        text in the normal form of `tokens`
    Ages(relations).child_rule(text) -> str | None  which rule said so, for `ivr understand`

Under 18 counts when the message says so of the person writing or of someone they speak
about, now or in the image:

- an age from 5 to 17 in digits or words: "I'm 14", "i am fifteen", "age 16",
  "aged 13", "14 years old", "15yo", "im 15yrs", "I was 15 in the photo", "from when I
  was 16", "my son is 15", "she's 14", "my 15 year old", "my pupil is 13"; a message that
  is only an age ("fourteen");
- age and sex as people post them: "15 m", "15f", "m 15", "15 male";
- about to turn 18 or younger, or just turned 17 or younger: "I'm turning 18 next
  month", "I'll be 17", "I turned 16 last month";
- a school year: England and Wales Years 7 to 13, Northern Ireland Years 8 to 14
  (and the primary years before them: "year 9", "yr 10", "Y11"), Scotland S1 to S6 ("I'm
  in S3", "s4 pupil", or the whole message).

Not a child: 18 and over ("I'm 18", "my son is 19", "I turned 18"); an age followed by a
unit ("I was 15 minutes late", "I'm 16 stone", "5 foot 2", "10 years older"); a year of
university or work ("year 2 of uni", "in year 3 of my degree"); a phone ("samsung s6",
"my s7"). Words such as "teenager", "doing my A levels" or "a pupil of mine" are lexicon
phrases (topics.under_18), not patterns here.

Whose age: where the writer says "this is about me" ("my sister is 14 but this is about
me"), only their own age counts ("I'm 15", "I was 16 in the photo"), not ages they give of
others. School words are an adult's (`adult_school`, which `findings` asks before the
school words lead to the under-18 answer) when said of long ago ("did my A levels back
in 1998") or beside the writer's own age of 18 or more, with no one else spoken of and
no image from then ("the photo is from when I was doing my GCSEs" stays a child).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ivr.understanding.tokens import digits_at, has_digits

ADULT = 18
YOUNGEST = 5  # smaller numbers in these patterns are almost never an age
_N = r"(\d{1,2})"
_UNITS = (
    r"(?:minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|weeks?|months?|pounds?|quid|p|"
    r"pence|percent|pm|am|times?|k|mg|mgs|ml|miles?|km|m|of|x|or|to|messages?|texts?|"
    r"pictures?|photos?|people|links?|stone|st|foot|feet|ft|inch|inches|kg|kgs|kilos?|"
    r"lbs?|cm|grand|quid|percent|degrees|points?|"
    r"years? (?:older|younger|ago|later|into|married|together|clean|sober|since|on))"
)
_NOT_UNIT = rf"(?! {_UNITS}\b)"
_MAYBE = r"(?: (?:only|just|nearly|almost|like|about|currently|now|still|actually|literally))?"
_SEX = r"(?:m|f|male|female|boy|girl|lad)"
# After a school year, words that make it a year of something else ("year 2 of uni").
_NOT_SCHOOL = {"of", "uni", "university", "degree", "phd", "masters", "course", "apprenticeship",
               "placement", "job", "work", "marriage", "relationship", "training"}  # fmt: skip
# What stands right before a school year's number ("year 9", "yr10", "s3"; see `_needed`).
_YEAR_ENDS = ("y", "r", "s", "y ", "r ", "s ")
_PHONES = {"samsung", "galaxy", "note", "my", "an", "the", "iphone", "phone", "android", "pixel"}


# "This is about me": the person writing is the one it is about, whatever ages of others
# they give ("my sister is 14 but this is about me").
_ABOUT_ME = re.compile(r"\b(?:this|it|its|thats|that)(?: is| s)? (?:about|for) me\b")
# ... and other ways of saying it (round eight): "it's me they're threatening", "the pics
# are of me", "my own photo". Each is looked for only around its key words (`_about_me`):
# one expression for all of them over a long message cost 80 us.
_MINE = (
    ("s me ", 6, re.compile(
        r"\b(?:its|it is|it s) me (?:theyre|they are|they|hes|he is|shes|she is|who got|"
        r"who was|who clicked|who is)\b")),
    (" of me", 25, re.compile(
        r"\b(?:photos?|pics?|pictures?|images?|videos?|nudes?) (?:is|are|was|were) of me\b")),
    ("my own ", 0, re.compile(r"\bmy own (?:photos?|pics?|pictures?|images?|nudes?)\b")),
)  # fmt: skip


def _about_me(text: str) -> bool:
    """Whether the writer says the message, threat or image is about them."""
    if ("about me" in text or "for me" in text) and _ABOUT_ME.search(text):
        return True
    for key, back, pattern in _MINE:
        at = text.find(key)
        while at >= 0:
            if pattern.search(text, max(0, at - back), at + len(key) + 16):
                return True
            at = text.find(key, at + 1)
    return False


# Someone who works in a school: their school words, and a year they teach, are not a
# child's ("I'm a year 8 teacher", "I teach year 10", "I work in a primary school").
_STAFF = re.compile(
    r"\b(?:im|i am|i m|i work as|work as) an? (?:\w+ ){0,2}(?:teacher|ta|tutor|lecturer|"
    r"headteacher|teaching assistant|school nurse|dinner lady|governor)\b"
    r"|\bi (?:teach|work in a|work at a|work in the|work at the)\b"
)
# ... unless a pupil is spoken of ("a pupil of mine got this"): then the school words may
# be about that child.
_PUPIL = re.compile(r"\b(?:pupils?|students?|kids?|child|children|girls?|boys?|lads?|of mine)\b")
_STAFF_AFTER = {"teacher", "teachers", "tutor", "ta", "lead", "leader", "coordinator"}
_TEACH_BEFORE = {"teach", "teaching", "taught", "tutor"}
# School long ago: "did my A levels back in 1998", "finished sixth form years ago".
_LONG_AGO = re.compile(
    r"\b(?:years|decades|ages|a long time|long) ago\b|\bback in (?:19|20)\d\d\b|\bin 19\d\d\b"
)
# ... unless the image is from then: "the photo is from when I was doing my GCSEs".
_THEN = re.compile(r"\bwhen i was\b|\bfrom when\b|\bat the time\b")
_OWN_ADULT = re.compile(
    rf"\b(?:im|i am|iam)(?: only| just| nearly| now| actually)? (\d{{2}})\b{_NOT_UNIT}"
)

# The writer's own age alone (the first, second and fifth forms of `Ages._age`).
_OWN_AGE = re.compile(
    "|".join(
        (
            rf"\b(?:im|i am|iam|i m){_MAYBE} {_N}\b{_NOT_UNIT}",
            rf"\b(?:im|i am|iam) {_N} ?(?:yrs?|years?|yo|y o)\b(?! (?:older|younger))",
            rf"\b(?:i was|when i was|since i was|i was only|i was just){_MAYBE} {_N}\b{_NOT_UNIT}",
        )
    )
)


class Ages:
    def __init__(self, relations: Iterable[str]):
        nouns = "|".join(sorted((re.escape(r) for r in relations if r), key=len, reverse=True))
        # Someone else spoken of: a relation ("my daughter"), he or she ("they" is most
        # often the blackmailer here).
        others = [re.escape(r) for r in relations if r and r != "they"]
        self._others = re.compile(rf"\b(?:{'|'.join(others)}|his|her)s?\b") if others else None
        pronoun_is = r"(?:hes|shes|theyre|(?:he|she|they) (?:is|was|are|were))"
        noun_is = rf"(?:{nouns})s?(?: (?:is|was|who is|whos|thats|aged))?" if nouns else "(?!)"
        self._age = re.compile(
            "|".join(
                (
                    rf"\b(?:im|i am|iam|i m){_MAYBE} {_N}\b{_NOT_UNIT}",
                    rf"\b(?:im|i am|iam) {_N} ?(?:yrs?|years?|yo|y o)\b(?! (?:older|younger))",
                    rf"\b(?:age|aged|ages|my age is)(?: of)? {_N}\b",
                    rf"\b{_N} ?(?:years? old|yrs? old|yr old|yo|yos|y o|years of age)\b",
                    rf"\b(?:i was|when i was|since i was|i was only|i was just){_MAYBE} "
                    rf"{_N}\b{_NOT_UNIT}",
                    rf"\b(?:{pronoun_is}|{noun_is}){_MAYBE} {_N}\b{_NOT_UNIT}",
                    rf"\b(?:{nouns}|person|me) (?:in|from) (?:the|that|this|those|these) "
                    rf"(?:photos?|pictures?|pics?|videos?|images?) (?:is|was|are|were){_MAYBE} "
                    rf"(?:only |just )?{_N}\b{_NOT_UNIT}",
                )
            )
        )
        self._sex = re.compile(
            rf"(?:^|\bim |\bi am )(?:{_N} ?{_SEX}|{_SEX} ?{_N})(?: |$)|\b{_N} ?(?:male|female)\b"
        )
        self._turning = re.compile(rf"\b(?:turning|turn|ill be|i will be|be) {_N}\b{_NOT_UNIT}")
        self._turned = re.compile(rf"\b(?:turned|just turned) {_N}\b{_NOT_UNIT}")
        self._under = re.compile(
            rf"(?<!not )\b(?:under|below|younger than|not yet|not even) {_N}\b{_NOT_UNIT}"
        )
        self._school = re.compile(r"\b(?:year|yr|y) ?(\d{1,2})\b")
        self._scottish = re.compile(
            r"(?:^|\b(in|im|i am|an|my|the|galaxy|samsung|note) )s ?([1-6])\b( (?:pupil|student))?"
        )
        self._alone = re.compile(r"^(\d{1,2})(?: (?:years?|yrs?|yo))?$")
        # Each rule with the youngest number that is not a child under it.
        self._ages = (
            (self._age, ADULT, "an age under 18"),
            (self._sex, ADULT, "an age with a sex (15 m)"),
            (self._turning, ADULT + 1, "turning 18 or younger"),
            (self._turned, ADULT, "just turned 17 or younger"),
            (self._under, ADULT + 1, "under an age of 18 or younger ('under 16')"),
        )
        # "This is about me": the writer's own age counts, others' are set aside.
        self._own_ages = ((_OWN_AGE, ADULT, "an age under 18"), *self._ages[1:])
        # Each number the rules above can take for a child, as digits: a message with none
        # of these strings has no such number ("05" holds "5"), so they are not read.
        self._young = tuple(str(n) for n in range(YOUNGEST, max(a[1] for a in self._ages)))
        # Every rule reads a number, and spans at most `reach` characters around it.
        reaches = [_reach(r) for r in (*(a[0] for a in self._ages), self._school, self._scottish)]
        self._reach = None if None in reaches else max(reaches)

    def child(self, text: str) -> bool:
        return self.child_rule(text) is not None

    def child_rule(self, text: str) -> str | None:
        """Which rule says a child under 18 is involved, or None."""
        # Number words are digits by now (`tokens`): a message without a digit is no age.
        if not has_digits(text):
            return None
        return self.child_near(text, self._reach, quick=True)

    def child_near(self, text: str, reach: int | None, quick: bool = False) -> str | None:
        """`child_rule`, reading the rules only within `reach` characters of a number
        (None: the whole text; the same answer, more slowly). `quick`: a family of rules
        is not read at all where no number it needs stands (`_needed`): the same answer."""
        at = digits_at(text)
        stretches = _near_numbers(text, reach, at)
        # "This is about me": only the writer's own age says a child, not others' given.
        about_me = _about_me(text)
        rules = self._own_ages if about_me else self._ages
        needed, school = self._needed(text, at) if quick else (True, True)
        for pattern, limit, rule in rules if needed else ():
            if any(_any_under(pattern, text, start, end, limit) for start, end in stretches):
                return rule
        for start, end in stretches if school else ():
            found = self._school_year(text, start, end)
            if found:
                return found
        alone = self._alone.match(text)
        if alone and 10 <= int(alone.group(1)) < ADULT:
            return "a message that is only an age"
        return None

    def adult_school(self, text: str) -> str | None:
        """Why a school word ("A levels", "sixth form") is an adult's, or None: said long
        ago or beside the writer's own age of 18 or more, with no one else spoken of and
        no image from then ("the photo is from when I was doing my GCSEs")."""
        if _THEN.search(text) or (self._others and self._others.search(text)):
            return None
        if _LONG_AGO.search(text):
            return "school words said of long ago"
        if _STAFF.search(text) and not _PUPIL.search(text):
            return "school words of someone who works in a school"
        if any(int(m.group(1)) >= ADULT for m in _OWN_ADULT.finditer(text)):
            return "school words beside the writer's own age of 18 or more"
        return None

    def _needed(self, text: str, at: list[int]) -> tuple[bool, bool]:
        """Whether the age rules, and the school years, can match: each match holds its
        number as one or two digits (`\\d`: in ASCII, as the normal form has it, digits
        start at `at`). The age rules say a child only for a number from YOUNGEST to under
        their limit, which starts with one of `_young` ("05" with "5"); a school year's
        number comes right after "y", "yr" or "year" (a space between or not), a Scottish
        year's after "s", and both are 1 to 14."""
        if not text.isascii():
            return True, True
        ages = any(text.startswith(self._young, a) for a in at)
        school = any(text.endswith(_YEAR_ENDS, 0, a) for a in at)
        return ages, school

    def _school_year(self, text: str, start: int, end: int) -> str | None:
        for match in self._school.finditer(text, start, end):
            after = text[match.end() :].split()[:3]
            before = text[: match.start()].split()[-2:]
            if after[:1] == ["of"] or _NOT_SCHOOL & {*after, *before}:
                continue  # "year 2 of uni", "in year 3 at university"
            if _STAFF_AFTER & {*after[:1]} or _TEACH_BEFORE & {*before[-1:]}:
                continue  # "a year 8 teacher", "I teach year 10"
            if 1 <= int(match.group(1)) <= 14:
                return "a school year (England, Wales, Northern Ireland)"
        for match in self._scottish.finditer(text, start, end):
            if match.group(1) in _PHONES:
                continue  # "samsung s6", "my s7": a phone
            if match.group(1) or match.group(3) or text.strip() == match.group().strip():
                return "a school year (Scotland)"  # "I'm in S3", "s4 pupil", or just "S2"
        return None


def _any_under(pattern: re.Pattern, text: str, start: int, end: int, limit: int) -> bool:
    for match in pattern.finditer(text, start, end):
        number = next(g for g in match.groups() if g is not None and g.isdigit())
        if YOUNGEST <= int(number) < limit:
            return True
    return False


def _near_numbers(text: str, reach: int | None, at: list[int]) -> list[tuple[int, int]]:
    """The stretches of `text` the rules need reading: within `reach` characters of a
    number (stretches that touch are one). A rule's every match holds a number and, with
    what it looks at around it, spans at most `reach` characters, so a match found in a
    stretch is one found in the whole text, and none is missed: nothing between two
    stretches can match, or end a match that hides the next. `reach` None: the whole
    text. `at`: where its digits are (`digits_at`)."""
    if reach is None:
        return [(0, len(text))]
    stretches: list[tuple[int, int]] = []
    for digit in at:
        start, end = max(0, digit - reach), min(len(text), digit + 1 + reach)
        if stretches and start <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], end)
        else:
            stretches.append((start, end))
    return stretches


def _reach(pattern: re.Pattern) -> int | None:
    """The most characters a match of `pattern` spans with what its assertions look at
    (and a character each side for \\b), from the regular expression parser's widest
    reading of it; None if unbounded or unknown (then whole texts are read)."""
    try:
        from re import _parser  # Python's own; should it move, texts are read whole
    except ImportError:
        return None
    # Lookarounds read characters without taking them: counted as if they took them.
    opened = re.sub(r"\(\?<?[=!]", "(?:", pattern.pattern)
    try:
        widest = _parser.parse(opened, pattern.flags).getwidth()[1]
    except Exception:  # any surprise means: read the whole text
        return None
    return None if widest >= _parser.MAXREPEAT else widest + 2
