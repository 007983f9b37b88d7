"""The script format's WhatsApp parts (docs/decisions/one-script-format.md): a `whatsapp:`
version of any text, falling back to `sms:` then `text:`; `sms` in a `channels:` list
meaning every texted channel; and `whatsapp` alone meaning WhatsApp only."""

from __future__ import annotations

import pytest

from ivr.errors import ScriptError
from ivr.lint import check
from ivr.loader import load_script
from ivr.script import SMS, VOICE, WHATSAPP

from support import FIXTURES

pytestmark = pytest.mark.domain

VALID = (FIXTURES / "valid.yaml").read_text()
YOUNG = "    text: Tell a trusted adult."


def changed(tmp_path, *changes: tuple[str, str]):
    text = VALID
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "changed.yaml"
    path.write_text(text)
    return path


def test_a_script_written_before_whatsapp_gives_whatsapp_its_sms_words(tiny):
    for node in tiny.nodes.values():
        for text in [node.text, *node.steps, *(o.label for o in node.options)]:
            if text is not None:
                assert text.whatsapp is None
                assert text.on(WHATSAPP) == text.on(SMS)


@pytest.mark.parametrize(
    ("written", "voice", "sms", "whatsapp"),
    [
        ("{text: Shared., whatsapp: '*Bold* one.'}", "Shared.", "Shared.", "*Bold* one."),
        ("{voice: Said., sms: Texted.}", "Said.", "Texted.", "Texted."),
        ("{text: Shared., sms: Texted.}", "Shared.", "Texted.", "Texted."),
        ("{voice: Said., sms: Texted., whatsapp: ''}", "Said.", "Texted.", ""),
    ],
)
def test_whatsapp_falls_back_to_sms_then_text(tmp_path, written, voice, sms, whatsapp):
    path = changed(tmp_path, (YOUNG, f"    text: {written}"))
    young = load_script(path).nodes["young"]
    assert (young.text.on(VOICE), young.text.on(SMS), young.text.on(WHATSAPP)) == (
        voice,
        sms,
        whatsapp,
    )


def test_a_whatsapp_version_that_is_not_words_is_a_sentence(tmp_path):
    path = changed(tmp_path, (YOUNG, "    text: {text: A., whatsapp: [1]}"))
    with pytest.raises(ScriptError) as raised:
        load_script(path)
    (problem,) = raised.value.problems
    assert problem.code == "F003"
    assert "This node's text (whatsapp) should be text" in problem.message


def test_a_phrase_template_is_checked_in_its_whatsapp_words_too(tmp_path):
    old = '  choice: {voice: "{label}, press {key}.", sms: "{key} - {label} ({keyword})"}'
    new = (
        '  choice: {voice: "{label}, press {key}.", sms: "{key} - {label} ({keyword})",'
        ' whatsapp: "*{key}* {lable}"}'
    )
    with pytest.raises(ScriptError) as raised:
        load_script(changed(tmp_path, (old, new)))
    (problem,) = raised.value.problems
    assert problem.code == "F011"
    assert "(whatsapp) uses {lable}" in problem.message


@pytest.mark.parametrize(
    ("listed", "channels"),
    [
        ("[sms]", ("sms", "whatsapp")),
        ("[whatsapp]", ("whatsapp",)),
        ("[voice, sms]", ("voice", "sms", "whatsapp")),
        ("[sms, whatsapp]", ("sms", "whatsapp")),
    ],
)
def test_sms_in_a_channels_list_means_every_texted_channel(tmp_path, listed, channels):
    path = changed(tmp_path, ("    channels: [voice]\n", f"    channels: {listed}\n"))
    (repeat,) = [o for o in load_script(path).globals if o.keyword == "REPEAT"]
    assert repeat.channels == channels


def test_an_unknown_channel_names_the_three(tmp_path):
    path = changed(tmp_path, ("    channels: [voice]\n", "    channels: [telegram]\n"))
    with pytest.raises(ScriptError) as raised:
        load_script(path)
    (problem,) = raised.value.problems
    assert "names a channel 'telegram'" in problem.message
    assert "voice, sms (every texted channel) and whatsapp" in problem.fix


def test_whatsapp_versions_keep_a_script_valid(tmp_path):
    path = changed(tmp_path, (YOUNG, "    text: {text: A., whatsapp: B.}"))
    assert check(path).ok
