"""The checks behind `ivr validate`: is this script safe and sound to put on a helpline?

`check(path)` loads a script and returns every Problem found: errors (the script must
not be served), warnings (worth fixing) and info lines (the SMS segment count of each
reply). The structural checks live in the loader; these are the ones that need the
whole script: where options lead, the safety rules, and what callers and texters will
actually hear and read, measured through the engine itself.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ivr import engine, gsm7
from ivr.errors import ERROR, INFO, WARNING, Problem, ScriptError
from ivr.loader import load_script
from ivr.matching import RESERVED_WORDS, normalise
from ivr.script import (
    CHANNELS,
    DIAL,
    GO,
    MENU,
    OPTIONAL_ROLES,
    REQUIRED_ROLES,
    SMS,
    STEPS,
    VOICE,
    Node,
    Option,
    Script,
    Text,
)
from ivr.spoken import addresses, seconds_to_say

MAX_SPOKEN_SECONDS = 30
MAX_SMS_SEGMENTS = 4
EMERGENCY_NUMBERS = {"999", "112", "911"}
# Words that would tell someone glancing at a lock screen what the message is about.
TELLTALE_WORDS = (
    "intimate", "nude", "naked", "sex", "porn", "explicit", "extortion", "blackmail",
    "revenge", "abuse", "photo", "image", "video",
)  # fmt: skip
LOCK_SCREEN_CHARS = 160
VOICE_NAME = re.compile(r"^(Polly|Google)\.[A-Za-z0-9-]+$")


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of checking one file."""

    path: str
    problems: tuple[Problem, ...]
    script: Script | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def info(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == INFO]

    @property
    def ok(self) -> bool:
        return not self.errors


def check(path: str | Path) -> Report:
    """Load and lint one script file; never raises for a bad script."""
    try:
        script = load_script(path)
    except ScriptError as exc:
        return Report(str(path), tuple(exc.problems))
    return Report(str(path), tuple(lint(script)), script)


def lint(script: Script) -> list[Problem]:
    found = _Linter(script)
    found.run()
    return found.problems


