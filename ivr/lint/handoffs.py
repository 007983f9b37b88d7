"""Hours and hand-offs (H, and S170-S189): transfers in opening hours, and "text me".

Each check is `check(script) -> Iterator[Problem]`, except `closed_dates(script, today)`,
which needs the date. Codes (the loader reports H110-H112: a number, hours or a date
that cannot be read):
    H101 an option names a transfer the script does not define
    H102 the closed dates end within six months (warning: bank holidays run out)
    H103 a transfer has hours but no closed dates (warning)
    H104 a transfer no option offers (warning)
    H105 a transfer's closed words do not give its number (warning)
    H106-H108 "text me these steps": checked by ivr/lint/texting.py, in this family's turn
    H109 a step's option uses a key that is taken there (next, a global, another option)
    H113 a menu's quiet: names a key no global option uses
    H114 a transfer's person_menu: is not a menu that offers it
    S170 a transfer to an emergency number
    S171 an adults-only transfer offered on the under-18 node
    S172, S174 the text to send: checked by ivr/lint/texting.py
    S173 a transfer's goodbye (after the call) does not give 999 and Samaritans 116 123
    S175 a menu's quiet: names the danger key

Pure domain; the GSM-7, links and timing of these words are checked with every other
reply's, by the main linter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from ivr.emergency import is_emergency_number
from ivr.errors import WARNING, Problem
from ivr.lint import texting
from ivr.lint.walk import every_option, problem
from ivr.script import GO, TRANSFER, Option, Script, Transfer

CLOSED_DATES_NOTICE = timedelta(days=183)  # six months


def _options(script: Script):
    """Every node's options, with the node (its own, then its steps')."""
    for node in script.nodes.values():
        for option in every_option(node):
            yield node, option


def references(script: Script) -> Iterator[Problem]:
    """What the engine looks up by name must exist: these run with the graph checks."""
    yield from _unknown_transfers(script)
    yield from _person_menus(script)
    yield from texting.section(script)


def _unknown_transfers(script: Script) -> Iterator[Problem]:
    """H101: an option puts the call through to a transfer the script does not define."""
    for node, option in _options(script):
        if option.action == TRANSFER and option.transfer not in script.transfers:
            known = ", ".join(script.transfers) or "none yet"
            yield problem(
                script,
                "H101",
                option.line,
                node.id,
                f"This option puts the call through to '{option.transfer}', which is not "
                f"under transfers: (those defined: {known}).",
                "Use a transfer id from transfers:, or add one.",
            )


def _person_menus(script: Script) -> Iterator[Problem]:
    """H114, S171: a transfer's person_menu offers it, and is not the under-18 node."""
    for transfer in script.transfers.values():
        menu = transfer.person_menu
        if menu is None:
            continue
        if not _offers(script, menu, transfer.id):
            yield problem(
                script,
                "H114",
                transfer.line,
                None,
                f"The transfer '{transfer.id}' has person_menu: '{menu}', which is not a menu "
                "that offers it, so a caller asking for a person would not be offered it.",
                "Name a menu with an option transfer: " + transfer.id + ".",
            )
        elif transfer.adults_only and menu == script.roles.get("under_18"):
            yield problem(
                script,
                "S171",
                transfer.line,
                menu,
                f"The adults-only transfer '{transfer.id}' would be offered on the under-18 "
                "node to a caller asking for a person.",
                "Name a menu away from the under-18 route under person_menu:.",
            )


def _offers(script: Script, menu: str, transfer_id: str) -> bool:
    """Whether the node `menu` exists and one of its own options is the transfer."""
    node = script.nodes.get(menu)
    return node is not None and any(o.transfer == transfer_id for o in node.options)


def transfers(script: Script) -> Iterator[Problem]:
    """S170, H104, H105, S173: each transfer, in the order they are defined."""
    used = {o.transfer for _, o in _options(script) if o.action == TRANSFER}
    for transfer in script.transfers.values():
        yield from _dials_emergency(script, transfer)
        if transfer.id not in used:
            yield _never_offered(script, transfer)
        yield from _closed_without_number(script, transfer)
        yield from _goodbye_without_routes(script, transfer)


def _named(transfer: Transfer) -> str:
    """How every transfer message starts."""
    return f"The transfer '{transfer.id}'"


def _dials_emergency(script: Script, transfer: Transfer) -> Iterator[Problem]:
    """S170: a bridged call would give the emergency service the wrong address."""
    if is_emergency_number(transfer.number):  # the one list (ivr.emergency)
        yield problem(
            script,
            "S170",
            transfer.line,
            None,
            f"{_named(transfer)} dials {transfer.number}, an emergency number. A bridged call "
            "gives the emergency service the helpline's address, not the caller's.",
            "Remove it: tell callers to hang up and dial 999 themselves.",
        )


