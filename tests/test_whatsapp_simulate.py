"""`ivr simulate --channel whatsapp` and `ivr graph --channel whatsapp`: WhatsApp's words,
its menus shown as the list or buttons they would be, and `tap N` answered as a tap."""

from __future__ import annotations

from click.testing import CliRunner

from ivr.cli import main

from support import GUIDE


def simulate(lines: str):
    return CliRunner().invoke(main, ["simulate", "--channel", "whatsapp", str(GUIDE)], input=lines)


def test_a_conversation_shows_menus_to_tap_and_taps_lead_where_they_say():
    result = simulate("hello\ntap 1\ntap 99\nI want to die\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "*If you are in immediate danger, call 999.*" in out  # WhatsApp's own words
    assert "[a list behind the button 'See the choices':]" in out
    assert "[1] I clicked the link  (Or reply CLICKED)" in out
    assert "[you tap 'I clicked the link']" in out
    assert "treat it as a security incident" in out
    # "tap 99" names no item: it is read as words, and the person is told the choices.
    assert "[you tap" not in out.split("> tap 99")[1].split("> I want")[0]
    assert "Samaritans free on 116 123" in out.split("> I want to die")[1]


def test_buttons_show_for_a_menu_of_three():
    # 'What not to do' offers the steps and the main menu, with the danger choice added.
    result = simulate("DONT\n")
    assert "[buttons:]" in result.output and "Danger or can't cope" in result.output


def test_graph_draws_what_whatsapp_offers_in_its_words():
    result = CliRunner().invoke(main, ["graph", str(GUIDE), "--channel", "whatsapp"])
    assert result.exit_code == 0
    assert "), WhatsApp" in result.output and 'n_main -->|"1 CLICKED"| n_clicked' in result.output
