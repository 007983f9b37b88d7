"""The Flask app: `create_app()` wires settings, scripts, security and the webhooks.

POST /voice            Twilio "A call comes in"      (ivr.web.voice)
POST /voice/next       the app's own Gather/Redirect URL
POST /sms              Twilio "A message comes in"   (ivr.web.sms; WhatsApp: ivr.web.whatsapp)
POST /voice/fallback, /sms/fallback   for the number's fallback URLs
GET  /healthz          200 when the scripts loaded   (ivr.web.health)
GET  /, /try           development only: try the scripts in a browser (ivr.web.try_page)

Whatever fails in a webhook request, Twilio gets TwiML, never HTML (ivr.web.faults).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.library import Library
from ivr.web import faults, health, logs, sms, try_page, voice
from ivr.web.body import WholeBody
from ivr.web.config import MAX_BODY_BYTES, Settings
from ivr.web.cookie import NoSessions
from ivr.web.sealed import Sealer
from ivr.web.texting import Texts
from ivr.web.whatsapp import WhatsApp


@dataclass(frozen=True, slots=True)
class Ivr:
    """What the views need, kept on app.extensions["ivr"]."""

    settings: Settings
    library: Library
    sealer: Sealer  # seals what the app hands to Twilio (voice URLs, the SMS cookie)
    texts: Texts | None = None  # None: "text me these steps" is not offered
    whatsapp: WhatsApp | None = None  # WhatsApp messages on /sms (ivr.web.whatsapp)


def create_app(env: Mapping[str, str] | None = None) -> Flask:
    """Build the app from environment variables (`env`, or os.environ).

    Raises ConfigError, naming the variable or script at fault, rather than start in a
    state that could leave a caller without an answer.
    """
    env = os.environ if env is None else env
    settings = Settings.from_env(env)
    logs.setup(settings.log_level)
    library = Library.load(
        settings.script_patterns, settings.languages, drafts=settings.development
    )
    wants_texts = any(s.text_me is not None for s in library.scripts.values())
    texts = Texts.from_env(env, settings.secret_key) if wants_texts else None

    app = Flask(__name__)
    app.session_interface = NoSessions()  # the SMS cookie is ivr.web.cookie's own
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
    )
    if settings.proxy_hops and not settings.public_base_url:
        app.wsgi_app = ProxyFix(
            app.wsgi_app,
            x_for=settings.proxy_hops,
            x_proto=settings.proxy_hops,
            x_host=settings.proxy_hops,
            x_port=settings.proxy_hops,
            x_prefix=settings.proxy_hops,
        )
    app.wsgi_app = WholeBody(app.wsgi_app, MAX_BODY_BYTES, settings.body_seconds)
    sealer = Sealer((settings.secret_key, *settings.secret_key_fallbacks))
    whatsapp = WhatsApp.from_env(env, settings, library)
    app.extensions["ivr"] = Ivr(settings, library, sealer, texts, whatsapp)
    app.register_blueprint(voice.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(health.bp)
    if settings.development:
        app.register_blueprint(try_page.bp)
        app.register_blueprint(try_page.home)
    faults.install(app)  # last: its WSGI layer goes around everything above

    if settings.auth_token is None:
        logs.event(
            "unsigned",
            logging.WARNING,
            message="TWILIO_AUTH_TOKEN is not set (IVR_DEVELOPMENT is on): requests are "
            "accepted without a Twilio signature. Never run like this where the internet "
            "can reach it.",
        )
    _say_left_out(library)
    logs.event(
        "started",
        scripts=sorted(library.scripts),
        default=library.default.id,
        languages=list(library.languages),
    )
    return app


def _say_left_out(library: Library) -> None:
    """One sentence for each draft language production leaves out, naming the setting
    that would offer it (docs/languages.md)."""
    for tag in library.left_out:
        name = library.default.languages[tag].name
        logs.event(
            "draft_language",
            logging.WARNING,
            message=f"{name} ({tag}) is a draft nobody fluent has reviewed, so it is not "
            f"offered; to offer it anyway, name it in IVR_LANGUAGES (e.g. "
            f"IVR_LANGUAGES={','.join((*library.languages, tag))}).",
        )
