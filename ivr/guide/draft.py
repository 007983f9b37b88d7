"""A script drafted from a written guide, for both channels, inventing no fact.

    draft(written, source, script_id) -> dict   the document (ivr.guide.yaml_out renders it)

It says the guide in the guide's own words: the short answer as the welcome (its first
sentence by phone; the rest one menu down), the don'ts, the steps one at a time with
their points, what can wait, the reassurance and notes, and the resources as the
allowed links. Each "If you ..." step is offered on the main menu as a branch of its
own; the lexicon's topic words say which answers someone who clicked the link and
someone under 18. The 999 and Samaritans sentences the guide gives open the danger
answer and the goodbye.

What the guide does not give is a `Decide`: the key of each branch, the words that
choose the guide, a phone number for a route the guide names only by its website, the
routes for the other nations where it names one, and what deaf texters are told. The
words of the line itself (the menus, "press 1", "Some first steps:") are not facts; they
are the shipped script's.
"""

from __future__ import annotations

import re

from ivr.guide import routes
from ivr.guide.written import Line, Step, Written
from ivr.guide.yaml_out import Comment, Decide, Flow, Texts
from ivr.keywords import normalise
from ivr.understanding.lexicon_file import load as load_lexicon

_WORD = re.compile(r"[^a-z0-9]+")


def draft(written: Written, source: str, script_id: str) -> dict:
    cases = [s for s in written.steps if s.is_case]
    ids = {s.number: _slug(_condition(s)) for s in cases}
    roles = _roles(cases, ids)
    danger = routes.danger_sentence(written)
    samaritans = routes.talk(written)
    return {
        "format": 1,
        "id": script_id,
        "title": written.title,
        "language": "en-GB",
        "_1": Comment(""),
        "guide": _guide(written, source),
        "voice": {
            "name": "Polly.Amy-Neural",
            "language": "en-GB",
            "wait_seconds": 6,
            "key_names": Flow({'"*"': "star", '"#"': "hash"}),
        },
        "max_retries": 2,
        "sources": [
            {
                "fact": "What this script says that its guide says",
                "source": f"The guide: {written.title} ({source})",
            }
        ],
        "links": [r.text for r in written.resources],
        "roles": {
            "main": "main",
            "danger": "danger",
            **roles,
            "steps": "steps",
            "dont": "dont",
            "can_wait": "can-wait",
            "support": "support",
        },
        "phrases": _phrases(written, danger, samaritans),
        "globals": _globals(),
        "next": {
            "key": "1",
            "keyword": "NEXT",
            "synonyms": ["more", "next step", "go on"],
            "label": Flow({"voice": "for the next step", "sms": "for more"}),
            "last_label": "to go on",
        },
        "nodes": _nodes(written, cases, ids, danger, samaritans),
    }


def _guide(written: Written, source: str) -> dict:
    return {
        "source": source,
        "label": Decide(
            f"how a guide choice names this guide, where one number offers several, "
            f"like 'if {written.subtitle.text}' (or delete this line)"
        ),
        "keyword": Decide(
            "one word a texter sends to choose this guide there, like LINK (or delete this line)"
        ),
        "words": [
            Decide(
                "words a first text holds when it is about this guide, one a line "
                "(or delete this line)"
            )
        ],
    }


