"""Safety (S): the routes that matter most are always there, and no call is bridged to 999.

The main menu reaches the clicked-a-link and under-18 routes; danger is one choice away
everywhere, on every channel; 999 opens every conversation and Samaritans closes a call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr.errors import Problem
from ivr.lint.walk import all_options, problem
from ivr.script import CHANNELS, DIAL, GO, OPTIONAL_ROLES, VOICE, Script

EMERGENCY_NUMBERS = {"999", "112", "911"}
_PREFIXES = ("0044", "44", "001", "1", "00")  # international ways of writing a national number


def main_menu_routes(s: Script) -> Iterator[Problem]:
    main = s.main
    direct = {o.target for o in main.options if o.action == GO}
    wanted = ("clicked_link", "under_18", *(r for r in OPTIONAL_ROLES if r in s.roles))
    for role in wanted:
        if s.roles[role] not in direct:
            yield problem(
                s,
                "S001",
                main.line,
                main.id,
                f"The main menu has no option for the '{role}' node ('{s.roles[role]}').",
                "Add an option on the main menu that goes to it"
                + (", or remove the role." if role in OPTIONAL_ROLES else "."),
            )


def danger_one_choice_away(s: Script) -> Iterator[Problem]:
    """One error per channel, naming every node without it: the cause is usually one."""
    danger = s.roles["danger"]
    for channel in CHANNELS:
        away = [n for n in s.nodes.values() if n.id != danger and not _offers(s, n, channel)]
        if away:
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
        digits = re.sub(r"\D", "", option.dial or "")
        national = {digits} | {digits[len(p) :] for p in _PREFIXES if digits.startswith(p)}
        if EMERGENCY_NUMBERS & national:
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
    for channel in CHANNELS:
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


CHECKS = (main_menu_routes, danger_one_choice_away, dialled_numbers, crisis_numbers)
