"""What `gc.freeze` before the fork (ivr/web/serving.py) does to the workers' memory.

    .venv/bin/python -m benchmarks.fork_memory [--requests N] [--script PATH]

Two gunicorns on loopback, one after the other, with this repo's gunicorn.conf.py and two
workers: as shipped, and with `freeze_what_was_loaded` made to do nothing (a config file
that reads the repo's and replaces it). Each serves the same requests (the bench's
workloads, round after round, `--requests` in all), then each worker's memory is read
from /proc/PID/smaps_rollup: what it still shares with the master and what it holds
alone (private pages, the ones a collector's marks would have copied), summed over the
workers. Prints one line per gunicorn and the ratio of private memory, without / with.
The servers are stopped when the run ends, however it ends.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.load_client import workers
from benchmarks.loopback import HOST, _env, _free_port
from benchmarks.workloads import helpline_requests

ROOT = Path(__file__).resolve().parents[1]
WITHOUT = (  # the repo's config, with the freeze taken out
    f"exec(open({str(ROOT / 'gunicorn.conf.py')!r}).read())\n"
    "serving.freeze_what_was_loaded = lambda: None\n"
)
# A generated 10,000-node script takes minutes to load on a loaded 2-core machine.
START_SECONDS = 1200
FIELDS = ("Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty")


def memory(pid: int) -> dict[str, int]:
    """kB of each of FIELDS for one process."""
    found = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in FIELDS:
            found[name] = int(rest.split()[0])
    return found


@contextlib.contextmanager
def gunicorn(config: Path, script: Path):
    port = _free_port()
    env = {**_env(), "WEB_CONCURRENCY": "2", "IVR_SCRIPTS": str(script)}
    command = [sys.executable, "-m", "gunicorn", "app:app", "--no-control-socket",
               "--max-requests", "0", "-c", str(config), "--bind", f"{HOST}:{port}"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(config: Path, script: Path, requests: int) -> dict[str, int]:
    from ivr.web import create_app

    app = create_app({**_env(), "IVR_SCRIPTS": str(script)})
    wanted = list(helpline_requests(app).values())
    with gunicorn(config, script) as (port, master):
        for i in range(requests):  # one connection a request: both workers take turns
            raw = wanted[i % len(wanted)].http(HOST, port)
            raw = raw.replace(b"\r\n", b"\r\nConnection: close\r\n", 1)
            with socket.create_connection((HOST, port)) as connection:
                connection.sendall(raw)
                while connection.recv(65536):
                    pass
        total: dict[str, int] = dict.fromkeys(FIELDS, 0)
        for pid in workers(master):
            for name, kb in memory(pid).items():
                total[name] += kb
        return total


def arguments(argv: list[str], prog: str, requests: int) -> argparse.Namespace:
    """`--requests N` and `--script PATH` (default: the shipped script), for this tool
    and benchmarks/fork_collection.py."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--requests", type=int, default=requests)
    parser.add_argument("--script", type=Path, default=ROOT / "scripts" /
                        "link-claiming-intimate-photo.yaml")  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = arguments(argv, "python -m benchmarks.fork_memory", requests=4000)
    with tempfile.TemporaryDirectory() as folder:
        without = Path(folder) / "without_freeze.conf.py"
        without.write_text(WITHOUT)
        found = {}
        for name, config in (("with gc.freeze", ROOT / "gunicorn.conf.py"), ("without", without)):
            found[name] = measure(config, args.script, args.requests)
            kb = found[name]
            private = kb["Private_Dirty"] + kb["Private_Clean"]
            shared = kb["Shared_Clean"] + kb["Shared_Dirty"]
            print(f"{name:15} workers' private {private:>8} kB, shared {shared:>8} kB, "
                  f"Pss {kb['Pss']:>8} kB ({args.requests} requests)")  # fmt: skip
    private = [k["Private_Dirty"] + k["Private_Clean"] for k in found.values()]
    print(f"private memory without / with: {private[1] / private[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
