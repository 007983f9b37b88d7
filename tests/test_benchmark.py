"""`python3 dev.py bench --tiny` runs end to end: both apps in-process, both under a real
gunicorn on loopback, and the script-load scaling. It proves the benchmark works; the
figures it prints are not read, as a test must never depend on timing."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from benchmarks.script_load import generate
from benchmarks.workloads import TEXTS, WORKLOADS
from ivr.lint import lint
from ivr.loader import parse_script

from support import ROOT

RATIO = r"\d+\.\d\d"


def test_the_tiny_benchmark_prints_every_table_with_ratios():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--tiny"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for workload in WORKLOADS:
        row = rf"^\| {workload} \| {RATIO} \| \d+ \| \d+ \| \d+, \d+ \| (\d+ \(\d\.\d\d\))? \|$"
        assert re.search(row, out, re.M), out
        if workload in TEXTS:  # its words read alone, as a share of the minimal turn
            assert re.search(rf"^\| {workload} \|.* \| \d+ \(\d\.\d\d\) \|$", out, re.M), out
        assert re.search(rf"^\| {workload} \| 1 \| {RATIO} \| {RATIO} \| ", out, re.M), out
    sizes = re.findall(rf"^\| ([\d,]+) \| {RATIO} \|", out, re.M)
    assert len(sizes) == 2, out
    assert re.search(rf"^\| 100 \| {RATIO} \| \d+\.\dx for \d+\.\dx \|", out, re.M), out
    assert "Traceback" not in done.stderr
    assert "Rounds in which a worker was replaced (recycling is off): 0." in out


def test_the_free_texts_are_the_lengths_their_workloads_name():
    lengths = {name: int(name.split()[-2].replace(",", "")) for name in TEXTS}
    assert lengths == {name: len(text) for name, text in TEXTS.items()}
    assert set(lengths.values()) == {20, 160, 1600}


@pytest.mark.parametrize("size", [100, 101, 102])
def test_a_generated_script_has_the_size_asked_for_in_menus_steps_and_synonyms(size):
    text, count = generate(size)
    script = parse_script(text)
    assert count == len(script.nodes) == size
    topics = [n for n in script.nodes.values() if n.id.startswith("topic-") and n.options]
    menus = [n for n in topics if len(n.options) >= 3]  # a menu, not a chain of nodes
    assert len(menus) >= 20
    assert all(o.key and o.keyword and o.synonyms for n in menus for o in n.options)
    assert sum(bool(n.steps) for n in script.nodes.values()) >= 20
    assert not [p for p in lint(script) if p.severity != "info"]  # no error, no warning


def test_calibrating_puts_the_minimal_webhook_in_both_seats():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--tiny", "--only", "loopback", "--calibrate"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "for the minimal webhook against itself, no worker recycled" in done.stdout
    for workload in WORKLOADS:
        assert re.search(rf"^\| {workload} \| 1 \| {RATIO} \| ", done.stdout, re.M), done.stdout
    assert "In-process" not in done.stdout and "Script load" not in done.stdout


def test_the_reply_walk_gives_the_same_digest_twice_and_a_different_one_for_other_turns():
    def run(*args):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.reply_walk", *args],
            cwd=ROOT, capture_output=True, text=True, timeout=240,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return re.fullmatch(
            r"(\d+) turns over \d+ scripts and 2 channels: sha256 (\w{64})\n", done.stdout
        )

    once, again, longer = (
        run("--conversations", "2"),
        run("--conversations", "2"),
        run("--conversations", "3"),
    )
    assert once and again and longer
    assert once.group(2) == again.group(2)  # seeded: the same messages, the same replies
    assert int(longer.group(1)) > int(once.group(1)) and longer.group(2) != once.group(2)
