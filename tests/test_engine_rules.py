"""The engine's rules as one table: where someone is, what comes in, which cases of the
engine's tables (ivr/engine/rules.py) decide it, and what they get (where they end up,
what they hear or read first, whether the call ends). The rows follow the tables' order,
every case has its rows, and a row that reaches a case has matched none above it.

The rules, in the tables' order:
- a state from before a script change, or an SMS idle past its limit, starts afresh;
- silence re-prompts `max_retries` times, then goodbye with 999 and Samaritans; a key or
  words never end a call;
- back from a transfer: answered is a goodbye, anything else the menu again;
- a key answers only what the reply just given offers, never an older menu; a WhatsApp
  tap names its choice by what it does, and a tap on an older message that leads to a
  node still goes there;
- words are read by understanding and its ranking picks the answer (danger, then under
  18, then the roles), with the second need offered beside it;
- asking for a person is told this is an automated line (and, while a line is open, is
  offered the transfer);
- next, repeat, a call, a transfer or a text work only where this point offers them
  (NEXT at the main menu is "that was all of it", never a move);
- anything else not understood gets a sentence, then the choices.

Uses the tiny fixture (and a variant with two calls and a node's own repeat), the
hand-offs fixture (a transfer open on weekdays 10:00-16:00, and "text me") and the
shipped guide. Pure domain (marker `domain`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ivr import engine, gsm7
from ivr.engine import (
    CLOSED,
    SILENT,
    Choice,
    Input,
    InputKind,
    Offers,
    State,
    dialled,
    pressed,
    routing,
    rules,
    said,
    tapped,
    typed,
)
from ivr.errors import StateError
from ivr.loader import load_script
from ivr.script import GO, REPEAT, SMS, VOICE

from support import FIXTURES, NOW

pytestmark = pytest.mark.domain


def _stamp(when: datetime) -> int:
    return int(when.timestamp())


OPEN_HOURS = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)  # a Wednesday, 11:00 in London
OPEN = Offers(OPEN_HOURS, texting=True)  # the line is open and texts can be sent
IDLE = timedelta(minutes=30)  # an SMS conversation's idle limit
NO_TEXTS = Offers(OPEN_HOURS, texting=False)

SORRY_KEY = "Sorry, that isn't one of the choices."
SORRY_SMS = "Sorry, I didn't understand that. This is an automated line and nobody reads"
SORRY_VOICE = "Sorry, I didn't understand that. This is an automated line, and nobody hears"
AUTOMATED = "This is an automated line, not a person, and nobody reads these texts."
AUTOMATED_CALL = "This is an automated line, not a person, and nobody hears this call."
NO_MORE = "That was all of it."
CALL_999 = "Call nine nine nine now."  # the phone says numbers digit by digit
ALSO_SMS = "You also mentioned something else: if you clicked, reply CLICKED."
ALSO_VOICE = "You also mentioned something else. If you clicked, press 2."


@pytest.fixture(scope="module")
def handoffs():
    return load_script(FIXTURES / "handoffs.yaml")


def _variant(tmp_path, fixture: str, *changes: tuple[str, str]):
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / fixture
    path.write_text(text, encoding="utf-8")
    return load_script(path)


STEPS_OPTION = '      - {key: "3", keyword: STEPS, label: for the steps, target: steps}\n'
CALL_OPTIONS = (
    '      - {key: "4", keyword: CALL, synonyms: [call samaritans], '
    'label: "to call Samaritans, samaritans.org", dial: "+44116123"}\n'
    '      - {key: "5", keyword: CHILDLINE, synonyms: [call childline], '
    'label: to call Childline, dial: "+448001111"}\n'
)


GLOBAL_REPEAT = (
    '  - key: "*"\n    keyword: REPEAT\n    synonyms: [say that again]\n'
    "    label: to hear this again\n    action: repeat\n    channels: [voice]\n"
)
CLICKED_STEPS = (
    "    text: Change your passwords from another device.\n    options:\n"
    '      - {key: "1", keyword: STEPS, label: for the steps, target: steps}\n'
)
CLICKED_REPEAT = (
    '      - {key: "*", keyword: AGAIN, synonyms: [say that again], label: to hear this again,'
    " action: repeat, channels: [voice]}\n"
)


@pytest.fixture(scope="module")
def calls(tmp_path_factory):
    """The tiny script with two calls on its main menu, and "say that again" an option
    of the clicked node only, not a global one."""
    return _variant(
        tmp_path_factory.mktemp("calls"),
        "valid.yaml",
        (STEPS_OPTION, STEPS_OPTION + CALL_OPTIONS),
        (GLOBAL_REPEAT, ""),
        (CLICKED_STEPS, CLICKED_STEPS + CLICKED_REPEAT),
    )


def turn(where, given, to, event, first, offers=CLOSED, ends=False, ago=60):
    """`where`: "script channel node [step [retries]]", its last turn `ago` seconds before
    (SMS restarts after IDLE); `to`: "node [step]"; `first`: what the reply starts with
    ("" for a reply with no words)."""
    return (where, given, to, event, first, offers, ends, ago)


def taken(path, *turns):
    """Turns that go the way of `path`: the cases of rules.TURN (and the table it hands
    on to) that decide them, as "offered key > go"."""
    return [
        pytest.param(*t, path, id=f"{path}: {t[0]} <- {t[1].kind} {t[1].value!r}") for t in turns
    ]


# Rows in the order of the engine's tables (ivr/engine/rules.py): each case, then the
# turns it decides. A turn reaching a case has matched none above it.
TURNS = [
    *taken("stale state",  # a URL or cookie from before a script change
        turn("tiny voice gone", pressed("1"), "main", "restart", "If you are in danger"),
        turn("tiny sms gone", typed("CLICKED"), "clicked", "restart", "Hello."),
        turn("tiny whatsapp gone", tapped(GO, "clicked"), "clicked", "restart", "Hello."),
    ),
    *taken("idle too long",
        turn("tiny sms clicked", typed("1"), "main", "expired", "Hello.", ago=31 * 60),
        turn("tiny whatsapp clicked", typed("1"), "main", "expired", "Hello.", ago=31 * 60),
    ),
    *taken("silence",  # re-prompts, then says goodbye; keys and words never end a call
        turn("tiny voice main", SILENT, "main", "silence", "If you clicked"),
        turn("tiny voice main 0 1", SILENT, "main", "silence", "If you clicked"),
        turn("tiny voice main 0 2", SILENT, "main", "goodbye", "Goodbye.", ends=True),
        turn("tiny voice steps 1 2", SILENT, "steps 1", "goodbye", "Goodbye.", ends=True),
    ),
    *taken("back from a dial > plain dial",  # or a transfer the script no longer has
        turn("handoffs voice main", dialled("completed", "gone"), "main", "resume", "If you",
             OPEN),
    ),
    *taken("back from a dial > answered",
        turn("handoffs voice main", dialled("completed", "line"), "main", "transfer-completed",
             "Goodbye.", OPEN, ends=True),
        turn("handoffs voice main", dialled("Answered", "line"), "main", "transfer-completed",
             "Goodbye.", OPEN, ends=True),
    ),
    *taken("back from a dial > unanswered",  # anything else: the menu again
        turn("handoffs voice steps 1", dialled("no-answer", "line"), "steps 1",
             "transfer-unanswered", "They couldn't answer", OPEN),
        turn("handoffs voice steps 1", dialled("busy", "line"), "steps 1", "transfer-unanswered",
             "They couldn't answer", OPEN),
    ),
    # A key answers only what the reply just given offers.
    *taken("offered key > repeat",
        turn("tiny voice steps 1", pressed("*"), "steps 1", "repeat", "Step 2 of 3."),
    ),
    *taken("offered key > next part",
        turn("tiny voice steps", pressed("1"), "steps 1", "next", "Step 2 of 3."),
        turn("guide whatsapp steps", engine.tapped("next", None), "steps 1", "next", "4. Report"),
    ),
    *taken("offered key > next node",
        turn("tiny voice steps 2", pressed("1"), "main", "next", "If you clicked"),
    ),
    *taken("offered key > dial",
        turn("calls voice main 0 2", pressed("4"), "main", "dial", ""),
    ),
    *taken("offered key > transfer",  # only while the line is open
        turn("handoffs voice main 0 2", pressed("4"), "main", "transfer", "Putting you", OPEN),
        turn("handoffs voice steps 1", pressed("2"), "steps 1", "transfer", "Putting you", OPEN),
    ),
    *taken("offered key > send text",
        turn("handoffs voice text-me 0 2", pressed("1"), "text-me", "send_text", "", OPEN),
    ),
    *taken("offered key > go",
        turn("tiny voice main", pressed("1"), "clicked", "chose", "Change"),
        turn("tiny voice clicked", pressed("1"), "steps", "chose", "What to"),
        turn("tiny voice main", said("press two"), "young", "chose", "Tell"),
        turn("tiny voice danger", pressed("9"), "danger", "chose", CALL_999),
        turn("tiny voice young", pressed("0"), "main", "chose", "If you clicked"),
        turn("tiny sms clicked", typed("1."), "steps", "chose", "What to"),
        turn("tiny sms main", typed("option 3"), "steps", "chose", "What to"),
        turn("handoffs voice main", pressed("5"), "text-me", "chose", "The text", OPEN),
        turn("handoffs voice text-me", pressed("2"), "main", "chose", "If you clicked", OPEN),
        turn("tiny whatsapp main", tapped(GO, "clicked"), "clicked", "chose", "Change"),
        turn("tiny whatsapp clicked", typed("1"), "steps", "chose", "What to"),
        # The danger node does not list "danger", but a tap on it still answers it.
        turn("guide whatsapp danger", tapped(GO, "danger"), "danger", "chose", "If you feel"),
    ),
    *taken("tapped before",  # a tap on an older message goes where its label said
        turn("tiny whatsapp clicked", tapped(GO, "young"), "young", "chose", "Tell"),
        turn("guide whatsapp steps 1", tapped(GO, "under-18"), "under-18", "chose", "If"),
    ),
    *taken("other key",  # never an older menu's, never an age
        turn("tiny voice clicked", pressed("2"), "clicked", "wrong", SORRY_KEY),
        turn("tiny voice steps", pressed("3"), "steps", "wrong", SORRY_KEY),
        turn("tiny voice main", pressed("#"), "main", "wrong", SORRY_KEY),
        turn("tiny voice main", pressed("12"), "main", "wrong", SORRY_KEY),
        turn("tiny voice main 0 2", pressed("7"), "main", "wrong", SORRY_KEY),
        turn("tiny sms clicked", typed("2"), "clicked", "unknown", SORRY_SMS),
        turn("tiny sms young", typed("*"), "young", "unknown", SORRY_SMS),
        turn("handoffs voice main", pressed("4"), "main", "wrong", SORRY_KEY),  # line closed
        turn("handoffs voice steps", pressed("2"), "steps", "wrong", SORRY_KEY, OPEN),
        turn("handoffs voice main", pressed("5"), "main", "wrong", SORRY_KEY, NO_TEXTS),
    ),
    # Words: understanding's ranking picks the answer, from anywhere in the script.
    *taken("means a node",
        turn("tiny sms main", typed("CLICKED"), "clicked", "chose", "Change"),
        turn("tiny sms steps", typed("i clicked"), "clicked", "chose", "Change"),
        turn("tiny sms young", typed("not safe"), "danger", "chose", "Call 999"),
        turn("tiny whatsapp young", typed("not safe"), "danger", "chose", "Call 999"),
        turn("tiny voice main", said("I clicked, I'm not safe"), "danger", "chose", CALL_999),
        turn("guide sms main", typed("I clicked the link and I'm 15"), "under-18", "chose",
             "If"),
        turn("guide sms support", typed("should I pay them?"), "dont", "chose", "Do not"),
        # Danger clearly denied beside a need: the crisis numbers first, then that need.
        turn("guide sms main", typed("I'm not in danger, how do I report it"), "support",
             "chose", "If that changes, call 999. Samaritans 116 123"),
        turn("guide voice steps 1", said("im not suicidal what should i do"), "steps", "chose",
             "If that changes, hang up and call nine nine nine"),
        turn("guide sms main", typed("I'm not suicidal"), "danger", "chose", "If you feel"),
    ),
    *taken("person, line open",
        turn("handoffs voice clicked", said("a human"), "main", "person", AUTOMATED_CALL, OPEN),
    ),
    *taken("person",  # by SMS, with the line closed, or on the under-18 node (adults only)
        turn("tiny sms main", typed("are you a real person"), "main", "person", AUTOMATED),
        turn("tiny voice young", said("is this automated"), "young", "person", AUTOMATED_CALL),
        turn("handoffs voice young", said("a human"), "young", "person", AUTOMATED_CALL, OPEN),
        turn("handoffs voice clicked", said("a human"), "clicked", "person", AUTOMATED_CALL),
    ),
    # Next, repeat, a call or a text, by words: only where this point offers them.
    *taken("means a choice here > repeat",
        turn("tiny voice main", said("say that again"), "main", "repeat", "If you clicked"),
    ),
    *taken("means a choice here > next part",
        turn("tiny voice steps", said("next"), "steps 1", "next", "Step 2 of 3."),
        turn("guide sms steps", typed("more", media=True), "steps 1", "next",
             "Pictures and files"),
    ),
    *taken("means a choice here > next node",
        turn("tiny voice steps 2", said("more"), "main", "next", "If you clicked"),
        turn("tiny sms steps", typed("next"), "main", "next", "Reply with:"),
        turn("tiny sms steps", typed("next", media=True), "main", "next", "Pictures can't"),
    ),
    *taken("means a choice here > dial",  # the number the words name, not the first dial
        turn("calls voice main", said("call childline"), "main", "dial", ""),
    ),
    *taken("means a choice here > transfer",
        turn("handoffs voice main", said("talk to someone"), "main", "transfer", "Putting",
             OPEN),
    ),
    *taken("means a choice here > send text",
        turn("handoffs voice text-me", said("send"), "text-me", "send_text", "", OPEN),
    ),
    *taken("means a choice here > go",  # text me leads to its warning first
        turn("handoffs voice main", said("text me"), "text-me", "chose", "The text", OPEN),
    ),
    *taken("next, no more",
        turn("tiny voice main", said("next"), "main", "no-more", NO_MORE),
        turn("tiny sms main", typed("NEXT"), "main", "no-more", NO_MORE),
        turn("tiny sms clicked", typed("more"), "clicked", "no-more", NO_MORE),
    ),
    *taken("repeat",  # another node's own repeat option: this point again
        turn("calls voice young", said("say that again"), "young", "repeat", "Tell"),
    ),
    *taken("anything else",  # a sentence, then the choices
        turn("tiny voice main", said("bananas"), "main", "wrong", SORRY_VOICE),
        turn("tiny sms main", typed("bananas"), "main", "unknown", SORRY_SMS),
        turn("tiny voice main 0 2", said("what"), "main", "wrong", SORRY_VOICE),
        turn("tiny sms main", typed("say that again"), "main", "unknown", SORRY_SMS),
        # A tap naming a choice this point does not offer, and no node: the choices again.
        turn("tiny whatsapp main", engine.tapped("next", None), "main", "unknown", SORRY_SMS),
        turn("tiny whatsapp main", tapped(REPEAT, None), "main", "unknown", SORRY_SMS),
    ),
]  # fmt: skip
# The cases that hand a turn on to another table.
HANDED_ON = {"back from a dial": rules.BACK_FROM_DIAL, "offered key": rules.CHOSEN,
             "means a choice here": rules.CHOSEN}  # fmt: skip


def _afresh(given: Input) -> Input:
    """The input made again by its constructor, inside the test: the table is built once
    at import, and a mutation tester's changes to `pressed` or `said` must reach it."""
    if given.kind == InputKind.TYPED:
        return typed(given.value, given.media)
    made = {InputKind.PRESSED: pressed, InputKind.SAID: said}
    if given.kind in made:
        return made[given.kind](given.value)
    if given.kind == InputKind.TAPPED:
        return tapped(given.via, given.value or None)
    return dialled(given.value, given.via) if given.kind == InputKind.RESUME else given


