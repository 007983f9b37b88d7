"""The Welsh line through the real webhooks: Twilio-shaped requests signed with
RequestValidator, on both channels, the voice of each <Say>, keys-only <Gather>s, the
language carried by the state Twilio hands back, "text me these steps" in Welsh, the
draft left out of production with one log sentence, and /try offering the draft."""

from __future__ import annotations

import json

from click.testing import CliRunner
from freezegun import freeze_time
from test_try_page import Browser

from ivr.cli import main
from ivr.web import create_app

from support import (
    ACCOUNT,
    CALLER,
    FIXTURES,
    GUIDE,
    Call,
    Texter,
    logged_events,
    production_env,
)

WELSH_FIRST = production_env(IVR_SCRIPTS=str(GUIDE), IVR_LANGUAGES="cy-GB,en-GB")
GWYNETH = {"voice": "Polly.Gwyneth", "language": "cy-GB"}
AMY = {"voice": "Polly.Amy-Neural", "language": "en-GB"}
EVENING = "2026-12-07 20:30:00"  # a Monday, UTC: the Welsh Language Line is open


def voices(heard) -> list[dict]:
    """Each <Say>'s voice and language, in the order heard."""
    return [
        {"voice": say.get("voice"), "language": say.get("language")}
        for say in heard.root.iter("Say")
    ]


@freeze_time(EVENING)
def test_a_call_chooses_welsh_and_hears_it_in_gwyneths_voice_keys_only(capfd):
    app = create_app(WELSH_FIRST)
    call = Call(app.test_client())
    opening = call.start()
    said = voices(opening)
    assert said[0] == GWYNETH and AMY in said
    assert opening.says[0].startswith("Os ydych chi mewn perygl uniongyrchol")
    assert "Am Gymraeg, pwyswch 1." in opening.says and "For English, press 2." in opening.says
    assert opening.gather["input"] == "dtmf" and "language" not in opening.gather
    welsh = call.press("1")
    assert set(map(tuple, (v.items() for v in voices(welsh)))) == {tuple(GWYNETH.items())}
    assert welsh.says[1].startswith("Mae'r llinell hon yn rhoi camau cyntaf")
    assert welsh.gather["input"] == "dtmf" and "hints" not in welsh.gather
    clicked = call.press("1")  # the state Twilio hands back carries the language
    assert clicked.says[0].startswith("Os ydych chi wedi clicio'r ddolen yn barod")
    danger = call.press("9")
    assert "dim wyth dim wyth, un chwech pedwar, dim un dau tri" in danger.text
    lines = [e for e in logged_events(capfd.readouterr().err) if e.get("event") == "webhook"]
    assert [e.get("language") for e in lines] == [None, "cy-gb", "cy-gb", "cy-gb"]


@freeze_time(EVENING)
def test_a_call_that_chooses_english_hears_amy_and_may_speak():
    call = Call(create_app(WELSH_FIRST).test_client())
    call.start()
    english = call.press("2")
    assert voices(english) and all(v == AMY for v in voices(english))
    assert english.says[0].startswith("This line gives first steps")
    assert english.gather["input"] == "dtmf speech" and english.gather["language"] == "en-GB"


@freeze_time(EVENING)
def test_texts_in_welsh_are_answered_in_welsh_and_the_names_switch():
    texter = Texter(create_app(WELSH_FIRST))
    first = texter.send("helo, dw i wedi clicio ar y ddolen")
    assert "Os ydych chi wedi clicio'r ddolen yn barod" in first
    english = texter.send("ENGLISH")
    assert "Reply with a number or word:" in english
    assert "Atebwch" not in english
    welsh = texter.send("Cymraeg")
    assert "Atebwch gyda rhif neu air:" in welsh
    crisis = texter.send("I want to kill myself")  # English crisis words, Welsh reply
    assert crisis.index("999") < crisis.index("116 123") < crisis.index("0808 164 0123")
    assert "Llinell Gymraeg y Samariaid" in crisis


