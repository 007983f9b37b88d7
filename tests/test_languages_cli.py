"""`ivr simulate --language` and `ivr graph --language`, run as an operator runs them."""

from __future__ import annotations

from click.testing import CliRunner

from ivr.cli import main

from support import FIXTURES, GUIDE


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_simulate_a_welsh_call_keys_only_and_danger_first():
    result = run("simulate", "--channel", "voice", "--language", "cy-GB", str(GUIDE), input="9\n")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert lines[1].startswith("Os ydych chi mewn perygl uniongyrchol")
    assert any(line.startswith("Dim ond botymau'r ffôn") for line in lines)
    menu = next(line for line in lines if "pwyswch 1" in line)
    assert menu.startswith("Os ydych chi mewn perygl neu'n methu ymdopi, pwyswch 9.")
    assert "dim wyth dim wyth, un chwech pedwar" in result.output


def test_simulate_two_languages_asks_first_by_phone_and_reads_texts_by_their_language():
    voice = run(
        "simulate", "--channel", "voice", "--language", "cy-GB", "--language", "en-GB",
        str(GUIDE), input="2\n",
    )  # fmt: skip
    assert "Am Gymraeg, pwyswch 1." in voice.output and "For English, press 2." in voice.output
    assert "This line gives first steps" in voice.output
    sms = run(
        "simulate", "--channel", "sms", "--language", "en-GB", "--language", "cy-GB",
        str(GUIDE), input="shwmae\nENGLISH\n",
    )  # fmt: skip
    assert sms.exit_code == 0, sms.output
    assert sms.output.index("Atebwch gyda rhif neu air:") < sms.output.index(
        "Reply with a number or word:"
    )


def test_simulate_refuses_a_language_the_script_does_not_speak():
    result = run("simulate", "--channel", "sms", "--language", "fr-FR", str(GUIDE), input="")
    assert result.exit_code != 0
    assert "IVR_LANGUAGES names fr-FR" in result.output


def test_graph_draws_a_script_in_welsh_and_refuses_a_language_it_does_not_speak():
    welsh = run("graph", str(GUIDE), "--language", "cy-GB", "--channel", "sms")
    assert welsh.exit_code == 0, welsh.output
    assert '|"6 CYMORTH"|' in welsh.output and "9 PERYGL" in welsh.output
    assert "SUPPORT" not in welsh.output
    wrong = run("graph", str(FIXTURES / "valid.yaml"), "--language", "cy-GB")
    assert wrong.exit_code != 0 and "does not speak it" in wrong.output