def test_the_rows_take_every_case_of_the_tables_in_their_order():
    paths = []
    for case in rules.TURN:
        then = HANDED_ON.get(case.name)
        paths += [f"{case.name} > {c.name}" for c in then] if then else [case.name]
    rows = list(dict.fromkeys(row.values[-1] for row in TURNS))
    assert rows == paths
    assert set(HANDED_ON) <= {case.name for case in rules.TURN}


@pytest.mark.parametrize(
    ("where", "given", "to", "event", "first", "offers", "ends", "ago", "path"), TURNS
)
def test_each_turn_goes_where_the_rules_say(
    request, where, given, to, event, first, offers, ends, ago, path
):
    given = _afresh(given)
    name, channel, node, *counts = where.split()
    script = request.getfixturevalue(name)
    step, retries = (int(n) for n in [*counts, "0", "0"][:2])
    state = State(channel, script.id, node, step, retries, at=int(NOW.timestamp()) - ago)
    decided = routing.Turn(script, state, given, NOW, IDLE, offers)
    reply = routing.route(rules.TURN, decided)
    assert " > ".join(decided.path) == path
    assert reply == engine.advance(script, state, given, NOW, IDLE, offers)
    to_node, to_step = [*to.split(), "0"][:2]
    assert (reply.state.channel, reply.state.script) == (channel, script.id)
    assert State.from_fields(reply.state.as_fields()) == reply.state  # travels whole
    if event != "transfer-completed":  # every turn that goes on is stamped with its time
        assert reply.state.at == int(NOW.timestamp())
    if event not in ("silence", "goodbye"):
        assert reply.state.retries == 0
    assert (reply.state.node, reply.state.step, reply.event) == (to_node, int(to_step), event)
    assert reply.ends is ends
    if first:
        assert reply.paragraphs[0].startswith(first), reply.paragraphs
    else:
        assert reply.paragraphs == ()
    if ends:
        said_ = " ".join(reply.paragraphs)
        assert "nine nine nine" in said_ and "one one six, one two three" in said_
        assert reply.choices == ()
    elif event == "transfer":  # the call is put through: the channel dials, no choices
        assert reply.transfer.id == "line" and reply.dial == "+441632960000"
        assert reply.choices == ()
    elif event == "send_text":  # the web layer sends, then asks after_text what is said
        assert reply.send_text and reply.dial is None
        assert [c.key for c in reply.choices] == ["1", "2", "9", "0"]
    else:
        assert reply.choices, "a reply that goes on always offers choices"
        assert reply.transfer is None and not reply.send_text


