"""The domain (script model, loader, linter, engine) imports neither flask nor twilio."""

from __future__ import annotations

import subprocess
import sys

from support import ROOT

DOMAIN = [
    "ivr",
    "ivr.errors",
    "ivr.script",
    "ivr.loader",
    "ivr.lint",
    "ivr.engine",
    "ivr.gsm7",
    "ivr.spoken",
    "ivr.matching",
    "ivr.graph",
]


def test_importing_the_domain_imports_neither_flask_nor_twilio():
    # A fresh interpreter, so nothing imported by other tests can hide a leak.
    code = (
        "import importlib, sys\n"
        f"for name in {DOMAIN!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'twilio', 'werkzeug'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_domain_modules_do_not_even_mention_them():
    for name in DOMAIN[1:]:
        path = ROOT / name.replace(".", "/")
        files = sorted(path.glob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
        source = "".join(f.read_text() for f in files)
        for banned in ("import flask", "from flask", "import twilio", "from twilio"):
            assert banned not in source, f"{name} has '{banned}'"
