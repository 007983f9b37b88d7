"""The phrase corpus (tests/corpus/en-GB.txt) through the engine alone, with no web layer.

tests/test_corpus.py sends every phrase through the real webhooks; this sends the same
phrases to `engine.advance` from the main menu, so the fast domain tests (and with them
`python3 dev.py mutate`) hold understanding to every phrasing the corpus has, not only
the rows of tests/test_understanding*.py. The expectations are the corpus's own.
"""

from __future__ import annotations

import pytest
from test_corpus import PHRASES, wrong

from ivr import engine
from ivr.engine import CLOSED, said, typed
from ivr.script import SMS, VOICE

from support import NOW

pytestmark = pytest.mark.domain


@pytest.mark.parametrize("channel", [SMS, VOICE])
def test_every_corpus_phrase_reaches_its_answer_through_the_engine(guide, channel):
    opening = engine.start(guide, channel, NOW, offers=CLOSED)
    misses = []
    for expected, phrase in PHRASES:
        given = typed(phrase) if channel == SMS else said(phrase)
        reply = engine.advance(guide, opening.state, given, NOW, offers=CLOSED)
        got = wrong(guide, expected, reply.state.node, reply.paragraphs, channel)
        if got is not None:
            misses.append(f"{expected:>12} <- {got:<12} {phrase!r}")
    assert not misses, f"{len(misses)} of {len(PHRASES)} phrases on {channel}:\n" + "\n".join(
        misses
    )
