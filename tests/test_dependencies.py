"""Every package the code imports is declared in pyproject.toml, so an install from it
alone runs the app (werkzeug was imported, but only there because flask needs it)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from support import ROOT

SHIPPED = [*sorted((ROOT / "ivr").rglob("*.py")), ROOT / "app.py", ROOT / "gunicorn.conf.py"]


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised as PEP 503 does."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_from_outside(path) -> set[str]:
    """The top-level names of what a file imports from outside the standard library."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"ivr", "__future__"}


def test_every_package_the_shipped_code_imports_is_declared():
    declared = {
        _name(r)
        for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    owners = packages_distributions()
    missing = {}
    for path in SHIPPED:
        for module in imported_from_outside(path):
            distributions = {_name(d) for d in owners.get(module, [module])}
            if not distributions & declared:
                missing.setdefault(module, []).append(str(path.relative_to(ROOT)))
    assert not missing, (
        f"imported but not declared in pyproject.toml's dependencies: {missing}; add each "
        "package there (and to the pinned requirements file, where there is one)"
    )


def test_the_check_sees_an_undeclared_import(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("import os\nfrom werkzeug.exceptions import NotFound\nfrom . import x\n")
    assert imported_from_outside(source) == {"werkzeug"}
