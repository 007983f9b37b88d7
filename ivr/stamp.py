"""Stamping translations: writing each checked translation's `from:` fingerprint.

    stamp(source, script, language) -> Stamped   the file's new text, and what was done

A translator checks a language's words against the source as it is now, then stamps
them: every text of that language whose `from:` is missing or stale gets the source's
fingerprint as it is now (ivr.languages.fingerprint), so the translation lint stops
warning until the source changes again. The file is edited as text, line by line, so
its comments, order and quoting stay as they were; only `from:` values change or are
added. A version written as bare words (`cy-GB: Geiriau`) has nowhere to keep one, so it
is written as a mapping ({text: ..., from: ...}) on its line. What cannot be stamped
this way (a block scalar, words inside a flow mapping) is listed, never guessed at.

Pure: text in, text out. `ivr stamp` (ivr/cli/stamp.py) reads and writes the file, and
loads the result again before writing, so a stamp never leaves a file that will not load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ivr import languages
from ivr.lint.translations import every_text
from ivr.script import Script


@dataclass
class Stamped:
    text: str
    stamped: list[str] = field(default_factory=list)  # "line 12: the node's text"
    left: list[str] = field(default_factory=list)  # what could not be stamped, and why


def stamp(source: str, script: Script, language: str) -> Stamped:
    """`source` (the script file's text) with every missing or stale `from:` of
    `language` written, for the texts of `script` (that file, loaded)."""
    lines = source.split("\n")
    done = Stamped(source)
    wanted = []
    for node_id, what, text in every_text(script):
        found = text.version(language)
        now = languages.fingerprint(text)
        if found is not None and found.source != now:
            wanted.append((found, now, node_id, what))
    # From the end of the file up, so a line added never moves one still to stamp.
    for found, now, node_id, what in sorted(wanted, key=lambda w: -w[0].line):
        where = f"line {found.line}" + (f", node '{node_id}'" if node_id else "")
        if _stamp_at(lines, found.line - 1, language, now):
            done.stamped.append(f"{where}: {what}")
        else:
            done.left.append(
                f"{where}: {what}: its {language} words are written so that from: cannot be "
                f'added here; write it as {language}: {{text: ..., from: "{now}"}} by hand.'
            )
    done.text = "\n".join(lines)
    done.stamped.reverse()
    done.left.reverse()
    return done


def _stamp_at(lines: list[str], index: int, tag: str, now: str) -> bool:
    """Write `from: "now"` into the version of `tag` whose key is on line `index`."""
    line = lines[index]
    at = re.search(rf"(?<![\w-]){re.escape(tag)}:", line)
    if at is None:
        return False
    rest = line[at.end() :]
    if rest.strip().startswith("{"):
        return _in_flow(lines, index, at.end(), now)
    if rest.strip() == "" or rest.strip().startswith("#"):
        return _in_block(lines, index, now)
    if rest.strip()[:1] in ("|", ">") or line[: at.start()].rstrip().endswith("{"):
        return False  # a block scalar, or bare words inside a flow mapping
    words = rest.split(" #")[0].strip()
    lines[index] = f'{line[: at.end()]} {{text: {words}, from: "{now}"}}'
    return True


def _in_flow(lines: list[str], index: int, start: int, now: str) -> bool:
    """`tag: {text: ..., from: ...}` on one line: replace from:, or add it at the end."""
    line = lines[index]
    opened = line.index("{", start)
    depth, close = 0, None
    for i in range(opened, len(line)):
        depth += {"{": 1, "}": -1}.get(line[i], 0)
        if depth == 0:
            close = i
            break
    if close is None:
        return False  # the mapping runs on to other lines
    inside = line[opened + 1 : close]
    value = re.compile(r"(?<![\w-])from:\s*(\"[^\"]*\"|'[^']*'|[^,}\s]*)")
    if value.search(inside):
        inside = value.sub(f'from: "{now}"', inside, count=1)
    else:
        inside = f'{inside.rstrip()}, from: "{now}"'
    lines[index] = line[: opened + 1] + inside + line[close:]
    return True


def _in_block(lines: list[str], index: int, now: str) -> bool:
    """`tag:` with its fields indented below: replace from:, or add it first."""
    own = _indent(lines[index])
    child = None
    for i in range(index + 1, len(lines)):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            continue
        if _indent(lines[i]) <= own:
            break
        child = _indent(lines[i]) if child is None else child
        if _indent(lines[i]) == child and re.match(r"\s*from:", lines[i]):
            lines[i] = f'{" " * child}from: "{now}"'
            return True
    if child is None:
        return False
    lines.insert(index + 1, f'{" " * child}from: "{now}"')
    return True


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
