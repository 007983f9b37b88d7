"""Reading TwiML as Twilio would act it out: the one reader /try and the tests share.

    read_voice(body, url)  -> Voice       what a caller hears, and where the call goes next
    read_messages(body)    -> [Message]   what a texter receives
    NotTwiml                              raised when the body is not a TwiML <Response>

Voice verbs are played in order up to the first one that waits or moves on, as Twilio
plays them: <Say> and <Pause> are heard; a <Gather> waits for a key or speech (its
nested <Say>s heard first) and, on silence, Twilio falls through to the verbs after it;
<Redirect> moves on at once; <Dial> connects the call, and returns to its `action`;
<Hangup>, <Reject> or running out of verbs ends the call. Relative URLs resolve against
the document's own address, as Twilio's do. Nothing here imports Flask: it reads bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urljoin


class NotTwiml(ValueError):
    """The body is not a TwiML document (not XML, or not a <Response>)."""


@dataclass
class Voice:
    """What Twilio would do with one voice TwiML document."""

    root: ET.Element
    lines: list = field(default_factory=list)  # [kind, words]: "text", "pause" or "note"
    says: list[str] = field(default_factory=list)  # every <Say>, in document order
    gather: dict | None = None  # the <Gather>'s attributes, as written
    gather_url: str = ""  # where a key press or speech goes, resolved
    listen: str = ""  # the Gather's input: "dtmf", "speech" or both
    wait: str = ""  # the Gather's timeout in seconds
    silence: list = field(default_factory=list)  # what is heard after a silent Gather...
    after_silence: str = ""  # ...then the URL Twilio goes to ("": the call ends)
    redirect: str | None = None  # a <Redirect> target as written (followed at once if no Gather)
    redirect_url: str = ""  # the same, resolved
    dial: str = ""  # the <Dial action>, resolved, while a connected call is pretended
    ends: bool = False  # the call ends after this document
    hangup: bool = False  # it says <Hangup/> (or <Reject/>)

    @property
    def text(self) -> str:
        return " ".join(self.says)


@dataclass(frozen=True)
class Message:
    text: str
    media: bool = False


def root_of(body: bytes | str) -> ET.Element:
    """The <Response> element of a TwiML document."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise NotTwiml(f"The answer is not XML ({exc}).") from None
    if root.tag != "Response":
        raise NotTwiml(f"The answer is XML, but its root is <{root.tag}>, not <Response>.")
    return root


def read_voice(body: bytes | str, url: str = "") -> Voice:
    root = root_of(body)
    heard = Voice(root, says=[" ".join("".join(s.itertext()).split()) for s in root.iter("Say")])
    redirect = root.find("Redirect")
    if redirect is not None:
        heard.redirect = (redirect.text or "").strip()
    heard.hangup = root.find("Hangup") is not None or root.find("Reject") is not None
    _act_out(list(root), url, heard)
    return heard


def _act_out(verbs: list[ET.Element], url: str, heard: Voice) -> None:
    for i, verb in enumerate(verbs):
        if verb.tag in ("Say", "Pause"):
            heard.lines.append(_said(verb))
        elif verb.tag == "Gather":
            heard.lines += [_said(v) for v in verb if v.tag in ("Say", "Pause")]
            heard.gather = dict(verb.attrib)
            heard.gather_url = urljoin(url, verb.get("action") or url)  # default: this document
            heard.listen = verb.get("input", "dtmf")
            heard.wait = verb.get("timeout", "5")
            if verb.get("actionOnEmptyResult") == "true":
                heard.after_silence = heard.gather_url
            else:
                # Silence falls through to the verbs after the Gather (here, a Redirect).
                rest = Voice(heard.root)
                _act_out(verbs[i + 1 :], url, rest)
                heard.silence, heard.after_silence = rest.lines, rest.redirect_url
            return
        elif verb.tag == "Redirect":
            heard.redirect_url = urljoin(url, (verb.text or "").strip() or url)
            return
        elif verb.tag in ("Hangup", "Reject"):
            heard.ends = True
            return
        elif verb.tag == "Dial":
            number = " ".join("".join(verb.itertext()).split())
            heard.lines.append(["note", f"The call would be connected to {number}."])
            if verb.get("action"):
                heard.dial = urljoin(url, verb.get("action"))
                return
            # With no action, Twilio carries on with the next verb once that call ends.
        else:
            heard.lines.append(["note", f"(a <{verb.tag}> verb, which is not acted out here)"])
    heard.ends = True  # out of instructions: Twilio hangs up


def _said(verb: ET.Element) -> list[str]:
    if verb.tag == "Pause":
        return ["pause", verb.get("length", "1")]
    return ["text", " ".join("".join(verb.itertext()).split())]


def read_messages(body: bytes | str) -> list[Message | str]:
    """Each <Message> a texter would receive, in order. Any other verb comes back as a
    sentence naming it, for the reader to show or refuse."""
    found: list[Message | str] = []
    for verb in root_of(body):
        if verb.tag != "Message":
            found.append(f"(a <{verb.tag}> verb, which is not acted out here)")
            continue
        inner = verb.find("Body")
        text = "".join((verb if inner is None else inner).itertext())
        found.append(Message(text, verb.find("Media") is not None))
    return found
