#!/usr/bin/env python3
"""Set up and run Helpline IVR on your own machine. Needs only Python 3.11 or newer.

    python3 dev.py run     make .venv, install, start the app for local trying (no Twilio)
    python3 dev.py test    make .venv, install with the test tools, run ruff and pytest
                           (and `npm ci` for the browser tests, where Chromium and npm are)
    python3 dev.py bench   make .venv, compare the app with a minimal Twilio webhook, print
                           the ratios (a few minutes; `bench --tiny` just proves it works)
    python3 dev.py drill   a real gunicorn on loopback under load, slow clients and
                           restarts; prints a table (--short: a few seconds)
    python3 dev.py understanding
                           recall and false alarms on the sealed held-out phrases, through
                           the real webhooks (understanding_trial/; seconds)
    python3 dev.py mutate  mutation testing of the domain against its fast tests; prints
                           the share of mutants killed (minutes; `mutate matching` for one area)

Anything after the command goes to the tool: `python3 dev.py test -k sms -x`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
PORT = os.environ.get("PORT", "8000")


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 is
        sys.exit(f"Helpline IVR needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "run":
        setup()
        return run_app(rest)
    if command == "test":
        setup()
        return run_tests(rest)
    if command == "bench":
        setup()
        return subprocess.run([str(PYTHON), "-m", "benchmarks", *rest], cwd=ROOT).returncode
    if command == "drill":
        setup()
        return run_drill(rest)
    if command == "understanding":
        setup()
        trial = [str(PYTHON), "-m", "understanding_trial", *rest]
        return subprocess.run(trial, cwd=ROOT).returncode
    if command == "mutate":
        setup()
        install_mutmut()
        return subprocess.run([str(PYTHON), "-m", "mutation", *rest], cwd=ROOT).returncode
    print(__doc__.strip())
    return 0 if command in ("", "-h", "--help", "help") else 2


def setup() -> None:
    """Create the virtualenv once, and reinstall only when pyproject.toml changes.

    The app and test tools go into one environment, so either command is enough."""
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV.name}/ ...", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / "installed.sha256"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print("Installing Helpline IVR and its dependencies ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True, cwd=ROOT)
    subprocess.run([*pip, "--editable", ".[test]"], check=True, cwd=ROOT)
    stamp.write_text(wanted)


def install_mutmut() -> None:
    """mutmut is only for `mutate`: installed on first use, pinned in the `mutate` extra."""
    if (BIN / "mutmut").exists():
        return
    print("Installing mutmut (once) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", ".[test,mutate]"], check=True, cwd=ROOT)


def run_app(args: list[str]) -> int:
    env = {**os.environ, "IVR_DEVELOPMENT": "1"}
    print(
        f"\nHelpline IVR is starting on http://127.0.0.1:{PORT} (development mode: no Twilio\n"
        "account needed, and no Twilio signature is asked for).\n"
        f"  Try it in your browser:   http://127.0.0.1:{PORT}/try\n"
        "  Or in another terminal:   .venv/bin/ivr simulate --channel voice   (or sms)\n"
        "Stop it with Ctrl-C.\n",
        flush=True,
    )
    flask = [str(PYTHON), "-m", "flask", "--app", "app", "run", "--port", PORT, *args]
    try:
        return subprocess.run(flask, cwd=ROOT, env=env).returncode
    except KeyboardInterrupt:
        return 0


def run_tests(args: list[str]) -> int:
    browser_tools()
    checks = [
        [str(PYTHON), "-m", "ruff", "check", "."],
        [str(PYTHON), "-m", "ruff", "format", "--check", "."],
        [str(PYTHON), "-m", "pytest", *args],
    ]
    for check in checks:
        print("$", " ".join(Path(check[0]).name if i == 0 else a for i, a in enumerate(check)))
        code = subprocess.run(check, cwd=ROOT).returncode
        if code:
            return code
    return 0


def browser_tools() -> None:
    """Where Chromium and npm are both here, fetch the pinned axe-core and mermaid once, so
    the browser tests run rather than skip. Without Chromium they skip, saying how to
    install it; if npm cannot reach its registry, they skip saying to run `npm ci`."""
    if (ROOT / "node_modules" / "axe-core").is_dir() and (
        ROOT / "node_modules" / "mermaid"
    ).is_dir():
        return
    npm = shutil.which("npm")
    if not npm or not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return
    print("Installing axe-core and mermaid for the browser tests (npm ci) ...", flush=True)
    ci = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    if subprocess.run(ci, cwd=ROOT).returncode:
        print("npm ci failed: the browser tests will skip.", flush=True)


def run_drill(args: list[str]) -> int:
    """The drill shares the machine with whoever else works on it: run it at low priority."""
    lower = (lambda: os.nice(10)) if hasattr(os, "nice") else None
    drill = [str(PYTHON), "-m", "drill", *args]
    return subprocess.run(drill, cwd=ROOT, preexec_fn=lower).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
