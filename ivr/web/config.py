"""Settings from the environment, checked once at start-up.

    TWILIO_AUTH_TOKEN      signs Twilio's requests; signature checks are on whenever set
    SECRET_KEY             signs the SMS cookie and keys the log hashes
    PUBLIC_BASE_URL        the https address Twilio calls (behind Heroku, ngrok, a proxy)
    IVR_SCRIPTS            script files to serve, comma-separated paths or globs; the first
                           is the default (default: scripts/*.yaml)
    IVR_SMS_IDLE_MINUTES   an SMS conversation restarts after this long idle (default 30)
    IVR_PROXY_HOPS         proxies to trust X-Forwarded-* from when PUBLIC_BASE_URL is
                           not set (default 0: trust none)
    IVR_DEVELOPMENT        "1" to run without TWILIO_AUTH_TOKEN and SECRET_KEY, on a
                           laptop only: unsigned requests are then accepted
    IVR_LOG_LEVEL          default INFO

Production refuses to start without TWILIO_AUTH_TOKEN and SECRET_KEY, naming the one
that is missing, rather than run a helpline anyone on the internet could drive.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from ivr.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCRIPTS = str(PROJECT_ROOT / "scripts" / "*.yaml")
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
        base = env.get("PUBLIC_BASE_URL", "").strip().rstrip("/") or None
        if base:
            parts = urlsplit(base)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
                raise ConfigError(
                    f"PUBLIC_BASE_URL is '{base}', which is not a web address. "
                    "Set it to the address Twilio calls, e.g. https://helpline.example.org."
                )
            if parts.path:
                # The Gather and Redirect URLs are root-relative (/voice/next...), so a
                # path here would send a call's second turn to the wrong place.
                raise ConfigError(
                    f"PUBLIC_BASE_URL is '{base}', which has a path. Give the scheme and host "
                    "only, e.g. https://helpline.example.org; to serve the app under a path, "
                    "have the proxy send X-Forwarded-Prefix and set IVR_PROXY_HOPS instead."
                )
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
            development=development,
            log_level=env.get("IVR_LOG_LEVEL", "INFO").strip().upper() or "INFO",
        )


def _number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} is '{raw}'; it should be a whole number from {low} to {high}.")
    return int(raw)
