"""A seeded walk through every script on every channel (the phone, SMS and WhatsApp),
recording every reply's bytes: for refactors that must not change a single reply.

    python3 tests/walk.py record FILE      walk this tree; write every reply (JSON lines)
    python3 tests/walk.py compare [REV]    walk REV's tree (default main) and this one, and
                                           name the first reply that differs (exit 1)

`walk(root)` talks to the app as Twilio does (signed requests through the Flask test
client, time frozen and moved with freezegun), one app per script: the shipped scripts
and the valid and warned fixtures. Each conversation starts at a seeded moment of a
week (so lines are open at some, closed at others) and makes seeded turns: keys (offered
or not), the script's keywords and synonyms, free text and speech (crisis words, ages, a
person, nonsense, typos), silence, pictures, STOP, START and HELP, idle gaps past the SMS
limit, stale URLs, calls put through and coming back with each DialCallStatus, and "text
me" from mobiles (sent through a stand-in for Twilio's API), landlines and hidden numbers.
On WhatsApp, as Twilio sends it from a `whatsapp:` number: the same typed turns, voice
notes, and taps on the last reply's menu (the id its template would give the choice, as
ListId or ButtonPayload), on an older reply's menu, and with an id the app never made;
the app keeps each place in its own memory (ivr.web.whatsapp.MemoryPlaces, the class
/try uses), forgotten when a conversation starts.

A record is one request: what was sent, the status, the TwiML body as bytes (as text),
the state the app handed back (the voice URL's `s`, the SMS cookie's state, WhatsApp's
kept place) and the webhook log line's outcome and node. The state handed to Twilio is
sealed, with a fresh random nonce each time (ivr/web/sealed.py), so it is recorded
opened, as what it means, in the state and in the TwiML's URLs alike (`_opened`); the
SMS cookie's conversation id is random by design, so it is left out. A tree from
before the sealing records its plain states as they were.

`compare` exports REV with `git archive` and walks it with this file, its ivr package
first on PYTHONPATH; so the walk must only use what both trees have (create_app, the
loader, the script model, the TwiML reader; for WhatsApp, ivr.whatsapp's plan, the app's
ChoiceIds and MemoryPlaces). tests/test_walk.py keeps the walk honest:
the same seed gives the same records, and it reaches every node of every script.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time

from support import ACCOUNT, HELPLINE, SECRET, TOKEN, messages_api, signed_post

SEED = 28
WEEK_START = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
CONVERSATIONS = 48  # per script and channel (a quarter of that for the warned fixtures,
TURNS = 14  # at most, per conversation (a call may end sooner)      variants of the tiny one)

MOBILE, LANDLINE, ABROAD, HIDDEN = "+447700900123", "+442079460000", "+33612345678", "anonymous"
CALLERS = (MOBILE, MOBILE, "+447700900456", LANDLINE, ABROAD, HIDDEN, HIDDEN)
DIAL_STATUSES = ("completed", "answered", "no-answer", "busy", "failed", "canceled", "")
KEYS = (*"0123456789", "*", "#", "12", "")
WORDS = (
    "hello",
    "are you a real person",
    "can I talk to someone",
    "I clicked the link",
    "i clikced it",
    "I didn't click it",
    "I'm 15",
    "she is in year 9",
    "I want to kill myself",
    "I don't feel safe",
    "I can't go on",
    "please help",
    "should I pay them?",
    "what can wait",
    "say that again",
    "next",
    "more",
    "repeat",
    "main menu",
    "one",
    "press two",
    "option 3",
    "bananas",
    "text me",
    "😢",
    "   ",
    "Don’t “just check” – it’s risky…",
)
HANDOFFS = ("transfer", "text_me", "send_text", "dial")
SMS_ONLY = ("STOP", "start", "HELP", "info", "stop please", "")
CHANNELS = ("voice", "sms", "whatsapp")
WHATSAPP = "whatsapp:"
FOREIGN_ID = "0123456789abcdef0123"  # a tapped id this app never made: read as the words


@dataclass(frozen=True)
class Record:
    """One request of the walk and what came back."""

    script: str  # its file's name (fixtures share ids)
    channel: str
    conversation: int
    turn: int
    sent: str  # what was sent, in words: "press 3", "text 'hello'", "silence", ...
    status: int
    body: str  # the TwiML, as the app sent it
    state: str  # the state handed back ("" when none)
    outcome: str  # the webhook log line's outcome
    node: str | None  # the webhook log line's node


def script_paths(root: Path) -> list[Path]:
    """Every script the walk takes: shipped, then the valid and warned fixtures."""
    fixtures = root / "tests" / "fixtures"
    return [
        *sorted((root / "scripts").glob("*.yaml")),
        fixtures / "valid.yaml",
        fixtures / "handoffs.yaml",
        *sorted((fixtures / "warned").glob("*.yaml")),
    ]


def walk(root: Path, conversations: int = CONVERSATIONS, turns: int = TURNS) -> list[Record]:
    """Every script under `root`, every channel, seeded: the same records every time."""
    from ivr.loader import load_script

    records: list[Record] = []
    with messages_api() as twilio, freeze_time(WEEK_START) as clock:
        for path in script_paths(root):
            script = load_script(path)
            for channel in CHANNELS:
                rng = random.Random(f"{SEED} {path.name} {channel}")
                app = _app(path, twilio.url, channel)
                walker = _Walker(app, path.name, script, channel, rng, clock, records, twilio)
                share = conversations // 4 if path.parent.name == "warned" else conversations
                for number in range(share):
                    walker.conversation(number, turns)
    return records


def _app(path: Path, api: str, channel: str):
    from ivr.web import create_app
    from ivr.web.whatsapp import MemoryPlaces

    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        "IVR_SCRIPTS": str(path),
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "IVR_TWILIO_API_URL": api,
        "no_proxy": "127.0.0.1",
    }
    with contextlib.redirect_stderr(io.StringIO()):
        app = create_app(env)
    if channel == "whatsapp":  # places kept as /try keeps them: no Redis for a walk
        ivr = app.extensions["ivr"]
        seconds = int(ivr.settings.sms_idle.total_seconds())
        ivr.whatsapp.places = MemoryPlaces(SECRET, seconds)
    return app


def _vocabulary(script) -> list[str]:
    """The script's own keywords and synonyms, everywhere they are written."""
    options = [*script.globals]
    for node in script.nodes.values():
        options += [*node.options, *(o for step in node.step_options for o in step)]
    found = [w for o in (*options, script.next_control) for w in (o.keyword, *o.synonyms)]
    return sorted(set(found))


