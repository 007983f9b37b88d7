"""What the app hands to Twilio, sealed: the voice URLs' `s` and the SMS cookie.

Twilio keeps both. A call's request log keeps every URL the app gave it, and the
cookie comes back with every text. So neither may tell a reader where a person is
(a node id like `danger` or `under-18`), which guide, how far in, or which line
they were put through to. Each is one opaque token, encrypted and authenticated with
an AEAD (AES-256-GCM, from `cryptography`): nobody without the key can read it, and
nobody can make or change one.

    Sealer([SECRET_KEY, *fallbacks])   keys derived once, for the life of the app
    sealer.seal(carried, use)          -> token; use: "voice" (URLs) or "sms" (cookie)
    sealer.open(token, use)            -> Carried, or None for anything it cannot use
    sealer.why_not(token, use)         -> why `open` gave None, in one word, for the log

Keys: HKDF-SHA256 of each secret. The first (SECRET_KEY) seals; every one opens,
newest first, so rotating SECRET_KEY (the old one moved to SECRET_KEY_FALLBACKS)
keeps every call and text conversation going.

The format, version 1:

    token      base64url, unpadded, of   V | nonce (12 bytes) | ciphertext | tag (16 bytes)
    V          the outer version, one byte in clear: 0x01 = AES-256-GCM with keys from
               HKDF-SHA256 (info "helpline-ivr sealed state 1") and a random nonce.
               Read first, so a later cipher or key scheme can be told apart.
    AD         V | use: a token sealed for one use does not open for another
    plaintext  v | JSON object (UTF-8) | spaces, to PADDED bytes (or the next multiple
               of PAD past it): every token of a script is then as long as every
               other, so not even a token's length tells `danger` from `main`
    v          the inner version, one byte, sealed with the rest: 0x01 = this object
    object     the State's fields by name (State.as_fields: defaults left out), and
               beside them what the use carries (EXTRAS):
                 sms     conversation  the random id the logs follow (16 hex digits)
                 whatsapp conversation as for sms (the token is kept in Redis)
                 voice   via           the transfer just dialled (a Dial's action URL)
                         retry         1: the fresh start after a fault (no state)
                         guide         the guide the number's webhook asked for
                                       (?script=), while the caller chooses a language

Adding a field is an addition: a State field is one line in State (with its check in
`State.from_fields`); a field beside the state is one line in EXTRAS; a channel (such
as WhatsApp, whose token may be kept in Redis rather than a cookie) is one line in
EXTRAS. Tokens sealed before the addition still open, with the new field at its
default. Reading is strict: a name this version does not know, a value of the wrong
shape, another use's token or an old-format state opens as None, and the person
starts afresh, politely. A token over MAX_TOKEN characters is not even decoded.

Failing clearly: `why_not` says which of REASONS made a token unusable, for the log
line an operator reads after a deploy (a run of "key" means SECRET_KEY changed without
the old one in SECRET_KEY_FALLBACKS; "version", that a token came from a release that
writes a format this one does not read). It names no value the token held, and it runs
only when `open` has already failed, so a usable token costs nothing more.

Changing the format: bump INNER for a new payload layout, OUTER for a new cipher or key
scheme. Ship a release that reads the new version before one that writes it: in a
rolling deploy, old and new instances answer turns of the same call.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ivr.engine import State
from ivr.errors import StateError

OUTER = b"\x01"
INNER = b"\x01"
HKDF_INFO = b"helpline-ivr sealed state 1"
NONCE_BYTES = 12
MAX_TOKEN = 512  # characters; a sealed state is 295 (PADDED bytes of plaintext)
PADDED = 192  # bytes of plaintext at least: the largest state of the shipped guides is 147
PAD = 64  # past PADDED, plaintext grows in steps of this
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
CONVERSATION = re.compile(r"[0-9a-f]{16}")  # what ivr.web.webhook.new_conversation makes

# Why a token could not be used (Sealer.why_not), each word a cause an operator can act on.
REASONS = {
    "shape": "not a token this app writes (too long, wrong characters, cut short)",
    "version": "a format version this release does not read",
    "key": "no key of SECRET_KEY and SECRET_KEY_FALLBACKS opens it, or it was altered",
    "use": "sealed for another use (a voice URL's token in the cookie, or the reverse)",
    "content": "sealed by this app, but holding values this release cannot use",
}


@dataclass(frozen=True, slots=True)
class Carried:
    """What one token carries: a State, and what its use needs beside it."""

    state: State | None = None
    conversation: str = ""
    via: str = ""
    retry: bool = False
    guide: str = ""  # the guide a number's ?script= asked for, kept to the language choice


def _retry(value: object) -> bool:
    return value == 1 and type(value) is int


# What each use carries beside the state, and how a value is checked when it comes back.
# A use whose carried values need a state: every use but the voice retry.
EXTRAS: dict[str, dict[str, Callable[[object], bool]]] = {
    "voice": {
        "via": lambda v: type(v) is str and _ID.fullmatch(v) is not None,
        "retry": _retry,
        "guide": lambda v: type(v) is str and _ID.fullmatch(v) is not None,
    },
    "sms": {
        "conversation": lambda v: type(v) is str and CONVERSATION.fullmatch(v) is not None,
    },
    # Kept in Redis under a keyed hash of the sender (ivr.web.whatsapp), never sent out.
    "whatsapp": {
        "conversation": lambda v: type(v) is str and CONVERSATION.fullmatch(v) is not None,
    },
}
# A cookie (or a kept WhatsApp place) without its log id is none at all.
REQUIRED = {"sms": ("conversation",), "whatsapp": ("conversation",)}


class Sealer:
    """Seals and opens tokens with keys derived once from the app's secrets."""

    def __init__(self, secrets: Iterable[str]):
        self._ciphers = tuple(AESGCM(_derive(secret)) for secret in dict.fromkeys(secrets))
        if not self._ciphers:
            raise ValueError("A Sealer needs at least one secret.")

    def seal(self, carried: Carried, use: str) -> str:
        values = carried.state.as_fields() if carried.state is not None else {}
        if carried.conversation:
            values["conversation"] = carried.conversation
        if carried.via:
            values["via"] = carried.via
        if carried.retry:
            values["retry"] = 1
        if carried.guide:
            values["guide"] = carried.guide
        return self.seal_values(values, use)

    def seal_values(self, values: dict, use: str, inner: bytes = INNER) -> str:
        """Seal any JSON-ready values as they are: `seal` checked nothing, and this checks
        nothing either (tests use it to make tokens the app itself never would)."""
        plain = inner + _encode(values).encode()
        # JSON may end in spaces, so the padding needs no length field to come off.
        plain = plain.ljust(max(PADDED, -(-len(plain) // PAD) * PAD), b" ")
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[0].encrypt(nonce, plain, OUTER + use.encode())
        return base64.urlsafe_b64encode(OUTER + nonce + sealed).rstrip(b"=").decode("ascii")

    def open(self, token: object, use: str) -> Carried | None:
        """What the token carries, or None if this app did not seal it for `use`, or it
        holds anything this version cannot use. Never raises: a webhook goes on."""
        raw = _raw(token)
        if raw is None or raw[:1] != OUTER or len(raw) < 1 + NONCE_BYTES + 16 + 1:
            return None
        if use not in EXTRAS:
            return None
        nonce, sealed, associated = raw[1:13], raw[13:], OUTER + use.encode()
        for cipher in self._ciphers:
            try:
                plain = cipher.decrypt(nonce, sealed, associated)
            except InvalidTag:  # sealed with another key, or not by this app at all
                continue
            return _carried(plain, use)
        return None

    def why_not(self, token: object, use: str) -> str:
        """Which of REASONS keeps `open(token, use)` from giving a Carried (or "" when
        it does not). The slow path, for a token already refused: it tries every use."""
        raw = _raw(token)
        if raw is None or len(raw) < 1 + NONCE_BYTES + 16 + 1:
            return "shape"
        if raw[:1] != OUTER:
            # Versions are small numbers; any other first byte is no token of ours.
            return "version" if raw[0] < 0x10 else "shape"
        for sealed_for in (use, *(u for u in EXTRAS if u != use)):
            for cipher in self._ciphers:
                try:
                    plain = cipher.decrypt(raw[1:13], raw[13:], OUTER + sealed_for.encode())
                except InvalidTag:
                    continue
                if sealed_for != use:
                    return "use"
                if plain[:1] != INNER:
                    return "version"
                return "" if _carried(plain, use) is not None else "content"
        return "key"


def _raw(token: object) -> bytes | None:
    """The bytes of a token in unpadded URL-safe base64, or None for anything else."""
    if type(token) is not str or not 0 < len(token) <= MAX_TOKEN:
        return None
    if "+" in token or "/" in token or "=" in token:
        return None  # the standard alphabet's spellings: never the app's own
    try:
        # validate: any character outside the alphabet is refused, not skipped (and a
        # length base64 never has raises), which a regex per token used to check.
        return base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
    except ValueError:
        return None


def _derive(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO)
    return hkdf.derive(secret.encode())


_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True).encode
_decode = json.JSONDecoder().decode


def _carried(plain: bytes, use: str) -> Carried | None:
    """The values inside a token this app sealed, checked as strictly as any input."""
    if plain[:1] != INNER:
        return None
    try:
        values = _decode(plain[1:].decode())
    except ValueError:
        return None
    if type(values) is not dict:
        return None
    beside = {}
    for name, check in EXTRAS[use].items():
        if name in values:
            value = values.pop(name)
            if not check(value):
                return None
            beside[name] = value
    for name in REQUIRED.get(use, ()):
        if name not in beside:
            return None
    if not values:
        # Only the fault's fresh start carries no state.
        return Carried(retry=True) if beside.get("retry") else None
    try:
        state = State.from_fields(values)
    except StateError:
        return None
    if state.channel != use:
        return None
    conversation, via = beside.get("conversation", ""), beside.get("via", "")
    return Carried(state, conversation, via, "retry" in beside, beside.get("guide", ""))
