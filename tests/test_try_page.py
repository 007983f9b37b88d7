"""GET /try: the browser stand-in for Twilio, driven through its forms as a person would.

Every step posts the page's own hidden state back, exactly as a browser submits the
form, and reads what the page shows. The webhooks behind it are the real ones.
"""

from __future__ import annotations

import base64
import random
import re
import zlib
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from ivr.web import create_app
from ivr.web.config import MAX_BODY_BYTES

from support import FIXTURES, GUIDE

# English alone, as these tests walk the English line; the Welsh draft on /try has its
# own tests (tests/test_languages_web.py).
DEVELOPMENT = {"IVR_DEVELOPMENT": "1", "IVR_LANGUAGES": "en-GB"}
PRODUCTION = {"TWILIO_AUTH_TOKEN": "a-test-auth-token", "SECRET_KEY": "0123456789abcdef"}
DANGER_LINE = "If you are in immediate danger, hang up now and call nine nine nine."
CLICKED = "If you already clicked the link, treat it as a security incident."
UNDER_18 = "use child-specific routes, and do it promptly"
NO_REPLY = "(no reply: Twilio answers this word itself)"


class Shown(HTMLParser):
    """What the page shows: its hidden state, both transcripts, and its buttons. What a
    turn shows for operators (class "meta": node, SMS costs, request and TwiML) is kept
    apart, in `meta`, one string per transcript entry."""

    def __init__(self, html: str):
        super().__init__()
        self.state: str | None = None
        self.transcripts: dict[str, list[str]] = {}
        self.metas: dict[str, list[str]] = {}
        self.buttons: list[tuple[str | None, str | None]] = []
        self._list: list[str] | None = None
        self._item: list[str] | None = None
        self._meta: list[str] | None = None
        self._in_meta: list[str] = []  # open tags inside a meta element
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._in_meta:
            self._in_meta.append(tag)
        elif self._item is not None and "meta" in (attrs.get("class") or "").split():
            self._in_meta = [tag]
        if tag == "input" and attrs.get("name") == "state" and self.state is None:
            self.state = attrs["value"]
        elif tag == "ol" and "transcript" in (attrs.get("class") or ""):
            self._list = self.transcripts.setdefault(attrs["id"], [])
            self._metas = self.metas.setdefault(attrs["id"], [])
        elif tag == "li" and self._list is not None:
            self._item, self._meta = [], []
        elif tag == "button":
            self.buttons.append((attrs.get("name"), attrs.get("value")))

    def handle_endtag(self, tag):
        if self._in_meta:
            self._in_meta.pop()
            return
        if tag == "li" and self._list is not None and self._item is not None:
            self._list.append(" ".join("".join(self._item).split()))
            self._metas.append(" ".join("".join(self._meta).split()))
            self._item = None
        elif tag == "ol":
            self._list = None

    def handle_data(self, data):
        if self._in_meta:
            self._meta.append(data + " ")
        elif self._item is not None:
            self._item.append(data)

    @property
    def call(self) -> list[str]:
        return self.transcripts["call"]

    @property
    def texts(self) -> list[str]:
        return self.transcripts["text"]


class Browser:
    """Submits the page's forms, carrying its hidden state as a browser does."""

    def __init__(self, client):
        self.client = client
        self.page = self.open()

    def open(self) -> Shown:
        response = self.client.get("/try")
        assert response.status_code == 200
        return Shown(response.get_data(as_text=True))

    def submit(self, path: str, **fields) -> Shown:
        form = {"state": self.page.state, **fields}
        response = self.client.post(path, data=form)
        assert response.status_code == 200
        # Stateless: nothing kept in the browser's session; the state is in the form.
        assert "Set-Cookie" not in response.headers
        self.page = Shown(response.get_data(as_text=True))
        return self.page

    def call(self) -> Shown:
        return self.submit("/try/call", do="call")

    def press(self, key: str) -> Shown:
        return self.submit("/try/call", key=key)

    def say(self, words: str) -> Shown:
        return self.submit("/try/call", do="say", speech=words)

    def stay_silent(self) -> Shown:
        return self.submit("/try/call", do="silence")

    def text(self, body: str, picture: bool = False) -> Shown:
        return self.submit("/try/text", body=body, **({"picture": "1"} if picture else {}))

    def whatsapp(self, body: str = "", **fields: str) -> Shown:
        return self.submit("/try/whatsapp", body=body, **fields)


@pytest.fixture
def browser():
    return Browser(create_app(DEVELOPMENT).test_client())