def test_the_retry_count_climbs_with_silence_and_resets_with_anything_else(tiny):
    state = State(VOICE, tiny.id, "main", at=int(NOW.timestamp()) - 60)
    first = engine.advance(tiny, state, SILENT, NOW)
    second = engine.advance(tiny, first.state, SILENT, NOW)
    assert (first.state.retries, second.state.retries) == (1, 2)
    assert first.state.at == int(NOW.timestamp())  # the time of the last turn, silence too
    assert engine.advance(tiny, second.state, pressed("8"), NOW).state.retries == 0
    assert engine.advance(tiny, second.state, said("hmm"), NOW).state.retries == 0
    assert engine.advance(tiny, second.state, pressed("1"), NOW).state.retries == 0


def test_silence_is_answered_with_the_scripts_words_then_the_choices(tiny, tmp_path):
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    path = tmp_path / "no-input.yaml"
    path.write_text(
        text.replace(
            'no_input: ""',
            'no_input: {voice: "I didn\'t hear anything. In danger? Call 999.", sms: ""}',
        )
    )
    script = load_script(path)
    reply = engine.advance(script, State(VOICE, "tiny", "main"), SILENT, NOW)
    assert reply.paragraphs[0] == "I didn't hear anything. In danger? Call nine nine nine."
    assert reply.paragraphs[1].startswith("If you clicked, press 1.")
    assert [c.key for c in reply.choices] == [
        c.key for c in engine.start(script, VOICE, NOW).choices
    ]


