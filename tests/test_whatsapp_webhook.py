"""WhatsApp through the real signed /sms webhook, as Twilio sends it: `whatsapp:` numbers,
ButtonPayload/ListId for taps, media types; the place kept in a real Redis-protocol
server (fakeredis's TCP server); menus to tap sent through a loopback stand-in for
Twilio's Messages and Content APIs (tests/twilio_stand_in.py), which also refuses,
limits, fails and stalls; and nothing personal in the logs."""

from __future__ import annotations

import json
import re
import socket
import time
import uuid

import pytest
import redis
from click.testing import CliRunner

from ivr.channels import twiml_reader
from ivr.cli import main
from ivr.errors import ConfigError
from ivr.web import create_app

from support import ACCOUNT, FIXTURES, GUIDE, SECRET, TOKEN, signed_post
from twilio_stand_in import Answer

PERSON = "whatsapp:+447700900123"
LINE = "whatsapp:+447700900999"
NAME = "Alex Example-Person"  # ProfileName: personal data, never to be logged
DANGER_LINE = "*If you are in immediate danger, call 999.*"


def base_env(twilio_rest, **extra) -> dict[str, str]:
    return {
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        "IVR_SCRIPTS": str(GUIDE),
        "IVR_TWILIO_API_URL": twilio_rest.url,
        **extra,
    }


def templates_line(twilio_rest) -> tuple[str, str]:
    """Make the templates as an operator would (`ivr whatsapp-templates`), against the
    stand-in, and return the setting it prints."""
    result = CliRunner().invoke(main, ["whatsapp-templates"], env=base_env(twilio_rest))
    assert result.exit_code == 0, result.output
    name, value = result.stdout.strip().split("=", 1)
    twilio_rest.seen.clear()
    return name, value


class Phone:
    """One person on WhatsApp, messaging the helpline's WhatsApp sender."""

    def __init__(self, app, twilio_rest, sender: str = PERSON):
        self.client = app.test_client()
        self.twilio_rest = twilio_rest
        self.sender = sender

    def post(self, body: str, **extra: str):
        params = {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "SmsMessageSid": "SM" + uuid.uuid4().hex,
            "AccountSid": ACCOUNT,
            "From": self.sender,
            "To": LINE,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
            "ProfileName": NAME,
            "WaId": self.sender.removeprefix("whatsapp:+"),
            **extra,
        }
        response = signed_post(self.client, "/sms", params)
        assert response.status_code == 200 and response.mimetype == "text/xml"
        if self.sender.startswith("whatsapp:"):  # WhatsApp's place is not a cookie
            assert "Set-Cookie" not in response.headers
        return response

    def send(self, body: str, **extra: str) -> tuple[str | None, dict | None]:
        """(the TwiML reply's text or None, the menu sent through the API or None)."""
        before = len(self.twilio_rest.sent)
        messages = twiml_reader.read_messages(self.post(body, **extra).data)
        assert len(messages) <= 1
        sent = self.twilio_rest.sent[before:]
        assert len(sent) <= 1
        return (messages[0].text if messages else None), (sent[0].form if sent else None)

    def tap(self, menu: dict, label: str) -> tuple[str | None, dict | None]:
        """Tap the item of a sent menu whose label is `label`, as Twilio reports it."""
        template = self.twilio_rest.templates[menu["ContentSid"]]["types"]
        if "twilio/list-picker" in template:
            item = next(i for i in template["twilio/list-picker"]["items"] if i["item"] == label)
            return self.send(label, ListId=item["id"], ListTitle=label)
        button = next(b for b in template["twilio/quick-reply"]["actions"] if b["title"] == label)
        return self.send(label, ButtonPayload=button["id"], ButtonText=label)


def body_of(menu: dict) -> str:
    return json.loads(menu["ContentVariables"])["1"]


def labels_of(twilio_rest, menu: dict) -> list[str]:
    types = twilio_rest.templates[menu["ContentSid"]]["types"]
    if "twilio/list-picker" in types:
        return [i["item"] for i in types["twilio/list-picker"]["items"]]
    return [b["title"] for b in types["twilio/quick-reply"]["actions"]]


# -- Numbered menus (no templates) ------------------------------------------------------


