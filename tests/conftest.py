"""Shared fixtures: the real guide, the tiny test script, and the app as production runs it."""

from __future__ import annotations

import pytest

from ivr.loader import load_script
from ivr.web import create_app

from support import FIXTURES, GUIDE, messages_api, production_env


@pytest.fixture(scope="session")
def tiny():
    return load_script(FIXTURES / "valid.yaml")


@pytest.fixture(scope="session")
def guide():
    return load_script(GUIDE)


@pytest.fixture
def app():
    """The app with signature checks on, serving the shipped scripts."""
    return create_app(production_env())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def texts_api(monkeypatch):
    """A stand-in for Twilio's Messages API (support.MessagesApi), reached by the app
    through IVR_TWILIO_API_URL."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # a proxy on the machine must not catch these
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with messages_api() as stand_in:
        yield stand_in
