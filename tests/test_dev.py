"""dev.py, as a newcomer meets it: a mistyped command, a busy port, a port that is no number.

Each case stops before anything is installed, so these run in a second.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from support import ROOT


def dev(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), *args],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_an_unknown_command_says_so_and_fails():
    result = dev("rnu")
    assert result.returncode == 2
    assert result.stderr.startswith("dev.py: there is no command 'rnu'. The commands are:")
    assert "python3 dev.py run" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("asked", ["help", "--help", "-h"])
def test_help_lists_the_commands(asked):
    result = dev(asked)
    assert result.returncode == 0
    assert "python3 dev.py run" in result.stdout and "python3 dev.py test" in result.stdout


def test_a_busy_port_is_one_sentence_naming_the_next_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = dev("run", PORT=str(port))
    assert result.returncode == 1
    assert result.stdout == ""  # no "starting on ..." for the other program's address
    assert result.stderr == (
        f"Port {port} is in use by another program: stop that program, or start the helpline "
        f"on another port: PORT={port + 1} python3 dev.py run\n"
    )


def test_a_port_that_is_not_a_number_says_how_to_set_it():
    result = dev("run", PORT="eighty")
    assert result.returncode == 1
    assert result.stderr == (
        "dev.py run: PORT is 'eighty'; set it to a whole number from 1 to 65535, or leave it "
        "unset for 8000.\n"
    )
