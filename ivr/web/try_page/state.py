"""The /try page's state: the transcripts, the call in progress, the SMS cookies and the
WhatsApp menu last shown.

Nothing is kept on the server: the whole state round-trips in one hidden form field,
as JSON compressed with zlib and base64-encoded (TwiML and requests kept for the
"show the TwiML" details compress about fourfold). Whatever comes back is untrusted:
anything unreadable, too large once decompressed, nested too deep, or of the wrong shape
starts afresh, never a 500. The oldest entries are trimmed to keep every POST well under the app's
body limit.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import zlib
from dataclasses import asdict, dataclass, field
from urllib.parse import quote_plus

MAX_ENTRIES = 40
# The hidden state is sent back url-encoded with every POST; the app refuses bodies over
# 64 KiB, so keep it well under that with room for a long message beside it.
STATE_BUDGET = 40_000
MAX_JSON = 1_000_000  # what a hidden field may decompress to (a zlib bomb is refused)
WHO = ("you", "app", "note")  # who an entry is from: the person, the helpline, the stand-in
KINDS = ("text", "pause", "note")  # words said or texted, a <Pause>, a stand-in remark
ENTRY_EXTRAS = ("node", "meta", "request", "twiml")  # optional strings an entry may carry


@dataclass
class Call:
    """The call panel. `sid` is empty when no call is in progress."""

    sid: str = ""
    gather: str = ""  # the <Gather action> URL: where a key press or speech goes
    listen: str = ""  # the Gather's input: "dtmf", "speech" or both
    wait: str = ""  # the Gather's timeout in seconds, to show on the page
    silence: list = field(default_factory=list)  # what Twilio plays after a silent Gather...
    after_silence: str = ""  # ...then the <Redirect> it follows ("": the call ends)
    dial: str = ""  # the <Dial action> URL while a connected call is pretended
    node: str = ""  # where the call is in the script, for the flow picture
    log: list = field(default_factory=list)
    trimmed: bool = False


@dataclass
class Texts:
    """The SMS panel, with the cookies Twilio would keep for this From/To pair."""

    cookies: dict = field(default_factory=dict)
    node: str = ""
    log: list = field(default_factory=list)
    trimmed: bool = False


@dataclass
class Chat:
    """The WhatsApp panel: its transcript, and what the last reply offers to tap, as the
    template would show it: `kind` "list" or "buttons" ("": nothing to tap), the list's
    `button`, and each item's [label, id the template gives it, line under it]."""

    node: str = ""
    log: list = field(default_factory=list)
    trimmed: bool = False
    kind: str = ""
    button: str = ""
    taps: list = field(default_factory=list)


@dataclass
class Page:
    account: str
    texts: Texts
    call: Call
    script: str = ""  # the script being tried ("": the app's default)
    whatsapp: Chat = field(default_factory=Chat)


def fresh(script: str = "") -> Page:
    return Page(account=sid("AC"), texts=Texts(), call=Call(), script=script, whatsapp=Chat())


def sid(prefix: str) -> str:
    """A Twilio-shaped SID: two letters and 32 hex digits."""
    return prefix + secrets.token_hex(16)


def load(raw: str) -> Page:
    """The state from the hidden field; anything unreadable starts afresh."""
    try:
        packed = base64.urlsafe_b64decode(raw.encode("ascii"))
        unpacker = zlib.decompressobj()
        text = unpacker.decompress(packed, MAX_JSON)
        if unpacker.unconsumed_tail:
            raise ValueError("the state is too large")
        data = json.loads(text)
        texts, call = data["texts"], data["call"]
        return Page(
            account=_string(data["account"]),
            script=_string(data["script"]),
            texts=Texts(
                cookies={_cookie(k, "=;\r\n"): _cookie(v) for k, v in texts["cookies"].items()},
                node=_string(texts["node"]),
                log=_entries(texts["log"]),
                trimmed=texts["trimmed"] is True,
            ),
            call=Call(
                **{
                    name: _string(call[name])
                    for name in ("sid", "gather", "listen", "wait", "node", "after_silence", "dial")
                },
                silence=_lines(call["silence"]),
                log=_entries(call["log"]),
                trimmed=call["trimmed"] is True,
            ),
            whatsapp=_chat(data["whatsapp"]),
        )
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error, zlib.error):
        return fresh()
    except RecursionError:  # JSON nested deeper than Python reads (a few bytes compressed)
        return fresh()


def dump(page: Page) -> str:
    """The hidden field's value, trimming the oldest entries to keep POSTs small."""
    panels = (page.call, page.texts, page.whatsapp)
    for panel in panels:
        if len(panel.log) > MAX_ENTRIES:
            del panel.log[:-MAX_ENTRIES]
            panel.trimmed = True
    while True:
        raw = json.dumps(asdict(page), separators=(",", ":")).encode()
        packed = base64.urlsafe_b64encode(zlib.compress(raw, 6)).decode("ascii")
        longer = max(panels, key=lambda panel: len(json.dumps(panel.log)))
        if len(quote_plus(packed)) <= STATE_BUDGET or not longer.log:
            return packed
        del longer.log[0]
        longer.trimmed = True


def _string(value) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _cookie(value, forbidden: str = ";\r\n") -> str:
    # It goes back into a Cookie header, so nothing that could end or split one.
    if any(c in _string(value) for c in forbidden):
        raise ValueError("not a cookie name or value")
    return value


def _entries(value) -> list:
    if not isinstance(value, list):
        raise TypeError("expected a list of entries")
    entries = []
    for entry in value:
        if entry["who"] not in WHO:
            raise ValueError("unknown speaker")
        kept = {"who": entry["who"], "lines": _lines(entry["lines"])}
        for extra in ENTRY_EXTRAS:
            if extra in entry:
                kept[extra] = _string(entry[extra])
        entries.append(kept)
    return entries


def _lines(value) -> list:
    if not isinstance(value, list):
        raise TypeError("expected a list of lines")
    lines = []
    for kind, words in value:
        if kind not in KINDS:
            raise ValueError("unknown kind of line")
        lines.append([kind, _string(words)])
    return lines


def _chat(value) -> Chat:
    taps = value["taps"]
    if not isinstance(taps, list) or len(taps) > 10:
        raise ValueError("at most ten choices to tap")
    return Chat(
        node=_string(value["node"]),
        log=_entries(value["log"]),
        trimmed=value["trimmed"] is True,
        kind=_string(value["kind"]) if value["kind"] in ("", "list", "buttons") else "",
        button=_string(value["button"]),
        taps=[[_string(label), _string(id_), _string(under)] for label, id_, under in taps],
    )
