"""The deploy inputs agree, and work as written: the Procfile, the Dockerfile, the Python
version file and the pinned requirements.

The slow test builds what a platform builds, from those files alone: a fresh virtualenv
with nothing but requirements.txt in it (installed without dependencies, so a package
missing from the pins fails here, not on a platform), then the Dockerfile's start command
in a folder holding only what the Dockerfile copies, and the Procfile's in the repository
as Heroku has it; each must answer the Dockerfile's health check and a signed text.

No container builder runs in the suite (a build takes minutes, and needs buildah and
root): this test reads the Dockerfile and runs its own RUN, CMD and HEALTHCHECK commands,
so a mistake shows in seconds. CI builds and starts the real image after the suite
(.ci/image; docs/deploy.md).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import venv
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from twilio.request_validator import RequestValidator

import dev

from support import ROOT, SECRET, TOKEN, Texter

PUBLIC = "https://helpline.example.org"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


# -- The Dockerfile, read --------------------------------------------------------------------


@dataclass
class Dockerfile:
    base: str = ""
    workdir: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    copies: list[tuple[list[str], str]] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    user: str = "root"
    expose: list[str] = field(default_factory=list)
    healthcheck: str = ""
    cmd: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Dockerfile:
        found = cls()
        text = re.sub(r"\\\n\s*", " ", path.read_text())  # continuation lines joined
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            word, _, rest = line.strip().partition(" ")
            rest = rest.strip()
            match word.upper():
                case "FROM":
                    found.base = rest
                case "WORKDIR":
                    found.workdir = rest
                case "ENV":
                    found.env.update(dict(pair.split("=", 1) for pair in shlex.split(rest)))
                case "COPY":
                    *sources, dest = shlex.split(rest)
                    found.copies.append((sources, dest))
                case "RUN":
                    found.runs.append(rest)
                case "USER":
                    found.user = rest
                case "EXPOSE":
                    found.expose += rest.split()
                case "HEALTHCHECK":
                    found.healthcheck = rest.split(" CMD ", 1)[1]
                case "CMD":
                    found.cmd = json.loads(rest)
                case _:
                    raise AssertionError(f"The test cannot read Dockerfile's {word}: teach it.")
        return found

    def build(self, into: Path) -> Path:
        """The image's WORKDIR as COPY leaves it, from this repository's files."""
        app = into / self.workdir.strip("/")
        app.mkdir(parents=True)
        for sources, dest in self.copies:
            target = app / dest
            for source in sources:
                path = ROOT / source
                to = target / path.name if dest.endswith("/") or dest == "." else target
                if path.is_dir():
                    ignore = shutil.ignore_patterns("__pycache__", "node_modules")
                    shutil.copytree(path, to, ignore=ignore, dirs_exist_ok=True)
                else:
                    to.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, to)
        return app


DOCKERFILE = Dockerfile.read(ROOT / "Dockerfile")
PROCFILE = (ROOT / "Procfile").read_text().strip()


# -- The inputs agree --------------------------------------------------------------------------


def pins(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text().splitlines()
    found = {}
    for line in lines:
        if line.startswith("#") or line.startswith("--requirement"):
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier  # one exact version, nothing looser
        assert spec.operator == "==", f"{name}: '{line}' is not pinned to one version"
        found[requirement.name] = spec.version
    return found


def test_nothing_at_the_root_makes_a_buildpack_take_the_app_for_a_node_app():
    # Heroku's buildpack detection runs Node.js's before Python's: a package.json at the
    # root would make it a Node app, with no Python and no gunicorn.
    for node in ("package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml"):
        assert not (ROOT / node).exists(), f"move {node} under tests/npm/"
    assert (ROOT / "tests" / "npm" / "package.json").exists()


def test_the_procfile_and_the_dockerfile_start_the_same_server():
    assert PROCFILE == "web: gunicorn app:app"
    assert DOCKERFILE.cmd == shlex.split(PROCFILE.removeprefix("web:"))


def test_one_python_version_everywhere():
    version = (ROOT / ".python-version").read_text().strip()
    assert re.fullmatch(r"3\.\d+", version), "major.minor, so patch releases come with builds"
    assert DOCKERFILE.base == f"python:{version}-slim"
    minimum = PYPROJECT["requires-python"].removeprefix(">=")
    assert tuple(map(int, version.split("."))) >= tuple(map(int, minimum.split(".")))
    for name in ("requirements.txt", "requirements-test.txt"):
        assert f"# Resolved for Python {version} on linux;" in (ROOT / name).read_text()


def test_the_pins_are_made_from_pyproject_and_hold_what_it_asks_for():
    made_from = f"# pyproject.toml dependencies: sha256 {dev._dependency_hash()}"
    runtime, tools = pins("requirements.txt"), pins("requirements-test.txt")
    for name in ("requirements.txt", "requirements-test.txt"):
        assert made_from in (ROOT / name).read_text(), (
            f"{name} was made from other dependencies than pyproject.toml's: run "
            "`python3 dev.py lock` and commit what it writes."
        )
    assert (ROOT / "requirements-test.txt").read_text().count("--requirement requirements.txt")
    assert not set(runtime) & set(tools), "the test tools' file adds to the runtime's"
    test_tools = {
        dev._canonical(Requirement(r).name) for r in PYPROJECT["optional-dependencies"]["test"]
    }
    assert not test_tools & set(runtime), "dev.py run and production install no test tool"
    for wanted, pinned in [
        (PYPROJECT["dependencies"], runtime),
        (PYPROJECT["optional-dependencies"]["test"], {**runtime, **tools}),
    ]:
        for line in wanted:
            requirement = Requirement(line)
            name = dev._canonical(requirement.name)
            assert name in pinned, f"{requirement.name} is not pinned"
            assert requirement.specifier.contains(pinned[name]), f"{name}=={pinned[name]}"


def test_the_dockerfile_runs_as_a_user_checks_health_and_keeps_the_scripts_mountable():
    assert DOCKERFILE.base.endswith("-slim")
    assert DOCKERFILE.user not in ("root", "0", "")
    assert "/healthz" in DOCKERFILE.healthcheck
    assert DOCKERFILE.expose == ["8000"]  # gunicorn.conf.py's default PORT
    assert (["scripts"], "scripts") in DOCKERFILE.copies  # baked in, under WORKDIR
    # and the written guides they name: each script is checked against its guide at start
    assert (["guides"], "guides") in DOCKERFILE.copies
    installs = [run for run in DOCKERFILE.runs if run.startswith("pip ")]
    assert installs == ["pip install --no-deps --requirement requirements.txt"]


def test_every_podman_or_buildah_build_the_docs_give_keeps_the_health_check():
    # podman and buildah make OCI images unless told otherwise, and the OCI format has no
    # HEALTHCHECK: they drop it with a warning that is easy to miss (buildah issue 2388).
    pages = [ROOT / "Dockerfile", ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    builds = []
    for page in pages:
        text = re.sub(r"\\\n\s*", " ", page.read_text(encoding="utf-8"))
        found = re.findall(r"(?:podman build|buildah (?:build|bud))\b[^\n`#)]*", text)
        builds += [(page.relative_to(ROOT), command) for command in found]
    assert builds, "the Dockerfile and docs/deploy.md say how to build with podman"
    for page, command in builds:
        assert "--format docker" in command, f"{page}: '{command}' needs --format docker"


# -- Built from those files alone, and answering -----------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def platform_env(bin_dir: Path, port: int) -> dict[str, str]:
    """A platform's environment: the fresh venv first on PATH, nothing of ours leaking in."""
    kept = {k: v for k, v in os.environ.items()
            if not k.startswith(("TWILIO_", "IVR_", "SECRET_KEY", "PUBLIC_BASE_URL", "PYTHON",
                                 "VIRTUAL_ENV", "PORT"))}  # fmt: skip
    return {
        **kept,
        **DOCKERFILE.env,
        "PATH": f"{bin_dir}{os.pathsep}{kept.get('PATH', '')}",
        "PORT": str(port),
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        "PUBLIC_BASE_URL": PUBLIC,
        "WEB_CONCURRENCY": "1",
    }


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory):
    """A new virtualenv holding only what the Dockerfile's RUN lines install."""
    where = tmp_path_factory.mktemp("deploy")
    image = DOCKERFILE.build(where / "image")
    env_dir = where / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    env = platform_env(bin_dir, free_port())
    for run in DOCKERFILE.runs:
        if run.startswith("pip "):
            done = subprocess.run(
                [str(bin_dir / "python"), "-m", *shlex.split(run)],
                cwd=image, env=env, capture_output=True, text=True, timeout=600,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
    check = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "check"], env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, f"the pins are not a whole, consistent set:\n{check.stdout}"
    return image, bin_dir