def _phrases(written: Written, danger: str | Decide, samaritans: str | None) -> dict:
    talk = samaritans or Decide(
        "who someone can talk to at any time, with the number (the "
        "goodbye must give Samaritans, 116 123)"
    )
    goodbye = Texts(
        [
            [
                "I haven't heard anything for a while, so I'll end the call now.",
                danger,
                talk,
                "You can call this line again at any time. Goodbye.",
            ]
        ],
        [],
    )
    return {
        "danger_line": Texts([[danger]], [[danger]]),
        "danger_first": Flow({"voice": "{label}, press {key}, at any time.", "sms": ""}),
        "welcome": Texts([[_sentences(written.short_answer)[0]]], [_texts(written.short_answer)]),
        "first_line": Flow({"voice": "", "sms": "Some first steps:"}),
        "menu_intro": Flow({"voice": "", "sms": "Reply with a number or word:"}),
        "choice": Flow({"voice": "{label}, press {key}.", "sms": "{key} - {label} ({keyword})"}),
        "word_choice": Flow({"voice": "", "sms": "{keyword} - {label}"}),
        "step_counter": Flow({"voice": "Step {number} of {total}.", "sms": "{number}."}),
        "step_continued": Flow({"voice": "", "sms": "{number} (continued)"}),
        "wrong_input": Flow({"voice": "Sorry, that isn't one of the choices.", "sms": ""}),
        "no_input": "",
        "goodbye": goodbye,
        "media": Flow({"voice": "", "sms": "Pictures and files can't be viewed here."}),
    }


def _globals() -> list:
    return [
        {
            "key": "9",
            "keyword": "DANGER",
            "synonyms": ["emergency", "in danger", "unsafe", "not safe", "can't cope"],
            "label": Flow(
                {
                    "voice": "if you are in danger or can't cope",
                    "sms": "if you're in danger or can't cope",
                }
            ),
            "target": "danger",
        },
        {
            "key": "0",
            "keyword": "MENU",
            "synonyms": ["main menu", "go back", "back"],
            "label": Flow({"voice": "for the main menu", "sms": "the main menu"}),
            "target": "main",
        },
        {
            "key": "*",
            "keyword": "REPEAT",
            "synonyms": ["say that again", "repeat that"],
            "label": "to hear this again",
            "action": "repeat",
            "channels": ["voice"],
            "announce": "main",
        },
    ]


def _main_menu(cases: list[Step], ids: dict) -> list:
    """Each case a branch (its key a decision); on the phone everything else one level
    down, by text every topic listed (a text is scanned, not heard)."""
    main = []
    for number, step in enumerate(cases, 1):
        label = _condition(step)[:1].lower() + _condition(step)[1:]
        key = Decide(f"a key for the branch '{label}': {number} is free", str(number))
        main.append(_go(key, _keyword(label), label, ids[step.number]))
    n = len(cases)
    main.append(_go(str(n + 1), "OTHER", "for the steps to take now, and everything else",
                    "more", ["voice"]))  # fmt: skip
    for i, (keyword, label, target) in enumerate(TOPICS, n + 1):
        main.append(_go(str(i), keyword, label, target, ["sms"]))
    return main


TOPICS = (
    ("STEPS", "the steps to take now", "steps"),
    ("DONT", "what not to do", "dont"),
    ("WAIT", "what can wait", "can-wait"),
    ("SUPPORT", "support and reporting", "support"),
    ("ABOUT", "reassurance and notes", "about"),
)


