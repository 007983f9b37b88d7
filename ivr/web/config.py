"""The web app's settings, read from the environment once, at start-up.

Each variable is read, checked and described in ivr/settings.py (the README's table is
made from it); this module gathers what the webhooks need and adds the one rule between
them: production refuses to start without TWILIO_AUTH_TOKEN and SECRET_KEY, naming the
one that is missing, rather than run a helpline anyone on the internet could drive.
IVR_DEVELOPMENT=1 lifts that rule, on a laptop only.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from ivr import settings as env_settings
from ivr.errors import ConfigError
from ivr.settings import DEFAULT_SCRIPTS

__all__ = ["DEFAULT_SCRIPTS", "MAX_BODY_BYTES", "Settings"]

MAX_BODY_BYTES = 64 * 1024  # Twilio's webhooks are a few kilobytes; an SMS is 1600 chars


@dataclass(frozen=True, slots=True)
class Settings:
    auth_token: str | None
    secret_key: str
    secret_key_fallbacks: tuple[str, ...]
    public_base_url: str | None
    script_patterns: tuple[str, ...]
    languages: tuple[str, ...]
    sms_idle: timedelta
    proxy_hops: int
    body_seconds: int
    development: bool
    log_level: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        def read(name: str):
            return env_settings.read(env, name)

        development = read("IVR_DEVELOPMENT")
        token, secret = read("TWILIO_AUTH_TOKEN"), read("SECRET_KEY")
        if not development:
            for name, value in (("TWILIO_AUTH_TOKEN", token), ("SECRET_KEY", secret)):
                if not value:
                    raise ConfigError(
                        f"{name} is not set. The helpline will not start without it. "
                        f"Set {name} in the environment (see the README, 'Configuration'), "
                        "or set IVR_DEVELOPMENT=1 to try it on your own machine."
                    )
        return cls(
            auth_token=token,
            secret_key=secret or secrets.token_hex(32),
            secret_key_fallbacks=read("SECRET_KEY_FALLBACKS"),
            public_base_url=read("PUBLIC_BASE_URL"),
            script_patterns=read("IVR_SCRIPTS"),
            languages=read("IVR_LANGUAGES"),
            sms_idle=timedelta(minutes=read("IVR_SMS_IDLE_MINUTES")),
            proxy_hops=read("IVR_PROXY_HOPS"),
            body_seconds=read("IVR_BODY_SECONDS"),
            development=development,
            log_level=read("IVR_LOG_LEVEL"),
        )
