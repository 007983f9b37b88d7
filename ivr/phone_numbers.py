"""Phone numbers as Twilio writes them: E.164 form, UK mobiles, and callers who hide theirs.

    compact(raw)          the number without spaces (Twilio's form has none)
    is_e164(raw)          + then a country code and the number, 7 to 15 digits in all
    kind_of_number(raw)   'mobile' (a UK mobile), 'no_number' (withheld, unknown or
                          malformed) or 'not_mobile'
    number_of(address)    the number in an address Twilio writes, 'whatsapp:+44...' or
                          '+44...': '+44...' (compacted, not checked)
    WHATSAPP              the prefix of a WhatsApp address, 'whatsapp:'

One place for these rules, so the settings (IVR_TEXT_FROM), `ivr configure-number`, the
voice channel's callerId and "text me these steps" agree on what a number is.
"""

from __future__ import annotations

import re

# Shortest real numbers have 7 digits with their country code; E.164 allows 15 at most.
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# UK mobiles: 071-075, 077-079 and 07624; 070 (personal numbers) and 076 (pagers) are not.
UK_MOBILE = re.compile(r"\+447(?:[1-57-9][0-9]{8}|624[0-9]{6})")
# Twilio writes a WhatsApp sender or recipient as the number behind this prefix, in the
# webhook's From and To and in its message records ("whatsapp:+14155238886": Twilio's
# "incoming message Webhook URL" page, twilio.com/docs/messaging/guides/webhook-request).
WHATSAPP = "whatsapp:"
# What Twilio sends as From when the caller's number is hidden or unknown.
WITHHELD = {"anonymous", "restricted", "unknown", "private", "unavailable", "+266696687"}


def compact(raw: str | None) -> str:
    return "".join((raw or "").split())


def number_of(address: str | None) -> str:
    """The number of a texted address, with or without `whatsapp:` (any case)."""
    compacted = compact(address)
    if compacted[: len(WHATSAPP)].lower() == WHATSAPP:
        return compacted[len(WHATSAPP) :]
    return compacted


def is_e164(raw: str | None) -> bool:
    return E164.fullmatch(compact(raw)) is not None


def kind_of_number(raw: str | None) -> str:
    """'mobile', 'no_number' (withheld, unknown, malformed) or 'not_mobile'."""
    number = compact(raw)
    if number.lower() in WITHHELD or not E164.fullmatch(number):
        return "no_number"
    return "mobile" if UK_MOBILE.fullmatch(number) else "not_mobile"