# -- the second need, offered beside the answer ------------------------------------------


@pytest.mark.parametrize(
    ("channel", "given", "offer", "also"),
    [
        (SMS, typed("under 18 and i clicked"), ALSO_SMS, ""),
        (VOICE, said("under 18 and i clicked"), ALSO_VOICE, "clicked"),
    ],
)
def test_the_second_need_is_offered_beside_the_first(tiny, channel, given, offer, also):
    state = State(channel, tiny.id, "main", at=int(NOW.timestamp()))
    reply = engine.advance(tiny, state, given, NOW)
    assert reply.state.node == "young"
    assert any(p.startswith(offer) for p in reply.paragraphs), reply.paragraphs
    assert reply.state.also == also


def test_on_the_phone_the_offered_key_works_only_while_that_reply_stands(tiny):
    state = State(VOICE, tiny.id, "main", at=int(NOW.timestamp()))
    reply = engine.advance(tiny, state, said("under 18 and i clicked"), NOW)
    offered = next(p for p in reply.paragraphs if p.startswith("You also"))
    key = offered.rsplit("press ", 1)[1].rstrip(".")
    assert key == "2" and not any(c.key == "2" for c in tiny.nodes["young"].options)
    assert engine.advance(tiny, reply.state, pressed(key), NOW).state.node == "clicked"
    later = engine.advance(tiny, reply.state, pressed("1"), NOW)  # the steps: a new reply
    assert engine.advance(tiny, later.state, pressed(key), NOW).event == "wrong"
    # The offered key is a choice of its own, named by the option's keyword (the phone
    # listens for it), with no label to list: it was said in the offer.
    (extra,) = [c for c in reply.choices if c.target == "clicked"]
    assert extra == Choice(GO, "clicked", "2", "CLICKED", "", ())


