"""Understanding what people say and type: crisis words first, on both channels.

    for_script(script, channel).read(text, here) -> Reading   (see `meaning`)

Pure domain (no Flask, no Twilio), shared by recognised speech and SMS text. The words
live in a lexicon per language (`lexicons/<language>.yaml`, see `lexicon`), extended by a
script's own `lexicon:` section and its options' keywords and synonyms.
"""

from ivr.understanding.meaning import (
    NEXT,
    NOTHING,
    PERSON,
    Meaning,
    Reading,
    for_script,
    lexicon_for,
)

__all__ = ["NEXT", "NOTHING", "PERSON", "Meaning", "Reading", "for_script", "lexicon_for"]
