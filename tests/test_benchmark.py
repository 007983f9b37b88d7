"""`python3 dev.py bench --tiny` runs end to end: both apps in-process, both under a real
gunicorn on loopback, and the script-load scaling. It proves the benchmark works; the
figures it prints are not read, as a test must never depend on timing."""

from __future__ import annotations

import re
import subprocess
import sys

from benchmarks.script_load import generate
from benchmarks.workloads import WORKLOADS
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
        assert re.search(rf"^\| {workload} \| {RATIO} \| \d+ \| \d+ \| \d+, \d+ \|$", out, re.M), (
            out
        )
        assert re.search(rf"^\| {workload} \| 1 \| {RATIO} \| {RATIO} \| ", out, re.M), out
    sizes = re.findall(rf"^\| ([\d,]+) \| {RATIO} \|", out, re.M)
    assert len(sizes) == 2, out
    assert re.search(rf"^\| 100 \| {RATIO} \| \d+\.\dx for \d+\.\dx \|", out, re.M), out
    assert "Traceback" not in done.stderr


def test_a_generated_script_has_the_size_asked_for_and_chains_every_extra_node():
    text, count = generate(100)
    script = parse_script(text)
    assert count == len(script.nodes) == 100
    chained = [n for n in script.nodes.values() if n.id.startswith("extra-")]
    assert all(n.next for n in chained)
    assert len({n.next for n in chained}) == len(chained)  # a chain, never a loop back


def test_calibrating_puts_the_minimal_webhook_in_both_seats():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--tiny", "--only", "loopback", "--calibrate"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "for the minimal webhook against itself, closed loop" in done.stdout
    for workload in WORKLOADS:
        assert re.search(rf"^\| {workload} \| 1 \| {RATIO} \| ", done.stdout, re.M), done.stdout
    assert "In-process" not in done.stdout and "Script load" not in done.stdout
