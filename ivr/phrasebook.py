"""The phrases a script says in its own words: which there are, on which channels each
must say something, the placeholders each may fill in, and which a script may leave out.

    PHRASES            name -> (the channels it must say something on, its placeholders)
    OPTIONAL_PHRASES   name -> what it is when a script leaves it out
    LEXICON_PHRASES    names a script may leave to its language's lexicon (ivr/understanding)

Read by the loader (ivr.loader: each phrase's record, and what a script may leave out),
by ivr.languages (a translation's phrases) and by ivr.understanding.lexicon_file (the
phrases a language's lexicon may give). The words themselves are the script's
(Script.phrases, Script.phrase).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ivr.script import SMS, VOICE, WHATSAPP, Text

# Each phrase: the channels on which it must say something, and the placeholders it may use.
PHRASES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
    {
        "danger_line": ((VOICE, SMS), ()),
        "welcome": ((VOICE, SMS), ()),
        "first_line": ((SMS,), ()),
        "menu_intro": ((SMS,), ()),
        "choice": ((VOICE, SMS), ("label", "key", "keyword")),
        "word_choice": ((SMS,), ("label", "keyword")),
        "step_counter": ((VOICE, SMS), ("number", "total")),
        "wrong_input": ((VOICE,), ()),
        "no_input": ((), ()),
        "goodbye": ((VOICE,), ()),
        "media": ((SMS,), ()),
        "danger_first": ((), ("label", "key", "keyword")),
        "step_continued": ((), ("number",)),
        # The language's lexicon gives the ones below when a script leaves them out.
        # Said instead of a bare list when a message is not understood, and on purpose to
        # "are you a real person?": sorry, an automated line, Samaritans.
        "not_understood": ((VOICE, SMS), ()),
        "automated": ((VOICE, SMS), ()),
        "no_more": ((VOICE, SMS), ()),  # "next" where nothing follows
        "also": ((VOICE, SMS), ("label", "key", "keyword")),  # a second need, offered
        "child_in_danger": ((VOICE, SMS), ()),  # Childline, beside Samaritans, for a child
        # Where one number offers several guides (ivr.opening): the question before them,
        # and the label of the choice that goes back to it from a guide's main menu.
        "choose_guide": ((VOICE, SMS), ()),
        "other_guide": ((VOICE, SMS), ()),
        # Where a script speaks more than one language (ivr.languages): the language
        # choice's line for this language, said in it ("Am Gymraeg, pwyswch 2."); the
        # welcome's line, in this language, saying the line speaks it too; and, on the
        # phone, that a language Twilio cannot hear takes keys only.
        "choose_language": ((VOICE, SMS), ("key", "keyword")),
        "other_language": ((SMS,), ("keyword",)),
        "keys_only": ((VOICE,), ()),
        # Danger clearly denied beside another need ("I'm not in danger, I just want it
        # taken down"): 999 and Samaritans first, then the answer to that need.
        "danger_denied": ((VOICE, SMS), ()),
        # WhatsApp keeps the chat on the phone: the first reply says how to delete it.
        "delete_chat": ((WHATSAPP,), ()),
        # WhatsApp's STOP family: Twilio does not answer it there, so the line does.
        "stopped": ((WHATSAPP,), ()),
        # A tappable menu's list button, and the line under each item of a list.
        "tap_button": ((WHATSAPP,), ()),
        "tap_description": ((), ("label", "key", "keyword")),
        # Said on WhatsApp in place of `media` when the message carried a voice note.
        "voice_note": ((WHATSAPP,), ()),
    }
)

# Phrases a script may leave out, and what they are then. danger_first is said on the
# phone straight after the danger line ("...press 9, at any time"), filled in with the
# danger option, so a caller hears it within seconds.
# step_continued leads a text part that carries on a step cut by the part before it.
OPTIONAL_PHRASES: Mapping[str, Text] = MappingProxyType(
    {"danger_first": Text("", ""), "step_continued": Text("", "{number} (continued)")}
)


# Phrases a script may leave out: its language's lexicon (ivr/understanding) has them.
LEXICON_PHRASES = (
    "not_understood",
    "automated",
    "no_more",
    "also",
    "child_in_danger",
    "choose_guide",
    "other_guide",
    "choose_language",
    "other_language",
    "keys_only",
    "danger_denied",
    "delete_chat",
    "stopped",
    "tap_button",
    "tap_description",
    "voice_note",
)