def test_the_offered_key_still_works_after_a_silence(tiny):
    state = State(VOICE, tiny.id, "main", at=int(NOW.timestamp()))
    reply = engine.advance(tiny, state, said("under 18 and i clicked"), NOW)
    quiet = engine.advance(tiny, reply.state, SILENT, NOW)
    assert quiet.event == "silence" and any(c.key == "2" for c in quiet.choices)
    assert engine.advance(tiny, quiet.state, pressed("2"), NOW).state.node == "clicked"


def test_by_sms_an_offer_that_did_not_fit_comes_with_the_next_part(guide):
    state = State(SMS, guide.id, "main", at=int(NOW.timestamp()))
    # with the picture note, the offer does not fit beside the under-18 answer
    first = engine.advance(guide, state, typed("I'm 15 and I clicked the link", media=True), NOW)
    assert first.state.node == "under-18" and "You also" not in first.text
    assert first.state.also == "clicked" and "(NEXT)" in first.text
    later = NOW + timedelta(minutes=1)
    second = engine.advance(guide, first.state, typed("next"), later)
    assert (second.event, second.state.step, second.state.at) == ("next", 1, _stamp(later))
    assert (
        "You also mentioned something else: if you already clicked the link, reply CLICKED."
        in second.text
    )
    assert second.state.also == "" and gsm7.segments(second.text) <= 4


def test_by_phone_an_offer_is_made_once_beside_the_answer_not_carried_on(guide):
    state = State(VOICE, guide.id, "main", at=int(NOW.timestamp()))
    first = engine.advance(guide, state, said("what do I do, should I pay"), NOW)
    assert first.state.node == "steps" and first.state.also == "dont"
    assert "You also mentioned something else. What not to do, press 2." in first.paragraphs
    second = engine.advance(guide, first.state, pressed("1"), NOW)
    assert second.state.step == 1 and second.state.also == ""
    assert not any("also" in p for p in second.paragraphs)


def test_a_child_in_danger_hears_childline_beside_samaritans(guide):
    for channel, given in (
        (SMS, typed("I'm 14 and I want to die")),
        (VOICE, said("I'm 14, I want to die")),
    ):
        state = State(channel, guide.id, "main", at=int(NOW.timestamp()))
        reply = engine.advance(guide, state, given, NOW)
        text = " ".join(reply.paragraphs)
        assert reply.state.node == "danger" and "Childline" in text and "Samaritans" in text
    adult = engine.advance(guide, state, said("I'm 40 and I want to die"), NOW)
    assert "Childline" not in " ".join(adult.paragraphs)


# -- a state's counters, and the words a phone listens for -------------------------------


LARGEST = {"channel": "sms", "script": "tiny", "node": "main", "step": 10_000, "retries": 100,
           "also": "main", "at": 10**11, "language": "en-GB"}  # fmt: skip