def test_a_conversation_gets_whatsapp_replies_kept_in_redis_without_a_number(
    twilio_rest, redis_url
):
    app = create_app(base_env(twilio_rest, REDIS_URL=redis_url))
    phone = Phone(app, twilio_rest)
    first, menu = phone.send("hello")
    assert menu is None and twilio_rest.seen == []  # no templates: nothing through the API
    assert first.startswith("Some first steps:")  # discreet: a notification shows this
    assert DANGER_LINE in first  # WhatsApp's own words, bold
    assert "press and hold it" in first  # how to delete the chat, in the first reply
    assert "1 - I clicked the link (CLICKED)" in first
    clicked, _ = phone.send("1")  # a typed number answers the menu just shown
    assert "change" in clicked.lower() and "1 - I clicked the link" not in clicked
    # Where the person is lives in Redis under a keyed hash, sealed, expiring with the
    # idle limit; nothing in it names the number or the node.
    store = redis.Redis.from_url(redis_url)
    (key,) = store.keys("*")
    value = store.get(key)
    assert key.startswith(b"ivr:wa:") and re.fullmatch(rb"ivr:wa:[0-9a-f]{64}", key)
    for secret in (b"7700900123", b"clicked", b"link-claiming"):
        assert secret not in key and secret not in value
    assert 0 < store.ttl(key) <= 30 * 60


def test_no_gsm7_squeezing_and_no_segment_paging(twilio_rest, redis_url):
    phone = Phone(create_app(base_env(twilio_rest, REDIS_URL=redis_url)), twilio_rest)
    phone.send("hello")
    steps, _ = phone.send("STEPS")
    # One message far past four SMS segments, cut only between whole steps.
    assert len(steps) > 4 * 153 and steps.count("\n\n1. ") + steps.startswith("1. ") <= 1
    assert "1 - More (NEXT)" in steps
    assert "Don't reply further" in steps  # an SMS would have squeezed nothing here either
    more, _ = phone.send("NEXT")
    assert more.lstrip().startswith("4.")  # the next step, never the middle of one


def test_crisis_words_win_mid_conversation_and_in_a_first_message(twilio_rest, redis_url):
    app = create_app(base_env(twilio_rest, REDIS_URL=redis_url))
    phone = Phone(app, twilio_rest)
    phone.send("hello")
    phone.send("STEPS")
    danger, _ = phone.send("i cant go on anymore")
    assert "999" in danger and "116 123" in danger
    first, _ = Phone(app, twilio_rest, "whatsapp:+447700900456").send("I want to kill myself")
    assert first.index("999") < first.index("116 123")


def test_pictures_and_voice_notes_are_never_fetched_and_are_answered(twilio_rest, redis_url):
    phone = Phone(create_app(base_env(twilio_rest, REDIS_URL=redis_url)), twilio_rest)
    media = f"{twilio_rest.url}/media/ME{uuid.uuid4().hex}"
    note, _ = phone.send("", NumMedia="1", MediaContentType0="audio/ogg", MediaUrl0=media)
    assert "voice notes can't be played here" in note.lower()
    assert "1 - I clicked the link" in note  # then the choices
    picture, _ = phone.send("", NumMedia="1", MediaContentType0="image/jpeg", MediaUrl0=media)
    assert "can't be opened here" in picture
    assert twilio_rest.seen == []  # the media URL was never asked for


def test_stop_is_confirmed_and_the_place_forgotten(twilio_rest, redis_url):
    phone = Phone(create_app(base_env(twilio_rest, REDIS_URL=redis_url)), twilio_rest)
    phone.send("hello")
    stopped, _ = phone.send("STOP")
    assert stopped.startswith("You won't get any more messages")
    assert redis.Redis.from_url(redis_url).keys("*") == []
    handled, _ = phone.send("arret", OptOutType="STOP")  # Twilio answered it itself
    assert handled is None


def test_without_redis_it_says_so_at_start_and_each_message_is_a_first(twilio_rest, capsys):
    app = create_app(base_env(twilio_rest))
    logged = capsys.readouterr().err
    (line,) = [json.loads(x) for x in logged.splitlines() if "whatsapp_places_off" in x]
    assert line["message"].startswith("REDIS_URL is not set")
    phone = Phone(app, twilio_rest)
    phone.send("hello")
    again, _ = phone.send("1")
    assert "Some first steps:" in again  # no place kept: read as a first message
    crisis, _ = phone.send("I'm not safe")
    assert "999" in crisis


