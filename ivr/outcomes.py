"""What one turn did, as its webhook log line's `outcome` names it and `ivr report` counts it.

    Outcome.CHOSE == "chose"              a str: logs, JSON and reports write the value
    Outcome.after_text(TextOutcome.SENT)  -> Outcome.TEXT_SENT ("text-sent")

The engine gives most of them (a Reply's `event`); ivr.turns adds Twilio's own opt-out
and opt-in answers, and the web layer its fault replies. The strings are the log's
public vocabulary (operators' dashboards and `ivr report` read them): a new member is a
new word in every log, and a changed value breaks whoever reads the old one.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    # The engine: the opening, and a conversation that starts afresh.
    START = "start"  # a call comes in, or a first text
    RESTART = "restart"  # a state from before a script change: the opening again
    EXPIRED = "expired"  # a texter idle past the limit: the opening again
    # The opening, where one number offers several guides (ivr.opening).
    GUIDE = "guide"  # a guide chosen at the guide choice: its welcome and main menu
    GUIDES = "guides"  # back to the guide choice (GUIDES, or the main-menu key there)
    LANGUAGE = "language"  # a language chosen at the language choice, or switched to by name
    # The engine: what a person's input led to.
    CHOSE = "chose"  # a key, keyword or words leading to a node
    NEXT = "next"  # the next step or page
    REPEAT = "repeat"  # the same point again
    WRONG = "wrong"  # on the phone: a key not offered, or words not understood
    UNKNOWN = "unknown"  # by SMS: words not understood
    PERSON = "person"  # asked for a person: this is an automated line
    NO_MORE = "no-more"  # next, where there is no more
    SILENCE = "silence"  # a caller said nothing: the choices again
    GOODBYE = "goodbye"  # too many silences in a row: 999, Samaritans, hang up
    DIAL = "dial"  # a call put through to a plain number
    TRANSFER = "transfer"  # a call put through to one of the script's transfers
    SEND_TEXT = "send_text"  # the caller confirmed a text (the web layer sends it)
    RESUME = "resume"  # back from a plain dial: where the call was
    TRANSFER_COMPLETED = "transfer-completed"  # back from a transfer someone answered
    TRANSFER_UNANSWERED = "transfer-unanswered"  # back from one nobody answered
    # The engine, after the web layer tried to send a text (one per TextOutcome).
    TEXT_SENT = "text-sent"
    TEXT_ALREADY_SENT = "text-already_sent"
    TEXT_NO_NUMBER = "text-no_number"
    TEXT_NOT_MOBILE = "text-not_mobile"
    TEXT_LIMITED = "text-limited"
    TEXT_FAILED = "text-failed"
    # ivr.turns: Twilio answers these texts itself, so the app sends nothing.
    OPTED_OUT = "opted-out"
    OPTED_IN = "opted-in"
    # The web layer.
    FAULT = "fault"  # answering failed: the fault reply (999, Samaritans)
    FALLBACK = "fallback"  # Twilio called the number's fallback URL

    @classmethod
    def after_text(cls, outcome: str) -> Outcome:
        """What hearing how a text went is logged as: "sent" -> text-sent."""
        return cls(f"text-{outcome}")
