"""A pytest plugin for mutation runs only: the domain's caches start empty.

mutmut runs each mutant in a fork of the process that ran the clean tests. A function
behind functools.cache or lru_cache (inflected forms, the lexicon, a script's compiled
understanding, the engine's memo) would hand back what the unmutated code worked out,
so its mutants would survive without ever running. So:

- while mutmut records which tests reach which functions ("stats"), the caches are
  emptied before every test, so each test that reaches a function is seen, not only
  the first;
- while a mutant is tested, they are emptied once at the start, as in a fresh process.

Normal test runs never load this plugin.
"""

from __future__ import annotations

import functools
import os
import sys


def pytest_sessionstart(session) -> None:
    _empty_caches()


def pytest_runtest_setup(item) -> None:
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        _empty_caches()


def _empty_caches() -> None:
    for name, module in list(sys.modules.items()):
        if name == "ivr" or name.startswith("ivr."):
            for value in list(vars(module).values()):
                # By type, not by attribute: a Flask proxy raises on any attribute read.
                if isinstance(value, functools._lru_cache_wrapper):
                    value.cache_clear()
