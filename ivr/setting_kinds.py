"""The kinds of value an environment variable may hold, and how its text becomes one.

    Setting(name, meaning, kind, default, shown)   one variable (ivr.settings lists them)
    Kind.read(name, raw, setting)     -> value     `raw` stripped and never empty; text that
                                                   cannot be used raises ConfigError, one
                                                   sentence naming the variable and the fix

Each kind (Text, Secret, Whole, Seconds, Flag, OneOf, Patterns, BaseUrl, ServiceUrl,
AccountSid, Sender, Numbers, Retired) says in its message what it takes, so the operator
can fix the variable from the message alone. A Secret's text is never repeated in one.

Pure Python (re, urllib): dev.py reads settings through here before .venv exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from ivr import phone_numbers
from ivr.errors import ConfigError


class Kind(Protocol):
    """How a variable's text becomes a value: `read` gets it stripped and never empty."""

    def read(self, name: str, raw: str, setting: Setting) -> Any: ...


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    meaning: str  # Markdown, for the README's table: what it does, and the values it takes
    kind: Kind
    default: Any = None  # the value when unset (None: no value)
    shown: str = ""  # the default as the table shows it ("" shows none)


# -- The kinds -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    def read(self, name: str, raw: str, setting: Setting) -> str:
        return raw


@dataclass(frozen=True, slots=True)
class Secret:
    """Never repeated in a message: it would land in a platform's log. `many`: several,
    comma-separated, read as a tuple (earlier keys, kept through a rotation)."""

    shortest: int
    many: bool = False

    def read(self, name: str, raw: str, setting: Setting) -> str | tuple[str, ...]:
        keys = tuple(k.strip() for k in raw.split(",") if k.strip()) if self.many else (raw,)
        if any(len(key) < self.shortest for key in keys):
            each = " in each key, comma-separated" if self.many else ""
            raise ConfigError(
                f"{name} is too short: use at least {self.shortest} random characters{each}."
            )
        return keys if self.many else raw


@dataclass(frozen=True, slots=True)
class Whole:
    low: int
    high: int

    def read(self, name: str, raw: str, setting: Setting) -> int:
        if raw.isascii() and raw.isdigit() and self.low <= int(raw) <= self.high:
            return int(raw)
        raise ConfigError(
            f"{name} is '{raw}'; set it to a whole number from {self.low} to {self.high}, or "
            f"leave it unset for {setting.default}."
        )


@dataclass(frozen=True, slots=True)
class Seconds:
    low: float
    high: float
    why: str

    def read(self, name: str, raw: str, setting: Setting) -> float:
        try:
            value = float(raw) if raw.isascii() else -1.0
        except ValueError:
            value = -1.0
        if self.low <= value <= self.high:  # also refuses nan and inf
            return value
        raise ConfigError(
            f"{name} is '{raw}'; it should be a number of seconds from {self.low:g} to "
            f"{self.high:g}, {self.why}."
        )


@dataclass(frozen=True, slots=True)
class Flag:
    YES = ("1", "true", "yes", "on")
    NO = ("0", "false", "no", "off")

    def read(self, name: str, raw: str, setting: Setting) -> bool:
        if raw.lower() in self.YES + self.NO:
            return raw.lower() in self.YES
        raise ConfigError(f"{name} is '{raw}'; set it to 1 to turn it on, or leave it unset.")


@dataclass(frozen=True, slots=True)
class OneOf:
    choices: tuple[str, ...]

    def read(self, name: str, raw: str, setting: Setting) -> str:
        if raw.upper() in self.choices:
            return raw.upper()
        raise ConfigError(
            f"{name} is '{raw}'; set it to one of {', '.join(self.choices)} (in any case), "
            f"or leave it unset for {setting.default}."
        )


@dataclass(frozen=True, slots=True)
class Patterns:
    """Comma-separated paths or globs (or language tags); whether they name readable files
    (or languages the scripts speak) is the library's to say (ivr/library.py)."""

    def read(self, name: str, raw: str, setting: Setting) -> tuple[str, ...]:
        return tuple(p.strip() for p in raw.split(",") if p.strip()) or setting.default


