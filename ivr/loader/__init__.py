"""Loading a YAML script file into the `ivr.script` model.

    load_script(path)          a Script, or ScriptError listing every Problem
    parse_script(text, path)   the same from text
    read_yaml(text, path)      YAML as data that remembers its lines (ivr.yaml_text's)

ivr.yaml_text reads the YAML and ivr.yaml_records reads declared records from it, with
the generic readers (mapping, list, words, numbers): both sit below the loader, as the
lexicon's reader (ivr.understanding.lexicon_file) uses them too and the loader loads each
script's lexicon, so imports point one way. fields.py holds the format's own kinds
(texts, templates, keys, keywords); records.py declares each record's fields
(flow.py the nodes and options, handoffs.py the transfers and texts). Every problem is
collected and reported together, each naming the file, the line, the node, the rule's
code and the fix.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ivr.errors import Problem, ScriptFormatError
from ivr.loader import fields as kind
from ivr.loader import flow, handoffs, records
from ivr.loader import languages as languages_
from ivr.loader.decisions import decisions
from ivr.loader.guide import guide
from ivr.phrasebook import LEXICON_PHRASES, OPTIONAL_PHRASES
from ivr.script import DEFAULT_DISCRETION, DEFAULT_LIMITS, GSM7, Script
from ivr.understanding.lexicon_file import load as load_lexicon
from ivr.yaml_records import At, Field, Problems, read_record, whole_number, words
from ivr.yaml_text import Map, read_yaml

__all__ = ["FORMAT_VERSION", "load_script", "parse_script", "read_yaml"]

FORMAT_VERSION = 1


def load_script(path: str | Path) -> Script:
    """Read and check the structure of one script file. Raises ScriptError."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise _unreadable(path, "There is no such file.", "Check the path.") from None
    except UnicodeDecodeError as exc:
        message = f"The file is not UTF-8 text ({exc.reason})."
        raise _unreadable(path, message, "Save it as UTF-8.") from None
    return parse_script(source, str(path))


def _unreadable(path: Path, message: str, fix: str) -> ScriptFormatError:
    return ScriptFormatError([Problem(str(path), None, None, message, fix, code="F002")])


def parse_script(source: str, path: str = "<script>") -> Script:
    """Build a Script from YAML text; `path` is used in messages. Decisions left by
    `ivr import` (DECIDE:) are refused first, each named by its line."""
    left = decisions(source, path)
    if left:
        raise ScriptFormatError(left)
    data = read_yaml(source, path)
    r = Problems(path)
    if not isinstance(data, Map):
        r.problem(
            "F003",
            At(1, "The script"),
            "A script file should be a YAML mapping of fields (format:, id:, nodes: ...).",
            "Start from the complete example in docs/script-format.md.",
        )
        raise ScriptFormatError(r.problems)
    values = read_record(r, data, At(1, "The script"), SCRIPT_FIELDS)
    if values is None:
        raise ScriptFormatError(r.problems)
    values["phrases"], values["from_lexicon"] = _language_phrases(r, values, data)
    values["languages"] = languages_.complete(r, values, data.key_lines.get("languages", 1))
    spoken = load_lexicon(values["language"]).spoken
    if spoken and values["voice"] is not None:  # a source language other than English
        voice = values["voice"]
        names = voice.key_names if "key_names" in data.get("voice", {}) else None
        values["voice"] = replace(voice, spoken=spoken, key_names=names or voice.key_names)
    if r.problems:
        raise ScriptFormatError(r.problems)
    values["next_control"] = values.pop("next")
    del values["format"]  # checked; the model has one format
    return Script(path=path, line_of=MappingProxyType(dict(data.key_lines)), **values)


def _language_phrases(r: Problems, values: dict, data: Map) -> tuple[MappingProxyType, tuple]:
    """The script's phrases, with its language's words for those it leaves out (the
    sentences of ivr.understanding: "Sorry, I didn't understand..."), and the names of
    those it left out: in each of its other languages, that language's lexicon says them."""
    phrases = dict(values["phrases"])
    given = data.get("phrases") if isinstance(data.get("phrases"), Map) else {}
    left = tuple(n for n in (*LEXICON_PHRASES, *OPTIONAL_PHRASES) if n not in given)
    at = At(data.key_lines.get("phrases", 1), "phrases")
    for language in (values["language"], *(values.get("languages") or ())):
        defaults = load_lexicon(language).phrases
        for name in LEXICON_PHRASES:
            if name in left and name not in defaults:
                r.problem(
                    "F005",
                    at,
                    f"phrases is missing '{name}', and the language {language!r} has no "
                    "lexicon that says it.",
                    f"Add '{name}:' (see docs/script-format.md for what it is for)"
                    + ("." if language == values["language"] else f", with a {language} version."),
                )
            elif language == values["language"] and name in left:
                phrases[name] = defaults[name]
    return MappingProxyType(phrases), left


def _lexicon(r: Problems, value: Any, at: At) -> Map | None:
    """A script's own words (`lexicon:`): a mapping, checked in full by the linter."""
    if not isinstance(value, Map):
        r.problem(
            "V101",
            at,
            "lexicon should be a mapping of word lists, like the language's lexicon.",
            "See docs/script-format.md, 'Words the line understands'.",
        )
        return None
    return value


def _format(r: Problems, value: Any, at: At) -> int | None:
    if value != FORMAT_VERSION:
        r.problem(
            "F008",
            at,
            f"The script says format {value!r}; this version reads format {FORMAT_VERSION}.",
            f"Start the file with 'format: {FORMAT_VERSION}'.",
        )
    return None


SCRIPT_FIELDS = (
    Field("format", _format, required=True, add=f"Start the file with 'format: {FORMAT_VERSION}'."),
    Field("id", kind.an_id, required=True, add="Add 'id:', a short name like guide-name."),
    Field("title", words, required=True, add="Add 'title:', the script's name for people."),
    Field("language", words, required=True, add="Add 'language: en-GB'."),
    Field("voice", records.voice, required=True, add="Add 'voice:' with name, language and "
          "key_names (see docs/script-format.md)."),
    Field("max_retries", whole_number(0, 5, "Two re-prompts is usual: 'max_retries: 2'."),
          default=2),
    Field("sources", records.sources, required=True,
          add="List where each number, hour and fact comes from (fact: and source:)."),
    Field("links", records.links, default=()),
    Field("pronounce", records.pronounce, default=MappingProxyType({})),
    Field("roles", records.roles_, required=True, add="Add 'roles:' naming the main, danger, "
          "clicked_link and under_18 nodes."),
    Field("phrases", records.phrases, required=True, add="Add 'phrases:' (see "
          "docs/script-format.md)."),
    Field("globals", flow.globals_, default=()),
    Field("next", flow.next_control, required=True, add="Add 'next:', how a person moves "
          "through steps (see docs/script-format.md)."),
    Field("nodes", flow.nodes, required=True, add="Add 'nodes:', starting with the main menu."),
    Field("transfers", handoffs.transfers, default=MappingProxyType({})),
    Field("text_me", handoffs.text_me),
    Field("limits", records.limits, default=DEFAULT_LIMITS),
    Field("discretion", records.discretion, default=DEFAULT_DISCRETION),
    Field("lexicon", _lexicon),
    Field("guide", guide),
    Field("languages", languages_.languages, default=MappingProxyType({})),
    Field("sms_encoding", languages_.sms_encoding, default=GSM7),
)  # fmt: skip