def _nodes(written, cases, ids, danger, samaritans) -> dict:
    short = _texts(written.short_answer)
    links = tuple(r.text for r in written.resources)
    nodes = {"main": {"options": _main_menu(cases, ids)}}
    nodes["more"] = {
        "text": Texts([_sentences(written.short_answer)[1:] or short], []),
        "options": [
            _go("1", "STEPS", "for the steps to take now", "steps"),
            _go("2", "DONT", "for what not to do", "dont"),
            _go("3", "WAIT", "for what can wait, and some reassurance", "can-wait"),
            _go("4", "SUPPORT", "for support and reporting routes", "support"),
        ],
    }
    for step in cases:
        nodes[ids[step.number]] = {"text": _step_text(step, links), "options": _onwards()}
    nodes["danger"] = {"text": routes.danger(written, danger, samaritans), "options": _onwards()}
    nodes["steps"] = {
        "text": Texts([["Here is what to do now, one step at a time."]], [["What to do now:"]]),
        "steps": [_step_text(s, links) for s in written.steps],
        "next": "main",
    }
    nodes["dont"] = {
        "text": _listed("Do not do these things", written.donts),
        "options": [_go("1", "STEPS", "for the steps to take now", "steps")],
    }
    wait = _listed("What can wait", written.can_wait)
    wait.voice.append(_texts(written.reassurance))
    nodes["can-wait"] = {
        "text": wait,
        "options": [*_onwards(), _go("3", "ABOUT", "for what this advice covers", "about")],
    }
    young = _roles(cases, ids)["under_18"]
    if not isinstance(young, str):  # no under-18 step: the way there is a decision too
        young = Decide(
            "which node answers 'if you are under 18' here: the one you name under roles: under_18",
            "main",  # the stand-in while the rest of the draft is linted
        )
    nodes["support"] = {
        "text": routes.support(written),
        "options": [
            _go("1", "YOUNG", "if you are under 18", young),
            _go("2", "STEPS", "for the steps to take now", "steps"),
        ],
    }
    about = [_texts(written.reassurance), _texts(written.scope), _texts(written.note)]
    nodes["about"] = {"text": Texts(about, [list(p) for p in about]), "options": _onwards()}
    return nodes


def _go(key, keyword: str, label: str, target: str, channels: list | None = None) -> Flow:
    values = {"key": key, "keyword": keyword, "label": label, "target": target}
    return Flow({**values, "channels": channels} if channels else values)


def _onwards() -> list:
    return [
        _go("1", "STEPS", "for the steps to take now", "steps"),
        _go("2", "SUPPORT", "for support and reporting routes", "support"),
    ]


# -- the guide's words ------------------------------------------------------------------


def _texts(lines) -> list[str]:
    return [line.text for line in lines]


def _sentences(lines) -> list[str]:
    return [s for line in lines for s in re.split(r"(?<=[.!?])\s+", line.text) if s]


def _step_text(step: Step, links: tuple[str, ...]) -> Texts:
    """A step: on the phone its sentences, each point a paragraph of its own; by text its
    sentence and lines, points as a list, a web address named bare given whole."""
    plain = [line.text for line in step.lines if line not in step.points]
    voice = [[step.title.text, *plain]] + [[p.text] for p in step.points]
    sms_lines = [step.title.text, *plain, *(f"- {p.text}" for p in step.points)]
    return Texts(voice, [[routes.linked(line, links) for line in sms_lines]])


def _listed(heading: str, items: tuple[Line, ...]) -> Texts:
    return Texts(
        [[f"{heading}."], *([i.text] for i in items)],
        [[f"{heading}:", *(f"- {i.text}" for i in items)]],
    )


def _condition(step: Step) -> str:
    """The case a step is for: its sentence up to the first comma ("If you are under 18")."""
    title = re.sub(r"\s*\([^)]*\)", "", step.title.text)
    return title.split(",")[0].rstrip(".")


def _slug(text: str) -> str:
    return _WORD.sub("-", text.lower()).strip("-")[:40].rstrip("-")


def _keyword(label: str) -> str:
    small = {"if", "you", "are", "already", "the", "a", "an", "is", "were", "was", "or", "of"}
    kept = [w for w in _WORD.split(label.lower()) if w and w not in small]
    return "".join(kept[:2]).upper() or "BRANCH"


def _roles(cases: list[Step], ids: dict) -> dict:
    """Which branch answers someone who clicked the link, and someone under 18: the
    language's topic words, found in the branch's case."""
    topics = load_lexicon("en-GB")
    found = {}
    for role in ("clicked_link", "under_18"):
        phrases = topics.words(f"topics.{role}")
        for step in cases:
            said = f" {normalise(_condition(step))} "
            if any(f" {p} " in said for p in phrases):
                found[role] = ids[step.number]
                break
        else:
            found[role] = Decide(
                f"which node answers someone for the role {role} (the guide "
                "has no such 'If you ...' step); write its id"
            )
    return found
