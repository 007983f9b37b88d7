"""The shipped guide's Welsh, texted through the real SMS webhook (Twilio-shaped requests
signed with RequestValidator), with every reply counted as Twilio counts it: in UCS-2
(70 characters in one segment, 67 a part) where it has a letter GSM-7 lacks, else in
GSM-7. The budget is the operator's line as configured: IVR_LANGUAGES naming the draft,
in production. A first text, the main menu, each menu choice and every page of every
node stay within four segments; the one page spelt with a circumflex ("peidiwch â
thalu", don't pay) goes in UCS-2 and is cut to fit; and a circumflex saved as a separate
combining mark is sent composed, as Twilio's Smart Encoding would turn the mark into '^'.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from ivr import gsm7
from ivr.cli import main
from ivr.lint import MAX_SMS_SEGMENTS
from ivr.web import create_app

from support import ACCOUNT, GUIDE, Call, Texter, production_env

EVENING = "2026-12-07 20:30:00"  # a Monday, UTC: the Welsh Language Line is open
MORE = "(NESAF)"  # listed under every page that has another after it
MAIN_KEYS = [str(n) for n in range(1, 8)]  # the texted main menu: 1 to 7
DONT_PAY = "peidiwch â thalu"  # step 5's last line, texted: the one Welsh page in UCS-2


def welsh_line(path: Path = GUIDE):
    env = production_env(IVR_SCRIPTS=str(path), IVR_LANGUAGES="cy-GB,en-GB")
    return create_app(env)


def within_budget(reply: str | None) -> str:
    assert reply is not None
    count = gsm7.segments(reply)
    assert count <= MAX_SMS_SEGMENTS, (count, gsm7.encoding(reply), reply)
    return reply


def every_page(texter: Texter, first: str) -> list[str]:
    """The reply to `first`, then NESAF until the last page: each within the budget."""
    pages = [within_budget(texter.send(first))]
    while MORE in pages[-1]:
        assert len(pages) < 20, "a node that never ends"
        pages.append(within_budget(texter.send("NESAF")))
    return pages


@freeze_time(EVENING)
def test_a_welsh_first_text_and_the_main_menu_fit_four_segments():
    texter = Texter(welsh_line())
    opening = within_budget(texter.send("helo"))
    assert opening.startswith("Rhai camau cyntaf:")
    assert "Atebwch gyda rhif neu air:" in opening
    assert "7 - cysur a nodiadau (CYSUR)" in opening
    again = within_budget(texter.send("DEWISLEN"))
    assert "1 - os ydych chi wedi clicio'r ddolen (CLICIO)" in again


@freeze_time(EVENING)
@pytest.mark.parametrize(
    "first",
    [
        "helo, dw i wedi clicio ar y ddolen",
        "dw i o dan 18 oed",
        "beth ddylwn i ei wneud nawr",
        "ddylwn i dalu",
        "dw i eisiau marw",
        "dw i ddim mewn perygl ond dw i wedi clicio",
    ],
)
def test_a_welsh_first_text_that_names_a_need_is_answered_within_four_segments(first):
    pages = every_page(Texter(welsh_line()), first)
    assert all("Atebwch gyda rhif neu air:" in page for page in pages)


@freeze_time(EVENING)
@pytest.mark.parametrize("key", MAIN_KEYS)
def test_every_page_of_every_welsh_menu_choice_fits_four_segments(key):
    texter = Texter(welsh_line())
    within_budget(texter.send("helo"))
    pages = every_page(texter, key)
    assert MORE not in pages[-1]


@freeze_time(EVENING)
def test_every_welsh_step_page_fits_four_segments_the_one_with_a_circumflex_in_ucs2():
    texter = Texter(welsh_line())
    within_budget(texter.send("helo"))
    pages = every_page(texter, "CAMAU")
    said = "\n".join(pages)
    for number in range(1, 8):
        assert f"\n{number}. " in f"\n{said}" or said.startswith(f"{number}. "), number
    wide = [page for page in pages if gsm7.encoding(page) == gsm7.UCS2]
    assert len(wide) == 1 and DONT_PAY in wide[0]
    assert 3 * gsm7.UCS2_PER_SEGMENT < gsm7.units(wide[0]) <= 4 * gsm7.UCS2_PER_SEGMENT
    # The pages around it are GSM-7 and as long as GSM-7 allows: not cut to 268.
    assert max(gsm7.septets(page) for page in pages if page not in wide) > 4 * 67


def _decomposed(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped guide with `old` (once, in Welsh) replaced by `new` written decomposed:
    each circumflex a separate U+0302 COMBINING CIRCUMFLEX ACCENT, as some editors save
    it. Twilio's Smart Encoding would send that mark as '^'."""
    text = GUIDE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    decomposed = unicodedata.normalize("NFD", new)
    assert "\u0302" in decomposed
    (tmp_path / "scripts").mkdir()
    guides = GUIDE.parent.parent / "guides"  # the script names its guide relative to itself
    (tmp_path / "guides").symlink_to(guides, target_is_directory=True)
    path = tmp_path / "scripts" / GUIDE.name
    path.write_text(text.replace(old, decomposed), encoding="utf-8")
    return path


@freeze_time(EVENING)
def test_a_circumflex_saved_as_a_combining_mark_is_texted_composed(tmp_path):
    line = "stopiwch gysylltu, peidiwch â thalu, cadwch dystiolaeth."
    decomposed = welsh_line(_decomposed(tmp_path, f"- Cadwch bethau'n syml: {line}", "- " + line))
    texter = Texter(decomposed)
    within_budget(texter.send("helo"))
    pages = every_page(texter, "CAMAU")
    assert any(DONT_PAY in page for page in pages)  # U+00E2, one character
    assert not any("\u0302" in page or "a^" in page for page in pages)


@freeze_time("2026-12-07 11:30:00")
def test_text_me_in_welsh_is_sent_composed(tmp_path, texts_api):
    path = _decomposed(tmp_path, "/sextortion/ Dim talu.", "/sextortion/ Peidiwch â thalu.")
    env = production_env(
        IVR_SCRIPTS=str(path),
        IVR_LANGUAGES="cy-GB,en-GB",
        TWILIO_ACCOUNT_SID=ACCOUNT,
        IVR_TWILIO_API_URL=texts_api.url,
        IVR_TEXT_TIMEOUT_SECONDS="1",
    )
    call = Call(create_app(env).test_client())
    call.start()
    call.press("1")  # Cymraeg
    call.press("3")  # the steps and everything else
    call.press("1")  # the steps
    call.press("2")  # text me these steps
    call.press("1")  # send it
    (message,) = texts_api.seen
    body = message.form["Body"]
    assert "Peidiwch â thalu." in body and "\u0302" not in body


def test_the_linter_counts_the_welsh_ucs2_page_as_twilio_does():
    result = CliRunner().invoke(main, ["validate", "--tables", str(GUIDE)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output
    wide = [line for line in result.output.splitlines() if "in UCS-2" in line]
    assert wide and all("In cy-GB (Cymraeg)" in line for line in wide)
    assert any("node 'steps', page 7 is 4 segments in UCS-2." in line for line in wide)
