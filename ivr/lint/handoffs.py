"""Hours and hand-offs (H, and S170-S189): transfers in opening hours, and "text me".

Each check is `check(script) -> Iterator[Problem]`, except `closed_dates(script, today)`,
which needs the date. Codes (the loader reports H110-H112: a number, hours or a date
that cannot be read):
    H101 an option names a transfer the script does not define
    H102 the closed dates end within six months (warning: bank holidays run out)
    H103 a transfer has hours but no closed dates (warning)
    H104 a transfer no option offers (warning)
    H105 a transfer's closed words do not give its number (warning)
    H106 text_me: `then` is not a node, or text_me options without a text_me section
    H107 text_me: the message is longer than one message can be (1,600 characters)
    H108 text_me: a send_text option outside the confirming node, or a text_me option
         that does not lead to one
    H109 a step's option uses a key that is taken there (next, a global, another option)
    H113 a menu's quiet: names a key no global option uses
    S170 a transfer to an emergency number
    S171 an adults-only transfer offered on the under-18 node
    S172 the text to send does not give the 999 line
    S173 a transfer's goodbye (after the call) does not give 999 and Samaritans 116 123
    S174 the text's first 100 characters (a lock screen) name the topic
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
from ivr.lint.walk import problem
from ivr.script import GO, SEND_TEXT, STEPS, TEXT_ME, TRANSFER, Script

CLOSED_DATES_NOTICE = timedelta(days=183)  # six months
MAX_TEXT_CHARS = 1600  # Twilio's limit for one message
PREVIEW_CHARS = 100  # what a lock screen shows of a text


def _options(script: Script):
    for node in script.nodes.values():
        for option in node.options:
            yield node, option
        for options in node.step_options:
            for option in options:
                yield node, option


def references(script: Script) -> Iterator[Problem]:
    """What the engine looks up by name must exist: these run with the graph checks."""
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
    for transfer in script.transfers.values():
        menu = transfer.person_menu
        if menu is None:
            continue
        offers = (
            [o for o in script.nodes[menu].options if o.transfer == transfer.id]
            if (menu in script.nodes)
            else []
        )
        if not offers:
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
    text_me = script.text_me
    if text_me is None:
        for node, option in _options(script):
            if option.action in (TEXT_ME, SEND_TEXT):
                yield problem(
                    script,
                    "H106",
                    option.line,
                    node.id,
                    f"This option ({option.action}) needs a text_me: section, which the "
                    "script does not have.",
                    "Add text_me: with the message and what the caller hears "
                    "(docs/script-format.md).",
                )
    elif text_me.then not in script.nodes:
        yield problem(
            script,
            "H106",
            text_me.line,
            None,
            f"text_me then: '{text_me.then}' is not a node.",
            "Name the menu the caller goes back to, usually main.",
        )


def transfers(script: Script) -> Iterator[Problem]:
    used = {o.transfer for _, o in _options(script) if o.action == TRANSFER}
    for transfer in script.transfers.values():
        what = f"The transfer '{transfer.id}'"
        if is_emergency_number(transfer.number):  # the one list (ivr.emergency)
            yield problem(
                script,
                "S170",
                transfer.line,
                None,
                f"{what} dials {transfer.number}, an emergency number. A bridged call gives "
                "the emergency service the helpline's address, not the caller's.",
                "Remove it: tell callers to hang up and dial 999 themselves.",
            )
        if transfer.id not in used:
            yield problem(
                script,
                "H104",
                transfer.line,
                None,
                f"{what} is not offered by any option.",
                "Add an option with transfer: " + transfer.id + ", or remove it.",
                WARNING,
            )
        national = "0" + transfer.number[3:] if transfer.number.startswith("+44") else ""
        closed = re.sub(r"\D", "", transfer.closed.voice) if transfer.closed else ""
        if transfer.closed and national and national not in closed:
            yield problem(
                script,
                "H105",
                transfer.closed.line,
                None,
                f"{what}'s closed words do not give its number ({national}), so a caller "
                "hears when to call but not what to call.",
                "Say the number in the closed: words.",
                WARNING,
            )
        completed = transfer.completed.voice
        for needed in ("999", "116 123"):
            if needed not in completed:
                yield problem(
                    script,
                    "S173",
                    transfer.completed.line,
                    None,
                    f"{what}'s completed words (the goodbye after the call) do not mention "
                    f"{needed}.",
                    "End with 999 for immediate danger and Samaritans on 116 123.",
                )


def under_18(script: Script) -> Iterator[Problem]:
    node = script.nodes.get(script.roles.get("under_18", ""))
    if node is None:
        return
    for option in (*node.options, *[o for step in node.step_options for o in step]):
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


def text_me(script: Script) -> Iterator[Problem]:
    text_me = script.text_me
    uses = [(n, o) for n, o in _options(script) if o.action in (TEXT_ME, SEND_TEXT)]
    if text_me is None:
        return
    if len(text_me.message) > MAX_TEXT_CHARS:
        yield problem(
            script,
            "H107",
            text_me.line,
            None,
            f"text_me's message has {len(text_me.message)} characters; one message can "
            f"carry at most {MAX_TEXT_CHARS}.",
            "Shorten it: the steps in brief, with the guide's links for the rest.",
        )
    if "999" not in text_me.message:
        yield problem(
            script,
            "S172",
            text_me.line,
            None,
            "text_me's message does not give the 999 line.",
            "Put 'If you are in immediate danger, call 999.' near the start.",
        )
    preview = text_me.message[: script.discretion.preview_characters].lower()
    telltale = [w for w in script.discretion.words if re.search(rf"\b{re.escape(w)}", preview)]
    if telltale:
        yield problem(
            script,
            "S174",
            text_me.line,
            None,
            f"The first {PREVIEW_CHARS} characters of text_me's message (what a lock screen "
            f"shows) say {', '.join(repr(w) for w in telltale)}.",
            "Open with words that do not name the topic, like 'Some first steps:'.",
        )
    confirming = {n.id for n, o in uses if o.action == SEND_TEXT}
    for node, option in uses:
        if option.action == TEXT_ME and option.target not in confirming:
            yield problem(
                script,
                "H108",
                option.line,
                node.id,
                f"This text_me option leads to '{option.target}', which has no send_text "
                "option, so the caller cannot confirm.",
                "Lead it to the node that warns and offers send_text.",
            )
    for node_id in confirming:
        node = script.nodes[node_id]
        if node.kind == STEPS or node.text is None:
            yield problem(
                script,
                "H108",
                node.line,
                node_id,
                "A send_text option belongs in a menu whose text warns that the text will "
                "show on this phone (and may show a preview).",
                "Give this menu that warning as its text.",
            )
        leading = [(n, o) for n, o in _all(script) if o.action == GO and o.target == node_id]
        for n, o in leading:
            yield problem(
                script,
                "H108",
                o.line,
                n.id if n else None,
                f"This option goes straight to '{node_id}', where the text is sent, so "
                "texting could be offered where it cannot be sent.",
                "Make it action: text_me, so it is offered only where texts can be sent.",
            )


def _all(script: Script):
    for option in script.globals:
        yield None, option
    yield from _options(script)


def step_keys(script: Script) -> Iterator[Problem]:
    taken = {script.next_control.key, *(o.key for o in script.globals if o.key)}
    for node in script.nodes.values():
        for i, options in enumerate(node.step_options, 1):
            here: set[str] = set()
            for option in options:
                if option.key in taken or option.key in here:
                    yield problem(
                        script,
                        "H109",
                        option.line,
                        node.id,
                        f"Step {i} offers key {option.key}, which is already taken there "
                        "(by next, a global option or another option of the step).",
                        "Give it a key of its own.",
                    )
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


CHECKS = (transfers, under_18, text_me, step_keys, quiet_keys)