def test_the_page_is_served_in_development(browser):
    response = browser.client.get("/try")
    html = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert "This page plays the part of Twilio" in html
    assert ("do", "call") in browser.page.buttons
    assert browser.page.call == [] and browser.page.texts == []


def test_the_first_address_dev_py_prints_leads_to_the_page(browser):
    response = browser.client.get("/", follow_redirects=True)
    assert response.status_code == 200 and response.request.path == "/try"
    assert "This page plays the part of Twilio" in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path"), [("get", "/try"), ("post", "/try/call"), ("get", "/")])
def test_production_has_no_try_page(method, path):
    client = create_app(PRODUCTION).test_client()
    assert getattr(client, method)(path).status_code == 404
    assert client.get("/healthz").status_code == 200  # the app itself is up


def test_a_whole_call_through_the_keypad_speech_and_silence(browser):
    shown = browser.call()
    assert shown.call[0] == "You call the helpline from +447700900123."
    # The first thing the helpline says is the immediate-danger line.
    assert shown.call[1].startswith(f"The helpline says {DANGER_LINE}")
    assert ("key", "1") in shown.buttons and ("do", "say") in shown.buttons

    shown = browser.press("1")
    assert shown.call[-2] == "You press 1."
    assert CLICKED in shown.call[-1]

    shown = browser.say("under eighteen")
    assert shown.call[-2] == "You say: under eighteen"
    assert UNDER_18 in shown.call[-1]

    for _ in range(2):
        shown = browser.stay_silent()
        assert "Goodbye" not in shown.call[-1]
        assert ("key", "1") in shown.buttons
    shown = browser.stay_silent()
    assert "one one six, one two three" in shown.call[-2]
    assert shown.call[-2].endswith("Goodbye.")
    assert shown.call[-1] == "The helpline hangs up. The call has ended."
    # Ended: the keypad is gone and Call is offered again.
    assert ("do", "call") in shown.buttons
    assert not [b for b in shown.buttons if b[0] == "key" or b == ("do", "hangup")]


def test_hanging_up_ends_the_call_without_asking_the_app(browser):
    browser.call()
    shown = browser.submit("/try/call", do="hangup")
    assert shown.call[-1] == "You hang up. The call has ended."
    assert ("do", "call") in shown.buttons
    shown = browser.press("1")  # a stale keypad press after hanging up
    assert shown.call[-1] == "You hang up. The call has ended."


def test_an_sms_conversation_carries_its_cookie(browser):
    shown = browser.text("hi")
    assert shown.texts[0] == "You text hi"
    assert "call 999" in shown.texts[1]

    shown = browser.text("1")
    assert CLICKED.replace(".", ":") in shown.texts[-1]

    # "1" again answers the clicked-link menu (its 1 is the steps), which only works if
    # the cookie from the last reply came back; without it "1" would get the welcome.
    shown = browser.text("1")
    assert shown.texts[-1].startswith("The helpline replies What to do now:")
    assert "call 999" not in shown.texts[-1]

    shown = browser.text("STOP")
    assert shown.texts[-1] == NO_REPLY


def test_a_picture_is_declared_but_never_sent(browser):
    shown = browser.text("", picture=True)
    assert shown.texts[0] == "You text A picture is attached (a pretend one: no picture is sent)."
    assert "Pictures and files can't be viewed here." in shown.texts[1]


def test_an_empty_text_is_not_sent(browser):
    response = browser.client.post("/try/text", data={"state": browser.page.state, "body": " "})
    assert "Type a message, or attach a picture." in response.get_data(as_text=True)
    assert Shown(response.get_data(as_text=True)).texts == []


def test_what_is_typed_and_returned_is_escaped(browser):
    response = browser.client.post(
        "/try/text", data={"state": browser.page.state, "body": "<b>hello</b>"}
    )
    html = response.get_data(as_text=True)
    assert "&lt;b&gt;hello&lt;/b&gt;" in html
    assert "<b>hello</b>" not in html


def test_the_page_signs_its_requests_as_twilio_does():
    client = create_app({**DEVELOPMENT, "TWILIO_AUTH_TOKEN": "a-test-auth-token"}).test_client()
    # The real signature check is on: an unsigned request is refused...
    assert client.post("/voice", data={"CallSid": "CA" + "0" * 32}).status_code == 403
    # ...and the page's requests pass it.
    browser = Browser(client)
    shown = browser.call()
    assert shown.call[1].startswith(f"The helpline says {DANGER_LINE}")
    assert CLICKED in browser.press("1").call[-1]
    assert "call 999" in browser.text("hi").texts[-1]
    assert CLICKED.replace(".", ":") in browser.text("1").texts[-1]  # the cookie came back


