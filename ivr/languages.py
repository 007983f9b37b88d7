"""A script in each of its languages: a language changes the words, never the flow.

    version(script, tag)   -> Script   the script as it speaks `tag` ("" or the source:
                                       the script itself), worked out once and kept
    tags(script)           -> (source, *others)   every language the script speaks
    fingerprint(text)      -> str      the source words a translation was made from

A translation (`version`) is a Script like any other: the same ids, nodes, keys and
roles, with each text's words in that language (its `cy-GB:` version), each option's
keyword and synonyms in that language (and the source's still understood: people
switch), the language's voice, pronunciations, SMS encoding and lexicon. So the engine,
the channels and every lint rule serve it unchanged, and a script with no `languages:`
never comes here: a one-language line pays nothing for languages existing.

A text a translation leaves out keeps the source's words here, so nothing is ever
silent; the translation lint (ivr.lint.translations) makes that an error, so such a
script is never served.

Pure domain: no flask, no twilio.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType

from ivr.phrasebook import OPTIONAL_PHRASES
from ivr.script import TELLTALE_WORDS_IN, NextControl, Node, Option, Script, Text, TextMe, Transfer
from ivr.spoken import speaker
from ivr.understanding.lexicon_file import load as load_lexicon
from ivr.understanding.tokens import phrase

# Between the channels' words in a fingerprint: a newline and a record separator, so no
# words can run into the next channel's (docs/decisions/one-script-format.md).
_BETWEEN = "\n\u001e"


def fingerprint(text: Text) -> str:
    """The first eight hex digits of the SHA-256 of the source's voice, SMS and WhatsApp
    words, after the channels' fallbacks. WhatsApp's words are the SMS words until a text
    has a WhatsApp version of its own."""
    whatsapp = getattr(text, "whatsapp", None) or text.sms
    said = _BETWEEN.join((text.voice, text.sms, whatsapp))
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:8]


def tags(script: Script) -> tuple[str, ...]:
    """The script's languages: its source first, then the others in the order written."""
    source = script.translated_from or script.language
    return (source, *script.languages)


def version(script: Script, tag: str | None) -> Script:
    """The script as it speaks `tag`: itself for its source language, "" or a language it
    does not declare; else its translation, built once and kept."""
    if not tag or tag == script.language or tag not in script.languages:
        return script
    return _translated(script, tag)


@lru_cache(maxsize=256)  # a Script is hashed by identity: one build per script and language
def _translated(script: Script, tag: str) -> Script:
    language = script.languages[tag]
    lexicon = load_lexicon(tag)
    words = _Translator(tag)
    phrases = {}
    for name, text in script.phrases.items():
        if name in script.from_lexicon:
            phrases[name] = lexicon.phrases.get(name) or OPTIONAL_PHRASES.get(name) or text
        else:
            phrases[name] = words.text(text)
    speak = speaker(language.pronounce, language.voice.spoken)
    own = TELLTALE_WORDS_IN.get(tag.split("-")[0], ())
    telltale = tuple(dict.fromkeys((*script.discretion.words, *own)))
    return replace(
        script,
        language=tag,
        voice=language.voice,
        phrases=MappingProxyType(phrases),
        globals=tuple(map(words.option, script.globals)),
        next_control=words.next_control(script.next_control),
        nodes=MappingProxyType({k: words.node(n) for k, n in script.nodes.items()}),
        pronounce=language.pronounce,
        discretion=replace(script.discretion, words=telltale),
        transfers=MappingProxyType({k: words.transfer(t) for k, t in script.transfers.items()}),
        text_me=words.text_me(script.text_me),
        sms_encoding=language.sms_encoding,
        from_lexicon=(),
        translated_from=script.language,
        recordings=MappingProxyType(words.recordings(speak)),
    )


class _Translator:
    """Each part of a script with its words in one language."""

    def __init__(self, tag: str):
        self.tag = tag
        self.played: list[tuple[str, tuple[str, ...]]] = []  # (voice words, recordings)

    def text(self, text: Text | None) -> Text | None:
        if text is None:
            return None
        found = text.version(self.tag)
        if found is None:
            return text  # missing: an error of the translation lint, never served
        if found.play:
            self.played.append((found.text.voice, found.play))
        said = found.text
        return Text(said.voice, said.sms, found.line or text.line, whatsapp=said.whatsapp)

    def option(self, option: Option) -> Option:
        keyword, synonyms = self._words(option.keyword, option.synonyms, option.words_in)
        return replace(
            option, label=self.text(option.label), keyword=keyword, synonyms=synonyms, words_in=()
        )

    def next_control(self, control: NextControl) -> NextControl:
        keyword, synonyms = self._words(control.keyword, control.synonyms, control.words_in)
        return replace(
            control,
            keyword=keyword,
            synonyms=synonyms,
            label=self.text(control.label),
            last_label=self.text(control.last_label),
            words_in=(),
        )

    def _words(self, keyword: str, synonyms: tuple, words_in: tuple) -> tuple[str, tuple]:
        """This language's keyword (shown) and synonyms, with the source's keyword and
        synonyms still understood after them; the source's keyword if it gives none."""
        own = dict(words_in).get(self.tag)
        if own is None:
            return keyword, synonyms
        said = (*own.synonyms, keyword, *synonyms)
        kept = tuple(dict.fromkeys(w for w in said if phrase(w) != phrase(own.keyword)))
        return own.keyword, kept

    def node(self, node: Node) -> Node:
        return replace(
            node,
            text=self.text(node.text),
            options=tuple(map(self.option, node.options)),
            steps=tuple(map(self.text, node.steps)),
            counter=self.text(node.counter),
            step_options=tuple(tuple(map(self.option, o)) for o in node.step_options),
        )

    def transfer(self, transfer: Transfer) -> Transfer:
        return replace(
            transfer,
            unanswered=self.text(transfer.unanswered),
            completed=self.text(transfer.completed),
            connecting=self.text(transfer.connecting),
            closed=self.text(transfer.closed),
        )

    def text_me(self, text_me: TextMe | None) -> TextMe | None:
        if text_me is None:
            return None
        message = self.text(text_me.message_text) if text_me.message_text else None
        outcomes = {k: self.text(t) for k, t in text_me.outcomes.items()}
        return replace(
            text_me,
            message=message.sms if message is not None else text_me.message,
            outcomes=MappingProxyType(outcomes),
            message_text=None,
        )

    def recordings(self, speak) -> dict[str, str]:
        """Each recording by the spoken paragraph it stands for. A text with fewer
        recordings than paragraphs has its first paragraphs played and the rest said
        (the translation lint warns)."""
        found = {}
        for voice, played in self.played:
            for paragraph, address in zip(Text.paragraphs(voice), played, strict=False):
                found[speak(paragraph)] = address
        return found
