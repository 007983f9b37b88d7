"""Safety (S): the routes that matter most are always there, and no call is bridged to 999.

The first spoken menu has keys for the clicked-a-link, under-18 and danger routes (the
texted one has words for them), and every other topic is within two menus; danger is one
choice away everywhere, on every channel; 999 opens every conversation and Samaritans
closes a call; the danger answer gives 999 and Samaritans first; nothing dials an
emergency number (ivr.emergency says what counts).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr import engine
from ivr.emergency import is_emergency_number
from ivr.errors import Problem
from ivr.lint.walk import all_options, offered_on, problem, worded
from ivr.script import DIAL, GO, OPTIONAL_ROLES, SMS, VOICE, WHATSAPP, Node, Script, Text

SAMARITANS = "116 123"
CALL_999 = "call 999"
# "call 999", "ring 999 now", "hang up and dial 999": a verb of calling, at most two words
# before 999, and not after "cannot" ("this line cannot call 999 for you"). The Welsh
# verbs too ("ffoniwch 999", "deialwch 999"), for a script's cy-GB texts.
_CALL_999 = re.compile(
    r"(?<!cannot )(?<!can't )(?<!cant )"
    r"\b(?:call|ring|dial|phone|ffoniwch|ffonia|ffonio|deialwch)\b(?: [a-z]+){0,2} 999\b"
)


def main_menu_routes(s: Script) -> Iterator[Problem]:
    """Clicked a link and under 18: a key on the first spoken menu, and an option on the
    texted main menu. (Danger, one choice away from every node the main menu included,
    is danger_one_choice_away's.)"""
    main = s.main
    for role in ("clicked_link", "under_18"):
        target = s.roles[role]
        lacking = [c for c in offered_on(s) if not _first_menu_offers(s, target, c)]
        if SMS in lacking and WHATSAPP in lacking:
            lacking.remove(WHATSAPP)  # the texted main menu: one mistake, one problem
        if not lacking:
            continue
        where = {VOICE: "first spoken menu", SMS: "texted main menu", WHATSAPP: "WhatsApp menu"}
        how = {VOICE: "a key (on voice)", SMS: "a keyword (on sms)", WHATSAPP: "on whatsapp"}
        who = "a caller cannot press" if VOICE in lacking else "a texter cannot choose"
        yield problem(  # one problem even when both channels lack it: one mistake
            s,
            "S001",
            main.line,
            main.id,
            f"The {' and the '.join(where[c] for c in lacking)} of '{main.id}' "
            f"{'have' if len(lacking) > 1 else 'has'} no option for the '{role}' node "
            f"('{target}'), so {who} it straight away.",
            f"Add an option with {' and '.join(how[c] for c in lacking)}, that goes to it.",
        )


def _first_menu_offers(s: Script, target: str, channel: str) -> bool:
    return any(
        channel in o.channels and o.action == GO and o.target == target
        and (o.key or channel != VOICE)
        for o in s.main.options
    )  # fmt: skip


def topics_within_two_menus(s: Script) -> Iterator[Problem]:
    """Steps, what not to do, what can wait and support: at most two choices from the
    main menu, on each channel (the phone's main menu stays short)."""
    told = set()
    for channel in offered_on(s):
        within = _within_two_menus(s, channel)
        for role in OPTIONAL_ROLES:
            if role in s.roles and s.roles[role] not in within:
                if channel == WHATSAPP and (SMS, role) in told:
                    continue  # the same gap as by SMS: one problem
                told.add((channel, role))
                yield problem(
                    s,
                    "S102",
                    s.main.line,
                    s.main.id,
                    f"On {channel}, the '{role}' node ('{s.roles[role]}') is not reachable "
                    "within two menus of the main menu.",
                    "Offer it on the main menu, or on a menu the main menu leads to, or "
                    "remove the role.",
                )


def _within_two_menus(s: Script, channel: str) -> set[str]:
    reached: set[str] = set()
    level = [s.main]
    for _ in range(2):
        following = []
        for node in level:
            for option in node.options:
                if channel in option.channels and option.action == GO:
                    reached.add(option.target)
                    following.append(s.nodes[option.target])
        level = following
    return reached


def danger_one_choice_away(s: Script) -> Iterator[Problem]:
    """One error per channel, naming every node without it: the cause is usually one."""
    danger = s.roles["danger"]
    found: dict[str, list] = {}
    for channel in offered_on(s):
        away = [n for n in s.nodes.values() if n.id != danger and not _offers(s, n, channel)]
        found[channel] = away
        if away and not (channel == WHATSAPP and away == found.get(SMS)):
            names = ", ".join(f"'{n.id}'" for n in away)
            yield problem(
                s,
                "S002",
                away[0].line,
                away[0].id,
                f"On {channel}, the danger node '{danger}' is not one choice away from "
                f"{'node' if len(away) == 1 else 'nodes'} {names}.",
                f"Offer danger as a global option on {channel}, or add an option to each.",
            )


def _offers(s: Script, node, channel: str) -> bool:
    choices = [o for o in (*node.options, *s.globals) if channel in o.channels]
    return any(o.action == GO and o.target == s.roles["danger"] for o in choices)


def dialled_numbers(s: Script) -> Iterator[Problem]:
    for node_id, option in all_options(s):
        if option.action != DIAL:
            continue
        if is_emergency_number(option.dial or ""):
            yield problem(
                s,
                "S003",
                option.line,
                node_id,
                f"This option dials {option.dial}, an emergency number. A bridged call "
                "would give the emergency service the helpline's address, not the caller's.",
                "Remove it: tell callers to hang up and dial 999 themselves.",
            )
        elif not re.fullmatch(r"\+?\d{3,15}", re.sub(r"[\s()-]", "", option.dial or "")):
            yield problem(
                s,
                "S004",
                option.line,
                node_id,
                f"'{option.dial}' is not a phone number Twilio can dial.",
                "Write it in international format, for example +443456000459.",
            )


def crisis_numbers(s: Script) -> Iterator[Problem]:
    for channel in worded(s.phrases["danger_line"]):
        if "999" not in s.phrase("danger_line", channel):
            yield problem(
                s,
                "S005",
                s.phrases["danger_line"].line,
                None,
                f"The danger_line ({channel}) does not mention 999.",
                "Every conversation opens by telling people in immediate danger to call 999: "
                "put 999 in it.",
            )
    missing = [n for n in ("999", "116 123") if n not in s.phrase("goodbye", VOICE)]
    if missing:
        yield problem(
            s,
            "S005",
            s.phrases["goodbye"].line,
            None,
            f"The goodbye does not mention {' or '.join(missing)}.",
            "The goodbye repeats 999 and Samaritans 116 123 before the call ends.",
        )


def danger_answer_first(s: Script) -> Iterator[Problem]:
    """The danger answer's first spoken paragraph and its first text tell people to call
    999 and give Samaritans 116 123, so nobody has to listen on, or text NEXT, to reach
    them. 999 named only to text it ("text 999 once registered") is not enough: most
    people cannot text 999, so the words must say to call it."""
    node = s.nodes[s.roles["danger"]]
    first = {
        VOICE: (_first_paragraph(node, VOICE), "first spoken paragraph"),
        SMS: (" ".join(engine.sms_pages(s, node)[0]), "first text"),
    }
    if _own_whatsapp_words(node):  # else its first message holds the first text and more
        first[WHATSAPP] = (" ".join(engine.whatsapp_pages(s, node)[0]), "first message")
    gaps = {}  # what is missing -> where: one mistake (say, 999 deleted) is one problem
    for channel, (words, where) in first.items():
        compact = re.sub(r"[\s().-]", "", words)
        for number in ("999", SAMARITANS):
            if number.replace(" ", "") not in compact:
                gaps.setdefault(number, []).append(f"{where} ({channel})")
        if "999" in compact and not _CALL_999.search(" ".join(words.lower().split())):
            gaps.setdefault(CALL_999, []).append(f"{where} ({channel})")
    for number, places in gaps.items():
        said = {SAMARITANS: f"give Samaritans {number}", CALL_999: "tell people to call 999"}
        yield problem(
            s,
            "S101",
            node.line,
            node.id,
            f"The danger answer's {' and '.join(places)} {'do' if len(places) > 1 else 'does'} "
            f"not {said.get(number, f'give {number}')}.",
            "Start the danger answer with 'call 999' and Samaritans 116 123 in one short "
            "paragraph (no blank line between them), and put the other routes after it, so "
            "both stay in the first thing said and the first text.",
        )


def danger_answer_for_deaf_texters(s: Script) -> Iterator[Problem]:
    """S103: the texted danger answer tells deaf and speech-impaired texters how they reach
    emergency help themselves (emergencySMS, Relay UK's 18000), since this text line cannot:
    only people registered with emergencySMS can text 999."""
    node = s.nodes[s.roles["danger"]]
    pages = {SMS: engine.sms_pages(s, node)}
    if _own_whatsapp_words(node):
        pages[WHATSAPP] = engine.whatsapp_pages(s, node)
    for channel, parts in pages.items():
        texted = " ".join(p for page in parts for p in page)
        missing = _deaf_routes_missing(re.sub(r"[\s().-]", "", texted).lower())
        if missing:
            yield _not_for_deaf_texters(s, node, channel, missing)
            return  # one mistake, one problem


def _deaf_routes_missing(compact: str) -> list[str]:
    return [
        name
        for name, found in (
            ("emergencySMS (text 999 once registered)", "emergencysms" in compact),
            ("Relay UK (18000)", "18000" in compact),
        )
        if not found
    ]


def _not_for_deaf_texters(s: Script, node: Node, channel: str, missing: list[str]) -> Problem:
    where = "texted" if channel == SMS else "WhatsApp"
    return problem(
        s,
        "S103",
        node.line,
        node.id,
        f"The {where} danger answer does not tell deaf or speech-impaired texters about "
        f"{' or '.join(missing)}.",
        "After 999 and Samaritans, add: if you are deaf or speech-impaired, text 999 once "
        "registered with emergencySMS (register by texting 'register' to 999), or call "
        "18000 with Relay UK; and say that this text line cannot reach emergency services.",
    )


def _own_whatsapp_words(node: Node) -> bool:
    return any(t is not None and t.whatsapp is not None for t in (node.text, *node.steps))


def _first_paragraph(node: Node, channel: str) -> str:
    for text in (node.text, *node.steps):
        paragraphs = Text.paragraphs(text.on(channel)) if text else ()
        if paragraphs:
            return paragraphs[0]
    return ""


CHECKS = (
    main_menu_routes,
    topics_within_two_menus,
    danger_one_choice_away,
    dialled_numbers,
    crisis_numbers,
    danger_answer_first,
    danger_answer_for_deaf_texters,
)
