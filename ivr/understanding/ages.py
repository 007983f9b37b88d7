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
- an age that opens the message or is said of us, the image or a birthday (round nine):
  "15 and scared", "just 13 if that matters", "we're both 14", "a pic of me at 15",
  "me aged 14 in the photo", "my 15th birthday" (not "...was years ago");
- about to turn 18 or younger, or just turned 17 or younger: "I'm turning 18 next
  month", "I'll be 17", "I turned 16 last month";
- a school year: England and Wales Years 7 to 13, Northern Ireland Years 8 to 14
  (and the primary years before them: "year 9", "yr 10", "Y11"), Scotland S1 to S6 ("I'm
  in S3", "s4 pupil", or the whole message).

Not a child: 18 and over ("I'm 18", "my son is 19", "I turned 18"); an age followed by a
unit or a count ("I was 15 minutes late", "I'm 16 stone", "5 foot 2", "10 years older",
"10 pints in", "12 floors up"); a year of university, work or a club ("year 2 of uni",
"in year 3 of my degree", "a mature student in year 1", "a year 7 club"); a school year
beside the writer's own age of 18 or more, with no one else spoken of ("I'm 19 and in
year 13"); a phone ("samsung s6", "my s7"). Words such as "teenager", "doing my A
levels" or "a pupil of mine" are lexicon phrases (topics.under_18, and its topic patterns:
"revising for my mocks", "first year of secondary"), not patterns here.

Whose age: where the writer says "this is about me" ("my sister is 14 but this is about
me", and round nine's "this is my photo", "the message was sent to me"), only their own
age or school year counts ("I'm 15", "I was 16 in the photo", "I'm in year 9"), not ages
or school years they give of others. School words are an adult's (`adult_school`, which
`findings` asks before the school words lead to the under-18 answer) when said of long
ago ("did my A levels back in 1998", or any year up to 2015: "did my GCSEs in 2009"), as
a qualification held or a level of training ("an A level in maths", "a level 3
apprentice"), by someone who teaches, coaches or runs a group (unless a pupil or player
is spoken of), or beside the writer's own age of 18 or more; in each case with no one
else spoken of and no image from then ("the photo is from when I was doing my GCSEs"
stays a child).
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
    r"lbs?|cm|grand|quid|percent|degrees|points?|pints?|drinks?|beers?|floors?|doors?|stops?|"
    r"laps?|shifts?|nights?|rounds?|games?|levels?|episodes?|storeys?|steps?|"
    r"years? (?:older|younger|ago|later|into|married|together|clean|sober|since|on))"
)
_NOT_UNIT = rf"(?! {_UNITS}\b)"
_MAYBE = r"(?: (?:only|just|nearly|almost|like|about|currently|now|still|actually|literally))?"
_SEX = r"(?:m|f|male|female|boy|girl|lad)"
# After a school year, words that make it a year of something else ("year 2 of uni").
_NOT_SCHOOL = {"of", "uni", "university", "degree", "phd", "masters", "course", "apprenticeship",
               "placement", "job", "work", "marriage", "relationship", "training", "mature",
               "club"}  # fmt: skip
# What stands right before a school year's number ("year 9", "yr10", "s3"; see `_needed`).
_YEAR_ENDS = ("y", "r", "s", "y ", "r ", "s ")
_OWN_BEFORE = {"im", "am", "m", "i", "me", "were"}  # "i'm in year 9", "me in year 10"
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
    # round nine: "this is my photo", "the message was sent to me"
    (" my ", 12, re.compile(
        r"\b(?:its|it is|it s|this is|thats|that is|theyre|they are) my (?:photos?|pics?|"
        r"pictures?|images?|videos?|nudes?)\b")),
    (" to me", 30, re.compile(
        r"\b(?:message|messages|text|texts|email|threat|threats|link) (?:was|were|is|are|got)"
        r"(?: sent| sent only| only sent| addressed)? (?:to|for) me\b")),
    (" of me", 30, re.compile(r"\b(?:theyve|they have|they ve) got (?:photos?|pics?|pictures?|"
                              r"images?|videos?|nudes?) of me\b")),
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
    r"headteacher|teaching assistant|school nurse|dinner lady|governor|youth worker|coach)\b"
    r"|\bi (?:teach|work in a|work at a|work in the|work at the|coach|help coach|run a|help run)\b"
)
# ... unless a pupil is spoken of ("a pupil of mine got this"): then the school words may
# be about that child.
_PUPIL = re.compile(
    r"\b(?:pupils?|students?|kids?|child|children|girls?|boys?|lads?|of mine|players?|"
    r"young people|young person|one of my|one of our|one of the)\b"
)
_STAFF_AFTER = {"teacher", "teachers", "tutor", "ta", "lead", "leader", "coordinator"}
_TEACH_BEFORE = {"teach", "teaching", "taught", "tutor"}
# School long ago: "did my A levels back in 1998", "finished sixth form years ago".
_LONG_AGO = re.compile(
    r"\b(?:years|decades|ages|a long time|long) ago\b|\bback in (?:19|20)\d\d\b|\bin 19\d\d\b"
    # a year of 2015 or before: school then is eleven years back or more, whenever read
    r"|\bin (?:200\d|201[0-5])\b"
)
# An A level held ("I've got an A level in maths"), or a level of training ("a level 3
# apprentice"): an adult's, not someone at school.
_HELD = re.compile(
    r"\b(?:an|got an?|have an?|has an?|with an?|hold an?) a levels? in\b|\ba level \d\b"
)
# ... unless the image is from then: "the photo is from when I was doing my GCSEs".
_THEN = re.compile(r"\bwhen i was\b|\bfrom when\b|\bat the time\b")
_OWN_ADULT = re.compile(
    rf"\b(?:im|i am|iam)(?: only| just| nearly| now| actually)? (\d{{2}})\b{_NOT_UNIT}"
)