def serve_and_text(command: list[str], cwd: Path, bin_dir: Path, tmp_path: Path) -> str:
    """Start `command` as a platform would, wait for the Dockerfile's health check to
    pass, send a signed first text, stop it; the reply's text."""
    port = free_port()
    env = platform_env(bin_dir, port)
    log = tmp_path / f"{command[0]}-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            health = subprocess.run(
                ["/bin/sh", "-c", DOCKERFILE.healthcheck], env=env, capture_output=True
            )
            if health.returncode == 0:
                break
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"not healthy in 60 s:\n{log.read_text()}"
            time.sleep(0.5)
        texter = Texter.__new__(Texter)  # only its Twilio-shaped parameters are used here
        texter.sender = "+447700900555"
        params = texter.params("hello")
        signature = RequestValidator(TOKEN).compute_signature(f"{PUBLIC}/sms", params)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/sms",
            data=urllib.parse.urlencode(params).encode(),
            headers={"X-Twilio-Signature": signature},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/xml")
            return ET.fromstring(response.read()).find("Message").text
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_dockerfile_image_starts_and_answers_a_signed_text(fresh_venv, tmp_path):
    image, bin_dir = fresh_venv
    assert not (image / "tests").exists() and (image / "scripts").is_dir()
    reply = serve_and_text(DOCKERFILE.cmd, image, bin_dir, tmp_path)
    assert "999" in reply


def test_the_procfile_starts_from_the_repository_and_answers_a_signed_text(fresh_venv, tmp_path):
    _, bin_dir = fresh_venv
    reply = serve_and_text(shlex.split(PROCFILE.removeprefix("web:")), ROOT, bin_dir, tmp_path)
    assert "999" in reply


def test_the_fresh_venv_holds_no_test_tool(fresh_venv):
    _, bin_dir = fresh_venv
    listed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "list", "--format", "json"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    installed = {dev._canonical(p["name"]) for p in json.loads(listed)}
    assert installed - {"pip", "setuptools", "wheel"} == set(pins("requirements.txt"))
    assert sys.prefix != str(bin_dir.parent)