@freeze_time(EVENING)
def test_a_first_english_text_gets_english_and_one_line_offering_welsh():
    reply = Texter(create_app(WELSH_FIRST)).send("hi, someone sent me a link")
    assert reply.startswith("Some first steps:")
    assert "Yn Gymraeg? Atebwch CYMRAEG." in reply


@freeze_time("2026-12-07 11:30:00")
def test_text_me_these_steps_on_a_welsh_call_sends_the_welsh_steps(texts_api):
    env = {
        **WELSH_FIRST,
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "IVR_TWILIO_API_URL": texts_api.url,
        "IVR_TEXT_TIMEOUT_SECONDS": "1",
    }
    call = Call(create_app(env).test_client())
    call.start()
    call.press("1")  # Cymraeg
    call.press("3")  # the steps and everything else
    first_step = call.press("1")
    assert "Stopiwch y sgwrs a blociwch" in first_step.text
    warned = call.press("2")
    assert warned.says[0].startswith("Galla i decstio'r camau hyn")
    sent = call.press("1")
    assert sent.says[0].startswith("Dw i wedi anfon y neges")
    (message,) = texts_api.seen
    assert message.form["To"] == CALLER
    assert message.form["Body"].startswith("Rhai camau cyntaf, o'ch galwad.")


def test_production_leaves_the_draft_out_and_says_which_setting_offers_it(capfd):
    app = create_app(production_env(IVR_SCRIPTS=str(GUIDE)))
    (warning,) = [
        e for e in logged_events(capfd.readouterr().err) if e["event"] == "draft_language"
    ]
    assert "Cymraeg (cy-GB) is a draft" in warning["message"]
    assert "IVR_LANGUAGES=en-GB,cy-GB" in warning["message"]
    opening = Call(app.test_client()).start()
    assert opening.says[0] == "If you are in immediate danger, hang up now and call nine nine nine."
    assert "Am Gymraeg" not in opening.text and opening.gather["input"] == "dtmf speech"
    assert "Yn Gymraeg" not in Texter(app).send("hello")


def test_try_plays_the_language_choice_and_shows_each_turns_language():
    browser = Browser(create_app({"IVR_DEVELOPMENT": "1", "IVR_SCRIPTS": str(GUIDE)}).test_client())
    shown = browser.call()
    assert "Node: _languages" in shown.metas["call"][1]
    shown = browser.press("2")
    assert "Node: main" in shown.metas["call"][-1] and "in cy-GB" in shown.metas["call"][-1]
    shown = browser.text("shwmae")
    assert "Node: main" in shown.metas["text"][-1] and "in cy-GB" in shown.metas["text"][-1]
    shown = browser.text("ENGLISH")
    assert "Node: main" in shown.metas["text"][-1] and "in cy-GB" not in shown.metas["text"][-1]


def test_try_offers_the_welsh_draft_in_development():
    client = create_app({"IVR_DEVELOPMENT": "1", "IVR_SCRIPTS": str(GUIDE)}).test_client()
    opening = Call(client).start()
    assert "Am Gymraeg, pwyswch 2." in opening.says
    assert (
        Texter(create_app({"IVR_DEVELOPMENT": "1"})).send("shwmae").startswith("Rhai camau cyntaf:")
    )


def test_ivr_report_counts_conversations_by_language(capfd, tmp_path):
    app = create_app(WELSH_FIRST)
    Texter(app).send("helo")
    Texter(app, sender="+447700900124").send("hi, I clicked the link")
    call = Call(app.test_client())
    call.start()
    call.press("1")  # Cymraeg
    err = capfd.readouterr().err
    log = tmp_path / "app.log"
    log.write_text("".join(f"{line}\n" for line in err.splitlines() if '"webhook"' in line))
    result = CliRunner().invoke(main, ["report", str(log), "--format", "json"])
    assert result.exit_code == 0, result.output
    (counts,) = json.loads(result.output)["per_day_by"]["language"].values()
    assert counts == {"cy-gb": 2, "en-gb": 1}