def test_long_conversations_are_trimmed_to_stay_under_the_body_limit(browser):
    for _ in range(25):
        shown = browser.text("hi")
    assert len(shown.texts) == 40
    assert "Earlier lines are no longer shown." in browser.client.post(
        "/try/text", data={"state": shown.state, "body": "hi"}
    ).get_data(as_text=True)
    # Long texts that do not compress (the state is compressed): trimmed by size too.
    letters = random.Random(10)
    for n in range(14):
        body = f"{n:02}" + "".join(chr(letters.randrange(0x4E00, 0x5E00)) for _ in range(1598))
        shown = browser.text(body)
    assert len(shown.texts) < 40
    assert shown.texts[-2] == "You text " + body
    assert len(urlencode({"state": shown.state, "body": "!" * 1600})) < MAX_BODY_BYTES


def test_an_unreadable_state_starts_afresh(browser):
    response = browser.client.post("/try/call", data={"state": "{not json", "do": "call"})
    shown = Shown(response.get_data(as_text=True))
    assert response.status_code == 200
    assert shown.call[0] == "You call the helpline from +447700900123."


@pytest.mark.parametrize("nested", ["[" * 100_000, '{"texts": ' * 100_000])
def test_a_deeply_nested_state_starts_afresh_rather_than_fail(browser, nested):
    """Finding 4: JSON nested past Python's recursion limit raised RecursionError (a 500).
    Compressed, a hundred thousand brackets fit in a few hundred bytes."""
    state = base64.urlsafe_b64encode(zlib.compress(nested.encode(), 9)).decode("ascii")
    response = browser.client.post("/try/call", data={"state": state, "do": "call"})
    assert response.status_code == 200
    assert Shown(response.get_data(as_text=True)).call[0] == (
        "You call the helpline from +447700900123."
    )


def test_a_dial_is_shown_and_the_call_comes_back(tmp_path):
    script = (FIXTURES / "valid.yaml").read_text()
    script = script.replace(
        "    text: Change your passwords from another device.\n    options:\n",
        "    text: Change your passwords from another device.\n    options:\n"
        '      - {key: "2", keyword: CALL, label: to talk to someone,'
        ' dial: "+44 20 7946 0000", channels: [voice]}\n',
    )
    path = tmp_path / "dial.yaml"
    path.write_text(script)
    browser = Browser(create_app({**DEVELOPMENT, "IVR_SCRIPTS": str(path)}).test_client())
    browser.call()
    browser.press("1")
    shown = browser.press("2")
    assert shown.call[-1] == "The helpline says The call would be connected to +44 20 7946 0000."
    assert ("do", "dial-ends") in shown.buttons
    assert not [b for b in shown.buttons if b[0] == "key"]
    shown = browser.submit("/try/call", do="dial-ends")
    assert "Change your passwords from another device." in shown.call[-1]
    assert ("key", "1") in shown.buttons


def test_each_turn_shows_its_node_and_what_a_text_costs(browser):
    shown = browser.text("x" * 200)
    # 200 GSM-7 characters take two segments, and the request says so as Twilio would.
    assert shown.metas["text"][0] == "200 characters, GSM-7, 2 segments"
    assert "Node: main" in shown.metas["text"][1]
    assert "NumSegments=2" in shown.metas["text"][1]
    assert "<Response><Message>" in shown.metas["text"][1]
    shown = browser.text("ok ☕")
    assert shown.metas["text"][-2] == (
        "4 characters, UCS-2, because of '☕' (HOT BEVERAGE), 1 segment"
    )
    shown = browser.call()
    assert "Node: main" in shown.metas["call"][1] and "CallStatus=ringing" in shown.metas["call"][1]
    shown = browser.press("2")
    assert "Node: under-18" in shown.metas["call"][-1] and "Digits=2" in shown.metas["call"][-1]


def test_another_served_script_can_be_played():
    scripts = f"{GUIDE},{FIXTURES / 'valid.yaml'}"
    browser = Browser(create_app({**DEVELOPMENT, "IVR_SCRIPTS": scripts}).test_client())
    assert "A tiny script for tests (tiny)" in browser.client.get("/try").get_data(as_text=True)
    browser.page = browser.submit("/try/restart", script="tiny")  # nothing to lose: no question
    shown = browser.call()
    assert "Welcome to the test line." in shown.call[1]
    assert "Hello." in browser.text("hi").texts[-1]
    # With conversations on the page, playing another script asks first.
    response = browser.client.post(
        "/try/restart", data={"state": browser.page.state, "script": GUIDE.stem}
    )
    html = response.get_data(as_text=True)
    assert "Start again with What to do if you receive a link" in html
    assert Shown(html).texts == browser.page.texts  # nothing wiped yet
    shown = browser.submit("/try/restart", script=GUIDE.stem, do="yes")
    assert shown.texts == [] and shown.call == []
    assert DANGER_LINE in browser.call().call[1]


