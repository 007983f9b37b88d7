"""What a person is told when answering them failed: written once, here, and linted.

No script is relied on (the fault may be the script), so the words live in code; but
they are checked by the same rules as a script's words (`ivr.lint.fault_words`): 999
and Samaritans 116 123, GSM-7, one SMS segment, short enough to say. The voice words are
written with digits like a script's and said digit by digit through `spoken.speak`.
"""

from __future__ import annotations

from ivr.script import Text
from ivr.spoken import speak

FAULT = Text(
    voice="Sorry, something went wrong on this line. If you are in immediate danger, hang up "
    "and call 999. For someone to talk to, day or night, call Samaritans free on 116 123.",
    sms="Sorry, something went wrong here. If you are in immediate danger, call 999. "
    "For someone to talk to, day or night, call Samaritans free on 116 123.",
)
FAULT_WORDS = speak(FAULT.voice, {})  # what a caller hears
FAULT_TEXT = FAULT.sms  # what a texter reads
FAULT_VOICE = "Polly.Amy-Neural"
FAULT_LANGUAGE = "en-GB"
