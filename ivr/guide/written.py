"""A written guide, read in the helpline's fixed shape ("What to do if...").

    read_guide(path)          -> Written   or GuideError naming the line, and the fix
    parse_guide(text, path)   -> Written

The shape, section by section, each heading on a line of its own and in this order:

    What to do if...               the title, then its second line ("you receive a link...")
    Short answer                   a paragraph
    Do not do these things         "- " items
    What to do now                 numbered steps: each starts after a line "-" (or a line
                                   ending " -"), its first line the step, then its lines,
                                   some of them "- " points; a step that starts "If you"
                                   is a case ("If you are under 18, ...")
    What can wait                  "- " items
    Important reassurance          a paragraph
    Scope note                     a paragraph
    Important note                 a paragraph
    Additional Resources           "- " web addresses

Lines starting with "#" before the title are notes for editors (a test fixture says
there that it is not a real guide); they are not part of the guide. Blank lines are
ignored. Pure: no script, no engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ivr.errors import GuideError, Problem

HEADINGS = (
    "Short answer",
    "Do not do these things",
    "What to do now",
    "What can wait",
    "Important reassurance",
    "Scope note",
    "Important note",
    "Additional Resources",
)
TITLE = re.compile(r"^What to do if\s*(?:…|\.\.\.)\s*$")
POINT = re.compile(r"^[-•]\s+(?P<text>\S.*)$")
URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True, slots=True)
class Line:
    """Words of the guide and the line they are on."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    title: Line  # the step's own first line: "Stop the interaction and block."
    lines: tuple[Line, ...]  # what follows it, in order
    points: tuple[Line, ...]  # those of its lines written as "- " points

    @property
    def is_case(self) -> bool:
        """A step for some people only ("If you already clicked the link, ..."): offered
        by an import as a branch of its own."""
        return self.title.text.lower().startswith("if you")

    @property
    def words(self) -> tuple[Line, ...]:
        """Everything the step says, title first."""
        return (self.title, *self.lines)


@dataclass(frozen=True, slots=True)
class Written:
    path: str
    title: str  # "What to do if you receive a link claiming to be ..."
    subtitle: Line  # "you receive a link claiming to be ..."
    short_answer: tuple[Line, ...]
    donts: tuple[Line, ...]
    steps: tuple[Step, ...]
    can_wait: tuple[Line, ...]
    reassurance: tuple[Line, ...]
    scope: tuple[Line, ...]
    note: tuple[Line, ...]
    resources: tuple[Line, ...]
    notes: tuple[str, ...] = ()  # the "#" lines before the title, for editors

    @property
    def sections(self) -> dict[str, tuple[Line, ...]]:
        """Every section's lines by heading (the steps' lines in order), for the facts."""
        steps = tuple(line for step in self.steps for line in step.words)
        values = (self.short_answer, self.donts, steps, self.can_wait, self.reassurance,
                  self.scope, self.note, self.resources)  # fmt: skip
        return dict(zip(HEADINGS, values, strict=True))


def read_guide(path: str | Path) -> Written:
    path = Path(path)
    try:
        # utf-8-sig: a guide saved as UTF-8 by Windows Notepad or Word starts with a byte
        # order mark, which would hide its title from the shape's first check.
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or exc
        raise _refused(str(path), None, f"The guide cannot be read ({reason}).",
                       "Give the path of a guide saved as UTF-8 text.") from None  # fmt: skip
    return parse_guide(text, str(path))


def parse_guide(text: str, path: str = "<guide>") -> Written:
    """The guide in `text`, or GuideError naming the first line not in the shape."""
    lines = [Line(t.strip(), n) for n, t in enumerate(text.splitlines(), 1) if t.strip()]
    notes = []
    while lines and lines[0].text.startswith("#"):
        notes.append(lines.pop(0).text.lstrip("#").strip())
    if len(lines) < 2 or not TITLE.match(lines[0].text):
        found = lines[0] if lines else None
        raise _refused(
            path,
            found.line if found else 1,
            f"A guide starts with the line 'What to do if...', but this one starts "
            f"{_quoted(found)}.",
            "Start it with the title, 'What to do if...', and its second line on the next.",
        )
    subtitle = lines[1]
    sections = _sections(path, lines[2:], subtitle)
    title = f"What to do if {subtitle.text}"
    return Written(
        path=path,
        title=title,
        subtitle=subtitle,
        short_answer=sections["Short answer"],
        donts=_points(path, sections, "Do not do these things"),
        steps=_steps(path, sections["What to do now"]),
        can_wait=_points(path, sections, "What can wait"),
        reassurance=sections["Important reassurance"],
        scope=sections["Scope note"],
        note=sections["Important note"],
        resources=_resources(path, sections),
        notes=tuple(notes),
    )


