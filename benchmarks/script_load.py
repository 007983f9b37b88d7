"""What a script costs to load and lint as it grows: 10, 100, 1,000 and 10,000 nodes.

Scripts are generated from the shipped script by chaining extra steps nodes (each with
an introduction, three steps and a phone number to speak) after one of its steps nodes,
so every extra node is reachable and the script stays valid. Each size is measured in a
fresh Python process: CPU seconds of `ivr.lint.check` (YAML load, model, every lint
rule), the memory the loaded script holds afterwards, and the peak while loading.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scripts" / "link-claiming-intimate-photo.yaml"


@dataclass(frozen=True)
class Row:
    nodes: int
    seconds: float
    held_mib: float
    peak_mib: float


def generate(size: int, base: Path = BASE) -> tuple[str, int]:
    """The base script grown to about `size` nodes by chaining steps nodes in; its text
    and its node count."""
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    nodes = data["nodes"]
    extra = max(1, size - len(nodes))
    host = next(n for n in nodes.values() if n.get("steps") and n.get("next"))
    after, host["next"] = host["next"], "extra-0"
    for i in range(extra):
        nodes[f"extra-{i}"] = {
            "text": f"More help, part {i + 1}. If you feel unsafe, call 999.",
            "steps": [
                f"Write down what happened in message {i + 1}, with the date and time.",
                "Keep the messages; don't delete them yet, they may be needed later.",
                f"Call Samaritans on 116 123 at any time if this is too much (note {i}).",
            ],
            "next": f"extra-{i + 1}" if i + 1 < extra else after,
        }
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return text, len(nodes)


def _memory(field: str) -> int:
    """VmRSS (now) or VmHWM (the peak) of this process, in bytes. Not ru_maxrss, which
    carries the peak of the process this one was started from."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"/proc/self/status has no {field}.")


def measure_one(path: Path) -> dict:
    """Load and lint one file in this process (run it in a fresh one)."""
    from ivr.lint import check

    before = _memory("VmRSS")
    started = time.process_time()
    report = check(path)
    seconds = time.process_time() - started
    held = _memory("VmRSS") - before
    peak = _memory("VmHWM") - before
    errors = [str(p) for p in report.errors]
    return {"seconds": seconds, "held": held, "peak": peak, "errors": errors[:3]}


def measure(sizes: tuple[int, ...]) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            text, count = generate(size)
            path = Path(folder) / f"generated-{size}.yaml"
            path.write_text(text, encoding="utf-8")
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.script_load", str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=600,
                check=True,
            )
            got = json.loads(done.stdout)
            if got["errors"]:
                raise RuntimeError(
                    f"The generated script of {count} nodes does not validate:\n"
                    + "\n".join(got["errors"])
                )
            rows.append(Row(count, got["seconds"], got["held"] / 2**20, got["peak"] / 2**20))
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| nodes | load + lint (CPU s) | x time for x nodes | memory held (MiB) | peak (MiB) |",
        "|---|---|---|---|---|",
    ]
    previous = None
    for row in rows:
        growth = (
            ""
            if previous is None
            else (f"{row.seconds / previous.seconds:.1f}x for {row.nodes / previous.nodes:.1f}x")
        )
        lines.append(
            f"| {row.nodes:,} | {row.seconds:.2f} | {growth} | {row.held_mib:.1f} "
            f"| {row.peak_mib:.1f} |"
        )
        previous = row
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(measure_one(Path(sys.argv[1]))))
