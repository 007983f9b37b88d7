""" "Text me these steps": send a caller the script's text, once, and never to a stranger.

    Texts.from_env(env, secret)    the sender, or None (with the reason logged once)
    send_steps(script, form)       -> a TextOutcome (ivr.script)

Rules kept here, in this order, so no API call is made when it should not be:
1. Only a UK mobile (+44 71-75, 77-79, 7624) gets a text. A withheld or unknown caller
   (anonymous, +266696687, empty, not E.164) hears "no_number"; a landline or a number
   abroad hears "not_mobile".
2. Once per call: a call that already got its text hears "already_sent".
3. Once per number per 24 hours, since caller ID can be spoofed to make the line text
   someone else. The store is Redis when REDIS_URL is set (shared by every instance) and
   in-process otherwise; it holds only keyed hashes (HMAC with SECRET_KEY) that expire
   with the limit, never a number.
4. One request to Twilio's API (`client.messages.create`) with a short timeout. Any
   failure (a Twilio error, a timeout, no connection) is "failed", and frees the number
   to try again; the call goes on either way.

The caller's number is used for that one request only: never logged (only the error's
class and Twilio's code are), never stored. twilio.rest is imported on the first send,
not at start-up, so webhook workers start fast.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from logging import WARNING
from typing import Protocol

from flask import current_app

from ivr import gsm7, settings
from ivr.phone_numbers import compact, kind_of_number
from ivr.script import Script, TextOutcome
from ivr.web.logs import event

LIMIT_SECONDS = 24 * 60 * 60  # one text per number per day
CALL_SECONDS = 4 * 60 * 60  # longer than any call lasts


class Store(Protocol):
    """Keys that expire: claim one only if nobody holds it."""

    def claim(self, key: str, seconds: int) -> bool: ...
    def holds(self, key: str) -> bool: ...
    def release(self, key: str) -> None: ...


@dataclass
class InProcessStore:
    """Keys in this process's memory. Enough for one instance; see docs/handoffs.md for what
    it does not cover (several instances, restarts)."""

    _expires: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, key: str, seconds: int) -> bool:
        now = time.monotonic()
        with self._lock:
            for old in [k for k, until in self._expires.items() if until <= now]:
                del self._expires[old]  # expired keys go, so memory stays small
            if key in self._expires:
                return False
            self._expires[key] = now + seconds
            return True

    def holds(self, key: str) -> bool:
        with self._lock:
            return self._expires.get(key, 0) > time.monotonic()

    def release(self, key: str) -> None:
        with self._lock:
            self._expires.pop(key, None)


class RedisStore:
    """Keys in Redis (SET NX EX), shared by every instance of the app."""

    def __init__(self, url: str):
        import redis  # only when REDIS_URL is set

        self.redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def claim(self, key: str, seconds: int) -> bool:
        return bool(self.redis.set(key, b"1", nx=True, ex=seconds))

    def holds(self, key: str) -> bool:
        return bool(self.redis.exists(key))

    def release(self, key: str) -> None:
        self.redis.delete(key)


@dataclass
class Texts:
    """Everything needed to send: credentials (from the environment), a sender, a store."""

    env: Mapping[str, str]
    secret: str
    store: Store
    sender: str | None  # a Messaging Service SID (MG...) or a number; None: the number called
    timeout: float
    _client: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_env(cls, env: Mapping[str, str], secret: str) -> Texts | None:
        """None when texts cannot be sent; start-up logs why, once. A setting that is
        there but wrong raises ConfigError: better not to start than fail a caller later."""
        credentials = settings.credentials(env)
        sender = settings.read(env, "IVR_TEXT_FROM")
        timeout = settings.read(env, "IVR_TEXT_TIMEOUT_SECONDS")
        url = settings.read(env, "REDIS_URL")
        if credentials.missing:
            event(
                "texts_off",
                WARNING,
                reason=credentials.missing.split(". ")[0],
                message="'Text me these steps' is off, so callers are not offered it. Set "
                "the credentials as for 'ivr configure-number' (see the README) to turn it on.",
            )
            return None
        store: Store = RedisStore(url) if url else InProcessStore()
        return cls(dict(env), secret, store, sender, timeout)

    def key(self, kind: str, value: str) -> str:
        digest = hmac.new(self.secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
        return f"ivr:text:{kind}:{digest.hexdigest()}"

    def client(self):
        with self._lock:
            if self._client is None:
                from ivr import twilio_api  # imports twilio.rest: on the first send only

                self._client = twilio_api.client_from_env(self.env, timeout=self.timeout)
            return self._client


def send_steps(script: Script, form: Mapping[str, str]) -> TextOutcome:
    """Send the script's text to the caller if every rule allows; say which outcome."""
    texts: Texts | None = current_app.extensions["ivr"].texts
    if texts is None or script.text_me is None:
        return TextOutcome.FAILED
    caller = compact(form.get("From"))
    kind = kind_of_number(caller)
    if kind != "mobile":
        return TextOutcome(kind)
    call_key = texts.key("call", form.get("CallSid", ""))
    number_key = texts.key("number", caller)
    try:
        if texts.store.holds(call_key):
            return TextOutcome.ALREADY_SENT
        if not texts.store.claim(number_key, LIMIT_SECONDS):
            return TextOutcome.LIMITED
    except Exception as exc:  # a store that cannot answer must not let texts through
        event("text_store_failed", WARNING, error=type(exc).__name__, stage="before sending")
        return TextOutcome.FAILED
    sender = texts.sender or compact(form.get("To") or form.get("Called"))
    try:
        # Plain and composed (NFC), as every reply is: Twilio's Smart Encoding would turn
        # a lone combining circumflex into '^' (ivr/gsm7.py says where that is listed).
        _send(texts, caller, sender, gsm7.plain(script.text_me.message))
    except Exception as exc:
        code = getattr(exc, "code", None)
        twilio_code = code if isinstance(code, int) else None
        event("text_not_sent", WARNING, error=type(exc).__name__, twilio_code=twilio_code)
        _forget(texts, number_key)
        return TextOutcome.FAILED
    try:
        texts.store.claim(call_key, CALL_SECONDS)
    except Exception as exc:
        event("text_store_failed", WARNING, error=type(exc).__name__, stage="after sending")
    return TextOutcome.SENT


def _send(texts: Texts, to: str, sender: str, body: str) -> None:
    from ivr import twilio_api

    twilio_api.send_text(texts.client(), to, body, sender)


def _forget(texts: Texts, key: str) -> None:
    try:
        texts.store.release(key)
    except Exception as exc:
        event("text_store_failed", WARNING, error=type(exc).__name__, stage="freeing a number")
