"""The conversation engine: where someone is in a script, and what they get next.

    start(script, channel, now)                      -> Reply
    advance(script, state, given, now, idle_limit)   -> Reply

Pure: no Flask, no Twilio, no clock (time is the `now` parameter). One engine serves
the phone, SMS and the simulator, so the simulator shows exactly what a caller gets.

A State is a handful of ids and counters, sealed by the web layer into a URL or a cookie:
never a phone number or anything a person typed or said. A Reply is channel-ready:
spoken forms on voice (numbers read digit by digit), GSM-7 pages on SMS, the words as
written on WhatsApp.

On the phone a steps node is read one step at a time; by SMS it is sent a page at a
time (at most three segments of content), with NEXT for more; on WhatsApp in one
message when it fits (1,600 characters), else cut between steps. A WhatsApp tap is a
TAPPED input naming the choice by what it does, never by its place in a list. Wrong or missing input
on the phone re-prompts `max_retries` times, then says goodbye with 999 and Samaritans;
pressing keys or talking never ends a call. What people type or say is read by
`ivr.understanding` (danger first, then under 18, then the rest); anything not understood
gets a sentence (an automated line; Samaritans) and then the choices open here, never a
bare list. A key or number answers only what the reply just given offers.

Hand-offs (voice only) depend on the moment, given as `Offers`: a transfer is offered
only while its line is open (its `closed` words are said in its place otherwise), and
"text me" only where texts can be sent. A transfer's reply carries `transfer` for the
channel to <Dial>; the call comes back as a RESUME input with Twilio's DialCallStatus. A
send_text choice's reply carries `send_text`; the web layer sends (or not) and asks
`after_text` what the caller hears.

Rooms: conversation.py (advance, after_text), rules.py (what advance checks, in which
order, leading where: its tables), routing.py (how a table is read), first_reply.py
(start), state.py (the values that pass through), screens.py (what a node shows), put
together from choices.py (the choices open at a point, said or listed), words.py (a
text's words made ready for the channel) and text_pages.py (a node cut into SMS pages
or WhatsApp messages); replies.py (replies built from a screen), catalogue.py (every
reply, for the linter and tests), memo.py (worked out once per script). Every reply's
`event` is an ivr.outcomes.Outcome, the word its log line writes.
"""

from ivr.engine.catalogue import every_reply
from ivr.engine.choices import top_options
from ivr.engine.conversation import advance, after_text, start
from ivr.engine.memo import MEMO_LIMIT, forget
from ivr.engine.screens import (
    Screen,
    announcement,
    announcements,
    count_parts,
    danger_first,
    screen_at,
)
from ivr.engine.state import (
    ANSWERED,
    CLOSED,
    NEXT,
    PAGE_SEPTETS,
    REPLY_SEPTETS,
    SILENT,
    SMS_GAP,
    WHATSAPP_CHARS,
    Choice,
    Input,
    InputKind,
    Offers,
    Reply,
    State,
    dialled,
    pressed,
    said,
    tapped,
    too_long,
    typed,
    whatsapp_chars,
)
from ivr.engine.text_pages import sms_pages, text_pages, whatsapp_pages
from ivr.engine.words import finish
from ivr.outcomes import Outcome

__all__ = [
    "ANSWERED",
    "CLOSED",
    "MEMO_LIMIT",
    "NEXT",
    "PAGE_SEPTETS",
    "REPLY_SEPTETS",
    "SILENT",
    "SMS_GAP",
    "WHATSAPP_CHARS",
    "Choice",
    "Input",
    "InputKind",
    "Offers",
    "Outcome",
    "Reply",
    "Screen",
    "State",
    "advance",
    "after_text",
    "announcement",
    "announcements",
    "count_parts",
    "danger_first",
    "dialled",
    "every_reply",
    "finish",
    "forget",
    "pressed",
    "said",
    "screen_at",
    "sms_pages",
    "start",
    "tapped",
    "text_pages",
    "too_long",
    "top_options",
    "typed",
    "whatsapp_chars",
    "whatsapp_pages",
]
