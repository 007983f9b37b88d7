"""GET /healthz: 200 when the scripts loaded (they are loaded and linted at start-up)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    library = current_app.extensions["ivr"].library
    return jsonify(status="ok", scripts=sorted(library.scripts))