def test_a_redis_that_cannot_be_reached_still_answers(twilio_rest):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    phone = Phone(create_app(base_env(twilio_rest, REDIS_URL=closed)), twilio_rest)
    reply, _ = phone.send("hello")
    assert DANGER_LINE in reply


def test_sms_on_the_same_webhook_is_unchanged(twilio_rest, redis_url):
    app = create_app(base_env(twilio_rest, REDIS_URL=redis_url))
    sms = Phone(app, twilio_rest, "+447700900123")
    response = sms.post("hello")
    text = twiml_reader.read_messages(response.data)[0].text
    assert "If you are in immediate danger, call 999." in text and "*" not in text
    assert redis.Redis.from_url(redis_url).keys("*") == []


# -- Menus to tap, through the stand-in ---------------------------------------------------


@pytest.fixture
def tappable(twilio_rest, redis_url):
    name, value = templates_line(twilio_rest)
    app = create_app(base_env(twilio_rest, REDIS_URL=redis_url, **{name: value}))
    return app


def test_taps_lead_where_the_label_says(twilio_rest, tappable):
    phone = Phone(tappable, twilio_rest)
    twiml, menu = phone.send("hello")
    assert twiml is None  # the webhook says nothing: the menu went through the API
    assert (menu["To"], menu["From"]) == (PERSON, LINE)
    assert "ContentSid" in menu and "Body" not in menu
    assert DANGER_LINE in body_of(menu) and "1 - " not in body_of(menu)
    assert "Danger or can't cope" in labels_of(twilio_rest, menu)
    twiml, menu = phone.tap(menu, "I clicked the link")
    assert twiml is None and "change" in body_of(menu).lower()
    twiml, menu = phone.tap(menu, "Danger or can't cope")
    assert "999" in body_of(menu)
    # Typed words work beside the buttons, and crisis words win.
    twiml, menu = phone.send("MENU")
    assert "I clicked the link" in labels_of(twilio_rest, menu)
    twiml, menu = phone.send("I want to die")
    assert "999" in (twiml or body_of(menu))


def test_a_tap_on_an_older_message_still_goes_where_it_said(twilio_rest, tappable):
    phone = Phone(tappable, twilio_rest)
    _, main_menu = phone.send("hello")
    phone.tap(main_menu, "Steps to take now")
    _, young = phone.tap(main_menu, "Under 18, or was then")  # the first message's list
    assert "use child-specific routes" in body_of(young)


def test_a_tap_from_a_later_conversation_with_no_place_kept_still_answers(twilio_rest, tappable):
    phone = Phone(tappable, twilio_rest)
    _, main_menu = phone.send("hello")
    tappable.extensions["ivr"].whatsapp.places.redis.flushall()  # the idle limit passed
    _, menu = phone.tap(main_menu, "I clicked the link")
    assert "change" in body_of(menu).lower()


def test_an_id_that_is_not_ours_is_read_as_the_words_sent(twilio_rest, tappable):
    phone = Phone(tappable, twilio_rest)
    phone.send("hello")
    _, menu = phone.send("What not to do", ButtonPayload="0" * 20, ButtonText="What not to do")
    assert "pay" in body_of(menu).lower()


@pytest.mark.parametrize(
    ("answer", "result"),
    [
        (Answer(400), "refused"),
        (Answer(429), "limited"),
        (Answer(500), "failed"),
        (Answer(503), "failed"),
    ],
)
def test_a_send_that_fails_still_answers_once_as_numbered_text(
    twilio_rest, tappable, capsys, answer, result
):
    twilio_rest.answers = [answer]
    phone = Phone(tappable, twilio_rest)
    twiml, _ = phone.send("hello")
    assert "1 - I clicked the link (CLICKED)" in twiml and DANGER_LINE in twiml
    assert len(twilio_rest.sent) == 1  # one try, never a second send
    line = next(json.loads(x) for x in capsys.readouterr().err.splitlines() if "whatsapp_send" in x)
    assert line["result"] == result
    again, menu = phone.send("MENU")  # the next message tries the API again
    assert again is None and menu is not None


