"""The fast loop (`python3 dev.py test --fast`): it leaves out what tests/conftest.py's
SLOW names, and only that; each name there still names a test file or test."""

from __future__ import annotations

import ast

import pytest

import dev

from conftest import SLOW
from support import TESTS

pytestmark = pytest.mark.domain  # reads files only


def test_every_slow_name_is_a_test_file_or_a_test_in_it():
    for name in SLOW:
        file, _, test = name.partition("::")
        path = TESTS / file
        assert path.is_file(), f"SLOW names {file}, which is not in tests/: take it off."
        if test:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            tests = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
            assert test in tests, f"SLOW names {name}, which {file} no longer has."


def test_fast_leaves_out_the_slow_tests_and_the_full_suite_runs_them():
    *ruff, fast = dev.test_commands(["--fast", "-x", "-k", "sms"])
    spread = fast[fast.index("pytest") + 1 : -5]
    assert spread[0] == "-n" and int(spread[1]) in range(dev.FAST_WORKERS + 1)
    assert spread[2:] == (["--dist", "loadfile"] if int(spread[1]) else [])
    assert fast[-5:] == ["-m", "not slow", "-x", "-k", "sms"]
    *same, full = dev.test_commands(["-x"])
    assert full[-2:] == ["pytest", "-x"] and "not slow" not in full and "-n" not in full
    assert ruff == same and [c[3] for c in ruff] == ["check", "format"]