class _Linter:
    def __init__(self, script: Script):
        self.s = script
        self.problems: list[Problem] = []

    def add(self, line, node, message, fix="", severity=ERROR):
        self.problems.append(Problem(self.s.path, line, node, message, fix, severity))

    def run(self) -> None:
        self.roles()
        self.targets()
        if any(p.severity == ERROR for p in self.problems):
            return  # the rest walks the graph and would only repeat these
        self.ways_on()
        self.reachable()
        self.keys_and_words()
        self.main_menu()
        self.danger_everywhere()
        self.dial_targets()
        self.safety_phrases()
        self.sms_text()
        self.links()
        self.voice()

    # -- the graph --------------------------------------------------------------------

    def roles(self) -> None:
        line = self.s.line_of.get("roles")
        for role in REQUIRED_ROLES:
            if role not in self.s.roles:
                self.add(
                    line,
                    None,
                    f"The script has no '{role}' role.",
                    f"Under roles:, add '{role}: <node id>' naming the node that plays it.",
                )
        for role, node_id in self.s.roles.items():
            if node_id not in self.s.nodes:
                self.add(
                    line,
                    None,
                    f"The role '{role}' names '{node_id}', which is not a node.",
                    self._did_you_mean(node_id),
                )
        main = self.s.roles.get("main")
        if main in self.s.nodes and self.s.nodes[main].kind != MENU:
            self.add(
                self.s.nodes[main].line,
                main,
                "The main role must be a menu node.",
                "Give it options:.",
            )

    def targets(self) -> None:
        for node in self.s.nodes.values():
            for i, option in enumerate(node.options, 1):
                self._target(option.target, option, option.line, node.id, f"Option {i}")
            if node.next is not None and node.next not in self.s.nodes:
                self.add(
                    node.line,
                    node.id,
                    f"Its next: goes to '{node.next}', which is not a node in this script.",
                    self._did_you_mean(node.next),
                )
        for i, option in enumerate(self.s.globals, 1):
            self._target(option.target, option, option.line, None, f"Global option {i}")

    def _target(self, target, option: Option, line, node_id, what) -> None:
        if option.action == GO and target not in self.s.nodes:
            self.add(
                line,
                node_id,
                f"{what} goes to '{target}', which is not a node in this script.",
                self._did_you_mean(target),
            )

    def _did_you_mean(self, missing: str) -> str:
        close = difflib.get_close_matches(missing, list(self.s.nodes), n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        return (
            f"{hint}Use one of the node ids ({', '.join(self.s.nodes)}), or add a node '{missing}'."
        )

    def ways_on(self) -> None:
        for node in self.s.nodes.values():
            if node.kind == MENU and not node.options:
                self.add(
                    node.line,
                    node.id,
                    "This menu has no options of its own, so it is a dead end.",
                    "Give it at least one option that leads on.",
                )
            if node.kind == STEPS and node.next is None:
                self.add(
                    node.line,
                    node.id,
                    "This steps node has no way on after its last step.",
                    "Add next: <node id>, usually the main menu.",
                )

    def reachable(self) -> None:
        start = self.s.roles["main"]
        seen, todo = {start}, [start]
        global_targets = [o.target for o in self.s.globals if o.action == GO]
        while todo:
            node = self.s.nodes[todo.pop()]
            leads = [o.target for o in node.options if o.action == GO] + global_targets
            leads += [node.next] if node.next else []
            for target in leads:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        for node_id, node in self.s.nodes.items():
            if node_id not in seen:
                self.add(
                    node.line,
                    node_id,
                    "Nothing leads to this node, so nobody can reach it.",
                    "Add an option that goes to it, or remove it.",
                )

    # -- keys and words ---------------------------------------------------------------

    def keys_and_words(self) -> None:
        global_keys = {o.key: o for o in self.s.globals if o.key}
        global_words = {normalise(o.keyword): o for o in self.s.globals}
        control = self.s.next_control
        if control.key in global_keys:
            self.add(
                control.line,
                None,
                f"next uses key {control.key}, which a global option already uses.",
                "Give next a key of its own.",
            )
        seen_global: dict[str, Option] = {}
        for option in self.s.globals:
            if option.key and option.key in seen_global:
                self.add(
                    option.line,
                    None,
                    f"Two global options use key {option.key}.",
                    "Give each its own key.",
                )
            seen_global[option.key] = option
        for option in (*self.s.globals, *[o for n in self.s.nodes.values() for o in n.options]):
            for word in option.words:
                if normalise(word) in RESERVED_WORDS:
                    self.add(
                        option.line,
                        None,
                        f"'{word}' is a word Twilio answers itself (opt-out, opt-in or help), "
                        "so it never reaches this script.",
                        "Choose another word.",
                    )
        for node in self.s.nodes.values():
            keys: dict[str, Option] = {}
            words: dict[str, Option] = {}
            for i, option in enumerate(node.options, 1):
                if option.key:
                    if option.key in keys:
                        self.add(
                            option.line,
                            node.id,
                            f"Option {i} uses key {option.key}, which an earlier option uses.",
                            "Give each option its own key.",
                        )
                    if option.key in global_keys:
                        self.add(
                            option.line,
                            node.id,
                            f"Option {i} uses key {option.key}, which is the global key for "
                            f"'{global_keys[option.key].label.voice}'.",
                            "Choose a key that no global option uses.",
                        )
                    keys[option.key] = option
                word = normalise(option.keyword)
                if word in words and words[word].target != option.target:
                    self.add(
                        option.line,
                        node.id,
                        f"Option {i} has the keyword {option.keyword}, which an earlier "
                        "option uses for somewhere else.",
                        "Use a different keyword.",
                    )
                clash = global_words.get(word)
                if clash and clash.target != option.target:
                    self.add(
                        option.line,
                        node.id,
                        f"Option {i} has the keyword {option.keyword}, which is a global keyword.",
                        "Use a different keyword.",
                    )
                words[word] = option
        self._shared_synonyms()

    def _shared_synonyms(self) -> None:
        """Words that work from anywhere should mean one thing."""
        meaning: dict[str, tuple[str | None, Option]] = {}
        for option in (*self.s.globals, *self.s.main.options):
            for word in option.words:
                norm = normalise(word)
                earlier = meaning.get(norm)
                if earlier and (earlier[0], earlier[1].action) != (option.target, option.action):
                    self.add(
                        option.line,
                        None,
                        f"'{word}' leads to two places ('{earlier[0]}' and '{option.target}'), "
                        "so it is unclear which one a person means.",
                        "Keep it in one option only.",
                        WARNING,
                    )
                meaning.setdefault(norm, (option.target, option))

    # -- the safety rules -------------------------------------------------------------

    def main_menu(self) -> None:
        main = self.s.main
        direct = {o.target for o in main.options if o.action == GO}
        globally = {o.target for o in self.s.globals if o.action == GO}
        for role in ("clicked_link", "under_18"):
            if self.s.roles.get(role) not in direct:
                self.add(
                    main.line,
                    main.id,
                    f"The main menu has no option for the '{role}' node "
                    f"('{self.s.roles.get(role)}').",
                    "Add a press-N option that goes to it.",
                )
        if self.s.roles["danger"] not in direct | globally:
            self.add(
                main.line,
                main.id,
                "The main menu has no option for immediate danger.",
                "Add a global option (or a main-menu option) that goes to the danger node.",
            )
        for role in OPTIONAL_ROLES:
            if role in self.s.roles and self.s.roles[role] not in direct:
                self.add(
                    main.line,
                    main.id,
                    f"The main menu has no option for the '{role}' node ('{self.s.roles[role]}').",
                    "Add an option for it, or remove the role.",
                )

    def danger_everywhere(self) -> None:
        danger = self.s.roles["danger"]
        for node in self.s.nodes.values():
            if node.id == danger:
                continue
            for channel in CHANNELS:
                choices = [o for o in (*node.options, *self.s.globals) if channel in o.channels]
                if not any(o.action == GO and o.target == danger for o in choices):
                    self.add(
                        node.line,
                        node.id,
                        f"On {channel}, the danger node '{danger}' is not one choice away here.",
                        "Offer danger as a global option on every channel, or add an option.",
                    )

    def dial_targets(self) -> None:
        for node_id, option in self._all_options():
            if option.action != DIAL:
                continue
            digits = re.sub(r"\D", "", option.dial or "")
            national = [digits] + [
                digits[len(p) :] for p in ("0044", "44", "001", "1", "00") if digits.startswith(p)
            ]
            if EMERGENCY_NUMBERS & set(national):
                self.add(
                    option.line,
                    node_id,
                    f"This option dials {option.dial}, an emergency number. A bridged call "
                    "would give the emergency service the helpline's address, not the caller's.",
                    "Remove it: tell callers to hang up and dial 999 themselves.",
                )
            elif not re.fullmatch(r"\+?\d{3,15}", re.sub(r"[\s()-]", "", option.dial or "")):
                self.add(
                    option.line,
                    node_id,
                    f"'{option.dial}' is not a phone number Twilio can dial.",
                    "Write it in international format, for example +443456000459.",
                )

    def safety_phrases(self) -> None:
        line = self.s.line_of.get("phrases")
        for channel in CHANNELS:
            if "999" not in self.s.phrase("danger_line", channel):
                self.add(
                    self.s.phrases["danger_line"].line or line,
                    None,
                    f"The danger_line ({channel}) does not mention 999.",
                    "Every conversation opens by telling people in immediate danger to call 999.",
                )
        goodbye = self.s.phrase("goodbye", VOICE)
        for needed in ("999", "116 123"):
            if needed not in goodbye:
                self.add(
                    self.s.phrases["goodbye"].line or line,
                    None,
                    f"The goodbye does not mention {needed}.",
                    "The goodbye repeats 999 and Samaritans 116 123 before the call ends.",
                )
        for what, reply in engine.every_reply(self.s, SMS):
            if not what.startswith("the opening"):
                continue
            preview = reply.text[:LOCK_SCREEN_CHARS].lower()
            telltale = [w for w in TELLTALE_WORDS if re.search(rf"\b{w}", preview)]
            if telltale:
                self.add(
                    self.s.phrases["first_line"].line,
                    None,
                    f"The start of {what} (what a lock screen shows) says "
                    f"{', '.join(repr(w) for w in telltale)}.",
                    "Keep the first lines discreet: move those words further down.",
                )

    # -- what texters read ------------------------------------------------------------

    def sms_text(self) -> None:
        for node_id, what, text in self._texts():
            bad = gsm7.not_gsm7(gsm7.plain(text.sms))
            if bad:
                self.add(
                    text.line,
                    node_id,
                    f"{what} has characters that SMS cannot send in GSM-7: {gsm7.describe(bad)}. "
                    "One such character makes every reply cost more than twice as much.",
                    "Replace or remove them.",
                )
        for what, reply in engine.every_reply(self.s, SMS):
            count = gsm7.segments(reply.text)
            node = reply.state.node if what.startswith("node") else None
            line = self.s.nodes[reply.state.node].line if node else None
            if count > MAX_SMS_SEGMENTS:
                self.add(
                    line,
                    node,
                    f"The SMS reply for {what} takes {count} segments "
                    f"(at most {MAX_SMS_SEGMENTS}).",
                    "Shorten its text, labels or phrases.",
                )
            elif "after a picture" not in what:
                self.add(
                    line,
                    node,
                    f"SMS: {what} is {count} segment{'s' if count > 1 else ''}.",
                    severity=INFO,
                )

    def links(self) -> None:
        allowed = self.s.links
        for url in allowed:
            if not url.startswith("https://"):
                self.add(
                    self.s.line_of.get("links"),
                    None,
                    f"The allow-list has '{url}', which is not an https link.",
                    "Use the https:// address.",
                )
        hosts = {_host(u) for u in allowed}
        for node_id, what, text in self._texts():
            for channel in CHANNELS:
                for address in addresses(text.on(channel)):
                    self._link(address, channel, node_id, what, text.line, allowed, hosts)

    def _link(self, address, channel, node_id, what, line, allowed, hosts) -> None:
        has_scheme = re.match(r"^https?://", address, re.IGNORECASE)
        if has_scheme and not address.lower().startswith("https://"):
            self.add(
                line,
                node_id,
                f"{what} links to {address}, which is not https.",
                "Use the https:// address.",
            )
        elif channel == SMS and not has_scheme:
            self.add(
                line,
                node_id,
                f"{what} (sms) mentions {address} without https://, so the phone may open it "
                "insecurely or not at all.",
                "Write the full https:// link.",
            )
        elif has_scheme and not any(
            address == a or address.startswith(a.rstrip("/") + "/") for a in allowed
        ):
            self.add(
                line,
                node_id,
                f"{what} links to {address}, which is not on the allow-list.",
                "Add it under links: (after checking it), or remove it.",
            )
        elif not has_scheme and _host(address) not in hosts:
            self.add(
                line,
                node_id,
                f"{what} names the website {address}, which is not on the allow-list.",
                "Add its https:// address under links:.",
            )

    # -- what callers hear ------------------------------------------------------------

    def voice(self) -> None:
        if not VOICE_NAME.match(self.s.voice.name):
            self.add(
                self.s.voice.line,
                None,
                f"The voice '{self.s.voice.name}' is not a Polly or Google voice name.",
                "Use for example Polly.Amy-Neural or Google.en-GB-Neural2-A.",
                WARNING,
            )
        if not self.s.voice.language.startswith("en-GB"):
            self.add(
                self.s.voice.line,
                None,
                f"The voice language is {self.s.voice.language}, not British English.",
                "Use en-GB unless the script is in another language.",
                WARNING,
            )
        reported = set()
        for what, reply in engine.every_reply(self.s, VOICE):
            node = reply.state.node if what.startswith("node") else None
            line = self.s.nodes[reply.state.node].line if node else None
            for paragraph in reply.paragraphs:
                seconds = seconds_to_say(paragraph)
                if seconds > MAX_SPOKEN_SECONDS and paragraph not in reported:
                    reported.add(paragraph)
                    self.add(
                        line,
                        node,
                        f"In {what}, one part takes about {seconds:.0f} seconds to say "
                        f'(more than {MAX_SPOKEN_SECONDS}): "{paragraph[:60]}..."',
                        "Split it with a blank line into shorter paragraphs, or shorten it.",
                    )
        spoken = {w.lower() for w in self.s.pronounce}
        for node_id, what, text in self._texts():
            for address in addresses(text.voice):
                if address.lower() not in spoken:
                    self.add(
                        text.line,
                        node_id,
                        f"{what} (voice) has the address {address} with no pronunciation, "
                        "so it will be read as one long word.",
                        f"Add it under pronounce:, e.g. {address}: words as they are said.",
                        WARNING,
                    )

    # -- walking the script -----------------------------------------------------------

    def _all_options(self) -> Iterator[tuple[str | None, Option]]:
        for option in self.s.globals:
            yield None, option
        for node in self.s.nodes.values():
            for option in node.options:
                yield node.id, option

    def _texts(self) -> Iterator[tuple[str | None, str, Text]]:
        for name, text in self.s.phrases.items():
            yield None, f"The phrase '{name}'", text
        for i, option in enumerate(self.s.globals, 1):
            yield None, f"Global option {i}'s label", option.label
        control = self.s.next_control
        yield None, "next's label", control.label
        yield None, "next's last_label", control.last_label
        for node in self.s.nodes.values():
            yield from self._node_texts(node)

    def _node_texts(self, node: Node) -> Iterator[tuple[str | None, str, Text]]:
        if node.text:
            yield node.id, "The node's text", node.text
        if node.counter:
            yield node.id, "The node's counter", node.counter
        for i, step in enumerate(node.steps, 1):
            yield node.id, f"Step {i}", step
        for i, option in enumerate(node.options, 1):
            yield node.id, f"Option {i}'s label", option.label


def _host(address: str) -> str:
    host = re.sub(r"^https?://", "", address, flags=re.IGNORECASE).split("/")[0].lower()
    return host.removeprefix("www.")