def _sections(path: str, lines: list[Line], after: Line) -> dict[str, tuple[Line, ...]]:
    """The lines under each heading, the headings in the shape's order, none empty."""
    found: dict[str, list[Line]] = {}
    wanted = iter(HEADINGS)
    expected = next(wanted)
    current: list[Line] | None = None
    previous = after
    for line in lines:
        if line.text.lower() == (expected or "").lower():
            if current is not None and not current:
                raise _empty(path, previous)
            current = found[expected] = []
            previous, expected = line, next(wanted, None)
        elif current is None or line.text.lower() in _LOWER:
            raise _refused(
                path,
                line.line,
                f"Expected the heading '{expected}' here (the next section of the guide's "
                f"shape), but found {_quoted(line)}.",
                f"Put the sections in this order, each heading on its own line: "
                f"{', '.join(HEADINGS)}.",
            )
        else:
            current.append(line)
    if expected is not None:
        last = lines[-1].line if lines else after.line
        raise _refused(
            path,
            last,
            f"The guide ends before its section '{expected}'.",
            f"Add the missing sections, in this order: {', '.join(HEADINGS)}.",
        )
    if not found[HEADINGS[-1]]:
        raise _empty(path, previous)
    return {name: tuple(found[name]) for name in HEADINGS}


_LOWER = {h.lower() for h in HEADINGS}


def _points(path: str, sections: dict, heading: str) -> tuple[Line, ...]:
    items = []
    for line in sections[heading]:
        match = POINT.match(line.text)
        if match is None:
            raise _refused(
                path,
                line.line,
                f"In '{heading}' every line is a point starting '- ', but this one is "
                f"{_quoted(line)}.",
                "Start it with '- ', or join it to the point above.",
            )
        items.append(Line(match["text"], line.line))
    return tuple(items)


def _steps(path: str, lines: tuple[Line, ...]) -> tuple[Step, ...]:
    """The numbered steps: a lone "-" starts one, as does a trailing " -" on a line."""
    groups: list[list[Line]] = []
    current: list[Line] | None = None
    for line in lines:
        text = line.text
        if text == "-":
            current = []
            groups.append(current)
            continue
        if current is None:
            raise _refused(
                path,
                line.line,
                f"In 'What to do now' each step starts after a line '-', but this comes "
                f"before any: {_quoted(line)}.",
                "Put a line with a single '-' before each step.",
            )
        starts_next = text.endswith(" -")
        current.append(Line(text.removesuffix(" -").rstrip() if starts_next else text, line.line))
        if starts_next:
            current = []
            groups.append(current)
    steps = []
    for number, group in enumerate(groups, 1):
        if not group:
            where = lines[-1] if lines else Line("", 1)
            raise _refused(path, where.line, f"Step {number} of 'What to do now' is empty.",
                           "Write the step after its '-', or remove the extra '-'.")  # fmt: skip
        title, rest = group[0], tuple(group[1:])
        if POINT.match(title.text):
            raise _refused(
                path,
                title.line,
                f"Step {number} starts with a point ({_quoted(title)}); a step's first line "
                "says what to do, and its points follow.",
                "Write the step's own sentence first, then its '- ' points.",
            )
        points = tuple(
            Line(POINT.match(x.text)["text"], x.line) for x in rest if POINT.match(x.text)
        )
        body = tuple(Line(POINT.match(x.text)["text"], x.line) if POINT.match(x.text) else x
                     for x in rest)  # fmt: skip
        steps.append(Step(number, title, body, points))
    if not steps:
        raise _empty(path, lines[0] if lines else Line("", 1))
    return tuple(steps)


def _resources(path: str, sections: dict) -> tuple[Line, ...]:
    found = _points(path, sections, "Additional Resources")
    for line in found:
        if not URL.match(line.text):
            raise _refused(
                path,
                line.line,
                f"In 'Additional Resources' every point is a web address, but this one is "
                f"{_quoted(line)}.",
                "Write one address a line, starting https://.",
            )
    return found


def _empty(path: str, heading: Line) -> GuideError:
    return _refused(path, heading.line, f"The section '{heading.text}' is empty.",
                    "Write its words under the heading, or restore them.")  # fmt: skip


def _quoted(line: Line | None) -> str:
    if line is None:
        return "with nothing at all"
    text = line.text if len(line.text) <= 60 else line.text[:57] + "..."
    return f"'{text}'"


def _refused(path: str, line: int | None, message: str, fix: str) -> GuideError:
    return GuideError([Problem(path, line, None, message, fix, code="W001")])
