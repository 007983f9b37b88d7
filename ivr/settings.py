"""Every environment variable the helpline reads, read here and nowhere else.

    SETTINGS          each variable: its name, what it means, its default, how it is read
    read(env, NAME)   its value (the default when unset or blank); a value that cannot be
                      used raises ConfigError, one sentence naming the variable and the fix
    table()           the README's configuration table, made from SETTINGS

How each kind of value is read and refused (whole numbers, addresses, secrets, numbers) is
in ivr.setting_kinds.

The web app (ivr.web.config), "text me these steps" (ivr.web.texting), the Twilio REST
edge (ivr.twilio_api) and gunicorn.conf.py all read through here, so a variable means one
thing everywhere and is described once. Adding one is one entry in SETTINGS; then
`.venv/bin/python -m ivr.settings README.md` writes the README's table again
(tests/test_settings.py fails until the two agree).

Pure: no flask, no twilio. gunicorn.conf.py imports it, after gevent's patch, before the app.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ivr import SCRIPTS_DIR
from ivr.errors import ConfigError
from ivr.setting_kinds import (
    AccountSid,
    BaseUrl,
    Flag,
    Numbers,
    OneOf,
    Patterns,
    Retired,
    Seconds,
    Secret,
    Sender,
    ServiceUrl,
    Setting,
    Text,
    Whole,
)

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_SCRIPTS = str(SCRIPTS_DIR / "*.yaml")  # every shipped script


# -- The settings -------------------------------------------------------------------------

SETTINGS = (
    Setting(
        "TWILIO_AUTH_TOKEN",
        "Twilio signs every webhook with it; requests without a valid signature get 403. "
        "A number in a subaccount signs with that subaccount's token.",
        Secret(1),
        shown="required",
    ),
    Setting(
        "SECRET_KEY",
        "16+ random characters; encrypts the state in the voice URLs and the SMS cookie, "
        "and keys the calls' log ids. Make one with "
        '`python3 -c "import secrets; print(secrets.token_hex(32))"`.',
        Secret(16),
        shown="required",
    ),
    Setting(
        "SECRET_KEY_FALLBACKS",
        "earlier `SECRET_KEY`s, comma-separated, newest first: what they encrypted still "
        "opens, so rotating the key cuts nobody off (drop an old one after a day)",
        Secret(16, many=True),
        default=(),
    ),
    Setting(
        "PUBLIC_BASE_URL",
        "the https address Twilio calls, e.g. `https://helpline.example.org`: "
        "`scheme://host[:port]` and nothing else, since Twilio signs the address character "
        "for character. Set it behind Heroku, ngrok or any TLS-terminating proxy.",
        BaseUrl(),
        shown="the request's own address",
    ),
    Setting(
        "IVR_SCRIPTS",
        "script files to serve, comma-separated paths or globs; the first is the default. "
        "Guides with a `guide:` label and keyword are offered together after the danger "
        "line; others are chosen with `?script=<id>` on the webhook URL",
        Patterns(),
        default=(DEFAULT_SCRIPTS,),
        shown="`scripts/*.yaml`",
    ),
    Setting(
        "IVR_LANGUAGES",
        "the languages offered, in the order the opening says them, e.g. `cy-GB,en-GB`; "
        "production offers a draft language only when named here (docs/languages.md)",
        Patterns(),
        default=(),
        shown="the default script's, drafts in development only",
    ),
    Setting(
        "IVR_SMS_IDLE_MINUTES",
        "an SMS conversation starts again at the welcome after this long idle (1 to 1440)",
        Whole(1, 24 * 60),
        default=30,
        shown="30",
    ),
    Setting(
        "IVR_PROXY_HOPS",
        "when `PUBLIC_BASE_URL` is not set: how many proxies to trust `X-Forwarded-*` from "
        "(0 to 10)",
        Whole(0, 10),
        default=0,
        shown="0",
    ),
    Setting(
        "IVR_BODY_SECONDS",
        "under gunicorn, a request's body must arrive within this many seconds of its headers "
        "(1 to 14), else 408, so slow clients cannot hold connections (Twilio sends its body at "
        "once; see [serving](docs/serving.md#slow-clients))",
        Whole(1, 14),
        default=1,
        shown="1",
    ),
    Setting(
        "IVR_DEVELOPMENT",
        "`1` runs without the token and secret, accepting unsigned requests, and serves "
        "`/try`: on your own machine only (`dev.py run` sets it)",
        Flag(),
        default=False,
        shown="off",
    ),
    Setting(
        "IVR_LOG_LEVEL",
        f"{', '.join(f'`{level}`' for level in LEVELS)}, in any case",
        OneOf(LEVELS),
        default="INFO",
        shown="`INFO`",
    ),
    Setting(
        "PORT",
        "the port gunicorn listens on (platforms set it)",
        Whole(1, 65535),
        default=8000,
        shown="8000",
    ),
    Setting(
        "WEB_CONCURRENCY",
        "gunicorn worker processes (1 to 64)",
        Whole(1, 64),
        default=2,
        shown="2",
    ),
    Setting(
        "GUNICORN_WORKER_CONNECTIONS",
        "connections one worker serves at once, idle and slow ones included (10 to 10000; "
        "keep it under `ulimit -n`)",
        Whole(10, 10_000),
        default=2000,
        shown="2000",
    ),
    Setting(
        "GUNICORN_THREADS",
        "no longer used: start-up refuses it, as the workers are gevent workers",
        Retired(
            "the workers are gevent workers, which use no threads; unset it, and set "
            "GUNICORN_WORKER_CONNECTIONS to change how many connections a worker serves at once."
        ),
    ),
    Setting(
        "TWILIO_ACCOUNT_SID",
        'the account (`AC...`) that sends "text me these steps" and that '
        "`ivr configure-number` changes, with `TWILIO_AUTH_TOKEN` or an API key. Without it "
        "that option is not offered.",
        AccountSid(),
    ),
    Setting(
        "TWILIO_API_KEY",
        "an API key (`SK...`), with `TWILIO_API_SECRET`: used for Twilio's REST API instead "
        "of the auth token when both are set",
        Text(),
    ),
    Setting("TWILIO_API_SECRET", "the API key's secret", Secret(1)),
    Setting(
        "IVR_TEXT_FROM",
        "who texts come from: a Messaging Service SID (`MG...`) or an SMS-capable number in "
        "E.164 form (a UK 0800 number cannot send texts: set this then)",
        Sender(),
        shown="the number called",
    ),
    Setting(
        "IVR_TEXT_TIMEOUT_SECONDS",
        "how long a send may wait on Twilio's API before the caller is told it failed, or a "
        "WhatsApp menu goes as numbered text (0.5 to 10)",
        Seconds(0.5, 10, "so a call never waits long on Twilio's API"),
        default=4.0,
        shown="4",
    ),
    Setting(
        "REDIS_URL",
        "e.g. `redis://localhost:6379/0`: keeps the one-text-per-number-a-day limit in "
        "Redis, shared by every instance (without it each process keeps its own), and where "
        "each WhatsApp conversation is (without it, each message is a first one)",
        ServiceUrl(("redis", "rediss", "unix"), "redis://localhost:6379/0", base_only=False),
    ),
    Setting(
        "IVR_HELPLINE_NUMBERS",
        "the helpline's numbers, comma-separated, for `ivr redact` on a schedule: what Twilio "
        "keeps of their texts, WhatsApp messages and calls is deleted "
        "([docs/privacy.md](docs/privacy.md))",
        Numbers(),
        default=(),
    ),
    Setting(
        "IVR_WHATSAPP_TEMPLATES",
        "the line `ivr whatsapp-templates` prints: the menus WhatsApp shows to tap "
        "([whatsapp](docs/whatsapp.md)); without it, numbered menus",
        Text(),
    ),
    Setting(
        "IVR_TWILIO_API_URL",
        "send Twilio REST calls to a stand-in, for tests and rehearsals; leave unset in production",
        ServiceUrl(("http", "https"), "http://127.0.0.1:8123", base_only=True),
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


def read(env: Mapping[str, str], name: str) -> Any:
    """The variable's value from `env`, or its default when unset or blank."""
    setting = BY_NAME[name]  # a KeyError here is a typo in our code, not the operator's
    raw = env.get(name, "").strip()
    return setting.kind.read(name, raw, setting) if raw else setting.default


