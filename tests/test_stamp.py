"""`ivr stamp`: a checked translation's `from:` written in, and nothing else changed."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from ivr import languages
from ivr.cli import main
from ivr.lint import check
from ivr.loader import load_script, parse_script
from ivr.stamp import stamp

from support import FIXTURES

STALE = FIXTURES / "warned" / "translation-stale.yaml"
BILINGUAL = FIXTURES / "languages" / "bilingual.yaml"


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def stale(tmp_path):
    path = tmp_path / "script.yaml"
    shutil.copy(STALE, path)
    return path


def test_stamping_a_checked_language_clears_the_stale_warning_and_nothing_else(stale):
    before = stale.read_text(encoding="utf-8")
    assert [p.code for p in check(stale).warnings] == ["X002"]
    result = run("stamp", str(stale), "--language", "cy-GB")
    assert result.exit_code == 0, result.output
    assert "stamped" in result.output and "node 'young': The node's text" in result.output
    after = stale.read_text(encoding="utf-8")
    report = check(stale)
    assert report.ok and report.warnings == []
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [(line, line.replace('"14f419de"', '"deab0d90"')) for line, _ in changed]
    assert len(changed) == 1 and before.splitlines()[0] == after.splitlines()[0]  # comments kept


def test_a_dry_run_lists_what_it_would_stamp_and_writes_nothing(stale):
    before = stale.read_text(encoding="utf-8")
    result = run("stamp", str(stale), "--language", "cy-GB", "--dry-run")
    assert result.exit_code == 0 and "would stamp" in result.output
    assert stale.read_text(encoding="utf-8") == before


def test_a_stamped_language_says_so_and_an_undeclared_one_is_refused(tmp_path):
    path = tmp_path / "script.yaml"
    shutil.copy(BILINGUAL, path)
    result = run("stamp", str(path), "--language", "cy-GB")
    assert result.exit_code == 0 and "already stamped" in result.output
    result = run("stamp", str(path), "--language", "gd-GB")
    assert result.exit_code == 1
    assert "does not declare the language 'gd-GB' (it declares cy-GB)" in result.output


def test_a_script_that_does_not_load_is_refused_with_its_problems(tmp_path):
    path = tmp_path / "script.yaml"
    path.write_text(BILINGUAL.read_text(encoding="utf-8").replace("format: 1", "format: 2"))
    result = run("stamp", str(path), "--language", "cy-GB")
    assert result.exit_code == 1 and "F008" in result.output


@pytest.mark.parametrize(
    ("written", "stamped"),
    [
        # bare words: written as a mapping, on its own line
        (
            "      cy-GB: Dywedwch wrth oedolyn.\n",
            '      cy-GB: {text: Dywedwch wrth oedolyn., from: "14f419de"}\n',
        ),
        # a flow mapping without from:
        (
            "      cy-GB: {text: Dywedwch wrth oedolyn.}\n",
            '      cy-GB: {text: Dywedwch wrth oedolyn., from: "14f419de"}\n',
        ),
        # a block mapping without from:, and one with a stale from: (kept in its place)
        (
            "      cy-GB:\n        text: Dywedwch wrth oedolyn.\n",
            '      cy-GB:\n        from: "14f419de"\n        text: Dywedwch wrth oedolyn.\n',
        ),
        (
            '      cy-GB:\n        text: Dywedwch.\n        from: "00000000"  # old\n',
            '      cy-GB:\n        text: Dywedwch.\n        from: "14f419de"\n',
        ),
    ],
    ids=["bare", "flow", "block", "block-stale"],
)
def test_each_way_of_writing_a_version_is_stamped_in_place(written, stamped):
    source = BILINGUAL.read_text(encoding="utf-8")
    line = next(x for x in source.splitlines(True) if "cy-GB: {text: Dywedwch wrth oedolyn" in x)
    text = source.replace(line, written, 1)
    script = parse_script(text, "script.yaml")
    done = stamp(text, script, "cy-GB")
    assert done.left == [] and len(done.stamped) == 1
    assert stamped in done.text
    again = parse_script(done.text, "script.yaml")
    young = again.nodes["young"].text
    assert young.version("cy-GB").source == languages.fingerprint(young)


def test_a_block_scalar_is_listed_for_a_person_never_guessed_at():
    source = BILINGUAL.read_text(encoding="utf-8")
    line = next(x for x in source.splitlines(True) if "cy-GB: {text: Dywedwch wrth oedolyn" in x)
    text = source.replace(line, "      cy-GB: |\n        Dywedwch wrth oedolyn.\n", 1)
    done = stamp(text, parse_script(text, "script.yaml"), "cy-GB")
    assert done.stamped == [] and done.text == text
    (left,) = done.left
    assert "node 'young'" in left and 'from: "14f419de"' in left


def test_every_text_of_the_fixture_is_stamped_as_the_lint_expects():
    script = load_script(BILINGUAL)
    source = BILINGUAL.read_text(encoding="utf-8")
    assert stamp(source, script, "cy-GB").stamped == []  # nothing to do: all up to date
