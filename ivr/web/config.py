"""Settings from the environment, checked once at start-up.

    TWILIO_AUTH_TOKEN      signs Twilio's requests; signature checks are on whenever set
    SECRET_KEY             signs the SMS cookie and keys the calls' log ids
    PUBLIC_BASE_URL        the https address Twilio calls (behind Heroku, ngrok, a proxy)
    IVR_SCRIPTS            script files to serve, comma-separated paths or globs; the first
                           is the default (default: scripts/*.yaml)
    IVR_SMS_IDLE_MINUTES   an SMS conversation restarts after this long idle (default 30)
    IVR_PROXY_HOPS         proxies to trust X-Forwarded-* from when PUBLIC_BASE_URL is
                           not set (default 0: trust none)
    IVR_BODY_SECONDS       under gunicorn, a request body must arrive within this (default
                           10; Twilio's own wait is 15): slow clients cannot hold workers
    IVR_DEVELOPMENT        "1" to run without TWILIO_AUTH_TOKEN and SECRET_KEY, on a
                           laptop only: unsigned requests are then accepted
    IVR_LOG_LEVEL          default INFO

Production refuses to start without TWILIO_AUTH_TOKEN and SECRET_KEY, naming the one
that is missing, rather than run a helpline anyone on the internet could drive.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from ivr import SCRIPTS_DIR
from ivr.errors import ConfigError
from ivr.web.logs import LEVELS

DEFAULT_SCRIPTS = str(SCRIPTS_DIR / "*.yaml")  # every shipped script
MAX_BODY_BYTES = 64 * 1024  # Twilio's webhooks are a few kilobytes; an SMS is 1600 chars
TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class Settings:
    auth_token: str | None
    secret_key: str
    public_base_url: str | None
    script_patterns: tuple[str, ...]
    sms_idle: timedelta
    proxy_hops: int
    body_seconds: int
    development: bool
    log_level: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        development = env.get("IVR_DEVELOPMENT", "").strip().lower() in TRUE
        token = env.get("TWILIO_AUTH_TOKEN", "").strip() or None
        secret = env.get("SECRET_KEY", "").strip()
        if not development:
            for name, value in (("TWILIO_AUTH_TOKEN", token), ("SECRET_KEY", secret)):
                if not value:
                    raise ConfigError(
                        f"{name} is not set. The helpline will not start without it. "
                        f"Set {name} in the environment (see the README, 'Deploy'), or set "
                        "IVR_DEVELOPMENT=1 to try it on your own machine."
                    )
        if secret and len(secret) < 16:
            raise ConfigError("SECRET_KEY is too short: use at least 16 random characters.")
        base = _public_base_url(env.get("PUBLIC_BASE_URL", ""))
        patterns = tuple(
            p.strip() for p in env.get("IVR_SCRIPTS", DEFAULT_SCRIPTS).split(",") if p.strip()
        )
        return cls(
            auth_token=token,
            secret_key=secret or secrets.token_hex(32),
            public_base_url=base,
            script_patterns=patterns or (DEFAULT_SCRIPTS,),
            sms_idle=timedelta(minutes=_number(env, "IVR_SMS_IDLE_MINUTES", 30, 1, 24 * 60)),
            proxy_hops=_number(env, "IVR_PROXY_HOPS", 0, 0, 10),
            body_seconds=_number(env, "IVR_BODY_SECONDS", 10, 1, 14),
            development=development,
            log_level=_log_level(env.get("IVR_LOG_LEVEL", "")),
        )


def _number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ConfigError(
            f"{name} is '{raw}'; set it to a whole number from {low} to {high}, or leave it "
            f"unset for {default}."
        )
    return int(raw)


def _log_level(raw: str) -> str:
    level = raw.strip().upper() or "INFO"
    if level not in LEVELS:
        raise ConfigError(
            f"IVR_LOG_LEVEL is '{raw.strip()}'; set it to one of {', '.join(LEVELS)} "
            "(in any case), or leave it unset for INFO."
        )
    return level


# scheme://host[:port]: a host name, an IPv4 address or a bracketed IPv6 address.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_BASE_URL = re.compile(
    rf"(?P<scheme>https?)://(?P<host>{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?/?",
    re.ASCII,
)


def _public_base_url(raw: str) -> str | None:
    """PUBLIC_BASE_URL as scheme://host[:port], exactly, or a ConfigError saying why not.

    Twilio signs the URL it calls character for character, so anything else here (a
    fragment, user:password, a capitalised scheme, a space) would fail every signature
    check and turn every call away with 403: better to refuse to start, saying so.
    """
    base = raw.strip()
    if not base:
        return None
    match = _BASE_URL.fullmatch(base)
    if match and 0 < int(match["port"] or 443) < 65536:
        return base.rstrip("/")
    example = "set it to the address Twilio calls, like https://helpline.example.org"
    parts = urlsplit(base) if base.isprintable() else None
    if parts and parts.path.strip("/") and _BASE_URL.fullmatch(f"{parts.scheme}://{parts.netloc}"):
        # The Gather and Redirect URLs are root-relative (/voice/next...), so a path here
        # would send a call's second turn to the wrong place.
        raise ConfigError(
            f"PUBLIC_BASE_URL is '{base}', which has a path; give the scheme and host only, "
            "e.g. https://helpline.example.org, and to serve the app under a path have the "
            "proxy send X-Forwarded-Prefix and set IVR_PROXY_HOPS instead."
        )
    raise ConfigError(
        f"PUBLIC_BASE_URL is {base!r}, which is not scheme://host[:port] and nothing else "
        f"(lower-case http or https, no user, path, query, fragment or spaces); {example}."
    )
