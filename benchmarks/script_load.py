"""What a script costs to load and lint as it grows: about 10, 100, 1,000 and 10,000 nodes.

Scripts are generated in the shape of real ones: the shipped script, with topics hung
off its `about` menu, each topic a menu of its own (options with a key, a keyword and
synonyms), a steps node (an introduction and three steps, read one at a time) and a
text node with options back, and a "more topics" option leading on to the next topic.
Every node is reachable and the script lints clean.

Each size is measured in a fresh Python process, as `ivr validate` or a starting server
pays it: the whole process's CPU seconds (interpreter start, imports, YAML load, model,
every lint rule), of which load and lint alone (`ivr.lint.check`), the memory the
loaded script holds afterwards, and the peak while loading.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scripts" / "link-claiming-intimate-photo.yaml"
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}-[A-Z]{2}")  # cy-GB: a text's version in another language
HOST = "about"  # the shipped node the topics hang off (it has a key to spare)
PER_TOPIC = 3  # nodes: the topic's menu, its steps and its text


@dataclass(frozen=True)
class Row:
    nodes: int
    process_seconds: float  # the whole process: start, imports, load, lint
    seconds: float  # load and lint alone
    held_mib: float
    peak_mib: float


def _in_its_source_language(data):
    """The base without its other languages (`languages:` and every text's tagged
    versions): the generated topics are written in English alone, and a declared
    language must give every text (X001), so the script measured stays English-only, as
    it was before the shipped script had a Welsh draft."""
    if isinstance(data, dict):
        return {
            k: _in_its_source_language(v)
            for k, v in data.items()
            if k != "languages" and not _LANGUAGE_TAG.fullmatch(str(k))
        }
    if isinstance(data, list):
        return [_in_its_source_language(v) for v in data]
    return data


def generate(size: int, base: Path = BASE) -> tuple[str, int]:
    """The base script grown to `size` nodes (at least the base and one topic) with
    topics in the shape above; its text and its node count."""
    import yaml  # here: the measured process imports only what the app imports

    data = _in_its_source_language(yaml.safe_load(base.read_text(encoding="utf-8")))
    nodes = data["nodes"]
    topics, spare = divmod(max(size - len(nodes), PER_TOPIC), PER_TOPIC)
    nodes[HOST]["options"].append(_more(0))
    for i in range(topics):
        nodes |= _topic(i, last=i + 1 == topics)
    for k in range(spare):  # one or two nodes short of `size`: notes off the first menus
        menu = nodes[f"topic-{k % topics}"]["options"]
        menu.append(
            {
                "key": str(len(menu) + 1),
                "keyword": f"NOTE{k + 1}",
                "synonyms": ["a note", "anything else to know"],
                "label": "for a note on this topic",
                "target": f"note-{k}",
            }
        )
        nodes[f"note-{k}"] = {
            "text": "Nothing here needs doing tonight; it can wait until you feel ready.",
            "options": [_back(k % topics)],
        }
    if "guide" in data:  # the guide is read relative to the script: the generated one is elsewhere
        data["guide"]["source"] = str((base.parent / data["guide"]["source"]).resolve())
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return text, len(nodes)


def _more(i: int) -> dict:
    return {
        "key": "3",
        "keyword": f"TOPIC{i + 1}",
        "synonyms": ["more topics", "other topics please"],
        "label": {"voice": "for more topics", "sms": "more topics"},
        "target": f"topic-{i}",
    }


def _back(i: int) -> dict:
    return {
        "key": "2",
        "keyword": f"BACK{i + 1}",
        "synonyms": ["back to the topic", "previous menu"],
        "label": {"voice": "to go back to this topic", "sms": "back to this topic"},
        "target": f"topic-{i}",
    }


def _topic(i: int, last: bool) -> dict:
    n = i + 1
    menu = {
        "text": {"voice": f"Topic {n}. Choose what you need to hear about.", "sms": f"Topic {n}:"},
        "options": [
            {
                "key": "1",
                "keyword": f"RECORD{n}",
                "synonyms": ["keep a record", "what to save", "evidence", "screenshots"],
                "label": {"voice": "for how to keep a record", "sms": "keeping a record"},
                "target": f"topic-{i}-record",
            },
            {
                "key": "2",
                "keyword": f"ACCOUNTS{n}",
                "synonyms": ["my account", "passwords", "hacked", "security"],
                "label": {
                    "voice": "for keeping your accounts safe",
                    "sms": "keeping accounts safe",
                },
                "target": f"topic-{i}-accounts",
            },
            *([] if last else [_more(i + 1)]),
        ],
    }
    record = {
        "text": {
            "voice": "Here is how to keep a record, one step at a time.",
            "sms": "Keeping a record:",
        },
        "steps": [
            f"Screenshot the messages and the sender's profile, with the time (topic {n}).",
            "Copy the visible web address into a note without opening the link.",
            "Keep the messages; don't delete them yet, they may be needed for a report.",
        ],
        "next": f"topic-{i}",
    }
    accounts = {
        "text": (
            "If you typed a password after opening a link, change it from another device and "
            f"turn on 2-step verification (topic {n})."
        ),
        "options": [
            {
                "key": "1",
                "keyword": "STEPS",
                "label": {"voice": "for the steps to take now", "sms": "the steps to take now"},
                "target": "steps",
            },
            _back(i),
        ],
    }
    return {f"topic-{i}": menu, f"topic-{i}-record": record, f"topic-{i}-accounts": accounts}


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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(sizes: tuple[int, ...]) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            text, count = generate(size)
            path = Path(folder) / f"generated-{size}.yaml"
            path.write_text(text, encoding="utf-8")
            before = _children_cpu()
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.script_load", str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=600,
                check=True,
            )
            process = _children_cpu() - before
            got = json.loads(done.stdout)
            if got["errors"]:
                raise RuntimeError(
                    f"The generated script of {count} nodes does not validate:\n"
                    + "\n".join(got["errors"])
                )
            rows.append(
                Row(count, process, got["seconds"], got["held"] / 2**20, got["peak"] / 2**20)
            )
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| nodes | whole process (CPU s) | x time for x nodes | of which load + lint "
        "| memory held (MiB) | peak (MiB) |",
        "|---|---|---|---|---|---|",
    ]
    previous = None
    for row in rows:
        growth = (
            ""
            if previous is None
            else f"{row.process_seconds / previous.process_seconds:.1f}x "
            f"for {row.nodes / previous.nodes:.1f}x"
        )
        lines.append(
            f"| {row.nodes:,} | {row.process_seconds:.2f} | {growth} | {row.seconds:.2f} "
            f"| {row.held_mib:.1f} | {row.peak_mib:.1f} |"
        )
        previous = row
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(measure_one(Path(sys.argv[1]))))
