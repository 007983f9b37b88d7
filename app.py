"""The WSGI entry point: `gunicorn app:app` (see Procfile and gunicorn.conf.py)."""

from ivr.errors import ConfigError
from ivr.web import create_app

try:
    app = create_app()
except ConfigError as exc:
    # A clear sentence naming what is missing, instead of a traceback.
    raise SystemExit(f"helpline-ivr will not start: {exc}") from None
