"""A real `gunicorn app:app` on loopback, as the Procfile runs it, for the drill and tests.

    with Gunicorn(log_path) as server:   starts on a free port the OS gives, waits for
        server.port, server.master         /healthz, and always stops it again
        server.workers()                   the worker pids, read from /proc
    Gunicorn(log_path, listen=sock)      started as systemd's socket activation starts
                                         it: on a listening socket the caller keeps
                                         (LISTEN_FDS), not one gunicorn binds

Loopback only, bounded: start-up must finish within START_SECONDS and a stop that does
not finish within STOP_SECONDS is ended with SIGKILL, so nothing is left running.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "drill-auth-token-0123456789abcdef"
SECRET = "drill-secret-key-0123456789abcdef"
PUBLIC = "https://helpline.drill.example"  # what Twilio would believe it calls
# gunicorn's own command, as the Procfile runs it. (Not `python -m gunicorn`: a USR2
# upgrade re-executes the same command line, and run as a file gunicorn/__main__.py puts
# its own package first on sys.path, where gunicorn/http hides the standard library's.)
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
START_SECONDS = 60
STOP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """This machine's environment without any Twilio or app settings, plus `extra`."""
    drop = ("TWILIO_", "IVR_", "SECRET_KEY", "PUBLIC_BASE_URL", "WEB_CONCURRENCY", "GUNICORN_")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {**keep, "PYTHONUNBUFFERED": "1", **extra}


class Gunicorn:
    def __init__(
        self,
        log_path: Path,
        workers: int = 2,
        *,
        args: tuple[str, ...] = (),
        listen: socket.socket | None = None,
        **env: str,
    ):
        self.log_path = Path(log_path)
        self.workers_wanted = workers
        self.args = args
        self.listen = listen
        wanted = {"TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": SECRET, "PUBLIC_BASE_URL": PUBLIC}
        self.env = clean_env(**{**wanted, **env})  # env may override these
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def master(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        command = [sys.executable, GUNICORN, "app:app",
                   "--workers", str(self.workers_wanted), *self.args]  # fmt: skip
        passed: tuple[int, ...] = ()
        if self.listen is None:
            self.port = free_port()
            command += ["--bind", f"127.0.0.1:{self.port}"]
        else:
            self.port = self.listen.getsockname()[1]
            passed = (self.listen.fileno(),)
            command = [sys.executable, "-c", _AS_SYSTEMD, str(passed[0]), *command]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=passed,
            )
        deadline = time.monotonic() + START_SECONDS
        while not self._healthy():
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up; see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start in {START_SECONDS} s")
            time.sleep(0.2)
        deadline = time.monotonic() + START_SECONDS
        while len(self.workers()) < self.workers_wanted and time.monotonic() < deadline:
            time.sleep(0.1)

    def _healthy(self) -> bool:
        try:
            url = f"http://127.0.0.1:{self.port}/healthz"
            with urllib.request.urlopen(url, timeout=2) as health:
                return health.status == 200
        except OSError:
            return False

    def workers(self) -> list[int]:
        """The master's worker processes now (Linux /proc)."""
        if self.process is None or self.process.poll() is not None:
            return []
        try:
            children = Path(f"/proc/{self.master}/task/{self.master}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def signal(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.master, sig)

    def wait(self, seconds: float) -> int | None:
        """Wait for the master to exit by itself; its exit code, or None if still running."""
        assert self.process is not None
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.signal(signal.SIGTERM)
        if self.wait(STOP_SECONDS) is None:
            self.process.kill()
            self.process.wait(timeout=STOP_SECONDS)

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


# What systemd does before it starts a socket-activated service: the socket as file
# descriptor 3, LISTEN_FDS=1, and LISTEN_PID set to the pid that will run gunicorn.
_AS_SYSTEMD = """
import os, sys
fd = int(sys.argv[1])
if fd != 3:
    os.dup2(fd, 3)
    os.close(fd)
os.set_inheritable(3, True)
os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
os.execv(sys.executable, sys.argv[2:])
"""