@pytest.mark.parametrize(
    ("changed", "readable"),
    [
        ({}, True),  # the largest counters
        ({"step": 10_001}, False),
        ({"retries": 101}, False),
        ({"at": 10**11 + 1}, False),
        ({"step": -1}, False),
        ({"step": True}, False),  # a bool is not a counter
        ({"step": "3"}, False),
        ({"also": "Main"}, False),
        ({"also": ""}, False),  # a default is left out, never written empty
        ({"node": "٣"}, False),  # a digit, but not an ASCII one
        ({"channel": "fax"}, False),
        ({"channel": "voice", "language": "cy"}, True),
        ({"language": "en_GB"}, False),
        ({"script": "Tiny!"}, False),
        ({"page": 2}, False),  # a name this version does not know
    ],
)
def test_a_state_holds_counters_up_to_their_limits(changed, readable):
    values = {**LARGEST, **changed}
    if readable:
        assert State.from_fields(values).as_fields() == values
    else:
        with pytest.raises(StateError):
            State.from_fields(values)


@pytest.mark.parametrize(
    "value",
    [None, 7, "1.sms.tiny.main.0.0..0", ["sms", "tiny", "main"], {"channel": "sms"},
     {"channel": "sms", "script": "tiny"}],
)  # fmt: skip
def test_a_state_that_is_not_its_fields_is_refused_as_unreadable(value):
    with pytest.raises(StateError):
        State.from_fields(value)


def test_the_phone_listens_for_the_menus_near_the_top_nearest_first(guide):
    found = [(c.key, c.target) for c in engine.top_options(guide, VOICE)]
    main = [(o.key, o.target) for o in guide.main.options if VOICE in o.channels]
    assert found[: len(main)] == main  # the main menu first
    for child in ("clicked", "under-18", "more"):  # then the menus one level down
        options = [o for o in guide.nodes[child].options if o.action == "go"]
        assert options and all((o.key, o.target) in found for o in options), child
    assert ("1", "steps") in found and ("3", "about") in found  # and two levels down
    assert all(c.action == "go" for c in engine.top_options(guide, VOICE))
    by_text = [(c.key, c.target) for c in engine.top_options(guide, SMS)]
    assert by_text[:4] == [("1", "clicked"), ("2", "under-18"), ("3", "steps"), ("4", "dont")]


# -- variants of the fixtures, for what no shipped script has yet ---------------------------


@pytest.mark.parametrize(
    ("given", "number"),
    [
        (("4",), "+44116123"),
        (("5",), "+448001111"),
        ("call samaritans", "+44116123"),
        ("call childline", "+448001111"),  # the number the words name, not the first dial
    ],
)
def test_a_dial_choice_hands_its_number_to_the_phone_and_keeps_the_choices(tmp_path, given, number):
    script = _variant(tmp_path, "valid.yaml", (STEPS_OPTION, STEPS_OPTION + CALL_OPTIONS))
    state = State(VOICE, "tiny", "main", retries=2, at=int(NOW.timestamp()) - 60)
    heard = pressed(given[0]) if isinstance(given, tuple) else said(given)
    reply = engine.advance(script, state, heard, NOW)
    assert (reply.event, reply.dial, reply.paragraphs) == ("dial", number, ())
    assert (reply.state.node, reply.state.retries) == ("main", 0)
    assert reply.state.at == int(NOW.timestamp()) and not reply.ends
    assert [c.key for c in reply.choices] == ["1", "2", "3", "4", "5", "9", "0", "*"]
    call = next(c for c in reply.choices if c.key == "4")
    assert engine.announcement(script, call) == ("To call Samaritans, samaritans dot org, press 4.")


def test_the_connecting_words_are_spoken_as_a_phone_says_them(tmp_path):
    script = _variant(
        tmp_path,
        "handoffs.yaml",
        ("connecting: Putting you through now.", "connecting: Putting you through to 116 123."),
    )
    reply = engine.advance(script, State(VOICE, "handoffs", "main"), pressed("4"), NOW, offers=OPEN)
    assert reply.paragraphs == ("Putting you through to one one six, one two three.",)
    listed = dict(engine.every_reply(script, VOICE))["transfer 'line', connecting"]
    assert listed.paragraphs == reply.paragraphs  # the linter hears it as the caller does


def test_a_person_is_offered_the_first_open_line_that_may_take_them(tmp_path):
    # A second line for everyone, listed after the adults-only one: on the under-18 node
    # the adults-only line is passed over and the next one is offered; elsewhere, the first.
    second = (
        "  everyone:\n"
        "    name: the other line\n"
        '    number: "+441632960001"\n'
        "    person_menu: text-me\n"
        "    hours:\n"
        "      weekly:\n"
        '        monday-sunday: "00:00-24:00"\n'
        "    completed: Goodbye. If you are in danger, call 999. Samaritans are on 116 123.\n"
        "    unanswered: They couldn't answer.\n"
    )
    script = _variant(tmp_path, "handoffs.yaml", ("\n\ntext_me:", "\n" + second + "\ntext_me:"))
    young = engine.advance(
        script, State(VOICE, "handoffs", "young"), said("a human"), NOW, offers=OPEN
    )
    assert (young.event, young.state.node) == ("person", "text-me")
    grown = engine.advance(
        script, State(VOICE, "handoffs", "clicked"), said("a human"), NOW, offers=OPEN
    )
    assert (grown.event, grown.state.node) == ("person", "main")
    night = Offers(NOW)  # Tuesday 21:30: the first line is closed, the second open
    late = engine.advance(
        script, State(VOICE, "handoffs", "clicked"), said("a human"), NOW, offers=night
    )
    assert (late.event, late.state.node) == ("person", "text-me")