class _Walker:
    def __init__(self, app, name, script, channel, rng: random.Random, clock, records, twilio):
        self.app = app
        self.name = name
        self.twilio = twilio  # the stand-in for Twilio's API: it sends, or refuses
        self.script = script
        self.channel = channel
        self.rng = rng
        self.clock = clock
        self.records = records
        self.words = [*_vocabulary(script), *WORDS]
        self.client = None
        self.params: dict[str, str] = {}
        self.node: str | None = None  # where the last reply left the conversation

    def conversation(self, number: int, turns: int) -> None:
        if self.rng.random() < 0.5:  # anywhen in the week
            start = timedelta(minutes=self.rng.randrange(7 * 24 * 60))
        else:  # a weekday between 10:00 and 15:30, when the fixtures' lines are open
            start = timedelta(days=self.rng.randrange(5), minutes=self.rng.randrange(600, 930))
        self.clock.move_to(WEEK_START + start)
        self.twilio.status = 201 if self.rng.random() < 0.8 else 400
        self.client = self.app.test_client()
        caller = self.rng.choice(CALLERS)
        self.number, self.turn = number, 0
        if self.channel == "voice":
            self._call(caller, turns)
        elif self.channel == "sms":
            self._texts(caller, turns)
        else:
            self._chat(caller, turns)

    # -- voice ----------------------------------------------------------------------

    def _call(self, caller: str, turns: int) -> None:
        self.params = {
            "CallSid": f"CA{self.rng.getrandbits(128):032x}",
            "AccountSid": ACCOUNT,
            "From": caller,
            "To": HELPLINE,
            "Caller": caller,
            "Called": HELPLINE,
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        }
        url = f"/voice?script={self.script.id}"
        heard = self._voice(url, "the call comes in", {"CallStatus": "ringing"})
        for _ in range(turns):
            if heard is None:
                return
            url, sent, extra = self._voice_input(heard)
            self.clock.tick(timedelta(seconds=self.rng.randrange(1, 40)))
            heard = self._voice(url, sent, {"CallStatus": "in-progress", **extra})

    def _voice_input(self, heard) -> tuple[str, str, dict]:
        if heard.dial:
            status = self.rng.choice(DIAL_STATUSES)
            return heard.dial, f"back from the dial: {status!r}", {"DialCallStatus": status}
        roll = self.rng.random()
        if roll < 0.04:
            return "/voice/next?s=1.voice.gone.nowhere.0.0..0", "a stale URL", {"Digits": "1"}
        if roll < 0.16 or not heard.gather_url:
            return heard.after_silence or heard.redirect_url, "silence", {}
        if roll < 0.6:
            key = self.rng.choice(self._keys() if roll < 0.5 else KEYS)
            return heard.gather_url, f"press {key!r}", {"Digits": key}
        words = self.rng.choice(self.words)
        confidence = self.rng.choice(("0.91", "0.4"))
        return (
            heard.gather_url,
            f"say {words!r}",
            {
                "SpeechResult": words,
                "Confidence": confidence,
            },
        )

    def _voice(self, url: str, sent: str, extra: dict):
        from ivr.channels import twiml_reader

        if not url:
            return None
        path = url.removeprefix("http://localhost")
        response = self._post(path, {**self.params, **extra})
        body = response.get_data(as_text=True)
        heard = twiml_reader.read_voice(body, "http://localhost" + path)
        opened = _SEALED_URL.sub(lambda m: m[1] + _opened(self.app, m[2], "voice"), body)
        self._record(sent, response, opened, _opened(self.app, _voice_state(heard), "voice"))
        return None if heard.ends and not heard.dial else heard

    def _keys(self) -> list[str]:
        """The keys the node of the last reply names (its own, the globals', next)."""
        node = self.script.nodes.get(self.node)
        options = [*self.script.globals]
        if node is not None:
            options += [*node.options, *(o for step in node.step_options for o in step)]
        keys = sorted({o.key for o in options if o.key} | {self.script.next_control.key})
        # Hand-offs are rare on a random path: their keys count four times.
        handoffs = [o.key for o in options if o.key and o.action in HANDOFFS]
        return keys + sorted(handoffs) * 3

    # -- SMS ------------------------------------------------------------------------

    def _texts(self, sender: str, turns: int) -> None:
        if sender == HIDDEN:
            sender = MOBILE
        self.params = {
            "AccountSid": ACCOUNT,
            "From": sender,
            "To": HELPLINE,
            "NumSegments": "1",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        for _ in range(turns + 1):
            body, media = self._sms_input()
            gap = 40 if self.rng.random() < 0.06 else self.rng.randrange(1, 5)
            self.clock.tick(timedelta(minutes=gap))
            sid = f"SM{self.rng.getrandbits(128):032x}"
            params = {**self.params, "Body": body, "MessageSid": sid, "SmsSid": sid}
            params["NumMedia"] = "1" if media else "0"
            if media:
                params["MediaContentType0"] = "image/jpeg"
                params["MediaUrl0"] = f"https://api.twilio.com/media/{sid}"
            response = self._post(f"/sms?script={self.script.id}", params)
            sent = f"text {body!r}" + (" with a picture" if media else "") + f" after {gap} min"
            self._record(sent, response, response.get_data(as_text=True), self._sms_state())

    def _sms_input(self) -> tuple[str, bool]:
        roll = self.rng.random()
        media = self.rng.random() < 0.08
        if roll < 0.3:
            return self.rng.choice(self._keys() if roll < 0.2 else KEYS), media
        if roll < 0.36:
            return self.rng.choice(SMS_ONLY), media
        return self.rng.choice(self.words), media

    def _sms_state(self) -> str:
        if _sealer(self.app) is None:  # a tree from before the sealing: Flask's session
            with self.client.session_transaction() as session:
                return _sms_state(session)
        kept = self.client.get_cookie("ivr_sms")
        return _opened(self.app, kept.value, "sms") if kept else ""

    # -- WhatsApp -------------------------------------------------------------------

    def _chat(self, sender: str, turns: int) -> None:
        address = WHATSAPP + (MOBILE if sender == HIDDEN else sender)
        whatsapp = self.app.extensions["ivr"].whatsapp
        whatsapp.places.forget(address)  # a new conversation, as a cookie jar is for SMS
        self.params = {
            "AccountSid": ACCOUNT,
            "From": address,
            "To": WHATSAPP + HELPLINE,
            "NumSegments": "1",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
            "ProfileName": "Walk",
            "WaId": address.removeprefix(WHATSAPP + "+"),
        }
        taps: list[tuple[str, str, str]] = []  # the last reply's menu: (label, id, kind)
        older: list[tuple[str, str, str]] = []  # the one before it
        for _ in range(turns + 1):
            gap = 40 if self.rng.random() < 0.06 else self.rng.randrange(1, 5)
            self.clock.tick(timedelta(minutes=gap))
            sid = f"SM{self.rng.getrandbits(128):032x}"
            params = {**self.params, "MessageSid": sid, "SmsMessageSid": sid, "NumMedia": "0"}
            sent = self._chat_input(params, taps, older)
            response = self._post(f"/sms?script={self.script.id}", params)
            place = whatsapp.places.get(address)
            state = _opened(self.app, place, "whatsapp") if place else ""
            body = response.get_data(as_text=True)
            self._record(f"{sent} after {gap} min", response, body, state)
            older, taps = taps or older, self._menu(place)

    def _chat_input(self, params: dict, taps: list, older: list) -> str:
        """Fill in one message's parameters; say in words what was sent."""
        roll = self.rng.random()
        if roll < 0.3 and (taps or older):
            menu = taps if (taps and roll < 0.25) or not older else older
            label, tapped, kind = self.rng.choice(menu)
            if roll < 0.02:
                tapped = FOREIGN_ID
            named = ("ListId", "ListTitle") if kind == "list" else ("ButtonPayload", "ButtonText")
            params.update({"Body": label, named[0]: tapped, named[1]: label})
            which = "the last" if menu is taps else "an older"
            return f"tap {label!r} ({tapped}) on {which} reply's {kind}"
        body, media = self._sms_input()
        params["Body"] = body
        if media or self.rng.random() < 0.05:
            voice = not media or self.rng.random() < 0.5
            params["NumMedia"] = "1"
            params["MediaContentType0"] = "audio/ogg" if voice else "image/jpeg"
            params["MediaUrl0"] = f"https://api.twilio.com/media/{params['MessageSid']}"
            return f"text {body!r} with a {'voice note' if voice else 'picture'}"
        return f"text {body!r}"

    def _menu(self, place: str | None) -> list[tuple[str, str, str]]:
        """The menu a template would show where the conversation is now (as /try does)."""
        from ivr import whatsapp as menus

        sealer = _sealer(self.app)
        carried = sealer.open(place, "whatsapp") if place else None
        state = carried.state if carried is not None else None
        if state is None or state.node not in self.script.nodes:
            return []
        menu = menus.plan(self.script, state.node, state.step)
        if not isinstance(menu, menus.Menu):
            return []
        ids = self.app.extensions["ivr"].whatsapp.tappable.ids
        kind = "list" if menu.kind == menus.LIST else "buttons"
        return [(i.label, ids.id_for(self.script.id, i.ref), kind) for i in menu.items]

    # -- all channels ---------------------------------------------------------------

    def _post(self, path: str, params: dict):
        log = io.StringIO()
        with contextlib.redirect_stderr(log):
            response = signed_post(self.client, path, params)
        self._logged = [json.loads(line) for line in log.getvalue().splitlines() if line]
        return response

    def _record(self, sent: str, response, body: str, state: str) -> None:
        lines = [line for line in self._logged if line.get("event") == "webhook"]
        line = lines[-1] if lines else {}
        self.node = line.get("node")
        self.records.append(
            Record(
                self.name,
                self.channel,
                self.number,
                self.turn,
                sent,
                response.status_code,
                body,
                state,
                str(line.get("outcome", "")),
                line.get("node"),
            )
        )
        self.turn += 1


def _voice_state(heard) -> str:
    """The state the call carries on with: the `s` of the URL Twilio comes back to."""
    url = heard.gather_url or heard.dial or heard.after_silence or heard.redirect_url
    return parse_qs(urlsplit(url).query).get("s", [""])[0] if url else ""


_SEALED_URL = re.compile(r"([?&]s=)([A-Za-z0-9_-]+)")


def _sealer(app):
    return getattr(app.extensions["ivr"], "sealer", None)


def _opened(app, token: str, use: str) -> str:
    """A sealed state as what it means: its fields and extras, without the random
    conversation id. A token the app cannot open, or a tree that does not seal, as is."""
    sealer = _sealer(app)
    carried = sealer.open(token, use) if sealer is not None and token else None
    if carried is None:
        return token
    values = carried.state.as_fields() if carried.state else {}
    values.update(via=carried.via, retry=carried.retry)
    return ",".join(f"{name}:{value}" for name, value in sorted(values.items()))


def _sms_state(session) -> str:
    """The state the SMS cookie holds (not its random conversation id)."""
    return str(session.get("s", ""))


# -- the command line -----------------------------------------------------------------


def write(records: list[Record], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def differences(before: list[dict], after: list[dict]) -> Iterator[str]:
    """Each record that differs, in words: where it is, what was sent, and what changed."""
    for old, new in zip(before, after, strict=False):
        if old != new:
            where = f"{new['script']} {new['channel']} #{new['conversation']} turn {new['turn']}"
            changed = [k for k in old if old[k] != new.get(k)]
            yield (
                f"{where}, {new['sent']}: {', '.join(changed)} differ\n  before: "
                + ("\n  before: ".join(f"{k}={old[k]!r}" for k in changed))
                + "\n  after:  "
                + "\n  after:  ".join(f"{k}={new[k]!r}" for k in changed)
            )
    if len(before) != len(after):
        yield f"The walks differ in length: {len(before)} records before, {len(after)} after."


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent.parent
    command = argv[0] if argv else ""
    if command == "record" and len(argv) == 2:
        import ivr

        write(walk(Path(ivr.__file__).resolve().parent.parent), Path(argv[1]))
        return 0
    if command == "compare" and len(argv) <= 2:
        rev = argv[1] if len(argv) == 2 else "main"
        with tempfile.TemporaryDirectory(prefix="walk-") as tmp:
            tree, out = Path(tmp) / "tree", Path(tmp) / "before.jsonl"
            tree.mkdir()
            archive = subprocess.run(["git", "-C", str(here), "archive", rev], check=True,
                                     capture_output=True).stdout  # fmt: skip
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
            env = {**os.environ, "PYTHONPATH": str(tree)}
            subprocess.run([sys.executable, __file__, "record", str(out)], cwd=tree, env=env,
                           check=True)  # fmt: skip
            before = read(out)
        after_path = Path(tmp).with_suffix(".after.jsonl")
        write(walk(here), after_path)
        after = read(after_path)
        after_path.unlink()
        found = list(differences(before, after))
        for line in found[:5]:
            print(line)
        print(
            f"{len(before)} replies walked on {rev}, {len(after)} here: "
            + (f"{len(found)} differ." if found else "every one byte-identical.")
        )
        return 1 if found else 0
    print(__doc__.strip())
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