@dataclass(frozen=True, slots=True)
class Credentials:
    """What Twilio's REST API is called with: the account, and its auth token or an API
    key with its secret (the key wins when both are set)."""

    account: str | None
    token: str | None
    key: str | None
    secret: str | None

    @property
    def missing(self) -> str:
        """What is lacking, as a sentence; empty when the API can be called."""
        if not self.account:
            return (
                "TWILIO_ACCOUNT_SID is not set. Set it to the account SID (AC...) from the "
                "Twilio Console, with TWILIO_AUTH_TOKEN, or with TWILIO_API_KEY and "
                "TWILIO_API_SECRET."
            )
        if not (self.token or self.key):
            return (
                "No credentials for the Twilio account. Set TWILIO_AUTH_TOKEN, or "
                "TWILIO_API_KEY and TWILIO_API_SECRET, alongside TWILIO_ACCOUNT_SID."
            )
        return ""

    @property
    def login(self) -> tuple[str, str]:
        """(username, password) for the REST client. An API key is preferred: the auth
        token may sit in the same environment for the webhooks' signatures."""
        if self.key and self.secret:
            return self.key, self.secret
        return self.account or "", self.token or ""


def credentials(env: Mapping[str, str]) -> Credentials:
    """Twilio's REST credentials; an API key without its secret (or the other way round)
    is refused at once rather than at the first text a caller asks for."""
    key, secret = read(env, "TWILIO_API_KEY"), read(env, "TWILIO_API_SECRET")
    if bool(key) != bool(secret):
        missing = "TWILIO_API_SECRET" if key else "TWILIO_API_KEY"
        raise ConfigError(
            f"{missing} is not set, but its partner is. Set both TWILIO_API_KEY and "
            "TWILIO_API_SECRET, or unset both and set TWILIO_AUTH_TOKEN."
        )
    account, token = read(env, "TWILIO_ACCOUNT_SID"), read(env, "TWILIO_AUTH_TOKEN")
    return Credentials(account, token, key, secret)


# -- The README's table -------------------------------------------------------------------

TABLE_START = "<!-- settings table: start (made by `python -m ivr.settings README.md`) -->"
TABLE_END = "<!-- settings table: end -->"


def table() -> str:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {s.shown or 'none'} | {s.meaning} |" for s in SETTINGS]
    return "\n".join(rows)


def with_table(text: str) -> str:
    """`text` (the README) with the part between the table's markers made from SETTINGS."""
    start, end = text.index(TABLE_START) + len(TABLE_START), text.index(TABLE_END)
    return f"{text[:start]}\n{table()}\n{text[end:]}"


if __name__ == "__main__":  # python -m ivr.settings [README.md]: print, or write, the table
    if len(sys.argv) > 1:
        readme = Path(sys.argv[1])
        readme.write_text(with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(table())
