#!/usr/bin/env python3
"""Set up and run Helpline IVR on your own machine. Needs only Python 3.11 or newer.

    python3 dev.py run     make .venv, install what the app needs, start it for local
                           trying (no Twilio account; the first run takes a minute)
    python3 dev.py test    make .venv, install with the test tools, run ruff and pytest
                           (and `npm ci` in tests/npm/, where Chromium and npm are)
    python3 dev.py test --fast   the same without the tests marked slow (real servers,
                           the browser, the benchmark, the sweeps: tests/conftest.py's
                           SLOW), a process per core: the everyday loop; CI and
                           landing run the full suite, in one process
    python3 dev.py bench   make .venv, compare the app with a minimal Twilio webhook, print
                           the ratios (a few minutes; `bench --tiny` just proves it works)
    python3 dev.py drill   a real gunicorn on loopback under load, slow clients and
                           restarts; prints a table (--short: a few seconds)
    python3 dev.py understanding
                           recall and false alarms on each held-out phrase file, through
                           the real webhooks (understanding_trial/; seconds)
    python3 dev.py train   the second opinion on danger: its weights, trained again on the
                           corpus (`--check` compares; docs/understanding.md; seconds)
    python3 dev.py mutate  mutation testing of the domain against its fast tests; prints
                           the share of mutants killed (minutes; `mutate keywords` for one area)
    python3 dev.py lock    pin pyproject.toml's dependencies again, into requirements.txt and
                           requirements-test.txt (after changing a dependency there)

Anything after the command goes to the tool: `python3 dev.py test -k sms -x`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
# The pinned versions: what runs in production (Procfile, Dockerfile) and what CI tests.
RUNTIME = ROOT / "requirements.txt"
TOOLS = ROOT / "requirements-test.txt"  # the test tools, on top of the runtime
BROWSER = ROOT / "tests" / "npm"  # npm's axe-core and mermaid, for the browser tests


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 is
        sys.exit(f"Helpline IVR needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "run":
        port = port_to_serve()  # before installing anything: a busy port is one sentence
        setup(RUNTIME)
        return run_app(port, rest)
    if command == "test":
        setup(TOOLS)
        return run_tests(rest)
    if command == "bench":
        setup(TOOLS)
        return subprocess.run([str(PYTHON), "-m", "benchmarks", *rest], cwd=ROOT).returncode
    if command == "drill":
        setup(TOOLS)
        return run_drill(rest)
    if command == "understanding":
        setup(TOOLS)
        trial = [str(PYTHON), "-m", "understanding_trial", *rest]
        return subprocess.run(trial, cwd=ROOT).returncode
    if command == "train":
        setup(TOOLS)
        train = [str(PYTHON), "-m", "understanding_trial.train", *rest]
        return subprocess.run(train, cwd=ROOT).returncode
    if command == "mutate":
        setup(TOOLS)
        install_mutmut()
        return subprocess.run([str(PYTHON), "-m", "mutation", *rest], cwd=ROOT).returncode
    if command == "lock":
        make_venv()  # only its pip: the pins are what lock makes
        return lock()
    if command in ("", "-h", "--help", "help"):
        print(__doc__.strip())
        return 0
    print(f"dev.py: there is no command '{command}'. The commands are:\n", file=sys.stderr)
    print(__doc__.strip(), file=sys.stderr)
    return 2


def setup(pins: Path) -> None:
    """Create .venv once and install the pinned packages `pins` names (the runtime's, or
    the runtime's and the test tools'), then this project itself, editable, without
    dependencies. Installs again only when a pinned file or pyproject.toml changes."""
    make_venv()
    wanted = _fingerprint(pins)
    stamp = VENV / "installed.json"
    done = json.loads(stamp.read_text()) if stamp.exists() else {}
    if done.get(pins.name) == wanted or (
        pins == RUNTIME and done.get(TOOLS.name) == _fingerprint(TOOLS)
    ):
        return  # the test tools' install holds the runtime's too
    print(f"Installing the packages {pins.name} pins ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--requirement", str(pins)], check=True, cwd=ROOT)
    subprocess.run([*pip, "--no-deps", "--editable", "."], check=True, cwd=ROOT)
    stamp.write_text(json.dumps({**done, pins.name: wanted}))


def make_venv() -> None:
    if not PYTHON.exists():
        print(
            f"Creating a virtual environment in {VENV.name}/ and installing into it: the "
            "first run takes a minute or two ...",
            flush=True,
        )
        venv.create(VENV, with_pip=True)


def _fingerprint(pins: Path) -> str:
    files = [ROOT / "pyproject.toml", RUNTIME, pins]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def install_mutmut() -> None:
    """mutmut is only for `mutate`: installed on first use, pinned in the `mutate` extra."""
    if (BIN / "mutmut").exists():
        return
    print("Installing mutmut (once) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    extra = _pyproject()["project"]["optional-dependencies"]["mutate"]
    subprocess.run([*pip, *extra], check=True, cwd=ROOT)


def lock() -> int:
    """Pin pyproject.toml's dependencies (their dependencies too) to the versions pip
    resolves for this Python on this platform, into requirements.txt (what runs) and
    requirements-test.txt (the test tools on top). Nothing is installed: pip only reports."""
    project = _pyproject()["project"]
    runtime = _resolve(project["dependencies"])
    tools = _resolve(project["dependencies"] + project["optional-dependencies"]["test"])
    clash = sorted(name for name in runtime if tools[name] != runtime[name])
    if clash:  # the test tools would test other versions than the ones that run
        sys.exit(f"dev.py lock: the test tools need other versions of {', '.join(clash)}.")
    version = f"Python {sys.version_info.major}.{sys.version_info.minor} on {sys.platform}"
    head = (
        "# Made from pyproject.toml by `python3 dev.py lock`: do not edit by hand. After changing\n"
        "# a dependency in pyproject.toml, run that command and commit this file with it.\n"
        f"# Resolved for {version}; .python-version, the Dockerfile and CI use that Python.\n"
        f"# pyproject.toml dependencies: sha256 {_dependency_hash()}\n"
    )
    RUNTIME.write_text(
        head + "# What the helpline runs with: Heroku, the Dockerfile and `dev.py run` install\n"
        "# this file, and CI tests these versions.\n"
        + "".join(f"{name}=={version}\n" for name, version in runtime.items())
    )
    TOOLS.write_text(
        head + "# The test tools, on top of what the helpline runs with (`dev.py test`).\n"
        f"--requirement {RUNTIME.name}\n"
        + "".join(f"{name}=={v}\n" for name, v in tools.items() if name not in runtime)
    )
    print(f"Wrote {RUNTIME.name} ({len(runtime)} packages) and {TOOLS.name} ({len(tools)}).")
    return 0


def _resolve(requirements: list[str]) -> dict[str, str]:
    """{name: version} of every package pip would install for `requirements`, by name."""
    report = subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--disable-pip-version-check", "--report", "-", *requirements],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout  # fmt: skip
    found = [item["metadata"] for item in json.loads(report)["install"]]
    return dict(sorted((_canonical(m["name"]), m["version"]) for m in found))


def _canonical(name: str) -> str:
    return "-".join(name.lower().replace("_", "-").replace(".", "-").split("-"))


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _dependency_hash() -> str:
    """What the pins are made from: the dependencies and the test extra, in order."""
    project = _pyproject()["project"]
    lists = [project["dependencies"], project["optional-dependencies"]["test"]]
    return hashlib.sha256(json.dumps(lists).encode()).hexdigest()[:16]


def port_to_serve() -> int:
    """PORT (as the app reads it: ivr/settings.py), if nothing else is listening on it."""
    sys.path.insert(0, str(ROOT))
    from ivr import settings  # plain Python, so it loads before .venv has anything in it
    from ivr.errors import ConfigError

    try:
        port = settings.read(os.environ, "PORT")
    except ConfigError as exc:
        sys.exit(f"dev.py run: {exc}")
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sys.exit(
                f"Port {port} is in use by another program: stop that program, or start the "
                f"helpline on another port: PORT={port + 1 if port < 65535 else 8001} "
                "python3 dev.py run"
            )
    return port


def run_app(port: int, args: list[str]) -> int:
    env = {**os.environ, "IVR_DEVELOPMENT": "1"}
    print(
        f"\nHelpline IVR is starting on http://127.0.0.1:{port} (development mode: no Twilio\n"
        "account needed, and no Twilio signature is asked for).\n"
        f"  Try it in your browser:   http://127.0.0.1:{port}/try\n"
        "  Or in another terminal:   .venv/bin/ivr simulate --channel voice   (or sms)\n"
        "Stop it with Ctrl-C.\n",
        flush=True,
    )
    flask = [str(PYTHON), "-m", "flask", "--app", "app", "run", "--port", str(port), *args]
    try:
        return subprocess.run(flask, cwd=ROOT, env=env).returncode
    except KeyboardInterrupt:
        return 0


def run_tests(args: list[str]) -> int:
    if "--fast" not in args:
        browser_tools()
    for check in test_commands(args):
        print("$", " ".join(Path(check[0]).name if i == 0 else a for i, a in enumerate(check)))
        code = subprocess.run(check, cwd=ROOT).returncode
        if code:
            return code
    return 0


# The fast loop's processes (pytest-xdist): one per core, at most this many, as each
# holds its own compiled scripts (about 0.8 GB at the most, 2026-12-07). Each takes
# whole test files, so a file's scripts are compiled in one of them, not in each:
# 119 CPU-s against 125 handing out single tests (2,978 and 2,928 tests, load 3 to 6).
FAST_WORKERS = 4


def test_commands(args: list[str]) -> list[list[str]]:
    """ruff, then pytest with `args`; `--fast` leaves out the tests marked slow and shares
    the rest among a process per core (none where there is one core). The full suite runs
    in one process: its real servers, timings and load tests expect the machine's cores."""
    fast = "--fast" in args
    args = [a for a in args if a != "--fast"]
    workers = min(FAST_WORKERS, os.cpu_count() or 1)
    spread = ["-n", str(workers), "--dist", "loadfile"] if workers > 1 else ["-n", "0"]
    return [
        [str(PYTHON), "-m", "ruff", "check", "."],
        [str(PYTHON), "-m", "ruff", "format", "--check", "."],
        [str(PYTHON), "-m", "pytest", *([*spread, "-m", "not slow"] if fast else []), *args],
    ]


def browser_tools() -> None:
    """Where Chromium and npm are both here, fetch the pinned axe-core and mermaid once, so
    the browser tests run rather than skip. Without Chromium they skip, saying how to
    install it; if npm cannot reach its registry, they skip saying to run `npm ci`."""
    if all((BROWSER / "node_modules" / name).is_dir() for name in ("axe-core", "mermaid")):
        return
    npm = shutil.which("npm")
    if not npm or not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return
    print("Installing axe-core and mermaid for the browser tests (npm ci) ...", flush=True)
    ci = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    if subprocess.run(ci, cwd=BROWSER).returncode:
        print("npm ci failed: the browser tests will skip.", flush=True)


def run_drill(args: list[str]) -> int:
    """The drill shares the machine with whoever else works on it: run it at low priority."""
    lower = (lambda: os.nice(10)) if hasattr(os, "nice") else None
    drill = [str(PYTHON), "-m", "drill", *args]
    return subprocess.run(drill, cwd=ROOT, preexec_fn=lower).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