def test_an_offer_that_never_fits_waits_for_the_part_with_room(tmp_path):
    words = " ".join(
        f"Tell a trusted adult what happened, as soon as you can, and keep the messages ({n})."
        for n in range(1, 17)
    )  # one long paragraph: every part but the last is full
    script = _variant(
        tmp_path,
        "valid.yaml",
        ("    text: Tell a trusted adult.\n", f"    text: {words}\n"),
        ("label: if you clicked,", "label: if you clicked or tapped the link you were sent,"),
    )
    reply = engine.advance(script, State(SMS, "tiny", "main"), typed("under 18, I clicked"), NOW)
    parts = [reply]
    while "(NEXT)" in reply.text:
        reply = engine.advance(script, reply.state, typed("next"), NOW)
        parts.append(reply)
    offer = "You also mentioned something else: if you clicked or tapped the link you were sent"
    assert [offer in p.text for p in parts] == [False, False, False, True]
    assert [p.state.also for p in parts] == ["clicked", "clicked", "clicked", ""]
    assert [p.event for p in parts] == ["chose", "next", "next", "next"]
    assert all(gsm7.segments(p.text) <= 4 for p in parts)
    assert engine.advance(script, parts[-1].state, typed("CLICKED"), NOW).state.node == "clicked"


def test_repeating_a_step_while_its_line_is_open_offers_the_line_again(guide):
    state = State(VOICE, guide.id, "steps", 3)
    heard = engine.advance(guide, state, pressed("*"), OPEN_HOURS, offers=Offers(OPEN_HOURS))
    assert heard.event == "repeat"
    assert "Revenge Porn Helpline now, press 2." in " ".join(heard.paragraphs)


def test_choosing_a_menu_while_a_line_is_open_offers_it_and_says_the_hours_when_closed(handoffs):
    state = State(VOICE, "handoffs", "clicked")
    open_ = engine.advance(handoffs, state, pressed("0"), NOW, offers=OPEN)
    closed = engine.advance(handoffs, state, pressed("0"), NOW, offers=CLOSED)
    assert "To be put through to the test line now, press 4." in " ".join(open_.paragraphs)
    assert any(c.key == "4" for c in open_.choices)
    assert "The test line is open Monday to Friday" in " ".join(closed.paragraphs)
    assert not any(c.key == "4" for c in closed.choices)


def test_back_from_a_call_the_menu_offers_what_is_open_now(handoffs):
    for given in (dialled("no-answer", "line"), dialled("completed", "gone")):
        back = engine.advance(handoffs, State(VOICE, "handoffs", "main"), given, NOW, offers=OPEN)
        assert "to the test line now, press 4." in " ".join(back.paragraphs)
        closed = engine.advance(handoffs, State(VOICE, "handoffs", "main"), given, NOW)
        assert not any("press 4" in p for p in closed.paragraphs)


def test_a_transfer_without_connecting_words_puts_the_caller_through_in_silence(tmp_path):
    script = _variant(tmp_path, "handoffs.yaml", ("    connecting: Putting you through now.\n", ""))
    reply = engine.advance(script, State(VOICE, "handoffs", "main"), pressed("4"), NOW, offers=OPEN)
    assert (reply.event, reply.paragraphs, reply.dial) == ("transfer", (), "+441632960000")


# -- the opening, and states that are stale, idle or past their last step --------------------


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("hello", ("Hello.", "If you are in danger, call 999.", "Welcome to the test line.")),
        ("i clicked", ("Hello.", "If you are in danger, call 999.", "Change your passwords")),
        ("not safe", ("Hello.", "Call 999 now.")),  # the danger answer leads with 999 itself
        ("are you a real person", ("Hello.", "If you are in danger, call 999.", AUTOMATED)),
    ],
)
def test_a_first_text_is_answered_after_the_discreet_line_and_999(tiny, first, expected):
    reply = engine.start(tiny, SMS, NOW, given=typed(first))
    assert len(reply.paragraphs) > len(expected)
    for said_, start in zip(reply.paragraphs, expected, strict=False):
        assert said_.startswith(start), reply.paragraphs
    assert reply.state.at == _stamp(NOW)
    automated = any(p.startswith(AUTOMATED) for p in reply.paragraphs)
    assert automated is (first == "are you a real person")


def test_a_first_text_is_read_at_the_main_menu(tmp_path):
    # 'emergency' is danger everywhere, and clicked only on the main menu.
    script = load_script(FIXTURES / "warned" / "word-in-two-places.yaml")
    reply = engine.start(script, SMS, NOW, given=typed("emergency"))
    assert reply.state.node == "danger"
    assert "You also mentioned something else: if you clicked, reply CLICKED." in reply.text


