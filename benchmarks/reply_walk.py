"""The proof that a speed change changes no reply: a seeded walk through every script
and channel, with many free-text messages, through the real webhooks.

    .venv/bin/python -m benchmarks.reply_walk            a digest of every reply
    .venv/bin/python -m benchmarks.reply_walk --save F   and every reply, to diff

Run it before a change and after it: the same digest means every reply, byte for byte,
is the same (the voice URLs' state, sealed afresh each time by ivr/web/sealed.py, is
hashed opened, as what it carries). Each script (scripts/*.yaml and the test fixtures)
is served by its own app with signature checks on; each channel has its conversations,
a turn at a time, with the cookie or the Gather URL Twilio would bring back, at a fixed
time. A turn sends one of: a key or a keyword of the point reached, a line of the phrase
corpus or the held-out set, a message made of lexicon phrases and everyday words mixed
(with typos, numbers, negations, capitals and punctuation, 1 to 300 words), or silence.
The messages come from a seeded random generator, so every run sends the same ones.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import re
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from freezegun import freeze_time

from benchmarks.workloads import RAMBLING, SECRET, TOKEN, Request, call_params, sms_params
from ivr.understanding import lexicon as lexicons
from ivr.understanding import lexicon_file

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "scripts").glob("*.yaml"))
FIXTURES = [ROOT / "tests" / "fixtures" / name for name in ("valid.yaml", "handoffs.yaml")]
CORPORA = [
    ROOT / "tests" / "corpus" / "en-GB.txt",
    ROOT / "tests" / "corpus" / "held-out" / "en-GB.txt",
]
BASE = "http://localhost"  # where the test client's requests go, as signed
NOW = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # a Tuesday afternoon: lines open
CONVERSATIONS = 40  # per script and channel
TURNS = 12  # per conversation
# Words people put around the phrases that mean something: numbers, ages, negations.
EVERYDAY = [
    *RAMBLING.split(),
    *("I'm", "not", "sure", "15", "14", "year", "9", "800mg", "2", "boxes", "of", "paras"),
    *("don't", "can't", "won't", "never", "no", "really", "please", "help", "me", "now"),
    *("tonight", "he", "she", "they", "said", "will", "my", "son", "is", "13", "i", "was"),
    *("16", "in", "the", "photo", "one", "fifteen", "at", "3am", "100", "mg"),
]


def corpus_lines() -> list[str]:
    lines = []
    for path in CORPORA:
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if "\t" in line and not line.startswith("#"):
                    lines.append(line.split("\t", 1)[1])
    return lines


def lexicon_phrases() -> list[str]:
    lexicon = lexicon_file.load("en-GB")
    lists = [name for name in lexicons.LISTS if name not in lexicons.PATTERN_LISTS]
    found = [p for name in lists for p in lexicon.words(name)]
    return found + [p for phrases in lexicon.slots().values() for p in phrases]


def mixed(rng: random.Random, phrases: list[str]) -> str:
    """A message of lexicon phrases and everyday words, as people mix them."""
    size = rng.choice((1, 2, 3, 5, 8, 13, 30, 80, 300))
    parts = [
        rng.choice(phrases) if rng.random() < 0.3 else rng.choice(EVERYDAY) for _ in range(size)
    ]
    parts = [_typo(rng, p) for p in parts]
    text = rng.choice((" ", " ", ", ", ". ", "! ", "\n", "... ")).join(parts)
    if rng.random() < 0.2:
        text = text.upper()
    elif rng.random() < 0.4:
        text = text.capitalize()
    return text[:1600]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4 or rng.random() > 0.15:
        return word
    i = rng.randrange(len(word) - 1)
    how = rng.randrange(3)
    if how == 0:
        return word[:i] + word[i + 1 :]
    if how == 1:
        return word[:i] + rng.choice("aeilnorst") + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def walk(save=None, conversations: int = CONVERSATIONS) -> tuple[str, int]:
    """Every reply of the walk, hashed in order; the digest and the number of turns."""
    from ivr.web import create_app

    digest = hashlib.sha256()
    turns = 0
    corpus, phrases = corpus_lines(), lexicon_phrases()
    for path in [*SCRIPTS, *FIXTURES]:
        env = {"TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": SECRET, "IVR_SCRIPTS": str(path)}
        with (
            open(os.devnull, "w") as sink,
            contextlib.redirect_stderr(sink),
            freeze_time(NOW),
        ):
            app = create_app(env)
            script = app.extensions["ivr"].library.default
            for channel in ("sms", "voice"):
                rng = random.Random(f"{script.id}/{channel}")  # the same messages every run
                client = app.test_client()
                for _ in range(conversations):
                    client.delete_cookie("ivr_sms")
                    url = "/voice" if channel == "voice" else "/sms"
                    for turn in range(TURNS):
                        said = _message(rng, script, corpus, phrases) if turn else {}
                        params = _params(channel, said)
                        request = Request(url, params)
                        answer = client.post(
                            url,
                            data=params,
                            headers={"X-Twilio-Signature": request.signature(BASE)},
                        )
                        body = answer.get_data()
                        if answer.status_code != 200:
                            raise SystemExit(
                                f"{script.id} {channel}: {url} got {answer.status_code}"
                            )
                        plain = _opened(app, body)
                        digest.update(plain)
                        turns += 1
                        if save is not None:
                            save.write(f"{script.id} {channel} {url} {said}\n{plain.decode()}\n")
                        if channel == "voice":
                            url = _next_url(body)
                            if url is None:
                                break
    return digest.hexdigest(), turns


def _params(channel: str, said: dict[str, str]) -> dict[str, str]:
    """The form Twilio sends for what was said: a fixed Sid, so every run signs alike."""
    if channel == "voice":
        return call_params(CallSid="CA" + "0" * 32, **said)
    params = sms_params(said.get("SpeechResult") or said.get("Digits", ""))
    params["MessageSid"] = params["SmsSid"] = params["SmsMessageSid"] = "SM" + "0" * 32
    return params


def _message(rng: random.Random, script, corpus: list[str], phrases: list[str]) -> dict:
    roll = rng.random()
    if roll < 0.2:  # a key or a keyword of the script
        option = rng.choice(
            [*script.globals, *(o for n in script.nodes.values() for o in n.options)]
        )
        if rng.random() < 0.5:
            return {"Digits": option.key or "1"}
        return {"SpeechResult": option.keyword, "Confidence": "0.9"}
    if roll < 0.25:
        return {}  # silence (voice) or an empty text
    text = rng.choice(corpus) if roll < 0.6 else mixed(rng, phrases)
    return {"SpeechResult": text, "Confidence": "0.9"}


_SEALED = re.compile(rb"([?&]s=)([A-Za-z0-9_-]+)")


def _opened(app, body: bytes) -> bytes:
    """The reply with each sealed state in its URLs written as what it carries (a tree
    from before the sealing has none, and its replies are hashed as they are)."""
    sealer = getattr(app.extensions["ivr"], "sealer", None)

    def plain(match: re.Match) -> bytes:
        carried = sealer.open(match[2].decode("ascii"), "voice")
        if carried is None:
            return match[0]
        values = carried.state.as_fields() if carried.state else {}
        values.update(via=carried.via, retry=carried.retry)
        return match[1] + ",".join(f"{k}:{v}" for k, v in sorted(values.items())).encode()

    return body if sealer is None else _SEALED.sub(plain, body)


def _next_url(body: bytes) -> str | None:
    root = ET.fromstring(body)
    for tag in ("Gather", "Dial"):
        found = root.find(tag)
        if found is not None and found.get("action"):
            return found.get("action")
    redirect = root.find("Redirect")
    return redirect.text if redirect is not None else None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.reply_walk", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--save", type=Path, help="also write every reply to this file")
    parser.add_argument(
        "--conversations", type=int, default=CONVERSATIONS, help="per script and channel"
    )
    args = parser.parse_args(argv)
    with open(args.save, "w", encoding="utf-8") if args.save else contextlib.nullcontext() as save:
        digest, turns = walk(save, args.conversations)
    print(
        f"{turns} turns over {len(SCRIPTS) + len(FIXTURES)} scripts and 2 channels: sha256 {digest}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
