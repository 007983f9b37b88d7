"""Shared fixtures: the real guide and the tiny test script, loaded from their YAML files."""

from __future__ import annotations

import pytest

from ivr.loader import load_script

from support import FIXTURES, GUIDE


@pytest.fixture(scope="session")
def tiny():
    return load_script(FIXTURES / "valid.yaml")


@pytest.fixture(scope="session")
def guide():
    return load_script(GUIDE)
