"""The scripts this app serves: loaded and linted once at start-up.

A script with a lint error stops start-up with the linter's message: a helpline must
never go live with a dead end or a missing 999 line.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from ivr.errors import ConfigError
from ivr.lint import check
from ivr.script import Script


class Library:
    def __init__(self, scripts: Sequence[Script]):
        self.scripts = {s.id: s for s in scripts}
        self.default = scripts[0]

    @classmethod
    def load(cls, patterns: Sequence[str]) -> Library:
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
            report = check(path)
            if not report.ok:
                problems = "\n".join(f"  {p}" for p in report.errors)
                raise ConfigError(
                    f"The script {path} has errors, so the helpline will not start:\n{problems}\n"
                    f"Run 'ivr validate {path}' after fixing them."
                )
            if any(s.id == report.script.id for s in scripts):
                raise ConfigError(f"Two scripts have the id '{report.script.id}'; ids must differ.")
            scripts.append(report.script)
        return cls(scripts)

    def pick(self, script_id: str | None) -> Script:
        """The script a webhook asked for (?script=<id>), else the default."""
        return self.scripts.get(script_id or "", self.default)

    def get(self, script_id: str) -> Script | None:
        return self.scripts.get(script_id)


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
