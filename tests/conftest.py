"""Shared fixtures: the real guide, the tiny test script, and the app as production runs it."""

from __future__ import annotations

import pytest

from ivr.loader import load_script
from ivr.web import create_app

from support import FIXTURES, GUIDE, production_env


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