def _never_offered(script: Script, transfer: Transfer) -> Problem:
    """H104 (warning): no option puts a call through to this transfer."""
    return problem(
        script,
        "H104",
        transfer.line,
        None,
        f"{_named(transfer)} is not offered by any option.",
        "Add an option with transfer: " + transfer.id + ", or remove it.",
        WARNING,
    )


def _closed_without_number(script: Script, transfer: Transfer) -> Iterator[Problem]:
    """H105 (warning): a UK number's closed words say the number, as dialled in the UK."""
    national = "0" + transfer.number[3:] if transfer.number.startswith("+44") else ""
    closed = re.sub(r"\D", "", transfer.closed.voice) if transfer.closed else ""
    if transfer.closed and national and national not in closed:
        yield problem(
            script,
            "H105",
            transfer.closed.line,
            None,
            f"{_named(transfer)}'s closed words do not give its number ({national}), so a "
            "caller hears when to call but not what to call.",
            "Say the number in the closed: words.",
            WARNING,
        )


def _goodbye_without_routes(script: Script, transfer: Transfer) -> Iterator[Problem]:
    """S173: the words after a put-through call give 999 and Samaritans, one problem each."""
    completed = transfer.completed.voice
    for needed in ("999", "116 123"):
        if needed not in completed:
            yield problem(
                script,
                "S173",
                transfer.completed.line,
                None,
                f"{_named(transfer)}'s completed words (the goodbye after the call) do not "
                f"mention {needed}.",
                "End with 999 for immediate danger and Samaritans on 116 123.",
            )


def under_18(script: Script) -> Iterator[Problem]:
    """S171: the under-18 node offers no adults-only transfer (person_menu: is checked
    with the references)."""
    node = script.nodes.get(script.roles.get("under_18", ""))
    if node is None:
        return
    for option in every_option(node):
        transfer = script.transfers.get(option.transfer or "")
        if option.action == TRANSFER and transfer and transfer.adults_only:
            yield problem(
                script,
                "S171",
                option.line,
                node.id,
                f"The under-18 node offers the transfer '{transfer.id}', which is for adults only.",
                "Remove it here; offer child-specific routes (Childline, CEOP) instead.",
            )


def step_keys(script: Script) -> Iterator[Problem]:
    """H109: while a step is read, each of its options has a key of its own."""
    taken = {script.next_control.key, *(o.key for o in script.globals if o.key)}
    for node in script.nodes.values():
        for i, options in enumerate(node.step_options, 1):
            for option in _taken_keys(options, taken):
                yield problem(
                    script,
                    "H109",
                    option.line,
                    node.id,
                    f"Step {i} offers key {option.key}, which is already taken there "
                    "(by next, a global option or another option of the step).",
                    "Give it a key of its own.",
                )


def _taken_keys(options: tuple[Option, ...], taken: set[str | None]) -> Iterator[Option]:
    """The options of one step whose key is taken already, or by an earlier option."""
    here: set[str] = set()
    for option in options:
        if option.key in taken or option.key in here:
            yield option
        here.add(option.key or "")


def closed_dates(script: Script, today: date) -> Iterator[Problem]:
    """Warn while there is time to add the next year's bank holidays."""
    for transfer in script.transfers.values():
        what = f"The transfer '{transfer.id}'"
        last = transfer.hours.closed_until
        if last is None:
            yield problem(
                script,
                "H103",
                transfer.hours.line,
                None,
                f"{what} lists no closed dates, so it will be offered on bank holidays.",
                "Add closed_dates: with the bank holidays and where the list comes from.",
                WARNING,
            )
        elif last < today + CLOSED_DATES_NOTICE:
            yield problem(
                script,
                "H102",
                transfer.hours.line,
                None,
                f"{what} has closed dates only until {last.isoformat()}, within six "
                "months; after that, bank holidays will be treated as open days.",
                f"Add the next year's dates from {transfer.hours.closed_source or 'the source'}.",
                WARNING,
            )


def quiet_keys(script: Script) -> Iterator[Problem]:
    """A menu's quiet keys are global keys, and never the danger key."""
    globals_ = {o.key: o for o in script.globals if o.key}
    danger = script.roles.get("danger")
    for node in script.nodes.values():
        for key in node.quiet:
            option = globals_.get(key)
            if option is None:
                yield problem(
                    script,
                    "H113",
                    node.line,
                    node.id,
                    f"This menu's quiet: names key {key}, which no global option uses.",
                    "List only global keys under quiet:, or remove it.",
                )
            elif option.action == GO and option.target == danger:
                yield problem(
                    script,
                    "S175",
                    node.line,
                    node.id,
                    f"This menu's quiet: names key {key}, the danger key, which every menu "
                    "must say.",
                    "Remove it from quiet:.",
                )


# text_me's checks run in this family's turn, between the under-18 and the keys checks.
CHECKS = (transfers, under_18, texting.text_me, step_keys, quiet_keys)