def test_a_recorded_welsh_prompt_is_played_in_place_of_its_words(tmp_path):
    written = (FIXTURES / "languages" / "bilingual.yaml").read_text(encoding="utf-8")
    welcome = """cy-GB: {text: Croeso i'r llinell brawf., from: "23dbc821"}"""
    assert welcome in written
    recorded = welcome.replace("from:", 'play: "https://example.org/croeso.mp3", from:')
    script = tmp_path / "recorded.yaml"
    script.write_text(written.replace(welcome, recorded), encoding="utf-8")
    env = production_env(IVR_SCRIPTS=str(script), IVR_LANGUAGES="cy-GB")
    opening = Call(create_app(env).test_client()).start()
    played = [play.text for play in opening.root.iter("Play")]
    assert played == ["https://example.org/croeso.mp3"]
    assert "Croeso i'r llinell brawf." not in opening.says  # played, not said as well
    assert opening.says[0].startswith("Os ydych chi mewn perygl")  # danger is still said first


# -- A number for one guide (?script=) still offers Welsh ----------------------------------


def _two_guides(tmp_path) -> dict[str, str]:
    """The shipped guide and a second one (a copy with its own id and words), both
    speaking Welsh, offered together as one number offers several guides."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "guides").symlink_to(GUIDE.parent.parent / "guides", target_is_directory=True)
    lines = GUIDE.read_text(encoding="utf-8").split("\n")
    swaps = {
        "id: link-claiming-intimate-photo": "id: second-guide",
        "  keyword: PHOTO": "  keyword: SECOND",
    }
    text = "\n".join(
        "  words: [second guide]"
        if line.startswith("  words: [photo of me,")
        else swaps.get(line, line)
        for line in lines
    )
    assert "id: second-guide" in text and "  words: [second guide]" in text
    second = tmp_path / "scripts" / "second-guide.yaml"
    second.write_text(text, encoding="utf-8")
    return production_env(IVR_SCRIPTS=f"{GUIDE},{second}", IVR_LANGUAGES="cy-GB,en-GB")


@freeze_time(EVENING)
def test_a_number_for_one_guide_still_asks_the_language_first():
    call = Call(create_app(WELSH_FIRST).test_client())
    opening = call.start("/voice?script=link-claiming-intimate-photo")
    assert opening.says[0].startswith("Os ydych chi mewn perygl uniongyrchol")
    assert "Am Gymraeg, pwyswch 1." in opening.says and "For English, press 2." in opening.says
    welsh = call.press("1")
    assert welsh.says[1].startswith("Mae'r llinell hon yn rhoi camau cyntaf")
    assert all(v == GWYNETH for v in voices(welsh))


@freeze_time(EVENING)
def test_a_number_for_one_of_several_guides_asks_the_language_then_starts_that_guide(
    tmp_path, capfd
):
    app = create_app(_two_guides(tmp_path))
    call = Call(app.test_client())
    opening = call.start("/voice?script=second-guide")
    assert "Am Gymraeg, pwyswch 1." in opening.says
    assert "second-guide" not in opening.gather["action"]  # carried sealed, never in clear
    welsh = call.press("1")
    assert welsh.says[1].startswith("Mae'r llinell hon yn rhoi camau cyntaf")  # no guide choice
    english = Call(app.test_client())
    english.start("/voice?script=second-guide")
    assert english.press("2").says[0].startswith("This line gives first steps")
    lines = [e for e in logged_events(capfd.readouterr().err) if e.get("event") == "webhook"]
    assert [e["script"] for e in lines][-3:] == ["second-guide"] * 3
    # Without ?script= the same line asks which guide, after the language.
    other = Call(app.test_client())
    other.start()
    assert other.press("1").says[0] == "Pa un o'r rhain sydd agosaf at beth ddigwyddodd?"
