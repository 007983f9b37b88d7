"""The routes of a guide, as a draft says them: the danger answer, and the resources.

    danger_sentence(written)        the guide's own "call 999" sentence (else a decision)
    talk(written)                   its Samaritans sentence, with the number, or None
    danger(written, first, talk)    999 and someone to talk to first, then the guide's step
                                    for someone who cannot cope, then what it leaves open
    support(written)                each resource with the guide's sentence naming it
    linked(text, links)             bare addresses ("StopNCII.org") given whole by text

Pure: the guide's words, the language's lexicon (which step reads as danger).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ivr.guide.facts import names
from ivr.guide.written import Step, Written
from ivr.guide.yaml_out import Decide, Texts
from ivr.keywords import normalise
from ivr.understanding.lexicon_file import load as load_lexicon

NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")


_BARE = re.compile(r"(?<![/\w.])([A-Za-z0-9-]+)((?:\.[A-Za-z0-9-]+)*\.(?:org|uk|com|net))\b(?!/)")


def linked(text: str, links: tuple[str, ...]) -> str:
    """A text with each bare web address of the guide's resources ("StopNCII.org") as its
    name and the whole address: by text an address needs https:// to open safely."""

    def whole(match: re.Match) -> str:
        host = match.group(0).lower().removeprefix("www.")
        url = next((u for u in links if _host(u) == host), None)
        return f"{match.group(1)} ({url})" if url else match.group(0)

    return _BARE.sub(whole, text)


def talk(written: Written) -> str | None:
    """The guide's sentence naming Samaritans with their number, if it gives one."""
    for line in all_lines(written):
        for sentence in re.split(r"(?<=[.!?])\s+", line.text):
            if "samaritans" in sentence.lower() and re.search(r"\d{3}", sentence):
                return sentence
    return None


def danger_sentence(written: Written) -> str | Decide:
    """The guide's own 999 sentence: its important note's, else the first it says."""
    for lines in (written.note, tuple(all_lines(written))):
        for line in lines:
            for sentence in re.split(r"(?<=[.!?])\s+", line.text):
                if "999" in sentence:
                    return sentence
    return Decide("the sentence telling someone in immediate danger to call 999")


def all_lines(written: Written):
    yield from written.short_answer
    yield from written.donts
    for step in written.steps:
        yield from step.words
    yield from (*written.can_wait, *written.reassurance, *written.scope, *written.note)


def danger(written: Written, danger, samaritans) -> Texts:
    """999 and Samaritans first, then the guide's step for someone who cannot cope (the
    one the lexicon's danger words read), then what the guide leaves open."""
    first = [danger, samaritans or Decide("who someone can talk to now, with the number")]
    crisis = _crisis_step(written)
    rest = [line.text for line in crisis.words] if crisis else []
    rest = [r for r in rest if r not in first]
    extra: list = []
    said = " ".join(rest)
    named = [n for n in NATIONS if re.search(rf"\b{n}\b", said)]
    if named and len(named) < len(NATIONS):
        others = ", ".join(n for n in NATIONS if n not in named)
        extra.append(
            Decide(
                f"the same routes in {others}, where the guide names "
                f"{' and '.join(named)} only, with their sources (or delete "
                "this line)"
            )
        )
    extra.append(
        Decide(
            "a route for someone who would rather text than talk, with its "
            "source (or delete this line)"
        )
    )
    deaf = Decide(
        "what a deaf or speech-impaired texter is told about reaching 999 "
        "(emergencySMS and Relay UK's 18000: see docs/script-format.md), with sources",
        "Deaf? emergencySMS, or 18000 with Relay UK.",
    )
    voice = [first, rest, extra] if rest else [first, extra]
    return Texts(voice, [*voice, [deaf]])


def _crisis_step(written: Written) -> Step | None:
    lexicon = load_lexicon("en-GB")
    danger = [*lexicon.words("danger.words"), *lexicon.words("danger.distress")]
    for step in reversed(written.steps):
        said = f" {normalise(' '.join(line.text for line in step.words))} "
        if any(f" {p} " in said for p in danger):
            return step
    return None


# -- the resources ----------------------------------------------------------------------


def support(written: Written) -> Texts:
    """Each resource with the guide's sentence that names it: the address by text, the
    site by phone, and where the guide gives no number for it, a decision."""
    groups: dict[str, list[str]] = {}
    unnamed: list[str] = []
    for resource in written.resources:
        sentence = _naming(written, resource.text)
        if sentence is None:
            unnamed.append(resource.text)
        else:
            groups.setdefault(sentence, []).append(resource.text)
    voice, sms = [], []
    for sentence, urls in groups.items():
        sites = list(dict.fromkeys(_host(u) for u in urls))
        said = [sentence, f"Online: {', '.join(sites)}."]
        if not re.search(r"\d{3}", sentence):
            service = _service(sentence, urls[0])
            said.append(
                Decide(
                    f"a phone number for {service}, for callers (the guide gives "
                    f"only {urls[0]}), with its source; or delete this line"
                )
            )
        voice.append(said)
        sms.append([f"{linked(sentence, tuple(urls))} {' '.join(urls)}"])
    if unnamed:
        voice.append([f"More help online: {', '.join(_host(u) for u in unnamed)}."])
        sms.append([f"More help: {' '.join(unnamed)}"])
    return Texts(voice, sms)


def _naming(written: Written, url: str) -> str | None:
    site = _host(url).split(".")[0]
    for line in all_lines(written):
        for sentence in sentences_of(line.text):
            squashed = normalise(sentence).replace(" ", "")
            if site in squashed or any(
                site in normalise(n).replace(" ", "") for n in names(sentence)
            ):
                return sentence
    return None


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def _service(sentence: str, url: str) -> str:
    site = _host(url).split(".")[0]
    for name in names(sentence):
        if site in normalise(name).replace(" ", ""):
            return name
    return _host(url)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or url).removeprefix("www.")