def test_a_stall_times_out_answers_with_numbered_text_and_the_late_send_is_named(
    twilio_rest, redis_url, capsys
):
    name, value = templates_line(twilio_rest)
    env = base_env(twilio_rest, REDIS_URL=redis_url, IVR_TEXT_TIMEOUT_SECONDS="0.5")
    phone = Phone(create_app({**env, name: value}), twilio_rest)
    twilio_rest.answers = [Answer(201, delay=1.5)]  # Twilio takes the send, but answers too late
    started = time.monotonic()
    twiml, _ = phone.send("hello")
    assert time.monotonic() - started < 1.4  # answered at the timeout, not after the stall
    assert "1 - I clicked the link (CLICKED)" in twiml
    time.sleep(1.2)  # the stand-in finishes: the late send reached "Twilio" too
    assert len(twilio_rest.sent) == 1  # sent once; the person has the list and the numbered text
    line = next(json.loads(x) for x in capsys.readouterr().err.splitlines() if "whatsapp_send" in x)
    assert line["result"] == "timeout"
    # Either way the person goes on: a typed number answers the numbered menu, and a
    # tap on the list that arrived late still leads where its label says.
    _, clicked = phone.send("1")
    assert "change" in body_of(clicked).lower()
    late = twilio_rest.sent[0].form
    _, young = phone.tap(late, "Under 18, or was then")
    assert "use child-specific routes" in body_of(young)


def test_an_api_that_cannot_be_reached_still_answers(redis_url, twilio_rest):
    name, value = templates_line(twilio_rest)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    env = base_env(twilio_rest, REDIS_URL=redis_url, IVR_TWILIO_API_URL=closed, **{name: value})
    twiml, _ = Phone(create_app(env), twilio_rest).send("hello")
    assert "1 - I clicked the link (CLICKED)" in twiml


def test_nothing_personal_is_logged(twilio_rest, tappable, capsys):
    capsys.readouterr()
    phone = Phone(tappable, twilio_rest)
    _, menu = phone.send("my name is Alex and I want to die")
    phone.tap(menu, "Main menu")  # the danger answer's list: a tap on it is logged too
    twilio_rest.answers = [Answer(400)]
    phone.send("I clicked it", NumMedia="1", MediaContentType0="audio/ogg")
    phone.send("STOP")
    logged = capsys.readouterr().err
    assert '"channel": "whatsapp"' in logged
    for personal in ("7700900123", "447700900", NAME, "Alex", "want to die", "clicked it"):
        assert personal not in logged


def test_whatsapp_words_go_as_written_where_sms_squeezes_them(twilio_rest, redis_url, tmp_path):
    script = (FIXTURES / "valid.yaml").read_text()
    old = 'danger_line: {voice: "If you are in danger, hang up and call 999.", sms: "If you'
    assert script.count(old) == 1
    written = "If you’re in danger, call 999 – now. 🚨"
    script = script.replace(old, f'danger_line: {{whatsapp: "{written}", voice: "If you are in '
                            'danger, hang up and call 999.", sms: "If you')  # fmt: skip
    script = script.replace(
        'sms: "If you are in danger, call 999."}', 'sms: "If you’re in danger, call 999."}'
    )
    path = tmp_path / "valid.yaml"
    path.write_text(script)
    app = create_app(base_env(twilio_rest, REDIS_URL=redis_url, IVR_SCRIPTS=str(path)))
    on_whatsapp, _ = Phone(app, twilio_rest).send("hello")
    assert written in on_whatsapp  # curly quote, dash and emoji as written
    by_sms = twiml_reader.read_messages(Phone(app, twilio_rest, "+447700900123").post("hello").data)
    assert "If you're in danger, call 999." in by_sms[0].text  # GSM-7 by SMS


@pytest.mark.parametrize(
    "raw",
    [
        "HX" + "0" * 32,  # a SID without its fingerprint
        "0123456789abcdef=MG" + "0" * 32,  # not a Content SID
        "IVR_WHATSAPP_TEMPLATES=0123456789abcdef=HX" + "0" * 32,  # the name pasted too
    ],
)
def test_a_templates_line_that_is_not_the_commands_refuses_to_start_in_a_sentence(twilio_rest, raw):
    with pytest.raises(ConfigError) as refused:
        create_app(base_env(twilio_rest, IVR_WHATSAPP_TEMPLATES=raw))
    said = str(refused.value)
    assert said.startswith("IVR_WHATSAPP_TEMPLATES is ") and "ivr whatsapp-templates" in said
