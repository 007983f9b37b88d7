"""Nothing the app hands to Twilio can be read: walk every node of every script on both
channels, collect every URL in the TwiML (Gather actions, Redirects, Dial actions) and
every Set-Cookie, and look in them, without the key, for anything that names a place.

Twilio's request logs keep these URLs, and the cookie rides on every text, so a node
id (`danger`, `under-18`), a script id, a transfer id or a role name found here would
tell a log reader who reached what. Tokens are random-looking text, so a name of four
letters turns up in one by chance about once in 100,000 tokens: a name shorter than
six characters may appear in at most 1% of them (a leak shows in every token of the
place it names); a longer one, never. The bytes under each token are searched too,
where a token merely encoded, not encrypted, would show its names."""

from __future__ import annotations

import base64
import re
from collections import Counter
from xml.etree import ElementTree as ET

from freezegun import freeze_time

from ivr.loader import load_script
from ivr.web import create_app

from support import CALLER, FIXTURES, GUIDE, Call, Texter, production_env, signed_post

SCRIPT_FILES = [GUIDE, FIXTURES / "handoffs.yaml"]
MONDAY_OPEN = "2026-06-15 09:30:00"  # the fixture's test line is open: transfers are offered
KEYS = "0123456789*#"
SAID = ["I clicked the link", "under eighteen", "danger", "menu", "repeat", "next", "junk"]
DIAL_ENDS = ["completed", "no-answer", "busy"]
URL = re.compile(r"/voice(/next)?\?s=([A-Za-z0-9_-]+)")
SET_COOKIE = re.compile(r"ivr_sms=([A-Za-z0-9_-]+); HttpOnly; Path=/")
DELETED = re.compile(
    r"ivr_sms=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"
)


def names(scripts) -> set[str]:
    """Every name that would say where someone is, which guide, or which line."""
    found = {"via", "retry", "after_fault", "conversation", "channel", "node", "step", "sms"}
    found |= {"voice"}
    for script in scripts:
        found |= {script.id, *script.nodes, *script.roles, *script.roles.values()}
        found |= set(script.transfers)
        found |= {t.number for t in script.transfers.values()}
    return found


def voice_urls(root: ET.Element) -> list[str]:
    """The URLs of one response (a Gather's action and the Redirect after it are one)."""
    urls = [e.get("action") for e in root.iter() if e.get("action")]
    return list(dict.fromkeys(urls + [e.text.strip() for e in root.iter("Redirect") if e.text]))


def walk_calls(app, script_id: str, seen: list[str]) -> set[str]:
    """Every place a call can reach, by keys, words, silence and a Dial's every end.
    Places are told apart by opening the URLs with the app's key (only to know where
    the walk has been: what is looked for is looked for without it)."""
    client = app.test_client()
    first = Call(client)
    first.start(f"/voice?script={script_id}")
    todo = voice_urls(first.heard.xml)
    seen += todo
    visited = {_place(app, url) for url in todo}
    while todo:
        url = todo.pop()
        tries = [{"Digits": k} for k in KEYS] + [{"SpeechResult": w} for w in SAID] + [{}]
        if "Dial" in url:
            tries += [{"DialCallStatus": status} for status in DIAL_ENDS]
        for extra in tries:
            call = Call(client)
            response = signed_post(client, url.removeprefix("Dial"), call.params(**extra))
            assert response.status_code == 200 and not response.headers.getlist("Set-Cookie")
            root = ET.fromstring(response.data)
            dial = [e.get("action") for e in root.iter("Dial")]
            for found in voice_urls(root):
                seen.append(found)
                place = _place(app, found)
                if place not in visited:
                    visited.add(place)
                    todo.append(f"Dial{found}" if found in dial else found)
    return {place[0].node for place in visited if place[0] is not None}


def _place(app, url: str):
    carried = app.extensions["ivr"].sealer.open(URL.fullmatch(url).group(2), "voice")
    if carried is None or carried.state is None:
        return (None, carried.retry if carried else None)
    state = carried.state
    return (state.__class__(state.channel, state.script, state.node, state.step,
                            state.retries, state.also), carried.via)  # fmt: skip


