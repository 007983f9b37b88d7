"""Every error the project raises on purpose, and the `Problem` they report.

    IvrError
    ├── ScriptError          a script file cannot be used; carries one or more Problems
    │   ├── ScriptSyntaxError    the file is not valid YAML
    │   └── ScriptFormatError    valid YAML, but not a script (missing or unknown fields, types)
    ├── StateError           a conversation state that cannot be read
    ├── ConfigError          the app's environment is incomplete or inconsistent
    ├── NumberError          a Twilio number cannot be pointed at the app (`ivr configure-number`)
    ├── RedactError          `ivr redact` cannot run as asked (its options, the credentials)
    └── GuideError           a written guide is not in the guides' shape (`ivr import`);
                             carries one or more Problems, as ScriptError does

A Problem reads as a full sentence for a person editing a script: the rule's code, the
file, the line, the node, what is wrong and how to fix it. No traceback ever reaches them.
`ivr validate --explain CODE` says what each rule protects (ivr/lint/rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth knowing) about a script: always one mistake, one Problem.

    code     the rule broken, like ruff's: a letter for the family and a number (G004)
    path     the file
    line     the line to look at; None only when the file itself cannot be read
    node     the node it is in; None when it belongs to no node (a role, a phrase, a
             global option, the voice settings, the file as a whole)
    message  what is wrong, as a sentence
    fix      how to put it right, as a sentence
    """

    path: str
    line: int | None
    node: str | None
    message: str
    fix: str = ""
    severity: str = ERROR
    code: str = field(kw_only=True)

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f", line {self.line}"
        if self.node:
            where += f", node '{self.node}'"
        text = f"{where}: {self.code} {self.message}"
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


class IvrError(Exception):
    """Base of every error this project raises on purpose."""


class ScriptError(IvrError):
    """A script cannot be used. `problems` says why, each naming file, line and node."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ScriptSyntaxError(ScriptError):
    """The file is not valid YAML."""


class ScriptFormatError(ScriptError):
    """The file is valid YAML but does not follow the script format."""


class StateError(IvrError):
    """A conversation state (from a URL or a cookie) that cannot be read."""


class ConfigError(IvrError):
    """The app's settings are missing or inconsistent; the message names the variable."""


class NumberError(IvrError):
    """`ivr configure-number` cannot do its job; the message says why and what to change."""


class RedactError(IvrError):
    """`ivr redact` cannot run as asked; the message names the option or setting, and the fix."""


class GuideError(IvrError):
    """A written guide cannot be read in the guides' shape (ivr.guide.written). `problems`
    says why, naming the file and the line."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