def test_a_call_opened_while_a_line_is_open_offers_it(handoffs):
    assert "press 4" in " ".join(engine.start(handoffs, VOICE, OPEN_HOURS).paragraphs)
    assert "press 4" not in " ".join(engine.start(handoffs, VOICE, NOW).paragraphs)


@pytest.mark.parametrize("node", ["gone", "main"])
def test_a_stale_or_idle_state_starts_afresh_and_still_answers_what_was_sent(tiny, node):
    stale = State(SMS, "tiny" if node == "main" else "other", node, at=_stamp(NOW) - 3600)
    reply = engine.advance(tiny, stale, typed("i clicked"), NOW, idle_limit=timedelta(minutes=30))
    assert reply.event == ("expired" if node == "main" else "restart")
    assert reply.state.node == "clicked" and reply.paragraphs[0] == "Hello."


def test_idle_for_exactly_the_limit_is_not_yet_expired(tiny):
    state = State(SMS, "tiny", "clicked", at=_stamp(NOW) - 1800)
    reply = engine.advance(tiny, state, typed("1"), NOW, idle_limit=timedelta(minutes=30))
    assert (reply.event, reply.state.node) == ("chose", "steps")


@pytest.mark.parametrize(
    ("channel", "given", "last"), [(VOICE, pressed("*"), 2), (SMS, typed("huh"), 0)]
)
def test_a_step_past_the_last_is_read_as_the_last(tiny, channel, given, last):
    reply = engine.advance(tiny, State(channel, "tiny", "steps", step=9), given, NOW)
    assert (reply.state.node, reply.state.step) == ("steps", last)
    assert reply.choices and not reply.ends


def test_silence_lists_what_is_open_now(handoffs):
    state = State(VOICE, "handoffs", "main")
    assert "press 4" in " ".join(
        engine.advance(handoffs, state, SILENT, NOW, offers=OPEN).paragraphs
    )
    assert "press 4" not in " ".join(engine.advance(handoffs, state, SILENT, NOW).paragraphs)


def test_the_offered_key_still_works_after_a_wrong_key(tiny):
    state = State(VOICE, tiny.id, "main", at=_stamp(NOW))
    reply = engine.advance(tiny, state, said("under 18 and i clicked"), NOW)
    wrong = engine.advance(tiny, reply.state, pressed("7"), NOW)
    assert wrong.event == "wrong" and any(c.key == "2" for c in wrong.choices)
    assert engine.advance(tiny, wrong.state, pressed("2"), NOW).state.node == "clicked"


def test_a_texted_choice_without_a_key_is_listed_by_its_word_and_never_spoken(tmp_path):
    worded = (
        "      - {keyword: HELPLINES, label: for other helplines, target: young, channels: [sms]}\n"
    )
    script = _variant(tmp_path, "valid.yaml", (STEPS_OPTION, STEPS_OPTION + worded))
    menu = engine.start(script, SMS, NOW).text.split("\n")
    at = menu.index("3 - for the steps (STEPS)")
    assert menu[at : at + 3] == [
        "3 - for the steps (STEPS)",
        "HELPLINES - for other helplines",  # the word_choice phrase: "{keyword} - {label}"
        "9 - if you are in danger (DANGER)",
    ]
    texted = engine.advance(script, engine.start(script, SMS, NOW).state, typed("helplines"), NOW)
    assert (texted.state.node, texted.event) == ("young", "chose")
    spoken = " ".join(engine.start(script, VOICE, NOW).paragraphs)
    assert "helplines" not in spoken.lower()


REPEAT_GLOBAL = """  - key: "*"
    keyword: REPEAT
    synonyms: [say that again]
    label: to hear this again
    action: repeat
    channels: [voice]
"""
YOUNG_STEPS = '      - {key: "1", keyword: STEPS, label: for the steps, target: steps}\n  danger:'
YOUNG_REPEATS = YOUNG_STEPS.replace(
    "  danger:",
    '      - {key: "*", keyword: REPEAT, synonyms: [say that again], label: to hear this '
    "again, action: repeat, channels: [voice]}\n  danger:",
)


@pytest.mark.parametrize(("node", "step", "first"), [("clicked", 0, "Change your"),
                                                       ("steps", 1, "Step 2 of 3.")])  # fmt: skip
def test_asking_to_hear_it_again_where_no_option_offers_it_says_it_again(
    tmp_path, node, step, first
):
    # Repeat is an option of one node only here: elsewhere the words still repeat.
    script = _variant(tmp_path, "valid.yaml", (REPEAT_GLOBAL, ""), (YOUNG_STEPS, YOUNG_REPEATS))
    state = State(VOICE, "tiny", node, step, 2, "", _stamp(NOW) - 30)
    again = engine.advance(script, state, said("say that again"), NOW)
    assert (again.event, again.state.node, again.state.step) == ("repeat", node, step)
    assert (again.state.retries, again.state.at) == (0, _stamp(NOW))
    assert again.paragraphs[0].startswith(first) and not again.ends


@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_an_opening_is_logged_as_a_start(tiny, channel):
    assert engine.start(tiny, channel, NOW).event == "start"