# An age that opens the message ("15 and scared", "just 13 if that matters"), or a birthday
# ("my 14th birthday"): the writer's own, or a child spoken of.
_OPENING = re.compile(
    rf"^(?:only |just )?{_N} and\b(?! a half| \d)|^(?:only|just) {_N}\b{_NOT_UNIT}"
    rf"|\b(?:my|her|his|their|our) {_N}(?:st|nd|rd|th) birthday\b"
    r"(?! (?:was |were )?(?:years|decades|ages|a long time) ago)"
)
# He, she, they, or we ("we're both 14"), before an age.
_PRONOUN_IS = (
    r"(?:hes|shes|theyre|(?:he|she|they) (?:is|was|are|were)"
    r"|(?:were|we are|we were)(?: both| all)?)"
)
# The writer in the image at an age: "a pic of me at 15", "me aged 14 in the photo" (not
# "meet me at 10": an image or "of" comes first, or the image after).
_IMAGE_AT = (
    rf"\bof me (?:at|aged) {_N}\b{_NOT_UNIT}",
    rf"\bme (?:at|aged) {_N} in (?:the|that|this|those|these) (?:photos?|pictures?|pics?|"
    rf"videos?|images?)\b",
)

# The writer's own age alone (the first, second and fifth forms of `Ages._age`).
_OWN_AGE = re.compile(
    "|".join(
        (
            rf"\b(?:im|i am|iam|i m){_MAYBE} {_N}\b{_NOT_UNIT}",
            rf"\b(?:im|i am|iam) {_N} ?(?:yrs?|years?|yo|y o)\b(?! (?:older|younger))",
            rf"\b(?:i was|when i was|since i was|i was only|i was just){_MAYBE} {_N}\b{_NOT_UNIT}",
            *_IMAGE_AT,
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
        pronoun_is = _PRONOUN_IS
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
                    *_IMAGE_AT,
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
            (_OPENING, ADULT, "an age that opens the message, or a birthday"),
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
            found = self._school_year(text, start, end, about_me)
            if found and not self._own_adult(text):
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
        if _HELD.search(text):
            return "a qualification held or a level of training, not school"
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

    def _own_adult(self, text: str) -> bool:
        """The writer gives their own age as 18 or more, and speaks of no one else: a
        school year beside it is theirs as an adult ("I'm 19 and in year 13")."""
        if _THEN.search(text):  # "the pic is from when i was in year 9, im 19 now"
            return False
        adult = any(int(m.group(1)) >= ADULT for m in _OWN_ADULT.finditer(text))
        return adult and not (self._others and self._others.search(text))

    def _school_year(self, text: str, start: int, end: int, own: bool = False) -> str | None:
        """A school year in text[start:end]; `own`: only the writer's own ("I'm in year
        9"), as where the message says it is about them ("I run a year 9 club, it's me
        they've got photos of")."""
        for match in self._school.finditer(text, start, end):
            after = text[match.end() :].split()[:3]
            before = text[: match.start()].split()[-2:]
            if own and _OWN_BEFORE.isdisjoint(before):
                continue
            if after[:1] == ["of"] or _NOT_SCHOOL & {*after, *text[: match.start()].split()[-3:]}:
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