def walk_texts(app, script_id: str, seen: list[str], words: list[str]) -> set[str]:
    texter = Texter(app)
    response = signed_post(texter.client, f"/sms?script={script_id}", texter.params("hi"))
    seen += response.headers.getlist("Set-Cookie")
    todo = [texter.client.get_cookie("ivr_sms").value]
    sealer = app.extensions["ivr"].sealer
    places, reached = set(), set()
    while todo:
        cookie = todo.pop()
        for word in words:
            texter.client.set_cookie("ivr_sms", cookie)
            response = signed_post(texter.client, "/sms", texter.params(word))
            headers = response.headers.getlist("Set-Cookie")
            seen += headers
            kept = texter.client.get_cookie("ivr_sms")
            if kept is None:
                continue
            state = sealer.open(kept.value, "sms").state
            reached.add(state.node)
            if (state.node, state.step, state.also) not in places:
                places.add((state.node, state.step, state.also))
                todo.append(kept.value)
    return reached


def test_no_url_or_cookie_handed_to_twilio_names_anything(texts_api):
    scripts = [load_script(path) for path in SCRIPT_FILES]
    env = production_env(
        IVR_SCRIPTS=",".join(map(str, SCRIPT_FILES)),
        TWILIO_ACCOUNT_SID="AC" + "1" * 32,
        IVR_TWILIO_API_URL=texts_api.url,
    )
    urls: list[str] = []
    cookies: list[str] = []
    with freeze_time(MONDAY_OPEN):
        app = create_app(env)
        for script in scripts:
            reached = walk_calls(app, script.id, urls)
            assert reached == set(script.nodes), set(script.nodes) - reached
            words = ["hi", "NEXT", "MENU", "0", "9", "junk", "HELP", "STOP", "START"]
            words += [str(k) for k in range(1, 8)]
            words += [o.keyword for node in script.nodes.values() for o in node.options]
            texted = walk_texts(app, script.id, cookies, list(dict.fromkeys(words)))
            assert len(texted) >= len(script.nodes) - 2  # the phone-only nodes aside
    assert len(urls) > 1_000 and len(cookies) > 300
    assert any("ivr_sms=;" in c for c in cookies)  # STOP deleted it on the way
    tokens = []
    for url in urls:
        match = URL.fullmatch(url)
        assert match, url  # one query field, s, and nothing else beside it
        tokens.append(match.group(2))
    for header in cookies:
        match = SET_COOKIE.fullmatch(header)
        assert match or DELETED.fullmatch(header), header
        if match:
            tokens.append(match.group(1))
    assert len(set(tokens)) == len(tokens)  # never two alike: turns cannot even be linked
    # Nor does a token's length tell one place from another: one length for every URL,
    # and one for every cookie, whoever was where.
    url_tokens = [URL.fullmatch(url).group(2) for url in urls]
    cookie_tokens = tokens[len(url_tokens) :]
    assert len({len(t) for t in url_tokens}) == 1 and len({len(t) for t in cookie_tokens}) == 1
    sealer = app.extensions["ivr"].sealer
    vias = {sealer.open(URL.fullmatch(url).group(2), "voice").via for url in urls}
    # The walk went through every transfer, and back.
    assert vias == {"", *(t for script in scripts for t in script.transfers)}
    in_text, in_bytes = Counter(), Counter()
    for token in tokens:
        under = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        for name in names(scripts):
            in_text[name] += name in token
            in_bytes[name] += name.encode() in under
    for name in names(scripts):
        # By chance: a few in random text or bytes for a short name; never for a long one.
        assert in_text[name] <= (len(tokens) // 100 if len(name) < 6 else 0), name
        assert in_bytes[name] <= (len(tokens) // 100 if len(name) < 5 else 0), name
    assert CALLER not in " ".join(urls + cookies)
