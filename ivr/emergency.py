"""Emergency numbers, in every way a script might write them.

    is_emergency_number(text) -> bool

The app must never dial or put anyone through to an emergency number: a bridged call
would give the emergency service the helpline's registered address, not the caller's.
Callers are told to hang up and dial 999 themselves. This is the one place that says
what counts: 999, 112 and 911, and Relay UK's 18000 (the textphone route to 999), alone
or after an international prefix (+44, 0044, +1, 001...) or a Relay UK prefix (18001),
with any spacing or punctuation, and with a trunk 0 after the country code
("+44 (0) 999"). The linter
applies it to every number a script dials or offers to transfer to.
"""

from __future__ import annotations

import re

EMERGENCY_NUMBERS = frozenset({"999", "112", "911", "18000"})
RELAY_PREFIXES = frozenset({"18001", "18002"})


def is_emergency_number(text: str) -> bool:
    """True when `text` is an emergency number, however it is written."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("00"):
        digits = digits[2:]  # 0044 999 is +44 999
    if digits[:5] in RELAY_PREFIXES:
        digits = digits[5:]  # Relay UK's text relay in front of a number: 18001 999
    # The number alone, or after a country code of one to three digits (+44, 44, +1,
    # +353...) and a trunk 0: an ordinary phone number never leaves 3 to 5 digits.
    return any(digits[size:].lstrip("0") in EMERGENCY_NUMBERS for size in (0, 1, 2, 3))
