"""The library: the guides one deploy serves, each a script, in the operator's order.

    Library.load(patterns)       read, lint and check the scripts; ConfigError if unfit
    checked(path)                one script's lint Report, remembered while its files and
                                 the date are unchanged (`ivr simulate`, `graph` too)
    Library(scripts)             from scripts already loaded (the first is the default)
    library.guides               every script served, in order
    library.offered              those the guide choice offers: each with a label and a
                                 keyword under `guide:`
    library.get(id)              a guide by its script id, or None
    library.languages            the languages offered, in the operator's order (the
                                 source language's tag among them)
    library.speaking(id, tag)    a guide as it speaks a language offered (ivr.languages)

Pure domain (no flask): the web app, `ivr simulate` and the tests serve a Library, and
`ivr.opening` opens every call and first text over one. With fewer than two guides
offered there is no guide choice: the line behaves as the default script alone (the
first served), and other scripts are reached by a webhook URL's ?script=<id>, as before
libraries. With two or more, one number offers them, after the danger line ("which is
closest to what happened?"), and the first offered is the default: its words open the
call.

Each script is linted on its own (`ivr.lint.check`); the guides offered together are
linted as one line by `ivr.lint.library` (one danger key, distinct words, the worst path
through the opening within the timing limits). A library with an error refuses to load:
a helpline must never go live with a dead end or a missing 999 line.

Languages (docs/languages.md): those the default guide declares, or the operator's
IVR_LANGUAGES in its order; every guide offered must speak each. A draft language is
offered only where `drafts` is true (development, /try, `ivr simulate`) or the
operator names it;
`left_out` lists the drafts left out, for the app's one log sentence.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from ivr.errors import ConfigError
from ivr.languages import tags, version
from ivr.lint import Report, check
from ivr.lint.fidelity import guide_path
from ivr.script import DRAFT, Script


class Library:
    def __init__(
        self, scripts: Sequence[Script], languages: Sequence[str] = (), drafts: bool = False
    ):
        if not scripts:
            raise ConfigError("A library needs at least one script; name one in IVR_SCRIPTS.")
        self.guides: tuple[Script, ...] = tuple(scripts)
        self.scripts = {s.id: s for s in scripts}
        self.offered = tuple(s for s in scripts if s.guide and s.guide.label and s.guide.keyword)
        self.default = self.offered[0] if len(self.offered) > 1 else scripts[0]
        self.languages, self.left_out = _languages(self, tuple(languages), drafts)

    @classmethod
    def load(
        cls, patterns: Sequence[str], languages: Sequence[str] = (), drafts: bool = False
    ) -> Library:
        """The scripts `patterns` name (paths or globs, in order), linted one by one and
        then together. Raises ConfigError naming the file and each problem."""
        paths: list[Path] = []
        for pattern in patterns:
            matched = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
            paths += [Path(p) for p in matched]
        if not paths:
            raise ConfigError(
                f"No script files match IVR_SCRIPTS ({', '.join(patterns)}). "
                "Point it at the YAML scripts to serve, e.g. scripts/*.yaml."
            )
        scripts: list[Script] = []
        for path in paths:
            _require_readable(path)
            report = checked(path)
            if not report.ok:
                problems = "\n".join(f"  {p}" for p in report.errors)
                raise ConfigError(
                    f"The script {path} has errors, so the helpline will not start:\n{problems}\n"
                    f"Run 'ivr validate {path}' after fixing them."
                )
            if any(s.id == report.script.id for s in scripts):
                raise ConfigError(f"Two scripts have the id '{report.script.id}'; ids must differ.")
            scripts.append(report.script)
        library = cls(scripts, languages, drafts)
        _require_sound(library, paths)
        return library

    @property
    def choosing(self) -> bool:
        """Whether calls and first texts choose a guide (more than one is offered)."""
        return len(self.offered) > 1

    def get(self, script_id: str | None) -> Script | None:
        return self.scripts.get(script_id or "")

    def pick(self, script_id: str | None) -> Script:
        """The script a webhook asked for (?script=<id>), else the default."""
        return self.scripts.get(script_id or "", self.default)

    def speaking(self, script: Script, language: str) -> Script:
        """`script` in `language` where that language is offered; else in its source."""
        if not language or language not in self.languages:
            return script
        return version(script, language)


def _languages(library: Library, wanted: tuple[str, ...], drafts: bool):
    """(the languages offered, in order; the draft ones left out). Named by the operator
    (IVR_LANGUAGES), or else every language the default guide speaks, its source first."""
    default = library.default
    guides = library.offered if library.choosing else (default,)
    named = bool(wanted)
    if not named:  # those the default guide speaks that every guide offered speaks too
        wanted = tuple(t for t in tags(default) if all(t in tags(g) for g in guides))
    for tag in dict.fromkeys(wanted):
        lacking = [g.id for g in guides if tag not in tags(g)]
        if lacking:
            spoken = ", ".join(tags(default))
            raise ConfigError(
                f"IVR_LANGUAGES names {tag}, but the script '{lacking[0]}' does not speak it "
                f"(it speaks {spoken}). Declare {tag} under languages: in that script "
                "(docs/languages.md), or leave it out of IVR_LANGUAGES."
            )
    left_out = ()
    if not drafts and not named:  # production offers a draft only where the operator names it
        left_out = tuple(
            t for t in wanted if t in default.languages and default.languages[t].status == DRAFT
        )
    return tuple(t for t in dict.fromkeys(wanted) if t not in left_out), left_out


def _require_sound(library: Library, paths: list[Path]) -> None:
    """Refuse guides that cannot be offered together (ivr.lint.library), naming each
    problem and the command that shows them all."""
    from ivr.lint.library import check_library  # the library's lint imports the opening

    errors = [p for p in check_library(library) if p.severity == "error"]
    if errors:
        problems = "\n".join(f"  {p}" for p in errors)
        named = " ".join(str(p) for p in paths)
        raise ConfigError(
            "The scripts in IVR_SCRIPTS cannot be offered together on one number, so the "
            f"helpline will not start:\n{problems}\n"
            f"Run 'ivr validate --library {named}' after fixing them."
        )


def checked(path: Path) -> Report:
    """`check(path)`; the same Report, and so the same Script, again while the script's
    file, its guide's and the date are what they were. Every file the check reads is in
    the key but the package's own (the lexicons, read once per process anyway).

    A server loads its scripts once, so this buys it nothing (nor costs it: the file's
    bytes read once more), nor a command run once. It is for a process that builds the app
    or runs a command again and again from the same files, the tests: without it each app
    or `ivr simulate`, `graph` and `understand` lints the shipped script afresh,
    building its understanding for each channel and language (about a second; see
    docs/performance.md). A Script is immutable, so apps that share one share nothing a
    request can change; what is worked out from it (the engine's memo, its compiled
    understanding) is shared as it is within one app."""
    key = (str(path), path.read_bytes(), date.today())
    report, guide = _linted(*key)
    if guide != _guide_bytes(report.script):  # the guide was edited since: check again
        _linted.cache_clear()
        report, _ = _linted(*key)
    return report


@lru_cache(maxsize=8)  # mutation/fresh_caches.py empties it before a mutant's tests
def _linted(path: str, source: bytes, today: date) -> tuple[Report, bytes | None]:
    report = check(path, today)
    return report, _guide_bytes(report.script)


def _guide_bytes(script: Script | None) -> bytes | None:
    guide = guide_path(script) if script else None
    try:
        return guide.read_bytes() if guide else None
    except OSError:
        return None  # the report's W001 says why


def _require_readable(path: Path) -> None:
    """Refuse a folder or a file that cannot be read in one sentence, not a traceback."""
    if path.is_dir():
        raise ConfigError(
            f"IVR_SCRIPTS names {path}, which is a folder; name the script files in it "
            f"instead, e.g. {path / '*.yaml'}."
        )
    try:
        with path.open("rb"):
            pass
    except FileNotFoundError:
        raise ConfigError(
            f"IVR_SCRIPTS names {path}, which does not exist; check the path, or point "
            "IVR_SCRIPTS at the scripts to serve, e.g. scripts/*.yaml."
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"IVR_SCRIPTS names {path}, which cannot be read ({exc.strerror or exc}); make it "
            "a readable file for the user the helpline runs as, or leave it out of IVR_SCRIPTS."
        ) from None
