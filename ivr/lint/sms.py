"""SMS (M): every text is plain GSM-7 and short enough to arrive in few segments.

A language texted in UCS-2 on purpose (`sms_encoding: ucs2`, for letters GSM-7 lacks)
may use any character; the linter names the ones that need UCS-2 (M004), and warns when
none does (M005). Also reports, as information, how many segments each reply takes,
counted as Twilio counts them: a reply with one of those letters in UCS-2 (70 characters
in one segment, 67 a part), any other in GSM-7 (160, 153): see ivr/gsm7.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr import gsm7
from ivr.errors import INFO, WARNING, Problem
from ivr.lint.walk import problem, replies, reply_place, texts
from ivr.script import SMS, UCS2, Script

MAX_SMS_SEGMENTS = 4
SEGMENTS = "M003"  # the information line: how many segments a reply takes
SAYING = re.compile(r", saying (\w+)")  # a reply built around one of the script's phrases


def gsm7_only(s: Script) -> Iterator[Problem]:
    if s.sms_encoding == UCS2:
        yield from _ucs2(s)
        return
    for node_id, what, text in texts(s):
        bad = gsm7.not_gsm7(gsm7.plain(text.sms))
        if bad:
            fix = "Replace or remove them."
            if s.translated_from:  # a language whose own letters GSM-7 lacks (Welsh's ŵ)
                fix += (f" If {s.language} needs them, give it sms_encoding: ucs2 under "
                        "languages: (70 characters a segment).")  # fmt: skip
            yield problem(
                s,
                "M001",
                text.line,
                node_id,
                f"{what} has characters that SMS cannot send in GSM-7: {gsm7.describe(bad)}. "
                "One such character makes every reply cost more than twice as much.",
                fix,
            )


def _ucs2(s: Script) -> Iterator[Problem]:
    """A language texted in UCS-2: which characters need it, or that none does."""
    needed: list[str] = []
    for _, _, text in texts(s):
        needed += [ch for ch in gsm7.not_gsm7(gsm7.plain(text.sms)) if ch not in needed]
    line = s.languages[s.language].line if s.language in s.languages else s.line_of.get(
        "sms_encoding", 1)  # fmt: skip
    if needed:
        yield problem(
            s,
            "M004",
            line,
            None,
            f"Replies in {s.language} that use {gsm7.describe(needed)} are sent in UCS-2 (70 "
            "characters in one segment, 67 a part), so they are cut to fit 268 characters; "
            "its other replies are sent in GSM-7.",
            "Nothing to do: this is information.",
            INFO,
        )
    else:
        yield problem(
            s,
            "M005",
            line,
            None,
            f"{s.language} has sms_encoding: ucs2, but every one of its texts is GSM-7, so "
            "the mark only stops M001 from catching a stray character in it.",
            "Remove sms_encoding: ucs2, or keep it if its texts will need UCS-2 letters.",
            WARNING,
        )


def segments(s: Script) -> Iterator[Problem]:
    too_long: set[str] = set()
    counted: dict[tuple[str, ...], tuple[int, str]] = {}  # many replies say the same
    # A phrase said at every node (not_understood, say) that is too long makes each of
    # those replies too long: one mistake, so one problem per phrase, naming the nodes.
    saying: dict[str, list[tuple[str, int, int, str | None]]] = {}
    for what, reply in replies(s, SMS):
        found = counted.get(reply.paragraphs)
        if found is None:
            found = counted[reply.paragraphs] = _counted(reply.text, s.sms_encoding)
        count, sent_as = found
        line, node = reply_place(s, what, reply.state.node)
        if what.removesuffix(" after a picture") in too_long:
            continue  # the same reply with a picture note: one mistake, one problem
        if count > MAX_SMS_SEGMENTS:
            too_long.add(what)
            phrase = SAYING.search(what)
            if phrase is not None:
                saying.setdefault(phrase.group(1), []).append((what, count, line, node))
                continue
            yield problem(
                s,
                "M002",
                line,
                node,
                f"The SMS reply for {what} takes {count} segments{sent_as} (at most "
                f"{MAX_SMS_SEGMENTS}).",
                "Shorten its text, labels or phrases.",
            )
        elif "after a picture" not in what:
            plural = "s" if count > 1 else ""
            yield problem(
                s,
                "M003",
                line,
                node,
                f"SMS: {what} is {count} segment{plural}{sent_as}.",
                "Nothing to do: this is information.",
                INFO,
            )
    for phrase, found in saying.items():
        yield _too_long_saying(s, phrase, found)


def _too_long_saying(s: Script, phrase: str, found: list) -> Problem:
    (what, count, line, node), others = found[0], [f[3] for f in found[1:]]
    said = f"The SMS reply for {what} takes {count} segments (at most {MAX_SMS_SEGMENTS})"
    fix = "Shorten its text, labels or phrases."
    if others:
        nodes = ", ".join(f"'{n}'" for n in others)
        said += f"; so do the replies saying {phrase} at {len(others)} more: {nodes}"
        fix += f" The phrase '{phrase}' is in every one of them."
    return problem(s, "M002", line, node, said + ".", fix)


def _counted(text: str, encoding: str) -> tuple[int, str]:
    """A reply's segments, and " in UCS-2" where a language's letters make it so."""
    count = _segments(text, encoding)
    wide = encoding == UCS2 and gsm7.encoding(text) == gsm7.UCS2
    return count, " in UCS-2" if wide else ""


def _segments(text: str, encoding: str) -> int:
    # Characters GSM-7 cannot carry are M001's to report; counted as GSM-7 here, so that
    # one mistake is one problem. A language texted in UCS-2 is counted as sent.
    if encoding == UCS2:
        return gsm7.segments(text)
    bad = set(gsm7.not_gsm7(text))
    return gsm7.segments("".join("?" if ch in bad else ch for ch in text) if bad else text)


CHECKS = (gsm7_only, segments)