def test_start_again_asks_and_no_keeps_everything(browser):
    browser.call()
    before = browser.text("hi")
    asked = browser.submit("/try/restart", script=GUIDE.stem)
    assert ("do", "yes") in asked.buttons and ("do", "no") in asked.buttons
    kept = browser.submit("/try/restart", script=GUIDE.stem, do="no")
    assert kept.texts == before.texts and kept.call == before.call
    assert ("key", "1") in kept.buttons  # the call is still on


def test_the_flow_picture_is_drawn_on_the_server_with_the_call_marked(browser):
    html = browser.client.get("/try").get_data(as_text=True)
    assert "<svg" in html and "<script src" not in html and "https://" not in html.split("<svg")[1]
    browser.call()
    response = browser.client.post("/try/call", data={"state": browser.page.state, "key": "1"})
    html = response.get_data(as_text=True)
    # Graphviz drew it: the call's picture marks the clicked box, in words as well.
    marked = re.search(r'<g id="flow_voice_n_clicked" class="node box clicked_link here">', html)
    assert marked, "the clicked box is not marked in the call's drawing"
    assert "Call is here" in html.split('id="flow_voice_n_clicked"')[1].split("</g>")[0]
    assert '<li class="clicked_link here" data-box="n_clicked">' in html  # and in the list
    assert "Call is at node clicked." in html


def test_without_graphviz_the_flow_is_a_list_saying_how_to_install_it(browser, monkeypatch):
    """`dot` hidden from PATH, as on a machine without Graphviz: no drawing, no error."""
    browser.call()
    monkeypatch.setenv("PATH", "/nonexistent")
    response = browser.client.post("/try/call", data={"state": browser.page.state, "key": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<svg" not in html
    assert "apt-get install graphviz" in html
    assert '<ol class="flow-list always" id="list-voice"' in html
    assert '<li class="clicked_link here" data-box="n_clicked">' in html


# -- WhatsApp -----------------------------------------------------------------------------

WA_DANGER = "*If you are in immediate danger, call 999.*"


def test_whatsapp_shows_its_menu_to_tap_and_a_tap_sends_the_templates_id(browser):
    shown = browser.whatsapp("hello")
    (you, app) = shown.transcripts["whatsapp"]
    assert "hello" in you and WA_DANGER in app and "press and hold it" in app
    assert "From=whatsapp:+447700900123" in shown.metas["whatsapp"][1]
    taps = [value for name, value in shown.buttons if name == "tap"]
    assert taps == [str(i) for i in range(8)]  # the main menu's seven, and danger
    tapped = browser.whatsapp(tap="0")  # "I clicked the link"
    you, app = tapped.transcripts["whatsapp"][2:]
    assert "You tap 'I clicked the link'." in you
    assert "treat it as a security incident" in app
    request = tapped.metas["whatsapp"][3]
    assert (
        re.search(r"ListId=[0-9a-f]{20}\b", request) and "ListTitle=I clicked the link" in request
    )
    assert "clicked" not in re.search(r"ListId=(\S+)", request).group(1)  # an id, not a node


def test_whatsapp_typed_words_and_a_voice_note_go_on_from_where_it_is(browser):
    browser.whatsapp("hello")
    typed = browser.whatsapp("1")
    assert "treat it as a security incident" in typed.transcripts["whatsapp"][-1]
    noted = browser.whatsapp(voice_note="1")
    assert "Voice notes can't be played here" in noted.transcripts["whatsapp"][-1]
    assert "MediaContentType0=audio/ogg" in noted.metas["whatsapp"][-1]


def test_start_again_forgets_where_the_whatsapp_conversation_was(browser):
    browser.whatsapp("hello")
    browser.submit("/try/restart", do="yes")
    again = browser.whatsapp("1")
    assert "Some first steps:" in again.transcripts["whatsapp"][-1]


def test_a_tap_that_is_not_on_the_last_message_is_refused_in_a_sentence(browser):
    browser.whatsapp("hello")
    refused = browser.submit("/try/whatsapp", tap="12")
    assert len(refused.transcripts["whatsapp"]) == 2  # nothing sent
    empty = browser.whatsapp("")
    assert len(empty.transcripts["whatsapp"]) == 2