# scheme://host[:port]: a host name, an IPv4 address or a bracketed IPv6 address.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_BASE_URL = re.compile(
    rf"(?P<scheme>https?)://(?P<host>{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?/?",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class BaseUrl:
    """scheme://host[:port], exactly. Twilio signs the URL it calls character for
    character, so anything else here (a fragment, user:password, a capitalised scheme, a
    space) would fail every signature check and turn every call away with 403: better to
    refuse to start, saying so."""

    def read(self, name: str, raw: str, setting: Setting) -> str:
        match = _BASE_URL.fullmatch(raw)
        if match and 0 < int(match["port"] or 443) < 65536:
            return raw.rstrip("/")
        parts = urlsplit(raw) if raw.isprintable() else None
        if (
            parts
            and parts.path.strip("/")
            and _BASE_URL.fullmatch(f"{parts.scheme}://{parts.netloc}")
        ):
            # The Gather and Redirect URLs are root-relative (/voice/next...), so a path here
            # would send a call's second turn to the wrong place.
            raise ConfigError(
                f"{name} is '{raw}', which has a path; give the scheme and host only, e.g. "
                "https://helpline.example.org, and to serve the app under a path have the "
                "proxy send X-Forwarded-Prefix and set IVR_PROXY_HOPS instead."
            )
        raise ConfigError(
            f"{name} is {raw!r}, which is not scheme://host[:port] and nothing else "
            "(lower-case http or https, no user, path, query, fragment or spaces); set it to "
            "the address Twilio calls, like https://helpline.example.org."
        )


@dataclass(frozen=True, slots=True)
class ServiceUrl:
    """A server's address: a stand-in for Twilio's API, or Redis."""

    schemes: tuple[str, ...]
    example: str
    base_only: bool  # scheme and host, nothing after

    def read(self, name: str, raw: str, setting: Setting) -> str:
        parts = urlsplit(raw) if raw.isprintable() and " " not in raw else None
        fits = parts and parts.scheme in self.schemes and (parts.netloc or parts.path)
        if fits and self.base_only:
            fits = parts.netloc and parts.path in ("", "/") and not parts.query
        if fits:
            return f"{parts.scheme}://{parts.netloc}" if self.base_only else raw
        schemes = " or ".join(f"{s}://" for s in self.schemes)
        raise ConfigError(
            f"{name} is '{raw}', which is not a {schemes} address; set it like "
            f"{self.example}, or leave it unset."
        )


@dataclass(frozen=True, slots=True)
class AccountSid:
    def read(self, name: str, raw: str, setting: Setting) -> str:
        if re.fullmatch(r"AC[0-9a-fA-F]{32}", raw):
            return raw
        raise ConfigError(
            f"{name} is '{raw}', which is not an account SID; use the one starting AC "
            "(34 characters) from the Twilio Console, not an API key (SK...)."
        )


@dataclass(frozen=True, slots=True)
class Sender:
    def read(self, name: str, raw: str, setting: Setting) -> str:
        if re.fullmatch(r"MG[0-9a-fA-F]{32}", raw) or phone_numbers.E164.fullmatch(raw):
            return raw
        raise ConfigError(
            f"{name} is '{raw}', which is neither a Messaging Service SID (MG followed by 32 "
            "hex digits) nor a number in E.164 form (+44...); fix it, or unset it to send from "
            "the number that was called."
        )


@dataclass(frozen=True, slots=True)
class Numbers:
    """Comma-separated phone numbers in E.164 form (spaces inside one are fine), each
    perhaps as a WhatsApp address (whatsapp:+44...)."""

    def read(self, name: str, raw: str, setting: Setting) -> tuple[str, ...]:
        numbers = tuple(phone_numbers.compact(n) for n in raw.split(",") if n.strip())
        wrong = [n for n in numbers if not phone_numbers.is_e164(phone_numbers.number_of(n))]
        if wrong:
            raise ConfigError(
                f"{name} is '{raw}', and '{wrong[0]}' in it is not in E.164 form: write each "
                "with + and the country code, no leading 0 (+447700900123 or "
                "whatsapp:+447700900123), comma-separated."
            )
        return numbers


@dataclass(frozen=True, slots=True)
class Retired:
    """A variable this app once read: refused, so nobody believes it still does something."""

    instead: str

    def read(self, name: str, raw: str, setting: Setting) -> None:
        raise ConfigError(f"{name} is '{raw}', but {self.instead}")
