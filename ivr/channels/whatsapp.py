"""WhatsApp: a reply as TwiML (numbered choices), or as a Content template to tap.

    twiml(reply)                     a <Message> of the reply's words, or an empty <Response/>
    ChoiceIds(secrets, scripts)      a choice's id for a template, and a tapped id read back
    request(script, menu, ids)       the Content API's create request for a menu, and its name
    Tappable.of(...)                 where a reply can go as a template: (sid, variables)
    sids_from(name, raw)             IVR_WHATSAPP_TEMPLATES read: template name -> SID

A tapped item comes back as `ButtonPayload` (a quick reply) or `ListId` (a list item):
the id the template gave it. That id is a keyed hash (HMAC-SHA256, with a key derived
from SECRET_KEY) of the script and what the choice does, so it is the same in every
message (a tap on an older message still leads where its label said), and it tells
nobody who reads Twilio's logs where a person went. A key rotation keeps old taps
working as long as the old key is in SECRET_KEY_FALLBACKS.

A template is named by a fingerprint of everything in it (`helpline-ivr-<16 hex>`), so
a menu whose words change is a new template, and the app, not finding its SID, sends the
numbered text instead until `ivr whatsapp-templates` is run again: never a stale menu.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from twilio.twiml.messaging_response import MessagingResponse

from ivr import whatsapp
from ivr.engine import Reply
from ivr.errors import ConfigError
from ivr.script import Script
from ivr.whatsapp import LIST, Menu

ID_KEY_INFO = b"helpline-ivr whatsapp choice ids 1"
ID_HEX = 20  # 80 bits: no two choices of a library share one
NAME_PREFIX = "helpline-ivr-"
BODY = "{{1}}"  # the template's whole body: the reply's own words, as a variable
SAMPLE = {"1": "Some first steps."}  # the variable's default, which the Content API keeps


def twiml(reply: Reply | None) -> str:
    """The reply as one <Message>, or an empty <Response/> (sent through the API, or STOP
    by SMS). A WhatsApp reply is always one message: the engine cut it to fit."""
    response = MessagingResponse()
    if reply is not None and reply.paragraphs:
        response.message(reply.text)
    return str(response)


class ChoiceIds:
    """Choice ids for templates, and the reading of a tapped one.

    `secrets`: SECRET_KEY first (it makes the ids), then any fallbacks (their ids are still
    read, so taps on messages sent before a key rotation keep working)."""

    def __init__(self, secrets: Iterable[str], scripts: Iterable[Script]):
        self._keys = [hmac.new(s.encode(), ID_KEY_INFO, hashlib.sha256).digest() for s in secrets]
        self._scripts = tuple(scripts)
        self._read: dict[str, tuple[str, str]] | None = None

    def id_for(self, script_id: str, ref: str) -> str:
        return self._id(self._keys[0], script_id, ref)

    @staticmethod
    def _id(key: bytes, script_id: str, ref: str) -> str:
        said = f"{script_id}\x1f{ref}".encode()
        return hmac.new(key, said, hashlib.sha256).hexdigest()[:ID_HEX]

    def read(self, tapped: str) -> tuple[str, str] | None:
        """(script id, ref) of a tapped id, or None for an id this app never made."""
        if self._read is None:  # built on the first tap, from every menu of every script
            found = {}
            for script in self._scripts:
                for ref in _refs(script):
                    for key in reversed(self._keys):  # the current key's ids win
                        found[self._id(key, script.id, ref)] = (script.id, ref)
            self._read = found
        return self._read.get(tapped.strip())


def _refs(script: Script) -> set[str]:
    return {item.ref for menu in whatsapp.menus(script) for item in menu.items}


def request(script: Script, menu: Menu, ids: ChoiceIds) -> dict:
    """The Content API's create request for a menu (the body Twilio's REST client posts),
    named by the fingerprint of all it holds."""
    if menu.kind == LIST:
        items = [
            {"id": ids.id_for(script.id, i.ref), "item": i.label, "description": i.description}
            for i in menu.items
        ]
        kind = {"body": BODY, "button": menu.button, "items": items}
    else:
        actions = [
            {"type": "QUICK_REPLY", "title": i.label, "id": ids.id_for(script.id, i.ref)}
            for i in menu.items
        ]
        kind = {"body": BODY, "actions": actions}
    language = script.language.split("-")[0].lower()  # the Content API's two letters
    types = {menu.kind: kind}
    name = NAME_PREFIX + fingerprint(language, types)
    return {"friendly_name": name, "language": language, "variables": SAMPLE, "types": types}


def fingerprint(language: str, types: Mapping) -> str:
    said = json.dumps([language, types], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(said.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Sendable:
    """A reply to send as a template: its SID, and the reply's words for its body."""

    sid: str
    variables: str  # JSON, as the Messages API takes ContentVariables
    kind: str  # LIST or BUTTONS_KIND


class Tappable:
    """Which replies go as templates: those `whatsapp.to_tap` can show as a menu, whose
    template the operator has made (`sids`: template name -> SID)."""

    def __init__(self, ids: ChoiceIds, sids: Mapping[str, str]):
        self.ids = ids
        self.sids = dict(sids)
        self._names: dict[tuple[int, str], str] = {}  # remembered: a turn only looks up

    def of(self, script: Script, reply: Reply) -> Sendable | None:
        shown = whatsapp.to_tap(script, reply) if self.sids else None
        if shown is None:
            return None
        body, menu = shown
        key = (id(script), id(menu))
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = request(script, menu, self.ids)["friendly_name"]
        sid = self.sids.get(name)
        return Sendable(sid, json.dumps({"1": body}), menu.kind) if sid else None


def sids_from(name: str, raw: str | None) -> dict[str, str]:
    """The line `ivr whatsapp-templates` prints (fingerprint=SID pairs, comma-separated),
    as template name -> SID. Raises ConfigError naming the pair that is not one."""
    found = {}
    for pair in (p.strip() for p in (raw or "").split(",") if p.strip()):
        fingerprint, _, sid = pair.partition("=")
        if not (
            re.fullmatch(r"[0-9a-f]{16}", fingerprint) and re.fullmatch(r"HX[0-9a-f]{32}", sid)
        ):
            raise ConfigError(
                f"{name} is '{raw}', and '{pair}' in it is not a fingerprint=HX... pair: set it "
                "to the line `ivr whatsapp-templates` prints (without the name), or unset it "
                "to send numbered menus."
            )
        found[NAME_PREFIX + fingerprint] = sid
    return found
