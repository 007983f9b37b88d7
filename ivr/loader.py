"""Loading a YAML script file into the `ivr.script` model.

The YAML is read with PyYAML's SafeLoader (never the unsafe one), extended only to
remember line numbers and to refuse duplicate keys, which plain YAML silently lets the
last one win. Every problem is collected and reported together as a ScriptError whose
messages name the file, the line, the node and the fix.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import yaml

from ivr.errors import Problem, ScriptFormatError, ScriptSyntaxError
from ivr.handoff_reader import read_text_me, read_transfers
from ivr.script import (
    ANNOUNCE_EVERYWHERE,
    ANNOUNCE_MAIN,
    CHANNELS,
    DEFAULT_LIMITS,
    DIAL,
    GO,
    OPTIONAL_PHRASES,
    PHRASES,
    REPEAT,
    ROLES,
    SEND_TEXT,
    SMS,
    TEXT_ME,
    TRANSFER,
    VOICE,
    VOICE_ONLY_ACTIONS,
    Limits,
    NextControl,
    Node,
    Option,
    Script,
    Source,
    Text,
    VoiceSettings,
)

FORMAT_VERSION = 1
KEYS = tuple("0123456789*#")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KEYWORD_PATTERN = re.compile(r"^[A-Za-z0-9]+$")


class _Map(dict):
    """A YAML mapping that remembers where it and each of its keys were written."""

    line = 0
    key_lines: dict


class _List(list):
    """A YAML sequence that remembers where it and each of its items were written."""

    line = 0
    item_lines: list


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


# What `_Reader.require` returns for an absent field: already reported, so the readers
# below turn it into None without a second message.
_MISSING = object()


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    mapping = _Map()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            )
        if key in mapping:
            raise _DuplicateKey(
                "while reading a mapping",
                node.start_mark,
                f"the key '{key}' appears twice (first on line {mapping.key_lines[key]}); "
                "YAML would silently keep only the last one",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> _List:
    items = _List(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)


def load_script(path: str | Path) -> Script:
    """Read and check the structure of one script file. Raises ScriptError."""
    path = Path(path)
    shown = str(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScriptFormatError(
            [Problem(shown, None, None, "There is no such file.", "Check the path.", code="F002")]
        ) from None
    except UnicodeDecodeError as exc:
        raise ScriptFormatError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    f"The file is not UTF-8 text ({exc.reason}).",
                    "Save it as UTF-8.",
                    code="F002",
                )
            ]
        ) from None
    return parse_script(source, shown)


def parse_script(source: str, path: str = "<script>") -> Script:
    """Build a Script from YAML text; `path` is used in messages."""
    try:
        data = yaml.load(source, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ScriptSyntaxError(
            [Problem(path, line, None, _yaml_message(exc), _yaml_fix(exc), code="F001")]
        ) from None
    except yaml.YAMLError as exc:
        problem = Problem(
            path, 1, None, f"This is not valid YAML: {exc}.", "Save it as YAML text.", code="F001"
        )
        raise ScriptSyntaxError([problem]) from None
    return _Reader(path).script(data)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "something is wrong").rstrip(".")
    return f"This is not valid YAML: {problem}."


def _yaml_fix(exc: yaml.MarkedYAMLError) -> str:
    if isinstance(exc, _DuplicateKey):
        return "Remove or rename one of the two."
    problem = f"{exc.context or ''} {exc.problem or ''}"
    if "alias" in problem or "anchor" in problem:
        return 'Put quotes around values that start with * or &, for example key: "*".'
    if "mapping values are not allowed" in problem:
        return "A text containing ': ' needs quotes, or write it as a block with |."
    if "indent" in problem or "expected <block end>" in problem:
        return "Check the indentation: items of one list or mapping line up exactly."
    return "Check the line shown and the one above it."


class _Reader:
    """Walks the parsed YAML, building model objects and collecting problems."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    # -- reporting ---------------------------------------------------------------------

    def problem(
        self, code: str, line: int | None, node: str | None, message: str, fix: str
    ) -> None:
        self.problems.append(Problem(self.path, line, node, message, fix, code=code))

    def known_keys(self, data: _Map, allowed: tuple[str, ...], what: str, node=None) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = (
                    f"Did you mean '{close[0]}'? Rename it, or remove it."
                    if close
                    else f"Remove it, or use a field the format knows: {', '.join(allowed)}."
                )
                self.problem(
                    "F004",
                    data.key_lines.get(key, data.line),
                    node,
                    f"{what} has a field '{key}' that the script format does not know.",
                    hint,
                )

    def mapping(self, value: Any, line: int, what: str, node=None) -> _Map | None:
        if value is _MISSING:
            return None
        if isinstance(value, _Map):
            return value
        self.problem(
            "F003", line, node, f"{what} should be a mapping of names to values.", _got(value)
        )
        return None

    def items(self, value: Any, line: int, what: str, node=None) -> _List:
        if isinstance(value, _List):
            return value
        self.problem(
            "F003", line, node, f"{what} should be a list (lines starting with '- ').", _got(value)
        )
        empty = _List()
        empty.item_lines = []
        return empty

    def string(self, value: Any, line: int, what: str, node=None) -> str | None:
        if value is _MISSING:
            return None
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, str):
            self.problem(
                "F006", line, node, f"{what} is empty.", "Write something, or remove the field."
            )
        elif isinstance(value, bool):
            self.problem(
                "F007",
                line,
                node,
                f"{what} was read as true/false, not as words.",
                "YAML reads yes, no, on and off as true/false: put the value in quotes.",
            )
        else:
            self.problem("F003", line, node, f"{what} should be text.", _got(value))
        return None

    def require(self, data: _Map, key: str, what: str, node=None) -> Any:
        if key not in data:
            self.problem(
                "F005", data.line, node, f"{what} is missing the field '{key}'.", f"Add '{key}:'."
            )
            return _MISSING
        return data[key]

    # -- the script --------------------------------------------------------------------

    TOP = (
        "format",
        "id",
        "title",
        "language",
        "voice",
        "max_retries",
        "sources",
        "links",
        "pronounce",
        "roles",
        "phrases",
        "globals",
        "next",
        "nodes",
        "transfers",
        "text_me",
        "limits",
    )

    def script(self, data: Any) -> Script:
        if not isinstance(data, _Map):
            self.problem("F003", 1, None, "A script file should be a YAML mapping.", _got(data))
            raise ScriptFormatError(self.problems)
        self.known_keys(data, self.TOP, "The script")
        fmt = data.get("format")
        if fmt != FORMAT_VERSION:
            self.problem(
                "F008",
                data.key_lines.get("format", 1),
                None,
                f"The script says format {fmt!r}; this version reads format {FORMAT_VERSION}.",
                f"Start the file with 'format: {FORMAT_VERSION}'.",
            )
        lines = data.key_lines
        script_id = self.string(self.require(data, "id", "The script"), lines.get("id", 1), "id")
        if script_id and not ID_PATTERN.match(script_id):
            self.problem(
                "F009",
                lines["id"],
                None,
                f"The id '{script_id}' has characters that cannot go in a web address.",
                "Use lower-case letters, digits, '-' and '_'.",
            )
        title = self.string(
            self.require(data, "title", "The script"), lines.get("title", 1), "title"
        )
        language = self.string(
            self.require(data, "language", "The script"), lines.get("language", 1), "language"
        )
        voice = self.voice(self.require(data, "voice", "The script"), lines.get("voice", 1))
        max_retries = data.get("max_retries", 2)
        if (
            not isinstance(max_retries, int)
            or isinstance(max_retries, bool)
            or not (0 <= max_retries <= 5)
        ):
            self.problem(
                "F010",
                lines.get("max_retries"),
                None,
                "max_retries should be a whole number from 0 to 5.",
                "Two re-prompts is usual: 'max_retries: 2'.",
            )
            max_retries = 2
        sources = self.sources(data.get("sources"), lines.get("sources", 1))
        links = self.links(data.get("links"), lines.get("links", 1))
        pronounce = self.pronounce(data.get("pronounce"), lines.get("pronounce", 1))
        roles = self.roles(self.require(data, "roles", "The script"), lines.get("roles", 1))
        phrases = self.phrases(self.require(data, "phrases", "The script"), lines.get("phrases", 1))
        globals_ = tuple(
            self.option(item, line, f"Global option {i + 1}", None)
            for i, (item, line) in enumerate(
                _with_lines(
                    self.items(data.get("globals", _List()), lines.get("globals", 1), "globals")
                )
            )
        )
        next_control = self.next_control(
            self.require(data, "next", "The script"), lines.get("next", 1)
        )
        nodes = self.nodes(self.require(data, "nodes", "The script"), lines.get("nodes", 1))
        transfers = read_transfers(self, data.get("transfers"), lines.get("transfers", 1))
        text_me = read_text_me(self, data.get("text_me"), lines.get("text_me", 1))
        limits = self.limits(data.get("limits"), lines.get("limits", 1))
        if self.problems:
            raise ScriptFormatError(self.problems)
        return Script(
            id=script_id,
            title=title,
            path=self.path,
            language=language,
            voice=voice,
            max_retries=max_retries,
            roles=MappingProxyType(roles),
            phrases=MappingProxyType(phrases),
            globals=tuple(g for g in globals_ if g is not None),
            next_control=next_control,
            nodes=MappingProxyType(nodes),
            links=links,
            pronounce=MappingProxyType(pronounce),
            sources=sources,
            limits=limits,
            line_of=MappingProxyType(dict(lines)),
            transfers=MappingProxyType(transfers),
            text_me=text_me,
        )

    def voice(self, value: Any, line: int) -> VoiceSettings | None:
        data = self.mapping(value, line, "voice")
        if data is None:
            return None
        self.known_keys(data, ("name", "language", "wait_seconds", "key_names"), "voice")
        name = self.string(self.require(data, "name", "voice"), data.line, "voice name")
        language = self.string(self.require(data, "language", "voice"), data.line, "voice language")
        wait = data.get("wait_seconds", 6)
        if not isinstance(wait, int) or isinstance(wait, bool) or not (2 <= wait <= 20):
            self.problem(
                "F010",
                data.key_lines.get("wait_seconds"),
                None,
                "voice wait_seconds should be a whole number of seconds from 2 to 20.",
                "Six seconds gives a frightened caller time to find the key.",
            )
            wait = 6
        names_line = data.key_lines.get("key_names", data.line)
        names = self.mapping(self.require(data, "key_names", "voice"), names_line, "key_names")
        key_names = {}
        for key in ("*", "#"):
            if names is None:
                break
            spoken = names.get(key)
            if not isinstance(spoken, str) or not spoken.strip():
                self.problem(
                    "F005",
                    names_line,
                    None,
                    f"voice key_names does not say how to speak the '{key}' key.",
                    'Add for example key_names: {"*": star, "#": hash}.',
                )
            else:
                key_names[key] = spoken.strip()
        return VoiceSettings(name, language, wait, MappingProxyType(key_names), data.line)

    def sources(self, value: Any, line: int) -> tuple[Source, ...]:
        if value is None:
            self.problem(
                "F014",
                line,
                None,
                "The script has no 'sources' list.",
                "List where each number, hour and fact comes from (fact: and source:).",
            )
            return ()
        found = []
        for item, item_line in _with_lines(self.items(value, line, "sources")):
            data = self.mapping(item, item_line, "A source")
            if data is None:
                continue
            self.known_keys(data, ("fact", "source"), "A source")
            fact = self.string(self.require(data, "fact", "A source"), data.line, "A source's fact")
            where = self.string(
                self.require(data, "source", "A source"), data.line, "A source's source"
            )
            if fact and where:
                found.append(Source(fact, where, data.line))
        return tuple(found)

    def links(self, value: Any, line: int) -> tuple[str, ...]:
        if value is None:
            return ()
        found = []
        for item, item_line in _with_lines(self.items(value, line, "links")):
            url = self.string(item, item_line, "A link in the allow-list")
            if url:
                found.append(url)
        return tuple(found)

    def pronounce(self, value: Any, line: int) -> dict[str, str]:
        if value is None:
            return {}
        data = self.mapping(value, line, "pronounce")
        if data is None:
            return {}
        found = {}
        for written, spoken in data.items():
            key_line = data.key_lines[written]
            if not isinstance(written, str | int):
                self.problem(
                    "F003",
                    key_line,
                    None,
                    "A pronounce entry should start with the written words.",
                    "Write it as: written words: how they are said.",
                )
                continue
            said = self.string(spoken, key_line, f"How to say '{written}'")
            if said:
                found[str(written)] = said
        return found

    def roles(self, value: Any, line: int) -> dict[str, str]:
        data = self.mapping(value, line, "roles")
        if data is None:
            return {}
        self.known_keys(data, ROLES, "roles")
        found = {}
        for role, target in data.items():
            node_id = self.string(target, data.key_lines[role], f"The role '{role}'")
            if node_id and role in ROLES:
                found[role] = node_id
        return found

    def phrases(self, value: Any, line: int) -> dict[str, Text]:
        data = self.mapping(value, line, "phrases")
        if data is None:
            return {}
        self.known_keys(data, tuple(PHRASES), "phrases")
        found = {}
        for name, (needed_on, placeholders) in PHRASES.items():
            if name not in data and name in OPTIONAL_PHRASES:
                found[name] = OPTIONAL_PHRASES[name]
                continue
            if name not in data:
                self.problem(
                    "F012",
                    data.line,
                    None,
                    f"phrases is missing '{name}'.",
                    f"Add '{name}:' (see docs/script-format.md for what it is for).",
                )
                continue
            text = self.text(
                data[name], data.key_lines[name], f"The phrase '{name}'", None, optional=True
            )
            if text is None:
                continue
            for channel in needed_on:
                if not text.on(channel):
                    self.problem(
                        "F012",
                        text.line,
                        None,
                        f"The phrase '{name}' says nothing on {channel}, where it is used.",
                        f"Give it a {channel} version.",
                    )
            for channel in CHANNELS:
                for placeholder in re.findall(r"\{([^{}]*)\}", text.on(channel)):
                    if placeholder not in placeholders:
                        allowed = ", ".join("{" + p + "}" for p in placeholders) or "none"
                        self.problem(
                            "F011",
                            text.line,
                            None,
                            f"The phrase '{name}' uses {{{placeholder}}}, which it cannot fill in.",
                            f"Placeholders allowed here: {allowed}.",
                        )
            found[name] = text
        return found

    def text(
        self, value: Any, line: int, what: str, node: str | None, optional: bool = False
    ) -> Text | None:
        """A string shared by both channels, or {text:, voice:, sms:} with overrides."""
        if value is _MISSING:
            return None
        if isinstance(value, str):
            words = value.strip()
            if not words and not optional:
                self.problem(
                    "F006", line, node, f"{what} is empty.", "Write the words, or remove it."
                )
                return None
            return Text(words, words, line)
        if isinstance(value, _Map):
            self.known_keys(value, ("text", "voice", "sms"), what, node)
            shared = value.get("text")
            versions = {}
            for channel in CHANNELS:
                chosen = value.get(channel, shared)
                if chosen is None:
                    self.problem(
                        "F006",
                        value.line,
                        node,
                        f"{what} has no {channel} version.",
                        f"Add 'text:' for both channels, or '{channel}:' ('' for nothing).",
                    )
                    return None
                if not isinstance(chosen, str):
                    self.problem(
                        "F003",
                        value.line,
                        node,
                        f"{what} ({channel}) should be text.",
                        _got(chosen),
                    )
                    return None
                versions[channel] = chosen.strip()
            if not optional and not any(versions.values()):
                self.problem(
                    "F006",
                    value.line,
                    node,
                    f"{what} is empty on both channels.",
                    "Write the words.",
                )
                return None
            return Text(versions[VOICE], versions[SMS], value.line)
        if isinstance(value, bool):
            self.problem(
                "F007",
                line,
                node,
                f"{what} was read as true/false, not as words.",
                "YAML reads yes, no, on and off as true/false: put the words in quotes.",
            )
            return None
        self.problem("F003", line, node, f"{what} should be text.", _got(value))
        return None

    OPTION_FIELDS = (
        "key",
        "keyword",
        "synonyms",
        "label",
        "target",
        "action",
        "dial",
        "transfer",
        "channels",
        "announce",
    )

    def option(self, value: Any, line: int, what: str, node: str | None) -> Option | None:
        data = self.mapping(value, line, what, node)
        if data is None:
            return None
        self.known_keys(data, self.OPTION_FIELDS, what, node)
        before = len(self.problems)
        lines = data.key_lines
        label = self.text(
            self.require(data, "label", what, node),
            lines.get("label", data.line),
            f"{what}'s label",
            node,
        )
        keyword = self.keyword(
            self.require(data, "keyword", what, node), lines.get("keyword", data.line), what, node
        )
        synonyms = self.synonyms(data.get("synonyms"), lines.get("synonyms", data.line), what, node)
        channels = self.channels(data.get("channels"), lines.get("channels", data.line), what, node)
        key = None
        if "key" in data:
            key = self.key(data["key"], lines["key"], what, node)
        elif VOICE in channels:
            self.problem(
                "V005",
                data.line,
                node,
                f"{what} has no key, so a caller cannot press for it.",
                'Add key: "1" (or another key), or channels: [sms] if it is for texts only.',
            )
        action = data.get(
            "action", DIAL if "dial" in data else TRANSFER if "transfer" in data else GO
        )
        target = dial = transfer = None
        if action in (GO, TEXT_ME):
            target = self.string(
                self.require(data, "target", what, node),
                lines.get("target", data.line),
                f"{what}'s target",
                node,
            )
        elif action == DIAL:
            dial = self.string(
                self.require(data, "dial", what, node),
                lines.get("dial", data.line),
                f"{what}'s dial number",
                node,
            )
        elif action == TRANSFER:
            transfer = self.string(
                self.require(data, "transfer", what, node),
                lines.get("transfer", data.line),
                f"{what}'s transfer",
                node,
            )
        elif action not in (REPEAT, SEND_TEXT):
            self.problem(
                "F013",
                lines.get("action"),
                node,
                f"{what} has action '{action}', which the script format does not know.",
                "Use repeat, text_me or send_text, or leave action out and give a target: "
                "(or dial:, or transfer:).",
            )
        if action in VOICE_ONLY_ACTIONS and SMS in channels:
            channels = tuple(c for c in channels if c != SMS)  # a text cannot place a call
            if not channels:
                self.problem(
                    "F013",
                    lines.get("channels", data.line),
                    node,
                    f"{what} ({action}) works only on the phone, but is offered only by SMS.",
                    "Remove channels:, or make it channels: [voice].",
                )
        announce = self.announce(data.get("announce"), lines.get("announce"), what, node)
        if len(self.problems) > before:
            return None
        return Option(
            label,
            keyword,
            key,
            synonyms,
            action,
            target,
            dial,
            channels,
            data.line,
            transfer=transfer,
            announce=announce,
        )

    def announce(self, value: Any, line: int | None, what: str, node: str | None) -> str:
        if value is None:
            return ANNOUNCE_EVERYWHERE
        if node is not None:
            self.problem(
                "F013",
                line,
                node,
                f"{what} has announce:, which only a global option can have.",
                "Remove announce: here; a menu's own options are always announced.",
            )
        elif value not in (ANNOUNCE_EVERYWHERE, ANNOUNCE_MAIN):
            self.problem(
                "F013",
                line,
                node,
                f"{what} has announce: {value!r}, which the script format does not know.",
                f"Write announce: {ANNOUNCE_MAIN} (said only on the main menu) or leave it "
                f"out (said on every spoken menu).",
            )
        return value if value in (ANNOUNCE_EVERYWHERE, ANNOUNCE_MAIN) else ANNOUNCE_EVERYWHERE

    LIMIT_FIELDS: ClassVar[dict[str, str]] = {
        "words_per_minute": "words a minute the voice says",
        "danger_heard_within": "seconds into a call until the danger key has been said",
        "opening_within": "seconds the opening may last, menu included",
        "keys_per_menu": "keys a spoken menu may announce, 9, 0 and * included",
    }

    def limits(self, value: Any, line: int) -> Limits:
        """The script's own limits: each may be tighter than the default, never looser."""
        if value is None:
            return DEFAULT_LIMITS
        data = self.mapping(value, line, "limits")
        if data is None:
            return DEFAULT_LIMITS
        self.known_keys(data, tuple(self.LIMIT_FIELDS), "limits")
        chosen = {}
        for name, meaning in self.LIMIT_FIELDS.items():
            if name not in data:
                continue
            given, most = data[name], getattr(DEFAULT_LIMITS, name)
            where = data.key_lines[name]
            if not isinstance(given, int) or isinstance(given, bool) or given < 1:
                self.problem(
                    "F010",
                    where,
                    None,
                    f"limits {name} should be a whole number ({meaning}).",
                    f"Write a whole number no higher than {most}, or leave it out for {most}.",
                )
            elif given > most:
                self.problem(
                    "T104",
                    where,
                    None,
                    f"limits {name} is {given}, looser than the helpline's limit of {most} "
                    f"({meaning}). A script may tighten a limit, never loosen it.",
                    f"Write {most} or less, or leave it out; if the script breaks the limit, "
                    "shorten what is said instead.",
                )
            else:
                chosen[name] = given
        return Limits(**chosen, line=data.line)

    def key(self, value: Any, line: int, what: str, node: str | None) -> str | None:
        if value is _MISSING:
            return None
        key = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(key, str) and key in KEYS:
            return key
        self.problem(
            "F013",
            line,
            node,
            f"{what} has key {value!r}; a key is one of 0-9, * or #.",
            'Write one key in quotes, for example key: "1".',
        )
        return None

    def keyword(self, value: Any, line: int, what: str, node: str | None) -> str | None:
        word = self.string(value, line, f"{what}'s keyword", node)
        if word and not KEYWORD_PATTERN.match(word):
            self.problem(
                "F013",
                line,
                node,
                f"{what}'s keyword '{word}' is not a single word of letters and digits.",
                "People type keywords: keep them one short word, like CLICKED.",
            )
            return None
        return word

    def synonyms(self, value: Any, line: int, what: str, node: str | None) -> tuple[str, ...]:
        if value is None:
            return ()
        found = []
        for item, item_line in _with_lines(self.items(value, line, f"{what}'s synonyms", node)):
            item = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
            word = self.string(item, item_line, f"A synonym of {what}", node)
            if word:
                found.append(word)
        return tuple(found)

    def channels(self, value: Any, line: int, what: str, node: str | None) -> tuple[str, ...]:
        if value is None:
            return CHANNELS
        found = []
        for item, item_line in _with_lines(self.items(value, line, f"{what}'s channels", node)):
            if item in CHANNELS:
                found.append(item)
            else:
                self.problem(
                    "F013",
                    item_line,
                    node,
                    f"{what} names a channel '{item}'.",
                    "Channels are voice and sms.",
                )
        if value is not None and not found:
            self.problem(
                "F013", line, node, f"{what} is offered on no channel.", "List voice, sms or both."
            )
        return tuple(found)

    def next_control(self, value: Any, line: int) -> NextControl | None:
        data = self.mapping(value, line, "next")
        if data is None:
            return None
        self.known_keys(data, ("key", "keyword", "synonyms", "label", "last_label"), "next")
        before = len(self.problems)
        lines = data.key_lines
        key = self.key(self.require(data, "key", "next"), lines.get("key", data.line), "next", None)
        keyword = self.keyword(
            self.require(data, "keyword", "next"), lines.get("keyword", data.line), "next", None
        )
        synonyms = self.synonyms(
            data.get("synonyms"), lines.get("synonyms", data.line), "next", None
        )
        label = self.text(
            self.require(data, "label", "next"), lines.get("label", data.line), "next's label", None
        )
        last = self.text(
            self.require(data, "last_label", "next"),
            lines.get("last_label", data.line),
            "next's last_label",
            None,
        )
        if len(self.problems) > before:
            return None
        return NextControl(key, keyword, synonyms, label, last, data.line)

    NODE_FIELDS = ("text", "options", "steps", "next", "counter")

    def nodes(self, value: Any, line: int) -> dict[str, Node]:
        data = self.mapping(value, line, "nodes")
        if data is None:
            return {}
        found = {}
        for node_id, body in data.items():
            node_line = data.key_lines[node_id]
            if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
                self.problem(
                    "F009",
                    node_line,
                    str(node_id),
                    f"The node id '{node_id}' cannot be used.",
                    "Use lower-case letters, digits, '-' and '_', starting with a letter or digit.",
                )
                continue
            node = self.node(node_id, body, node_line)
            if node is not None:
                found[node_id] = node
        return found

    def node(self, node_id: str, value: Any, line: int) -> Node | None:
        data = self.mapping(value, line, f"The node '{node_id}'", node_id)
        if data is None:
            return None
        misspelt = len(self.problems)
        self.known_keys(data, self.NODE_FIELDS, "This node", node_id)
        misspelt = len(self.problems) > misspelt
        lines = data.key_lines
        has_options, has_steps = "options" in data, "steps" in data
        if has_options == has_steps and misspelt and not has_options:
            return None  # 'optons' is one mistake: the unknown field says it all
        if has_options == has_steps:
            self.problem(
                "G007",
                line,
                node_id,
                "A node needs either 'options' (a menu) or 'steps' (read one at a time); "
                + ("this one has both." if has_options else "this one has neither."),
                "Give a menu its options, or a steps node its steps and a next:.",
            )
            return None
        text = None
        if "text" in data:
            text = self.text(data["text"], lines["text"], "The node's text", node_id)
        counter = None
        if "counter" in data:
            counter = self.text(data["counter"], lines["counter"], "The node's counter", node_id)
        if has_options:
            if "next" in data:
                self.problem(
                    "G007",
                    lines["next"],
                    node_id,
                    "A menu has no 'next'; its options lead on.",
                    "Remove next:, or make this a steps node.",
                )
            options = tuple(
                self.option(item, item_line, f"Option {i + 1}", node_id)
                for i, (item, item_line) in enumerate(
                    _with_lines(self.items(data["options"], lines["options"], "options", node_id))
                )
            )
            return Node(node_id, "menu", text, tuple(o for o in options if o), line=line)
        steps, step_options = [], []
        for i, (item, item_line) in enumerate(
            _with_lines(self.items(data["steps"], lines["steps"], "steps", node_id))
        ):
            steps.append(self.text(_without(item, "options"), item_line, f"Step {i + 1}", node_id))
            offered = item.get("options", _List()) if isinstance(item, _Map) else _List()
            line_of = item.key_lines.get("options", item_line) if isinstance(item, _Map) else 0
            step_options.append(
                tuple(
                    o
                    for j, (o_item, o_line) in enumerate(
                        _with_lines(self.items(offered, line_of, "A step's options", node_id))
                    )
                    if (o := self.option(o_item, o_line, f"Step {i + 1}, option {j + 1}", node_id))
                )
            )
        if not steps:
            self.problem(
                "G005",
                lines["steps"],
                node_id,
                "This steps node has no steps.",
                "Add at least one step, or make it a menu.",
            )
        target = None
        if "next" in data:
            target = self.string(data["next"], lines["next"], "next", node_id)
        kept = [(s, o) for s, o in zip(steps, step_options, strict=True) if s]
        return Node(
            node_id,
            "steps",
            text,
            (),
            tuple(s for s, _ in kept),
            target,
            counter,
            line,
            tuple(o for _, o in kept) if any(o for _, o in kept) else (),
        )


def _without(item: Any, key: str) -> Any:
    """A step's mapping without its options, so the rest reads as a text."""
    if not isinstance(item, _Map) or key not in item:
        return item
    rest = _Map({k: v for k, v in item.items() if k != key})
    rest.line, rest.key_lines = item.line, {k: v for k, v in item.key_lines.items() if k != key}
    return rest


def _with_lines(items: _List):
    lines = getattr(items, "item_lines", None) or [getattr(items, "line", None)] * len(items)
    return zip(items, lines, strict=True)


def _got(value: Any) -> str:
    if value is None:
        return "It is empty."
    kind = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }
    for cls, name in kind.items():
        if isinstance(value, cls):
            return f"Found {name} instead."
    return f"Found {type(value).__name__} instead."
