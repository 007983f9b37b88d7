"""What the engine works out once per script and remembers: a node's screens, finished
words and choices.

The memo is keyed by positions in the script (and which hand-offs are open), so it is
bounded by the script's size, and MEMO_LIMIT is a second guard. Remembering never
changes a reply: tests/test_precomputed.py compares remembered replies with fresh ones
(`forget` clears a script's memo for that).

Every look-up goes through `kept`. Its guard against a full memo carries `# pragma: no
mutate`: a change there only keeps one value more or fewer, and a value not kept is
built again the same, so it changes the speed of a turn, never a reply. Mutation testing
(`python3 dev.py mutate`) would count every such mutant as a survivor.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from ivr.engine.state import Offers
from ivr.script import Script

# Everything the engine builds that depends only on the script (a node's screens, finished
# words, choices) is worked out once and remembered here, per script: the linter's walk over
# every reply fills it at load, so a turn only matches its input and fills in its state.
MEMO_LIMIT = 500_000
T = TypeVar("T")


@lru_cache(maxsize=64)  # one per loaded script, kept as long as the script is served
def remembered(script: Script) -> dict:
    return {}


def kept(script: Script, key: tuple, build: Callable[[], T]) -> T:
    """What is remembered under `key` for this script, built by `build()` and remembered
    the first time (None too). Past MEMO_LIMIT it is built and given, not kept."""
    memo = remembered(script)
    found = memo.get(key, _MISSING)
    if found is _MISSING:
        found = build()
        if len(memo) < MEMO_LIMIT:  # pragma: no mutate
            memo[key] = found
    return found


_MISSING = object()


def forget(script: Script) -> None:
    """Drop what was worked out for `script`: the next turns build everything afresh
    (for tests that compare remembered replies with fresh ones)."""
    remembered(script).clear()


def offer_key(script: Script, offers: Offers) -> tuple:
    """What of `offers` can change a reply: which hand-offs can be offered now. A turn
    asks several times with the same Offers, so the last answer is kept (by identity)."""
    global _last_offer_key
    last = _last_offer_key
    if last[0] is offers and last[1] is script:
        return last[2]
    if not script.transfers:
        key = (offers.texting, offers.dialling)
    else:
        opens = tuple(offers.is_open(t) for t in script.transfers.values())
        key = (offers.texting, offers.dialling, *opens)
    _last_offer_key = (offers, script, key)  # one tuple, swapped whole: safe across threads
    return key


_last_offer_key: tuple = (None, None, ())
