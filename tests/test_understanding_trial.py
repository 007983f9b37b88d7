"""`python3 dev.py understanding` measures a phrase file through the real signed webhooks.

Run here on a tiny file whose answers are known, one of them wrong on purpose, so every
count in the tables can be seen to move: the held-out file's own rates are the tool's
output (understanding_trial/RESULTS.md), not a test's.
"""

from __future__ import annotations

import subprocess
import sys

from understanding_trial import phrase_file

from support import FIXTURES, ROOT

TRIAL = FIXTURES / "phrases" / "trial.txt"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "understanding_trial", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_tables_count_every_phrase_in_every_context():
    done = _run(str(TRIAL))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # 3 danger phrases x 4 contexts, one of them not danger at all: 8 of 12 recalled.
    assert "| crisis | 3 | 67% | 67% (8/12) | - | - |" in out, out
    assert "| ordinary | 4 | 100% | - | 0% (0/16) | - |" in out, out
    assert "| ages | 2 | 100% | - | 0% (0/8) | 0% (0/4) |" in out, out
    assert "| all | 9 | 89% | 67% (8/12) | 0% (0/24) | 0% (0/4) |" in out, out
    for context in ("first text", "mid-steps text", "spoken at menu", "spoken in steps"):
        assert f"| {context} | 89% | 67% (2/3) | 0% (0/6) |" in out, out
    assert "Crisis recall 67% (at least 97% wanted)." in out
    assert "everyday messages (not-danger) 0%, every message that is not a crisis 0%." in out
    assert "the weather is nice" not in out  # sealed: no phrase unless --misses


def test_misses_are_listed_only_when_asked_for():
    out = _run(str(TRIAL), "--misses").stdout
    listed = [line for line in out.splitlines() if "'the weather is nice'" in line]
    assert len(listed) == 4, out
    assert all(line.split()[:3] == ["danger", "<-", "none"] for line in listed[1:]), listed
    assert listed[0].split()[:3] == ["danger", "<-", "main"], listed  # a first text: welcome


def test_a_line_without_a_tab_is_named_with_its_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("# == class: x ==\ndanger I want to die\n", encoding="utf-8")
    done = _run(str(bad))
    assert done.returncode == 2
    assert f"{bad}, line 2: write the answer, a tab, then the phrase" in done.stderr


def test_classes_and_answers_are_read_as_written():
    lines = phrase_file.read(TRIAL)
    assert [(x.klass, x.answer) for x in lines[:3]] == [("crisis", "danger")] * 3
    line = phrase_file.Line("negated", "negated-danger:support", "not in danger", 1)
    assert (line.kind, line.role) == ("negated-danger", "support")


def test_a_missing_file_is_a_sentence():
    done = _run("no-such-file.txt")
    assert done.returncode == 2
    assert "There is no phrase file at no-such-file.txt" in done.stderr


def test_a_sealed_file_is_measured_but_its_phrases_never_shown(tmp_path):
    sealed = tmp_path / "sealed.txt"
    sealed.write_text(
        "# Held-out phrases.\n# SEALED. Only ever measured.\n# == class: crisis ==\n"
        "danger\tthe kettle is lovely today\n",
        encoding="utf-8",
    )
    refused = _run(str(sealed), "--misses")
    assert refused.returncode == 2 and "is sealed" in refused.stderr
    assert "kettle" not in refused.stdout + refused.stderr
    done = _run(str(TRIAL), str(sealed))
    assert done.returncode == 0, done.stderr
    assert "kettle" not in done.stdout
    summary = done.stdout.split("Each file on its own:")[1]
    assert "trial.txt: crisis recall 67%" in summary, summary
    assert "sealed.txt (sealed): crisis recall 0%" in summary, summary


def test_every_held_out_file_of_the_language_is_measured_by_default():
    from understanding_trial.__main__ import held_out_files, sealed

    files = held_out_files()
    assert files[0].name == "en-GB.txt"
    assert all(f.name.startswith("en-GB") and f.suffix == ".txt" for f in files)
    assert not sealed(TRIAL)
