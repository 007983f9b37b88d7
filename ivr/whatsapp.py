"""WhatsApp's rules for the menus people can tap, and what each tappable menu holds.

    plan(script, node, step) -> Menu | str    a menu to tap, or why it is numbered text
    menus(script) -> {Menu: [(node, step), ...]}   every tappable menu, for the templates
    to_tap(script, reply) -> (words, Menu) | None  a reply as words above a menu to tap
    choice_of(ref) -> (action, target)         what a tapped item names

Interactive menus are Twilio Content API templates, sent by their SID: a list picker
(`twilio/list-picker`) for 4 to 10 choices, quick-reply buttons (`twilio/quick-reply`)
for up to 3. Both only inside the 24 hours after the person's last message, which is
always so here: the line only ever replies. The limits, from Twilio's Content API pages
(twilio.com/docs/content/twiliolist-picker and .../twilio-quick-reply):

- list picker: 1 to 10 items; an item's title at most 24 characters, its description
  at most 72, its id at most 200; the body at most 1,024 characters; "only available
  once the end user is in a 24 hour session";
- quick reply: "only three buttons are allowed" in session without approval; the body at
  most 1,024 characters;
- button titles (a quick reply's, and the list picker's own button) at most 20
  characters: WhatsApp's reply-button and list-button limits (Meta's WhatsApp Cloud API
  reference, interactive list and reply-button messages), which Twilio passes on.

Every tappable menu carries the danger choice, added where the point does not list it
(the danger answer itself: a tap there says it again). A menu whose labels do not fit is
sent as numbered text, as SMS is; the linter says which (C002). Pure: the channel turns a
Menu into a Content template (ivr.channels.whatsapp), with each item's id keyed so that
Twilio's logs never show where a person is.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr import engine
from ivr.engine.memo import kept
from ivr.engine.state import CLOSED, Choice, Reply
from ivr.script import GO, WHATSAPP, Script

BODY_CHARS = 1024
LIST_ITEMS = 10
ITEM_CHARS = 24
DESCRIPTION_CHARS = 72
BUTTONS = 3
BUTTON_CHARS = 20

LIST = "twilio/list-picker"
BUTTONS_KIND = "twilio/quick-reply"


@dataclass(frozen=True, slots=True)
class Item:
    """One choice to tap: what it does (`ref`), its label and, in a list, a line under it."""

    ref: str  # "go:steps", "next", "repeat": the action, and the target where there is one
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Menu:
    kind: str  # LIST or BUTTONS_KIND
    items: tuple[Item, ...]
    button: str = ""  # the list picker's button ("See the choices"); none for buttons


def ref(choice: Choice) -> str:
    return f"{choice.action}:{choice.target}" if choice.target else choice.action


def choice_of(reference: str) -> tuple[str, str | None]:
    """(action, target) of an item's ref: node ids never hold ':' (ivr.loader)."""
    action, _, target = reference.partition(":")
    return action, target or None


def plan(script: Script, node: str, step: int) -> Menu | str:
    """The menu to tap at this point of a node, or a sentence saying why it is numbered
    text (for the linter, C002 and C101). Worked out once per point."""
    return kept(script, ("whatsapp menu", node, step), lambda: _plan(script, node, step))


def _plan(script: Script, node_id: str, step: int) -> Menu | str:
    node = script.nodes[node_id]
    listed = list(engine.screen_at(script, WHATSAPP, node, step, CLOSED).listed)
    danger = script.roles["danger"]
    if listed and not any(c.action == GO and c.target == danger for c in listed):
        always = engine.screen_at(script, WHATSAPP, node, step, CLOSED).open
        listed += [c for c in always if c.always and c.action == GO and c.target == danger][:1]
    if not listed:
        return "it lists no choices"
    if not any(c.action == GO and c.target == danger for c in listed):
        return "it has no danger choice to add"
    if len(listed) > LIST_ITEMS:
        return f"it lists {len(listed)} choices, and a list holds {LIST_ITEMS}"
    kind = BUTTONS_KIND if len(listed) <= BUTTONS else LIST
    most = BUTTON_CHARS if kind == BUTTONS_KIND else ITEM_CHARS
    for choice in listed:
        if not choice.label or len(choice.label) > most:
            what = "buttons" if kind == BUTTONS_KIND else "list items"
            return (
                f"the label '{choice.label}' has {len(choice.label)} characters, and "
                f"{what} hold {most}"
            )
    items = tuple(_item(script, c, kind) for c in listed)
    button = script.phrase("tap_button", WHATSAPP) if kind == LIST else ""
    if len(button) > BUTTON_CHARS:
        return f"the tap_button phrase has {len(button)} characters, and a button holds 20"
    for item in items:
        if len(item.description) > DESCRIPTION_CHARS:
            return f"the line under '{item.label}' has more than {DESCRIPTION_CHARS} characters"
    return Menu(kind, items, button)


def _item(script: Script, choice: Choice, kind: str) -> Item:
    if kind == BUTTONS_KIND:
        return Item(ref(choice), choice.label)
    said = script.phrase("tap_description", WHATSAPP)
    line = said.format(label=choice.label, key=choice.key or "", keyword=choice.keyword)
    return Item(ref(choice), choice.label, line)


def menus(script: Script) -> dict[Menu, list[tuple[str, int]]]:
    """Every tappable menu of a script, with the points that show it: one template each."""
    found: dict[Menu, list[tuple[str, int]]] = {}
    for node in script.nodes.values():
        for step in range(engine.count_parts(script, WHATSAPP, node)):
            menu = plan(script, node.id, step)
            if isinstance(menu, Menu):
                found.setdefault(menu, []).append((node.id, step))
    return found


def to_tap(script: Script, reply: Reply) -> tuple[str, Menu] | None:
    """A WhatsApp reply as its words and the menu to tap below them (the menu stands for
    the numbered list the reply ends with), or None when it must go as numbered text:
    no menu to tap at its point, or words too long for a template's body."""
    state = reply.state
    node = script.nodes.get(state.node)
    if reply.ends or node is None or state.channel != WHATSAPP:
        return None
    menu = plan(script, state.node, state.step)
    if not isinstance(menu, Menu):
        return None
    listing = engine.screen_at(script, WHATSAPP, node, state.step, CLOSED).listing
    paragraphs = reply.paragraphs
    if not listing or paragraphs[-len(listing) :] != listing:
        return None  # not a reply that ends with this point's list
    # A reply that is only the list (the menu asked for again) keeps its first line above
    # the menu: a template's body is never empty.
    body = "\n\n".join(paragraphs[: -len(listing)]) or listing[0].split("\n")[0]
    return (body, menu) if body and len(body) <= BODY_CHARS else None
