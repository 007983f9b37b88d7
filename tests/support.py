"""Paths and constants shared by the tests (fixtures themselves live in conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SCRIPTS = sorted((ROOT / "scripts").glob("*.yaml"))
GUIDE = ROOT / "scripts" / "link-claiming-intimate-photo.yaml"
NOW = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)
